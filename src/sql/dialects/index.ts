/**
 * The dialect table: one small object of functions per engine.
 *
 * @module
 */
import type { Dialect, DialectName } from '../dialect'
import { clickhouse } from './clickhouse'
import { duckdb } from './duckdb'
import { postgres } from './postgres'

/** @category dialect @since 0.2.0 */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { duckdb, postgres, clickhouse } as Record<DialectName, Dialect>

export { clickhouse, duckdb, postgres }
