/**
 * Reading, stage 3b (fields → **decoded rows**): one decoder per kind, reading each cell in place from a CSV
 * `FieldView` or from a parsed JSON object. Plain cells (digits, ISO timestamps of the common shape, 0/1
 * markers, known channel tokens) are read from character codes; every other cell, and so every error message,
 * goes through the io-ts codecs of `codec.ts`, which stay the definition of what a cell means. A property test
 * holds the two routes to the same rows and messages.
 *
 * A decoder returns `undefined` and fills its `row` when the line is good, or the line's error (every bad cell
 * named by its column, the value seen and the line), so the hot loop allocates nothing per good line.
 *
 * @module
 */
import * as t from 'io-ts'
import { invalidInput, type Issue, type TouchpointError } from '../../core/errors'
import { Amount, ChannelCell, ConversionMarker, OptionalAmount, Timestamp, UserId } from '../codec'
import { isSpace, optionalDecimal, plainDecimal } from '../internal/text'
import { epochMs, isoFast, type TimeUnit } from '../internal/time'
import { fieldText, fieldTexts, type FieldView } from './fields'
import type { ConversionRule, EventSemantics, PathColumns } from './settings'
import { detached, hasName, tokenTable } from './tokens'

// Success never reads the context, failure rebuilds the issue from the column name: a static context keeps the
// per-cell cost of io-ts to the validation itself.
const CONTEXT: t.Context = [{ key: '', type: t.unknown, actual: undefined }]

/** A cell through its codec; a failure adds an issue named after the column. */
const cell = <A>(codec: t.Decoder<unknown, A>, value: unknown, column: string, line: number, issues: Array<Issue>): A | undefined => {
  const r = codec.validate(value, CONTEXT)
  if (r._tag === 'Right') return r.right
  issues.push({ path: column, expected: r.left[0]?.message ?? codec.name, actual: value, line })
  return undefined
}

/** The issue of a CSV record that does not have the header's width. */
const widthIssue = (header: ReadonlyArray<string>, v: FieldView, line: number): Issue => ({
  path: '',
  expected: `${header.length} fields (${header.join(', ')})`,
  actual: `${v.count} field${v.count === 1 ? '' : 's'}: ${fieldTexts(v).join(',')}`,
  line,
})

/** The issue of a header that lacks a column. */
const missingColumn = (names: ReadonlyArray<string>, header: ReadonlyArray<string>, line: number): Issue => ({
  path: 'header',
  expected: `a column named ${names.map((n) => JSON.stringify(n)).join(' or ')}`,
  actual: header.join(','),
  line,
})

/**
 * The issues of columns read that the header names twice, in header order: which copy holds the data cannot be
 * told, and taking the first without a word is how a wrong answer starts. `read` holds the columns' indexes (-1:
 * absent); `shown` is the header as the file has it (the journey readers and the costs CSV share this check).
 *
 * @internal
 */
export const repeatedColumns = (header: ReadonlyArray<string>, read: ReadonlyArray<number>, line: number, shown: string = header.join(',')): ReadonlyArray<Issue> =>
  [...new Set(read.filter((i) => i >= 0).sort((a, b) => a - b).map((i) => header[i]!))]
    .filter((name) => header.indexOf(name) !== header.lastIndexOf(name))
    .map((name) => ({ path: 'header', expected: `the column ${JSON.stringify(name)} once (it is read; rename or drop the other copy)`, actual: shown, line }))

/**
 * Where a column sits in a header: its exact name, else (a dotted name) the name with `_` for `.`, as flattened
 * exports write `collected_traffic_source.manual_source`; -1 when absent.
 *
 * @category reading
 * @since 0.2.0
 */
export const columnIndex = (header: ReadonlyArray<string>, name: string): number => {
  const i = header.indexOf(name)
  return i >= 0 || !name.includes('.') ? i : header.indexOf(name.replace(/\./g, '_'))
}

/**
 * A field of a JSON object: its own property `name`, else (a dotted name) the nested field, as BigQuery's JSON
 * export writes GA4's records (`{"collected_traffic_source": {"manual_source": "google"}}`).
 *
 * @category reading
 * @since 0.2.0
 */
export const jsonField = (o: Readonly<Record<string, unknown>>, name: string): unknown => {
  if (Object.prototype.hasOwnProperty.call(o, name)) return o[name]
  if (!name.includes('.')) return undefined
  let at: unknown = o
  for (const part of name.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, part)) return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

/**
 * The header of a CSV file, trimmed.
 *
 * @category reading
 * @since 0.2.0
 */
export const headerOf = (v: FieldView): ReadonlyArray<string> => fieldTexts(v).map((h) => h.trim())

// ---------------------------------------------------------------------------------------------------------------
// Paths

/**
 * A decoded path row: channels as indexes from the reducer's `channelIndex`, in `ids[0, n)` (the array is
 * reused by the next row).
 *
 * @category reading
 * @since 0.2.0
 */
export interface PathRow {
  /** A plain array for ordinary paths; for a path of more than 4,096 touches, the decoder's own Int32Array. */
  ids: Array<number> | Int32Array
  n: number
  conversions: number
  value: number
  nulls: number
}

/**
 * A path decoder: `layout` reads a CSV header (a `Left`-like error when a required column is missing), `csv`
 * and `json` decode one row into `row`.
 *
 * @category reading
 * @since 0.2.0
 */
export interface PathDecoder {
  readonly row: PathRow
  /** The tokens of the last row read from CSV (raw text between separators, spaces and all) with their channels. */
  readonly eachToken: (f: (token: string, channel: number) => void) => void
  readonly layout: (header: ReadonlyArray<string>, line: number) => TouchpointError | undefined
  readonly csv: (v: FieldView, line: number) => TouchpointError | undefined
  readonly json: (o: Readonly<Record<string, unknown>>, line: number) => TouchpointError | undefined
  /**
   * The amounts of a JSON row (conversions, value, nulls) into `row`, its path aside: for a lane that reads the
   * path of a long record itself (src/files/jsonLane.ts). The error lists only the amounts' issues: the lane then
   * hands the line to `json`, which words them all.
   */
  readonly jsonAmounts: (o: Readonly<Record<string, unknown>>, line: number) => TouchpointError | undefined
}

/**
 * A decoder of aggregated-path rows (ChannelAttribution's format). Channel names are trimmed (inner spaces kept:
 * `" paid search >b"` is `paid search`, `b`), none may be empty; a bad row registers none of its channels, and
 * new channels are registered in path order.
 *
 * @category reading
 * @since 0.2.0
 */
export const pathDecoder = (columns: PathColumns, separator: string, intern: (name: string) => number): PathDecoder => {
  const expectedPath = `channel names separated by ${JSON.stringify(separator)} (none empty)`
  const tokens = tokenTable(intern)
  const idsByLength: Array<Array<number> | undefined> = []
  const row: PathRow = { ids: [], n: 0, conversions: 0, value: 0, nulls: 0 }
  let header: ReadonlyArray<string> = []
  let pathAt = -1
  let convAt = -1
  let valueAt = -1
  let nullsAt = -1
  // Per row: each token's id, or -1 - its start when it is new (its end is found again when it is registered):
  // 4 bytes per touch, grown as paths lengthen. A path of millions of touches kept three such arrays before.
  let tokenId = new Int32Array(64)
  // The path of the last row scanned: `text[pathStart, pathEnd)`.
  let pathStart = 0
  let pathEnd = 0
  const issues: Array<Issue> = []

  // A value with no conversion on its row has no meaning: rule-based credits would count it, channel sets and the
  // Markov chain (which weigh a row by its conversions and nulls) would not, and the SQL groups rows of one path
  // before weighing them. Refused, so every model and engine sees the same rows.
  const expectedValue = `0 or an empty cell where ${columns.conversions} is 0 (a conversion value needs conversions on the same row)`
  const valueWithoutConversions = (actual: unknown, line: number): Issue => ({ path: columns.value, expected: expectedValue, actual, line })

  const layout = (h: ReadonlyArray<string>, line: number): TouchpointError | undefined => {
    header = h
    pathAt = columnIndex(h, columns.path)
    convAt = columnIndex(h, columns.conversions)
    valueAt = columnIndex(h, columns.value)
    nullsAt = columnIndex(h, columns.nulls)
    const missing: Array<Issue> = []
    if (pathAt < 0) missing.push(missingColumn([columns.path], h, line))
    if (convAt < 0) missing.push(missingColumn([columns.conversions], h, line))
    missing.push(...repeatedColumns(h, [pathAt, convAt, valueAt, nullsAt], line))
    return missing.length > 0 ? invalidInput(missing) : undefined
  }

  const amount = (codec: t.Decoder<unknown, number>, optional: boolean, text: string, s: number, e: number, column: string, line: number): number => {
    const x = optional ? optionalDecimal(text, s, e) : plainDecimal(text, s, e)
    return x >= 0 ? x : (cell(codec, text.slice(s, e), column, line, issues) ?? 0)
  }

  /**
   * Room for more tokens of the path `[start, end)` scanned up to `at`: at least twice as much, and as many as the
   * path's remaining length holds at the token length seen so far (one copy for a path of millions of touches,
   * not twenty doublings of fresh memory).
   */
  const grow = (start: number, at: number, end: number) => {
    const seen = tokenId.length
    const estimate = Math.ceil((seen * (end - start)) / Math.max(1, at - start) * 1.05) + 64
    const b = new Int32Array(Math.max(seen * 2, Math.min(estimate, seen * 64)))
    b.set(tokenId)
    tokenId = b
  }

  /** The end of the token starting at `from` in the path last scanned (the scan's own rule). */
  const tokenEndAt = (text: string, from: number): number => {
    const stop = text.indexOf(separator, from)
    return stop < 0 || stop + separator.length > pathEnd ? pathEnd : stop
  }

  /** Finds the tokens of the path `text[start, end)`, registering none; false when a name is empty. */
  let tokenCount = 0
  const scanTokens = (text: string, start: number, end: number): boolean => {
    pathStart = start
    pathEnd = end
    const step = separator.length
    let ids = tokenId
    let count = 0
    let from = start
    for (;;) {
      let stop = text.indexOf(separator, from)
      if (stop < 0 || stop + step > end) stop = end
      if (count === ids.length) {
        grow(start, from, end)
        ids = tokenId
      }
      const id = tokens.find(text, from, stop)
      if (id < 0 && !hasName(text, from, stop)) return false
      ids[count++] = id >= 0 ? id : -1 - from
      if (stop === end) break
      from = stop + step
    }
    tokenCount = count
    return true
  }
  /** The tokens found into `row.ids`, new names registered in path order. */
  const commitTokens = (text: string): void => {
    const count = tokenCount
    const found = tokenId
    if (count > 4096) {
      // A path of thousands of touches is handed over in the Int32Array it was scanned into, resolved in place
      // (a plain array of 10 million numbers was 80 MB of fresh memory for one 100 MB line).
      for (let k = 0; k < count; k++) {
        const id = found[k]!
        if (id < 0) found[k] = tokens.add(text, -1 - id, tokenEndAt(text, -1 - id))
      }
      row.ids = found
      row.n = count
      return
    }
    // One plain array per path length, reused (the reducers' hot loops stay on one array shape).
    const ids = idsByLength[count] ?? (idsByLength[count] = new Array<number>(count).fill(0))
    for (let k = 0; k < count; k++) {
      const id = found[k]!
      ids[k] = id >= 0 ? id : tokens.add(text, -1 - id, tokenEndAt(text, -1 - id))
    }
    row.ids = ids
    row.n = count
  }
  const csv = (v: FieldView, line: number): TouchpointError | undefined => {
    if (v.count !== header.length) return invalidInput([widthIssue(header, v, line)])
    if (issues.length > 0) issues.length = 0
    const text = v.text
    // Every bad cell is listed, in column order; a bad row registers none of its channels.
    if (!scanTokens(text, v.start[pathAt]!, v.end[pathAt]!)) issues.push({ path: columns.path, expected: expectedPath, actual: fieldText(v, pathAt), line })
    const before = issues.length
    row.conversions = amount(Amount, false, text, v.start[convAt]!, v.end[convAt]!, columns.conversions, line)
    row.value = valueAt < 0 ? 0 : amount(OptionalAmount, true, text, v.start[valueAt]!, v.end[valueAt]!, columns.value, line)
    if (row.conversions === 0 && row.value > 0 && issues.length === before) issues.push(valueWithoutConversions(fieldText(v, valueAt), line))
    row.nulls = nullsAt < 0 ? 0 : amount(OptionalAmount, true, text, v.start[nullsAt]!, v.end[nullsAt]!, columns.nulls, line)
    if (issues.length > 0) return invalidInput(issues.slice())
    commitTokens(text)
    return undefined
  }

  /** The amounts of a JSON row into `row`; false (their issues pushed after any before) when one is bad. */
  const amountsOf = (o: Readonly<Record<string, unknown>>, line: number): boolean => {
    const before = issues.length
    const conversions = cell(Amount, jsonField(o, columns.conversions), columns.conversions, line, issues)
    const value = cell(OptionalAmount, jsonField(o, columns.value), columns.value, line, issues)
    if (conversions === 0 && value !== undefined && value > 0) issues.push(valueWithoutConversions(jsonField(o, columns.value), line))
    const nulls = cell(OptionalAmount, jsonField(o, columns.nulls), columns.nulls, line, issues)
    if (issues.length > before) return false
    row.conversions = conversions!
    row.value = value!
    row.nulls = nulls!
    return true
  }
  const jsonAmounts = (o: Readonly<Record<string, unknown>>, line: number): TouchpointError | undefined => {
    if (issues.length > 0) issues.length = 0
    return amountsOf(o, line) ? undefined : invalidInput(issues.slice())
  }

  const json = (o: Readonly<Record<string, unknown>>, line: number): TouchpointError | undefined => {
    if (issues.length > 0) issues.length = 0
    const p = jsonField(o, columns.path)
    const names = Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === 'string' && x.trim() !== '') ? (p as ReadonlyArray<string>) : undefined
    const pathOk = typeof p === 'string' ? scanTokens(p, 0, p.length) : names !== undefined
    if (!pathOk) issues.push({ path: columns.path, expected: expectedPath, actual: p, line })
    if (!amountsOf(o, line) || issues.length > 0) return invalidInput(issues.slice())
    // Registered only now: a bad row registers none of its channels.
    if (typeof p === 'string') commitTokens(p)
    else {
      const ids = idsByLength[names!.length] ?? (idsByLength[names!.length] = new Array<number>(names!.length).fill(0))
      for (let k = 0; k < names!.length; k++) ids[k] = intern(names![k]!.trim())
      row.ids = ids
      row.n = names!.length
    }
    return undefined
  }

  let lastText = ''
  const eachToken = (f: (token: string, channel: number) => void): void => {
    let from = pathStart
    for (let k = 0; k < row.n; k++) {
      const stop = tokenEndAt(lastText, from)
      f(lastText.slice(from, stop), row.ids[k]!)
      from = stop + separator.length
    }
  }

  return { row, layout, csv: (v, line) => ((lastText = v.text), csv(v, line)), json, jsonAmounts, eachToken }
}

// ---------------------------------------------------------------------------------------------------------------
// Events

/**
 * A decoded event row. `channel` is an index into the decoder's own channel table (`channelName`), -1 when the
 * row is no touch; `conversionTime` is NaN when the row gives none (the row's time is then the conversion's).
 *
 * @category reading
 * @since 0.2.0
 */
export interface EventRowOut {
  /** The user id is `userText.slice(userStart, userEnd)`: read in place, not cut out per row. */
  userText: string
  userStart: number
  userEnd: number
  time: number
  channel: number
  conversion: boolean
  conversionTime: number
  value: number
}

/**
 * An event decoder (see `pathDecoder`); `channelName` names the channel indexes it hands out.
 *
 * @category reading
 * @since 0.2.0
 */
export interface EventDecoder {
  readonly row: EventRowOut
  readonly layout: (header: ReadonlyArray<string>, line: number) => TouchpointError | undefined
  readonly csv: (v: FieldView, line: number) => TouchpointError | undefined
  readonly json: (o: Readonly<Record<string, unknown>>, line: number) => TouchpointError | undefined
  readonly channelName: (channel: number) => string
}

/** A cell that is not empty and has no space at either end (read in place; others go to the codecs). */
const tight = (text: string, s: number, e: number): boolean => e > s && !isSpace(text.charCodeAt(s)) && !isSpace(text.charCodeAt(e - 1))

/**
 * A timestamp cell in place: an ISO 8601 date-time of the common shape or epoch digits, in milliseconds; NaN for
 * anything else (the codec then decides).
 */
const fastTime = (text: string, s: number, e: number, unit: TimeUnit): number => {
  if (e === s) return Number.NaN
  const c0 = text.charCodeAt(s)
  if (e - s >= 16 && c0 >= 48 && c0 <= 57 && text.charCodeAt(s + 4) === 45) {
    const iso = isoFast(text, s, e)
    return iso === null || iso === undefined ? Number.NaN : iso
  }
  // `5.` and `.5` are not times to the codec; a sign or spaces go to it too.
  return c0 >= 48 && c0 <= 57 ? epochMs(text, s, e, unit) : Number.NaN
}

/**
 * A decoder of event rows under `semantics` (columns, conversion rule, time unit).
 *
 * @category reading
 * @since 0.2.0
 */
export const eventDecoder = (semantics: Pick<EventSemantics, 'columns' | 'conversion' | 'timeUnit'>): EventDecoder => {
  const { columns: names, conversion: rule, timeUnit } = semantics
  const time = Timestamp(timeUnit)
  const channels: Array<string> = []
  const byName = new Map<string, number>()
  const internChannel = (name: string): number => {
    let i = byName.get(name)
    if (i === undefined) {
      i = channels.length
      channels.push(name)
      byName.set(name, i)
    }
    return i
  }
  const tokens = tokenTable(internChannel)
  const conversionNames: ReadonlyArray<string> = rule._tag === 'Events' ? rule.names : []
  const row: EventRowOut = { userText: '', userStart: 0, userEnd: 0, time: 0, channel: -1, conversion: false, conversionTime: Number.NaN, value: 0 }
  const setUser = (text: string, start: number, end: number) => {
    row.userText = text
    row.userStart = start
    row.userEnd = end
  }
  const issues: Array<Issue> = []
  let header: ReadonlyArray<string> = []
  let userAt: ReadonlyArray<number> = []
  let userNames: ReadonlyArray<string> = []
  let channelAt: ReadonlyArray<number> = []
  let timeAt = -1
  let markerAt = -1
  let eventAt = -1
  let valueAt = -1
  let conversionTimeAt = -1

  const layout = (h: ReadonlyArray<string>, line: number): TouchpointError | undefined => {
    header = h
    const missing: Array<Issue> = []
    const present = (list: ReadonlyArray<string>) => list.map((n) => [n, columnIndex(h, n)] as const).filter(([, i]) => i >= 0)
    const users = present(names.user)
    userAt = users.map(([, i]) => i)
    userNames = users.map(([n]) => n)
    if (users.length === 0) missing.push(missingColumn(names.user, h, line))
    timeAt = columnIndex(h, names.time)
    if (timeAt < 0) missing.push(missingColumn([names.time], h, line))
    const parts = present(names.channel)
    channelAt = parts.map(([, i]) => i)
    if (parts.length === 0) missing.push(missingColumn(names.channel, h, line))
    markerAt = columnIndex(h, names.conversion)
    eventAt = columnIndex(h, names.event)
    valueAt = columnIndex(h, names.value)
    if (rule._tag === 'Marker' && markerAt < 0) missing.push(missingColumn([names.conversion], h, line))
    if (rule._tag === 'Events' && eventAt < 0) missing.push(missingColumn([names.event], h, line))
    if (rule._tag === 'Value' && valueAt < 0) missing.push(missingColumn([names.value], h, line))
    if (names.conversionTime !== undefined) {
      conversionTimeAt = columnIndex(h, names.conversionTime)
      if (conversionTimeAt < 0) missing.push(missingColumn([names.conversionTime], h, line))
    }
    missing.push(...repeatedColumns(h, [...userAt, timeAt, ...channelAt, markerAt, eventAt, valueAt, conversionTimeAt], line))
    return missing.length > 0 ? invalidInput(missing) : undefined
  }

  /** The conversion flag from an event name (trimmed, compared exactly). */
  const isConversionName = (text: string, s: number, e: number): boolean => {
    let from = s
    let to = e
    while (from < to && isSpace(text.charCodeAt(from))) from++
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--
    for (const n of conversionNames) if (n.length === to - from && text.startsWith(n, from)) return true
    return false
  }

  /** The parts of a channel spread over several columns: the non-empty ones, trimmed, joined with " / ". */
  const joinedChannel = (parts: ReadonlyArray<string>): number => {
    const kept = parts.map((p) => p.trim()).filter((p) => p !== '')
    return kept.length === 0 ? -1 : internChannel(detached(kept.join(' / ')))
  }

  // A value on a row that is no conversion: under the marker the row contradicts itself (refused, as a path row
  // with a value and no conversions is); under conversion events it is that event's own value (GA4 sends one with
  // add_to_cart), no conversion value, and is read as 0. The SQL compiler does the same (sql/journeys.ts eventOk).
  const valueWithoutConversion = (actual: unknown, line: number): Issue => ({
    path: names.value,
    expected: `0 or an empty cell where ${names.conversion} marks no conversion (a conversion value needs a conversion on the same row)`,
    actual,
    line,
  })

  /** Fills `row.conversion` and `row.conversionTime` once user, time, channel and value are read. */
  const settle = (conversion: boolean, conversionTime: number, line: number): TouchpointError | undefined => {
    row.conversion = conversion
    row.conversionTime = conversionTime
    if (conversion && conversionTime < row.time) {
      issues.push({ path: names.conversionTime ?? names.time, expected: `a conversion time not before the row's ${names.time}`, actual: new Date(conversionTime).toISOString(), line })
    }
    return issues.length > 0 ? invalidInput(issues.slice()) : undefined
  }

  const csv = (v: FieldView, line: number): TouchpointError | undefined => {
    if (v.count !== header.length) return invalidInput([widthIssue(header, v, line)])
    if (issues.length > 0) issues.length = 0
    const text = v.text
    const { start, end } = v
    // User: the first non-empty of its columns.
    if (userAt.length === 1) {
      const s = start[userAt[0]!]!
      const e = end[userAt[0]!]!
      if (tight(text, s, e)) setUser(text, s, e)
      else {
        const u = cell(UserId, text.slice(s, e), userNames[0]!, line, issues) ?? ''
        setUser(u, 0, u.length)
      }
    } else {
      let found = false
      for (const i of userAt) {
        const u = text.slice(start[i]!, end[i]!).trim()
        if (u !== '') {
          setUser(u, 0, u.length)
          found = true
          break
        }
      }
      if (!found) cell(UserId, '', userNames[0]!, line, issues)
    }
    const ts = start[timeAt]!
    const te = end[timeAt]!
    let when = fastTime(text, ts, te, timeUnit)
    if (Number.isNaN(when)) when = cell(time, text.slice(ts, te), names.time, line, issues) ?? 0
    // Channel: one column read as a token in place, or the parts of several joined.
    let channel = -1
    if (channelAt.length === 1) {
      const s = start[channelAt[0]!]!
      const e = end[channelAt[0]!]!
      if (e > s) {
        channel = tokens.find(text, s, e)
        if (channel < 0) channel = hasName(text, s, e) ? tokens.add(text, s, e) : -1
      }
    } else {
      channel = joinedChannel(channelAt.map((i) => text.slice(start[i]!, end[i]!)))
    }
    // The marker before the value: issues are listed in column order (user, time, channel, conversion, value).
    let conversion = false
    const beforeMarker = issues.length
    if (rule._tag === 'Marker') {
      const s = start[markerAt]!
      const e = end[markerAt]!
      const c = text.charCodeAt(s)
      if (e === s) conversion = false
      else if (e === s + 1 && (c === 48 || c === 49)) conversion = c === 49
      else conversion = cell(ConversionMarker, text.slice(s, e), names.conversion, line, issues) ?? false
    }
    let value = 0
    if (valueAt >= 0) {
      const s = start[valueAt]!
      const e = end[valueAt]!
      value = optionalDecimal(text, s, e)
      if (value < 0) value = cell(OptionalAmount, text.slice(s, e), names.value, line, issues) ?? 0
    }
    if (rule._tag === 'Events') conversion = isConversionName(text, start[eventAt]!, end[eventAt]!)
    else if (rule._tag === 'Value') conversion = value > 0
    if (!conversion && value > 0) {
      if (rule._tag !== 'Marker') value = 0
      else if (issues.length === beforeMarker) issues.push(valueWithoutConversion(text.slice(start[valueAt]!, end[valueAt]!), line))
    }
    let conversionTime = Number.NaN
    if (conversionTimeAt >= 0 && conversion) {
      const s = start[conversionTimeAt]!
      const e = end[conversionTimeAt]!
      if (hasName(text, s, e)) {
        conversionTime = fastTime(text, s, e, timeUnit)
        if (Number.isNaN(conversionTime)) conversionTime = cell(time, text.slice(s, e), names.conversionTime!, line, issues) ?? Number.NaN
      }
    }
    row.time = when
    row.channel = channel
    row.value = value
    return settle(conversion, conversionTime, line)
  }

  const json = (o: Readonly<Record<string, unknown>>, line: number): TouchpointError | undefined => {
    if (issues.length > 0) issues.length = 0
    let user: string | undefined
    if (names.user.length === 1) user = cell(UserId, jsonField(o, names.user[0]!), names.user[0]!, line, issues)
    else {
      for (const n of names.user) {
        const u = jsonField(o, n)
        if (u === null || u === undefined || (typeof u === 'string' && u.trim() === '')) continue
        user = cell(UserId, u, n, line, issues)
        break
      }
      if (user === undefined && issues.length === 0) cell(UserId, undefined, names.user[0]!, line, issues)
    }
    const when = cell(time, jsonField(o, names.time), names.time, line, issues) ?? 0
    let channel = -1
    if (names.channel.length === 1) {
      const c = cell(ChannelCell, jsonField(o, names.channel[0]!), names.channel[0]!, line, issues)
      channel = c === undefined || c === '' ? -1 : internChannel(detached(c))
    } else {
      const parts: Array<string> = []
      for (const n of names.channel) {
        const c = cell(ChannelCell, jsonField(o, n), n, line, issues)
        if (c !== undefined) parts.push(c)
      }
      channel = joinedChannel(parts)
    }
    const beforeMarker = issues.length
    const marker = rule._tag === 'Marker' ? (cell(ConversionMarker, jsonField(o, names.conversion), names.conversion, line, issues) ?? false) : false
    let value = cell(OptionalAmount, jsonField(o, names.value), names.value, line, issues) ?? 0
    const conversion = rule._tag === 'Marker' ? marker : conversionOfJson(rule, o, value)
    if (!conversion && value > 0) {
      if (rule._tag !== 'Marker') value = 0
      else if (issues.length === beforeMarker) issues.push(valueWithoutConversion(jsonField(o, names.value), line))
    }
    let conversionTime = Number.NaN
    if (names.conversionTime !== undefined && conversion) {
      const c = jsonField(o, names.conversionTime)
      if (!(c === null || c === undefined || (typeof c === 'string' && c.trim() === ''))) conversionTime = cell(time, c, names.conversionTime, line, issues) ?? Number.NaN
    }
    const u = user ?? ''
    setUser(u, 0, u.length)
    row.time = when
    row.channel = channel
    row.value = value
    return settle(conversion, conversionTime, line)
  }

  const conversionOfJson = (r: ConversionRule, o: Readonly<Record<string, unknown>>, value: number): boolean => {
    if (r._tag === 'Value') return value > 0
    const e = jsonField(o, names.event)
    return typeof e === 'string' && conversionNames.includes(e.trim())
  }

  return { row, layout, csv, json, channelName: (c) => channels[c]! }
}
