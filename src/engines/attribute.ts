/**
 * Attribution where the data lives: describe the source, plan the input from its columns, compile for the
 * driver's dialect, run, and decode the partial result, which `attribute` then finishes.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError, invalidInput, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { compileAttribution, eventsByTouch } from '../sql/compile'
import { DIALECTS } from '../sql/dialects'
import { decodeAttributionRows, type SqlAttribution } from '../sql/decode'
import type { Dialect } from '../sql/dialect'
import { TOO_MANY_CHANNELS, withoutSetMasks } from '../sql/journeysByChannelSets'
import type { AttributionQuery, SqlSource } from '../sql/model'
import { allRows, type SqlDriver } from './driver'
import { DRIVER, engineFailure, invalid, isDriver, sourceIssues } from './internal'
import { duckDbPasses, pass } from './passes'
import { inputPlanIssues } from './plan'
import { planQuery, type EngineAttributionOptions } from './query'

export { describeSource, type EngineAttributionOptions } from './query'

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
  const query = await planQuery(driver, source, options)
  if (E.isLeft(query)) return query
  const dialect = DIALECTS[driver.dialect]
  const first = await runPasses(driver, dialect, query.right)
  // Channel sets as bitmasks hold 63 channels (journeysByChannelSets.ts): past that, the per-journey lists.
  const ran = E.isLeft(first) && first.left._tag === 'EngineFailure' && first.left.reason.includes(TOO_MANY_CHANNELS) && dialect.setMasks !== undefined ? await runPasses(driver, withoutSetMasks(dialect), query.right) : first
  if (E.isLeft(ran)) return ran
  const { rows, sql } = ran.right
  const decoded = decodeAttributionRows()(rows)
  if (E.isLeft(decoded)) return E.left(engineFailure(`the engine's result did not decode: ${formatError(decoded.left)}`))
  return E.right({ result: decoded.right, sql })
}

/**
 * The query's rows on `driver`. Events on DuckDB: as many passes over disjoint users as its memory limit needs when
 * the query builds lists (passes.ts says why); one row per touch needs none.
 */
const runPasses = async (driver: SqlDriver, dialect: Dialect, query: AttributionQuery): Promise<E.Either<TouchpointError, { readonly rows: ReadonlyArray<Record<string, unknown>>; readonly sql: string }>> => {
  const passes = await duckDbPasses(driver, query, !eventsByTouch(dialect, query))
  if (E.isLeft(passes)) return passes
  const rows: Array<Record<string, unknown>> = []
  let sql = ''
  for (let i = 0; i < passes.right; i++) {
    const q = query.input._tag === 'events' ? pass({ ...query, input: query.input }, i, passes.right) : query
    const compiled = compileAttribution(dialect)(q)
    if (E.isLeft(compiled)) return E.left(underOptions(compiled.left))
    if (i === 0) sql = compiled.right.sql
    const part = await allRows(driver, compiled.right.sql)
    if (E.isLeft(part)) return part
    rows.push(...part.right)
  }
  return E.right({ rows, sql })
}

/** The compiler's issues about the settings, named as the caller passed them (`models` is `options.models`). */
const underOptions = (e: TouchpointError): TouchpointError =>
  e._tag === 'InvalidInput' ? invalidInput(e.issues.map((i) => (['models', 'order', 'position', 'halfLifeMs', 'direct'].some((k) => i.path === k || i.path.startsWith(`${k}.`) || i.path.startsWith(`${k}[`)) ? { ...i, path: `options.${i.path}` } : i))) : e
