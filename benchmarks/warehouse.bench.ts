/**
 * Where the data lives: touchpoint's SQL on DuckDB (embedded) and ClickHouse against the floors.
 *
 *   npx tsx benchmarks/warehouse.bench.ts                       # every table below
 *   PARTS=paths,events npx tsx benchmarks/warehouse.bench.ts    # some of them: paths, events, huge, clickhouse
 *   PATHS=200000 EVENTS=1000000 TOUCHES=1000000 npx tsx benchmarks/warehouse.bench.ts
 *
 * Data comes from the seeded generators (scripts/generate-paths.ts, scripts/generate-warehouse.ts) into a temporary
 * directory (reused between runs). Each measurement is its own process, timed and with its peak RSS read by
 * /usr/bin/time, rounds interleaved and medians printed (these 2-core machines are shared):
 * - paths: 1e6 distinct aggregated paths as Parquet through `touchpoint attribute --engine duckdb` (rule-based
 *   models: first, last, linear, position) against a hand-written DuckDB query for the same credits over the same
 *   file (the floor: one unnest, one GROUP BY, no validation), in a Node process of its own;
 * - events: 10M events in random order through `--engine duckdb` (default memory limit), against the streaming
 *   reader on the same events sorted by user and time (`--grouped`);
 * - huge: 1e8 touches generated into Parquet by DuckDB (scripts/generate-warehouse.ts), attributed with
 *   `--engine duckdb`: that it completes, time and peak memory;
 * - clickhouse: the same paths on one shard and on two (a Distributed table over both), identical results, both times;
 * - sets: SET_EVENTS (1M) events in random order, channel-set models (participation, shapley) through `--engine
 *   duckdb`, the CLI of this tree against another build (BEFORE_CLI, e.g. main's dist/cli.js: per-journey lists in
 *   passes) in alternating pairs; equal tables, time and peak memory, and the passes each form takes.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { MODEL_NAMES } from '../src/attribution/model'
import { allRows, type SqlDriver } from '../src/engines/driver'
import { formatError, type TouchpointError } from '../src/core/errors'
import { openClickHouse } from '../src/engines/clickhouse'
import { openDuckDb } from '../src/engines/duckdb'
import { compileAttribution, eventsByTouch } from '../src/sql/compile'
import type { AttributionQuery } from '../src/sql/model'
import { duckDbPasses } from '../src/engines/passes'
import { decodeAttributionRows } from '../src/sql/decode'
import { duckdb } from '../src/sql/dialects'
import { CLICKHOUSE_PASSWORD, startClickHouseCluster } from '../tests/engines/_services'

/** The engines answer Eithers: stop at the first Left, with its message. */
const orThrow = <A>(e: { readonly _tag: 'Left'; readonly left: TouchpointError } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (e._tag === 'Left') throw new Error(formatError(e.left))
  return e.right
}
const rowsOf = async (driver: SqlDriver, sql: string) => orThrow(await allRows(driver, sql))

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = join(tmpdir(), 'touchpoint-warehouse-bench')
mkdirSync(dir, { recursive: true })
const PATHS = Number(process.env['PATHS'] ?? 1_000_000)
const EVENTS = Number(process.env['EVENTS'] ?? 10_000_000)
const TOUCHES = Number(process.env['TOUCHES'] ?? 100_000_000)
const ROUNDS = Number(process.env['ROUNDS'] ?? 3)
const SET_EVENTS = Number(process.env['SET_EVENTS'] ?? 1_000_000)
const parts = new Set((process.env['PARTS'] ?? 'paths,events,huge,clickhouse,sets').split(','))
const cli = join(root, 'dist/cli.js')

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface Run {
  readonly seconds: number
  readonly rssMb: number
  readonly stdout: string
}

/** A command in its own process, with wall time and peak RSS from /usr/bin/time. */
const timed = (command: string, args: ReadonlyArray<string>): Run => {
  const r = spawnSync('/usr/bin/time', ['-f', 'TP_TIME %e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, cwd: root })
  const m = /TP_TIME ([\d.]+) (\d+)/.exec(r.stderr)
  if (r.status !== 0 || m === null) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return { seconds: Number(m[1]), rssMb: Number(m[2]) / 1024, stdout: r.stdout }
}

const sh = async (sql: string) => {
  const db = orThrow(await openDuckDb({ memoryLimit: '2GB' }))
  try {
    await rowsOf(db, sql)
  } finally {
    await db.close()
  }
}

const ensure = (file: string, make: () => void | Promise<void>) => (existsSync(file) ? undefined : make())

const row = (cells: ReadonlyArray<string>) => console.log(`| ${cells.join(' | ')} |`)

/** The floor of the paths table: one hand-written DuckDB query for first, last, linear and position (40/20/40). */
const HAND_WRITTEN = (file: string) => `
SELECT ch,
  sum(CASE WHEN k = 1 THEN c ELSE 0 END) AS first_c, sum(CASE WHEN k = 1 THEN v ELSE 0 END) AS first_v,
  sum(CASE WHEN k = n THEN c ELSE 0 END) AS last_c, sum(CASE WHEN k = n THEN v ELSE 0 END) AS last_v,
  sum(c / n) AS linear_c, sum(v / n) AS linear_v,
  sum(w * c) AS position_c, sum(w * v) AS position_v
FROM (
  SELECT trim(x) AS ch, k, n, c, v,
    CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5 WHEN k = 1 OR k = n THEN 0.4 ELSE 0.2 / (n - 2) END AS w
  FROM (
    SELECT unnest(string_split(path, '>')) AS x, generate_subscripts(string_split(path, '>'), 1) AS k,
      len(string_split(path, '>')) AS n, CAST(total_conversions AS DOUBLE) AS c, CAST(total_conversion_value AS DOUBLE) AS v
    FROM read_parquet(${duckdb.string(file)})
  )
)
GROUP BY ch`

/**
 * The floor of the events table: a hand-written DuckDB query over the same file with the default memory limit:
 * journeys cut at conversions by a running count per user (one window), then first, last and linear credits per
 * channel. No lookback, no validation, no lists (so no passes): the least an engine must do to sort the events.
 */
const HAND_WRITTEN_EVENTS = (file: string) => `
SELECT channel, sum(CASE WHEN k = 1 THEN c ELSE 0 END) AS first_c, sum(CASE WHEN k = n THEN c ELSE 0 END) AS last_c, sum(c / n) AS linear_c
FROM (
  SELECT channel, c, row_number() OVER (PARTITION BY user_id, j ORDER BY ts) AS k, count(*) OVER (PARTITION BY user_id, j) AS n
  FROM (
    SELECT user_id, ts, channel, max(conversion) OVER (PARTITION BY user_id, j) AS c, j
    FROM (
      SELECT user_id, CAST("timestamp" AS TIMESTAMPTZ) AS ts, channel, CAST(conversion AS DOUBLE) AS conversion,
        coalesce(sum(conversion) OVER (PARTITION BY user_id ORDER BY CAST("timestamp" AS TIMESTAMPTZ), conversion ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS j
      FROM read_csv(${duckdb.string(file)})
    )
  )
)
GROUP BY channel`

/** Child mode: run the hand-written query in a Node process of its own (as the CLI runs in its own). */
if (process.argv[2] === '--hand-written' || process.argv[2] === '--hand-written-events') {
  const db = orThrow(await openDuckDb())
  const rows = await rowsOf(db, (process.argv[2] === '--hand-written' ? HAND_WRITTEN : HAND_WRITTEN_EVENTS)(process.argv[3]!))
  await db.close()
  console.log(`${rows.length} channels`)
  process.exit(0)
}

console.log(`warehouse benchmarks: node ${process.version}, DuckDB via @duckdb/node-api, data in ${dir}`)
if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })

if (parts.has('paths')) {
  const csv = join(dir, `paths-${PATHS}.csv`)
  const parquet = join(dir, `paths-${PATHS}.parquet`)
  await ensure(csv, () => void execFileSync('npx', ['tsx', 'scripts/generate-paths.ts', 'paths', '--rows', String(PATHS), '--seed', 'bench', '--out', csv], { cwd: root }))
  await ensure(parquet, () => sh(`COPY (SELECT * FROM read_csv(${duckdb.string(csv)})) TO ${duckdb.string(parquet)} (FORMAT parquet)`))
  const ours: Array<Run> = []
  const floor: Array<Run> = []
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(timed(process.execPath, [cli, 'attribute', parquet, '--models', 'first,last,linear,position', '--quiet']))
    floor.push(timed(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--hand-written', parquet]))
  }
  const ratio = median(ours.map((r, i) => r.seconds / floor[i]!.seconds))
  console.log(`\n${PATHS.toLocaleString('en-US')} distinct paths, Parquet (${(statSync(parquet).size / 1e6).toFixed(1)} MB), rule-based credits (first, last, linear, position); ${ROUNDS} interleaved rounds`)
  row(['case', 'median s', 'peak RSS MB', 'x floor'])
  row(['---', '--:', '--:', '--:'])
  row(['touchpoint attribute --engine duckdb (whole CLI)', median(ours.map((r) => r.seconds)).toFixed(2), median(ours.map((r) => r.rssMb)).toFixed(0), ratio.toFixed(2)])
  row(['floor: hand-written DuckDB query (Node + DuckDB)', median(floor.map((r) => r.seconds)).toFixed(2), median(floor.map((r) => r.rssMb)).toFixed(0), '1.00'])
}

if (parts.has('events')) {
  const sorted = join(dir, `events-${EVENTS}.csv`)
  const shuffled = join(dir, `events-${EVENTS}-shuffled.csv`)
  await ensure(sorted, () => void execFileSync('npx', ['tsx', 'scripts/generate-paths.ts', 'events', '--rows', String(EVENTS), '--seed', 'bench', '--out', sorted], { cwd: root }))
  await ensure(shuffled, () => {
    // A seeded shuffle of the lines below the header (shuf with a fixed random source).
    const header = readFileSync(sorted, 'utf8').slice(0, 200).split('\n')[0]!
    writeFileSync(shuffled, `${header}\n`)
    execFileSync('bash', ['-c', `tail -n +2 ${JSON.stringify(sorted)} | shuf --random-source=<(yes touchpoint) >> ${JSON.stringify(shuffled)}`])
  })
  const models = 'first,last,last_non_direct,linear,position,time_decay,markov'
  const engine: Array<Run> = []
  const stream: Array<Run> = []
  const floor: Array<Run> = []
  for (let i = 0; i < Math.max(1, ROUNDS - 1); i++) {
    engine.push(timed(process.execPath, [cli, 'attribute', shuffled, '--engine', 'duckdb', '--models', models, '--lookback', '30d', '--quiet']))
    stream.push(timed(process.execPath, [cli, 'attribute', sorted, '--grouped', '--models', models, '--lookback', '30d', '--quiet']))
    floor.push(timed(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--hand-written-events', shuffled]))
  }
  // Equal tables: the same rows, numbers to 1e-9 relative (sums in another order differ in the 12th digit).
  const cells = (out: string) => out.trim().split('\n').sort().map((line) => line.split(','))
  const near = (a: string, b: string) => a === b || Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(b)))
  const [ea, sa] = [cells(engine[0]!.stdout), cells(stream[0]!.stdout)]
  const same = [ea.length === sa.length && ea.every((r, i) => r.length === sa[i]!.length && r.every((c, k) => near(c, sa[i]![k]!)))]
  // Both tables kept beside the data, to compare when they differ.
  writeFileSync(join(dir, `events-${EVENTS}-engine.txt`), engine[0]!.stdout)
  writeFileSync(join(dir, `events-${EVENTS}-streaming.txt`), stream[0]!.stdout)
  console.log(`\n${EVENTS.toLocaleString('en-US')} events (${(statSync(sorted).size / 1e6).toFixed(0)} MB CSV), 30-day lookback, ${models}; equal tables (1e-9 relative): ${same[0]}`)
  row(['case', 'median s', 'peak RSS MB', 'x streaming'])
  row(['---', '--:', '--:', '--:'])
  row(['--engine duckdb, events in random order (default memory limit 512MB; one row per touch, no passes)', median(engine.map((r) => r.seconds)).toFixed(1), median(engine.map((r) => r.rssMb)).toFixed(0), (median(engine.map((r) => r.seconds)) / median(stream.map((r) => r.seconds))).toFixed(2)])
  row(['streaming reader, the same events sorted by user and time (--grouped)', median(stream.map((r) => r.seconds)).toFixed(1), median(stream.map((r) => r.rssMb)).toFixed(0), '1.00'])
  const vsFloor = median(engine.map((r, i) => r.seconds / floor[i]!.seconds))
  row(['floor: hand-written DuckDB query, same shuffled file (first/last/linear, no lookback; default limit)', median(floor.map((r) => r.seconds)).toFixed(1), median(floor.map((r) => r.rssMb)).toFixed(0), (median(floor.map((r) => r.seconds)) / median(stream.map((r) => r.seconds))).toFixed(2)])
  console.log(`--engine duckdb / floor: ${vsFloor.toFixed(2)}x time (median of paired rounds), ${(median(engine.map((r) => r.rssMb)) / median(floor.map((r) => r.rssMb))).toFixed(2)}x peak RSS`)
}

if (parts.has('huge')) {
  const parquet = join(dir, `touches-${TOUCHES}.parquet`)
  if (!existsSync(parquet)) {
    const g = timed('npx', ['tsx', 'scripts/generate-warehouse.ts', '--touches', String(TOUCHES), '--seed', 'bench', '--out', parquet])
    console.log(`\ngenerated ${TOUCHES.toLocaleString('en-US')} touches into ${(statSync(parquet).size / 1e6).toFixed(0)} MB of Parquet in ${g.seconds.toFixed(0)} s (peak ${g.rssMb.toFixed(0)} MB)`)
  }
  const r = timed(process.execPath, [cli, 'attribute', parquet, '--engine', 'duckdb', '--models', 'first,last,last_non_direct,linear,position,markov,shapley', '--quiet'])
  console.log(`\n${TOUCHES.toLocaleString('en-US')} touches as Parquet, attribute --engine duckdb (rule-based, Markov order 1, Shapley; default memory limit): ${r.seconds.toFixed(0)} s, peak RSS ${r.rssMb.toFixed(0)} MB, ${r.stdout.trim().split('\n').length - 1} channels; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}

if (parts.has('clickhouse')) {
  const csv = join(dir, `paths-${PATHS}.csv`)
  await ensure(csv, () => void execFileSync('npx', ['tsx', 'scripts/generate-paths.ts', 'paths', '--rows', String(PATHS), '--seed', 'bench', '--out', csv], { cwd: root }))
  const cluster = await startClickHouseCluster()
  try {
    const [one, two] = cluster.value.urls
    // Node's http, not fetch: an insert of 1M rows on a loaded machine can answer after fetch's 300 s headers timeout;
    // a connection per statement: a kept-alive one, closed by the server while readFileSync below held the event
    // loop, was written to anyway (EPIPE).
    const exec = (base: string, sql: string, body?: string) =>
      new Promise<void>((resolve, reject) => {
        const url = new URL(base)
        url.searchParams.set('user', 'default')
        url.searchParams.set('password', CLICKHOUSE_PASSWORD)
        if (body !== undefined) url.searchParams.set('query', sql)
        const req = httpRequest(url, { method: 'POST', agent: false }, (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${sql.slice(0, 60)}: HTTP ${res.statusCode}: ${text}`))))
        })
        // The server may answer (an error) before it has read the whole body: the answer, not EPIPE, says why.
        req.on('error', (e) => setTimeout(() => reject(e), 1000))
        req.end(body ?? sql)
      })
    const columns = 'path String, total_conversions Float64, total_conversion_value Float64, total_null Float64'
    for (const u of [one, two]) {
      await exec(u, 'DROP TABLE IF EXISTS paths_local')
      await exec(u, `CREATE TABLE paths_local (${columns}) ENGINE = MergeTree ORDER BY tuple()`)
    }
    await exec(one, 'DROP TABLE IF EXISTS paths_one')
    await exec(one, `CREATE TABLE paths_one (${columns}) ENGINE = MergeTree ORDER BY tuple()`)
    await exec(one, 'DROP TABLE IF EXISTS paths_two')
    await exec(one, 'CREATE TABLE paths_two AS paths_local ENGINE = Distributed(two_shards, default, paths_local)')
    const lines = readFileSync(csv, 'utf8').split('\n').slice(1).filter((l) => l !== '')
    const half = Math.ceil(lines.length / 2)
    await exec(one, 'INSERT INTO paths_one FORMAT CSV', lines.join('\n'))
    await exec(one, 'INSERT INTO paths_local FORMAT CSV', lines.slice(0, half).join('\n'))
    await exec(two, 'INSERT INTO paths_local FORMAT CSV', lines.slice(half).join('\n'))
    const driver = orThrow(await openClickHouse({ url: one.replace('http://', `http://default:${CLICKHOUSE_PASSWORD}@`) }))
    const query = (table: string) => ({
      source: { _tag: 'table', name: table },
      input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null', separator: '>' },
      models: MODEL_NAMES.filter((m) => m !== 'time_decay'),
      order: 1,
      position: { first: 0.4, middle: 0.2, last: 0.4 },
      halfLifeMs: 7 * 86_400_000,
      direct: ['direct'],
    })
    const times: Record<string, Array<number>> = { one: [], two: [] }
    const results: Record<string, unknown> = {}
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, table] of [['one', 'paths_one'], ['two', 'paths_two']] as const) {
        const sql = compileAttribution('clickhouse')(query(table))
        if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
        const t0 = performance.now()
        const rows = await rowsOf(driver, sql.right.sql)
        times[name]!.push((performance.now() - t0) / 1000)
        const d = decodeAttributionRows()(rows)
        if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
        results[name] = d.right.partial
      }
    }
    const a = results['one'] as { rules: Record<string, { conversions: ReadonlyArray<number> }>; totals: unknown }
    const b = results['two'] as typeof a
    const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y))
    // Sums over two shards add in another order: equal to 1e-9 relative, not bit for bit. The largest difference is printed.
    const ta = a.totals as Record<string, number>
    const tb = b.totals as Record<string, number>
    const diffs = [
      ...Object.keys(tb).map((k) => [`totals.${k}`, ta[k]!, tb[k]!] as const),
      ...Object.keys(a.rules).flatMap((m) => a.rules[m]!.conversions.map((x, i) => [`${m}[${i}]`, x, b.rules[m]!.conversions[i]!] as const)),
    ]
    const worst = diffs.reduce((w, d) => (Math.abs(d[1] - d[2]) / Math.max(1, Math.abs(d[2])) > w.rel ? { at: d[0], rel: Math.abs(d[1] - d[2]) / Math.max(1, Math.abs(d[2])) } : w), { at: '', rel: 0 })
    const same = diffs.every((d) => close(d[1], d[2])) && a.rules !== undefined && Object.keys(a.rules).length === Object.keys(b.rules).length
    console.log(`\nClickHouse ${cluster.value.version}: ${PATHS.toLocaleString('en-US')} paths, every model's partial (order 1); the same results on one and two shards (1e-9 relative): ${same}; largest relative difference ${worst.rel.toExponential(2)}${worst.at === '' ? '' : ` (${worst.at})`}`)
    row(['case', 'median s'])
    row(['---', '--:'])
    row(['one shard (MergeTree on one server)', median(times['one']!).toFixed(2)])
    row(['two shards (Distributed over two servers on this 2-core machine)', median(times['two']!).toFixed(2)])
    console.log(`two shards / one shard: ${median(times['two']!.map((t, i) => t / times['one']![i]!)).toFixed(2)}x time (median of paired rounds)`)
  } finally {
    await cluster.stop()
  }
}

if (parts.has('sets')) {
  const sorted = join(dir, `events-${SET_EVENTS}.csv`)
  const shuffled = join(dir, `events-${SET_EVENTS}-shuffled.csv`)
  await ensure(sorted, () => void execFileSync('npx', ['tsx', 'scripts/generate-paths.ts', 'events', '--rows', String(SET_EVENTS), '--seed', 'bench', '--out', sorted], { cwd: root }))
  await ensure(shuffled, () => {
    const header = readFileSync(sorted, 'utf8').slice(0, 200).split('\n')[0]!
    writeFileSync(shuffled, `${header}\n`)
    execFileSync('bash', ['-c', `tail -n +2 ${JSON.stringify(sorted)} | shuf --random-source=<(yes touchpoint) >> ${JSON.stringify(shuffled)}`])
  })
  const models = 'participation,shapley'
  const before = process.env['BEFORE_CLI']
  const args = [shuffled, '--engine', 'duckdb', '--models', models, '--lookback', '30d', '--quiet']
  const after: Array<Run> = []
  const old: Array<Run> = []
  // Alternating pairs, the order swapped every round.
  for (let i = 0; i < Math.max(1, ROUNDS - 1); i++) {
    const pair = [() => after.push(timed(process.execPath, [cli, 'attribute', ...args])), () => (before === undefined ? 0 : old.push(timed(process.execPath, [before, 'attribute', ...args])))]
    for (const run of i % 2 === 0 ? pair : [...pair].reverse()) run()
  }
  // The passes each form takes at the default memory limit, as attributeWithDriver decides them.
  const db = orThrow(await openDuckDb())
  const query: AttributionQuery = {
    source: { _tag: 'query', sql: `SELECT * FROM read_csv(${duckdb.string(shuffled)})` },
    input: { _tag: 'events', user: 'user_id', time: 'timestamp', channel: 'channel', conversion: 'conversion', timeType: { _tag: 'timestamp' } },
    models: ['participation', 'shapley'],
    order: 1,
    position: { first: 0.4, middle: 0.2, last: 0.4 },
    halfLifeMs: 7 * 86_400_000,
    direct: [],
  }
  const masked = orThrow(await duckDbPasses(db, query, !eventsByTouch(duckdb, query)))
  const listed = orThrow(await duckDbPasses(db, query, true))
  await db.close()
  const cells = (out: string) => out.trim().split('\n').sort().map((line) => line.split(','))
  const near = (a: string, b: string) => a === b || Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(b)))
  const same = old.length === 0 ? 'no BEFORE_CLI' : String(((a, b) => a.length === b.length && a.every((r, i) => r.length === b[i]!.length && r.every((c, k) => near(c, b[i]![k]!))))(cells(after[0]!.stdout), cells(old[0]!.stdout)))
  console.log(`\n${SET_EVENTS.toLocaleString('en-US')} events in random order, ${models}, 30-day lookback, --engine duckdb (default memory limit); ${after.length} alternating pairs; equal tables (1e-9 relative): ${same}`)
  row(['case', 'passes', 'median s', 'peak RSS MB', 'x before'])
  row(['---', '--:', '--:', '--:', '--:'])
  if (old.length > 0) row(['before: per-journey lists (BEFORE_CLI)', String(listed), median(old.map((r) => r.seconds)).toFixed(2), median(old.map((r) => r.rssMb)).toFixed(0), '1.00'])
  row(['channel sets as bitmasks, one row per touch (this tree)', String(masked), median(after.map((r) => r.seconds)).toFixed(2), median(after.map((r) => r.rssMb)).toFixed(0), old.length === 0 ? '' : median(after.map((r, i) => r.seconds / old[i]!.seconds)).toFixed(2)])
  for (const [i, r] of after.entries()) console.log(`pair ${i + 1}: bitmasks ${r.seconds.toFixed(2)} s ${r.rssMb.toFixed(0)} MB${old[i] === undefined ? '' : `, lists ${old[i]!.seconds.toFixed(2)} s ${old[i]!.rssMb.toFixed(0)} MB`}`)
}
