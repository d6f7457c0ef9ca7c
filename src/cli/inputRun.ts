/**
 * The steps shared by the commands that read attribution inputs (`attribute`, `report`): the checks that depend
 * on what the inputs turned out to be, each input's read spec, the progress line, reading the inputs in turn, and
 * the tally of rows and skipped bad lines.
 *
 * @module
 */
import type { Accumulator } from '../attribution/accumulate'
import type { JourneyBuilder } from '../attribution/journeys'
import type { ModelName, Settings } from '../attribution/model'
import { readInput, readSpecOf as readSpecOfFile, type InputKind, type ReadResult, type ReadSpec } from '../files/attributionInput'
import type { Input, InputSettings } from './inputOptions'
import { say, where, type Io } from './io'

/** Bad lines named on standard error, at most. */
export const MAX_REASONS = 5

/** A usage mistake that shows only once the inputs' kind is known, or undefined. */
export const kindProblem = (kind: InputKind, models: ReadonlyArray<ModelName>, opts: InputSettings): string | undefined =>
  kind === 'paths' && models.includes('time_decay')
    ? 'time_decay needs timestamps: give event-level input (aggregated paths carry no times)'
    : kind === 'paths' && opts.lookbackMs !== undefined
      ? '--lookback applies to event-level input only (paths are already built)'
      : undefined

/** The read spec of one input. */
export const readSpecOf = (input: Input, kind: InputKind, opts: InputSettings, settings: Settings): ReadSpec =>
  readSpecOfFile(input.path, input.format, kind, settings, { ...opts, maxReasons: MAX_REASONS })

/** Rows read and bad lines skipped, over every input read so far. */
export interface Tally {
  rows: number
  skippedCount: number
  readonly skipped: Array<string>
}

/** An empty tally. */
export const emptyTally = (): Tally => ({ rows: 0, skippedCount: 0, skipped: [] })

/**
 * Adds one read of `file` (or a shard of it whose lines start after line `base`) to the tally. Returns the
 * located message of the bad line that stopped it, if it failed.
 */
export const tallyRead = (tally: Tally, file: string, r: ReadResult, base = 0): string | undefined => {
  if (r.failed) return `${where(file, base + r.bad[0]!.line)}: ${r.bad[0]!.message}`
  tally.skippedCount += r.skipped
  for (const b of r.bad) if (tally.skipped.length < MAX_REASONS) tally.skipped.push(`${where(file, base + b.line)}: ${b.message}`)
  tally.rows += r.rows
  return undefined
}

/** The standard-error note on the skipped lines, or undefined when none were. */
export const skippedNote = (command: string, tally: Tally): string | undefined =>
  tally.skippedCount === 0
    ? undefined
    : `touchpoint ${command}: skipped ${tally.skippedCount} bad line${tally.skippedCount === 1 ? '' : 's'}; first ${tally.skipped.length}:\n${tally.skipped.map((s) => `  ${s}`).join('\n')}`

/** A progress callback writing `rows read (rows/s)` at most every 2 s, counting from `tally.rows`. */
export const progressLine = (command: string, io: Io, quiet: boolean, started: number, tally: Tally): ((rows: number) => void) => {
  let lastReport = started
  return (rows) => {
    const now = Date.now()
    if (quiet || now - lastReport < 2000) return
    lastReport = now
    const total = tally.rows + rows
    say(io, `touchpoint ${command}: ${total.toLocaleString('en-US')} rows read (${Math.round(total / ((now - started) / 1000)).toLocaleString('en-US')} rows/s)`)
  }
}

/**
 * Reads the inputs in turn, on this thread, into `acc` (events through `builder`, which spans files and is closed
 * at the end). Returns the located message of the bad line that stopped the read, if one did.
 */
export const readInTurn = async (
  inputs: ReadonlyArray<Input>,
  specOf: (input: Input) => ReadSpec,
  acc: Accumulator,
  builder: JourneyBuilder | undefined,
  progress: (rows: number) => void,
  tally: Tally,
): Promise<string | undefined> => {
  for (const input of inputs) {
    const r = await readInput(specOf(input), input.open, progress, builder === undefined ? { acc } : { acc, builder })
    const failed = tallyRead(tally, input.path, r)
    if (failed !== undefined) return failed
  }
  if (builder !== undefined) for (const j of builder.end()) acc.add(j)
  return undefined
}
