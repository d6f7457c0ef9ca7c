/**
 * A seeded generator of aggregated paths straight into Parquet, at warehouse size (1e8 touches), by DuckDB itself:
 * every random choice is DuckDB's `hash` of the seed and the row (and position), so the same arguments write the
 * same rows on any machine with the same DuckDB. 12 channels, 1 to 8 touches per path (4.5 on average), about one
 * path in five converting.
 *
 *   npx tsx scripts/generate-warehouse.ts --touches 100000000 --seed bench --out /tmp/touches.parquet
 */
import { allRows, type SqlDriver } from '../src/engines/driver'
import { formatError, type TouchpointError } from '../src/core/errors'
import { openDuckDb } from '../src/engines/duckdb'
import { duckdb } from '../src/sql/dialects'
import { CHANNELS } from './generate-paths'

/** The engines answer Eithers: stop at the first Left, with its message. */
const orThrow = <A>(e: { readonly _tag: 'Left'; readonly left: TouchpointError } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (e._tag === 'Left') throw new Error(formatError(e.left))
  return e.right
}
const rowsOf = async (driver: SqlDriver, sql: string) => orThrow(await allRows(driver, sql))

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const touches = Number(arg('touches', '1000000'))
const seed = arg('seed', 'touchpoint')
const out = arg('out', 'touches.parquet')
const paths = Math.round(touches / 4.5)

const s = duckdb.string(seed)
const channels = `[${CHANNELS.map((c) => duckdb.string(c)).join(', ')}]`
const db = orThrow(await openDuckDb({ memoryLimit: '1GB' }))
await rowsOf(
  db,
  `COPY (
  SELECT array_to_string(list_transform(range(n), j -> ${channels}[CAST(1 + hash(${s}, i, j) % ${CHANNELS.length} AS BIGINT)]), ' > ') AS path,
    conv AS total_conversions,
    CASE WHEN conv = 1 THEN 10 + CAST(hash(${s}, i, 'v') % 20000 AS DOUBLE) / 100 ELSE 0 END AS total_conversion_value,
    CAST(1 - conv + hash(${s}, i, 'u') % 3 AS BIGINT) AS total_null
  FROM (
    SELECT i, CAST(1 + hash(${s}, i, 'n') % 8 AS BIGINT) AS n, CASE WHEN hash(${s}, i, 'c') % 100 < 20 THEN 1 ELSE 0 END AS conv
    FROM range(${paths}) AS t(i)
  )
) TO ${duckdb.string(out)} (FORMAT parquet, COMPRESSION zstd)`,
)
const [count] = await rowsOf(db, `SELECT count(*) AS paths, sum(len(string_split(path, ' > '))) AS touches FROM read_parquet(${duckdb.string(out)})`)
await db.close()
console.log(`wrote ${out}: ${count!['paths']} paths, ${count!['touches']} touches`)
