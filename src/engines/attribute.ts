/**
 * Attribution where the data lives: describe the source, plan the input from its columns, compile for the
 * driver's dialect, run, and decode the partial result, which `attribute` then finishes.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName, PositionWeights } from '../attribution/model'
import { formatError } from '../core/errors'
import { compileAttribution } from '../sql/compile'
import { decodeAttributionRows, type SqlAttribution } from '../sql/decode'
import { DIALECTS, duckdb } from '../sql/dialects'
import { quoteTable } from '../sql/identifiers'
import type { AttributionQuery, SqlSource } from '../sql/model'
import { allRows, EngineError, type SqlDriver } from './driver'
import { planInput, typeCategory, type ColumnInfo, type InputPlanOptions } from './plan'

/**
 * What to compute, besides where: the models and settings `attribute` takes, and how rows are read.
 *
 * @category engines
 * @since 0.2.0
 */
export interface EngineAttributionOptions extends InputPlanOptions {
  readonly models: ReadonlyArray<ModelName>
  readonly order: number
  readonly position: PositionWeights
  readonly halfLifeMs: number
  readonly direct: ReadonlyArray<string>
}

const sourceSql = (source: SqlSource): string => (source._tag === 'query' ? `(\n${source.sql}\n) AS tp_source` : source.name)

/** The source's columns, typed by category. */
export const describeSource = async (driver: SqlDriver, source: SqlSource): Promise<ReadonlyArray<ColumnInfo>> => {
  const sql = source._tag === 'query' ? source.sql : `SELECT * FROM ${compileTable(driver, source.name)}`
  return (await driver.columns(sql)).map((c) => ({ name: c.name, type: typeCategory(c.type) }))
}

/** A table name quoted for the driver's dialect. */
const compileTable = (driver: SqlDriver, name: string): string => {
  const q = quoteTable(DIALECTS[driver.dialect])(name)
  if (E.isLeft(q)) throw new EngineError(formatError(q.left))
  return q.right
}

/**
 * Runs attribution on `driver` over `source` and decodes the partial result. DuckDB sources whose time columns
 * are text (ISO 8601 in CSV or JSON) are read as timestamps with their offsets (DuckDB runs in UTC).
 *
 * @example
 * const db = await openDuckDb()
 * const options = { ...DEFAULT_SETTINGS, models: ['first', 'linear'], pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>' } as const
 * const r = await attributeWithDriver(db, { _tag: 'query', sql: duckDbFileSource(['examples/paths.parquet'], 'parquet') }, options)
 * await db.close()
 * pipe(r, E.map(({ result }) => result.partial.totals)) // => right({ journeys: 400, … })
 *
 * @category engines
 * @since 0.2.0
 */
export const attributeWithDriver = async (
  driver: SqlDriver,
  source: SqlSource,
  options: EngineAttributionOptions,
): Promise<E.Either<string, { readonly result: SqlAttribution; readonly sql: string }>> => {
  let src = source
  let columns = await describeSource(driver, src)
  const plan0 = planInput(columns, options)
  if (E.isLeft(plan0) && driver.dialect === 'duckdb' && src._tag === 'query') {
    // ISO 8601 text in files: cast to timestamps (with time zone: offsets are honoured) and plan again.
    const texts = [options.eventColumns.time, options.conversionTimeColumn].filter((c): c is string => c !== undefined && columns.some((x) => x.name === c && x.type === 'text'))
    if (texts.length > 0) {
      const replaced = texts.map((c) => `CAST(${duckdb.ident(c)} AS TIMESTAMPTZ) AS ${duckdb.ident(c)}`).join(', ')
      src = { _tag: 'query', sql: `SELECT * REPLACE (${replaced}) FROM ${sourceSql(src)}` }
      columns = await describeSource(driver, src)
    }
  }
  const parquetOrder = columns.some((c) => c.name === 'tp_file_order') && options.orderColumn === undefined ? { orderColumn: 'tp_file_order' } : {}
  const plan = planInput(columns, { ...options, ...parquetOrder })
  if (E.isLeft(plan)) return plan
  const query: AttributionQuery = { source: src, input: plan.right, models: options.models, order: options.order, position: options.position, halfLifeMs: options.halfLifeMs, direct: options.direct }
  const compiled = compileAttribution(driver.dialect)(query)
  if (E.isLeft(compiled)) return E.left(formatError(compiled.left))
  const rows = await allRows(driver, compiled.right.sql)
  const decoded = decodeAttributionRows()(rows)
  if (E.isLeft(decoded)) return E.left(`the engine's result did not decode: ${formatError(decoded.left)}`)
  return E.right({ result: decoded.right, sql: compiled.right.sql })
}
