#!/usr/bin/env node
/**
 * The `touchpoint` command.
 *
 * @module
 */
import { run } from './run'

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`touchpoint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 70
  },
)
