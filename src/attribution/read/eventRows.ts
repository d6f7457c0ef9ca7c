/**
 * The event row decoder (`eventDecoder`): user, time, channel and conversion cells read in place, with the plain
 * time shapes read from character codes, and a channel table of its own.
 *
 * @module
 */
import { invalidInput, type Issue, type TouchpointError } from '../../core/errors'
import { ChannelCell, ConversionMarker, OptionalAmount, Timestamp, UserId } from '../codec'
import { isSpace, optionalDecimal } from '../internal/text'
import { epochMs, isoFast, type TimeUnit } from '../internal/time'
import { type FieldView } from './fields'
import type { ConversionRule, EventSemantics } from './settings'
import { detached, hasName, tokenTable } from './tokens'
import { cell, columnIndex, jsonField, missingColumn, repeatedColumns, widthIssue } from './rowCells'

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
