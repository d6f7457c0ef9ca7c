/**
 * Reading, stage 3a (lines → **fields**): CSV records from lines, the one place fields are cut. A line without a
 * quote is cut at the delimiter in place: the record is a `FieldView`, bounds into the text that holds the line,
 * and no string is built. A line with quotes goes through the RFC 4180 reader (`core/csv.ts`), joined with the
 * lines that follow while a quoted field stays open; its unquoted fields are laid end to end in one string and
 * the view points into that. Either way the decoders read cells in place from a view.
 *
 * @module
 */
import { csvReader, isCsvProblem } from '../../core/csv'

/**
 * The fields of one record: field `i` is `text.slice(start[i], end[i])`. The arrays are reused for the next
 * record: read what you need before returning.
 *
 * @category reading
 * @since 0.2.0
 */
export interface FieldView {
  readonly text: string
  readonly start: Int32Array
  readonly end: Int32Array
  readonly count: number
}

/**
 * Field `i` of a view as a string.
 *
 * @category reading
 * @since 0.2.0
 */
export const fieldText = (v: FieldView, i: number): string => v.text.slice(v.start[i]!, v.end[i]!)

/**
 * Every field of a view as strings (for headers and messages; decoders read in place).
 *
 * @category reading
 * @since 0.2.0
 */
export const fieldTexts = (v: FieldView): Array<string> => Array.from({ length: v.count }, (_, i) => fieldText(v, i))

/** A mutable view, grown as records widen. */
interface MutableView {
  text: string
  start: Int32Array
  end: Int32Array
  count: number
}

const newView = (): MutableView => ({ text: '', start: new Int32Array(16), end: new Int32Array(16), count: 0 })

const ensure = (v: MutableView, n: number): void => {
  if (n <= v.start.length) return
  const size = Math.max(n, v.start.length * 2)
  const s = new Int32Array(size)
  const e = new Int32Array(size)
  s.set(v.start)
  e.set(v.end)
  v.start = s
  v.end = e
}

/**
 * Lays already-unquoted fields end to end in `view` (for quoted records and for callers holding string arrays).
 *
 * @category reading
 * @since 0.2.0
 */
export const viewOfFields = (fields: ReadonlyArray<string>, into?: FieldView): FieldView => {
  const v = (into as MutableView | undefined) ?? newView()
  ensure(v, fields.length)
  let at = 0
  for (let i = 0; i < fields.length; i++) {
    v.start[i] = at
    at += fields[i]!.length
    v.end[i] = at
  }
  v.text = fields.length === 1 ? fields[0]! : fields.join('')
  v.count = fields.length
  return v
}

/**
 * What the record reader hands over: a record (with the line it starts on) or the reason a record could not be
 * read. Returning false stops the read.
 *
 * @category reading
 * @since 0.2.0
 */
export interface RecordSink {
  readonly record: (fields: FieldView, line: number) => boolean
  readonly problem: (line: number, message: string) => boolean
}

/**
 * A CSV record reader over lines (see `lineSplitter`): `line` takes one line, `end` closes a quoted record left
 * open at the end of the source. Blank lines are skipped.
 *
 * @category reading
 * @since 0.2.0
 */
export interface CsvRecords {
  readonly line: (text: string, start: number, end: number, line: number) => boolean
  readonly end: () => boolean
  /** Inside a quoted field that spans lines: the next line belongs to it. */
  readonly busy: () => boolean
  /** Whether any record so far spanned lines, or began to (a line with an odd number of quotes). */
  readonly multiLine: () => boolean
}

/**
 * A new record reader cutting fields at `delimiter` (one character).
 *
 * @example
 * const got: Array<Array<string>> = []
 * const records = csvRecords(',', { record: (v) => (got.push(fieldTexts(v)), true), problem: () => true })
 * records.line('a,"b,\n', 0, 5, 1)
 * records.line('c",d', 0, 4, 2)
 * got // => [['a', 'b,\nc', 'd']]
 *
 * @category reading
 * @since 0.2.0
 */
export const csvRecords = (delimiter: string, sink: RecordSink): CsvRecords => {
  const view = newView()
  let pending: Array<string> | undefined
  let pendingLine = 0
  let quotes = 0
  let spanned = false
  // The next quote at or after the last line start in the last text seen (-1: none), found once per stretch of
  // text rather than once per line: chunks of plain lines have no quote at all.
  let quoteText = ''
  let quoteFrom = 0
  let quoteAt = -1

  const countQuotes = (text: string, start: number, end: number): number => {
    let n = 0
    for (let i = text.indexOf('"', start); i >= 0 && i < end; i = text.indexOf('"', i + 1)) n++
    return n
  }
  const parse = (text: string, line: number): boolean => {
    const reader = csvReader({ delimiter })
    const records = [...reader.push(text), ...reader.end()]
    const r = records[0]
    if (r === undefined) return true
    if (isCsvProblem(r)) return sink.problem(line, r.error)
    return sink.record(viewOfFields(r.fields, view), line)
  }
  const plain = (text: string, start: number, end: number, line: number): boolean => {
    let count = 0
    let from = start
    for (;;) {
      const at = text.indexOf(delimiter, from)
      const stop = at < 0 || at >= end ? end : at
      if (count === view.start.length) ensure(view, count + 1)
      view.start[count] = from
      view.end[count] = stop
      count++
      if (stop === end) break
      from = stop + 1
    }
    view.text = text
    view.count = count
    return sink.record(view, line)
  }

  const onLine = (text: string, start: number, end: number, line: number): boolean => {
    if (pending !== undefined) {
      pending.push(text.slice(start, end))
      quotes += countQuotes(text, start, end)
      if (quotes % 2 === 1) return true
      const whole = pending.join('\n')
      pending = undefined
      return parse(whole, pendingLine)
    }
    if (end === start) return true
    if (text !== quoteText || start < quoteFrom || (quoteAt >= 0 && quoteAt < start)) {
      quoteText = text
      quoteFrom = start
      quoteAt = text.indexOf('"', start)
    }
    if (quoteAt < 0 || quoteAt >= end) return plain(text, start, end, line)
    quotes = countQuotes(text, start, end)
    if (quotes % 2 === 1) {
      spanned = true
      pending = [text.slice(start, end)]
      pendingLine = line
      return true
    }
    return parse(text.slice(start, end), line)
  }

  const end = (): boolean => {
    if (pending === undefined) return true
    const whole = pending.join('\n')
    pending = undefined
    return parse(whole, pendingLine)
  }

  return { line: onLine, end, busy: () => pending !== undefined, multiLine: () => spanned }
}
