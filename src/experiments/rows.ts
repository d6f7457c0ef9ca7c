/**
 * Rows of the exposure and event logs as files hold them (CSV records or JSON objects), decoded into the trusted
 * `ExposureRow` and `EventRow` the reducer reads. Which column plays which role is settled once per file from
 * its header (or first object) by `exposureLayout` / `eventLayout`, with every missing column named.
 *
 * @module
 */
import { parseTimestamp } from '../attribution/codec'
import { issue, type Issue } from '../core/errors'
import { columnNamesIssues } from '../core/guards'
import { everyElement, isMetrics, isObject, METRICS } from './internal/guards'
import type { EventRow, ExposureRow, Metrics } from './model'

/**
 * Exposure columns by role. `time` and `dimension` may be absent from a log (`assign --enrolled-only` output has no
 * times); `unit` falls back to `unitId`, the name `touchpoint assign` and the adapters' exposure records use.
 *
 * @category rows
 * @since 0.2.0
 */
export interface ExposureColumns {
  readonly unit: string
  readonly experiment: string
  readonly variant: string
  readonly time: string
  readonly dimension?: string
}

/**
 * Event columns by role; the value columns come from the metrics (`"value": "amount"`).
 *
 * @category rows
 * @since 0.2.0
 */
export interface EventColumns {
  readonly unit: string
  readonly time: string
  readonly event: string
}

/** @category rows @since 0.2.0 */
export const DEFAULT_EXPOSURE_COLUMNS: ExposureColumns = { unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp' }

/** @category rows @since 0.2.0 */
export const DEFAULT_EVENT_COLUMNS: EventColumns = { unit: 'unit_id', time: 'timestamp', event: 'event' }

/** Names tried, in order, when a default column is missing: what touchpoint's own exposure records call them. */
const ALIASES: Readonly<Record<string, ReadonlyArray<string>>> = { unit_id: ['unitId'], timestamp: ['time'] }
const aliasesOf = (name: string): ReadonlyArray<string> => (Object.prototype.hasOwnProperty.call(ALIASES, name) ? ALIASES[name]! : [])

/**
 * How numeric times count: seconds, milliseconds (the default), microseconds or nanoseconds since 1970. Text
 * times are ISO 8601 (no offset: UTC).
 *
 * @category rows
 * @since 0.2.0
 */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns'

const FACTOR: Readonly<Record<TimeUnit, number>> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 }

/** The factor of a time unit; undefined for what is none (`'__proto__'` included). */
const factorOf = (unit: unknown): number | undefined => (typeof unit === 'string' && Object.prototype.hasOwnProperty.call(FACTOR, unit) ? FACTOR[unit as TimeUnit] : undefined)

const TIME_UNIT = 'a time unit: "s", "ms", "us" or "ns"'

/** Names of columns: a list of texts (a CSV header, a JSON object's keys). */
const namesIssue = (names: unknown): Issue | undefined =>
  everyElement(names, (n) => typeof n === 'string') ? undefined : issue('names', 'the column names (a list of texts)', names)

/** `columns.role` for every role: a column name; `given.role`: true, false or nothing. */
const rolesIssue = (columns: unknown, given: unknown, required: ReadonlyArray<string>, optional: ReadonlyArray<string>): Issue | undefined => {
  const bad = columnNamesIssues(columns, 'columns', required, optional)
  if (bad.length > 0) return bad[0]
  if (given === undefined) return undefined
  if (!isObject(given)) return issue('given', 'which columns were named on purpose: { role: true }', given)
  for (const role of Object.keys(given)) {
    if (![...required, ...optional].includes(role)) return issue(`given.${role}`, `no such role (known: ${[...required, ...optional].join(', ')})`, given[role])
    if (given[role] !== undefined && typeof given[role] !== 'boolean') return issue(`given.${role}`, 'true or false (a boolean, not a string)', given[role])
  }
  return undefined
}

/** Where each role's cell is: an index into CSV fields, or a key of a JSON object; `undefined` if absent. */
export interface Layout<K extends string> {
  readonly at: Readonly<Record<K, string | undefined>>
  /** For CSV: the index of each key in the header. */
  readonly index?: ReadonlyMap<string, number>
}

/**
 * The exposure log's layout, from its column names: the columns given (or their defaults, or touchpoint's own
 * names), or an issue naming the missing column and the columns there are.
 *
 * @category rows
 * @since 0.2.0
 */
export const exposureLayout = (
  names: ReadonlyArray<string>,
  columns: ExposureColumns,
  given: Partial<Record<keyof ExposureColumns, boolean>> = {},
): { readonly layout: Layout<'unit' | 'experiment' | 'variant' | 'time' | 'dimension'> } | { readonly issue: Issue } => {
  const bad = namesIssue(names) ?? rolesIssue(columns, given, ['unit', 'experiment', 'variant', 'time'], ['dimension'])
  if (bad !== undefined) return { issue: bad }
  const have = new Set(names)
  const find = (role: keyof ExposureColumns, name: string | undefined, required: boolean): string | undefined | Issue => {
    if (name === undefined) return undefined
    if (have.has(name)) return name
    if (given[role] !== true) for (const alias of aliasesOf(name)) if (have.has(alias)) return alias
    if (!required) return undefined
    return issue(`exposures.${role}`, `a column ${JSON.stringify(name)} (the columns are: ${names.join(', ')})`, undefined)
  }
  const unit = find('unit', columns.unit, true)
  const experiment = find('experiment', columns.experiment, true)
  const variant = find('variant', columns.variant, true)
  // A time column named on purpose must be there; the default may be missing (then exposures have no times).
  const time = find('time', columns.time, given.time === true)
  const dimension = find('dimension', columns.dimension, columns.dimension !== undefined)
  for (const x of [unit, experiment, variant, time, dimension]) if (typeof x === 'object') return { issue: x }
  return { layout: { at: { unit: unit as string, experiment: experiment as string, variant: variant as string, time: time as string | undefined, dimension: dimension as string | undefined }, index: new Map(names.map((n, i) => [n, i])) } }
}

/**
 * The event log's layout: the role columns and every value column the metrics read (unless `checkValues` is
 * false: JSON lines, whose first object need not hold every field).
 *
 * @category rows
 * @since 0.2.0
 */
export const eventLayout = (
  names: ReadonlyArray<string>,
  columns: EventColumns,
  metrics: Metrics,
  given: Partial<Record<keyof EventColumns, boolean>> = {},
  options: { readonly checkValues?: boolean } = {},
): { readonly layout: Layout<string> } | { readonly issue: Issue } => {
  const bad =
    namesIssue(names) ??
    rolesIssue(columns, given, ['unit', 'time', 'event'], []) ??
    (isMetrics(metrics) ? undefined : issue('metrics', METRICS, metrics)) ??
    (options === undefined || (isObject(options) && (options.checkValues === undefined || typeof options.checkValues === 'boolean')) ? undefined : issue(isObject(options) ? 'options.checkValues' : 'options', 'options: { checkValues: true or false }', isObject(options) ? options.checkValues : options))
  if (bad !== undefined) return { issue: bad }
  const have = new Set(names)
  const at: Record<string, string | undefined> = {}
  for (const role of ['unit', 'time', 'event'] as const) {
    const name = columns[role]
    const found = have.has(name) ? name : given[role] === true ? undefined : (aliasesOf(name)).find((a) => have.has(a))
    if (found === undefined) return { issue: issue(`events.${role}`, `a column ${JSON.stringify(name)} (the columns are: ${names.join(', ')})`, undefined) }
    at[role] = found
  }
  for (const column of metrics.valueColumns) {
    // JSON lines name their fields line by line (a page view has no amount): each qualifying event is checked instead.
    if (options.checkValues !== false && !have.has(column)) {
      const first = metrics.metrics.findIndex((m) => m._tag === 'event' && m.value === column)
      return { issue: issue(`metrics[${first}].value`, `a column of the events (${names.join(', ')})`, column) }
    }
    at[`value:${column}`] = column
  }
  return { layout: { at, index: new Map(names.map((n, i) => [n, i])) } }
}

type Cells = ReadonlyArray<string> | Readonly<Record<string, unknown>>

const cell = (cells: Cells, layout: Layout<string>, key: string | undefined): unknown => {
  if (key === undefined) return undefined
  if (Array.isArray(cells)) {
    const i = layout.index?.get(key)
    return i === undefined ? undefined : (cells as ReadonlyArray<string>)[i]
  }
  return (cells as Readonly<Record<string, unknown>>)[key]
}

/** A non-empty id: text, or a number as its decimal text. */
const idOf = (u: unknown): string | undefined => (typeof u === 'string' ? (u.trim() === '' ? undefined : u) : typeof u === 'number' && Number.isFinite(u) ? String(u) : undefined)

/** The decoders' time: `factor` checked once, when the decoder is made. */
const timeIn = (u: unknown, factor: number): number | undefined => {
  let t: number | undefined
  if (typeof u === 'number') t = u * factor
  else if (typeof u !== 'string') return undefined
  else {
    const text = u.trim()
    t = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) * factor : parseTimestamp(text)
  }
  // A time beyond the doubles (1e308 seconds) is no time.
  return t !== undefined && Number.isFinite(t) ? t : undefined
}

/**
 * Milliseconds since 1970 from an ISO 8601 text or a number (or numeric text) in `unit`; `undefined` for what is
 * no time, a time beyond the range of doubles, or a `unit` that is none.
 *
 * @example
 * timeOf('1767225600', 's') // => 1767225600000
 * timeOf('2026-01-01T00:00:00Z', 'ms') // => 1767225600000
 * timeOf(1, 'minutes' as TimeUnit) // => undefined
 *
 * @category rows
 * @since 0.2.0
 */
export const timeOf = (u: unknown, unit: TimeUnit): number | undefined => {
  const factor = factorOf(unit)
  return factor === undefined ? undefined : timeIn(u, factor)
}

const timeExpected = (unit: TimeUnit) => `an ISO 8601 date-time or a number of ${{ s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' }[unit]} since 1970`

/** A number from a JSON number or a CSV cell; `undefined` for an empty cell or null, NaN for anything else. */
const numberOf = (u: unknown): number | undefined => {
  if (u === undefined || u === null) return undefined
  if (typeof u === 'number') return Number.isFinite(u) ? u : Number.NaN
  if (typeof u !== 'string') return Number.NaN
  if (u.trim() === '') return undefined
  const x = Number(u)
  return Number.isFinite(x) ? x : Number.NaN
}

/** The issue at `line`; a line that is no line number (from plain JavaScript) is left out. */
const located = (i: Issue, line: number): Issue => (Number.isSafeInteger(line) && line > 0 ? { ...i, line } : i)

/** A layout as `exposureLayout` / `eventLayout` make it: where each role's cell is. */
const layoutIssue = (layout: unknown, roles: ReadonlyArray<string>, what: string): Issue | undefined => {
  if (!isObject(layout) || !isObject(layout['at'])) return issue('layout', what, layout)
  const at = layout['at']
  for (const k of Object.keys(at)) if (at[k] !== undefined && typeof at[k] !== 'string') return issue(`layout.at.${k}`, 'a column name or nothing', at[k])
  for (const r of roles) if (typeof at[r] !== 'string') return issue(`layout.at.${r}`, 'a column name', at[r])
  if (layout['index'] !== undefined && !(layout['index'] instanceof Map)) return issue('layout.index', 'a Map from column name to index', layout['index'])
  return undefined
}

/** JSON text of a cell from plain JavaScript; undefined where there is none (a BigInt inside, a cycle, a function). */
const jsonText = (u: unknown): string | undefined => {
  try {
    return JSON.stringify(u)
  } catch {
    return undefined
  }
}

const CELLS = 'the cells of one record: a list of texts (CSV) or an object (JSON)'

/**
 * One exposure record, decoded; or the issue with it (with its line).
 *
 * @category rows
 * @since 0.2.0
 */
export const decodeExposure = (layout: Layout<'unit' | 'experiment' | 'variant' | 'time' | 'dimension'>, unit: TimeUnit): ((cells: Cells, line: number) => ExposureRow | Issue) => {
  const factor = factorOf(unit)
  const bad = layoutIssue(layout, ['unit', 'experiment', 'variant'], 'an exposure layout (from exposureLayout)') ?? (factor === undefined ? issue('unit', TIME_UNIT, unit) : undefined)
  if (bad !== undefined) return () => bad
  return (cells: Cells, line: number): ExposureRow | Issue => {
    if (cells === null || typeof cells !== 'object') return located(issue('cells', CELLS, cells), line)
    const at = layout.at
    const id = idOf(cell(cells, layout, at.unit))
    if (id === undefined) return located(issue(at.unit!, 'a unit id (non-empty text or a number)', cell(cells, layout, at.unit)), line)
    const experiment = idOf(cell(cells, layout, at.experiment))
    if (experiment === undefined) return located(issue(at.experiment!, 'an experiment key', cell(cells, layout, at.experiment)), line)
    const variant = idOf(cell(cells, layout, at.variant))
    if (variant === undefined) return located(issue(at.variant!, 'a variant name', cell(cells, layout, at.variant)), line)
    let time: number | undefined
    if (at.time !== undefined) {
      time = timeIn(cell(cells, layout, at.time), factor!)
      if (time === undefined) return located(issue(at.time, timeExpected(unit), cell(cells, layout, at.time)), line)
    }
    const d = cell(cells, layout, at.dimension)
    const dimension = d === undefined || d === null ? '' : typeof d === 'string' ? d : typeof d === 'number' || typeof d === 'boolean' || typeof d === 'bigint' ? String(d) : jsonText(d)
    if (dimension === undefined) return located(issue(at.dimension!, 'a dimension value (text, a number, a boolean or JSON)', d), line)
    return { unit: id, experiment, variant, time, dimension }
  }
}

/**
 * One event record, decoded; or the issue with it (with its line). Only events some metric reads are decoded in
 * full (`undefined` for the others: nothing to do with them); their value must be a number when a `sum` metric
 * adds it up, so a missing amount is never read as 0.
 *
 * @category rows
 * @since 0.2.0
 */
export const decodeEvent = (layout: Layout<string>, metrics: Metrics, unit: TimeUnit): ((cells: Cells, line: number) => EventRow | Issue | undefined) => {
  const factor = factorOf(unit)
  const bad =
    layoutIssue(layout, ['unit', 'time', 'event'], 'an event layout (from eventLayout)') ??
    (isMetrics(metrics) ? undefined : issue('metrics', METRICS, metrics)) ??
    (factor === undefined ? issue('unit', TIME_UNIT, unit) : undefined) ??
    (metrics.valueColumns.find((c) => typeof layout.at[`value:${c}`] !== 'string') === undefined ? undefined : issue('layout', 'an event layout made with these metrics (eventLayout names every value column they read)', layout))
  if (bad !== undefined) return () => bad
  const wanted = new Map<string, ReadonlyArray<number>>()
  for (const m of metrics.eventMetrics) {
    for (const e of m.events) {
      const columns = new Set(wanted.get(e) ?? [])
      if (m.value !== undefined) columns.add(metrics.valueColumns.indexOf(m.value))
      wanted.set(e, [...columns])
    }
  }
  const valueKeys = metrics.valueColumns.map((c) => layout.at[`value:${c}`]!)
  return (cells: Cells, line: number): EventRow | Issue | undefined => {
    if (cells === null || typeof cells !== 'object') return located(issue('cells', CELLS, cells), line)
    const at = layout.at
    const rawEvent = cell(cells, layout, at['event'])
    const event = typeof rawEvent === 'string' ? rawEvent : typeof rawEvent === 'number' ? String(rawEvent) : undefined
    if (event === undefined) return rawEvent === undefined || rawEvent === null ? undefined : located(issue(at['event']!, 'an event name', rawEvent), line)
    const needs = wanted.get(event)
    if (needs === undefined) return undefined
    const id = idOf(cell(cells, layout, at['unit']))
    if (id === undefined) return located(issue(at['unit']!, 'a unit id (non-empty text or a number)', cell(cells, layout, at['unit'])), line)
    const time = timeIn(cell(cells, layout, at['time']), factor!)
    if (time === undefined) return located(issue(at['time']!, timeExpected(unit), cell(cells, layout, at['time'])), line)
    const values: Array<number | undefined> = valueKeys.map(() => undefined)
    for (const i of needs) {
      const raw = cell(cells, layout, valueKeys[i])
      const x = numberOf(raw)
      if (x === undefined || Number.isNaN(x)) return located(issue(valueKeys[i]!, `a number (the value of a ${JSON.stringify(event)} event, which a sum metric adds up)`, raw), line)
      values[i] = x
    }
    return { unit: id, time, event, values }
  }
}

/**
 * True when a value is an `Issue` rather than a row.
 *
 * @category rows
 * @since 0.2.0
 */
export const isIssue = (u: ExposureRow | EventRow | Issue | undefined): u is Issue =>
  u !== null && typeof u === 'object' && typeof (u as { readonly expected?: unknown }).expected === 'string' && typeof (u as { readonly path?: unknown }).path === 'string'
