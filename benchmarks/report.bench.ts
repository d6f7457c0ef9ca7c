/**
 * The report against attribution on the same file: `touchpoint report` with 0, 50 and 200 bootstrap replicates
 * beside `touchpoint attribute` (its floor: the report reads and reduces at least what attribution does), on
 * generated aggregated paths (scripts/generate-paths.ts, seeded), 1e5 and 1e6 of them.
 *
 *   npx tsx benchmarks/report.bench.ts                    # 1e5 and 1e6 paths, 3 runs each
 *   SIZES=100000 RUNS=5 npx tsx benchmarks/report.bench.ts
 *   BEFORE=/path/to/old/dist/cli.js npx tsx benchmarks/report.bench.ts   # also time another build's report
 *
 * Every run is its own process of the CLI (bundled by esbuild as tsup builds it), under /usr/bin/time for wall
 * time, CPU time (user + system) and peak RSS; the commands are interleaved run by run so machine load hits them
 * alike, and medians are printed with their ratio to `attribute`. On a shared machine the CPU-time ratio is the
 * steadier one.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Optional peers stay outside the bundle, as tsup leaves them (DuckDB's native bindings cannot be bundled). */
const EXTERNAL = ['--external:@duckdb/*', '--external:pg', '--external:@openfeature/*']

const MODELS = 'first,last,linear,position,markov,shapley'
const here = fileURLToPath(import.meta.url)
// BENCH_DIR: another directory (helpers sharing a machine each keep their own bundle there).
const workDir = process.env['BENCH_DIR'] ?? join(tmpdir(), 'touchpoint-report-bench')

const ensure = (rows: number): string => {
  mkdirSync(workDir, { recursive: true })
  const file = join(workDir, `paths-${rows}-bench.csv`)
  if (!existsSync(file)) {
    process.stdout.write(`generating ${rows.toLocaleString('en-US')} paths -> ${file}\n`)
    const g = spawnSync('npx', ['tsx', join(here, '../../scripts/generate-paths.ts'), 'paths', '--rows', String(rows), '--seed', 'bench', '--out', file], { stdio: 'inherit' })
    if (g.status !== 0) throw new Error('generation failed')
  }
  return file
}

/** The CLI as users run it, bundled from this checkout (rebuilt every time: an old bundle would time old code). */
const bundleCli = (): string => {
  const cli = join(workDir, 'cli.mjs')
  const b = spawnSync('npx', ['esbuild', join(here, '../../src/cli/main.ts'), '--bundle', '--platform=node', '--format=esm', '--main-fields=module,main', `--outfile=${cli}`, '--log-level=error', ...EXTERNAL], { stdio: 'inherit' })
  if (b.status !== 0) throw new Error('esbuild failed')
  return cli
}

interface Run {
  readonly wallMs: number
  readonly cpuMs: number
  readonly rssMb: number
}

const run = (cli: string, args: ReadonlyArray<string>): Run => {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, ...args, '-q', '-o', join(workDir, 'out.json')], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`)
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number]
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, rssMb: rss / 1024 }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

const main = () => {
  const sizes = (process.env['SIZES'] ?? '100000,1000000').split(',').map(Number)
  const runs = Number(process.env['RUNS'] ?? 3)
  const before = process.env['BEFORE']
  const cli = bundleCli()
  for (const size of sizes) {
    const file = ensure(size)
    const cases: Array<{ readonly name: string; readonly cli: string; readonly args: ReadonlyArray<string> }> = [
      { name: 'attribute (the floor)', cli, args: ['attribute', file, '-m', MODELS, '--workers', '1', '-f', 'json'] },
      ...[0, 50, 200].map((b) => ({ name: `report --bootstrap ${b}`, cli, args: ['report', file, '-m', MODELS, '--bootstrap', String(b), '-f', 'json'] })),
      ...(before === undefined ? [] : [0, 50, 200].map((b) => ({ name: `report --bootstrap ${b}, BEFORE build`, cli: before, args: ['report', file, '-m', MODELS, '--bootstrap', String(b), '-f', 'json'] }))),
    ]
    const results = cases.map(() => [] as Array<Run>)
    for (let i = 0; i < runs; i++) cases.forEach((c, k) => results[k]!.push(run(c.cli, c.args)))
    const wall = (k: number) => median(results[k]!.map((r) => r.wallMs))
    const cpu = (k: number) => median(results[k]!.map((r) => r.cpuMs))
    const rss = (k: number) => median(results[k]!.map((r) => r.rssMb))
    process.stdout.write(`\n## ${fmt(size)} distinct aggregated paths (${(statSync(file).size / 1e6).toFixed(0)} MB), models ${MODELS}, median of ${runs} runs\n\n`)
    process.stdout.write('| command | wall | x attribute | CPU (user + sys) | x attribute | peak RSS |\n|---|--:|--:|--:|--:|--:|\n')
    cases.forEach((c, k) => {
      process.stdout.write(`| ${c.name} | ${fmt(wall(k))} ms | ${(wall(k) / wall(0)).toFixed(2)} | ${fmt(cpu(k))} ms | ${(cpu(k) / cpu(0)).toFixed(2)} | ${rss(k).toFixed(0)} MB |\n`)
    })
  }
}

main()
