/**
 * Whether the optional DuckDB package loads here (the CLI asks before handing events to DuckDB).
 *
 * @internal
 * @module
 */

/** True when `@duckdb/node-api` (an optional dependency) can be imported. @internal */
export const duckDbInstalled = async (): Promise<boolean> => {
  try {
    await import('@duckdb/node-api')
    return true
  } catch {
    return false
  }
}
