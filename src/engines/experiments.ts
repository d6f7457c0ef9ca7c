/**
 * Experiment analysis where the data lives: describe the exposure and event sources, settle how their times are
 * stored, compile the per-arm sums for the driver's dialect, run, and decode them into the `LogSums` that
 * `toStatistics` finishes, exactly as it finishes the in-process reducer's.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { columnNamesIssues, isRecord } from '../core/guards'
import { isMetrics, METRICS } from '../experiments/internal/guards'
import type { LogSums, Metrics } from '../experiments/model'
import type { Span } from '../experiments/reduce'
import { duckdb } from '../sql/dialects'
import { compileExperimentSums } from '../sql/experiments'
import { decodeExperimentSums, experimentSpan } from '../sql/experimentsDecode'
import type { ExperimentQuery } from '../sql/experimentsModel'
import type { SqlSource, SqlTime } from '../sql/model'
import { allRows, type SqlDriver } from './driver'
import { DRIVER, invalid, isDriver, sourceIssues } from './internal'
import type { ColumnInfo } from './plan'
import { describeSource } from './query'

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

type Sources = { readonly exposures: SqlSource; readonly events: SqlSource }

const TIME_UNITS: ReadonlyArray<string> = ['s', 'ms', 'us', 'ns']

/** What a plain-JavaScript caller passed, checked once at the boundary (the planner then trusts it). */
const boundaryIssues = (driver: unknown, sources: unknown, o: unknown): ReadonlyArray<Issue> => {
  const bad: Array<Issue> = []
  if (!isDriver(driver)) bad.push(issue('driver', DRIVER, driver))
  if (!isRecord(sources)) bad.push(issue('sources', '{ exposures, events }: two sources', sources))
  else bad.push(...sourceIssues(sources['exposures'], 'sources.exposures'), ...sourceIssues(sources['events'], 'sources.events'))
  if (!isRecord(o) || Array.isArray(o)) return [...bad, issue('options', '{ metrics, exposureColumns, eventColumns, timeUnit?, experiment?, asOf? }', o)]
  // The whole shape the query and its decoder read (event metrics, ratios, value columns), as the experiments'
  // exports check it: the planned query hands these metrics on, so a broken one would surface only later.
  if (!isMetrics(o['metrics'])) bad.push(issue('options.metrics', METRICS, o['metrics']))
  bad.push(...columnNamesIssues(o['exposureColumns'], 'options.exposureColumns', ['unit', 'experiment', 'variant'], ['time', 'dimension']))
  bad.push(...columnNamesIssues(o['eventColumns'], 'options.eventColumns', ['unit', 'time', 'event']))
  if (o['timeUnit'] !== undefined && !TIME_UNITS.includes(o['timeUnit'] as string)) bad.push(issue('options.timeUnit', 's, ms, us or ns', o['timeUnit']))
  if (o['experiment'] !== undefined && typeof o['experiment'] !== 'string') bad.push(issue('options.experiment', 'an experiment key', o['experiment']))
  if (o['asOf'] !== undefined && !Number.isFinite(o['asOf'])) bad.push(issue('options.asOf', 'a time in epoch milliseconds', o['asOf']))
  return bad
}

/** DuckDB reading files: ISO 8601 text times become timestamps (with their offsets; DuckDB runs in UTC). */
const withTimestamps = (source: SqlSource, columns: ReadonlyArray<ColumnInfo>, names: ReadonlyArray<string>): SqlSource => {
  const texts = names.filter((n) => columns.some((c) => c.name === n && c.type === 'text'))
  if (texts.length === 0 || source._tag !== 'query') return source
  const replaced = texts.map((c) => `CAST(${duckdb.ident(c)} AS TIMESTAMPTZ) AS ${duckdb.ident(c)}`).join(', ')
  return { _tag: 'query', sql: `SELECT * REPLACE (${replaced}) FROM (\n${source.sql}\n) AS tp_cast` }
}

const timeTypeOf = (what: string, column: ColumnInfo, unit: EngineExperimentOptions['timeUnit']): E.Either<TouchpointError, SqlTime> => {
  if (column.type === 'number') return E.right({ _tag: 'epoch', unit: unit ?? 'ms' })
  if (column.type === 'timestamp') return E.right({ _tag: 'timestamp' })
  return E.left(invalid(`options.${what === 'exposures' ? 'exposureColumns' : 'eventColumns'}.time`, 'a time column holding numbers or timestamps', `${column.name} (${column.type})`))
}

/**
 * The query for `driver`'s dialect over the two sources, planned from their columns; or a Left naming the option
 * whose column is missing (and the columns there are), an argument that is not what it should be, or the engine's
 * failure. Never rejects.
 *
 * @category engines
 * @since 0.2.0
 */
export const planExperimentQuery = async (driver: SqlDriver, sources: Sources, options: EngineExperimentOptions): Promise<E.Either<TouchpointError, ExperimentQuery>> => {
  const bad = boundaryIssues(driver, sources, options)
  return bad.length > 0 ? E.left(invalidInput(bad)) : plan(driver, sources, options)
}

const plan = async (driver: SqlDriver, sources: Sources, o: EngineExperimentOptions): Promise<E.Either<TouchpointError, ExperimentQuery>> => {
  let exposures = sources.exposures
  let events = sources.events
  const xd = await describeSource(driver, exposures)
  if (E.isLeft(xd)) return xd
  const ed = await describeSource(driver, events)
  if (E.isLeft(ed)) return ed
  let xc = xd.right
  let ec = ed.right
  const has = (cs: ReadonlyArray<ColumnInfo>, n: string) => cs.some((c) => c.name === n)
  const find = (cs: ReadonlyArray<ColumnInfo>, n: string, aliases: ReadonlyArray<string>) => (has(cs, n) ? n : aliases.find((a) => has(cs, a)))
  const missing = (log: string, role: string, name: string, cs: ReadonlyArray<ColumnInfo>) =>
    E.left(invalid(`options.${log === 'exposures' ? 'exposureColumns' : 'eventColumns'}.${role}`, `a column of the ${log}; the columns are: ${cs.map((c) => c.name).join(', ')}`, name))
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
  if (!has(ec, o.eventColumns.event)) return missing('events', 'event', o.eventColumns.event, ec)
  for (const v of o.metrics.valueColumns) if (!has(ec, v)) return E.left(invalid('options.metrics', `value columns the events have (a sum metric adds one up); the columns are: ${ec.map((c) => c.name).join(', ')}`, v))
  if (driver.dialect === 'duckdb') {
    exposures = withTimestamps(exposures, xc, xTime === undefined ? [] : [xTime])
    events = withTimestamps(events, ec, [eTime])
    if (exposures !== sources.exposures) {
      const d = await describeSource(driver, exposures)
      if (E.isLeft(d)) return d
      xc = d.right
    }
    if (events !== sources.events) {
      const d = await describeSource(driver, events)
      if (E.isLeft(d)) return d
      ec = d.right
    }
  }
  const xType = xTime === undefined ? E.right<TouchpointError, SqlTime>({ _tag: 'epoch', unit: 'ms' }) : timeTypeOf('exposures', xc.find((c) => c.name === xTime)!, o.timeUnit)
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
 * DuckDB runs the query with the units on the build side of the join, as written. Its optimizer, misjudging the
 * events read from a file as the smaller side, would otherwise hash every event (1M units, 21M events: the join
 * alone took 13x longer). The connection's own setting is put back after.
 */
const unitsOnTheBuildSide = async (driver: SqlDriver, sql: string): Promise<E.Either<TouchpointError, Array<Record<string, unknown>>>> => {
  const setting = await allRows(driver, "SELECT current_setting('disabled_optimizers') AS v")
  if (E.isLeft(setting)) return setting
  const before = String(setting.right[0]?.['v'] ?? '')
  const set = (value: string) => allRows(driver, `SET disabled_optimizers = ${duckdb.string(value)}`)
  const disabled = await set([before, 'build_side_probe_side'].filter((x) => x !== '').join(','))
  if (E.isLeft(disabled)) return disabled
  const rows = await allRows(driver, sql)
  const restored = await set(before)
  return E.isLeft(rows) ? rows : E.isLeft(restored) ? restored : rows
}

/**
 * Runs the per-arm sums on `driver` and decodes them: the `LogSums` the in-process reducer computes from the same
 * rows (equal to 1e-9 relative, counts exactly; tests/engines hold DuckDB, PostgreSQL and a ClickHouse cluster to it),
 * and the logs' time span as the reducer's `span` (for the sequential series). Rows the in-process reader refuses
 * (a unit id, experiment or variant that is empty or white space, a missing time, a missing value a sum metric adds
 * up; in any experiment, of any unit) make it an `InsufficientData` Left here too.
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7d' }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const opened = await openDuckDb()
 * if (E.isLeft(opened)) throw new Error('DuckDB did not start')
 * const db = opened.right
 * const exposures = duckDbFileSource(['examples/experiment-exposures.csv'], 'csv')
 * const events = duckDbFileSource(['examples/experiment-events.csv.gz'], 'csv')
 * if (E.isLeft(exposures) || E.isLeft(events)) throw new Error('no such files')
 * const r = await experimentSumsWithDriver(db, {
 *   exposures: { _tag: 'query', sql: exposures.right },
 *   events: { _tag: 'query', sql: events.right },
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
): Promise<E.Either<TouchpointError, { readonly sums: LogSums; readonly sql: string; readonly span: Span }>> => {
  const query = await planExperimentQuery(driver, sources, options)
  if (E.isLeft(query)) return query
  const compiled = compileExperimentSums(driver.dialect)(query.right)
  if (E.isLeft(compiled)) return compiled
  const rows = driver.dialect === 'duckdb' ? await unitsOnTheBuildSide(driver, compiled.right.sql) : await allRows(driver, compiled.right.sql)
  if (E.isLeft(rows)) return rows
  const sums = decodeExperimentSums(options.metrics, { dimension: options.exposureColumns.dimension !== undefined })(rows.right)
  if (E.isLeft(sums)) return sums
  return E.right({ sums: sums.right, sql: compiled.right.sql, span: experimentSpan(rows.right) })
}
