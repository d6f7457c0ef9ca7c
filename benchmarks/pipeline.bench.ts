/**
 * The reading pipeline beside DuckDB (issue 11): the same files, the same run, `touchpoint attribute` (built as
 * the package builds it) against `@duckdb/node-api` running SQL that computes the same partial sums (rule-based
 * credits, time decay, Markov order-1 transition counts; the exact Markov solve that follows is milliseconds).
 * Each side runs in its own process under /usr/bin/time for wall time and peak RSS, runs interleaved, medians
 * printed with their ratio; before timing, the two sides' credits are compared channel by channel, so the SQL is
 * known to be equivalent.
 *
 *   npx tsx benchmarks/pipeline.bench.ts                    # all three cases
 *   PATHS=200000 EVENTS=1000000 RUNS=3 npx tsx benchmarks/pipeline.bench.ts paths events longline
 *   BENCH_DIR=/tmp/mine BEFORE=/path/to/old/cli.mjs npx tsx benchmarks/pipeline.bench.ts longline   # also an older build
 *
 * - paths: 1e6 distinct aggregated paths, every rule-based model + participation + Markov order 1;
 * - events: 1e7 events in time order (3M+ users over 90 days, `timed` in scripts/generate-paths.ts), 30-day
 *   lookback, rule-based + time decay + Markov order 1, default options;
 * - longline: a path CSV and a JSON-lines file whose one record is 100 MB (about 10 million touches; target < 2 s),
 *   beside a floor in its own process: read the file, decode it, find every ">" in the line's path with
 *   `indexOf` (for JSON lines, `JSON.parse` the record first). Printed per 100 MB of line: wall and CPU seconds, CPU
 *   as a multiple of the floor's, peak RSS and RSS as a multiple of the line's size. The line's path never
 *   becomes text in touchpoint: the WebAssembly scanner tokenizes its bytes (src/files/pathLane.ts for CSV;
 *   src/files/jsonLane.ts for JSON lines, which decodes and parses only the rest of the record), so it can cost
 *   less than the floor, which decodes the whole file; on these machines fresh memory is dear (touching 100 MB of new
 *   pages costs about 0.5 s of CPU), and both touch some 100-200 MB of it.
 *
 * Data are generated (seeded) into the system's temp directory and kept there between runs; nothing is committed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Optional peers stay outside the bundle, as tsup leaves them (DuckDB's native bindings cannot be bundled). */
const EXTERNAL = ['--external:@duckdb/*', '--external:pg', '--external:@openfeature/*']

const here = fileURLToPath(import.meta.url)
const repo = join(here, '../..')
// BENCH_DIR: another directory (helpers sharing a machine each keep their own bundle there; data can be linked in).
const workDir = process.env['BENCH_DIR'] ?? join(tmpdir(), 'touchpoint-pipeline-bench')
const DAY_MS = 86_400_000
const LOOKBACK_DAYS = 30

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const generate = (mode: 'paths' | 'timed', rows: number, file: string, extra: ReadonlyArray<string> = []) => {
  if (existsSync(file)) return
  process.stdout.write(`generating ${rows.toLocaleString('en-US')} ${mode} -> ${file}\n`)
  const g = spawnSync('npx', ['tsx', join(repo, 'scripts/generate-paths.ts'), mode, '--rows', String(rows), '--seed', 'bench', '--out', file, ...extra], { stdio: 'inherit' })
  if (g.status !== 0) throw new Error('generation failed')
}

/** The CLI and its worker, bundled as tsup bundles them (ES modules, fp-ts and io-ts inlined). */
const buildCli = (): string => {
  const cli = join(workDir, 'cli.mjs')
  for (const [from, to] of [['src/cli/main.ts', cli], ['src/files/shardWorker.ts', join(workDir, 'pipeline-worker.js')]] as const) {
    const b = spawnSync('npx', ['esbuild', join(repo, from), '--bundle', '--platform=node', '--format=esm', '--main-fields=module,main', `--outfile=${to}`, '--log-level=error', ...EXTERNAL], { stdio: 'inherit' })
    if (b.status !== 0) throw new Error('esbuild failed')
  }
  return cli
}

interface Timed {
  readonly seconds: number
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  readonly cpu: number
  readonly rssMb: number
  readonly stdout: string
}

/** A process under /usr/bin/time: wall seconds, CPU seconds and peak RSS. */
const timed = (args: ReadonlyArray<string>, input?: string): Timed => {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, cwd: repo, ...(input === undefined ? {} : { input }) })
  if (r.status !== 0) throw new Error(`${args.slice(0, 4).join(' ')} failed: ${r.stderr.slice(-2000)}`)
  const [seconds, user, sys, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number)
  return { seconds: seconds!, cpu: user! + sys!, rssMb: kb! / 1024, stdout: r.stdout }
}

/**
 * The long line's floor: the bare minimum any reader does with it, in a process of its own. Reads the file,
 * decodes it, takes the record's path (for JSON lines through `JSON.parse`) and finds every separator in it with
 * `indexOf`, keeping nothing per touch. (It cut the path with `split` until issue 11's last session: a string per
 * touch, 10 million of them, which made the floor cost more than touchpoint's whole run.)
 */
const FLOOR_CHILD = `
const { readFileSync } = require('node:fs')
const [file, json] = [process.argv[1], process.argv[2] === 'json']
const text = readFileSync(file, 'utf8')
const nl = text.indexOf('\\n')
const line = json ? text.slice(0, nl) : text.slice(nl + 1, text.indexOf('\\n', nl + 1))
const path = json ? JSON.parse(line).path : line.slice(0, line.indexOf(','))
let touches = 1
for (let at = path.indexOf('>'); at >= 0; at = path.indexOf('>', at + 1)) touches++
process.stdout.write(String(touches))
`
const floor = (file: string): Timed => timed([process.execPath, '-e', FLOOR_CHILD, file, file.endsWith('.jsonl') ? 'json' : 'csv'])

// The DuckDB side: a Node process that runs the SQL and prints the credit rows as JSON.
const DUCKDB_CHILD = `
import { DuckDBInstance } from '@duckdb/node-api'
const [sql, query] = JSON.parse(process.argv[1])
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
await c.run(sql)
const rows = (await c.runAndReadAll(query)).getRowObjectsJS()
process.stdout.write(JSON.stringify(rows, (k, v) => (typeof v === 'bigint' ? Number(v) : v)))
`
const duckdb = (sql: string, query: string): Timed => timed([process.execPath, '--input-type=module', '-e', DUCKDB_CHILD, JSON.stringify([sql, query])])

const q = (s: string) => `'${s.replace(/'/g, "''")}'`

/**
 * Rule-based credits and Markov order-1 transitions over a table `t(j, i, n, ch, c, v, u, td)` of kept touches
 * (journey j, position i of n, conversions c, value v, nulls u, time-decay weight td), as touchpoint's
 * accumulator defines them (docs/attribution.md): positional 40/20/40 with Adobe's two-touch rule, last non-direct
 * skipping "direct" in any case, participation per distinct channel, Markov transitions between consecutive
 * distinct channels weighted by conversions + nulls.
 */
const CREDITS = (timeDecay: boolean) => `
CREATE TEMP TABLE lnd AS SELECT j, coalesce(max(i) FILTER (WHERE lower(ch) <> 'direct'), max(n)) AS k FROM t GROUP BY j;
CREATE TEMP TABLE credits AS
SELECT t.ch AS channel,
  sum(CASE WHEN i = 1 THEN c ELSE 0 END) AS first_conversions, sum(CASE WHEN i = 1 THEN v ELSE 0 END) AS first_value,
  sum(CASE WHEN i = n THEN c ELSE 0 END) AS last_conversions, sum(CASE WHEN i = n THEN v ELSE 0 END) AS last_value,
  sum(CASE WHEN i = lnd.k THEN c ELSE 0 END) AS last_non_direct_conversions, sum(CASE WHEN i = lnd.k THEN v ELSE 0 END) AS last_non_direct_value,
  sum(c / n) AS linear_conversions, sum(v / n) AS linear_value,
  sum((CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN 0.5 WHEN i = 1 OR i = n THEN 0.4 ELSE 0.2 / (n - 2) END) * c) AS position_conversions,
  sum((CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN 0.5 WHEN i = 1 OR i = n THEN 0.4 ELSE 0.2 / (n - 2) END) * v) AS position_value
  ${timeDecay ? ', sum(td * c) AS time_decay_conversions, sum(td * v) AS time_decay_value' : ''}
FROM t JOIN lnd USING (j) GROUP BY t.ch;
CREATE TEMP TABLE participation AS SELECT ch AS channel, sum(c) AS participation_conversions, sum(v) AS participation_value FROM (SELECT DISTINCT j, ch, c, v FROM t) GROUP BY ch;
CREATE TEMP TABLE collapsed AS SELECT j, i, ch, c, u FROM (SELECT *, lag(ch) OVER (PARTITION BY j ORDER BY i) AS prev FROM t) WHERE prev IS NULL OR prev <> ch;
CREATE TEMP TABLE transitions AS
SELECT from_state, to_state, sum(w) AS weight FROM (
  SELECT '(start)' AS from_state, ch AS to_state, c + u AS w FROM collapsed WHERE i = 1
  UNION ALL SELECT ch, coalesce(nxt, '(conversion)'), CASE WHEN nxt IS NULL THEN c ELSE c + u END FROM (SELECT *, lead(ch) OVER (PARTITION BY j ORDER BY i) AS nxt FROM collapsed)
  UNION ALL SELECT ch, '(null)', u FROM (SELECT *, lead(ch) OVER (PARTITION BY j ORDER BY i) AS nxt FROM collapsed) WHERE nxt IS NULL
) GROUP BY ALL;
`
const RESULT = `SELECT credits.*, participation_conversions, participation_value, (SELECT count(*) FROM transitions) AS transitions
FROM credits JOIN participation USING (channel) ORDER BY channel`

/** Aggregated paths (ChannelAttribution's columns). */
const pathsSql = (file: string) => `
CREATE TEMP TABLE p AS SELECT row_number() OVER () AS j, string_split(path, '>') AS parts, total_conversions AS c, coalesce(total_conversion_value, 0) AS v, coalesce(total_null, 0) AS u
  FROM read_csv(${q(file)}, header = true, columns = {'path': 'VARCHAR', 'total_conversions': 'DOUBLE', 'total_conversion_value': 'DOUBLE', 'total_null': 'DOUBLE'});
CREATE TEMP TABLE t AS SELECT j, generate_subscripts(parts, 1) AS i, len(parts) AS n, trim(unnest(parts)) AS ch, c, v, u, 0.0 AS td FROM p;
${CREDITS(false)}`

/**
 * Events (user_id, timestamp, channel, conversion, conversion_value) built into journeys by touchpoint's rules:
 * per user in time order (ties in file order), a conversion closes the journey, a journey also ends when its user
 * is inactive for more than the lookback after its last touch; a converting journey keeps the touches within the
 * lookback of the conversion, a non-converting one those within the lookback of its last touch; a conversion
 * with no touch kept is credited to (unattributed).
 */
const eventsSql = (file: string, lookbackMs: number, halfLifeMs: number) => `
CREATE TEMP TABLE e AS SELECT row_number() OVER () AS rn, user_id AS uid, epoch_ms(timestamp) AS t, nullif(trim(channel), '') AS ch, conversion = 1 AS conv, coalesce(conversion_value, 0) AS val
  FROM read_csv(${q(file)}, header = true, columns = {'user_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'channel': 'VARCHAR', 'conversion': 'INTEGER', 'conversion_value': 'DOUBLE'});
CREATE TEMP TABLE s AS
WITH s1 AS (SELECT *, coalesce(sum(conv::INT) OVER (PARTITION BY uid ORDER BY t, rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS seg FROM e WHERE ch IS NOT NULL OR conv),
s2 AS (SELECT *, last_value(CASE WHEN ch IS NOT NULL THEN t END IGNORE NULLS) OVER (PARTITION BY uid, seg ORDER BY t, rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_touch FROM s1)
SELECT *, sum(CASE WHEN prev_touch IS NOT NULL AND t - prev_touch > ${lookbackMs} THEN 1 ELSE 0 END) OVER (PARTITION BY uid, seg ORDER BY t, rn ROWS UNBOUNDED PRECEDING) AS sub FROM s2;
CREATE TEMP TABLE jr AS SELECT uid, seg, sub, max(CASE WHEN conv THEN t END) AS ct, max(CASE WHEN conv THEN val END) AS cv, max(CASE WHEN ch IS NOT NULL THEN t END) AS last_t,
  dense_rank() OVER (ORDER BY uid, seg, sub) AS j FROM s GROUP BY uid, seg, sub;
CREATE TEMP TABLE kept AS SELECT jr.j, s.ch, s.t, s.rn, CASE WHEN jr.ct IS NULL THEN 0.0 ELSE 1.0 END AS c, coalesce(jr.cv, 0) AS v, CASE WHEN jr.ct IS NULL THEN 1.0 ELSE 0.0 END AS u
  FROM s JOIN jr USING (uid, seg, sub) WHERE s.ch IS NOT NULL AND coalesce(jr.ct, jr.last_t) - s.t <= ${lookbackMs};
CREATE TEMP TABLE t AS
WITH w AS (SELECT *, pow(2, -((max(t) OVER (PARTITION BY j)) - t) / ${halfLifeMs}) AS raw FROM kept)
SELECT j, row_number() OVER (PARTITION BY j ORDER BY t, rn) AS i, count(*) OVER (PARTITION BY j) AS n, ch, c, v, u, raw / sum(raw) OVER (PARTITION BY j) AS td
FROM w
UNION ALL SELECT j, 1, 1, '(unattributed)', 1.0, coalesce(cv, 0), 0.0, 1.0 FROM jr WHERE ct IS NOT NULL AND j NOT IN (SELECT j FROM kept);
${CREDITS(true)}`

/** touchpoint's output rows, by channel. */
const touchpointRows = (csv: string): Map<string, Record<string, number>> => {
  const [head, ...lines] = csv.trim().split('\n')
  const cols = head!.split(',')
  return new Map(
    lines.map((l) => {
      const cells = l.split(',')
      return [cells[0]!, Object.fromEntries(cols.slice(1).map((c, k) => [c, Number(cells[k + 1])]))]
    }),
  )
}

/** The two sides' credits agree channel by channel (touchpoint prints 12 significant digits). */
const compare = (ours: string, theirs: string, models: ReadonlyArray<string>): string => {
  const a = touchpointRows(ours)
  const b = JSON.parse(theirs) as Array<Record<string, number | string>>
  let worst = 0
  for (const row of b) {
    const mine = a.get(String(row['channel']))
    if (mine === undefined) throw new Error(`DuckDB has a channel touchpoint has not: ${String(row['channel'])}`)
    for (const m of models) {
      for (const k of [`${m}_conversions`, `${m}_value`]) {
        const x = mine[k]!
        const y = Number(row[k])
        const rel = Math.abs(x - y) / Math.max(1, Math.abs(y))
        if (rel > worst) worst = rel
        if (rel > 1e-9) throw new Error(`${String(row['channel'])} ${k}: touchpoint ${x}, DuckDB ${y}`)
      }
    }
  }
  if (a.size !== b.length) throw new Error(`touchpoint lists ${a.size} channels, DuckDB ${b.length}`)
  return worst.toExponential(1)
}

interface Case {
  readonly name: string
  readonly touchpoint: () => Timed
  readonly duckdb?: () => Timed
  /** The long line's floor and, with BEFORE, an older build on the same file. */
  readonly floor?: () => Timed
  readonly before?: () => Timed
  readonly lineMb?: number
  readonly models: ReadonlyArray<string>
  readonly target: string
}

const main = async () => {
  mkdirSync(workDir, { recursive: true })
  const wanted = process.argv.slice(2)
  const runs = Number(process.env['RUNS'] ?? 3)
  const pathsN = Number(process.env['PATHS'] ?? 1_000_000)
  const eventsN = Number(process.env['EVENTS'] ?? 10_000_000)
  const cli = buildCli()
  const cases: Array<Case> = []
  const rulesPaths = ['first', 'last', 'last_non_direct', 'linear', 'position', 'participation']
  if (wanted.length === 0 || wanted.includes('paths')) {
    const file = join(workDir, `paths-${pathsN}.csv`)
    generate('paths', pathsN, file)
    const models = [...rulesPaths, 'markov']
    cases.push({
      name: `${pathsN.toLocaleString('en-US')} aggregated paths (${(statSync(file).size / 1e6).toFixed(0)} MB), rule-based + Markov 1`,
      touchpoint: () => timed([process.execPath, cli, 'attribute', file, '--models', models.join(','), '-q']),
      duckdb: () => duckdb(pathsSql(file), RESULT),
      models: rulesPaths,
      target: '<= 0.6x DuckDB, < 100 MB',
    })
  }
  if (wanted.length === 0 || wanted.includes('events')) {
    const file = join(workDir, `timed-${eventsN}.csv`)
    generate('timed', eventsN, file, ['--days', '90'])
    const models = [...rulesPaths, 'time_decay', 'markov']
    cases.push({
      name: `${eventsN.toLocaleString('en-US')} events in time order (${(statSync(file).size / 1e6).toFixed(0)} MB), ${LOOKBACK_DAYS}-day lookback, rule-based + time decay + Markov 1`,
      touchpoint: () => timed([process.execPath, cli, 'attribute', file, '--lookback', `${LOOKBACK_DAYS}d`, '--models', models.join(','), '-q']),
      duckdb: () => duckdb(eventsSql(file, LOOKBACK_DAYS * DAY_MS, 7 * DAY_MS), RESULT),
      models: [...rulesPaths, 'time_decay'],
      target: '<= 0.7x DuckDB, < 300 MB',
    })
  }
  if (wanted.length === 0 || wanted.includes('longline')) {
    const csv = join(workDir, 'longline-100MB.csv')
    const jsonl = join(workDir, 'longline-100MB.jsonl')
    if (!existsSync(csv) || !existsSync(jsonl)) {
      const names = ['search_paid', 'email', 'display', 'direct', 'video', 'referral']
      const parts: Array<string> = []
      let size = 0
      for (let k = 0; size < 100_000_000; k++) {
        const n = names[(k * 7 + (k >> 3)) % names.length]!
        parts.push(n)
        size += n.length + 3
      }
      const path = parts.join(' > ')
      writeFileSync(csv, `path,total_conversions,total_conversion_value,total_null\n${path},3,120.5,2\n`)
      writeFileSync(jsonl, `${JSON.stringify({ path, total_conversions: 3, total_conversion_value: 120.5, total_null: 2 })}\n`)
    }
    const before = process.env['BEFORE']
    const args = (f: string) => ['attribute', f, '--models', [...rulesPaths, 'markov'].join(','), '-q']
    for (const f of [csv, jsonl]) {
      cases.push({
        name: `one ${(statSync(f).size / 1e6).toFixed(0)} MB line (${f.endsWith('csv') ? 'CSV' : 'JSON lines'}), rule-based + Markov 1`,
        touchpoint: () => timed([process.execPath, cli, ...args(f)]),
        floor: () => floor(f),
        ...(before === undefined ? {} : { before: () => timed([process.execPath, before, ...args(f)]) }),
        lineMb: statSync(f).size / 1e6,
        models: rulesPaths,
        target: '< 2 s',
      })
    }
  }

  // The SQL is checked against touchpoint before anything else runs; that pair counts as the first timed run (a
  // DuckDB run on 1e7 events takes minutes on a loaded machine).
  const results = cases.map(() => ({ tp: [] as Array<Timed>, db: [] as Array<Timed>, floor: [] as Array<Timed>, before: [] as Array<Timed> }))
  const extras = (c: Case, k: number) => {
    if (c.floor !== undefined) results[k]!.floor.push(c.floor())
    if (c.before !== undefined) results[k]!.before.push(c.before())
  }
  cases.forEach((c, k) => {
    const tp = c.touchpoint()
    results[k]!.tp.push(tp)
    extras(c, k)
    process.stdout.write(`${c.name}: touchpoint ${tp.seconds.toFixed(2)} s, ${tp.rssMb.toFixed(0)} MB\n`)
    if (c.duckdb === undefined) return
    const db = c.duckdb()
    results[k]!.db.push(db)
    const worst = compare(tp.stdout, db.stdout, c.models)
    process.stdout.write(`${c.name}: DuckDB ${db.seconds.toFixed(2)} s, ${db.rssMb.toFixed(0)} MB; its credits equal touchpoint's (worst relative difference ${worst})\n`)
  })
  for (let r = 1; r < runs; r++) {
    cases.forEach((c, k) => {
      results[k]!.tp.push(c.touchpoint())
      extras(c, k)
      if (c.duckdb !== undefined) results[k]!.db.push(c.duckdb())
    })
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  process.stdout.write(`\nmedians of ${Math.max(runs, 1)} interleaved runs, whole processes (start-up included); load average ${load} on ${(await import('node:os')).availableParallelism()} cores\n\n`)
  process.stdout.write('| case | touchpoint | DuckDB | ratio | touchpoint peak RSS | DuckDB peak RSS | target |\n|---|--:|--:|--:|--:|--:|---|\n')
  cases.forEach((c, k) => {
    const tp = results[k]!.tp
    const db = results[k]!.db
    const t = median(tp.map((x) => x.seconds))
    const d = db.length > 0 ? median(db.map((x) => x.seconds)) : Number.NaN
    // The median of the per-run ratios: each pair ran back to back, under the same load.
    const ratio = db.length > 0 ? median(tp.map((x, i) => x.seconds / db[i]!.seconds)) : Number.NaN
    const rss = (xs: ReadonlyArray<Timed>) => (xs.length > 0 ? `${median(xs.map((x) => x.rssMb)).toFixed(0)} MB` : '')
    process.stdout.write(`| ${c.name} | ${t.toFixed(2)} s | ${Number.isNaN(d) ? '' : `${d.toFixed(2)} s`} | ${Number.isNaN(ratio) ? '' : `${ratio.toFixed(2)}x`} | ${rss(tp)} | ${rss(db)} | ${c.target} |\n`)
  })
  // The long line per 100 MB of line, beside its floor: CPU time is the steadier measure on a shared machine, and
  // each ratio is the median of per-run ratios (each pair ran back to back).
  const long = cases.map((c, k) => ({ c, r: results[k]! })).filter(({ c }) => c.floor !== undefined)
  if (long.length > 0) {
    process.stdout.write('\n| long line, per 100 MB of line | wall | CPU | CPU x floor | peak RSS | RSS x line | floor CPU | floor RSS |\n|---|--:|--:|--:|--:|--:|--:|--:|\n')
    for (const { c, r } of long) {
      const per = 100 / c.lineMb!
      const row = (name: string, xs: ReadonlyArray<Timed>) => {
        const ratio = median(xs.map((x, i) => x.cpu / r.floor[i]!.cpu))
        const rssMb = median(xs.map((x) => x.rssMb))
        process.stdout.write(`| ${name} | ${(median(xs.map((x) => x.seconds)) * per).toFixed(2)} s | ${(median(xs.map((x) => x.cpu)) * per).toFixed(2)} s | ${ratio.toFixed(2)}x | ${(rssMb * per).toFixed(0)} MB | ${(rssMb / c.lineMb!).toFixed(1)}x | ${(median(r.floor.map((x) => x.cpu)) * per).toFixed(2)} s | ${(median(r.floor.map((x) => x.rssMb)) * per).toFixed(0)} MB |\n`)
      }
      row(c.name, r.tp)
      if (r.before.length > 0) row(`${c.name}, BEFORE build`, r.before)
    }
    // This build against BEFORE, run by run (each pair ran back to back, under the same load).
    for (const { c, r } of long) {
      if (r.before.length === 0) continue
      const ratio = (f: (x: Timed) => number) => median(r.tp.map((x, i) => f(x) / f(r.before[i]!))).toFixed(2)
      process.stdout.write(`\n${c.name}: this build / BEFORE, median of ${r.tp.length} paired runs: CPU ${ratio((x) => x.cpu)}x, wall ${ratio((x) => x.seconds)}x, peak RSS ${ratio((x) => x.rssMb)}x`)
    }
    process.stdout.write('\n')
  }
}

void main()
