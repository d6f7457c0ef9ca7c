/**
 * The compiled query on DuckDB (embedded, always available in `npm test`) equals the in-process engine: random
 * path and event rows, every model, Markov orders 1 to 4, channel names that quote and encode badly.
 */
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { openDuckDb } from '../../src/engines/duckdb'
import { allRows, type SqlDriver } from '../../src/engines/driver'
import { compileAttribution } from '../../src/sql/compile'
import { DAY_MS, MODEL_NAMES } from '../../src/attribution/model'
import { arbEventRows, arbPathRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, inProcessEvents, inProcessPaths, pathsQuery, type EventRow, type PathRow, type Scenario } from './_differential'

let db: SqlDriver
beforeAll(async () => {
  db = await openDuckDb({ threads: 2 })
})
afterAll(async () => {
  await db.close()
})

const exec = async (sql: string) => {
  for await (const _ of db.rows(sql)) void _
}

const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)

const loadPaths = async (table: string, rows: ReadonlyArray<PathRow>) => {
  await exec(`CREATE OR REPLACE TABLE ${table} (path VARCHAR, total_conversions DOUBLE, total_conversion_value DOUBLE, total_null DOUBLE)`)
  if (rows.length > 0) await exec(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${lit(r.path)}, ${lit(r.conversions)}, ${lit(r.value)}, ${lit(r.nulls)})`).join(', ')}`)
}

const loadEvents = async (table: string, rows: ReadonlyArray<EventRow>) => {
  await exec(`CREATE OR REPLACE TABLE ${table} (seq BIGINT, user_id VARCHAR, ts BIGINT, channel VARCHAR, conversion BOOLEAN, conversion_value DOUBLE)`)
  if (rows.length > 0) await exec(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.seq}, ${lit(r.user)}, ${r.time}, ${lit(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
}

const run = async (query: unknown) => {
  const sql = compileAttribution('duckdb')(query)
  if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
  return decodeRows(await allRows(db, sql.right.sql))
}

const checkEvents = async (rows: ReadonlyArray<EventRow>, s: Scenario, lookbackMs: number | undefined) => {
  await loadEvents('events', rows)
  const got = await run(eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs))
  const want = inProcessEvents(rows, s, lookbackMs)
  expect(got.invalidRows).toBe(want.invalid)
  expectSameAttribution(got.partial, want.partial, MODEL_NAMES)
}

const U: Scenario = { order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: ['direct'] }

describe('DuckDB = in process', () => {
  it('a conversion row without a channel still converts the journey its touches make (found by the property)', async () => {
    await checkEvents(
      [
        { seq: 0, user: 'u1', time: 1767553200000, channel: '', conversion: true, value: 5 },
        { seq: 1, user: 'u1', time: 1767225600000, channel: 'search', conversion: false, value: 0 },
      ],
      U,
      undefined,
    )
  })

  test.prop([arbPathRows(), arbScenario], { numRuns: 100 })('aggregated paths, every model, orders 1-4', async (rows, s) => {
    await loadPaths('paths', rows)
    const got = await run(pathsQuery(s, { _tag: 'table', name: 'paths' }))
    const want = inProcessPaths(rows, s)
    expect(got.invalidRows).toBe(want.invalid)
    expectSameAttribution(got.partial, want.partial, MODEL_NAMES.filter((m) => m !== 'time_decay'))
  })

  test.prop([arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS)], { numRuns: 100 })(
    'events, every model, orders 1-4, lookback',
    (rows, s, lookbackMs) => checkEvents(rows, s, lookbackMs),
  )
})
