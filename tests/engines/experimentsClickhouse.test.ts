/**
 * The experiment-sums query on a two-shard ClickHouse cluster (Debian's 18.16: no window functions, no CTEs),
 * over Distributed tables whose rows alternate between the shards (a unit's exposures and events sit on both),
 * equals the in-process reducer on random logs.
 */
import { fc } from '@fast-check/vitest'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openClickHouse } from '../../src/engines/clickhouse'
import type { SqlDriver } from '../../src/engines/driver'
import { orThrow } from '../_engines'
import { arbLogs, DAY, T0, type Logs } from '../experiments/_logs'
import { arbFlaw, engineVerdict, eventRecords, expectSameRun, expectSameVerdict, exposureRecords, flawedRecords, inProcessVerdict, refusalReason, shiftedLogs, unitInTwoExperiments, type EventRecord, type ExposureRecord, type SumsOptions } from './_experiments'
import { CLICKHOUSE_PASSWORD, serviceSuite, startClickHouseCluster } from './_services'

/** A statement on one server over HTTP (rows as JSON lines in the body for INSERT). */
const chExec = async (base: string, sql: string, body?: string): Promise<string> => {
  const url = new URL(base)
  url.searchParams.set('user', 'default')
  url.searchParams.set('password', CLICKHOUSE_PASSWORD)
  if (body !== undefined) url.searchParams.set('query', sql)
  const r = await fetch(url, { method: 'POST', body: body ?? sql })
  const text = await r.text()
  if (!r.ok) throw new Error(`ClickHouse: ${text}`)
  return text
}

/** `name_local` on both servers, `name` on the first, Distributed over them (as tests/engines/clickhouse.test.ts). */
const clusterTable = async (urls: readonly [string, string], name: string, columns: string) => {
  for (const u of urls) {
    await chExec(u, `DROP TABLE IF EXISTS ${name}_local`)
    await chExec(u, `CREATE TABLE ${name}_local (${columns}) ENGINE = MergeTree ORDER BY tuple()`)
  }
  await chExec(urls[0], `DROP TABLE IF EXISTS ${name}`)
  await chExec(urls[0], `CREATE TABLE ${name} AS ${name}_local ENGINE = Distributed(two_shards, default, ${name}_local)`)
}

/** Rows alternately into the two shards' local tables. */
const spread = async (urls: readonly [string, string], name: string, rows: ReadonlyArray<Record<string, unknown>>) => {
  for (let shard = 0; shard < 2; shard++) {
    const mine = rows.filter((_, i) => i % 2 === shard)
    if (mine.length > 0) await chExec(urls[shard]!, `INSERT INTO ${name}_local FORMAT JSONEachRow`, mine.map((r) => JSON.stringify(r)).join('\n'))
  }
}

serviceSuite('ClickHouse, two shards: experiment sums', startClickHouseCluster, (cluster) => {
  let driver: SqlDriver | undefined
  beforeAll(async () => {
    const c = cluster.value()
    if (c === undefined) return
    driver = orThrow(await openClickHouse({ url: c.urls[0].replace('http://', `http://default:${CLICKHOUSE_PASSWORD}@`) }))
  })
  afterAll(async () => {
    await driver?.close()
  })

  const load = async (logs: Logs) => loadRecords({ exposures: exposureRecords(logs), events: eventRecords(logs) })
  const loadRecords = async (records: { readonly exposures: ReadonlyArray<ExposureRecord>; readonly events: ReadonlyArray<EventRecord> }, o: { readonly nullableValues?: boolean } = {}) => {
    const { urls } = cluster.value()!
    const value = o.nullableValues === true ? 'Nullable(Float64)' : 'Float64'
    await clusterTable(urls, 'exposures', 'unit_id String, experiment String, variant String, timestamp Int64, country String')
    await clusterTable(urls, 'events', `unit_id String, timestamp Int64, event String, value ${value}, amount ${value}`)
    await spread(urls, 'exposures', records.exposures)
    await spread(urls, 'events', records.events)
  }
  const check = async (logs: Logs, o: SumsOptions = {}) => {
    await load(logs)
    await expectSameRun(driver!, logs, o, `clickhouse ${JSON.stringify(o)}: `)
  }

  it('equals the in-process reducer: every metric kind, windows, caps, CUPED, ratios', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(logs)), { numRuns: 25 })
  }, 300_000)
  it('per dimension value', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(logs, { dimension: true })), { numRuns: 15 })
  }, 300_000)
  it('one experiment, as of a cut-off', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs({ experiments: 2 }), fc.integer({ min: -2, max: 12 }), (logs, day) => check(logs, { experiment: 'x1', asOf: T0 + day * DAY })), { numRuns: 10 })
  }, 300_000)
  it('refuses exactly the rows the in-process reader refuses (blank and white-space ids, of any unit and experiment)', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbLogs({ experiments: 2 }), fc.array(arbFlaw(false), { maxLength: 2 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY }), async (logs, flaws, o) => {
        const records = flawedRecords(logs, flaws)
        await loadRecords(records)
        expectSameVerdict(await engineVerdict(driver!, logs, o), inProcessVerdict(logs, records, o), `clickhouse ${JSON.stringify({ flaws, o })}: `)
      }),
      { numRuns: 15 },
    )
  }, 300_000)
  it('before 1970 (negative epoch times in Int64 columns)', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(shiftedLogs(logs, -T0 - 30 * DAY))), { numRuns: 10 })
  }, 300_000)
  it('a unit in two experiments: the refusal counts each event without a value once (Nullable values)', async (ctx) => {
    cluster.get(ctx)
    const { logs, records } = unitInTwoExperiments(2)
    await loadRecords(records, { nullableValues: true })
    expect(await refusalReason(driver!, logs)).toMatch(/^2 qualifying event row\(s\) have no/)
    expect(await refusalReason(driver!, logs, { experiment: 'x1' })).toMatch(/^2 qualifying event row\(s\) have no/)
  }, 60_000)
})
