/**
 * What every command shares: its streams, whole-or-nothing outputs, input readers with line numbers, and
 * argument parsing that reports mistakes instead of throwing.
 *
 * @module
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Readable, Writable } from 'node:stream'
import { csvReader, isCsvProblem } from '../core/csv'

/** The streams a command runs with; tests pass their own. */
export interface Io {
  readonly stdin: Readable
  readonly stdout: Writable
  readonly stderr: Writable
}

/** A subcommand of `touchpoint`. */
export interface Command {
  readonly name: string
  readonly summary: string
  readonly help: string
  readonly run: (argv: ReadonlyArray<string>, io: Io) => Promise<number>
}

/** Exit codes: 0 success, 1 bad input data, 2 bad usage (unknown option, missing argument). */
export const EXIT_OK = 0
export const EXIT_DATA = 1
export const EXIT_USAGE = 2

/** `parseArgs` without throwing: unknown options and missing values come back as a message. */
export const parseOptions = <T extends NonNullable<ParseArgsConfig['options']>>(
  argv: ReadonlyArray<string>,
  options: T,
): { ok: true; values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values']; positionals: Array<string> } | { ok: false; message: string } => {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    return { ok: true, values, positionals }
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * A command's parsed arguments, or its exit code when nothing is left to do: `--help` printed (0), or a mistake
 * in the arguments said with the help (2). `options` should define `help`.
 */
export const commandArgs = <T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  help: string,
  argv: ReadonlyArray<string>,
  options: T,
  io: Io,
): Extract<ReturnType<typeof parseOptions<T>>, { ok: true }> | number => {
  const parsed = parseOptions(argv, options)
  if (!parsed.ok) {
    say(io, `touchpoint ${command}: ${parsed.message}\n\n${help}`)
    return EXIT_USAGE
  }
  if ((parsed.values as { readonly help?: boolean }).help === true) {
    io.stdout.write(help)
    return EXIT_OK
  }
  return parsed
}

/** Write to stderr, one line. */
export const say = (io: Io, text: string): void => {
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}

/**
 * An output written whole or not at all. To a file: a temporary file beside it, renamed over it on `commit`,
 * removed on `abort`. To stdout: held in memory and written on `commit` (use `--output` for very large outputs).
 */
export interface Output {
  readonly write: (text: string) => Promise<void>
  readonly commit: () => Promise<void>
  readonly abort: () => Promise<void>
}

const waitForDrain = (stream: WriteStream) => new Promise<void>((resolve) => stream.once('drain', () => resolve()))
const closeStream = (stream: WriteStream) =>
  new Promise<void>((resolve, reject) => {
    stream.end((e?: Error | null) => (e ? reject(e) : resolve()))
  })

export const openOutput = (path: string | undefined, io: Io): Output => {
  if (path === undefined || path === '-') {
    let chunks: Array<string> = []
    return {
      write: async (text) => {
        chunks.push(text)
      },
      commit: async () => {
        const all = chunks.join('')
        chunks = []
        if (all !== '') await new Promise<void>((resolve) => io.stdout.write(all, () => resolve()))
      },
      abort: async () => {
        chunks = []
      },
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const stream = createWriteStream(temp)
  let failed: Error | undefined
  stream.on('error', (e) => {
    failed = e
  })
  return {
    write: async (text) => {
      if (failed) throw failed
      if (!stream.write(text)) await waitForDrain(stream)
    },
    commit: async () => {
      await closeStream(stream)
      if (failed) throw failed
      await rename(temp, path)
    },
    abort: async () => {
      await closeStream(stream).catch(() => undefined)
      await unlink(temp).catch(() => undefined)
    },
  }
}

/** An input: a file path, or `-` for stdin. */
export const inputStream = (path: string, io: Io): Readable =>
  path === '-' ? io.stdin : createReadStream(path, { encoding: 'utf8' })

/** Non-empty lines of a text input with their 1-based numbers (JSONL, plain lists). */
export async function* readLines(input: Readable): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  const lines = createInterface({ input, crlfDelay: Infinity })
  let line = 0
  for await (const text of lines) {
    line++
    if (line === 1 && text.charCodeAt(0) === 0xfeff) {
      if (text.length > 1) yield { line, text: text.slice(1) }
      continue
    }
    if (text.trim() !== '') yield { line, text }
  }
}

/** CSV records (or problems) with the line each starts on. */
export async function* readCsv(
  input: Readable,
  options: { readonly delimiter?: string } = {},
): AsyncGenerator<{ readonly line: number; readonly fields: ReadonlyArray<string> } | { readonly line: number; readonly error: string }> {
  const reader = csvReader(options)
  let first = true
  input.setEncoding?.('utf8')
  for await (const chunk of input as AsyncIterable<string>) {
    const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk
    first = false
    yield* reader.push(text)
  }
  yield* reader.end()
}

export { isCsvProblem }

/** `file:line: message`, the shape every bad-input message takes. */
export const where = (file: string, line: number): string => `${file === '-' ? '<stdin>' : file}:${line}`
