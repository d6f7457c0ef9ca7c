/**
 * The compiled query on DuckDB (embedded, always available in `npm test`) equals the in-process engine: random
 * path and event rows, every model, Markov orders 1 to 4, channel names that quote and encode badly.
 */
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { openDuckDb } from '../../src/engines/duckdb'
import type { SqlDriver } from '../../src/engines/driver'
import { execute, orThrow, rowsOf, sqlLiteral } from '../_engines'
import { compileAttribution } from '../../src/sql/compile'
import type { Dialect } from '../../src/sql/dialect'
import { duckdb } from '../../src/sql/dialects'
import { TOO_MANY_CHANNELS, withoutSetMasks } from '../../src/sql/journeysByChannelSets'
import { attributeWithDriver } from '../../src/engines/attribute'
import { allRows } from '../../src/engines/driver'
import { DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { DAY_MS, MODEL_NAMES, type ModelName } from '../../src/attribution/model'
import { arbEventRows, arbPathRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, inProcessEvents, inProcessPaths, NAMES, NASTY_TEXTS, pathsQuery, settingsOf, type EventRow, type PathRow, type Scenario } from './_differential'

let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
})
afterAll(async () => {
  await db.close()
})

const exec = (sql: string) => execute(db, sql)

const lit = sqlLiteral

const loadPaths = async (table: string, rows: ReadonlyArray<PathRow>) => {
  await exec(`CREATE OR REPLACE TABLE ${table} (path VARCHAR, total_conversions DOUBLE, total_conversion_value DOUBLE, total_null DOUBLE)`)
  if (rows.length > 0) await exec(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${lit(r.path)}, ${lit(r.conversions)}, ${lit(r.value)}, ${lit(r.nulls)})`).join(', ')}`)
}

const loadEvents = async (table: string, rows: ReadonlyArray<EventRow>) => {
  await exec(`CREATE OR REPLACE TABLE ${table} (seq BIGINT, user_id VARCHAR, ts BIGINT, channel VARCHAR, conversion BOOLEAN, conversion_value DOUBLE)`)
  if (rows.length > 0) await exec(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.seq}, ${lit(r.user)}, ${r.time}, ${lit(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
}

const run = async (query: unknown, dialect: Dialect = duckdb) => {
  const sql = compileAttribution(dialect)(query)
  if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
  return decodeRows(await rowsOf(db, sql.right.sql))
}

/**
 * DuckDB keeps event journeys one row per touch (LEAD/LAG, no lists: `eventsByTouch`), the channel-set models
 * (participation, Shapley) reading each journey's set as a bitmask (`setMasks`); without bitmasks (past 63
 * channels) they need one row per journey with its channels in a list. Every form is checked.
 */
const BY_TOUCH_MODELS = MODEL_NAMES.filter((m) => !['participation', 'shapley', 'shapley_rate'].includes(m))
const SET_MODELS: ReadonlyArray<ModelName> = ['participation', 'shapley', 'shapley_rate']
const LISTS = withoutSetMasks(duckdb)

const checkEvents = async (rows: ReadonlyArray<EventRow>, s: Scenario, lookbackMs: number | undefined, models: ReadonlyArray<ModelName> = MODEL_NAMES, dialect: Dialect = duckdb) => {
  await loadEvents('events', rows)
  const query = { ...eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs), models }
  const compiled = compileAttribution(dialect)(query)
  if (E.isLeft(compiled)) throw new Error(JSON.stringify(compiled.left))
  // The per-journey list of channels (`tp_a`) only without bitmasks and with a channel-set model; masks only with one.
  const sets = models.some((m) => SET_MODELS.includes(m))
  expect(/\btp_a\b/.test(compiled.right.sql)).toBe(sets && dialect.setMasks === undefined)
  expect(/\btp_mask\b/.test(compiled.right.sql)).toBe(sets && dialect.setMasks !== undefined)
  const got = await run(query, dialect)
  const want = inProcessEvents(rows, s, lookbackMs)
  expect(got.invalidRows).toBe(want.invalid)
  expectSameAttribution(got.partial, want.partial, models)
}

/**
 * Each property case runs one compiled query on a table of at most 60 rows, on the one instance of this file
 * (beforeAll). The cost is DuckDB's per-query fixed cost, not the data: EXPLAIN ANALYZE of an every-model events
 * query on 8 rows spends 0.08 s in the journeys' HASH_GROUP_BY and 0.05 s in the final one of 0.17 s (EXPLAIN
 * alone 0.02-0.07 s); 60 random cases averaged 0.19 s a query (1 or 2 threads alike, 0.17 and 0.19 s), as 8 rows
 * did, while loading the rows (15 ms) and the in-process side (4 ms) cost little. So 100 cases take 5-7 s on an
 * idle machine and 25-30 s beside other helpers' runs: the limit says that, instead of vitest's 60 s default,
 * and the cases stay 100 (fewer would find the rare journeys less often).
 */
const PROPERTY_TIMEOUT_MS = 180_000

const U: Scenario = { order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: ['direct'] }

describe('DuckDB: no text changes the query', () => {
  it('literals read back exactly', async () => {
    for (const text of NASTY_TEXTS) expect((await rowsOf(db, `SELECT ${duckdb.string(text)} AS v`))[0]!['v']).toBe(text)
  })

  it('hostile column names, channel names, separator, direct channel and conversion event name: the table survives and the answer is right', async () => {
    const evil = "x'); DROP TABLE ev; --\\"
    await exec(`CREATE OR REPLACE TABLE ev ("user; DROP TABLE ev; --" VARCHAR, "t" BIGINT, "ch" VARCHAR, "what" VARCHAR)`)
    await exec(`INSERT INTO ev VALUES ('u', 1, ${duckdb.string(evil)}, 'view'), ('u', 2, 'direct', ${duckdb.string(evil)}), ('v', 3, ${duckdb.string(`a${evil}`)}, 'view')`)
    const query = {
      source: { _tag: 'table', name: 'ev' },
      input: { _tag: 'events', user: 'user; DROP TABLE ev; --', time: 't', channel: 'ch', conversion: 'what', timeType: { _tag: 'epoch', unit: 'ms' }, conversionEvents: { column: 'what', names: [evil] } },
      models: ['first', 'last_non_direct', 'markov'],
      order: 1,
      position: { first: 0.4, middle: 0.2, last: 0.4 },
      halfLifeMs: DAY_MS,
      direct: [evil.toUpperCase(), 'direct'],
    }
    const got = await run(query)
    expect(got.partial.channels).toEqual(['direct', `a${evil}`, evil].sort())
    expect(got.partial.totals).toMatchObject({ rows: 3, journeys: 2, conversions: 1, nulls: 1 })
    const first = got.partial.rules.first
    expect(first.conversions[got.partial.channels.indexOf(evil)]).toBe(1)
    // Both touches are direct (the hostile name case-insensitively): last non-direct falls back to the last touch.
    expect(got.partial.rules.last_non_direct.conversions[got.partial.channels.indexOf('direct')]).toBe(1)
    expect((await rowsOf(db, 'SELECT count(*) AS n FROM ev'))[0]!['n']).toBe(3n)
    await loadPaths('paths', [{ path: `a${evil}b`, conversions: 1, value: 2, nulls: 0 }])
    const sep = await run({ ...pathsQuery(U, { _tag: 'table', name: 'paths' }), input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: evil } })
    expect(sep.invalidRows).toBe(0)
    expect(sep.partial.channels).toEqual(['a', 'b'])
  })
})

describe('DuckDB: channel sets as bitmasks of at most 63 channels', () => {
  // Names c00..cNN sort after '(unattributed)' (always in the dictionary): with 62 names the last one is bit 62.
  const wide = (names: number): ReadonlyArray<EventRow> => {
    const channels = Array.from({ length: names }, (_, i) => `c${String(i).padStart(2, '0')}`)
    return [
      ...channels.map((channel, i) => ({ seq: i, user: 'u1', time: 1_767_225_600_000 + i * 60_000, channel, conversion: false, value: 0 })),
      { seq: names, user: 'u1', time: 1_767_225_600_000 + names * 60_000, channel: '', conversion: true, value: 7 },
      { seq: names + 1, user: 'u2', time: 1_767_225_600_000, channel: channels.at(-1)!, conversion: false, value: 0 },
      { seq: names + 2, user: 'u3', time: 1_767_225_600_000, channel: channels[0]!, conversion: true, value: 3 },
    ]
  }
  const options = {
    ...settingsOf(U),
    models: ['participation'] as Array<ModelName>,
    kind: 'events' as const,
    pathColumns: DEFAULT_PATH_COLUMNS,
    eventColumns: { user: 'user_id', time: 'ts', channel: 'channel', conversion: 'conversion', value: 'conversion_value' },
    separator: '>',
    timeUnit: 'ms' as const,
    orderColumn: 'seq',
  }

  it('62 names and (unattributed) fit, the highest bit included: the same sets as in process, no lists', async () => {
    const rows = wide(62)
    await checkEvents(rows, U, undefined, ['participation'])
    const got = orThrow(await attributeWithDriver(db, { _tag: 'table', name: 'events' }, options))
    expect(got.sql).toMatch(/\btp_mask\b/)
    const want = inProcessEvents(rows, U, undefined)
    expect(got.result.partial.sets.map((x) => x.channels.length).sort((a, b) => a - b)).toEqual([1, 1, 62])
    expectSameAttribution(got.result.partial, want.partial, ['participation'])
  })

  it('63 names and (unattributed) do not: the query says so, and attributeWithDriver runs the per-journey lists instead', async () => {
    const rows = wide(63)
    await loadEvents('events', rows)
    const compiled = compileAttribution('duckdb')({ ...eventsQuery(U, { _tag: 'table', name: 'events' }, undefined), models: ['participation'] })
    if (E.isLeft(compiled)) throw new Error(JSON.stringify(compiled.left))
    const failed = await allRows(db, compiled.right.sql)
    expect(E.isLeft(failed) && failed.left._tag === 'EngineFailure' && failed.left.reason.includes(TOO_MANY_CHANNELS)).toBe(true)
    const got = orThrow(await attributeWithDriver(db, { _tag: 'table', name: 'events' }, options))
    expect(got.sql).toMatch(/\btp_a\b/)
    expect(got.result.partial.sets.map((x) => x.channels.length).sort((a, b) => a - b)).toEqual([1, 1, 63])
    expectSameAttribution(got.result.partial, inProcessEvents(rows, U, undefined).partial, ['participation'])
  })
})

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

  it('a value on an event row that is no conversion: an invalid row under the marker, as the reader refuses it; the event\'s own value (read as 0) under conversion events, as the reader reads it', async () => {
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: 1767225600000, channel: 'search', conversion: false, value: 25 },
      { seq: 1, user: 'u', time: 1767229200000, channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: 1767232800000, channel: '', conversion: true, value: 10 },
    ]
    await checkEvents(rows, U, undefined)
    expect((await run(eventsQuery(U, { _tag: 'table', name: 'events' }, undefined))).invalidRows).toBe(1)
    await exec(`CREATE OR REPLACE TABLE named AS SELECT seq, user_id, ts, channel, CASE WHEN conversion THEN 'purchase' ELSE 'add_to_cart' END AS event_name, conversion_value FROM events`)
    const named = await run(eventsQuery(U, { _tag: 'table', name: 'named' }, undefined, { conversionEvents: { column: 'event_name', names: ['purchase'] } }))
    expect(named.invalidRows).toBe(0)
    expect(named.partial.totals).toMatchObject({ rows: 3, journeys: 1, conversions: 1, value: 10 })
  })

  it('a conversion value on a path row without conversions is an invalid row both ways, even beside a converting row of the same path (seed 1355226634 on PostgreSQL)', async () => {
    const rows: ReadonlyArray<PathRow> = [
      { path: 'search>email', conversions: 0, value: 40, nulls: 0 },
      { path: 'search>email', conversions: 1, value: 10, nulls: 0 },
      { path: 'email', conversions: 0, value: 7, nulls: 3 },
      { path: 'direct', conversions: 0, value: 0, nulls: 0 },
    ]
    await loadPaths('paths', rows)
    const got = await run(pathsQuery(U, { _tag: 'table', name: 'paths' }))
    const want = inProcessPaths(rows, U)
    expect([got.invalidRows, want.invalid]).toEqual([2, 2])
    expectSameAttribution(got.partial, want.partial, MODEL_NAMES.filter((m) => m !== 'time_decay'))
  })

  test.prop([arbPathRows(), arbScenario], { numRuns: 100 })('aggregated paths, every model, orders 1-4', async (rows, s) => {
    await loadPaths('paths', rows)
    const got = await run(pathsQuery(s, { _tag: 'table', name: 'paths' }))
    const want = inProcessPaths(rows, s)
    expect(got.invalidRows).toBe(want.invalid)
    expectSameAttribution(got.partial, want.partial, MODEL_NAMES.filter((m) => m !== 'time_decay'))
  }, PROPERTY_TIMEOUT_MS)

  test.prop([arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS)], { numRuns: 100 })(
    'events, every model, orders 1-4, lookback',
    (rows, s, lookbackMs) => checkEvents(rows, s, lookbackMs),
    PROPERTY_TIMEOUT_MS,
  )

  test.prop([arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS)], { numRuns: 100 })(
    'events one row per touch (no channel-set model), orders 1-4, lookback',
    (rows, s, lookbackMs) => checkEvents(rows, s, lookbackMs, BY_TOUCH_MODELS),
    PROPERTY_TIMEOUT_MS,
  )

  test.prop([fc.oneof(arbEventRows(), arbEventRows(NAMES, { long: true })), arbScenario, fc.constantFrom(undefined, 0.25 * DAY_MS, 7 * DAY_MS, 30 * DAY_MS), fc.subarray([...SET_MODELS], { minLength: 1 })], { numRuns: 30 })(
    'events, channel-set models alone, as bitmasks one row per touch and as per-journey lists, lookback',
    async (rows, s, lookbackMs, models) => {
      await checkEvents(rows, s, lookbackMs, models)
      await checkEvents(rows, s, lookbackMs, models, LISTS)
    },
    // DuckDB runs every case twice: slow when the machine is shared, never a hang.
    180_000,
  )
})

describe('openDuckDb: a memory limit DuckDB cannot hold', () => {
  it('is an InvalidInput naming memoryLimit, not an EngineFailure "Failed to set config" (found by probing the fuzz values)', async () => {
    for (const memoryLimit of ['99999999999999999999TB', '20000000TB', '1e30GB'.replace('e30', '000000000000000000000000000000')]) {
      const r = await openDuckDb({ memoryLimit })
      if (E.isRight(r)) await r.right.close()
      expect(r).toEqual(E.left({ _tag: 'InvalidInput', issues: [{ path: 'memoryLimit', expected: "a size such as '512MB' or '2GB', at most 8PiB", actual: memoryLimit }] }))
    }
  })

  it('the largest sizes below the bound start DuckDB with that limit', async () => {
    for (const [memoryLimit, shown] of [['16TB', '14.5 TiB'], ['8192TiB', '8.0 PiB']] as const) {
      const db = orThrow(await openDuckDb({ memoryLimit, threads: 1 }))
      const rows = await rowsOf(db, "SELECT current_setting('memory_limit') AS m")
      await db.close()
      expect(rows).toEqual([{ m: shown }])
    }
  })
})
