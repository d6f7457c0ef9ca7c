#!/usr/bin/env node
/**
 * The `touchpoint` command: the process around `run`. It owns what only a process has: signals (temporary
 * outputs removed, exit 128 + n), a standard output closed by its reader (quiet exit 141, as a tool stopped by
 * SIGPIPE), and a write to standard output or error that failed outside any command's own output.
 *
 * @module
 */
import { removeSpillDirectories } from '../engines/spillDirectories'
import { EXIT_CLOSED_PIPE, EXIT_INTERNAL, EXIT_OUTPUT } from './io'
import { removeTempFiles } from './output'
import { run } from './run'

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const

for (const [signal, n] of Object.entries(SIGNALS)) {
  process.on(signal, () => {
    const targets = removeTempFiles()
    removeSpillDirectories()
    try {
      process.stderr.write(`touchpoint: stopped by ${signal}${targets.length === 0 ? '' : `; nothing was written to ${targets.join(', ')}`}\n`)
    } catch {
      // standard error gone too
    }
    process.exit(128 + n)
  })
}

// Every stream error needs a listener, or it is an uncaught exception with a stack trace.
let stdoutFailure: (Error & { code?: string }) | undefined
process.stdout.on('error', (e: Error & { code?: string }) => {
  if (e.code === 'EPIPE') {
    removeTempFiles()
    removeSpillDirectories()
    process.exit(EXIT_CLOSED_PIPE)
  }
  stdoutFailure ??= e
})
process.stderr.on('error', () => undefined)

run(process.argv.slice(2)).then(
  (code) => {
    // Help or a usage message that could not be written (`touchpoint --help > /dev/full`).
    if (code === 0 && stdoutFailure !== undefined) {
      process.stderr.write(`touchpoint: cannot write standard output: ${stdoutFailure.message}\n`)
      code = EXIT_OUTPUT
    }
    process.exitCode = code
  },
  (e: unknown) => {
    removeTempFiles()
    removeSpillDirectories()
    process.stderr.write(`touchpoint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = EXIT_INTERNAL
  },
)
