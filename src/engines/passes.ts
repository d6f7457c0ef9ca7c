/**
 * Event input on DuckDB in several passes, each over a disjoint set of users, for the queries that build one
 * ordered list per journey (the report's journeys, and attribution with channel sets past 63 channels; other
 * attribution queries keep one row per touch, channel sets as bitmasks, and need none). DuckDB (1.5) keeps the states of a list aggregate in memory: it cannot spill them, so
 * 10M events (3.3M journeys) ran out of memory at the default 512 MB limit whatever the threads or the
 * temporary directory (the window steps before it do spill). A pass keeps the users whose hash modulo the pass
 * count is its number; every journey lies within one user, so the passes' results are disjoint and add up
 * (partials are sums; the report's reducer takes their journeys one by one).
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
import type { TouchpointError } from '../core/errors'
import { duckdb } from '../sql/dialects'
import { eventFields } from '../sql/journeys'
import type { AttributionQuery, SqlEvents } from '../sql/model'
import { allRows, type SqlDriver } from './driver'

/**
 * Rows a pass may hold per MiB of DuckDB's memory limit. Measured on 10M shuffled events (3.3M users, 30-day lookback,
 * rule-based, time decay and Markov) at the default 488 MiB: one pass of 2M rows ran out of memory (with two threads
 * and with one), one of 1.25M rows completed (2.6k rows per MiB). A fifth below that, for wider rows.
 */
export const ROWS_PER_MIB = 2_000

const UNITS: Readonly<Record<string, number>> = { bytes: 1 / 1048576, kib: 1 / 1024, kb: 1 / 1024, mib: 1, mb: 1, gib: 1024, gb: 1024, tib: 1048576, tb: 1048576 }

/** DuckDB's memory limit in MiB, from its setting's text (`488.2 MiB`); undefined when it says none. */
export const memoryLimitMiB = (text: string): number | undefined => {
  const m = /^\s*([\d.]+)\s*([a-z]+)\s*$/i.exec(text)
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()]
  return m === null || unit === undefined ? undefined : Number(m[1]) * unit
}

/**
 * How many passes events need on DuckDB: 1 unless the query builds per-journey lists (`lists`: the report's
 * journeys, or attribution with channel sets without bitmasks; `eventsByTouch` says when it does not) and the rows exceed what the
 * memory limit holds in one.
 */
export const duckDbPasses = async (driver: SqlDriver, query: AttributionQuery, lists: boolean): Promise<E.Either<TouchpointError, number>> => {
  if (driver.dialect !== 'duckdb' || query.input._tag !== 'events' || !lists) return E.right(1)
  const setting = await allRows(driver, "SELECT CAST(current_setting('memory_limit') AS VARCHAR) AS m")
  if (E.isLeft(setting)) return setting
  const limit = memoryLimitMiB(String(setting.right[0]?.['m'] ?? ''))
  if (limit === undefined) return E.right(1)
  const source = query.source._tag === 'table' ? duckdb.table(query.source.name.split('.')) : `(\n${query.source.sql}\n) AS tp_src`
  const counted = await allRows(driver, `SELECT count(*) AS n FROM ${source}`)
  if (E.isLeft(counted)) return counted
  const rows = Number(counted.right[0]?.['n'] ?? 0)
  return E.right(Math.max(1, Math.ceil(rows / (limit * ROWS_PER_MIB))))
}

/** The query over pass `i` of `passes`: the users whose hash of their id (as the query reads it) lands there. */
export const pass = (query: AttributionQuery & { readonly input: SqlEvents }, i: number, passes: number): AttributionQuery => {
  if (passes <= 1) return query
  const source = query.source._tag === 'table' ? `SELECT * FROM ${duckdb.table(query.source.name.split('.'))}` : query.source.sql
  const user = eventFields(duckdb, query.input).tp_id
  return { ...query, source: { _tag: 'query', sql: `SELECT * FROM (\n${source}\n) AS tp_src WHERE COALESCE(hash(${user}), 0) % ${passes} = ${i}` } }
}
