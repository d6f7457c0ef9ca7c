/**
 * ClickHouse (Debian's 18.16: no window functions, no common table expressions) as a cluster of two servers,
 * started by the harness on loopback ports, with `Distributed` tables over a local table on each: the rows are
 * spread over both shards, so the first aggregation really runs on two servers and is merged. The compiled query
 * equals the in-process engine on random paths and events, every model, Markov orders 1 to 4.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES } from '../../src/attribution/model'
import { openClickHouse } from '../../src/engines/clickhouse'
import { allRows, type SqlDriver } from '../../src/engines/driver'
import { failureText, orThrow, rowsOf } from '../_engines'
import { compileAttribution } from '../../src/sql/compile'
import { clickhouse } from '../../src/sql/dialects'
import { arbEventRows, arbPathRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, inProcessEvents, inProcessPaths, NASTY_TEXTS, pathsQuery, type EventRow, type PathRow } from './_differential'
import { clusterTable, spread } from './_clickhouse'
import { CLICKHOUSE_PASSWORD, serviceSuite, startClickHouseCluster } from './_services'

export { chExec, clusterTable, spread } from './_clickhouse'

serviceSuite('ClickHouse, two shards', startClickHouseCluster, (cluster) => {
  let driver: SqlDriver | undefined
  beforeAll(async () => {
    const c = cluster.value()
    if (c === undefined) return
    console.log(`ClickHouse under test: ${c.version}, cluster ${c.cluster} of 2 servers`)
    driver = orThrow(await openClickHouse({ url: c.urls[0].replace('http://', `http://default:${CLICKHOUSE_PASSWORD}@`) }))
  })
  afterAll(async () => {
    await driver?.close()
  })

  const loadPaths = async (rows: ReadonlyArray<PathRow>) => {
    const { urls } = cluster.value()!
    await clusterTable(urls, 'paths', 'path Nullable(String), total_conversions Nullable(Float64), total_conversion_value Nullable(Float64), total_null Nullable(Int64)')
    await spread(urls, 'paths', rows.map((r) => ({ path: r.path, total_conversions: r.conversions, total_conversion_value: r.value, total_null: r.nulls })))
  }
  const loadEvents = async (rows: ReadonlyArray<EventRow>) => {
    const { urls } = cluster.value()!
    await clusterTable(urls, 'events', 'seq UInt32, user_id String, ts Int64, channel Nullable(String), conversion UInt8, conversion_value Float64')
    await spread(urls, 'events', rows.map((r) => ({ seq: r.seq, user_id: r.user, ts: r.time, channel: r.channel === '' ? null : r.channel, conversion: r.conversion ? 1 : 0, conversion_value: r.value })))
  }
  const run = async (query: unknown) => {
    const sql = compileAttribution('clickhouse')(query)
    if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
    return decodeRows(await rowsOf(driver!, sql.right.sql))
  }

  it('literals read back exactly', async (ctx) => {
    cluster.get(ctx)
    for (const text of NASTY_TEXTS) expect((await rowsOf(driver!, `SELECT ${clickhouse.string(text)} AS v`))[0]!['v']).toBe(text)
  })

  it('the password never reaches a message', async (ctx) => {
    const { urls } = cluster.get(ctx)
    const bad = failureText(await openClickHouse({ url: urls[0].replace('http://', 'http://default:wrong-Pa55@') }))
    expect(bad).toMatch(/password|Authentication|516|193/i)
    expect(bad).not.toContain('wrong-Pa55')
    const failing = failureText(await allRows(driver!, 'SELECT * FROM no_such_table'))
    expect(failing).toContain('no_such_table')
    expect(failing).not.toContain(CLICKHOUSE_PASSWORD)
  })

  it('aggregated paths, every model, orders 1-4 (property)', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbPathRows(), arbScenario, async (rows, s) => {
        await loadPaths(rows)
        const got = await run(pathsQuery(s, { _tag: 'table', name: 'paths' }))
        const want = inProcessPaths(rows, s)
        expect(got.invalidRows).toBe(want.invalid)
        expectSameAttribution(got.partial, want.partial, MODEL_NAMES.filter((m) => m !== 'time_decay'))
      }),
      { numRuns: 30 },
    )
  }, 600_000)

  it('events, every model, orders 1-4, lookback (property)', async (ctx) => {
    cluster.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS), async (rows, s, lookbackMs) => {
        await loadEvents(rows)
        const got = await run(eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs))
        const want = inProcessEvents(rows, s, lookbackMs)
        expect(got.invalidRows).toBe(want.invalid)
        expectSameAttribution(got.partial, want.partial, MODEL_NAMES)
      }),
      { numRuns: 30 },
    )
  }, 600_000)
})
