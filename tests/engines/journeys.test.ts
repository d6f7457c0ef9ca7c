/**
 * Journeys built by DuckDB (`touchpoint report --engine`) and events split into passes over disjoint users (how
 * DuckDB stays within its memory limit): both equal what the in-process reader computes.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accumulator } from '../../src/attribution/accumulate'
import { DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { journeyBuilder } from '../../src/attribution/journeys'
import { DAY_MS, MODEL_NAMES, type Journey } from '../../src/attribution/model'
import { allRows, type SqlDriver } from '../../src/engines/driver'
import { execute, orThrow, sqlLiteral } from '../_engines'
import { openDuckDb } from '../../src/engines/duckdb'
import { journeysWithDriver } from '../../src/engines/journeys'
import { duckDbPasses, memoryLimitMiB, pass, ROWS_PER_MIB } from '../../src/engines/passes'
import { reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import { buildReport } from '../../src/report/build'
import { compileAttribution, eventsByTouch } from '../../src/sql/compile'
import type { Dialect } from '../../src/sql/dialect'
import { duckdb } from '../../src/sql/dialects'
import { withoutSetMasks } from '../../src/sql/journeysByChannelSets'
import { arbEventRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, readEvent, settingsOf, type EventRow, type Scenario } from './_differential'

let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
})
afterAll(async () => {
  await db.close()
})

const exec = (sql: string) => execute(db, sql)
const lit = sqlLiteral

const loadEvents = async (rows: ReadonlyArray<EventRow>) => {
  await exec('CREATE OR REPLACE TABLE events (seq BIGINT, user_id VARCHAR, ts BIGINT, channel VARCHAR, conversion BOOLEAN, conversion_value DOUBLE)')
  await exec(`INSERT INTO events VALUES ${rows.map((r) => `(${r.seq}, ${lit(r.user)}, ${r.time}, ${lit(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
}

/** Users padded with white space the query trims: a pass must hash the trimmed id, or a user's rows split. */
const padded = (rows: ReadonlyArray<EventRow>, pads: ReadonlyArray<number>): ReadonlyArray<EventRow> =>
  rows.map((r, i) => ({ ...r, user: [r.user, ` ${r.user}`, `${r.user}\t`][pads[i % pads.length]! % 3]! }))

describe('events in passes over disjoint users', () => {
  test.prop([arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS), fc.integer({ min: 2, max: 5 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 5 })], { numRuns: 25 })(
    'the passes add up to one pass, users padded with white space included',
    async (events, s, lookbackMs, passes, pads) => {
      const rows = padded(events, pads)
      await loadEvents(rows)
      const query = eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs) as Parameters<typeof pass>[0]
      const run = async (q: unknown) => {
        const c = compileAttribution('duckdb')(q)
        if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
        return orThrow(await allRows(db, c.right.sql))
      }
      const one = decodeRows(await run(query))
      const parts: Array<Record<string, unknown>> = []
      for (let i = 0; i < passes; i++) parts.push(...(await run(pass(query, i, passes))))
      const many = decodeRows(parts)
      expect(many.invalidRows).toBe(one.invalidRows)
      expectSameAttribution(many.partial, one.partial, MODEL_NAMES)
    },
    // DuckDB runs every case: slow when the machine is shared, never a hang.
    180_000,
  )

  test.each([
    ['488.2 MiB', 488.2],
    ['1.5 GiB', 1536],
    ['512MB', 512],
    ['100 KiB', 100 / 1024],
    ['0 bytes', 0],
  ])('the memory limit %s is %f MiB', (text, mib) => {
    expect(memoryLimitMiB(text)).toBe(mib)
  })
  test.each(['', 'unlimited', '12 parsecs'])('no memory limit in %j', (text) => {
    expect(memoryLimitMiB(text)).toBeUndefined()
  })

  it('only a query that builds lists is split: 40,000 events at an 8 MiB limit take 3 passes with lists, 1 without', async () => {
    const small = orThrow(await openDuckDb({ memoryLimit: '8MiB', threads: 1 }))
    try {
      for await (const _ of small.rows("CREATE TABLE events AS SELECT 'u' || (i % 97) AS user_id, i AS ts, 'c' AS channel, i % 7 = 0 AS conversion, 0.0 AS conversion_value, i AS seq FROM range(40000) AS r(i)")) void _
      const query = eventsQuery({ order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: [] }, { _tag: 'table', name: 'events' }, undefined)
      expect(await duckDbPasses(small, query, true)).toEqual(E.right(Math.ceil(40_000 / (8 * ROWS_PER_MIB))))
      expect(await duckDbPasses(small, query, false)).toEqual(E.right(1))
      // Every model, channel-set ones included: as attributeWithDriver decides, one pass with bitmasks (one row per
      // touch), 3 with the per-journey lists (without bitmasks, as past 63 channels).
      const passesOf = async (d: Dialect) => duckDbPasses(small, query, !eventsByTouch(d, query))
      expect(query.models).toEqual(expect.arrayContaining(['participation', 'shapley', 'shapley_rate']))
      expect(await passesOf(duckdb)).toEqual(E.right(1))
      expect(await passesOf(withoutSetMasks(duckdb))).toEqual(E.right(Math.ceil(40_000 / (8 * ROWS_PER_MIB))))
    } finally {
      await small.close()
    }
  })
})

/** Every number in two values equal to 1e-9 relative, everything else exactly (object keys, strings, order). */
const expectClose = (a: unknown, b: unknown, path = ''): void => {
  if (typeof b === 'number' && typeof a === 'number') {
    if (!(a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) throw new Error(`${path}: engine ${a}, in process ${b}`)
    return
  }
  if (Array.isArray(b) && Array.isArray(a)) {
    expect(a.length, `${path}.length`).toBe(b.length)
    b.forEach((x, i) => expectClose(a[i], x, `${path}[${i}]`))
    return
  }
  if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null) {
    expect(Object.keys(a).sort(), `${path} keys`).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(b)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
    return
  }
  expect(a, path).toEqual(b)
}

/** The in-process journeys of event rows read in time order (ties by sequence), the invalid rows left out. */
const inProcessJourneys = (rows: ReadonlyArray<EventRow>, lookbackMs: number | undefined): { journeys: Array<Journey>; valid: number } => {
  const builder = journeyBuilder(lookbackMs === undefined ? {} : { lookbackMs })
  const journeys: Array<Journey> = []
  let valid = 0
  for (const r of [...rows].sort((a, b) => a.time - b.time || a.seq - b.seq)) {
    const row = readEvent(r)
    if (row === undefined) continue
    valid++
    const done = builder.push(row, r.seq + 2)
    if (E.isLeft(done)) throw new Error(JSON.stringify(done.left))
    journeys.push(...done.right)
  }
  journeys.push(...builder.end())
  return { journeys, valid }
}

const engineOptions = (s: Scenario, lookbackMs: number | undefined) => ({
  ...settingsOf(s),
  models: MODEL_NAMES,
  kind: 'events' as const,
  pathColumns: DEFAULT_PATH_COLUMNS,
  eventColumns: { user: 'user_id', time: 'ts', channel: 'channel', conversion: 'conversion', value: 'conversion_value' },
  separator: '>',
  timeUnit: 'ms' as const,
  orderColumn: 'seq',
  ...(lookbackMs === undefined ? {} : { lookbackMs }),
})

describe('journeys built by DuckDB, reduced by the report', () => {
  test.prop([arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS), fc.constantFrom(0, 20)], { numRuns: 25 })(
    'the report equals the in-process report, bootstrap intervals included',
    async (rows, s, lookbackMs, replicates) => {
      await loadEvents(rows)
      const settings = reportSettings(settingsOf(s), { replicates, seed: 'w12' })
      const acc = touchpointAccumulator(settings)
      const got = await journeysWithDriver(db, { _tag: 'table', name: 'events' }, engineOptions(s, lookbackMs), acc.add)
      if (E.isLeft(got)) throw new Error(got.left)
      acc.countRows(got.right.rows - got.right.invalidRows)
      const want = touchpointAccumulator(settings)
      const ref = inProcessJourneys(rows, lookbackMs)
      for (const j of ref.journeys) want.add(j)
      want.countRows(ref.valid)
      expect(got.right.invalidRows).toBe(rows.length - ref.valid)
      // The journeys themselves, as attribution sees them, then every section of the report.
      const a = accumulator(settingsOf(s))
      const b = accumulator(settingsOf(s))
      await journeysWithDriver(db, { _tag: 'table', name: 'events' }, engineOptions(s, lookbackMs), a.add)
      for (const j of ref.journeys) b.add(j)
      expectSameAttribution(a.snapshot(), b.snapshot(), MODEL_NAMES)
      const models = MODEL_NAMES.filter((m) => m !== 'shapley_rate')
      const ra = buildReport({ models })(acc.snapshot())
      const rb = buildReport({ models })(want.snapshot())
      if (E.isLeft(rb)) {
        expect(E.isLeft(ra)).toBe(true)
        return
      }
      if (E.isLeft(ra)) throw new Error(JSON.stringify(ra.left))
      const sortBy = <T extends { channel: string }>(xs: ReadonlyArray<T>) => [...xs].sort((x, y) => (x.channel < y.channel ? -1 : x.channel > y.channel ? 1 : 0))
      expectClose(sortBy(ra.right.touchpoints), sortBy(rb.right.touchpoints), 'touchpoints')
      expectClose(ra.right.totals, rb.right.totals, 'totals')
      expectClose(ra.right.paths.lengths, rb.right.paths.lengths, 'paths.lengths')
      expectClose(ra.right.paths.timeToConversionBins, rb.right.paths.timeToConversionBins, 'paths.timeToConversionBins')
    },
    // DuckDB runs every case: slow when the machine is shared, never a hang.
    180_000,
  )
})
