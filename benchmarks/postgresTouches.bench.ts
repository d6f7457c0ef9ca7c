/**
 * Event journeys on PostgreSQL: one row per touch (journeysByTouches.ts, `touchesByWindows`) against one row per
 * journey (arrays, `eventJourneysByWindows`), the same query otherwise, on a live PostgreSQL started as the tests
 * start one (tests/engines/_services.ts), default settings (work_mem 4MB: sorts spill as they would on a server).
 *
 *   EVENTS=1000000 ROUNDS=5 npx tsx benchmarks/postgresTouches.bench.ts
 *   MODELS=first,last,linear,position LOOKBACK_DAYS=none ORDER=1 EXPLAIN=1 npx tsx benchmarks/postgresTouches.bench.ts
 *
 * The events are the seeded generator's (scripts/generate-paths.ts events, seed bench), shuffled, loaded once. Each
 * round runs both forms, the order swapped every round; wall time and the backend's CPU time (/proc of the server
 * process that runs the query) per run, the ratio per pair, and whether the partials are equal (1e-9 relative).
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { DAY_MS, MODEL_NAMES, type ModelName } from '../src/attribution/model'
import { formatError } from '../src/core/errors'
import { allRows, type SqlDriver } from '../src/engines/driver'
import { openPostgres } from '../src/engines/postgres'
import { compileAttribution } from '../src/sql/compile'
import { decodeAttributionRows } from '../src/sql/decode'
import { postgres } from '../src/sql/dialects'
import type { AttributionQuery } from '../src/sql/model'
import { startPostgres } from '../tests/engines/_services'

const root = fileURLToPath(new URL('..', import.meta.url))
const EVENTS = Number(process.env['EVENTS'] ?? 1_000_000)
const ROUNDS = Number(process.env['ROUNDS'] ?? 5)
const MODELS = (process.env['MODELS'] ?? 'first,last,last_non_direct,linear,position,time_decay,markov').split(',') as Array<ModelName>
const ORDER = Number(process.env['ORDER'] ?? 2)
const LOOKBACK_DAYS = process.env['LOOKBACK_DAYS'] === 'none' ? undefined : Number(process.env['LOOKBACK_DAYS'] ?? 30)
const dir = join(tmpdir(), 'touchpoint-warehouse-bench')
mkdirSync(dir, { recursive: true })

const must = <A>(e: E.Either<{ readonly _tag: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(formatError(e.left as never))
  return e.right
}

const sorted = join(dir, `events-${EVENTS}.csv`)
const shuffled = join(dir, `events-${EVENTS}-shuffled.csv`)
if (!existsSync(sorted)) execFileSync('npx', ['tsx', 'scripts/generate-paths.ts', 'events', '--rows', String(EVENTS), '--seed', 'bench', '--out', sorted], { cwd: root })
if (!existsSync(shuffled)) {
  writeFileSync(shuffled, `${readFileSync(sorted, 'utf8').slice(0, 200).split('\n')[0]!}\n`)
  execFileSync('bash', ['-c', `tail -n +2 ${JSON.stringify(sorted)} | shuf --random-source=<(yes touchpoint) >> ${JSON.stringify(shuffled)}`])
}

const server = await startPostgres()
try {
  const db: SqlDriver = must(await openPostgres({ url: server.value.url }))
  const run = async (sql: string) => must(await allRows(db, sql))
  // The server reads the file itself (COPY FROM a path): a copy it may read.
  const readable = join(tmpdir(), `tp-pg-events-${process.pid}.csv`)
  copyFileSync(shuffled, readable)
  chmodSync(readable, 0o644)
  const loader = new pg.Client({ connectionString: server.value.url })
  await loader.connect()
  await loader.query('CREATE TABLE events (user_id TEXT, "timestamp" TIMESTAMPTZ, channel TEXT, conversion INTEGER, conversion_value DOUBLE PRECISION)')
  await loader.query(`COPY events FROM ${postgres.string(readable)} WITH (FORMAT csv, HEADER true)`)
  await loader.query('VACUUM ANALYZE events')
  // No parallel workers: the backend's CPU time is then all of the query's (a worker's is not counted in it).
  await loader.query('ALTER SYSTEM SET max_parallel_workers_per_gather = 0')
  await loader.query('SELECT pg_reload_conf()')
  await loader.end()
  execFileSync('rm', ['-f', readable])
  const explain = async (sql: string) => {
    const c = new pg.Client({ connectionString: server.value.url })
    await c.connect()
    const r = await c.query(`EXPLAIN ${sql}`)
    await c.end()
    return r.rows as Array<Record<string, unknown>>
  }
  const pid = Number((await run('SELECT pg_backend_pid() AS p'))[0]!['p'])
  const cpu = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  }
  const query: AttributionQuery = {
    source: { _tag: 'table', name: 'events' },
    input: { _tag: 'events', user: 'user_id', time: 'timestamp', channel: 'channel', conversion: 'conversion', value: 'conversion_value', timeType: { _tag: 'timestamp' }, ...(LOOKBACK_DAYS === undefined ? {} : { lookbackMs: LOOKBACK_DAYS * DAY_MS }) },
    models: MODELS.filter((m) => MODEL_NAMES.includes(m)),
    order: ORDER,
    position: { first: 0.4, middle: 0.2, last: 0.4 },
    halfLifeMs: 7 * DAY_MS,
    direct: ['direct'],
  }
  const forms = {
    touches: must(compileAttribution({ ...postgres, touchesByWindows: true })(query)).sql,
    journeys: must(compileAttribution({ ...postgres, touchesByWindows: false })(query)).sql,
  }
  const times: Record<keyof typeof forms, Array<{ wall: number; cpu: number }>> = { touches: [], journeys: [] }
  const results: Record<string, ReturnType<ReturnType<typeof decodeAttributionRows>>> = {}
  for (let i = 0; i < ROUNDS; i++) {
    const order: Array<keyof typeof forms> = i % 2 === 0 ? ['touches', 'journeys'] : ['journeys', 'touches']
    for (const form of order) {
      const c0 = cpu()
      const t0 = performance.now()
      const rows = await run(forms[form])
      times[form].push({ wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 })
      results[form] = decodeAttributionRows()(rows)
    }
  }
  const a = must(results['touches']!).partial
  const b = must(results['journeys']!).partial
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y))
  const flat = (p: typeof a) => JSON.stringify(p, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v))
  const same = a.channels.join() === b.channels.join() && Object.keys(a.rules).every((m) => a.rules[m as 'first'].conversions.every((x, k) => near(x, b.rules[m as 'first'].conversions[k]!)))
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!
  console.log(`${server.value.version}; ${EVENTS.toLocaleString('en-US')} shuffled events, lookback ${LOOKBACK_DAYS ?? 'none'} days, ${query.models.join(',')}, order ${ORDER}; ${ROUNDS} alternating pairs`)
  console.log(`equal credits (1e-9 relative): ${same}; equal partials at 10 digits: ${flat(a) === flat(b)}`)
  console.log('| form | median wall s | median backend CPU s | x per journey (median of pair ratios, wall / CPU) |')
  console.log('|---|--:|--:|--:|')
  for (const form of ['journeys', 'touches'] as const) {
    const r = times[form].map((t, i) => ({ wall: t.wall / times.journeys[i]!.wall, cpu: t.cpu / times.journeys[i]!.cpu }))
    console.log(`| ${form === 'touches' ? 'one row per touch (touchesByWindows)' : 'one row per journey (arrays)'} | ${median(times[form].map((t) => t.wall)).toFixed(2)} | ${median(times[form].map((t) => t.cpu)).toFixed(2)} | ${median(r.map((x) => x.wall)).toFixed(2)} / ${median(r.map((x) => x.cpu)).toFixed(2)} |`)
  }
  for (let i = 0; i < ROUNDS; i++) console.log(`pair ${i + 1}: touches ${times.touches[i]!.wall.toFixed(2)} s (cpu ${times.touches[i]!.cpu.toFixed(2)}), journeys ${times.journeys[i]!.wall.toFixed(2)} s (cpu ${times.journeys[i]!.cpu.toFixed(2)})`)
  if (process.env['EXPLAIN'] !== undefined) for (const form of ['touches', 'journeys'] as const) console.log(`\n${form}:\n${(await explain(forms[form])).map((r) => r['QUERY PLAN']).join('\n')}`)
  await db.close()
} finally {
  await server.stop()
}
