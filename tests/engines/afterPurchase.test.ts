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
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { DAY_MS, MODEL_NAMES, UNATTRIBUTED, type Journey } from '../../src/attribution/model'
import { journeyCore, UNATTRIBUTED_CHANNEL } from '../../src/attribution/read/journeys'
import { openClickHouse } from '../../src/engines/clickhouse'
import type { SqlDriver } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { journeysWithDriver } from '../../src/engines/journeys'
import { openPostgres } from '../../src/engines/postgres'
import { reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import type { ReportPartial } from '../../src/report/model'
import { execute, orThrow, sqlLiteral } from '../_engines'
import { clusterTable, spread } from './_clickhouse'
import { arbEventRows, arbScenario, readEvent, settingsOf, type EventRow, type Scenario } from './_differential'
import { CLICKHOUSE_PASSWORD, serviceSuite, startClickHouseCluster, startPostgres } from './_services'

/** The slots of `arbEventRows`, moved 7 times closer (13 hours apart): a window of one slot puts journeys on its edge. */
const SLOT_MS = 13 * 60 * 60_000
const T0 = 1_767_225_600_000

/** An event row with its conversion time (`cts`), `offset` from the row's time. */
interface TimedRow extends EventRow {
  readonly cts: number
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
    offsets: fc.array(fc.constantFrom(0, 0, SLOT_MS, -SLOT_MS, -3 * SLOT_MS, 5 * DAY_MS), { minLength: 1, maxLength: 8 }),
    s: arbScenario,
    lookbackMs: fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS),
    windowMs: fc.constantFrom(1, SLOT_MS, 7 * DAY_MS, 30 * DAY_MS),
    conversionTime: fc.boolean(),
  })
  .map(({ rows, offsets, ...rest }) => ({
    ...rest,
    rows: rows.map((r, i) => {
      const time = T0 + (r.time - T0) / 7
      return { ...r, time, cts: time + offsets[i % offsets.length]! }
    }),
  }))

const settingsFor = (c: Case) => reportSettings(settingsOf(c.s), { replicates: 0, afterPurchaseWindowMs: c.windowMs })

/** The in-process side: the reader's journey builder, rows in time order (ties by sequence), as a sorted export. */
const inProcess = (c: Case): ReportPartial => {
  const acc = touchpointAccumulator(settingsFor(c))
  const names: Array<string> = []
  const index = new Map<string, number>()
  const core = journeyCore(
    { order: 'any', timeColumn: 'ts', userColumn: 'user_id', afterPurchaseMs: c.windowMs, ...(c.lookbackMs === undefined ? {} : { lookbackMs: c.lookbackMs }) },
    (channels, times, n, conversions, value, nulls, conversionTime, previousConversion) => {
      const j: Journey = {
        channels: Array.from({ length: n }, (_, i) => (channels[i] === UNATTRIBUTED_CHANNEL ? UNATTRIBUTED : names[channels[i]!]!)),
        times: times.slice(0, n),
        conversions,
        value,
        nulls,
        ...(conversionTime === undefined ? {} : { conversionTime }),
        ...(previousConversion === undefined ? {} : { previousConversion }),
      }
      acc.add(j)
    },
  )
  for (const r of [...c.rows].sort((a, b) => a.time - b.time || a.seq - b.seq)) {
    const row = readEvent(r)
    if (row === undefined) continue
    let ch = -1
    if (row.channel !== '') {
      ch = index.get(row.channel) ?? names.length
      if (ch === names.length) {
        names.push(row.channel)
        index.set(row.channel, ch)
      }
    }
    const problem = core.push(row.user, 0, row.user.length, row.time, ch, row.conversion, row.conversion && c.conversionTime ? r.cts : Number.NaN, row.value, r.seq + 2, 0)
    if (problem !== undefined) throw new Error(JSON.stringify(problem))
  }
  core.end()
  return acc.snapshot()
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

const fromEngine = async (driver: SqlDriver, c: Case): Promise<ReportPartial> => {
  const acc = touchpointAccumulator(settingsFor(c))
  const got = await journeysWithDriver(driver, { _tag: 'table', name: 'events' }, engineOptions(c), acc.add, { previousConversion: true })
  if (E.isLeft(got)) throw new Error(got.left)
  return acc.snapshot()
}

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))

/** The after-purchase sums of two partials equal, per touchpoint by name (the engine's channel order is its own). */
const expectSameAfterPurchase = (engine: ReportPartial, want: ReportPartial): void => {
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
      if (want.afterPurchase!.journeys > 0) after++
      if (want.afterPurchase!.repeats > 0) repeats++
    }),
    { numRuns },
  )
  expect(after).toBeGreaterThan(numRuns / 5)
  expect(repeats).toBeGreaterThan(0)
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
    const email = got.attribution.channels.indexOf('email')
    expect([got.afterPurchase!.journeys, got.afterPurchase!.channel.journeys[email], got.afterPurchase!.channel.repeatValue[email]]).toEqual([1, 1, 11])
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
    await clusterTable(urls, 'events', 'seq UInt32, user_id String, ts Int64, cts Int64, channel Nullable(String), conversion UInt8, conversion_value Float64')
    await spread(urls, 'events', rows.map((r) => ({ seq: r.seq, user_id: r.user, ts: r.time, cts: r.cts, channel: r.channel === '' ? null : r.channel, conversion: r.conversion ? 1 : 0, conversion_value: r.value })))
  }

  it('after-purchase sums of engine journeys equal the in-process builder (property)', async (ctx) => {
    cluster.get(ctx)
    await differential(() => driver!, load, 30)
  }, 600_000)
})
