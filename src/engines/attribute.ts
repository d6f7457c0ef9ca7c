/**
 * Attribution where the data lives: describe the source, plan the input from its columns, compile for the
 * driver's dialect, run, and decode the partial result, which `attribute` then finishes.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName, PositionWeights } from '../attribution/model'
import { formatError, invalidInput, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { compileAttribution } from '../sql/compile'
import { decodeAttributionRows, type SqlAttribution } from '../sql/decode'
import { DIALECTS, duckdb } from '../sql/dialects'
import { quoteTable } from '../sql/identifiers'
import type { AttributionQuery, SqlSource } from '../sql/model'
import { allRows, type SqlDriver } from './driver'
import { DRIVER, engineFailure, failureOf, invalid, isDriver, sourceIssues } from './internal'
import { inputPlanIssues, planInput, typeCategory, type ColumnInfo, type InputPlanOptions } from './plan'

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
 * Runs attribution on `driver` over `source` and decodes the partial result. DuckDB sources whose time columns
 * are text (ISO 8601 in CSV or JSON) are read as timestamps with their offsets (DuckDB runs in UTC).
 *
 * Never rejects: an `InvalidInput` Left names the argument or option that is wrong (`options.models`,
 * `options.eventColumns.time`, a column the source lacks), an `EngineFailure` Left carries the engine's message.
 *
 * @example
 * const db = await openDuckDb()
 * if (E.isLeft(db)) throw new Error(formatError(db.left))
 * const options = { ...DEFAULT_SETTINGS, models: ['first', 'linear'], pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>' } as const
 * const sql = duckDbFileSource(['examples/paths.parquet'], 'parquet')
 * if (E.isLeft(sql)) throw new Error(formatError(sql.left))
 * const r = await attributeWithDriver(db.right, { _tag: 'query', sql: sql.right }, options)
 * await db.right.close()
 * pipe(r, E.map(({ result }) => result.partial.totals)) // => right({ journeys: 400, … })
 *
 * @category engines
 * @since 0.2.0
 */
export const attributeWithDriver = async (
  driver: SqlDriver,
  source: SqlSource,
  options: EngineAttributionOptions,
): Promise<E.Either<TouchpointError, { readonly result: SqlAttribution; readonly sql: string }>> => {
  if (!isDriver(driver)) return E.left(invalid('driver', DRIVER, driver))
  const bad = [...sourceIssues(source), ...(isRecord(options) && !Array.isArray(options) ? inputPlanIssues(options) : [])]
  if (!isRecord(options) || Array.isArray(options)) bad.push({ path: 'options', expected: 'attribution options: { models, order, position, halfLifeMs, direct, pathColumns, eventColumns, separator, … }', actual: options })
  if (bad.length > 0) return E.left(invalidInput(bad))
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
  // The compiler checks the models and settings (checkAttributionQuery): its Lefts name them under `options`.
  const query: AttributionQuery = { source: src, input: plan.right, models: options.models, order: options.order, position: options.position, halfLifeMs: options.halfLifeMs, direct: options.direct }
  const compiled = compileAttribution(driver.dialect)(query)
  if (E.isLeft(compiled)) return E.left(underOptions(compiled.left))
  const rows = await allRows(driver, compiled.right.sql)
  if (E.isLeft(rows)) return rows
  const decoded = decodeAttributionRows()(rows.right)
  if (E.isLeft(decoded)) return E.left(engineFailure(`the engine's result did not decode: ${formatError(decoded.left)}`))
  return E.right({ result: decoded.right, sql: compiled.right.sql })
}

/** The compiler's issues about the settings, named as the caller passed them (`models` is `options.models`). */
const underOptions = (e: TouchpointError): TouchpointError =>
  e._tag === 'InvalidInput' ? invalidInput(e.issues.map((i) => (['models', 'order', 'position', 'halfLifeMs', 'direct'].some((k) => i.path === k || i.path.startsWith(`${k}.`) || i.path.startsWith(`${k}[`)) ? { ...i, path: `options.${i.path}` } : i))) : e
