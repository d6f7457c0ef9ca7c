/**
 * The dialect table: one small object of functions per engine.
 *
 * @module
 */
import type { Dialect, DialectName } from '../dialect'
import { bigquery } from './bigquery'
import { clickhouse } from './clickhouse'
import { databricks } from './databricks'
import { duckdb } from './duckdb'
import { postgres } from './postgres'
import { redshift } from './redshift'
import { snowflake } from './snowflake'
import { trino } from './trino'

/** @category dialect @since 0.2.0 */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { duckdb, postgres, clickhouse, bigquery, snowflake, databricks, trino, redshift }

export { bigquery, clickhouse, databricks, duckdb, postgres, redshift, snowflake, trino }
