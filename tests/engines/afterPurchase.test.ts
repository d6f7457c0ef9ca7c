/**
 * The report's after-purchase sums from journeys an engine builds (each with its user's previous conversion,
 * computed in SQL: previousConversion.ts on DuckDB and PostgreSQL, arrays on ClickHouse's two shards) equal the
 * in-process builder's (`afterPurchaseMs`) on random events (property): per touchpoint the journeys after a
 * purchase, repeats and repeat value, and the totals, to 1e-12. Conversion times apart from the event time (a
 * conversion-time column, earlier or later than the row) make a user's conversions come out of time order, so
 * "the previous one" is the last, not the largest.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import { DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { DAY_MS, MODEL_NAMES } from '../../src/attribution/model'
import { readSettings } from '../../src/attribution/read/settings'
import { readTextInto } from '../../src/attribution/read/text'
import { openClickHouse } from '../../src/engines/clickhouse'
import type { SqlDriver } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { journeysWithDriver } from '../../src/engines/journeys'
import { openPostgres } from '../../src/engines/postgres'
import { reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import type { ReportPartial } from '../../src/report/model'
import { execute, orThrow, sqlLiteral } from '../_engines'
import { clusterTable, spread } from './_clickhouse'
import { arbEventRows, arbScenario, settingsOf, type EventRow, type Scenario } from './_differential'
import { CLICKHOUSE_PASSWORD, serviceSuite, startClickHouseCluster, startPostgres } from './_services'

/** The slots of `arbEventRows`, moved 7 times closer (13 hours apart): a window of one slot puts journeys on its edge. */
const SLOT_MS = 13 * 60 * 60_000
const T0 = 1_767_225_600_000
const HOUR_MS = 3_600_000

/** An event row with its conversion time (`cts`), `offset` from the row's time (null: none given, the row's own). */
interface TimedRow extends EventRow {
  readonly cts: number | null
}

interface Case {
  readonly rows: ReadonlyArray<TimedRow>
  readonly s: Scenario
  readonly lookbackMs: number | undefined
  readonly windowMs: number
  /** Whether the engine and the reference read `cts` as the conversion time (else the row's time). */
  readonly conversionTime: boolean
}

const arbCase: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.oneof(arbEventRows(), arbEventRows(undefined, { long: true })),
    offsets: fc.array(fc.constantFrom(0, 0, SLOT_MS, -SLOT_MS, -3 * SLOT_MS, 5 * DAY_MS, null), { minLength: 1, maxLength: 8 }),
    s: arbScenario,
    lookbackMs: fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS),
    windowMs: fc.constantFrom(1, SLOT_MS, 7 * DAY_MS, 30 * DAY_MS),
    conversionTime: fc.boolean(),
  })
  .map(({ rows, offsets, ...rest }) => ({
    ...rest,
    rows: rows.map((r, i) => {
      const time = T0 + (r.time - T0) / 7
      const offset = offsets[i % offsets.length]!
      return { ...r, time, cts: offset === null ? null : time + offset }
    }),
  }))

const settingsFor = (c: Case) => reportSettings(settingsOf(c.s), { replicates: 0, afterPurchaseWindowMs: c.windowMs })

/**
 * The in-process side: the reader (`readTextInto`, as `touchpoint report` reads a file), over the rows as JSON lines
 * in time order (ties by sequence), as a sorted export. Bad rows are skipped and counted, as an engine leaves them
 * out: `invalid` is those and the rows that are neither touch nor conversion (an engine's invalid rows).
 */
const inProcess = (c: Case): { partial: ReportPartial; invalid: number } => {
  const acc = touchpointAccumulator(settingsFor(c))
  const read = readSettings({
    format: 'jsonl',
    kind: 'events',
    eventColumns: { user: ['user_id'], time: 'ts', channel: ['channel'], conversion: 'conversion', value: 'conversion_value', ...(c.conversionTime ? { conversionTime: 'cts' } : {}) },
    onError: 'skip',
    ...(c.lookbackMs === undefined ? {} : { lookbackMs: c.lookbackMs }),
  })
  if (E.isLeft(read)) throw new Error(JSON.stringify(read.left))
  const lines = [...c.rows]
    .sort((a, b) => a.time - b.time || a.seq - b.seq)
    .map((r) => JSON.stringify({ user_id: r.user, ts: r.time, cts: r.cts, channel: r.channel === '' ? null : r.channel, conversion: r.conversion, conversion_value: r.value }))
  const tally = readTextInto(read.right, acc, lines.join('\n'))
  if (tally.failed) throw new Error(JSON.stringify(tally.bad))
  return { partial: acc.snapshot(), invalid: tally.skipped + tally.ignored }
}

const engineOptions = (c: Case) => ({
  ...settingsOf(c.s),
  models: MODEL_NAMES,
  kind: 'events' as const,
  pathColumns: DEFAULT_PATH_COLUMNS,
  eventColumns: { user: 'user_id', time: 'ts', channel: 'channel', conversion: 'conversion', value: 'conversion_value' },
  separator: '>',
  timeUnit: 'ms' as const,
  orderColumn: 'seq',
  ...(c.conversionTime ? { conversionTimeColumn: 'cts' } : {}),
  ...(c.lookbackMs === undefined ? {} : { lookbackMs: c.lookbackMs }),
})

const fromEngine = async (driver: SqlDriver, c: Case): Promise<{ partial: ReportPartial; invalid: number }> => {
  const acc = touchpointAccumulator(settingsFor(c))
  const got = await journeysWithDriver(driver, { _tag: 'table', name: 'events' }, engineOptions(c), acc.add, { previousConversion: true })
  if (E.isLeft(got)) throw new Error(got.left)
  return { partial: acc.snapshot(), invalid: got.right.invalidRows }
}

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))

/** The after-purchase sums of two partials equal, per touchpoint by name (the engine's channel order is its own). */
const expectSameAfterPurchase = (got: { partial: ReportPartial; invalid: number }, wanted: { partial: ReportPartial; invalid: number }): void => {
  if (got.invalid !== wanted.invalid) throw new Error(`invalid rows: engine ${got.invalid}, in process ${wanted.invalid}`)
  const [engine, want] = [got.partial, wanted.partial]
  const [a, b] = [engine.afterPurchase!, want.afterPurchase!]
  for (const k of ['read', 'journeys', 'repeats', 'repeatValue'] as const) if (!close(a[k], b[k])) throw new Error(`${k}: engine ${a[k]}, in process ${b[k]}`)
  const byName = (p: ReportPartial) => {
    const s = p.afterPurchase!.channel
    return new Map(p.attribution.channels.map((name, i) => [name, [s.journeys[i] ?? 0, s.repeats[i] ?? 0, s.repeatValue[i] ?? 0] as const]))
  }
  const [ea, eb] = [byName(engine), byName(want)]
  for (const name of new Set([...ea.keys(), ...eb.keys()])) {
    const [x, y] = [ea.get(name) ?? [0, 0, 0], eb.get(name) ?? [0, 0, 0]]
    x.forEach((v, i) => {
      if (!close(v, y[i]!)) throw new Error(`${name} [journeys, repeats, repeatValue]: engine ${JSON.stringify(x)}, in process ${JSON.stringify(y)}`)
    })
  }
}

/** Property runs per engine; how many cases had journeys after a purchase, and repeats (the test must see some). */
const differential = async (driver: () => SqlDriver, load: (rows: ReadonlyArray<TimedRow>) => Promise<void>, numRuns: number) => {
  let after = 0
  let repeats = 0
  await fc.assert(
    fc.asyncProperty(arbCase, async (c) => {
      await load(c.rows)
      const want = inProcess(c)
      expectSameAfterPurchase(await fromEngine(driver(), c), want)
      if (want.partial.afterPurchase!.journeys > 0) after++
      if (want.partial.afterPurchase!.repeats > 0) repeats++
    }),
    { numRuns },
  )
  // Of 400 DuckDB cases, 150 had journeys after a purchase and 86 repeats (p 0.375 and 0.215): at 40 runs these
  // bounds fail by chance about once in 60,000 and 16,000 runs. `> numRuns / 5` at 30 runs failed CI once (5 of 30;
  // P(<= 6) is 3%).
  expect(after).toBeGreaterThanOrEqual(numRuns / 10)
  expect(repeats).toBeGreaterThan(0)
}

/**
 * What ClickHouse's property run met with seed -1713123871: o'neil converts at T0 (no touch), touches at T0, 13 hours
 * and 169 hours later, then converts on a row at 182 hours whose conversion time says 143 hours. Engines took that
 * conversion and its three touches (the one at T0 is within 7 days of 143 hours), the in-process builder had dropped
 * the T0 touch at 169 hours (more than 7 days after it): a conversion time before its row's. The in-process reader
 * refuses such a row, so an engine now leaves it out too (an invalid row), and both read one after-purchase-free
 * history. With the conversion time cell empty instead, the row's own time is the conversion's on both sides.
 */
const TIE_ROWS = (cts: number | null): ReadonlyArray<TimedRow> => [
  { seq: 0, user: 'u1', time: T0, cts: T0, channel: 'search', conversion: false, value: 0 },
  { seq: 1, user: "o'neil", time: T0 + 182 * HOUR_MS, cts, channel: '', conversion: true, value: 3 },
  { seq: 2, user: "o'neil", time: T0 + 13 * HOUR_MS, cts: null, channel: 'search', conversion: false, value: 0 },
  { seq: 3, user: "o'neil", time: T0, cts: T0, channel: '', conversion: true, value: 2 },
  { seq: 4, user: "o'neil", time: T0, cts: T0 - 39 * HOUR_MS, channel: 'search', conversion: false, value: 0 },
  { seq: 5, user: "o'neil", time: T0 + 169 * HOUR_MS, cts: null, channel: 'search', conversion: false, value: 0 },
  { seq: 6, user: 'u1', time: T0, cts: T0, channel: 'search', conversion: false, value: 0 },
]
const tieCase = (cts: number | null): Case => ({
  rows: TIE_ROWS(cts),
  s: { order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: [] },
  lookbackMs: 7 * DAY_MS,
  windowMs: 1,
  conversionTime: true,
})

/** The fixed cases every engine runs: the conversion time before its row (left out), and empty (the row's). */
const fixedCases = (driver: () => SqlDriver, load: (rows: ReadonlyArray<TimedRow>) => Promise<void>, ready: (ctx: TestContext) => void = () => undefined) => {
  it('a conversion time before its row: the row is invalid on the engine as in process (seed -1713123871)', async (ctx) => {
    ready(ctx)
    const c = tieCase(T0 + 143 * HOUR_MS)
    await load(c.rows)
    const [got, want] = [await fromEngine(driver(), c), inProcess(c)]
    expectSameAfterPurchase(got, want)
    expect([got.invalid, got.partial.afterPurchase!.journeys, got.partial.attribution.totals.conversions]).toEqual([1, 0, 1])
  })
  it("an empty conversion time: the row's own time, on the engine as in process", async (ctx) => {
    ready(ctx)
    const c = tieCase(null)
    await load(c.rows)
    const [got, want] = [await fromEngine(driver(), c), inProcess(c)]
    expectSameAfterPurchase(got, want)
    expect([got.invalid, got.partial.afterPurchase!.journeys, got.partial.attribution.totals.conversions]).toEqual([0, 0, 2])
  })
}

describe('DuckDB', () => {
  let db: SqlDriver
  beforeAll(async () => {
    db = orThrow(await openDuckDb({ threads: 2 }))
  })
  afterAll(async () => {
    await db.close()
  })
  const load = async (rows: ReadonlyArray<TimedRow>) => {
    await execute(db, 'CREATE OR REPLACE TABLE events (seq BIGINT, user_id VARCHAR, ts BIGINT, cts BIGINT, channel VARCHAR, conversion BOOLEAN, conversion_value DOUBLE)')
    await execute(db, `INSERT INTO events VALUES ${rows.map((r) => `(${r.seq}, ${sqlLiteral(r.user)}, ${r.time}, ${r.cts}, ${sqlLiteral(r.channel === '' ? null : r.channel)}, ${r.conversion}, ${r.value})`).join(', ')}`)
  }

  fixedCases(() => db, load)

  it('after-purchase sums of engine journeys equal the in-process builder (property)', async () => {
    await differential(() => db, load, 60)
  }, 300_000)

  it('a user converting out of time order: the previous conversion is the last one, not the latest', async () => {
    // Conversion times 10 days, then 2 days after the first row; the email journey starts on day 4: after the
    // purchase of day 2 (within a 3-day window), not of day 10 (which is later than it).
    const t0 = T0
    const rows: ReadonlyArray<TimedRow> = [
      { seq: 0, user: 'u', time: t0, cts: t0 + 10 * DAY_MS, channel: 'search', conversion: true, value: 5 },
      { seq: 1, user: 'u', time: t0 + DAY_MS, cts: t0 + 2 * DAY_MS, channel: 'display', conversion: true, value: 7 },
      { seq: 2, user: 'u', time: t0 + 4 * DAY_MS, cts: t0 + 4 * DAY_MS, channel: 'email', conversion: true, value: 11 },
    ]
    const c: Case = { rows, s: { order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: [] }, lookbackMs: undefined, windowMs: 3 * DAY_MS, conversionTime: true }
    await load(rows)
    const got = await fromEngine(db, c)
    expectSameAfterPurchase(got, inProcess(c))
    const { attribution, afterPurchase } = got.partial
    const email = attribution.channels.indexOf('email')
    expect([afterPurchase!.journeys, afterPurchase!.channel.journeys[email], afterPurchase!.channel.repeatValue[email]]).toEqual([1, 1, 11])
  })
})

serviceSuite('PostgreSQL', startPostgres, (server) => {
  let driver: SqlDriver | undefined
  let loader: pg.Client | undefined
  beforeAll(async () => {
    const s = server.value()
    if (s === undefined) return
    driver = orThrow(await openPostgres({ url: s.url }))
    loader = new pg.Client({ connectionString: s.url })
    await loader.connect()
  })
  afterAll(async () => {
    await driver?.close()
    await loader?.end()
  })
  const load = async (rows: ReadonlyArray<TimedRow>) => {
    await loader!.query('DROP TABLE IF EXISTS events; CREATE TABLE events (seq INTEGER, user_id TEXT, ts BIGINT, cts BIGINT, channel TEXT, conversion BOOLEAN, conversion_value NUMERIC)')
    const values = rows.map((_, i) => `(${Array.from({ length: 7 }, (_, j) => `$${i * 7 + j + 1}`).join(', ')})`).join(', ')
    await loader!.query(`INSERT INTO events (seq, user_id, ts, cts, channel, conversion, conversion_value) VALUES ${values}`, rows.flatMap((r) => [r.seq, r.user, r.time, r.cts, r.channel === '' ? null : r.channel, r.conversion, r.value]))
  }

  fixedCases(() => driver!, load, (ctx) => server.get(ctx))

  it('after-purchase sums of engine journeys equal the in-process builder (property)', async (ctx) => {
    server.get(ctx)
    await differential(() => driver!, load, 40)
  }, 600_000)
})

serviceSuite('ClickHouse, two shards', startClickHouseCluster, (cluster) => {
  let driver: SqlDriver | undefined
  beforeAll(async () => {
    const c = cluster.value()
    if (c === undefined) return
    driver = orThrow(await openClickHouse({ url: c.urls[0].replace('http://', `http://default:${CLICKHOUSE_PASSWORD}@`) }))
  })
  afterAll(async () => {
    await driver?.close()
  })
  const load = async (rows: ReadonlyArray<TimedRow>) => {
    const { urls } = cluster.value()!
    await clusterTable(urls, 'events', 'seq UInt32, user_id String, ts Int64, cts Nullable(Int64), channel Nullable(String), conversion UInt8, conversion_value Float64')
    await spread(urls, 'events', rows.map((r) => ({ seq: r.seq, user_id: r.user, ts: r.time, cts: r.cts, channel: r.channel === '' ? null : r.channel, conversion: r.conversion ? 1 : 0, conversion_value: r.value })))
  }

  fixedCases(() => driver!, load, (ctx) => cluster.get(ctx))

  it('after-purchase sums of engine journeys equal the in-process builder (property)', async (ctx) => {
    cluster.get(ctx)
    await differential(() => driver!, load, 40)
  }, 600_000)
})
