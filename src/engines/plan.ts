/**
 * From a source's columns and the user's options to the input half of an `AttributionQuery`: which kind of rows
 * (paths or events, detected from the columns when not given), which optional columns exist, how times are
 * stored. Every mistake is a message naming the column and the columns there are.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { EventColumns, PathColumns } from '../attribution/decode'
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

/** A type name of DuckDB, PostgreSQL or ClickHouse in one of the categories. */
export const typeCategory = (type: string): ColumnInfo['type'] => {
  const t = type.toUpperCase().replace(/^NULLABLE\((.*)\)$/, '$1').replace(/^LOWCARDINALITY\((.*)\)$/, '$1')
  if (/\[\]$|^ARRAY|^LIST/.test(t)) return 'list'
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC|INT\d+|UINT\d+|FLOAT\d+|DOUBLE PRECISION)/.test(t)) return 'number'
  if (/^(TIMESTAMP|DATE|DATETIME)/.test(t)) return 'timestamp'
  if (/^(VARCHAR|TEXT|STRING|CHAR|FIXEDSTRING|CHARACTER|BPCHAR|NAME|UUID|ENUM|BOOLEAN|BOOL)/.test(t)) return 'text'
  return 'other'
}

/**
 * The input of the query for a source with `columns`, or a message saying what is missing.
 *
 * @example
 * planInput([{ name: 'path', type: 'text' }, { name: 'total_conversions', type: 'number' }], { pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>' })
 * // => right({ _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' })
 *
 * @category engines
 * @since 0.2.0
 */
export const planInput = (columns: ReadonlyArray<ColumnInfo>, o: InputPlanOptions): E.Either<string, SqlPaths | SqlEvents> => {
  const byName = new Map(columns.map((c) => [c.name, c]))
  const seen = columns.map((c) => c.name).join(', ')
  const missing = (name: string, what: string) => E.left(`no column ${JSON.stringify(name)} (${what}); the columns are: ${seen}`)
  const kind = o.kind ?? (byName.has(o.pathColumns.path) ? 'paths' : byName.has(o.eventColumns.user) && byName.has(o.eventColumns.time) ? 'events' : undefined)
  if (kind === undefined) {
    return E.left(`cannot tell paths from events: expected a ${JSON.stringify(o.pathColumns.path)} column (paths) or ${JSON.stringify(o.eventColumns.user)} and ${JSON.stringify(o.eventColumns.time)} columns (events); the columns are: ${seen}. Name them with --path-column/--user-column/--time-column or give --input`)
  }
  if (kind === 'paths') {
    const p = o.pathColumns
    if (!byName.has(p.path)) return missing(p.path, 'the path')
    if (!byName.has(p.conversions)) return missing(p.conversions, 'the conversions')
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
  for (const [name, what] of [
    [c.user, 'the user'],
    [c.time, 'the time'],
    [c.channel, 'the channel'],
  ] as const) {
    if (!byName.has(name)) return missing(name, what)
  }
  if (o.conversionEvents === undefined && !byName.has(c.conversion)) return missing(c.conversion, 'the conversion marker; or give --conversion-event NAME')
  if (o.conversionEvents !== undefined && !byName.has(o.conversionEvents.column)) return missing(o.conversionEvents.column, 'the event name of --conversion-event')
  const time = byName.get(c.time)!
  const timeType: SqlEvents['timeType'] | undefined =
    time.type === 'number' ? { _tag: 'epoch', unit: o.timeUnit ?? 'ms' } : time.type === 'timestamp' ? { _tag: 'timestamp' } : undefined
  if (timeType === undefined) return E.left(`the time column ${JSON.stringify(c.time)} is neither a number nor a timestamp (${time.type}); the engine reads ISO 8601 text only from files`)
  if (time.type === 'timestamp' && o.timeUnit !== undefined) return E.left(`--time-unit ${o.timeUnit} is for numeric times, but ${JSON.stringify(c.time)} is a timestamp column`)
  if (o.conversionTimeColumn !== undefined) {
    const ct = byName.get(o.conversionTimeColumn)
    if (ct === undefined) return missing(o.conversionTimeColumn, 'the conversion time')
    if (ct.type !== time.type) return E.left(`the conversion time column ${JSON.stringify(ct.name)} (${ct.type}) must be stored as the time column is (${time.type})`)
  }
  if (o.orderColumn !== undefined) {
    const oc = byName.get(o.orderColumn)
    if (oc === undefined) return missing(o.orderColumn, 'the order of rows at the same time')
    if (oc.type !== 'number') return E.left(`the order column ${JSON.stringify(oc.name)} must be a number, not ${oc.type}`)
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
