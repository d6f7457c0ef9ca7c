/**
 * From a source's columns and the user's options to the input half of an `AttributionQuery`: which kind of rows
 * (paths or events, detected from the columns when not given), which optional columns exist, how times are
 * stored. Every mistake is a message naming the column and the columns there are.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { EventColumns, PathColumns } from '../attribution/decode'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { columnNamesIssues, everyElement, isRecord } from '../core/guards'
import type { SqlEvents, SqlPaths } from '../sql/model'

/**
 * A column of a source as the engine describes it, with its type in one of the categories that matter here.
 *
 * @category engines
 * @since 0.2.0
 */
export interface ColumnInfo {
  readonly name: string
  readonly type: 'number' | 'timestamp' | 'text' | 'list' | 'other'
}

/**
 * The options that say how rows are read (the CLI's reading flags).
 *
 * @category engines
 * @since 0.2.0
 */
export interface InputPlanOptions {
  readonly kind?: 'paths' | 'events'
  readonly pathColumns: PathColumns
  readonly eventColumns: EventColumns
  readonly separator: string
  readonly timeUnit?: 's' | 'ms' | 'us' | 'ns'
  readonly conversionEvents?: { readonly column: string; readonly names: ReadonlyArray<string> }
  readonly conversionTimeColumn?: string
  readonly orderColumn?: string
  readonly lookbackMs?: number
}

/** A type name of DuckDB, PostgreSQL or ClickHouse in one of the categories (`other` for what is no type name). */
export const typeCategory = (type: string): ColumnInfo['type'] => {
  if (typeof type !== 'string') return 'other'
  const t = type.toUpperCase().replace(/^NULLABLE\((.*)\)$/, '$1').replace(/^LOWCARDINALITY\((.*)\)$/, '$1')
  if (/\[\]$|^ARRAY|^LIST/.test(t)) return 'list'
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC|INT\d+|UINT\d+|FLOAT\d+|DOUBLE PRECISION)/.test(t)) return 'number'
  if (/^(TIMESTAMP|DATE|DATETIME)/.test(t)) return 'timestamp'
  if (/^(VARCHAR|TEXT|STRING|CHAR|FIXEDSTRING|CHARACTER|BPCHAR|NAME|UUID|ENUM|BOOLEAN|BOOL)/.test(t)) return 'text'
  return 'other'
}

const CATEGORIES: ReadonlyArray<string> = ['number', 'timestamp', 'text', 'list', 'other']
const TIME_UNITS: ReadonlyArray<string> = ['s', 'ms', 'us', 'ns']
const isName = (u: unknown): u is string => typeof u === 'string' && u !== ''

/** @internal The issues of reading options from plain JavaScript, each named by its path (strict: no coercion). */
export const inputPlanIssues = (o: unknown, path = 'options'): ReadonlyArray<Issue> => {
  if (!isRecord(o) || Array.isArray(o)) return [issue(path, 'reading options: { pathColumns, eventColumns, separator, … }', o)]
  const out: Array<Issue> = []
  const at = (k: string) => `${path}.${k}`
  if (o['kind'] !== undefined && o['kind'] !== 'paths' && o['kind'] !== 'events') out.push(issue(at('kind'), '"paths" or "events"', o['kind']))
  out.push(...columnNamesIssues(o['pathColumns'], at('pathColumns'), ['path', 'conversions', 'value', 'nulls']))
  out.push(...columnNamesIssues(o['eventColumns'], at('eventColumns'), ['user', 'time', 'channel', 'conversion', 'value']))
  if (!isName(o['separator'])) out.push(issue(at('separator'), 'the separator of channels in a path (non-empty text)', o['separator']))
  if (o['timeUnit'] !== undefined && !TIME_UNITS.includes(o['timeUnit'] as string)) out.push(issue(at('timeUnit'), 'one of "s", "ms", "us", "ns"', o['timeUnit']))
  const ce = o['conversionEvents']
  if (ce !== undefined) {
    if (!isRecord(ce)) out.push(issue(at('conversionEvents'), '{ column, names }', ce))
    else {
      if (!isName(ce['column'])) out.push(issue(at('conversionEvents.column'), 'a column name (non-empty text)', ce['column']))
      const names = ce['names']
      if (!Array.isArray(names) || names.length === 0 || !everyElement(names, isName)) out.push(issue(at('conversionEvents.names'), 'one event name or more (non-empty texts)', names))
    }
  }
  for (const k of ['conversionTimeColumn', 'orderColumn'] as const) if (o[k] !== undefined && !isName(o[k])) out.push(issue(at(k), 'a column name (non-empty text)', o[k]))
  const lb = o['lookbackMs']
  if (lb !== undefined && !(typeof lb === 'number' && Number.isFinite(lb) && lb > 0)) out.push(issue(at('lookbackMs'), 'a lookback in milliseconds (a finite number > 0)', lb))
  return out
}

const columnIssues = (columns: unknown): ReadonlyArray<Issue> => {
  if (!Array.isArray(columns)) return [issue('columns', 'the columns of the source: [{ name, type }] (from describeSource)', columns)]
  const i = columns.findIndex((c: unknown) => !isRecord(c) || !isName(c['name']) || !CATEGORIES.includes(c['type'] as string))
  return i < 0 ? [] : [issue(`columns[${i}]`, `a column: { name, type } with type one of ${CATEGORIES.join(', ')}`, columns[i])]
}

/**
 * The input of the query for a source with `columns`, or an `InvalidInput` Left saying what is missing: the
 * option naming a column the source lacks (`options.pathColumns.path`: "a column of the source (the path); the
 * columns are: …"), or the option of the wrong type.
 *
 * @example
 * planInput([{ name: 'path', type: 'text' }, { name: 'total_conversions', type: 'number' }], { pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>' })
 * // => right({ _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' })
 *
 * @category engines
 * @since 0.2.0
 */
export const planInput = (columns: ReadonlyArray<ColumnInfo>, o: InputPlanOptions): E.Either<TouchpointError, SqlPaths | SqlEvents> => {
  const bad = [...columnIssues(columns), ...inputPlanIssues(o)]
  if (bad.length > 0) return E.left(invalidInput(bad))
  return plan(columns, o)
}

const plan = (columns: ReadonlyArray<ColumnInfo>, o: InputPlanOptions): E.Either<TouchpointError, SqlPaths | SqlEvents> => {
  const fail = (path: string, expected: string, actual: unknown) => E.left(invalidInput([issue(path, expected, actual)]))
  const byName = new Map(columns.map((c) => [c.name, c]))
  const seen = columns.map((c) => c.name).join(', ')
  const missing = (path: string, name: string, what: string) => fail(`options.${path}`, `a column of the source (${what}); the columns are: ${seen}`, name)
  const kind = o.kind ?? (byName.has(o.pathColumns.path) ? 'paths' : byName.has(o.eventColumns.user) && byName.has(o.eventColumns.time) ? 'events' : undefined)
  if (kind === undefined) {
    return fail('options.kind', `"paths" or "events" (cannot tell paths from events: expected a ${JSON.stringify(o.pathColumns.path)} column (paths) or ${JSON.stringify(o.eventColumns.user)} and ${JSON.stringify(o.eventColumns.time)} columns (events); the columns are: ${seen}. Name them with --path-column/--user-column/--time-column or give --input)`, undefined)
  }
  if (kind === 'paths') {
    const p = o.pathColumns
    if (!byName.has(p.path)) return missing('pathColumns.path', p.path, 'the path')
    if (!byName.has(p.conversions)) return missing('pathColumns.conversions', p.conversions, 'the conversions')
    return E.right({
      _tag: 'paths',
      path: p.path,
      conversions: p.conversions,
      ...(byName.has(p.value) ? { value: p.value } : {}),
      ...(byName.has(p.nulls) ? { nulls: p.nulls } : {}),
      separator: o.separator,
    })
  }
  const c = o.eventColumns
  for (const [key, what] of [
    ['user', 'the user'],
    ['time', 'the time'],
    ['channel', 'the channel'],
  ] as const) {
    if (!byName.has(c[key])) return missing(`eventColumns.${key}`, c[key], what)
  }
  if (o.conversionEvents === undefined && !byName.has(c.conversion)) return missing('eventColumns.conversion', c.conversion, 'the conversion marker; or give --conversion-event NAME')
  if (o.conversionEvents !== undefined && !byName.has(o.conversionEvents.column)) return missing('conversionEvents.column', o.conversionEvents.column, 'the event name of --conversion-event')
  const time = byName.get(c.time)!
  const timeType: SqlEvents['timeType'] | undefined =
    time.type === 'number' ? { _tag: 'epoch', unit: o.timeUnit ?? 'ms' } : time.type === 'timestamp' ? { _tag: 'timestamp' } : undefined
  if (timeType === undefined) return fail('options.eventColumns.time', `a time column stored as a number or a timestamp, not ${time.type} (the engine reads ISO 8601 text only from files)`, c.time)
  if (time.type === 'timestamp' && o.timeUnit !== undefined) return fail('options.timeUnit', `nothing: --time-unit is for numeric times, but ${JSON.stringify(c.time)} is a timestamp column`, o.timeUnit)
  if (o.conversionTimeColumn !== undefined) {
    const ct = byName.get(o.conversionTimeColumn)
    if (ct === undefined) return missing('conversionTimeColumn', o.conversionTimeColumn, 'the conversion time')
    if (ct.type !== time.type) return fail('options.conversionTimeColumn', `a column stored as the time column is (${time.type}), not ${ct.type}`, ct.name)
  }
  if (o.orderColumn !== undefined) {
    const oc = byName.get(o.orderColumn)
    if (oc === undefined) return missing('orderColumn', o.orderColumn, 'the order of rows at the same time')
    if (oc.type !== 'number') return fail('options.orderColumn', `a numeric column, not ${oc.type}`, oc.name)
  }
  return E.right({
    _tag: 'events',
    user: c.user,
    time: c.time,
    channel: c.channel,
    conversion: c.conversion,
    ...(byName.has(c.value) ? { value: c.value } : {}),
    timeType,
    ...(o.conversionTimeColumn === undefined ? {} : { conversionTime: o.conversionTimeColumn }),
    ...(o.conversionEvents === undefined ? {} : { conversionEvents: o.conversionEvents }),
    ...(o.orderColumn === undefined ? {} : { orderColumn: o.orderColumn }),
    ...(o.lookbackMs === undefined ? {} : { lookbackMs: o.lookbackMs }),
  })
}
