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
import { everyElement, isRecord } from '../core/guards'
import { lineOf, separatorIssues } from './internal/guards'
import { TIME_UNITS, type TimeUnit } from './internal/time'
import type { Journey } from './model'
import { viewOfFields } from './read/fields'
import { parseJsonObject } from './read/json'
import { columnIndex, eventDecoder, pathDecoder, type EventDecoder } from './read/rows'
import { DEFAULT_PATH_COLUMNS as READ_PATH_COLUMNS, type PathColumns as ReadPathColumns } from './read/settings'

export { makeSettings } from './makeSettings'

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

// From plain JavaScript any argument may be anything: the decoders below check theirs once, where they are
// built or called, and answer Lefts naming the argument (`columns.path`, `layout`, `fields`, `timeUnit`).

const PATH_KEYS = ['path', 'conversions', 'value', 'nulls'] as const
const EVENT_KEYS = ['user', 'time', 'channel', 'conversion', 'value'] as const

const columnsIssues = (columns: unknown, keys: ReadonlyArray<string>): ReadonlyArray<Issue> =>
  isRecord(columns)
    ? keys.flatMap((k) => (typeof columns[k] === 'string' && columns[k] !== '' ? [] : [issue(`columns.${k}`, 'a column name (a non-empty string)', columns[k])]))
    : [issue('columns', 'column names, as DEFAULT_PATH_COLUMNS or DEFAULT_EVENT_COLUMNS', columns)]

const layoutIssues = (layout: unknown, keys: ReadonlyArray<string>): ReadonlyArray<Issue> => {
  const ok =
    isRecord(layout) &&
    Number.isInteger(layout['width']) &&
    Array.isArray(layout['header']) &&
    everyElement(layout['header'], (h) => typeof h === 'string') &&
    isRecord(layout['index']) &&
    isRecord(layout['names']) &&
    keys.every((k) => {
      const i = (layout['index'] as Record<string, unknown>)[k]
      const name = (layout['names'] as Record<string, unknown>)[k]
      return Number.isInteger(i) && (i as number) >= -1 && (i as number) < (layout['width'] as number) && typeof name === 'string' && name !== ''
    })
  return ok ? [] : [issue('layout', 'a layout from pathLayout or eventLayout', layout)]
}

const timeUnitIssues = (timeUnit: unknown): ReadonlyArray<Issue> =>
  (TIME_UNITS as ReadonlyArray<unknown>).includes(timeUnit) ? [] : [issue('timeUnit', TIME_UNITS.map((u) => JSON.stringify(u)).join(', '), timeUnit)]

/** A decoder built from arguments that are none: every row gets the same Left. */
const refusing =
  <A>(issues: ReadonlyArray<Issue>) =>
  (): E.Either<TouchpointError, A> =>
    E.left(invalidInput(issues))

/** `issue` at a line, when the caller gave one. */
const atLine = (i: Issue, line: number | undefined): Issue => (line === undefined ? i : { ...i, line })

/**
 * A Left from the pipeline's decoders, read at line 0 when the caller gave no line number: the line dropped, and
 * an issue about the record as a whole then named `whole` (`fields` or `text`).
 */
const lineless = (e: TouchpointError, line: number | undefined, whole: string): TouchpointError => {
  if (line !== undefined || e._tag !== 'InvalidInput') return e
  return invalidInput(e.issues.map(({ line: _, ...i }) => (i.path === '' ? { ...i, path: whole } : i)))
}

/** The record is not an array of strings: named `fields`, or by its column for a cell that is no string. */
const fieldsIssue = (fields: unknown, header: ReadonlyArray<string>, line: number | undefined): Issue | undefined => {
  if (!Array.isArray(fields)) return atLine(issue('fields', 'the fields of one record (an array of strings)', fields), line)
  const i = fields.findIndex((f) => typeof f !== 'string')
  return i < 0 ? undefined : atLine(issue(header[i] ?? `fields[${i}]`, 'a field (a string)', fields[i]), line)
}

/** The line is not text: located by its line number, or, without one, named `text`. */
const textIssue = (text: unknown, line: number | undefined): Issue | undefined =>
  typeof text === 'string' ? undefined : atLine(issue(line === undefined ? 'text' : '', 'a JSON object (a line of text)', text), line)

const layoutWith =
  <K extends string>(names: Readonly<Record<K, string>>, keys: ReadonlyArray<string>, check: () => (header: ReadonlyArray<string>, line: number) => TouchpointError | undefined) =>
  (header: ReadonlyArray<string>, givenLine: number = 1): E.Either<TouchpointError, Layout<K>> => {
    const line = lineOf(givenLine)
    const bad = columnsIssues(names, keys)
    if (bad.length > 0) return E.left(invalidInput(bad.map((i) => atLine(i, line))))
    if (!Array.isArray(header)) return E.left(invalidInput([atLine(issue('header', 'the column names of the header row (an array of strings)', header), line)]))
    const notText = header.findIndex((h) => typeof h !== 'string')
    if (notText >= 0) return E.left(invalidInput([atLine(issue(`header[${notText}]`, 'a column name (a string)', header[notText]), line)]))
    const trimmed = header.map((h: string) => h.trim())
    const problem = check()(trimmed, line ?? 0)
    if (problem !== undefined) return E.left(lineless(problem, line, 'header'))
    const index = {} as Record<K, number>
    for (const k of keys as ReadonlyArray<K>) index[k] = columnIndex(trimmed, names[k])
    // The names of the columns asked for, not the caller's object: it may carry other keys.
    const known = Object.fromEntries(keys.map((k) => [k, names[k as K]])) as Record<K, string>
    return E.right({ width: trimmed.length, header: trimmed, index, names: known })
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
export const pathLayout = (columns: PathColumns = DEFAULT_PATH_COLUMNS) =>
  layoutWith<keyof PathColumns>(columns, PATH_KEYS, () => pathDecoder(columns, '>', () => 0).layout)

/**
 * The layout of an event file from its header row (the value column is optional).
 *
 * @category decode
 * @since 0.1.0
 */
export const eventLayout = (columns: EventColumns = DEFAULT_EVENT_COLUMNS) =>
  layoutWith<keyof EventColumns>(columns, EVENT_KEYS, () => eventDecoder(eventSemantics(columns, 'ms')).layout)

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
  const journey = (): Journey => ({ channels: Array.from({ length: d.row.n }, (_, k) => names[d.row.ids[k]!]!), conversions: d.row.conversions, value: d.row.value, nulls: d.row.nulls })
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
export const decodePathFields = (layout: Layout<keyof PathColumns>, separator = '>'): ((fields: ReadonlyArray<string>, line: number) => E.Either<TouchpointError, Journey>) => {
  const bad = [...layoutIssues(layout, PATH_KEYS), ...separatorIssues(separator, 'separator')]
  if (bad.length > 0) return refusing(bad)
  const { d, journey } = namedPathDecoder(layout.names, separator)
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, givenLine: number): E.Either<TouchpointError, Journey> => {
    const line = lineOf(givenLine)
    const notFields = fieldsIssue(fields, layout.header, line)
    if (notFields !== undefined) return E.left(invalidInput([notFields]))
    const problem = d.csv(viewOfFields(fields), line ?? 0)
    return problem === undefined ? E.right(journey()) : E.left(lineless(problem, line, 'fields'))
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
export const decodePathFieldsIndexed = (
  layout: Layout<keyof PathColumns>,
  separator: string,
  intern: (name: string) => number,
): ((fields: ReadonlyArray<string>, line: number) => E.Either<TouchpointError, IndexedPath>) => {
  const bad = [
    ...layoutIssues(layout, PATH_KEYS),
    ...separatorIssues(separator, 'separator'),
    ...(typeof intern === 'function' ? [] : [issue('intern', "a function from channel name to index (an accumulator's channelIndex)", intern)]),
  ]
  if (bad.length > 0) return refusing(bad)
  // `intern` is the caller's: an index that is no integer >= 0 fails the row rather than entering the result.
  let refused: string | undefined
  const d = pathDecoder(layout.names, separator, (name) => {
    const i = intern(name)
    if (Number.isInteger(i) && i >= 0) return i
    refused ??= name
    return 0
  })
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, givenLine: number): E.Either<TouchpointError, IndexedPath> => {
    const line = lineOf(givenLine)
    const notFields = fieldsIssue(fields, layout.header, line)
    if (notFields !== undefined) return E.left(invalidInput([notFields]))
    refused = undefined
    const problem = d.csv(viewOfFields(fields), line ?? 0)
    if (problem !== undefined) return E.left(lineless(problem, line, 'fields'))
    if (refused !== undefined) return E.left(invalidInput([atLine(issue(layout.names.path, 'channel names intern can index (it answered no integer >= 0)', refused), line)]))
    const r = d.row
    return E.right({ channels: !Array.isArray(r.ids) ? Array.from(r.ids.subarray(0, r.n)) : r.ids.length === r.n ? r.ids : r.ids.slice(0, r.n), conversions: r.conversions, value: r.value, nulls: r.nulls })
  }
}

/**
 * A decoder of one JSONL path line: `{"path": "a > b" | ["a", "b"], "total_conversions": 2, ...}`. A key given
 * twice in a line is an error (JSON.parse would keep the last without a word).
 *
 * @category decode
 * @since 0.1.0
 */
export const decodePathJson = (columns: PathColumns = DEFAULT_PATH_COLUMNS, separator = '>'): ((text: string, line: number) => E.Either<TouchpointError, Journey>) => {
  const bad = [...columnsIssues(columns, PATH_KEYS), ...separatorIssues(separator, 'separator')]
  if (bad.length > 0) return refusing(bad)
  const { d, journey } = namedPathDecoder(columns, separator)
  return (text: string, givenLine: number): E.Either<TouchpointError, Journey> => {
    const line = lineOf(givenLine)
    const notText = textIssue(text, line)
    if (notText !== undefined) return E.left(invalidInput([notText]))
    return pipe(
      parseJsonObject(text, line ?? 0),
      E.flatMap((o) => {
        const problem = d.json(o, line ?? 0)
        return problem === undefined ? E.right(journey()) : E.left(problem)
      }),
      E.mapLeft((e) => lineless(e, line, 'text')),
    )
  }
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
export const decodeEventFields = (layout: Layout<keyof EventColumns>, timeUnit: TimeUnit = 'ms'): ((fields: ReadonlyArray<string>, line: number) => E.Either<TouchpointError, EventRow>) => {
  const bad = [...layoutIssues(layout, EVENT_KEYS), ...timeUnitIssues(timeUnit)]
  if (bad.length > 0) return refusing(bad)
  const d = eventDecoder(eventSemantics(layout.names, timeUnit))
  d.layout(layout.header, 1)
  return (fields: ReadonlyArray<string>, givenLine: number): E.Either<TouchpointError, EventRow> => {
    const line = lineOf(givenLine)
    const notFields = fieldsIssue(fields, layout.header, line)
    if (notFields !== undefined) return E.left(invalidInput([notFields]))
    const problem = d.csv(viewOfFields(fields), line ?? 0)
    return problem === undefined ? E.right(eventRowOf(d)) : E.left(lineless(problem, line, 'fields'))
  }
}

/**
 * A decoder of one JSONL event line, fields named by `columns`.
 *
 * @category decode
 * @since 0.1.0
 */
export const decodeEventJson = (columns: EventColumns = DEFAULT_EVENT_COLUMNS, timeUnit: TimeUnit = 'ms'): ((text: string, line: number) => E.Either<TouchpointError, EventRow>) => {
  const bad = [...columnsIssues(columns, EVENT_KEYS), ...timeUnitIssues(timeUnit)]
  if (bad.length > 0) return refusing(bad)
  const d = eventDecoder(eventSemantics(columns, timeUnit))
  return (text: string, givenLine: number): E.Either<TouchpointError, EventRow> => {
    const line = lineOf(givenLine)
    const notText = textIssue(text, line)
    if (notText !== undefined) return E.left(invalidInput([notText]))
    return pipe(
      parseJsonObject(text, line ?? 0),
      E.flatMap((o) => {
        const problem = d.json(o, line ?? 0)
        return problem === undefined ? E.right(eventRowOf(d)) : E.left(problem)
      }),
      E.mapLeft((e) => lineless(e, line, 'text')),
    )
  }
}
