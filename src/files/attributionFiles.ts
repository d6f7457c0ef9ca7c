/**
 * Attribution inputs read from files, for Node scripts: the reader `touchpoint attribute` uses (streamed, with
 * the WebAssembly lane for plain path lines), reduced to one partial result that `attribute` turns into credits.
 *
 * @module
 */
import { stat } from 'node:fs/promises'
import * as E from 'fp-ts/Either'
import { accumulator } from '../attribution/accumulate'
import { makeSettings, type EventColumns, type PathColumns } from '../attribution/decode'
import type { AttributionPartial, Settings } from '../attribution/model'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { DEFAULT_READ_OPTIONS, eventBuilderOf, openWhole, readInput, readSpecOf, type BadLine, type InputFormat, type InputKind } from './attributionInput'
import { formatOf, headOf, kindClueText, kindOf } from './detect'

/**
 * How to read attribution files. Every field is optional; the defaults read ChannelAttribution's path format and
 * `user_id,timestamp,channel,conversion,conversion_value` events.
 *
 * @category files
 * @since 0.1.0
 */
export interface AttributionFilesOptions {
  /**
   * Model settings, any subset: Markov `order` (1 to 4, default 1), `position` weights (default 40/20/40),
   * `halfLifeMs` (default 7 days), `direct` channels (default `['direct']`). Checked as `makeSettings` checks them.
   */
  readonly settings?: Parameters<typeof makeSettings>[0]
  /** `paths` or `events`. Default: detected from each file's header or first line. */
  readonly kind?: InputKind
  /** `csv` or `jsonl`. Default: from the extension (.csv .tsv .txt / .jsonl .ndjson .json), else sniffed. */
  readonly format?: InputFormat
  /** CSV delimiter, one character. Default `,`. */
  readonly delimiter?: string
  /** Separator of the touches in a path. Default `>`. */
  readonly separator?: string
  /** Path column names, any subset. Default ChannelAttribution's: path, total_conversions, total_conversion_value, total_null. */
  readonly pathColumns?: Partial<PathColumns>
  /** Event column names, any subset. Default user_id, timestamp, channel, conversion, conversion_value. */
  readonly eventColumns?: Partial<EventColumns>
  /** Unit of numeric event timestamps. Default `ms`. */
  readonly timeUnit?: 'ms' | 's'
  /** Events: keep touches at most this many milliseconds before their conversion. Default: no limit. */
  readonly lookbackMs?: number
  /** Events are sorted by user then time, so one user is held at a time (flat memory). Default false. */
  readonly grouped?: boolean
  /** `fail` (default): the first bad line is a `Left`. `skip`: bad lines are counted and the first few kept. */
  readonly onError?: 'fail' | 'skip'
  /** How many skipped lines to keep, with their reasons. Default 5. */
  readonly maxReasons?: number
  /** Called now and then with the rows read so far (of all files). */
  readonly onProgress?: (rows: number) => void
}

/**
 * A bad line that was skipped (`onError: 'skip'`).
 *
 * @category files
 * @since 0.1.0
 */
export interface SkippedLine {
  readonly file: string
  readonly line: number
  readonly message: string
}

/**
 * What reading the files gave: the partial result to pass to `attribute`, and what was read and skipped.
 *
 * @category files
 * @since 0.1.0
 */
export interface AttributionFilesRead {
  readonly partial: AttributionPartial
  readonly kind: InputKind
  /** Data rows read (header and blank lines aside), over all files. */
  readonly rows: number
  /** Bad lines skipped (always 0 with `onError: 'fail'`). */
  readonly skipped: number
  /** The first `maxReasons` skipped lines. */
  readonly skippedLines: ReadonlyArray<SkippedLine>
}

interface Checked {
  readonly settings: Settings
  readonly kind: InputKind | undefined
  readonly format: InputFormat | undefined
  readonly lookbackMs: number | undefined
  readonly onProgress: ((rows: number) => void) | undefined
  readonly delimiter: string
  readonly separator: string
  readonly pathColumns: PathColumns
  readonly eventColumns: EventColumns
  readonly timeUnit: 'ms' | 's'
  readonly grouped: boolean
  readonly onError: 'fail' | 'skip'
  readonly maxReasons: number
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== ''

/** The options, checked: a mistake is named by its field, the value seen and what was expected. */
const checkOptions = (o: AttributionFilesOptions): E.Either<TouchpointError, Checked> => {
  const settings = makeSettings(o.settings ?? {})
  const issues: Array<Issue> = E.isLeft(settings) && settings.left._tag === 'InvalidInput' ? settings.left.issues.map((i) => ({ ...i, path: `settings.${i.path}` })) : []
  const delimiter = o.delimiter ?? DEFAULT_READ_OPTIONS.delimiter
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    issues.push(issue('delimiter', 'one character other than a quote or a line break', delimiter))
  }
  const separator = o.separator ?? DEFAULT_READ_OPTIONS.separator
  if (typeof separator !== 'string' || separator === '' || /[\r\n]/.test(separator)) issues.push(issue('separator', 'a non-empty string without line breaks', separator))
  if (o.kind !== undefined && o.kind !== 'paths' && o.kind !== 'events') issues.push(issue('kind', '"paths" or "events"', o.kind))
  if (o.format !== undefined && o.format !== 'csv' && o.format !== 'jsonl') issues.push(issue('format', '"csv" or "jsonl"', o.format))
  const timeUnit = o.timeUnit ?? DEFAULT_READ_OPTIONS.timeUnit
  if (timeUnit !== 'ms' && timeUnit !== 's') issues.push(issue('timeUnit', '"ms" or "s"', timeUnit))
  if (o.lookbackMs !== undefined && !(typeof o.lookbackMs === 'number' && o.lookbackMs >= 0 && !Number.isNaN(o.lookbackMs))) {
    issues.push(issue('lookbackMs', 'a number of milliseconds >= 0', o.lookbackMs))
  }
  const onError = o.onError ?? DEFAULT_READ_OPTIONS.onError
  if (onError !== 'fail' && onError !== 'skip') issues.push(issue('onError', '"fail" or "skip"', onError))
  const maxReasons = o.maxReasons ?? DEFAULT_READ_OPTIONS.maxReasons
  if (!(Number.isInteger(maxReasons) && maxReasons >= 0)) issues.push(issue('maxReasons', 'an integer >= 0', maxReasons))
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') issues.push(issue('onProgress', 'a function', o.onProgress))
  const pathColumns = { ...DEFAULT_READ_OPTIONS.pathColumns, ...o.pathColumns }
  for (const [k, v] of Object.entries(pathColumns)) if (!isName(v)) issues.push(issue(`pathColumns.${k}`, 'a column name', v))
  const eventColumns = { ...DEFAULT_READ_OPTIONS.eventColumns, ...o.eventColumns }
  for (const [k, v] of Object.entries(eventColumns)) if (!isName(v)) issues.push(issue(`eventColumns.${k}`, 'a column name', v))
  return issues.length > 0 || E.isLeft(settings)
    ? E.left(invalidInput(issues))
    : E.right({
        settings: settings.right,
        kind: o.kind,
        format: o.format,
        lookbackMs: o.lookbackMs,
        onProgress: o.onProgress,
        delimiter,
        separator,
        pathColumns,
        eventColumns,
        timeUnit,
        grouped: o.grouped === true,
        onError,
        maxReasons,
      })
}

const located = (file: string, line: number) => (i: Issue): Issue => ({ ...i, file, line })

/** The `Left` for the bad line that stopped a read: the decoder's issues, or the CSV reader's complaint, located. */
const failureOf = (file: string, bad: BadLine): TouchpointError =>
  bad.error === undefined
    ? invalidInput([{ ...issue('', 'a well-formed CSV record', bad.message), file, line: bad.line }])
    : bad.error._tag === 'InvalidInput'
      ? invalidInput(bad.error.issues.map(located(file, bad.line)))
      : bad.error

const cannotRead = (file: string, e: unknown): TouchpointError =>
  invalidInput([{ ...issue('', 'a readable file', e instanceof Error ? e.message : String(e)), file }])

/**
 * Reads attribution files (aggregated paths or event-level touches, CSV or JSON lines) into one partial result,
 * streamed: memory grows with channels and Markov states, not with rows. It is the reader of `touchpoint
 * attribute` (same lanes, same messages, same line numbers), on the calling thread. Events continue across
 * files: a user's touches may go on in the next one.
 *
 * Nothing throws: an unreadable file, a file whose kind cannot be told, files of mixed kinds, a bad option, or
 * (with `onError: 'fail'`) the first bad line is a `Left` naming the file, the line, the field and the value.
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
    const checked = checkOptions(options ?? {})
    if (E.isLeft(checked)) return checked
    const o = checked.right
    if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== 'string' || f === '')) {
      return E.left(invalidInput([issue('files', 'a non-empty array of file paths', files)]))
    }
    // Every file's format and kind first, so a mistake in the last file surfaces before the first is read.
    const inputs: Array<{ readonly file: string; readonly format: InputFormat; readonly kind: InputKind; readonly compressed: boolean }> = []
    for (const file of files) {
      let first: string
      let compressed: boolean
      try {
        if (!(await stat(file)).isFile()) return E.left(cannotRead(file, 'not a regular file'))
        const head = await headOf(file)
        first = head.first
        compressed = head.compressed
      } catch (e) {
        return E.left(cannotRead(file, e))
      }
      const format = formatOf(file, first, o.format)
      const kind = o.kind ?? kindOf(first, format, o)
      if (kind === undefined) return E.left(invalidInput([{ ...issue('header', kindClueText(o), first), file, line: 1 }]))
      inputs.push({ file, format, kind, compressed })
    }
    const kind = inputs[0]!.kind
    const mixed = inputs.find((i) => i.kind !== kind)
    if (mixed !== undefined) return E.left(invalidInput([{ ...issue('kind', `${kind}, like ${inputs[0]!.file}: give paths and events separately`, mixed.kind), file: mixed.file }]))

    const acc = accumulator(o.settings)
    const builder = eventBuilderOf(kind, o)
    let rows = 0
    let skipped = 0
    const skippedLines: Array<SkippedLine> = []
    for (const input of inputs) {
      const spec = readSpecOf(input.file, input.format, kind, o.settings, { ...o, maxReasons: Math.max(o.maxReasons, 1) })
      const before = rows
      const onProgress = o.onProgress
      const progress = onProgress === undefined ? undefined : (n: number) => onProgress(before + n)
      let r
      try {
        r = await readInput(spec, () => openWhole(input.file, input.compressed), progress, builder === undefined ? { acc } : { acc, builder })
      } catch (e) {
        // A file removed or unreadable between the check and the read.
        return E.left(cannotRead(input.file, e))
      }
      if (r.failed) return E.left(failureOf(input.file, r.bad[0]!))
      rows += r.rows
      skipped += r.skipped
      for (const b of r.bad) if (skippedLines.length < o.maxReasons) skippedLines.push({ file: input.file, line: b.line, message: b.message })
    }
    if (builder !== undefined) for (const j of builder.end()) acc.add(j)
    return E.right({ partial: acc.snapshot(), kind, rows, skipped, skippedLines })
  }
