/**
 * Streaming attribution inputs: lines and CSV records from a file (or a byte range of one, for worker threads),
 * decoded line by line into an accumulator. Memory holds one chunk, the accumulator's sums and, for events, the
 * open journeys; never the file.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import * as E from 'fp-ts/Either'
import { accumulator, type Accumulator } from '../attribution/accumulate'
import {
  decodeEventFields,
  decodeEventJson,
  decodePathFieldsIndexed,
  decodePathJson,
  eventLayout,
  pathLayout,
  type EventColumns,
  type EventRow,
  type IndexedPath,
  type PathColumns,
} from '../attribution/decode'
import { journeyBuilder, type JourneyBuilder } from '../attribution/journeys'
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
}

/** A bad line: where it is, within the file or within a shard (`local`), and why. */
export interface BadLine {
  readonly line: number
  readonly message: string
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
export const eachLine = async (
  input: AsyncIterable<string | Buffer>,
  onLine: (text: string, line: number) => boolean,
  options: { readonly skipFirst?: boolean; readonly origin?: number; readonly end?: number } = {},
): Promise<number> => {
  let rest = ''
  let line = 0
  let first = true
  let skip = options.skipFirst === true
  const end = options.end
  // Byte offset of the next line's start; only tracked for shards.
  let offset = options.origin ?? 0
  for await (const raw of input) {
    let chunk = typeof raw === 'string' ? raw : raw.toString('utf8')
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff && !skip && offset === 0) {
        chunk = chunk.slice(1)
        offset += 3
      }
      first = false
    }
    const text = rest === '' ? chunk : rest + chunk
    let from = 0
    for (;;) {
      const nl = text.indexOf('\n', from)
      if (nl < 0) break
      let l = text.slice(from, nl)
      from = nl + 1
      if (end !== undefined) {
        if (offset >= end && !skip) return line
        offset += Buffer.byteLength(l, 'utf8') + 1
      }
      if (skip) {
        skip = false
        continue
      }
      line++
      if (l.endsWith('\r')) l = l.slice(0, -1)
      if (!onLine(l, line)) return line
    }
    rest = text.slice(from)
  }
  if (rest !== '' && !skip && (end === undefined || offset < end)) {
    line++
    onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, line)
  }
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
  return { push, end }
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
  const builder = spec.kind !== 'events' ? undefined : shared?.builder ?? journeyBuilder({ ...(spec.lookbackMs === undefined ? {} : { lookbackMs: spec.lookbackMs }), grouped: spec.grouped, timeColumn: spec.eventColumns.time })
  const addJourneys = (js: ReadonlyArray<Journey>) => {
    for (const j of js) acc.add(j)
  }
  const reject = (line: number, message: string): boolean => {
    skipped++
    if (bad.length < spec.maxReasons) bad.push({ line, message })
    if (spec.onError === 'fail') {
      failed = true
      return false
    }
    return true
  }
  const accept = <A>(r: E.Either<TouchpointError, A>, line: number, use: (a: A) => TouchpointError | undefined): boolean => {
    if (E.isLeft(r)) return reject(line, errorText(r.left))
    const problem = use(r.right)
    if (problem !== undefined) return reject(line, errorText(problem))
    rows++
    acc.countRows(1)
    if (progress !== undefined && (rows & 0xffff) === 0) progress(rows)
    return true
  }
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
  let finish = (): boolean => true
  const isShard = spec.start !== undefined && spec.start > 0
  if (spec.format === 'csv') {
    let header = spec.header
    let decodePath: ReturnType<typeof decodePathFieldsIndexed> | undefined
    let decodeEvent: ReturnType<typeof decodeEventFields> | undefined
    const setLayout = (fields: ReadonlyArray<string>, line: number): boolean => {
      if (spec.kind === 'paths') {
        const l = pathLayout(spec.pathColumns)(fields, line)
        if (E.isLeft(l)) {
          failed = true
          bad.push({ line, message: errorText(l.left) })
          return false
        }
        decodePath = decodePathFieldsIndexed(l.right, spec.separator, acc.channelIndex)
      } else {
        const l = eventLayout(spec.eventColumns)(fields, line)
        if (E.isLeft(l)) {
          failed = true
          bad.push({ line, message: errorText(l.left) })
          return false
        }
        decodeEvent = decodeEventFields(l.right, spec.timeUnit)
      }
      return true
    }
    if (header !== undefined && !setLayout(header, 1)) return { partial: acc.snapshot(), lines: 0, rows, skipped, bad, failed }
    let headerPending = header === undefined || !isShard
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
  } else {
    const decodePath = decodePathJson(spec.pathColumns, spec.separator)
    const decodeEvent = decodeEventJson(spec.eventColumns, spec.timeUnit)
    onLine = (text, line) => {
      if (text.trim() === '') return true
      if (spec.kind === 'paths') return accept(decodePath(text, line), line, addPath)
      return accept(decodeEvent(text, line), line, onEvent(line))
    }
  }
  const lines = await eachLine(
    open(),
    (text, line) => onLine(text, line),
    spec.end === undefined ? { skipFirst: isShard } : { skipFirst: isShard, origin: isShard ? spec.start! - 1 : 0, end: spec.end },
  )
  if (!failed) finish()
  // A shared builder spans files (a user's events may continue in the next file): its caller closes it.
  if (!failed && builder !== undefined && shared?.builder === undefined) addJourneys(builder.end())
  return { partial: acc.snapshot(), lines, rows, skipped, bad, failed }
}

/**
 * A file's byte range as a stream. A shard starting at `start > 0` begins one byte early, so that a line starting
 * exactly at `start` is recognised as whole (the piece up to the first newline is skipped by `eachLine`).
 */
export const openRange = (file: string, start?: number): Readable =>
  start === undefined || start === 0 ? createReadStream(file) : createReadStream(file, { start: start - 1 })
