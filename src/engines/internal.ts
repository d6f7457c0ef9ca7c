/**
 * What the engines' exports share at their boundary: the failure a driver's methods reject with, its conversion
 * to a `Left`, and the checks of what a plain-JavaScript caller passes (a driver, a source, options).
 *
 * @internal
 * @module
 */
import { invalidInput, issue, showValue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { DIALECT_NAMES, type DialectName } from '../sql/dialect'
import type { SqlSource } from '../sql/model'

/**
 * @internal What a driver's `rows`, `columns` and `connect` steps throw: the engine's message, credentials removed.
 * Never leaves the engines: every export turns it into an `EngineFailure` Left.
 */
export class DriverError extends Error {
  override readonly name = 'DriverError'
}

/** @internal An engine could not be reached or did not run the query. */
export const engineFailure = (reason: string): TouchpointError => ({ _tag: 'EngineFailure', reason })

/** @internal Whatever a driver threw, as an `EngineFailure` (a driver of the caller's own may throw anything). */
export const failureOf = (e: unknown): TouchpointError => engineFailure(e instanceof Error ? e.message : showValue(e))

/** @internal A driver, as far as the exports use one: its dialect and its methods. */
export const isDriver = (u: unknown): u is { readonly dialect: DialectName; readonly rows: (sql: string) => AsyncIterable<ReadonlyArray<Record<string, unknown>>>; readonly columns: (sql: string) => Promise<ReadonlyArray<{ readonly name: string; readonly type: string }>> } =>
  isRecord(u) && DIALECT_NAMES.includes(u['dialect'] as never) && typeof u['rows'] === 'function' && typeof u['columns'] === 'function'

/** @internal */
export const DRIVER = 'a SqlDriver (from openDuckDb, openPostgres or openClickHouse: { dialect, rows, columns, close })'

/** @internal The issues of a source: a table by name or a query of the caller's. */
export const sourceIssues = (u: unknown, path = 'source'): ReadonlyArray<Issue> => {
  if (!isRecord(u) || (u['_tag'] !== 'table' && u['_tag'] !== 'query')) return [issue(path, "a source: { _tag: 'table', name } or { _tag: 'query', sql }", u)]
  const field = u['_tag'] === 'table' ? 'name' : 'sql'
  const v = u[field]
  return typeof v === 'string' && v.trim() !== '' ? [] : [issue(`${path}.${field}`, u['_tag'] === 'table' ? 'a table name' : 'the text of a query', v)]
}

/** @internal */
export const isSource = (u: unknown): u is SqlSource => sourceIssues(u).length === 0

/** @internal A Left of one issue. */
export const invalid = (path: string, expected: string, actual: unknown): TouchpointError => invalidInput([issue(path, expected, actual)])
