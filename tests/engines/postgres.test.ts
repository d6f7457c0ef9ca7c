/**
 * PostgreSQL 15 (Debian's), started by the harness on a loopback port: the compiled query equals the in-process
 * engine on random paths and events, every model, Markov orders 1 to 4 (events one row per touch, channel sets as
 * 63-bit masks, and per journey with lists, `--set-form lists`: both equal to the in-process engine and to each
 * other); past 63 channels the masks fail naming `--set-form lists` and the engine runs the lists; rows stream
 * through a cursor; passwords never reach a message.
 */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { beforeAll, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES, type ModelName } from '../../src/attribution/model'
import { DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { attributeWithDriver } from '../../src/engines/attribute'
import { allRows } from '../../src/engines/driver'
import { failureText, orThrow, rowsOf } from '../_engines'
import { openPostgres } from '../../src/engines/postgres'
import { compileAttribution } from '../../src/sql/compile'
import type { Dialect } from '../../src/sql/dialect'
import { postgres } from '../../src/sql/dialects'
import { TOO_MANY_CHANNELS, withoutSetMasks } from '../../src/sql/journeysByChannelSets'
import { arbEventRows, arbPathRows, arbScenario, decodeRows, eventsQuery, expectSameAttribution, inProcessEvents, inProcessPaths, NASTY_TEXTS, pathsQuery, settingsOf, type EventRow, type PathRow } from './_differential'
import { postgresSuite } from './_services'

/** The list form of channel sets (no mask, no channel limit): what `--set-form lists` prints. */
const LISTS = withoutSetMasks(postgres)

/** `names` channels c00, c01, ... (sorted after '(unattributed)') in one converting journey, and two short journeys. */
const wideEvents = (names: number): ReadonlyArray<EventRow> => {
  const channels = Array.from({ length: names }, (_, i) => `c${String(i).padStart(2, '0')}`)
  const t0 = 1_767_225_600_000
  return [
    ...channels.map((channel, i) => ({ seq: i, user: 'u1', time: t0 + i * 60_000, channel, conversion: false, value: 0 })),
    { seq: names, user: 'u1', time: t0 + names * 60_000, channel: '', conversion: true, value: 7 },
    { seq: names + 1, user: 'u2', time: t0, channel: channels.at(-1)!, conversion: false, value: 0 },
    { seq: names + 2, user: 'u3', time: t0, channel: channels[0]!, conversion: true, value: 3 },
  ]
}

postgresSuite('PostgreSQL', (server) => {
  beforeAll(() => {
    const s = server.value()
    if (s !== undefined) console.log(`PostgreSQL under test: ${s.version}`)
  })
  const db = () => server.value()!

  const loadPaths = async (rows: ReadonlyArray<PathRow>) => {
    await db().loader.query('DROP TABLE IF EXISTS paths; CREATE TABLE paths (path TEXT, total_conversions DOUBLE PRECISION, total_conversion_value DOUBLE PRECISION, total_null BIGINT)')
    await db().insert('paths', 'path, total_conversions, total_conversion_value, total_null', rows.map((r) => [r.path, r.conversions, r.value, r.nulls]))
  }
  const loadEvents = async (rows: ReadonlyArray<EventRow>) => {
    await db().loader.query('DROP TABLE IF EXISTS events; CREATE TABLE events (seq INTEGER, user_id TEXT, ts BIGINT, channel TEXT, conversion BOOLEAN, conversion_value NUMERIC)')
    await db().insert('events', 'seq, user_id, ts, channel, conversion, conversion_value', rows.map((r) => [r.seq, r.user, r.time, r.channel === '' ? null : r.channel, r.conversion, r.value]))
  }
  const run = async (query: unknown, dialect: Dialect = postgres) => {
    const sql = compileAttribution(dialect)(query)
    if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
    return decodeRows(await rowsOf(db().driver, sql.right.sql))
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

  it('events, every model, orders 1-4, lookback: channel sets as masks (the default) = in process = as lists (property)', async (ctx) => {
    server.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbEventRows(), arbScenario, fc.constantFrom(undefined, 7 * DAY_MS, 30 * DAY_MS), async (rows, s, lookbackMs) => {
        await loadEvents(rows)
        const query = eventsQuery(s, { _tag: 'table', name: 'events' }, lookbackMs)
        const masks = await run(query)
        const lists = await run(query, LISTS)
        const want = inProcessEvents(rows, s, lookbackMs)
        expect([masks.invalidRows, lists.invalidRows]).toEqual([want.invalid, want.invalid])
        expectSameAttribution(masks.partial, want.partial, MODEL_NAMES)
        expectSameAttribution(lists.partial, want.partial, MODEL_NAMES)
        expectSameAttribution(masks.partial, lists.partial, MODEL_NAMES)
      }),
      { numRuns: 60 },
    )
  })

  it('the two forms really differ: bit_or over a mask per touch, array_agg per journey', () => {
    const query = eventsQuery({ order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: [] }, { _tag: 'table', name: 'events' }, undefined)
    const sql = (d: Dialect) => {
      const c = compileAttribution(d)(query)
      if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
      return c.right.sql
    }
    expect([/\bbit_or\(/.test(sql(postgres)), /\btp_mask\b/.test(sql(postgres)), /\barray_agg\(/.test(sql(postgres))]).toEqual([true, true, false])
    expect([/\bbit_or\(/.test(sql(LISTS)), /\btp_mask\b/.test(sql(LISTS)), /\barray_agg\(/.test(sql(LISTS))]).toEqual([false, false, true])
  })

  it('masks hold 62 names and (unattributed), the highest bit included; one more fails naming --set-form lists, and attributeWithDriver runs the lists', async (ctx) => {
    server.get(ctx)
    const U = { order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: DAY_MS, direct: ['direct'] }
    const options = {
      ...settingsOf(U),
      models: ['participation', 'shapley'] as Array<ModelName>,
      kind: 'events' as const,
      pathColumns: DEFAULT_PATH_COLUMNS,
      eventColumns: { user: 'user_id', time: 'ts', channel: 'channel', conversion: 'conversion', value: 'conversion_value' },
      separator: '>',
      timeUnit: 'ms' as const,
      orderColumn: 'seq',
    }
    const query = { ...eventsQuery(U, { _tag: 'table', name: 'events' }, undefined), models: options.models }
    // 62 names fit (bits 1-62, (unattributed) is bit 0): the same sets as in process and as the lists.
    const fits = wideEvents(62)
    await loadEvents(fits)
    const masks = await run(query)
    expect(masks.partial.sets.map((x) => x.channels.length).sort((a, b) => a - b)).toEqual([1, 1, 62])
    expectSameAttribution(masks.partial, inProcessEvents(fits, U, undefined).partial, options.models)
    expectSameAttribution(masks.partial, (await run(query, LISTS)).partial, options.models)
    const direct = orThrow(await attributeWithDriver(db().driver, { _tag: 'table', name: 'events' }, options))
    expect(direct.sql).toMatch(/\btp_mask\b/)
    // 63 names do not: the query fails with the message that names the way out; the engine falls back to lists.
    const over = wideEvents(63)
    await loadEvents(over)
    const compiled = compileAttribution('postgres')(query)
    if (E.isLeft(compiled)) throw new Error(JSON.stringify(compiled.left))
    const failed = await allRows(db().driver, compiled.right.sql)
    expect(E.isLeft(failed) && failed.left._tag === 'EngineFailure' && failed.left.reason.includes(TOO_MANY_CHANNELS)).toBe(true)
    expect(failureText(failed)).toContain('--set-form lists')
    const fallback = orThrow(await attributeWithDriver(db().driver, { _tag: 'table', name: 'events' }, options))
    expect(fallback.sql).toMatch(/\barray_agg\(/)
    expect(fallback.result.partial.sets.map((x) => x.channels.length).sort((a, b) => a - b)).toEqual([1, 1, 63])
    expectSameAttribution(fallback.result.partial, inProcessEvents(over, U, undefined).partial, options.models)
  })

  it('mask text reads back as a bigint only when it is one (no TRY_CAST in PostgreSQL); bits 0 and 62 are read', async (ctx) => {
    server.get(ctx)
    const m = postgres.setMasks!
    const texts = ['0', '5', '-5', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '99999999999999999999', 'abc', '', '1.5', ' 7']
    // From a column, as the query reads it (a result row's text): constants would be folded while planning.
    const got = await rowsOf(db().driver, `SELECT t, ${m.toMask('t')} AS v FROM (VALUES ${texts.map((t, i) => `(${i}, ${postgres.string(t)})`).join(', ')}) AS x(i, t) ORDER BY i`)
    expect(got.map((r) => [r['t'], r['v']])).toEqual(texts.map((t) => [t, ['0', '5', '-5', '9223372036854775807', '-9223372036854775808'].includes(t) ? t : null]))
    const bits = await rowsOf(db().driver, `SELECT ${m.hasBit(m.bit('0'), '0')} AS b0, ${m.hasBit(m.bit('62'), '62')} AS b62, ${m.hasBit(m.bit('62'), '61')} AS b61, ${m.bitOr('x')} AS o FROM (VALUES (${m.bit('1')}), (${m.bit('62')})) AS t(x)`)
    expect(bits).toEqual([{ b0: true, b62: true, b61: false, o: String(2n + 2n ** 62n) }])
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
        const got = decodeRows(await rowsOf(db().driver, sql.right.sql))
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
      await rowsOf(db().driver, `SELECT set_config('standard_conforming_strings', '${setting}', false)`)
      for (const text of NASTY_TEXTS.filter((t) => !t.includes('\u0000'))) expect((await rowsOf(db().driver, `SELECT ${postgres.string(text)} AS v`))[0]!['v']).toBe(text)
    }
    await rowsOf(db().driver, "SELECT set_config('standard_conforming_strings', 'on', false)")
  })

  it('streams a large result in batches through a cursor', async (ctx) => {
    server.get(ctx)
    let batches = 0
    let rows = 0
    for await (const b of db().driver.rows('SELECT g FROM generate_series(1, 12345) AS g')) {
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
