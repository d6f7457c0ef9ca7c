/**
 * PostgreSQL 15 (Debian's), started by the harness on a loopback port: the compiled query equals the in-process
 * engine on random paths and events, every model, Markov orders 1 to 4 (events in both forms: per journey with lists
 * when a model needs channel sets, else one row per touch); rows stream through a cursor; passwords never reach a
 * message.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES } from '../../src/attribution/model'
import { allRows, type SqlDriver } from '../../src/engines/driver'
import { failureText, orThrow, rowsOf } from '../_engines'
import { openPostgres } from '../../src/engines/postgres'
import { compileAttribution } from '../../src/sql/compile'
import { postgres } from '../../src/sql/dialects'
import { arbEventRows, arbPathRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, inProcessEvents, inProcessPaths, NASTY_TEXTS, pathsQuery, type EventRow, type PathRow } from './_differential'
import { serviceSuite, startPostgres } from './_services'

serviceSuite('PostgreSQL', startPostgres, (server) => {
  let driver: SqlDriver | undefined
  let loader: pg.Client | undefined
  beforeAll(async () => {
    const s = server.value()
    if (s === undefined) return
    console.log(`PostgreSQL under test: ${s.version}`)
    driver = orThrow(await openPostgres({ url: s.url }))
    loader = new pg.Client({ connectionString: s.url })
    await loader.connect()
  })
  afterAll(async () => {
    await driver?.close()
    await loader?.end()
  })

  const insert = async (table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
    const width = rows[0]?.length ?? 0
    for (let from = 0; from < rows.length; from += 500) {
      const batch = rows.slice(from, from + 500)
      const values = batch.map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')
      await loader!.query(`INSERT INTO ${table} (${columns}) VALUES ${values}`, batch.flat())
    }
  }
  const loadPaths = async (rows: ReadonlyArray<PathRow>) => {
    await loader!.query('DROP TABLE IF EXISTS paths; CREATE TABLE paths (path TEXT, total_conversions DOUBLE PRECISION, total_conversion_value DOUBLE PRECISION, total_null BIGINT)')
    await insert('paths', 'path, total_conversions, total_conversion_value, total_null', rows.map((r) => [r.path, r.conversions, r.value, r.nulls]))
  }
  const loadEvents = async (rows: ReadonlyArray<EventRow>) => {
    await loader!.query('DROP TABLE IF EXISTS events; CREATE TABLE events (seq INTEGER, user_id TEXT, ts BIGINT, channel TEXT, conversion BOOLEAN, conversion_value NUMERIC)')
    await insert('events', 'seq, user_id, ts, channel, conversion, conversion_value', rows.map((r) => [r.seq, r.user, r.time, r.channel === '' ? null : r.channel, r.conversion, r.value]))
  }
  const run = async (query: unknown) => {
    const sql = compileAttribution('postgres')(query)
    if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
    return decodeRows(await rowsOf(driver!, sql.right.sql))
  }

  it('aggregated paths, every model, orders 1-4 (property)', async (ctx) => {
    server.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbPathRows(), arbScenario, async (rows, s) => {
        await loadPaths(rows)
        const got = await run(pathsQuery(s, { _tag: 'table', name: 'paths' }))
        const want = inProcessPaths(rows, s)
        expect(got.invalidRows).toBe(want.invalid)
        expectSameAttribution(got.partial, want.partial, MODEL_NAMES.filter((m) => m !== 'time_decay'))
      }),
      { numRuns: 60 },
    )
  })

  it('events, every model, orders 1-4, lookback (property)', async (ctx) => {
    server.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS), async (rows, s, lookbackMs) => {
        await loadEvents(rows)
        const got = await run(eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs))
        const want = inProcessEvents(rows, s, lookbackMs)
        expect(got.invalidRows).toBe(want.invalid)
        expectSameAttribution(got.partial, want.partial, MODEL_NAMES)
      }),
      { numRuns: 60 },
    )
  })

  it('events without a channel-set model, one row per touch: every other model, orders 1-4, lookback (property)', async (ctx) => {
    server.get(ctx)
    const models = MODEL_NAMES.filter((m) => !['participation', 'shapley', 'shapley_rate'].includes(m))
    await fc.assert(
      fc.asyncProperty(arbEventRows(), arbScenario, fc.constantFrom(undefined, DAY_MS, 7 * DAY_MS, 30 * DAY_MS), async (rows, s, lookbackMs) => {
        await loadEvents(rows)
        const query = { ...eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs), models }
        const sql = compileAttribution('postgres')(query)
        if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
        // The per-touch form (journeysByTouches.ts): no list per journey.
        expect(sql.right.sql).not.toContain('array_agg(')
        const got = decodeRows(await rowsOf(driver!, sql.right.sql))
        const want = inProcessEvents(rows, s, lookbackMs)
        expect(got.invalidRows).toBe(want.invalid)
        expectSameAttribution(got.partial, want.partial, models)
      }),
      { numRuns: 60 },
    )
  })

  it('literals read back exactly, whatever standard_conforming_strings says', async (ctx) => {
    server.get(ctx)
    for (const setting of ['on', 'off']) {
      await rowsOf(driver!, `SELECT set_config('standard_conforming_strings', '${setting}', false)`)
      for (const text of NASTY_TEXTS.filter((t) => !t.includes('\u0000'))) expect((await rowsOf(driver!, `SELECT ${postgres.string(text)} AS v`))[0]!['v']).toBe(text)
    }
    await rowsOf(driver!, "SELECT set_config('standard_conforming_strings', 'on', false)")
  })

  it('streams a large result in batches through a cursor', async (ctx) => {
    server.get(ctx)
    let batches = 0
    let rows = 0
    for await (const b of driver!.rows('SELECT g FROM generate_series(1, 12345) AS g')) {
      batches++
      rows += b.length
    }
    expect({ batches, rows }).toEqual({ batches: 3, rows: 12345 })
  })

  it('a password in the URL never reaches a message: bad query, refused connection', async (ctx) => {
    const { url } = server.get(ctx)
    const secret = 'Pa55-w0rd-never-shown'
    const withPassword = url.replace('postgres@', `postgres:${secret}@`)
    const d = orThrow(await openPostgres({ url: withPassword }))
    const failure = failureText(await allRows(d, 'SELECT * FROM no_such_table'))
    await d.close()
    expect(failure).toContain('no_such_table')
    expect(failure).toContain('postgres:***@')
    expect(failure).not.toContain(secret)
    const refused = failureText(await openPostgres({ url: `postgres://someone:${secret}@127.0.0.1:1/x` }))
    expect(refused).toMatch(/ECONNREFUSED|connect/)
    expect(refused).not.toContain(secret)
  })
})
