/**
 * What every command shares: its streams, exit codes, and argument parsing that reports mistakes (an unknown
 * option, a single-value option given twice, options that exclude each other) instead of throwing. Outputs are
 * in output.ts, text inputs in textInput.ts.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Readable, Writable } from 'node:stream'

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

/**
 * Exit codes: 0 success, 1 bad input data, 2 bad usage (unknown option, missing argument), 70 internal error,
 * 74 an output could not be written (EX_IOERR), 128 + n stopped by signal n (130 SIGINT, 143 SIGTERM,
 * 129 SIGHUP), 141 standard output closed by its reader (as a tool stopped by SIGPIPE).
 */
export const EXIT_OK = 0
export const EXIT_DATA = 1
export const EXIT_USAGE = 2
export const EXIT_INTERNAL = 70
export const EXIT_OUTPUT = 74
export const EXIT_CLOSED_PIPE = 141

type Parsed<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>

/**
 * `parseArgs` without throwing: unknown options and missing values come back as a message, and so does a
 * single-value option given more than once (parseArgs keeps the last, silently) and each pair in `conflicts`
 * given together.
 */
export const parseOptions = <T extends NonNullable<ParseArgsConfig['options']>>(
  argv: ReadonlyArray<string>,
  options: T,
  conflicts: ReadonlyArray<readonly [keyof T & string, keyof T & string]> = [],
): { ok: true; values: Parsed<T>['values']; positionals: Array<string> } | { ok: false; message: string } => {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true })
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) }
  }
  const given = new Map<string, Array<string>>()
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue
    const seen = given.get(token.name) ?? []
    seen.push(token.rawName)
    given.set(token.name, seen)
  }
  for (const [name, raw] of given) {
    const spec = options[name]!
    if (raw.length > 1 && spec.type === 'string' && spec.multiple !== true) {
      const values = parsed.tokens.filter((t) => t.kind === 'option' && t.name === name).map((t) => JSON.stringify((t as { value?: string }).value))
      return { ok: false, message: `--${name} given more than once (${values.join(', ')}); give it once` }
    }
  }
  for (const [a, b] of conflicts) {
    if (given.has(a) && given.has(b)) return { ok: false, message: `--${a} and --${b} cannot be given together` }
  }
  return { ok: true, values: parsed.values as Parsed<T>['values'], positionals: parsed.positionals }
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
  conflicts: ReadonlyArray<readonly [keyof T & string, keyof T & string]> = [],
): Extract<ReturnType<typeof parseOptions<T>>, { ok: true }> | number => {
  const parsed = parseOptions(argv, options, conflicts)
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

/** `file:line: message`, the shape every bad-input message takes. */
export const where = (file: string, line: number): string => `${file === '-' ? '<stdin>' : file}:${line}`
