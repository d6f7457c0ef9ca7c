/**
 * From a source and the user's options to the query an engine runs: the source's columns described, the input
 * planned from them. Shared by attribution (`attribute.ts`) and the journeys the report reduces (`journeys.ts`).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName, PositionWeights } from '../attribution/model'
import { invalidInput, type TouchpointError } from '../core/errors'
import { DIALECTS, duckdb } from '../sql/dialects'
import { quoteTable } from '../sql/identifiers'
import type { AttributionQuery, SqlSource } from '../sql/model'
import type { SqlDriver } from './driver'
import { DRIVER, failureOf, invalid, isDriver, sourceIssues } from './internal'
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

/**
 * The source's columns, typed by category; an `EngineFailure` Left when the engine cannot describe it (no such
 * table, a query that does not run), an `InvalidInput` Left naming `driver` or `source` for what is neither.
 *
 * @category engines
 * @since 0.2.0
 */
export const describeSource = async (driver: SqlDriver, source: SqlSource): Promise<E.Either<TouchpointError, ReadonlyArray<ColumnInfo>>> => {
  if (!isDriver(driver)) return E.left(invalid('driver', DRIVER, driver))
  const bad = sourceIssues(source)
  if (bad.length > 0) return E.left(invalidInput(bad))
  let sql = source._tag === 'query' ? source.sql : undefined
  if (source._tag === 'table') {
    const q = quoteTable(DIALECTS[driver.dialect])(source.name)
    if (E.isLeft(q)) return q
    sql = `SELECT * FROM ${q.right}`
  }
  try {
    return E.right((await driver.columns(sql!)).map((c) => ({ name: c.name, type: typeCategory(c.type) })))
  } catch (e) {
    return E.left(failureOf(e))
  }
}

/**
 * @internal
 * The query for `source` on `driver` (both checked by the caller): its columns described, the input planned from
 * them (DuckDB sources whose time columns are text, ISO 8601 in CSV or JSON, are read as timestamps with their
 * offsets; DuckDB runs in UTC). A Left is a plan's message or the engine's failure.
 */
export const planQuery = async (driver: SqlDriver, source: SqlSource, options: EngineAttributionOptions): Promise<E.Either<TouchpointError, AttributionQuery>> => {
  let src = source
  const described = await describeSource(driver, src)
  if (E.isLeft(described)) return described
  let columns = described.right
  const plan0 = planInput(columns, options)
  if (E.isLeft(plan0) && driver.dialect === 'duckdb' && src._tag === 'query') {
    // ISO 8601 text in files: cast to timestamps (with time zone: offsets are honoured) and plan again.
    const texts = [options.eventColumns.time, options.conversionTimeColumn].filter((c): c is string => c !== undefined && columns.some((x) => x.name === c && x.type === 'text'))
    if (texts.length > 0) {
      const replaced = texts.map((c) => `CAST(${duckdb.ident(c)} AS TIMESTAMPTZ) AS ${duckdb.ident(c)}`).join(', ')
      src = { _tag: 'query', sql: `SELECT * REPLACE (${replaced}) FROM ${sourceSql(src)}` }
      const again = await describeSource(driver, src)
      if (E.isLeft(again)) return again
      columns = again.right
    }
  }
  const parquetOrder = columns.some((c) => c.name === 'tp_file_order') && options.orderColumn === undefined ? { orderColumn: 'tp_file_order' } : {}
  const plan = planInput(columns, { ...options, ...parquetOrder })
  if (E.isLeft(plan)) return plan
  return E.right({ source: src, input: plan.right, models: options.models, order: options.order, position: options.position, halfLifeMs: options.halfLifeMs, direct: options.direct })
}
