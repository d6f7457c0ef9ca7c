/**
 * The read step of the commands that read attribution inputs (`attribute`, `report`): describe the inputs, read
 * them through the pipeline (src/files) into the command's reducer, and turn what the read saw into messages and
 * exit codes: the bad line that stopped it, the lines skipped, the rows ignored, a read in which every line was bad.
 *
 * @module
 */
import type { Readable } from 'node:stream'
import * as E from 'fp-ts/Either'
import type { ModelName } from '../attribution/model'
import { NOT_IN_TIME_ORDER, USER_OUT_OF_ORDER } from '../attribution/read/journeys'
import type { ReadTally } from '../attribution/read/reader'
import type { InputKind } from '../attribution/read/settings'
import { describeInputs, readInputs } from '../files/inputs'
import type { PartialOf, ReducerSpec } from '../files/reducers'
import type { InputSettings } from './inputOptions'
import { EXIT_DATA, EXIT_USAGE, say, where, type Io } from './io'

/** A usage mistake that shows only once the inputs' kind is known, or undefined. */
export const kindProblem = (kind: InputKind, models: ReadonlyArray<ModelName>, opts: InputSettings): string | undefined =>
  kind === 'paths' && models.includes('time_decay')
    ? 'time_decay needs timestamps: give event-level input (aggregated paths carry no times)'
    : kind === 'paths' && opts.read.events.lookbackMs !== undefined
      ? '--lookback applies to event-level input only (paths are already built)'
      : undefined

/** A progress callback writing `rows read (rows/s)` at most every 2 s. */
const progressLine = (command: string, io: Io, quiet: boolean, started: number): ((rows: number) => void) => {
  let lastReport = started
  return (rows) => {
    const now = Date.now()
    if (quiet || now - lastReport < 2000) return
    lastReport = now
    say(io, `touchpoint ${command}: ${rows.toLocaleString('en-US')} rows read (${Math.round(rows / ((now - started) / 1000)).toLocaleString('en-US')} rows/s)`)
  }
}

/** The standard-error notes on what was skipped and ignored, or undefined when there is nothing to say. */
export const readNotes = (command: string, names: ReadonlyArray<string>, tally: ReadTally): string | undefined => {
  const notes: Array<string> = []
  if (tally.skipped > 0) {
    const shown = tally.bad.slice(0, 5)
    notes.push(
      `touchpoint ${command}: skipped ${tally.skipped} bad line${tally.skipped === 1 ? '' : 's'}; first ${shown.length}:\n${shown.map((b) => `  ${where(names[b.source] ?? '', b.line)}: ${b.message}`).join('\n')}`,
    )
  }
  if (tally.ignored > 0) {
    notes.push(`touchpoint ${command}: ${tally.ignored.toLocaleString('en-US')} row${tally.ignored === 1 ? ' was' : 's were'} neither a touch (no channel) nor a conversion, and ignored`)
  }
  if (tally.replacedUtf8 > 0) notes.push(`touchpoint ${command}: replaced ${tally.replacedUtf8} byte sequence${tally.replacedUtf8 === 1 ? '' : 's'} that were not UTF-8 with U+FFFD`)
  return notes.length === 0 ? undefined : notes.join('\n')
}

/**
 * Reads the command's inputs into a reducer of `spec`. Returns the partial and what the read saw, or the exit
 * code after saying why nothing can be written.
 */
export const readForCommand = async <S extends ReducerSpec>(
  command: string,
  io: Io,
  opts: InputSettings,
  positionals: ReadonlyArray<string>,
  spec: S,
  models: (kind: InputKind) => ReadonlyArray<ModelName>,
  threads: number | 'auto',
  /** Events in no streamable order: answer `outOfOrder` with the message instead of saying it (an engine may take over). */
  handOver = false,
): Promise<
  | { readonly ok: true; readonly partial: PartialOf<S>; readonly tally: ReadTally; readonly names: ReadonlyArray<string> }
  | { readonly ok: false; readonly exit: number; readonly outOfOrder?: string }
> => {
  const started = Date.now()
  const fail = (message: string, exit: number = EXIT_DATA) => {
    say(io, `touchpoint ${command}: ${message}`)
    return { ok: false as const, exit }
  }
  const described = await describeInputs(positionals, opts.read)
  if (E.isLeft(described)) return fail(described.left.message, described.left.exit === 'usage' ? EXIT_USAGE : EXIT_DATA)
  const inputs = described.right
  const early = opts.read.kind ?? inputs.find((i) => i.kind !== undefined)?.kind
  if (early !== undefined) {
    const problem = kindProblem(early, models(early), opts)
    if (problem !== undefined) return fail(problem, EXIT_USAGE)
  }
  let run
  try {
    run = await readInputs(opts.read, spec, inputs, { threads, stdin: io.stdin as Readable, onProgress: progressLine(command, io, opts.quiet, started) })
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
  }
  const { tally, names } = run
  if (run.note !== undefined && !opts.quiet) say(io, `touchpoint ${command}: ${run.note}`)
  const first = tally.bad[0]
  if (tally.failed && first !== undefined && handOver && [NOT_IN_TIME_ORDER, ...USER_OUT_OF_ORDER].some((m) => first.message.includes(m)) && !names.includes('-')) {
    return { ok: false, exit: EXIT_DATA, outOfOrder: `${where(names[first.source] ?? '', first.line)}: ${first.message}` }
  }
  if (tally.failed && first !== undefined) return fail(`${where(names[first.source] ?? '', first.line)}: ${first.message}\nNothing was written. Use --on-error skip to skip bad lines.`)
  if (tally.kind === undefined) return fail(`${where(names[0] ?? '', 1)}: nothing to read: the input is empty\nNothing was written.`)
  if (early === undefined) {
    const problem = kindProblem(tally.kind, models(tally.kind), opts)
    if (problem !== undefined) return fail(problem, EXIT_USAGE)
  }
  if (tally.skipped > 0 && tally.rows === 0) {
    const note = readNotes(command, names, tally)
    return fail(`every data line was bad (${tally.skipped} skipped); nothing was written\n${note ?? ''}`.trimEnd())
  }
  return { ok: true, partial: run.partial, tally, names }
}
