/**
 * The experiment-sums query on a two-shard ClickHouse cluster (Debian's 18.16: no window functions, no CTEs),
 * over Distributed tables whose rows alternate between the shards (a unit's exposures and events sit on both),
 * equals the in-process reducer on random logs.
 */
import { fc } from '@fast-check/vitest'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openClickHouse } from '../../src/engines/clickhouse'
import type { SqlDriver } from '../../src/engines/driver'
import { decodeMetrics } from '../../src/experiments/metrics'
import { orThrow } from '../_engines'
import { arbLogs, DAY, T0, type Logs } from '../experiments/_logs'
import { arbFlaw, engineVerdict, eventRecords, expectSameRun, expectSameVerdict, exposureRecords, flawedRecords, inProcessVerdict, refusalReason, shiftedLogs, unitInTwoExperiments, withQualifyingNulls, type EventRecord, type ExposureRecord, type SumsOptions } from './_experiments'
import { clusterTable, spread } from './_clickhouse'
import { CLICKHOUSE_PASSWORD, serviceSuite, startClickHouseCluster } from './_services'

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
  /** `nullable`: the value columns only, or every column (NULL ids, times, event names, values). */
  const loadRecords = async (records: { readonly exposures: ReadonlyArray<ExposureRecord>; readonly events: ReadonlyArray<EventRecord> }, o: { readonly nullable?: 'values' | 'all' } = {}) => {
    const { urls } = cluster.value()!
    const type = (t: string, nullable: boolean) => (nullable ? `Nullable(${t})` : t)
    const all = o.nullable === 'all'
    const value = type('Float64', o.nullable !== undefined)
    const [text, time] = [type('String', all), type('Int64', all)]
    await clusterTable(urls, 'exposures', `unit_id ${text}, experiment ${text}, variant ${text}, timestamp ${time}, country ${text}`)
    await clusterTable(urls, 'events', `unit_id ${text}, timestamp ${time}, event ${text}, value ${value}, amount ${value}`)
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
  it('over Nullable columns: refuses exactly what the in-process reader refuses (NULL ids, times, values; blank ids), skips NULL event names', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbLogs({ experiments: 2 }), fc.array(arbFlaw(true, true), { maxLength: 2 }), fc.array(fc.nat(10_000), { maxLength: 1 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY }), async (logs, flaws, picks, o) => {
        const records = withQualifyingNulls(logs, flawedRecords(logs, flaws), picks)
        await loadRecords(records, { nullable: 'all' })
        expectSameVerdict(await engineVerdict(driver!, logs, o), inProcessVerdict(logs, records, o), `clickhouse nullable ${JSON.stringify({ flaws, picks, o })}: `)
      }),
      { numRuns: 20 },
    )
  }, 300_000)
  it('before 1970 (negative epoch times in Int64 columns)', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(shiftedLogs(logs, -T0 - 30 * DAY))), { numRuns: 10 })
  }, 300_000)
  it('a NULL unit id in an exposure (Nullable columns) is refused, not lost in the join (a NULL key matches nothing there)', async (ctx) => {
    cluster.get(ctx)
    const metrics = decodeMetrics({ metrics: [{ name: 'bought', kind: 'binomial', events: ['buy'] }] })
    if (metrics._tag === 'Left') throw new Error('the test metrics do not decode')
    const logs: Logs = {
      metrics: metrics.right,
      exposures: [
        { unit: 'u0', experiment: 'x0', variant: 'v0', time: T0 + 3 * DAY, dimension: '' },
        { unit: 'u0', experiment: 'x0', variant: 'v0', time: T0, dimension: '' },
      ],
      events: [
        { unit: 'stranger', time: T0, event: 'buy', values: [] },
        { unit: 'u0', time: T0 - 3 * DAY, event: 'view', values: [] },
      ],
    }
    const records = flawedRecords(logs, [{ log: 'exposures', field: 'unit_id', at: 0, text: null }])
    await loadRecords(records, { nullable: 'all' })
    expect(inProcessVerdict(logs, records)).toBe('refused')
    expect(await refusalReason(driver!, logs)).toMatch(/^1 exposed unit\(s\) have exposure rows without a unit id/)
  }, 60_000)
  it('a unit in two experiments: the refusal counts each event without a value once (Nullable values)', async (ctx) => {
    cluster.get(ctx)
    const { logs, records } = unitInTwoExperiments(2)
    await loadRecords(records, { nullable: 'values' })
    expect(await refusalReason(driver!, logs)).toMatch(/^2 qualifying event row\(s\) have no/)
    expect(await refusalReason(driver!, logs, { experiment: 'x1' })).toMatch(/^2 qualifying event row\(s\) have no/)
  }, 60_000)
})
