/**
 * DuckDB's one-row-per-touch form of event journeys (`journeysByTouches.ts`: three window passes, the journey's
 * anchor read from its end row) equals the one-row-per-journey form (`eventJourneysByWindows`, the form the other
 * window dialects run) on the same engine, including what the in-process comparison cannot feed it: a conversion
 * time column apart from the touch time (the anchor of the lookback), conversions without a time (invalid), ties.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES, type AttributionPartial, type ModelName, type RuleModel } from '../../src/attribution/model'
import type { SqlDriver } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { compileAttribution } from '../../src/sql/compile'
import type { Dialect } from '../../src/sql/dialect'
import { duckdb } from '../../src/sql/dialects'
import { execute, orThrow, rowsOf, sqlLiteral } from '../_engines'
import { arbEventRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, type EventRow, type Scenario } from './_differential'

let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
})
afterAll(async () => {
  await db.close()
})

const exec = (sql: string) => execute(db, sql)
const lit = sqlLiteral

/** Per row, the conversion's own time as an offset from the row's time (NULL: none given). */
type Offsets = ReadonlyArray<number | null>

const load = async (rows: ReadonlyArray<EventRow>, offsets: Offsets) => {
  await exec('CREATE OR REPLACE TABLE touches (seq BIGINT, user_id VARCHAR, ts BIGINT, cts BIGINT, channel VARCHAR, conversion BOOLEAN, conversion_value DOUBLE)')
  const cts = (r: EventRow, i: number) => {
    const o = offsets[i % offsets.length]
    return o === null || o === undefined ? null : r.time + o
  }
  await exec(`INSERT INTO touches VALUES ${rows.map((r, i) => `(${r.seq}, ${lit(r.user)}, ${r.time}, ${lit(cts(r, i))}, ${lit(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
}

const BY_TOUCH_MODELS: ReadonlyArray<ModelName> = MODEL_NAMES.filter((m) => !['participation', 'shapley', 'shapley_rate'].includes(m))
const byJourney: Dialect = { ...duckdb, touchesByWindows: false }

const both = async (query: unknown) => {
  const run = async (d: Dialect) => {
    const c = compileAttribution(d)(query)
    if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
    return { sql: c.right.sql, result: decodeRows(await rowsOf(db, c.right.sql)) }
  }
  const touches = await run(duckdb)
  const journeys = await run(byJourney)
  // The two forms really differ: lists only in the per-journey one.
  expect([/\blist\(/.test(touches.sql), /\blist\(/.test(journeys.sql)]).toEqual([false, true])
  expect(touches.result.invalidRows).toBe(journeys.result.invalidRows)
  expectSameAttribution(touches.result.partial, journeys.result.partial, BY_TOUCH_MODELS)
  return touches.result
}

/** Without the tie-break column, rows at the same instant are ordered by conversion flag, channel and value alone. */
const query = (s: Scenario, lookbackMs: number | undefined, conversionTime: boolean, tieBreak = true) => {
  const q = eventsQuery(s, { _tag: 'table', name: 'touches' }, lookbackMs, conversionTime ? { conversionTime: 'cts' } : {})
  if (q.input._tag !== 'events') throw new Error('events')
  const { orderColumn, ...input } = q.input
  return { ...q, input: tieBreak ? { ...input, orderColumn } : input, models: BY_TOUCH_MODELS }
}

const HOUR = 3_600_000
const credit = (p: AttributionPartial, model: RuleModel, channel: string): number => {
  const i = p.channels.indexOf(channel)
  return i < 0 ? 0 : (p.rules[model].conversions[i] ?? 0)
}
const S: Scenario = { order: 2, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: ['direct'] }

describe('DuckDB: events one row per touch = one row per journey', () => {
  it('the lookback is anchored at the conversion time column, not the converting row time', async () => {
    // One user: search at day 0, email at day 9, a conversion row (no channel) at day 10 whose own time is day 12.
    // With a 10-day lookback anchored at day 12 search (12 days before) is dropped; anchored at day 10 it would stay.
    const day = (d: number) => 1_767_225_600_000 + d * DAY_MS
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: day(0), channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: day(9), channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: day(10), channel: '', conversion: true, value: 30 },
    ]
    await load(rows, [0, 0, 2 * DAY_MS])
    const got = await both(query(S, 10 * DAY_MS, true))
    expect([credit(got.partial, 'first', 'search'), credit(got.partial, 'first', 'email')]).toEqual([0, 1])
  })

  it('a gap after the last touch opens a journey: the touches before it are a journey without conversion', async () => {
    // search, email (5 h later), then 3 days later a conversion: with a 1-day lookback the conversion opens its own
    // journey (gap rule) and is unattributed; search and email are one journey without conversion (2 touches).
    const t0 = 1_767_225_600_000
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: t0, channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: t0 + 5 * HOUR, channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: t0 + 77 * HOUR, channel: '', conversion: true, value: 30 },
    ]
    await load(rows, [0])
    const got = await both(query(S, DAY_MS, false))
    expect([got.partial.totals.journeys, got.partial.totals.conversions, got.partial.totals.nulls]).toEqual([2, 1, 1])
    expect([credit(got.partial, 'first', '(unattributed)'), credit(got.partial, 'first', 'search')]).toEqual([1, 0])
  })

  it('without a tie-break column, touches at the same instant are ordered by channel name', async () => {
    // search then email at the same instant (inserted in that order), a conversion an hour later: email comes first.
    const t0 = 1_767_225_600_000
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: t0, channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: t0, channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: t0 + HOUR, channel: '', conversion: true, value: 30 },
    ]
    await load(rows, [0])
    const got = await both(query(S, undefined, false, false))
    expect([credit(got.partial, 'first', 'email'), credit(got.partial, 'last', 'search')]).toEqual([1, 1])
  })

  test.prop(
    [
      arbEventRows(),
      arbScenario,
      fc.constantFrom(undefined, DAY_MS, 3 * DAY_MS, 7 * DAY_MS, 30 * DAY_MS),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -2 * DAY_MS, max: 20 * DAY_MS }), fc.constant(null)), { minLength: 1, maxLength: 7 }),
    ],
    { numRuns: 60 },
  )('random events, conversion times apart from touch times, every lookback, with and without a tie-break column', async (rows, s, lookbackMs, conversionTime, tieBreak, offsets) => {
    await load(rows, offsets)
    await both(query(s, lookbackMs, conversionTime, tieBreak))
  }, 180_000)
})
