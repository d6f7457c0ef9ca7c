/**
 * Streaming attribution inputs: lines and CSV records from a file (or a byte range of one, for worker threads),
 * decoded line by line into an accumulator. Memory holds one chunk, the accumulator's sums and, for events, the
 * open journeys; never the file. Plain lines of a path CSV take a fast lane (the WebAssembly scanner, or the JS
 * lane where WebAssembly is unavailable), plain lines of an event CSV the event lane; every other line, and so
 * every error and every new channel, goes through the io-ts decoders.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { createGunzip } from 'node:zlib'
import * as E from 'fp-ts/Either'
import { accumulator, type Accumulator } from '../attribution/accumulate'
import {
  decodeEventFields,
  decodeEventJson,
  decodePathFieldsIndexed,
  decodePathJson,
  DEFAULT_EVENT_COLUMNS,
  DEFAULT_PATH_COLUMNS,
  eventLayout,
  pathLayout,
  type EventColumns,
  type EventRow,
  type IndexedPath,
  type PathColumns,
} from '../attribution/decode'
import { journeyBuilder, type JourneyBuilder } from '../attribution/journeys'
import { plainEventLine, type PlainEventLine } from '../attribution/plainEventLine'
import { plainPathLine, type PlainPathLine } from '../attribution/plainPathLine'
import { pathScanner, type PathScanner } from './pathScanner'
import type { AttributionPartial, Journey, Settings } from '../attribution/model'
import { csvReader, isCsvProblem } from '../core/csv'
import { formatError, type TouchpointError } from '../core/errors'

/** What a file holds: aggregated paths or event-level touches, as CSV or JSON lines. */
export type InputKind = 'paths' | 'events'
export type InputFormat = 'csv' | 'jsonl'

/** Everything a reducer needs to read one input (plain data: it crosses into worker threads). */
export interface ReadSpec {
  readonly file: string
  readonly kind: InputKind
  readonly format: InputFormat
  readonly delimiter: string
  readonly separator: string
  readonly pathColumns: PathColumns
  readonly eventColumns: EventColumns
  readonly timeUnit: 'ms' | 's'
  readonly lookbackMs?: number
  readonly grouped: boolean
  readonly settings: Settings
  /** The CSV header fields (read once by the main thread), or undefined for JSONL. */
  readonly header?: ReadonlyArray<string>
  /** Byte range [start, end) for worker shards; a shard starts at the first line beginning in it. */
  readonly start?: number
  readonly end?: number
  readonly maxReasons: number
  readonly onError: 'fail' | 'skip'
  /**
   * How plain path-CSV lines are read: `wasm` (default; `js` where WebAssembly is unavailable), `js` (in place from
   * the decoded text), or `decoders` (every line through io-ts). All three give the same results; tests compare.
   * Event CSV lines have no WebAssembly lane: `wasm` and `js` both read plain ones in place, `decoders` none.
   */
  readonly lane?: 'wasm' | 'js' | 'decoders'
}

/** How inputs are read, whatever the file: the part of a `ReadSpec` the caller chooses once for all inputs. */
export type ReadOptions = Pick<ReadSpec, 'delimiter' | 'separator' | 'pathColumns' | 'eventColumns' | 'timeUnit' | 'grouped' | 'maxReasons' | 'onError'> & {
  readonly lookbackMs?: number | undefined
}

/** The defaults: ChannelAttribution's path columns, `user_id,timestamp,channel,conversion,conversion_value` events. */
export const DEFAULT_READ_OPTIONS: ReadOptions = {
  delimiter: ',',
  separator: '>',
  pathColumns: DEFAULT_PATH_COLUMNS,
  eventColumns: DEFAULT_EVENT_COLUMNS,
  timeUnit: 'ms',
  grouped: false,
  maxReasons: 5,
  onError: 'fail',
}

/** The read spec of one whole input. */
export const readSpecOf = (file: string, format: InputFormat, kind: InputKind, settings: Settings, o: ReadOptions): ReadSpec => ({
  file,
  kind,
  format,
  delimiter: o.delimiter,
  separator: o.separator,
  pathColumns: o.pathColumns,
  eventColumns: o.eventColumns,
  timeUnit: o.timeUnit,
  ...(o.lookbackMs === undefined ? {} : { lookbackMs: o.lookbackMs }),
  grouped: o.grouped,
  settings,
  maxReasons: o.maxReasons,
  onError: o.onError,
})

/** The journey builder for event inputs, spanning files (undefined for paths). */
export const eventBuilderOf = (kind: InputKind, o: Pick<ReadOptions, 'lookbackMs' | 'grouped' | 'eventColumns'>): JourneyBuilder | undefined =>
  kind === 'events' ? journeyBuilder({ ...(o.lookbackMs === undefined ? {} : { lookbackMs: o.lookbackMs }), grouped: o.grouped, timeColumn: o.eventColumns.time }) : undefined

/** A bad line: where it is, within the file or within a shard (`local`), and why. */
export interface BadLine {
  readonly line: number
  readonly message: string
  /** The decoder's error, when a decoder rejected the line (a malformed CSV record has only the message). */
  readonly error?: TouchpointError
}

/** The outcome of reading one input or shard. */
export interface ReadResult {
  readonly partial: AttributionPartial
  /** Lines seen (counted from the shard start, including blank ones): shards add them up into line numbers. */
  readonly lines: number
  readonly rows: number
  readonly skipped: number
  /** First bad lines, up to `maxReasons` (in fail mode, the one that stopped the read). */
  readonly bad: ReadonlyArray<BadLine>
  readonly failed: boolean
  /** A CSV line had an odd number of quotes: a quoted field spans lines (shards cannot be trusted). */
  readonly multiLineRecords: boolean
}

/** Progress callback: rows decoded so far. */
export type Progress = (rows: number) => void

const errorText = (e: TouchpointError): string =>
  // Lines are numbered by the caller (shards renumber them); drop the `line N: ` formatError puts first.
  formatError(e)
    .split('\n')
    .map((l) => l.replace(/^line \d+: /, ''))
    .join('; ')

/**
 * Calls `onLine` for every line of `input` with its 1-based number; stops early when it returns false.
 * Returns the number of lines seen. For a shard: `skipFirst` drops the piece up to the first newline (the tail
 * of a line that began in the previous shard), and lines are read while they begin before `end`, `origin` being
 * the byte offset where `input` starts.
 */
export const eachLine = (
  input: AsyncIterable<string | Buffer>,
  onLine: (text: string, line: number) => boolean,
  options: LineRange = {},
): Promise<number> => eachLineAt(input, (text, start, end, line) => onLine(text.slice(start, end), line), options)

/** Which lines of an input to read (see `eachLine`). */
export interface LineRange {
  readonly skipFirst?: boolean
  readonly origin?: number
  readonly end?: number
}

/**
 * The bytes of a shard's lines: from after the first newline (with `skipFirst`: the tail of a line that began in
 * the previous shard) through the newline that ends the line holding byte `end - 1` (the last line that begins
 * before `end`). Cut at newline bytes, which never occur inside a UTF-8 character, so the text decoded from it is
 * exactly the shard's lines, wherever the byte boundaries fall.
 */
async function* shardBytes(input: AsyncIterable<string | Buffer>, range: LineRange): AsyncGenerator<Buffer> {
  let skipping = range.skipFirst === true
  const end = range.end ?? Number.POSITIVE_INFINITY
  // File offset of the current buffer's first byte.
  let position = range.origin ?? 0
  for await (const raw of input) {
    const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw
    let from = 0
    if (skipping) {
      const nl = buffer.indexOf(10)
      if (nl < 0) {
        position += buffer.length
        continue
      }
      skipping = false
      from = nl + 1
      if (position + from >= end) return
    }
    const last = end - 1 - position
    if (last < buffer.length) {
      const nl = buffer.indexOf(10, Math.max(from, last))
      if (nl >= 0) {
        yield buffer.subarray(from, nl + 1)
        return
      }
    }
    yield from === 0 ? buffer : buffer.subarray(from)
    position += buffer.length
  }
}

/**
 * `eachLine` without a string per line: `onLine` gets the text holding the line and the line's bounds in it
 * (line break and a final CR left out), for readers that decode in place.
 */
export const eachLineAt = async (
  input: AsyncIterable<string | Buffer>,
  onLine: (text: string, start: number, end: number, line: number) => boolean,
  options: LineRange = {},
): Promise<number> => {
  const isRange = options.skipFirst === true || options.end !== undefined
  // A byte-order mark only counts at the very start of the file.
  let first = !isRange || (options.origin ?? 0) === 0
  let rest = ''
  let line = 0
  // A character split between two chunks is decoded whole.
  const utf8 = new StringDecoder('utf8')
  const emit = (text: string, from: number, to: number): boolean => {
    line++
    return onLine(text, from, to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to, line)
  }
  for await (const raw of isRange ? shardBytes(input, options) : input) {
    let chunk = typeof raw === 'string' ? raw : utf8.write(raw)
    if (first && chunk !== '') {
      first = false
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    }
    // The line begun in the previous chunk is finished on its own, so the bulk of each chunk is read from the
    // flat string the decoder made rather than from a concatenation (slower to index into).
    let from = 0
    if (rest !== '') {
      const nl = chunk.indexOf('\n')
      if (nl < 0) {
        rest += chunk
        continue
      }
      const joined = rest + chunk.slice(0, nl)
      rest = ''
      from = nl + 1
      if (!emit(joined, 0, joined.length)) return line
    }
    for (;;) {
      const nl = chunk.indexOf('\n', from)
      if (nl < 0) break
      const lineStart = from
      from = nl + 1
      if (!emit(chunk, lineStart, nl)) return line
    }
    rest = chunk.slice(from)
  }
  rest += utf8.end()
  if (rest !== '') emit(rest, 0, rest.length)
  return line
}

/**
 * CSV records from lines: a line without a quote is split on the delimiter directly; quoted records (which may
 * span lines) go through the RFC 4180 reader. Calls `onRecord` with the record's first line.
 */
export const csvLines = (
  delimiter: string,
  onRecord: (fields: ReadonlyArray<string> | undefined, line: number, error?: string) => boolean,
) => {
  let pending: string | undefined
  let pendingLine = 0
  let spanned = false
  let quotes = 0
  const countQuotes = (s: string) => {
    let n = 0
    for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++
    return n
  }
  const parse = (text: string, line: number): boolean => {
    const reader = csvReader({ delimiter })
    const records = [...reader.push(text), ...reader.end()]
    for (const r of records) {
      if (isCsvProblem(r)) return onRecord(undefined, line, r.error)
      return onRecord(r.fields, line)
    }
    return true
  }
  const push = (text: string, line: number): boolean => {
    if (pending !== undefined) {
      pending += `\n${text}`
      quotes += countQuotes(text)
      if (quotes % 2 === 1) return true
      const whole = pending
      pending = undefined
      return parse(whole, pendingLine)
    }
    if (text === '') return true
    if (text.indexOf('"') < 0) return onRecord(text.split(delimiter), line)
    quotes = countQuotes(text)
    if (quotes % 2 === 1) {
      spanned = true
      pending = text
      pendingLine = line
      return true
    }
    return parse(text, line)
  }
  const end = (): boolean => {
    if (pending === undefined) return true
    const whole = pending
    pending = undefined
    return parse(whole, pendingLine)
  }
  /** Inside a quoted field that spans lines: the next line belongs to it. */
  const busy = (): boolean => pending !== undefined
  /** Whether any record so far spanned lines (or began to). */
  const multiLine = (): boolean => spanned
  return { push, end, busy, multiLine }
}

/**
 * Lines of a path CSV through the WebAssembly scanner where it is ready (after the header, outside quoted fields
 * spanning lines, once the layout allows it), through `general` (the decoders) otherwise. A line the scanner
 * stops at goes to `general`; if the decoders take it as one row, the scanner learns its tokens. Line numbers,
 * shards and byte-order marks as in `eachLine`. Returns the number of lines seen.
 */
const scanLines = async (
  input: AsyncIterable<string | Buffer>,
  range: LineRange,
  lane: {
    readonly scanner: () => PathScanner | undefined
    readonly general: (text: string, line: number) => boolean
    readonly addPath: (ids: ReadonlyArray<number>, n: number, conversions: number, value: number, nulls: number) => void
    readonly rows: () => number
    readonly busy: () => boolean
  },
): Promise<number> => {
  const isRange = range.skipFirst === true || range.end !== undefined
  let first = !isRange || (range.origin ?? 0) === 0
  let line = 0
  let leftover: Buffer | undefined
  const lineEnd = (data: Buffer, from: number, nl: number) => (nl > from && data[nl - 1] === 13 ? nl - 1 : nl)
  /** The line at `from` (ending at `nl`) through the decoders; false stops the read. */
  const general = (data: Buffer, from: number, nl: number): boolean => {
    line++
    return lane.general(data.toString('utf8', from, lineEnd(data, from, nl)), line)
  }
  for await (const raw of isRange ? shardBytes(input, range) : input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw
    let data: Buffer
    // With the scanner ready, the piece left from the last chunk and this chunk go straight into its memory;
    // before (the header), they are joined here.
    let loaded = false
    const ready = first ? undefined : lane.scanner()
    if (ready !== undefined) {
      data = ready.load(leftover, chunk)
      loaded = true
    } else data = leftover === undefined ? chunk : Buffer.concat([leftover, chunk])
    leftover = undefined
    if (first) {
      // A byte-order mark only counts at the very start of the file; wait for three bytes to tell.
      if (data.length < 3) {
        leftover = data
        continue
      }
      first = false
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3)
    }
    let from = 0
    for (;;) {
      const scanner = lane.scanner()
      if (scanner === undefined) {
        const nl = data.indexOf(10, from)
        if (nl < 0) break
        if (!general(data, from, nl)) return line
        from = nl + 1
        continue
      }
      if (!loaded) {
        // The scanner became ready inside this chunk (after the header line): offsets stay the same.
        data = scanner.load(undefined, data)
        loaded = true
      }
      const stop = scanner.run(from, lane.addPath)
      line += stop.lines
      from = stop.at
      if (stop.status === 0) break
      const nl = data.indexOf(10, from)
      // Stopped at a quote in the incomplete last line: it waits for the next chunk.
      if (nl < 0) break
      const rowsBefore = lane.rows()
      const busyBefore = lane.busy()
      if (!general(data, from, nl)) return line
      if (!busyBefore && !lane.busy() && lane.rows() === rowsBefore + 1) scanner.learn(from, lineEnd(data, from, nl))
      from = nl + 1
    }
    // Kept for the next chunk; copied, since a view of the scanner's memory is overwritten by the next load.
    if (from < data.length) leftover = loaded ? Buffer.from(data.subarray(from)) : data.subarray(from)
  }
  if (leftover !== undefined && leftover.length > 0) {
    // The last line, with no line break after it.
    line++
    lane.general(leftover.toString('utf8', 0, lineEnd(leftover, 0, leftover.length)), line)
  }
  return line
}

/** Reads one input (or a byte range of it) into a fresh accumulator. */
export const readInput = async (
  spec: ReadSpec,
  open: () => AsyncIterable<string | Buffer>,
  progress?: Progress,
  shared?: { readonly acc: Accumulator; readonly builder?: JourneyBuilder },
): Promise<ReadResult> => {
  const acc = shared?.acc ?? accumulator(spec.settings)
  const bad: Array<BadLine> = []
  let rows = 0
  let skipped = 0
  let failed = false
  const builder = spec.kind === 'events' ? shared?.builder ?? eventBuilderOf(spec.kind, spec) : undefined
  const lane = spec.lane ?? 'wasm'
  const addJourneys = (js: ReadonlyArray<Journey>) => {
    for (const j of js) acc.add(j)
  }
  const reject = (line: number, message: string, error?: TouchpointError): boolean => {
    skipped++
    if (bad.length < spec.maxReasons) bad.push(error === undefined ? { line, message } : { line, message, error })
    if (spec.onError === 'fail') {
      failed = true
      return false
    }
    return true
  }
  const counted = (): true => {
    rows++
    acc.countRows(1)
    if (progress !== undefined && (rows & 0xffff) === 0) progress(rows)
    return true
  }
  /** A row read (no problem) or rejected (the decoder's or the journey builder's problem). */
  const settle = (line: number, problem: TouchpointError | undefined): boolean => (problem === undefined ? counted() : reject(line, errorText(problem), problem))
  const accept = <A>(r: E.Either<TouchpointError, A>, line: number, use: (a: A) => TouchpointError | undefined): boolean =>
    settle(line, E.isLeft(r) ? r.left : use(r.right))
  const addIndexed = (p: IndexedPath): undefined => {
    acc.addIndexed(p.channels, p.channels.length, p.conversions, p.value, p.nulls)
    return undefined
  }
  const addPath = (j: Journey): undefined => {
    acc.add(j)
    return undefined
  }
  const onEvent = (line: number) => (row: EventRow): TouchpointError | undefined => {
    const r = builder!.push(row, line)
    if (E.isLeft(r)) return r.left
    if (r.right.length > 0) addJourneys(r.right)
    return undefined
  }

  let onLine: (text: string, line: number) => boolean
  // CSV only: a fast lane for plain lines, of paths or of events (set once the header is read).
  let plain: PlainPathLine | undefined
  let plainEvent: PlainEventLine | undefined
  let scanner: PathScanner | undefined
  let csvBusy = (): boolean => false
  let csvMultiLine = (): boolean => false
  let headerPending = false
  let finish = (): boolean => true
  const isShard = spec.start !== undefined && spec.start > 0
  if (spec.format === 'csv') {
    let header = spec.header
    let decodePath: ReturnType<typeof decodePathFieldsIndexed> | undefined
    let decodeEvent: ReturnType<typeof decodeEventFields> | undefined
    /** A header without the columns needed stops the read, whatever `onError` says. */
    const badHeader = (e: TouchpointError, line: number): false => {
      failed = true
      bad.push({ line, message: errorText(e), error: e })
      return false
    }
    const setLayout = (fields: ReadonlyArray<string>, line: number): boolean => {
      if (spec.kind === 'paths') {
        const l = pathLayout(spec.pathColumns)(fields, line)
        if (E.isLeft(l)) return badHeader(l.left, line)
        decodePath = decodePathFieldsIndexed(l.right, spec.separator, acc.channelIndex)
        if (lane === 'wasm') {
          const { width, index } = l.right
          scanner = pathScanner({ width, ...index }, spec.delimiter, spec.separator, acc.channelIndex)
        }
        if (lane === 'js' || (lane === 'wasm' && scanner === undefined)) plain = plainPathLine(l.right, spec.delimiter, spec.separator, acc)
      } else {
        const l = eventLayout(spec.eventColumns)(fields, line)
        if (E.isLeft(l)) return badHeader(l.left, line)
        decodeEvent = decodeEventFields(l.right, spec.timeUnit)
        if (lane !== 'decoders') plainEvent = plainEventLine(l.right, spec.delimiter, spec.timeUnit)
      }
      return true
    }
    if (header !== undefined && !setLayout(header, 1)) return { partial: acc.snapshot(), lines: 0, rows, skipped, bad, failed, multiLineRecords: false }
    headerPending = header === undefined || !isShard
    const records = csvLines(spec.delimiter, (fields, line, error) => {
      if (fields === undefined) return reject(line, error ?? 'a malformed CSV record')
      if (headerPending) {
        headerPending = false
        if (header === undefined) {
          header = fields
          return setLayout(fields, line)
        }
        return true // the header row at the top of the file, already read by the caller
      }
      if (decodePath !== undefined) return accept(decodePath(fields, line), line, addIndexed)
      return accept(decodeEvent!(fields, line), line, onEvent(line))
    })
    onLine = records.push
    finish = records.end
    csvBusy = records.busy
    csvMultiLine = records.multiLine
  } else {
    const decodePath = decodePathJson(spec.pathColumns, spec.separator)
    const decodeEvent = decodeEventJson(spec.eventColumns, spec.timeUnit)
    onLine = (text, line) => {
      if (text.trim() === '') return true
      if (spec.kind === 'paths') return accept(decodePath(text, line), line, addPath)
      return accept(decodeEvent(text, line), line, onEvent(line))
    }
  }
  const range = spec.end === undefined ? { skipFirst: isShard } : { skipFirst: isShard, origin: isShard ? spec.start! - 1 : 0, end: spec.end }
  const lines =
    spec.kind === 'paths' && spec.format === 'csv' && lane === 'wasm' && (spec.header === undefined || scanner !== undefined)
      ? await scanLines(open(), range, {
          scanner: () => (headerPending || csvBusy() ? undefined : scanner),
          // Where the scanner cannot serve the file (known only once the header is read), the JS lane can.
          general: (text, line) => (plain !== undefined && !headerPending && text !== '' && !csvBusy() && plain(text, 0, text.length) ? counted() : onLine(text, line)),
          addPath: (ids, n, c, v, u) => {
            acc.addIndexed(ids, n, c, v, u)
            counted()
          },
          rows: () => rows,
          busy: csvBusy,
        })
      : spec.format === 'csv'
      ? await eachLineAt(
          open(),
          (text, start, end, line) => {
            // A line the fast lanes decline (or any line before the header, or inside a multi-line quoted field)
            // is decoded and read the general way.
            if (!headerPending && end > start && !csvBusy()) {
              if (plain !== undefined && plain(text, start, end)) return counted()
              const row = plainEvent?.(text, start, end)
              if (row !== undefined) return settle(line, onEvent(line)(row))
            }
            return onLine(text.slice(start, end), line)
          },
          range,
        )
      : await eachLine(open(), (text, line) => onLine(text, line), range)
  if (!failed) finish()
  // A shared builder spans files (a user's events may continue in the next file): its caller closes it.
  if (!failed && builder !== undefined && shared?.builder === undefined) addJourneys(builder.end())
  return { partial: acc.snapshot(), lines, rows, skipped, bad, failed, multiLineRecords: csvMultiLine() }
}

/**
 * A file's byte range as a stream. A shard starting at `start > 0` begins one byte early, so that a line starting
 * exactly at `start` is recognised as whole (the piece up to the first newline is skipped: see `shardBytes`).
 */
export const openRange = (file: string, start?: number): Readable =>
  start === undefined || start === 0 ? createReadStream(file) : createReadStream(file, { start: start - 1 })

/** A gzip file, decompressed as it streams; a read or decompression error names the file. */
export const openGzip = (file: string): AsyncIterable<Buffer> =>
  (async function* () {
    const source = createReadStream(file)
    const gunzip = createGunzip({ chunkSize: 65536 })
    source.on('error', (e) => gunzip.destroy(e))
    source.pipe(gunzip)
    try {
      for await (const chunk of gunzip) yield chunk as Buffer
    } catch (e) {
      throw new Error(`${file}: cannot decompress it as gzip: ${e instanceof Error ? e.message : String(e)}`)
    } finally {
      source.destroy()
      gunzip.destroy()
    }
  })()

/** A whole file as a stream, decompressed when it is gzip. */
export const openWhole = (file: string, compressed: boolean): AsyncIterable<string | Buffer> => (compressed ? openGzip(file) : openRange(file))
