/**
 * Writes examples/paths.parquet from examples/paths.csv with DuckDB (the demo's and the README's Parquet file:
 * the same 400 paths, as a warehouse would export them). Deterministic: same rows, same order, same types.
 *
 *   npx tsx scripts/examples/paths-parquet.ts
 */
import { fileURLToPath } from 'node:url'
import { allRows, type SqlDriver } from '../../src/engines/driver'
import { formatError, type TouchpointError } from '../../src/core/errors'
import { openDuckDb } from '../../src/engines/duckdb'
import { duckdb } from '../../src/sql/dialects'

/** The engines answer Eithers: stop at the first Left, with its message. */
const orThrow = <A>(e: { readonly _tag: 'Left'; readonly left: TouchpointError } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (e._tag === 'Left') throw new Error(formatError(e.left))
  return e.right
}
const rowsOf = async (driver: SqlDriver, sql: string) => orThrow(await allRows(driver, sql))

const here = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))

const db = orThrow(await openDuckDb({ threads: 1 }))
await rowsOf(
  db,
  `COPY (SELECT path, CAST(total_conversions AS BIGINT) AS total_conversions, CAST(total_conversion_value AS DOUBLE) AS total_conversion_value, CAST(total_null AS BIGINT) AS total_null FROM read_csv(${duckdb.string(here('paths.csv'))})) TO ${duckdb.string(here('paths.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
)
await db.close()
console.log('wrote examples/paths.parquet')
