/**
 * Engines that run touchpoint's SQL where the data lives (Node only): DuckDB embedded (files: CSV, JSON lines,
 * Parquet, gzip, globs), PostgreSQL through `pg`, ClickHouse over HTTP. Each is a `SqlDriver` that runs text and
 * streams rows; `attributeWithEngine` compiles for its dialect, runs, and decodes the partial result.
 *
 * @module
 */
export * from './driver'
export * from './duckdb'
export * from './postgres'
export * from './clickhouse'
export { redactUrl } from './url'
export { planInput, typeCategory, type ColumnInfo, type InputPlanOptions } from './plan'
export * from './files'
export * from './attribute'
export * from './experiments'
