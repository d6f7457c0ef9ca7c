/**
 * Decoding input rows one at a time, for callers holding fields or lines: aggregated paths (ChannelAttribution's
 * format) and event-level touches, from CSV fields or JSONL text, through the reading pipeline's decoders
 * (src/attribution/read/rows.ts). Every decoder is pure and returns an `Either` per line whose issues carry the
 * line number and the column, so a caller can stop at the first bad line or skip it and count.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { TimeUnit } from './internal/time'
import type { Journey, PositionWeights, Settings } from './model'
import { DEFAULT_SETTINGS } from './model'
import { viewOfFields } from './read/fields'
import { parseJsonObject } from './read/json'
import { columnIndex, eventDecoder, pathDecoder, type EventDecoder } from './read/rows'
import { DEFAULT_PATH_COLUMNS as READ_PATH_COLUMNS, type PathColumns as ReadPathColumns } from './read/settings'

/**
 * Column names of an aggregated-path file; defaults are ChannelAttribution's (`path`, `total_conversions`,
 * `total_conversion_value`, `total_null`). Value and null columns are optional in the file.
 *
 * @category decode
 * @since 0.1.0
 */
export type PathColumns = ReadPathColumns

/** @category decode @since 0.1.0 */
export const DEFAULT_PATH_COLUMNS: PathColumns = READ_PATH_COLUMNS

/**
 * Column names of an event file with a conversion marker column: one touch per line. (`readSettings` takes more:
 * several user or channel columns, an event-name predicate, a conversion-time column.)
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

const layoutWith =
  <K extends string>(names: Readonly<Record<K, string>>, check: (header: ReadonlyArray<string>, line: number) => TouchpointError | undefined) =>
  (header: ReadonlyArray<string>, line = 1): E.Either<TouchpointError, Layout<K>> => {
    const trimmed = header.map((h) => h.trim())
    const problem = check(trimmed, line)
    if (problem !== undefined) return E.left(problem)
    const index = {} as Record<K, number>
    for (const k of Object.keys(names) as Array<K>) index[k] = columnIndex(trimmed, names[k])
    return E.right({ width: trimmed.length, header: trimmed, index, names })
  }

const eventSemantics = (columns: EventColumns, timeUnit: TimeUnit) => ({
  columns: { user: [columns.user], time: columns.time, channel: [columns.channel], conversion: columns.conversion, event: 'event_name', value: columns.value },
  conversion: { _tag: 'Marker' } as const,
  timeUnit,
})

/**
 * The layout of a path file from its header row; `Left` names each required column that is missing.
 *
 * @example
 * pathLayout(DEFAULT_PATH_COLUMNS)(['path', 'total_conversions']) // => right({ width: 2, index: { path: 0, conversions: 1, value: -1, nulls: -1 }, ... })
 *
 * @category decode
 * @since 0.1.0
 */
export const pathLayout = (columns: PathColumns = DEFAULT_PATH_COLUMNS) => layoutWith<keyof PathColumns>(columns, pathDecoder(columns, '>', () => 0).layout)

/**
 * The layout of an event file from its header row (the value column is optional).
 *
 * @category decode
 * @since 0.1.0
 */
export const eventLayout = (columns: EventColumns = DEFAULT_EVENT_COLUMNS) => layoutWith<keyof EventColumns>(columns, eventDecoder(eventSemantics(columns, 'ms')).layout)

/** A path decoder naming its channels itself (for the decoders below, which hand out names). */
const namedPathDecoder = (columns: PathColumns, separator: string) => {
  const names: Array<string> = []
  const index = new Map<string, number>()
  const d = pathDecoder(columns, separator, (name) => {
    let i = index.get(name)
    if (i === undefined) {
      i = names.length
      names.push(name)
      index.set(name, i)
    }
    return i
  })
  const journey = (): Journey => ({ channels: d.row.ids.slice(0, d.row.n).map((i) => names[i]!), conversions: d.row.conversions, value: d.row.value, nulls: d.row.nulls })
  return { d, journey }
}

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
  const { d, journey } = namedPathDecoder(layout.names, separator)
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, Journey> => {
    const problem = d.csv(viewOfFields(fields), line)
    return problem === undefined ? E.right(journey()) : E.left(problem)
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
 * `decodePathFields` with channels as indexes from `intern` (an accumulator's `channelIndex`), ready for
 * `Accumulator.addIndexed`. The channel array is reused by the next call.
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
  const d = pathDecoder(layout.names, separator, intern)
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, IndexedPath> => {
    const problem = d.csv(viewOfFields(fields), line)
    if (problem !== undefined) return E.left(problem)
    const r = d.row
    return E.right({ channels: r.ids.length === r.n ? r.ids : r.ids.slice(0, r.n), conversions: r.conversions, value: r.value, nulls: r.nulls })
  }
}

/**
 * A decoder of one JSONL path line: `{"path": "a > b" | ["a", "b"], "total_conversions": 2, ...}`. A key given
 * twice in a line is an error (JSON.parse would keep the last without a word).
 *
 * @category decode
 * @since 0.1.0
 */
export const decodePathJson = (columns: PathColumns = DEFAULT_PATH_COLUMNS, separator = '>') => {
  const { d, journey } = namedPathDecoder(columns, separator)
  return (text: string, line: number): E.Either<TouchpointError, Journey> =>
    pipe(
      parseJsonObject(text, line),
      E.flatMap((o) => {
        const problem = d.json(o, line)
        return problem === undefined ? E.right(journey()) : E.left(problem)
      }),
    )
}

/**
 * One decoded event: a touch on `channel` (empty: a conversion hit that is no touch), possibly converting, at
 * `conversionTime` when the row gives the conversion its own time.
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
  readonly conversionTime?: number
}

const eventRowOf = (d: EventDecoder): EventRow => {
  const r = d.row
  return {
    user: r.userText.slice(r.userStart, r.userEnd),
    time: r.time,
    channel: r.channel < 0 ? '' : d.channelName(r.channel),
    conversion: r.conversion,
    value: r.value,
    ...(Number.isNaN(r.conversionTime) ? {} : { conversionTime: r.conversionTime }),
  }
}

/**
 * A decoder of one event row's CSV fields. Timestamps are ISO 8601 (no offset: UTC) or epoch numbers in
 * `timeUnit` (default milliseconds). A row with neither a channel nor a conversion decodes (the journey builder
 * ignores it).
 *
 * @example
 * const layout = eventLayout()(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value'])
 * pipe(layout, E.map((l) => decodeEventFields(l)(['u1', '2026-01-02T00:00:00Z', 'email', '1', '30'], 2)))
 * // => right(right({ user: 'u1', time: 1767312000000, channel: 'email', conversion: true, value: 30 }))
 *
 * @category decode
 * @since 0.1.0
 */
export const decodeEventFields = (layout: Layout<keyof EventColumns>, timeUnit: TimeUnit = 'ms') => {
  const d = eventDecoder(eventSemantics(layout.names, timeUnit))
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, line: number): E.Either<TouchpointError, EventRow> => {
    const problem = d.csv(viewOfFields(fields), line)
    return problem === undefined ? E.right(eventRowOf(d)) : E.left(problem)
  }
}

/**
 * A decoder of one JSONL event line, fields named by `columns`.
 *
 * @category decode
 * @since 0.1.0
 */
export const decodeEventJson = (columns: EventColumns = DEFAULT_EVENT_COLUMNS, timeUnit: TimeUnit = 'ms') => {
  const d = eventDecoder(eventSemantics(columns, timeUnit))
  return (text: string, line: number): E.Either<TouchpointError, EventRow> =>
    pipe(
      parseJsonObject(text, line),
      E.flatMap((o) => {
        const problem = d.json(o, line)
        return problem === undefined ? E.right(eventRowOf(d)) : E.left(problem)
      }),
    )
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
