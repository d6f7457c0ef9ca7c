/**
 * Attribution compiled to SQL: the engine where the data lives (DuckDB, PostgreSQL, ClickHouse, BigQuery,
 * Snowflake, Databricks/Spark, Trino/Athena, Redshift) computes the partial result, and touchpoint finishes it
 * (`attribute` from `touchpoint/attribution`). Pure: text in, text out, no connection.
 *
 * @module
 */
export * from './model'
export * from './dialect'
export { DIALECTS } from './dialects'
export { checkAttributionQuery } from './check'
export { quoteTable } from './identifiers'
export { compileAttribution, type ResultSettings } from './compile'
export { decodeAttributionRows, decodeChannels, type SqlAttribution } from './decode'
export { checkExperimentQuery, type ExperimentQuery, type SqlEventLog, type SqlExposures } from './experimentsModel'
export { compileExperimentSums } from './experiments'
export { decodeExperimentSums } from './experimentsDecode'
