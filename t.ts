import * as E from 'fp-ts/Either'
import { openDuckDb } from './src/engines/duckdb'
import { allRows } from './src/engines/driver'
import { compileAttribution } from './src/sql/compile'
import { duckDbFileSource } from './src/engines/files'
const f = '/tmp/touchpoint-warehouse-bench/paths-1000000.parquet'
await allRows(await openDuckDb(), `COPY (SELECT * FROM read_parquet('${f}') LIMIT 200000) TO '/tmp/wh/p200k.parquet' (FORMAT parquet)`)
const q = { source: { _tag: 'query', sql: duckDbFileSource(['/tmp/wh/p200k.parquet'], 'parquet') }, input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null', separator: '>' }, models: ['first', 'last', 'linear', 'position'], order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: 1, direct: ['direct'] }
const sql = compileAttribution('duckdb')(q)
if (E.isLeft(sql)) throw 1
const db = await openDuckDb()
const r = await allRows(db, `EXPLAIN ANALYZE ${sql.right.sql}`)
console.log(String(r[0]!['explain_value']))
