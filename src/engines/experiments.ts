/**
 * Experiment analysis where the data lives: describe the exposure and event sources, settle how their times are
 * stored, compile the per-arm sums for the driver's dialect, run, and decode them into the `LogSums` that
 * `toStatistics` finishes, exactly as it finishes the in-process reducer's.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import type { LogSums, Metrics } from '../experiments/model'
import { DIALECTS, duckdb } from '../sql/dialects'
import { compileExperimentSums } from '../sql/experiments'
import { decodeExperimentSums } from '../sql/experimentsDecode'
import type { ExperimentQuery } from '../sql/experimentsModel'
import { quoteTable } from '../sql/identifiers'
import type { SqlSource, SqlTime } from '../sql/model'
import { allRows, EngineError, type SqlDriver } from './driver'
import { typeCategory, type ColumnInfo } from './plan'

/**
 * What to compute and from which columns (names as in `ExposureColumns` and `EventColumns`; `exposureTime`
 * undefined: the default `timestamp`, else `time`, else none).
 *
 * @category engines
 * @since 0.2.0
 */
export interface EngineExperimentOptions {
  readonly metrics: Metrics
  readonly exposureColumns: { readonly unit: string; readonly experiment: string; readonly variant: string; readonly time?: string; readonly dimension?: string }
  readonly eventColumns: { readonly unit: string; readonly time: string; readonly event: string }
  /** How numeric times count (default ms). */
  readonly timeUnit?: 's' | 'ms' | 'us' | 'ns'
  readonly experiment?: string
  readonly asOf?: number
}

const describeSource = async (driver: SqlDriver, source: SqlSource): Promise<ReadonlyArray<ColumnInfo>> => {
  let sql: string
  if (source._tag === 'query') sql = source.sql
  else {
    const q = quoteTable(DIALECTS[driver.dialect])(source.name)
    if (E.isLeft(q)) throw new EngineError(formatError(q.left))
    sql = `SELECT * FROM ${q.right}`
  }
  return (await driver.columns(sql)).map((c) => ({ name: c.name, type: typeCategory(c.type) }))
}

/** DuckDB reading files: ISO 8601 text times become timestamps (with their offsets; DuckDB runs in UTC). */
const withTimestamps = (source: SqlSource, columns: ReadonlyArray<ColumnInfo>, names: ReadonlyArray<string>): SqlSource => {
  const texts = names.filter((n) => columns.some((c) => c.name === n && c.type === 'text'))
  if (texts.length === 0 || source._tag !== 'query') return source
  const replaced = texts.map((c) => `CAST(${duckdb.ident(c)} AS TIMESTAMPTZ) AS ${duckdb.ident(c)}`).join(', ')
  return { _tag: 'query', sql: `SELECT * REPLACE (${replaced}) FROM (\n${source.sql}\n) AS tp_cast` }
}

const timeTypeOf = (what: string, column: ColumnInfo, unit: EngineExperimentOptions['timeUnit']): E.Either<string, SqlTime> => {
  if (column.type === 'number') return E.right({ _tag: 'epoch', unit: unit ?? 'ms' })
  if (column.type === 'timestamp') return E.right({ _tag: 'timestamp' })
  return E.left(`the ${what} time column ${JSON.stringify(column.name)} is neither a number nor a timestamp (${column.type})`)
}

/**
 * The query for `driver`'s dialect over the two sources, planned from their columns; or a message naming the
 * column that is missing and the columns there are.
 *
 * @category engines
 * @since 0.2.0
 */
export const planExperimentQuery = async (driver: SqlDriver, sources: { readonly exposures: SqlSource; readonly events: SqlSource }, o: EngineExperimentOptions): Promise<E.Either<string, ExperimentQuery>> => {
  let exposures = sources.exposures
  let events = sources.events
  let xc = await describeSource(driver, exposures)
  let ec = await describeSource(driver, events)
  const has = (cs: ReadonlyArray<ColumnInfo>, n: string) => cs.some((c) => c.name === n)
  const find = (cs: ReadonlyArray<ColumnInfo>, n: string, aliases: ReadonlyArray<string>) => (has(cs, n) ? n : aliases.find((a) => has(cs, a)))
  const missing = (log: string, role: string, name: string, cs: ReadonlyArray<ColumnInfo>) => E.left(`${log}: no column ${JSON.stringify(name)} (the ${role}); the columns are: ${cs.map((c) => c.name).join(', ')}`)
  const xUnit = find(xc, o.exposureColumns.unit, o.exposureColumns.unit === 'unit_id' ? ['unitId'] : [])
  if (xUnit === undefined) return missing('exposures', 'unit', o.exposureColumns.unit, xc)
  for (const [role, name] of [['experiment', o.exposureColumns.experiment], ['variant', o.exposureColumns.variant], ...(o.exposureColumns.dimension === undefined ? [] : [['dimension', o.exposureColumns.dimension]])] as const) {
    if (!has(xc, name)) return missing('exposures', role, name, xc)
  }
  const xTime = o.exposureColumns.time !== undefined ? (has(xc, o.exposureColumns.time) ? o.exposureColumns.time : undefined) : find(xc, 'timestamp', ['time'])
  if (o.exposureColumns.time !== undefined && xTime === undefined) return missing('exposures', 'time', o.exposureColumns.time, xc)
  const eUnit = find(ec, o.eventColumns.unit, o.eventColumns.unit === 'unit_id' ? ['unitId'] : [])
  if (eUnit === undefined) return missing('events', 'unit', o.eventColumns.unit, ec)
  const eTime = find(ec, o.eventColumns.time, o.eventColumns.time === 'timestamp' ? ['time'] : [])
  if (eTime === undefined) return missing('events', 'time', o.eventColumns.time, ec)
  if (!has(ec, o.eventColumns.event)) return missing('events', 'event name', o.eventColumns.event, ec)
  for (const v of o.metrics.valueColumns) if (!has(ec, v)) return missing('events', `value a sum metric adds up`, v, ec)
  if (driver.dialect === 'duckdb') {
    exposures = withTimestamps(exposures, xc, xTime === undefined ? [] : [xTime])
    events = withTimestamps(events, ec, [eTime])
    if (exposures !== sources.exposures) xc = await describeSource(driver, exposures)
    if (events !== sources.events) ec = await describeSource(driver, events)
  }
  const xType = xTime === undefined ? E.right<string, SqlTime>({ _tag: 'epoch', unit: 'ms' }) : timeTypeOf('exposures', xc.find((c) => c.name === xTime)!, o.timeUnit)
  if (E.isLeft(xType)) return xType
  const eType = timeTypeOf('events', ec.find((c) => c.name === eTime)!, o.timeUnit)
  if (E.isLeft(eType)) return eType
  return E.right({
    exposures: {
      source: exposures,
      unit: xUnit,
      experiment: o.exposureColumns.experiment,
      variant: o.exposureColumns.variant,
      ...(xTime === undefined ? {} : { time: xTime }),
      timeType: xType.right,
      ...(o.exposureColumns.dimension === undefined ? {} : { dimension: o.exposureColumns.dimension }),
    },
    events: { source: events, unit: eUnit, time: eTime, event: o.eventColumns.event, timeType: eType.right },
    metrics: o.metrics,
    ...(o.experiment === undefined ? {} : { experiment: o.experiment }),
    ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
  })
}

/**
 * Runs the per-arm sums on `driver` and decodes them: the `LogSums` the in-process reducer computes from the same
 * rows (equal to 1e-9 relative, counts exactly; tests/engines hold DuckDB, PostgreSQL and a ClickHouse cluster to it).
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7d' }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const db = await openDuckDb()
 * const r = await experimentSumsWithDriver(db, {
 *   exposures: { _tag: 'query', sql: duckDbFileSource(['examples/experiment-exposures.csv'], 'csv') },
 *   events: { _tag: 'query', sql: duckDbFileSource(['examples/experiment-events.csv.gz'], 'csv') },
 * }, { metrics: metrics.right, exposureColumns: { unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp' }, eventColumns: { unit: 'unit_id', time: 'timestamp', event: 'event' } })
 * await db.close()
 * pipe(r, E.map(({ sums }) => sums.rows.length > 0)) // => right(true)
 *
 * @category engines
 * @since 0.2.0
 */
export const experimentSumsWithDriver = async (
  driver: SqlDriver,
  sources: { readonly exposures: SqlSource; readonly events: SqlSource },
  options: EngineExperimentOptions,
): Promise<E.Either<string, { readonly sums: LogSums; readonly sql: string }>> => {
  const query = await planExperimentQuery(driver, sources, options)
  if (E.isLeft(query)) return query
  const compiled = compileExperimentSums(driver.dialect)(query.right)
  if (E.isLeft(compiled)) return E.left(formatError(compiled.left))
  const rows = await allRows(driver, compiled.right.sql)
  const sums = decodeExperimentSums(options.metrics, { dimension: options.exposureColumns.dimension !== undefined })(rows)
  if (E.isLeft(sums)) return E.left(formatError(sums.left))
  return E.right({ sums: sums.right, sql: compiled.right.sql })
}
