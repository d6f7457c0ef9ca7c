/**
 * The one-row-per-touch form of event journeys (`journeysByTouches.ts`: window passes, the journey's anchor read
 * from its end row) equals the one-row-per-journey form (`eventJourneysByWindows`, lists per journey) on the same
 * engine, including what the in-process comparison cannot feed it: a conversion time column apart from the touch
 * time (the anchor of the lookback), conversions without a time (invalid), ties. On DuckDB both ways of reading the
 * end row (`arg_min` over the rows ahead, and per journey once numbered, as PostgreSQL reads it); on the live
 * PostgreSQL (started by the harness) its own form.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES, type AttributionPartial, type ModelName, type RuleModel } from '../../src/attribution/model'
import type { SqlDriver } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { compileAttribution } from '../../src/sql/compile'
import type { Dialect } from '../../src/sql/dialect'
import { duckdb, postgres } from '../../src/sql/dialects'
import { execute, orThrow, rowsOf, sqlLiteral } from '../_engines'
import { arbEventRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, type EventRow, type Scenario } from './_differential'
import { postgresSuite } from './_services'

/** Per row, the conversion's own time as an offset from the row's time (NULL: none given). */
type Offsets = ReadonlyArray<number | null>

/** An engine under test: how to run a statement, the driver that reads results, its dialect's forms. */
interface Engine {
  readonly exec: (sql: string) => Promise<void>
  readonly driver: () => SqlDriver
  /** The column types of the test table, in the engine's spelling. */
  readonly types: { readonly text: string; readonly double: string }
  /** The forms that must agree; the first is the per-journey one (lists), the others one row per touch. */
  readonly dialects: ReadonlyArray<Dialect>
  /** A function call only the per-journey form makes (its list aggregate). */
  readonly listAggregate: RegExp
}

const load = async (engine: Engine, rows: ReadonlyArray<EventRow>, offsets: Offsets) => {
  const { text, double } = engine.types
  await engine.exec('DROP TABLE IF EXISTS touches')
  await engine.exec(`CREATE TABLE touches (seq BIGINT, user_id ${text}, ts BIGINT, cts BIGINT, channel ${text}, conversion BOOLEAN, conversion_value ${double})`)
  const cts = (r: EventRow, i: number) => {
    const o = offsets[i % offsets.length]
    return o === null || o === undefined ? null : r.time + o
  }
  if (rows.length > 0) await engine.exec(`INSERT INTO touches VALUES ${rows.map((r, i) => `(${r.seq}, ${lit(r.user)}, ${r.time}, ${lit(cts(r, i))}, ${lit(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
}

const BY_TOUCH_MODELS: ReadonlyArray<ModelName> = MODEL_NAMES.filter((m) => !['participation', 'shapley', 'shapley_rate'].includes(m))

/** The per-journey form of `d`, and its one-row-per-touch forms: as `d` spells it, and without `argMin` if it has one. */
const forms = (d: Dialect): ReadonlyArray<Dialect> => {
  const { argMin, ...withoutArgMin } = d
  return [{ ...d, touchesByWindows: false }, d, ...(argMin === undefined ? [] : [withoutArgMin])]
}

const lit = sqlLiteral

const all = async (engine: Engine, query: unknown) => {
  const run = async (d: Dialect) => {
    const c = compileAttribution(d)(query)
    if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
    return { sql: c.right.sql, result: decodeRows(await rowsOf(engine.driver(), c.right.sql)) }
  }
  const results: Array<Awaited<ReturnType<typeof run>>> = []
  for (const d of engine.dialects) results.push(await run(d))
  const [journeys, ...touches] = results
  // The forms really differ: lists only in the per-journey one.
  expect([journeys!.sql, ...touches.map((t) => t.sql)].map((sql) => engine.listAggregate.test(sql))).toEqual([true, ...touches.map(() => false)])
  for (const t of touches) {
    expect(t.result.invalidRows).toBe(journeys!.result.invalidRows)
    expectSameAttribution(t.result.partial, journeys!.result.partial, BY_TOUCH_MODELS)
  }
  return touches[0]!.result
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

/** The cases, on the engine `engine` gives once started (skipped when it gives none). */
const cases = (engine: (ctx: { skip: (note?: string) => never }) => Engine) => {
  it('the lookback is anchored at the conversion time column, not the converting row time', async (ctx) => {
    const e = engine(ctx)
    // One user: search at day 0, email at day 9, a conversion row (no channel) at day 10 whose own time is day 12.
    // With a 10-day lookback anchored at day 12 search (12 days before) is dropped; anchored at day 10 it would stay.
    const day = (d: number) => 1_767_225_600_000 + d * DAY_MS
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: day(0), channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: day(9), channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: day(10), channel: '', conversion: true, value: 30 },
    ]
    await load(e, rows, [0, 0, 2 * DAY_MS])
    const got = await all(e, query(S, 10 * DAY_MS, true))
    expect([credit(got.partial, 'first', 'search'), credit(got.partial, 'first', 'email')]).toEqual([0, 1])
  })

  it('a gap after the last touch opens a journey: the touches before it are a journey without conversion', async (ctx) => {
    const e = engine(ctx)
    // search, email (5 h later), then 3 days later a conversion: with a 1-day lookback the conversion opens its own
    // journey (gap rule) and is unattributed; search and email are one journey without conversion (2 touches).
    const t0 = 1_767_225_600_000
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: t0, channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: t0 + 5 * HOUR, channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: t0 + 77 * HOUR, channel: '', conversion: true, value: 30 },
    ]
    await load(e, rows, [0])
    const got = await all(e, query(S, DAY_MS, false))
    expect([got.partial.totals.journeys, got.partial.totals.conversions, got.partial.totals.nulls]).toEqual([2, 1, 1])
    expect([credit(got.partial, 'first', '(unattributed)'), credit(got.partial, 'first', 'search')]).toEqual([1, 0])
  })

  it('without a tie-break column, touches at the same instant are ordered by channel name', async (ctx) => {
    const e = engine(ctx)
    // search then email at the same instant (inserted in that order), a conversion an hour later: email comes first.
    const t0 = 1_767_225_600_000
    const rows: ReadonlyArray<EventRow> = [
      { seq: 0, user: 'u', time: t0, channel: 'search', conversion: false, value: 0 },
      { seq: 1, user: 'u', time: t0, channel: 'email', conversion: false, value: 0 },
      { seq: 2, user: 'u', time: t0 + HOUR, channel: '', conversion: true, value: 30 },
    ]
    await load(e, rows, [0])
    const got = await all(e, query(S, undefined, false, false))
    expect([credit(got.partial, 'first', 'email'), credit(got.partial, 'last', 'search')]).toEqual([1, 1])
  })

  it('random events, conversion times apart from touch times, every lookback, with and without a tie-break column (property)', async (ctx) => {
    const e = engine(ctx)
    await fc.assert(
      fc.asyncProperty(
        arbEventRows(),
        arbScenario,
        fc.constantFrom(undefined, DAY_MS, 3 * DAY_MS, 7 * DAY_MS, 30 * DAY_MS),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -2 * DAY_MS, max: 20 * DAY_MS }), fc.constant(null)), { minLength: 1, maxLength: 7 }),
        async (rows, s, lookbackMs, conversionTime, tieBreak, offsets) => {
          await load(e, rows, offsets)
          await all(e, query(s, lookbackMs, conversionTime, tieBreak))
        },
      ),
      { numRuns: 60 },
    )
  }, 240_000)
}

describe('DuckDB: events one row per touch (arg_min over the rows ahead, and per journey) = one row per journey', () => {
  let db: SqlDriver | undefined
  beforeAll(async () => {
    db = orThrow(await openDuckDb({ threads: 2 }))
  })
  afterAll(async () => {
    await db?.close()
  })
  cases(() => ({
    exec: (sql) => execute(db!, sql),
    driver: () => db!,
    types: { text: 'VARCHAR', double: 'DOUBLE' },
    dialects: forms(duckdb),
    listAggregate: /\blist\(/,
  }))
})

postgresSuite('PostgreSQL: events one row per touch = one row per journey', (server) => {
  cases((ctx) => {
    const db = server.get(ctx)
    return {
      exec: async (sql) => void (await db.loader.query(sql)),
      driver: () => db.driver,
      types: { text: 'TEXT', double: 'DOUBLE PRECISION' },
      dialects: forms(postgres),
      listAggregate: /\barray_agg\(/,
    }
  })
})
