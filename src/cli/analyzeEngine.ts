/**
 * `touchpoint analyze --exposures --events --metrics --engine duckdb|postgres|clickhouse`: the per-arm sums
 * computed where the data lives (DuckDB reads CSV, JSON lines and Parquet files directly; PostgreSQL and
 * ClickHouse read tables), then finished exactly as the in-process reducer's are.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import type { SqlDriver } from '../engines/driver'
import type { EngineExperimentOptions } from '../engines/experiments'
import { duckDbFileSource, formatOfFiles, isParquetName, type FileFormat } from '../engines/files'
import type { Metrics } from '../experiments/model'
import type { SqlSource } from '../sql/model'
import { connect, EngineInputError, withFlags } from './engineRun'
import { UsageError } from './inputOptions'
import type { SumsSource } from './sequentialSeries'

type Values = { readonly [k: string]: string | boolean | undefined }
type Engine = 'duckdb' | 'postgres' | 'clickhouse'

const str = (values: Values, name: string): string | undefined => {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

/** The library's option paths as the flags that set them, so a missing column names the flag to change. */
const FLAG_OF: Readonly<Record<string, string>> = {
  'options.exposureColumns.unit': '--exposure-unit-column',
  'options.exposureColumns.experiment': '--experiment-column',
  'options.exposureColumns.variant': '--variant-column',
  'options.exposureColumns.time': '--exposure-time-column',
  'options.exposureColumns.dimension': '--dimension',
  'options.eventColumns.unit': '--event-unit-column',
  'options.eventColumns.time': '--event-time-column',
  'options.eventColumns.event': '--event-column',
  'options.metrics': '--metrics',
}

/** The engine this run uses: `--engine`, else DuckDB when a log is named .parquet (which only DuckDB reads), else none. */
export const analyzeEngineFor = async (values: Values): Promise<Engine | undefined> => {
  const e = str(values, 'engine')
  if (e !== undefined) {
    if (e !== 'duckdb' && e !== 'postgres' && e !== 'clickhouse') throw new UsageError(`--engine: expected duckdb, postgres or clickhouse, got ${JSON.stringify(e)}`)
    return e
  }
  for (const f of ['exposures', 'events']) {
    const p = str(values, f)
    if (p !== undefined && isParquetName(p)) return 'duckdb'
  }
  return undefined
}

const fileSource = async (path: string, values: Values): Promise<E.Either<string, SqlSource>> => {
  const given = str(values, 'input-format')
  const format = await formatOfFiles([path], given as FileFormat | undefined)
  if (E.isLeft(format)) return E.left(formatError(format.left))
  const delimiter = str(values, 'delimiter')
  const sql = duckDbFileSource([path], format.right, delimiter === undefined ? {} : { delimiter })
  return E.isLeft(sql) ? E.left(formatError(sql.left)) : E.right({ _tag: 'query', sql: sql.right })
}

/**
 * The engine as a source of per-arm sums (today's, or as of a cut-off for `--sequential`). The connection is
 * opened on first use and closed by `close`.
 */
export const engineSumsSource = (
  engine: Engine,
  values: Values,
  metrics: Metrics,
  columns: Omit<EngineExperimentOptions, 'metrics' | 'experiment' | 'asOf' | 'timeUnit'>,
): { readonly source: SumsSource; readonly close: () => Promise<void> } => {
  let driver: SqlDriver | undefined
  const experiment = str(values, 'experiment')
  const timeUnit = str(values, 'time-unit') as EngineExperimentOptions['timeUnit']
  const source: SumsSource = async (asOf) => {
    const exposuresName = str(values, 'exposures')!
    const eventsName = str(values, 'events')!
    let sources: { exposures: SqlSource; events: SqlSource }
    if (engine === 'duckdb') {
      const x = await fileSource(exposuresName, values)
      if (E.isLeft(x)) return x
      const e = await fileSource(eventsName, values)
      if (E.isLeft(e)) return e
      sources = { exposures: x.right, events: e.right }
    } else sources = { exposures: { _tag: 'table', name: exposuresName }, events: { _tag: 'table', name: eventsName } }
    try {
      driver ??= await connect(engine, values)
      const { experimentSumsWithDriver } = await import('../engines/experiments')
      const r = await experimentSumsWithDriver(driver, sources, {
        metrics,
        ...columns,
        ...(experiment === undefined ? {} : { experiment }),
        ...(asOf === undefined ? {} : { asOf }),
        ...(timeUnit === undefined ? {} : { timeUnit }),
      })
      if (E.isLeft(r)) return E.left(formatError(withFlags(r.left, FLAG_OF)))
      const experiments = [...new Set(r.right.sums.rows.map((row) => row.experiment))]
      if (experiments.length === 0) {
        return E.left(experiment === undefined ? `${exposuresName}: no exposure rows${asOf === undefined ? '' : ' before the cut-off'}` : `${exposuresName}: no exposure rows for experiment ${JSON.stringify(experiment)}${asOf === undefined ? '' : ' before the cut-off'}`)
      }
      return E.right({ sums: r.right.sums, span: r.right.span, experiments })
    } catch (e) {
      if (e instanceof EngineInputError) return E.left(e.message)
      throw e
    }
  }
  // Closed after today's sums, and again after the sequential series (which opens it anew on first use).
  const close = async () => {
    const d = driver
    driver = undefined
    await d?.close()
  }
  return { source, close }
}
