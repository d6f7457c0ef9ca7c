/**
 * The reading pipeline, wired: source text → lines → CSV fields or JSON objects → decoded rows (located
 * `Either`s) → journeys → a reducer. Pure: a source is fed text here, by the Node readers (files, globs, stdin,
 * gzip, byte-range shards in worker threads) or by the in-memory text API. Several sources read in turn are one
 * input: a user's events may go on in the next file.
 *
 * Each source tells its own format (CSV, or JSON lines when its first line opens an object, unless given) and,
 * unless the settings fix it, its kind (paths when the header or first object has the path column, events when
 * it has the user and time columns); all sources must be of one kind.
 *
 * @module
 */
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { csvRecords, type CsvRecords, type FieldView } from './fields'
import { parseJsonObject } from './json'
import { journeyCore, UNATTRIBUTED_CHANNEL, type JourneyCore } from './journeys'
import { lineSplitter, type LineSplitter } from './lines'
import type { Reducer } from './reducer'
import { eventDecoder, headerOf, pathDecoder, type EventDecoder, type PathDecoder } from './rows'
import { type InputFormat, type InputKind, type ReadSettings } from './settings'
import { UNATTRIBUTED } from '../model'
import { type BadLine, type Reader, type ReadTally, type SourceHints, type SourceReader } from './readerModel'
import { kindClueText, kindOfHeader, kindOfObject } from './sourceKind'
import { deadSource, errorText, hintIssues, isCount, isFunction, readerIssues, refusedReader } from './readerArguments'
export { type BadLine, type Reader, type ReadTally, type SourceHints, type SourceReader } from './readerModel'
export { kindClueText, kindOfHeader, kindOfObject } from './sourceKind'
export { errorText } from './readerArguments'
/**
 * A new read into `reducer` under `settings`. `where(source, line)` names a line in messages (`events.csv:12`);
 * `onProgress` hears the rows read now and then.
 *
 * **Gotchas**: from plain JavaScript, settings that are not `ReadSettings` (make them with `readSettings`), a
 * reducer that is none, or a source's hints or text of the wrong type stop the read at once: `failed()` is true
 * and `finish().bad[0].error` names the field (`settings.delimiter`, `reducer`, `hints.name`, `text`), line 0
 * when no line was read. A `SourceReader` method given what it does not take stops its read the same way.
 *
 * @example
 * const acc = accumulator(DEFAULT_SETTINGS)
 * const read = reader(DEFAULT_READ_SETTINGS, acc)
 * const src = read.source({ name: 'paths.csv' })
 * src.push('path,total_conversions\na > b,2\n')
 * src.end()
 * read.finish() // => { rows: 1, skipped: 0, failed: false, kind: 'paths', ... }
 * acc.snapshot().channels // => ['a', 'b']
 *
 * @category reading
 * @since 0.2.0
 */
export const reader = <P>(
  settings: ReadSettings,
  reducer: Reducer<P>,
  options: { readonly where?: (source: number, line: number) => string; readonly onProgress?: (rows: number) => void } = {},
): Reader => {
  const refused = readerIssues(settings, reducer, options)
  if (refused.length > 0) return refusedReader(invalidInput(refused))
  const names: Array<string> = []
  const where = options.where ?? ((source: number, line: number) => `${names[source] ?? ''}:${line}`)
  let kind: InputKind | undefined = settings.kind
  let kindSource = -1
  let rows = 0
  let ignored = 0
  let skipped = 0
  let replacedUtf8 = 0
  let failed = false
  const bad: Array<BadLine> = []
  const lines: Array<number> = []
  const multiLine: Array<boolean> = []
  const progress = options.onProgress

  // Decoders and the journey builder are made when the kind is known, and serve every source.
  let paths: PathDecoder | undefined
  let events: EventDecoder | undefined
  let journeys: JourneyCore | undefined
  // Events: the decoder's channel index -> the reducer's (registered when a journey first carries it).
  const reducerChannel: Array<number> = []
  let unattributed = -1
  const mapped: Array<number> = []

  const setKind = (k: InputKind): void => {
    kind = k
    if (k === 'paths') paths = pathDecoder(settings.paths.columns, settings.paths.separator, reducer.channelIndex)
    else {
      const d = eventDecoder(settings.events)
      events = d
      const sem = settings.events
      journeys = journeyCore(
        {
          ...(sem.lookbackMs === undefined ? {} : { lookbackMs: sem.lookbackMs }),
          order: sem.order,
          timeColumn: sem.columns.time,
          userColumn: sem.columns.user[0]!,
          where,
          // A reducer that asks for each journey's previous conversion (the report's after-purchase section).
          ...(typeof reducer.afterPurchaseMs === 'number' ? { afterPurchaseMs: reducer.afterPurchaseMs } : {}),
        },
        (channels, times, n, c, v, u, conversionTime, previousConversion) => {
          for (let i = 0; i < n; i++) {
            const ch = channels[i]!
            if (ch === UNATTRIBUTED_CHANNEL) {
              if (unattributed < 0) unattributed = reducer.channelIndex(UNATTRIBUTED)
              mapped[i] = unattributed
            } else {
              let r = reducerChannel[ch]
              if (r === undefined) {
                r = reducer.channelIndex(d.channelName(ch))
                reducerChannel[ch] = r
              }
              mapped[i] = r
            }
          }
          if (previousConversion === undefined) reducer.addIndexed(mapped, n, c, v, u, times, conversionTime)
          else reducer.addIndexed(mapped, n, c, v, u, times, conversionTime, previousConversion)
        },
      )
    }
  }
  if (kind !== undefined) setKind(kind)

  const record = (source: number, line: number, message: string, error?: TouchpointError): void => {
    if (bad.length < settings.maxReasons || (settings.onError === 'fail' && bad.length === 0)) {
      bad.push(error === undefined ? { source, line, message } : { source, line, message, error })
    }
  }
  /** A bad line: counted and kept; false (stop) in fail mode. */
  const reject = (source: number, line: number, e: TouchpointError, message = errorText(e)): boolean => {
    skipped++
    record(source, line, message, e)
    if (settings.onError === 'fail') {
      failed = true
      return false
    }
    return true
  }
  /** A problem with the source as a whole (its header, its kind): stops the read whatever `onError` says. */
  const stop = (source: number, line: number, e: TouchpointError): false => {
    failed = true
    record(source, line, errorText(e), e)
    return false
  }
  const counted = (): true => {
    rows++
    if (progress !== undefined && (rows & 0xffff) === 0) progress(rows)
    return true
  }

  const pathRow = (source: number, line: number, e: TouchpointError | undefined): boolean => {
    if (e !== undefined) return reject(source, line, e)
    const r = paths!.row
    reducer.addIndexed(r.ids, r.n, r.conversions, r.value, r.nulls)
    return counted()
  }
  const eventRow = (source: number, line: number, e: TouchpointError | undefined): boolean => {
    if (e !== undefined) return reject(source, line, e)
    const r = events!.row
    if (r.channel < 0 && !r.conversion) {
      ignored++
      return counted()
    }
    const problem = journeys!.push(r.userText, r.userStart, r.userEnd, r.time, r.channel, r.conversion, r.conversionTime, r.value, line, source)
    return problem === undefined ? counted() : reject(source, line, problem)
  }

  const source = (hints: SourceHints): SourceReader => {
    const index = names.length
    const wrong = hintIssues(hints)
    names.push(typeof hints?.name === 'string' ? hints.name : '')
    lines.push(0)
    multiLine.push(false)
    if (wrong.length > 0) {
      stop(index, 0, invalidInput(wrong))
      return deadSource(() => rows)
    }
    let format: InputFormat | undefined = settings.format ?? hints.format
    let records: CsvRecords | undefined
    // CSV: whether the next record is the header (a shard after the first starts with data).
    let headerNext = hints.header === undefined || hints.headerLine !== false
    let header: ReadonlyArray<string> | undefined

    const fail = (line: number, e: TouchpointError): false => stop(index, line, e)
    const located = (line: number, path: string, expected: string, actual: unknown) => invalidInput([{ ...issue(path, expected, actual), line }])

    /** Fixes the kind from a header or first object; false when it cannot be told or differs from the others. */
    const learnKind = (found: InputKind | undefined, line: number, shown: unknown): boolean => {
      if (kind === undefined) {
        if (found === undefined) return fail(line, located(line, 'header', kindClueText(settings), shown))
        setKind(found)
        kindSource = index
        return true
      }
      if (settings.kind === undefined && found !== undefined && found !== kind) {
        return fail(line, located(line, 'kind', `${kind}, like ${names[kindSource] ?? 'the first input'}: give paths and events separately`, found))
      }
      return true
    }

    const useHeader = (h: ReadonlyArray<string>, line: number): boolean => {
      header = h
      if (!learnKind(kindOfHeader(h, settings), line, h.join(settings.delimiter))) return false
      const problem = kind === 'paths' ? paths!.layout(h, line) : events!.layout(h, line)
      return problem === undefined ? true : fail(line, problem)
    }
    if (hints.header !== undefined && !headerNext) {
      // A shard: the header was read by whoever cut the file.
      if (!useHeader(hints.header, 1)) failed = true
    }

    const onRecord = (v: FieldView, line: number): boolean => {
      if (headerNext) {
        headerNext = false
        if (hints.header !== undefined) return useHeader(hints.header, line)
        return useHeader(headerOf(v), line)
      }
      return kind === 'paths' ? pathRow(index, line, paths!.csv(v, line)) : eventRow(index, line, events!.csv(v, line))
    }

    const onJson = (text: string, start: number, end: number, line: number): boolean => {
      let i = start
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
      if (i === end || text.slice(start, end).trim() === '') return true
      const o = parseJsonObject(start === 0 && end === text.length ? text : text.slice(start, end), line)
      if (o._tag === 'Left') {
        if (kind === undefined) return fail(line, o.left)
        return reject(index, line, o.left)
      }
      if (!kindChecked) {
        kindChecked = true
        if (!learnKind(kindOfObject(o.right, settings), line, Object.keys(o.right).join(','))) return false
      }
      return kind === 'paths' ? pathRow(index, line, paths!.json(o.right, line)) : eventRow(index, line, events!.json(o.right, line))
    }
    let kindChecked = false

    /** A lane's JSON record whose path it reads itself: as `onJson` reads it, from the parsed object on. */
    const onJsonPath = (o: Readonly<Record<string, unknown>>, line: number, path: () => { readonly ids: ArrayLike<number>; readonly n: number } | undefined): boolean | undefined => {
      if (failed) return false
      if ((format !== undefined && format !== 'jsonl') || kind === 'events') return undefined
      lines[index] = line
      format = 'jsonl'
      if (!kindChecked) {
        kindChecked = true
        if (!learnKind(kindOfObject(o, settings), line, Object.keys(o).join(','))) return false
      }
      if (kind !== 'paths' || paths!.jsonAmounts(o, line) !== undefined) return undefined
      const ids = path()
      if (ids === undefined) return undefined
      const r = paths!.row
      reducer.addIndexed(ids.ids, ids.n, r.conversions, r.value, r.nulls)
      return counted()
    }

    const onLine = (text: string, start: number, end: number, line: number): boolean => {
      if (failed) return false
      lines[index] = line
      if (format === undefined) {
        // The first line that is not blank tells the format.
        let i = start
        while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 0xfeff)) i++
        if (i === end) return true
        format = text.charCodeAt(i) === 123 ? 'jsonl' : 'csv'
      }
      if (format === 'jsonl') return onJson(text, start, end, line)
      records ??= csvRecords(settings.delimiter, { record: onRecord, problem: (l, message) => reject(index, l, invalidInput([{ ...issue('', 'a well-formed CSV record', message), line: l }]), message) })
      const ok = records.line(text, start, end, line)
      if (records.multiLine()) multiLine[index] = true
      return ok
    }

    const split: LineSplitter = lineSplitter(onLine, { maxLineLength: settings.maxLineLength })
    const tooLong = (): false => fail(split.tooLong()!, located(split.tooLong()!, '', `a line of at most ${settings.maxLineLength} characters (maxLineLength)`, 'a longer line'))

    /** A method of this source called with what it does not take: the read stops, naming the argument. */
    const misuse = (path: string, expected: string, actual: unknown): false => fail(split.current(), located(split.current(), path, expected, actual))

    const push = (text: string): boolean => {
      if (failed) return false
      if (typeof text !== 'string') return misuse('text', "the source's text (a string)", text)
      if (!split.push(text)) return split.tooLong() !== undefined && !failed ? tooLong() : false
      return true
    }
    const end = (linesSeen?: number): boolean => {
      if (failed) return false
      if (linesSeen !== undefined && !isCount(linesSeen)) return misuse('linesSeen', 'a count of lines (an integer >= 0)', linesSeen)
      if (!split.end()) return split.tooLong() !== undefined && !failed ? tooLong() : false
      lines[index] = Math.max(lines[index]!, split.lines(), linesSeen ?? 0)
      if (records !== undefined && !records.end()) return false
      return !failed
    }

    return {
      push,
      end,
      line: (text, start, end, line) =>
        typeof text === 'string' && isCount(start) && isCount(end) && start <= end && end <= text.length && isCount(line)
          ? onLine(text, start, end, line)
          : misuse('line', 'a line of text: (text, start, end, line) with 0 <= start <= end <= text.length and a line number', [text, start, end, line]),
      pathLane: () => (kind === 'paths' && format === 'csv' && !headerNext && header !== undefined && !failed ? { header, eachToken: paths!.eachToken } : undefined),
      busy: () => records?.busy() === true,
      jsonPath: (o, line, path) =>
        o !== null && typeof o === 'object' && isCount(line) && isFunction(path)
          ? onJsonPath(o, line, path)
          : misuse('jsonPath', 'a record (an object), a line number and a function giving its path', [o, line, path]),
      laneRows: (n) => {
        if (!isCount(n)) {
          misuse('rows', 'a count of rows (an integer >= 0)', n)
          return
        }
        rows += n
        if (progress !== undefined) progress(rows)
      },
      rows: () => rows,
      fail: (line, expected, actual) => {
        const at = isCount(line) ? line : split.current()
        fail(at, located(at, '', typeof expected === 'string' ? expected : 'readable input', actual))
      },
      currentLine: () => split.current(),
      replaced: (n) => {
        if (!isCount(n)) {
          misuse('replaced', 'a count of byte sequences (an integer >= 0)', n)
          return
        }
        replacedUtf8 += n
      },
    }
  }

  const finish = (): ReadTally => {
    if (!failed) journeys?.end()
    reducer.countRows(rows)
    return {
      rows,
      ignored,
      skipped,
      bad,
      failed,
      lines,
      multiLine,
      replacedUtf8,
      kind,
      peakOpenUsers: journeys?.peakOpenUsers() ?? 0,
      timeOrdered: journeys?.timeOrdered() ?? true,
    }
  }

  return { source, finish, failed: () => failed }
}
