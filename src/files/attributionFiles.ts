/**
 * Attribution inputs read from files, for Node scripts: the reading pipeline `touchpoint attribute` uses
 * (streamed, with the WebAssembly lane for plain path lines), reduced to one partial result that `attribute`
 * turns into credits.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { makeSettings } from '../attribution/decode'
import type { AttributionPartial } from '../attribution/model'
import { readOutcome, type AttributionRead, type ModelSettingsInput, type SkippedLine } from '../attribution/read/text'
import { readSettings, type InputFormat, type InputKind, type PathColumns, type Preset } from '../attribution/read/settings'
import type { TimeUnit } from '../attribution/internal/time'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { someElement } from '../core/guards'
import { describeInputs, readInputs } from './inputs'

/**
 * How to read attribution files. Every field is optional; the defaults read ChannelAttribution's path format and
 * `user_id,timestamp,channel,conversion,conversion_value` events. The read options are `readSettings`'s.
 *
 * @category files
 * @since 0.1.0
 */
export interface AttributionFilesOptions {
  /** Model settings, any subset, checked as `makeSettings` checks them. */
  readonly settings?: ModelSettingsInput
  /** `ga4`, `segment` or `snowplow`: those exports' columns, conversion event and time unit (events). */
  readonly preset?: Preset
  /** `paths` or `events`. Default: told from each file's header or first record. */
  readonly kind?: InputKind
  /** `csv` or `jsonl`. Default: from the extension (.csv .tsv .txt / .jsonl .ndjson .json), else sniffed. */
  readonly format?: InputFormat
  /** CSV delimiter, one character. Default `,`. */
  readonly delimiter?: string
  /** Separator of the touches in a path. Default `>`. */
  readonly separator?: string
  /** Path column names, any subset. Default ChannelAttribution's: path, total_conversions, total_conversion_value, total_null. */
  readonly pathColumns?: Partial<PathColumns>
  /**
   * Event column names, any subset: `user` and `channel` may be several (the first non-empty user; channel parts
   * joined with " / "), `event` is read by `conversionEvents`, `conversionTime` gives a converting touch row the
   * conversion's own time. Default user_id, timestamp, channel, conversion, event_name, conversion_value.
   */
  readonly eventColumns?: {
    readonly user?: string | ReadonlyArray<string>
    readonly time?: string
    readonly channel?: string | ReadonlyArray<string>
    readonly conversion?: string
    readonly event?: string
    readonly value?: string
    readonly conversionTime?: string
  }
  /** A row whose event column is one of these converts (instead of the conversion marker column). */
  readonly conversionEvents?: ReadonlyArray<string>
  /** A row whose value column holds a number > 0 converts. */
  readonly conversionOnValue?: boolean
  /** Unit of numeric event timestamps: `s`, `ms` (default), `us` (GA4) or `ns`. */
  readonly timeUnit?: TimeUnit
  /** Events: credit touches at most this many milliseconds before their conversion. Default: no limit. */
  readonly lookbackMs?: number
  /** Events are sorted by user then time: one user held at a time, checked as read. Default false. */
  readonly grouped?: boolean
  /** `fail` (default): the first bad line is a `Left`. `skip`: bad lines are counted and the first few kept. */
  readonly onError?: 'fail' | 'skip'
  /** How many skipped lines to keep, with their reasons. Default 5. */
  readonly maxReasons?: number
  /** `fail` (default): bytes that are not UTF-8 are a `Left` naming the file and line; `replace`: U+FFFD, counted. */
  readonly invalidUtf8?: 'fail' | 'replace'
  /** The longest line read, in characters (default 256 Mi). */
  readonly maxLineLength?: number
  /** Called now and then with the rows read so far (of all files). */
  readonly onProgress?: (rows: number) => void
}

export type { SkippedLine }

/**
 * What reading the files gave: the partial result to pass to `attribute`, and what was read, ignored and skipped.
 *
 * @category files
 * @since 0.1.0
 */
export type AttributionFilesRead = AttributionRead

const cannotRead = (e: unknown, file?: string): TouchpointError =>
  invalidInput([{ ...issue('', 'a readable file', e instanceof Error ? e.message : String(e)), ...(file === undefined ? {} : { file }) }])

/**
 * Reads attribution files (aggregated paths or event-level rows, CSV or JSON lines, plain or gzip; patterns such
 * as `exports/*.csv.gz` expanded) into one partial result, streamed: for paths memory grows with channels and
 * Markov states, for events with the users active within the lookback window (files in time order) or one user
 * (`grouped`). It is the reader of `touchpoint attribute` (same lanes, same messages, same line numbers), on the
 * calling thread. Events continue across files: a user's events may go on in the next one.
 *
 * Nothing throws: an unreadable file, a file whose kind cannot be told, files of mixed kinds, a bad option, or
 * (with `onError: 'fail'`) the first bad line is a `Left` naming the file, the line, the field and the value;
 * so is a read in which every data line was bad.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as TE from 'fp-ts/TaskEither'
 * import { attribute } from 'touchpoint/attribution'
 * const credits = await pipe(
 *   () => readAttributionFiles({ onError: 'skip' })(['examples/paths.csv']),
 *   TE.flatMapEither(({ partial }) => attribute({ models: ['first', 'last', 'markov'] })(partial)),
 * )()
 * // => right({ models: ['first', 'last', 'markov'], channels: [{ channel: 'display', credits: { first: { conversions: 24, … }, … }, … }, …], … })
 *
 * @category files
 * @since 0.1.0
 */
export const readAttributionFiles =
  (options: AttributionFilesOptions = {}) =>
  async (files: ReadonlyArray<string>): Promise<E.Either<TouchpointError, AttributionFilesRead>> => {
    // `?? {}`: a caller in plain JavaScript may pass null.
    const { settings: modelInput, onProgress, ...readOptions } = options ?? {}
    const model = makeSettings(modelInput ?? {})
    const read = readSettings(readOptions)
    const issues: Array<Issue> = []
    if (E.isLeft(model) && model.left._tag === 'InvalidInput') issues.push(...model.left.issues.map((i) => ({ ...i, path: `settings.${i.path}` })))
    if (E.isLeft(read) && read.left._tag === 'InvalidInput') issues.push(...read.left.issues)
    if (onProgress !== undefined && typeof onProgress !== 'function') issues.push(issue('onProgress', 'a function', onProgress))
    if (issues.length > 0 || E.isLeft(model) || E.isLeft(read)) return E.left(invalidInput(issues))
    if (!Array.isArray(files) || files.length === 0 || someElement(files, (f) => typeof f !== 'string' || f === '' || f === '-')) {
      return E.left(invalidInput([issue('files', 'a non-empty array of file paths', files)]))
    }
    const described = await describeInputs(files, read.right)
    if (E.isLeft(described)) return E.left(described.left.error)
    let run
    try {
      run = await readInputs(read.right, { _tag: 'attribution', settings: model.right }, described.right, { threads: 1, ...(onProgress === undefined ? {} : { onProgress }) })
    } catch (e) {
      // A file removed or unreadable between the check and the read, or not gzip after all.
      return E.left(cannotRead(e))
    }
    return readOutcome(run.names, run.tally, run.partial as AttributionPartial, read.right.maxReasons)
  }

