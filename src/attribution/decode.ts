/**
 * Decoding input rows, one line at a time: aggregated paths (ChannelAttribution's format) and event-level
 * touches, from CSV fields or JSONL text. Every decoder is pure and returns an `Either` per line whose issues
 * carry the line number and the column, so a reader can stop at the first bad line or skip it and count.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { plainDecimal } from './internal/text'
import { Amount, ChannelCell, ConversionMarker, IndexedPathCodec, OptionalAmount, PathCodec, Timestamp, UserId } from './codec'
import type { Journey, PositionWeights, Settings } from './model'
import { DEFAULT_SETTINGS } from './model'

/**
 * Column names of an aggregated-path file; defaults are ChannelAttribution's (`path`, `total_conversions`,
 * `total_conversion_value`, `total_null`). Value and null columns are optional in the file.
 *
 * @category decode
 * @since 0.1.0
 */
export interface PathColumns {
  readonly path: string
  readonly conversions: string
  readonly value: string
  readonly nulls: string
}

/** @category decode @since 0.1.0 */
export const DEFAULT_PATH_COLUMNS: PathColumns = { path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null' }

/**
 * Column names of an event file: one touch per line.
 *
 * @category decode
 * @since 0.1.0
 */
export interface EventColumns {
  readonly user: string
  readonly time: string
  readonly channel: string
  readonly conversion: string
  readonly value: string
}

/** @category decode @since 0.1.0 */
export const DEFAULT_EVENT_COLUMNS: EventColumns = { user: 'user_id', time: 'timestamp', channel: 'channel', conversion: 'conversion', value: 'conversion_value' }

/**
 * Where each column sits in a CSV file (`-1`: absent), found from its header row.
 *
 * @category decode
 * @since 0.1.0
 */
export interface Layout<K extends string> {
  readonly width: number
  readonly header: ReadonlyArray<string>
  readonly index: Readonly<Record<K, number>>
  readonly names: Readonly<Record<K, string>>
}

const layoutOf =
  <K extends string>(required: ReadonlyArray<K>, optional: ReadonlyArray<K>, names: Readonly<Record<K, string>>) =>
  (header: ReadonlyArray<string>, line = 1): E.Either<TouchpointError, Layout<K>> => {
    const trimmed = header.map((h) => h.trim())
    const index = {} as Record<K, number>
    const issues: Array<Issue> = []
    for (const k of [...required, ...optional]) {
      const i = trimmed.indexOf(names[k])
      index[k] = i
      if (i < 0 && required.includes(k)) {
        issues.push({ ...issue(`header`, `a column named ${JSON.stringify(names[k])}`, trimmed.join(',')), line })
      }
    }
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right({ width: trimmed.length, header: trimmed, index, names })
  }

/**
 * The layout of a path file from its header row; `Left` names each required column that is missing.
 *
 * @example
 * pathLayout(DEFAULT_PATH_COLUMNS)(['path', 'total_conversions']) // => right({ width: 2, index: { path: 0, conversions: 1, value: -1, nulls: -1 }, ... })
 *
 * @category decode
 * @since 0.1.0
 */
export const pathLayout = (columns: PathColumns = DEFAULT_PATH_COLUMNS) =>
  layoutOf<keyof PathColumns>(['path', 'conversions'], ['value', 'nulls'], columns)

/**
 * The layout of an event file from its header row (the value column is optional).
 *
 * @category decode
 * @since 0.1.0
 */
export const eventLayout = (columns: EventColumns = DEFAULT_EVENT_COLUMNS) =>
  layoutOf<keyof EventColumns>(['user', 'time', 'channel', 'conversion'], ['value'], columns)

// Success never reads the context, failure rebuilds the issue from the column name: a static context keeps the
// per-line cost of io-ts to the validation itself.
const CONTEXT: t.Context = [{ key: '', type: t.unknown, actual: undefined }]

const cell = <A>(codec: t.Decoder<unknown, A>, value: unknown, column: string, line: number, issues: Array<Issue>): A | undefined => {
  const r = codec.validate(value, CONTEXT)
  if (r._tag === 'Right') return r.right
  issues.push({ path: column, expected: r.left[0]?.message ?? codec.name, actual: value, line })
  return undefined
}

const widthIssue = (layout: Layout<string>, fields: ReadonlyArray<string>, line: number): Issue => ({
  path: '',
  expected: `${layout.width} fields (${layout.header.join(', ')})`,
  actual: `${fields.length} field${fields.length === 1 ? '' : 's'}: ${fields.join(',')}`,
  line,
})

/**
 * A decoder of one path row's CSV fields into a journey standing for its conversions and nulls.
 *
 * @example
 * const layout = pathLayout()(['path', 'total_conversions', 'total_null'])
 * pipe(layout, E.map((l) => decodePathFields(l)(['a > b', '2', '5'], 2)))
 * // => right(right({ channels: ['a', 'b'], conversions: 2, value: 0, nulls: 5 }))
 *
 * @category decode
 * @since 0.1.0
 */
export const decodePathFields = (layout: Layout<keyof PathColumns>, separator = '>') => {
  const path = PathCodec(separator)
  const { index, names } = layout
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, Journey> => {
    if (fields.length !== layout.width) return E.left(invalidInput([widthIssue(layout, fields, line)]))
    const issues: Array<Issue> = []
    const channels = cell(path, fields[index.path], names.path, line, issues)
    const conversions = cell(Amount, fields[index.conversions], names.conversions, line, issues)
    const value = index.value < 0 ? 0 : cell(OptionalAmount, fields[index.value], names.value, line, issues)
    const nulls = index.nulls < 0 ? 0 : cell(OptionalAmount, fields[index.nulls], names.nulls, line, issues)
    if (issues.length > 0) return E.left(invalidInput(issues))
    return E.right({ channels: channels!, conversions: conversions!, value: value!, nulls: nulls! })
  }
}

/**
 * A decoded path row with channels as indexes (see `decodePathFieldsIndexed`).
 *
 * @category decode
 * @since 0.1.0
 */
export interface IndexedPath {
  readonly channels: ReadonlyArray<number>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
}

/**
 * `decodePathFields` for the hot loop: channels come back as indexes from `intern` (an accumulator's
 * `channelIndex`), ready for `Accumulator.addIndexed`. The channel array is reused by the next call.
 *
 * @example
 * const acc = accumulator(DEFAULT_SETTINGS)
 * const decode = decodePathFieldsIndexed(layout, '>', acc.channelIndex)
 * pipe(decode(['a > b', '1', '', '0'], 2), E.map((p) => acc.addIndexed(p.channels, p.channels.length, p.conversions, p.value, p.nulls)))
 *
 * @category decode
 * @since 0.1.0
 */
export const decodePathFieldsIndexed = (layout: Layout<keyof PathColumns>, separator: string, intern: (name: string) => number) => {
  const path = IndexedPathCodec(separator, intern)
  const { index, names } = layout
  // One issues array for every line (copied on failure): no allocation on the path of a good line.
  const issues: Array<Issue> = []
  // Plain decimals (nearly every cell) are read without io-ts; anything else, and every error, goes through the
  // codecs, so results and messages are those of `Amount` and `OptionalAmount`.
  const amount = (codec: t.Decoder<unknown, number>, text: string, column: string, line: number): number | undefined => {
    const x = plainDecimal(text, 0, text.length)
    return x >= 0 ? x : cell(codec, text, column, line, issues)
  }
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, IndexedPath> => {
    if (fields.length !== layout.width) return E.left(invalidInput([widthIssue(layout, fields, line)]))
    if (issues.length > 0) issues.length = 0
    const conversions = amount(Amount, fields[index.conversions]!, names.conversions, line)
    const value = index.value < 0 ? 0 : amount(OptionalAmount, fields[index.value]!, names.value, line)
    const nulls = index.nulls < 0 ? 0 : amount(OptionalAmount, fields[index.nulls]!, names.nulls, line)
    // The path last: a bad row must not register its channels.
    const channels = issues.length > 0 ? undefined : cell(path, fields[index.path], names.path, line, issues)
    if (issues.length > 0) return E.left(invalidInput(issues.slice()))
    return E.right({ channels: channels!, conversions: conversions!, value: value!, nulls: nulls! })
  }
}

const parseJsonObject = (text: string, line: number): E.Either<TouchpointError, Readonly<Record<string, unknown>>> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return E.left(invalidInput([{ path: '', expected: 'a JSON object', actual: text.length > 60 ? `${text.slice(0, 59)}…` : text, line }]))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return E.left(invalidInput([{ path: '', expected: 'a JSON object', actual: value, line }]))
  return E.right(value as Record<string, unknown>)
}

/**
 * A decoder of one JSONL path line: `{"path": "a > b" | ["a", "b"], "total_conversions": 2, ...}`.
 *
 * @category decode
 * @since 0.1.0
 */
export const decodePathJson = (columns: PathColumns = DEFAULT_PATH_COLUMNS, separator = '>') => {
  const path = PathCodec(separator)
  return (text: string, line: number): E.Either<TouchpointError, Journey> => {
    const o = parseJsonObject(text, line)
    if (E.isLeft(o)) return o
    const r = o.right
    const issues: Array<Issue> = []
    const channels = cell(path, r[columns.path], columns.path, line, issues)
    const conversions = cell(Amount, r[columns.conversions], columns.conversions, line, issues)
    const value = cell(OptionalAmount, r[columns.value], columns.value, line, issues)
    const nulls = cell(OptionalAmount, r[columns.nulls], columns.nulls, line, issues)
    if (issues.length > 0) return E.left(invalidInput(issues))
    return E.right({ channels: channels!, conversions: conversions!, value: value!, nulls: nulls! })
  }
}

/**
 * One decoded event: a touch on `channel` (empty: a conversion hit that is no touch), possibly converting.
 *
 * @category decode
 * @since 0.1.0
 */
export interface EventRow {
  readonly user: string
  readonly time: number
  readonly channel: string
  readonly conversion: boolean
  readonly value: number
}

const eventIssues = (row: EventRow, channelColumn: string, line: number): ReadonlyArray<Issue> =>
  row.channel === '' && !row.conversion ? [{ path: channelColumn, expected: 'a channel name (only a conversion row may leave it empty)', actual: '', line }] : []

/**
 * A decoder of one event row's CSV fields. Timestamps are ISO 8601 (no offset: UTC) or epoch numbers in
 * `timeUnit` (default milliseconds).
 *
 * @example
 * const layout = eventLayout()(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value'])
 * pipe(layout, E.map((l) => decodeEventFields(l)(['u1', '2026-01-02T00:00:00Z', 'email', '1', '30'], 2)))
 * // => right(right({ user: 'u1', time: 1767312000000, channel: 'email', conversion: true, value: 30 }))
 *
 * @category decode
 * @since 0.1.0
 */
export const decodeEventFields = (layout: Layout<keyof EventColumns>, timeUnit: 'ms' | 's' = 'ms') => {
  const time = Timestamp(timeUnit)
  const { index, names } = layout
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, EventRow> => {
    if (fields.length !== layout.width) return E.left(invalidInput([widthIssue(layout, fields, line)]))
    const issues: Array<Issue> = []
    const user = cell(UserId, fields[index.user], names.user, line, issues)
    const when = cell(time, fields[index.time], names.time, line, issues)
    const channel = cell(ChannelCell, fields[index.channel], names.channel, line, issues)
    const conversion = cell(ConversionMarker, fields[index.conversion], names.conversion, line, issues)
    const value = index.value < 0 ? 0 : cell(OptionalAmount, fields[index.value], names.value, line, issues)
    if (issues.length > 0) return E.left(invalidInput(issues))
    const row: EventRow = { user: user!, time: when!, channel: channel!, conversion: conversion!, value: value! }
    const bad = eventIssues(row, names.channel, line)
    return bad.length > 0 ? E.left(invalidInput(bad)) : E.right(row)
  }
}

/**
 * A decoder of one JSONL event line, fields named by `columns`.
 *
 * @category decode
 * @since 0.1.0
 */
export const decodeEventJson = (columns: EventColumns = DEFAULT_EVENT_COLUMNS, timeUnit: 'ms' | 's' = 'ms') => {
  const time = Timestamp(timeUnit)
  return (text: string, line: number): E.Either<TouchpointError, EventRow> => {
    const o = parseJsonObject(text, line)
    if (E.isLeft(o)) return o
    const r = o.right
    const issues: Array<Issue> = []
    const user = cell(UserId, r[columns.user], columns.user, line, issues)
    const when = cell(time, r[columns.time], columns.time, line, issues)
    const channel = cell(ChannelCell, r[columns.channel], columns.channel, line, issues)
    const conversion = cell(ConversionMarker, r[columns.conversion], columns.conversion, line, issues)
    const value = cell(OptionalAmount, r[columns.value], columns.value, line, issues)
    if (issues.length > 0) return E.left(invalidInput(issues))
    const row: EventRow = { user: user!, time: when!, channel: channel!, conversion: conversion!, value: value! }
    const bad = eventIssues(row, columns.channel, line)
    return bad.length > 0 ? E.left(invalidInput(bad)) : E.right(row)
  }
}

/**
 * Settings from partial input, defaults filled in and checked: order an integer 1 to 4, position weights >= 0
 * with a positive sum, half-life > 0, direct channel names non-empty.
 *
 * @example
 * makeSettings({ order: 2 }) // => right({ order: 2, position: { first: 0.4, middle: 0.2, last: 0.4 }, ... })
 * makeSettings({ order: 5 }) // => left('order: expected an integer from 1 to 4, got 5')
 *
 * @category decode
 * @since 0.1.0
 */
export const makeSettings = (input: {
  readonly order?: number
  readonly position?: PositionWeights
  readonly halfLifeMs?: number
  readonly direct?: ReadonlyArray<string>
}): E.Either<TouchpointError, Settings> => {
  const s: Settings = {
    order: input.order ?? DEFAULT_SETTINGS.order,
    position: input.position ?? DEFAULT_SETTINGS.position,
    halfLifeMs: input.halfLifeMs ?? DEFAULT_SETTINGS.halfLifeMs,
    direct: input.direct ?? DEFAULT_SETTINGS.direct,
  }
  const issues: Array<Issue> = []
  if (!(Number.isInteger(s.order) && s.order >= 1 && s.order <= 4)) issues.push(issue('order', 'an integer from 1 to 4', s.order))
  const { first, middle, last } = s.position
  if (![first, middle, last].every((w) => Number.isFinite(w) && w >= 0) || !(first + middle + last > 0)) {
    issues.push(issue('position', 'first, middle and last weights >= 0, not all 0', s.position))
  }
  if (!(Number.isFinite(s.halfLifeMs) && s.halfLifeMs > 0)) issues.push(issue('halfLifeMs', 'a half-life > 0', s.halfLifeMs))
  s.direct.forEach((d, i) => {
    if (typeof d !== 'string' || d.trim() === '') issues.push(issue(`direct[${i}]`, 'a non-empty channel name', d))
  })
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(s)
}
