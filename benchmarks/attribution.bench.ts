/**
 * Attribution benchmarks: speed and memory on generated data (scripts/generate-paths.ts, seeded).
 *
 *   npx tsx benchmarks/attribution.bench.ts                  # 1e6 distinct paths, 1e7 events
 *   PATHS=200000 EVENTS=1000000 npx tsx benchmarks/attribution.bench.ts
 *
 * Each measurement runs in its own Node process (so peak RSS is its own), from an esbuild bundle of this file
 * that, like the tsup build, takes fp-ts and io-ts as ES modules:
 * - baseline: read the path file and split it into lines and fields, nothing else (the floor for any reader);
 * - paths: touchpoint's reading pipeline, every rule-based model and Markov order 1 (exact), in one thread with
 *   the WebAssembly lane (the default) and with every line through the pipeline's general route (what runs where
 *   WebAssembly is unavailable), and the CLI with one and two threads;
 * - events: 10 million events streamed through the journey builder (grouped by user) with a 30-day lookback,
 *   rule-based models including time decay, and Markov, beside the same floor on the event file; RSS sampled
 *   along the way to show it stays flat;
 * (benchmarks/pipeline.bench.ts sets touchpoint beside DuckDB.)
 * - tinybench: the exact Markov solve and Shapley on the reduced partial, in process.
 * ChannelAttribution 2.2.4 (R/C++) is not installed here; the issue quotes about 8 s and 670 MB for 1e6 paths
 * with its default simulation.
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { Bench } from 'tinybench'
import { accumulator } from '../src/attribution/accumulate'
import { attribute } from '../src/attribution/attribute'
import { makeSettings } from '../src/attribution/decode'
import type { AttributionPartial, ModelName } from '../src/attribution/model'
import { markovRemovalEffects } from '../src/attribution/markov'
import { shapleyRate, shapleySimplified } from '../src/attribution/shapley'
import { readSettings, type ReadSettings } from '../src/attribution/read/settings'
import { readSources } from '../src/files/read'

const RULES_AND_MARKOV: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'participation', 'markov']

const settings = E.getOrElseW(() => {
  throw new Error('settings')
})(makeSettings({}))
const spec = (kind: 'paths' | 'events'): ReadSettings =>
  E.getOrElseW(() => {
    throw new Error('read settings')
  })(readSettings({ kind, grouped: true, ...(kind === 'events' ? { lookbackMs: 30 * 86_400_000 } : {}) }))

interface ChildResult {
  readonly ms: number
  readonly rows: number
  readonly maxRssMb: number
  readonly samples?: ReadonlyArray<{ readonly rows: number; readonly rssMb: number }>
}

/** The measured work, in a child process. */
const child = async (mode: string, file: string): Promise<ChildResult> => {
  const t0 = performance.now()
  if (mode === 'baseline') {
    let rows = 0
    let fields = 0
    let rest = ''
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      const text = rest + (chunk as string)
      let from = 0
      for (;;) {
        const nl = text.indexOf('\n', from)
        if (nl < 0) break
        fields += text.slice(from, nl).split(',').length
        rows++
        from = nl + 1
      }
      rest = text.slice(from)
    }
    if (fields < rows) throw new Error('unreachable')
    return { ms: performance.now() - t0, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }
  }
  const kind = mode.startsWith('events') ? 'events' : 'paths'
  const lanes = mode !== 'paths-general'
  const samples: Array<{ rows: number; rssMb: number }> = []
  let next = 0
  const acc = accumulator(settings)
  const r = await readSources(spec(kind), [{ path: file }], acc, {
    lanes,
    onProgress: (rows) => {
      if (rows >= next) {
        samples.push({ rows, rssMb: process.memoryUsage().rss / 1e6 })
        next = rows + (kind === 'events' ? 1_000_000 : 250_000)
      }
    },
  })
  const models: ReadonlyArray<ModelName> = kind === 'events' ? [...RULES_AND_MARKOV, 'time_decay'] : RULES_AND_MARKOV
  const a = attribute({ models })(acc.snapshot())
  if (E.isLeft(a) || r.failed) throw new Error(`failed: ${JSON.stringify(E.isLeft(a) ? a.left : r.bad)}`)
  return { ms: performance.now() - t0, rows: r.rows, maxRssMb: process.resourceUsage().maxRSS / 1024, samples }
}

const here = fileURLToPath(import.meta.url)
const workDir = join(tmpdir(), 'touchpoint-attribution-bench')

const ensure = (kind: 'paths' | 'events', rows: number): string => {
  mkdirSync(workDir, { recursive: true })
  const file = join(workDir, `${kind}-${rows}-bench.csv`)
  if (!existsSync(file)) {
    process.stdout.write(`generating ${rows.toLocaleString('en-US')} ${kind} -> ${file}\n`)
    const g = spawnSync('npx', ['tsx', join(here, '../../scripts/generate-paths.ts'), kind, '--rows', String(rows), '--seed', 'bench', '--out', file], { stdio: 'inherit' })
    if (g.status !== 0) throw new Error('generation failed')
  }
  return file
}

const bundle = (): string => {
  const out = join(workDir, 'attribution-bench.mjs')
  const r = spawnSync('npx', ['esbuild', here, '--bundle', '--platform=node', '--format=esm', '--main-fields=module,main', `--outfile=${out}`, '--log-level=error'], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('esbuild failed')
  return out
}

const runChild = (script: string, mode: string, file: string): ChildResult => {
  const r = spawnSync(process.execPath, [script, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 })
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult
}

const runCli = (mode: string, file: string, workers: number): { ms: number; maxRssMb: number } => {
  // The CLI as a user runs it (built by esbuild like tsup does), with --workers.
  const cli = join(workDir, 'cli.mjs')
  // Rebuilt on every run (esbuild takes well under a second): a bundle kept from an earlier run would time old code.
  {
    // The worker beside the CLI, as tsup's `pipeline-worker` entry puts it in dist/.
    for (const [from, to] of [['cli/main.ts', cli], ['files/shardWorker.ts', join(workDir, 'pipeline-worker.js')]] as const) {
      const b = spawnSync('npx', ['esbuild', join(here, '../../src', from), '--bundle', '--platform=node', '--format=esm', '--main-fields=module,main', `--outfile=${to}`, '--log-level=error'], { stdio: 'inherit' })
      if (b.status !== 0) throw new Error('esbuild cli failed')
    }
  }
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'attribute', file, '--models', RULES_AND_MARKOV.join(','), '--workers', String(workers), '-q', '-o', join(workDir, `${mode}-out.csv`)], { encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`cli failed: ${r.stderr}`)
  return { ms, maxRssMb: Number(r.stderr.trim().split('\n').pop()) / 1024 }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

const main = async () => {
  const pathsN = Number(process.env['PATHS'] ?? 1_000_000)
  const eventsN = Number(process.env['EVENTS'] ?? 10_000_000)
  const runs = Number(process.env['RUNS'] ?? 3)
  const pathsFile = ensure('paths', pathsN)
  const script = bundle()
  const size = statSync(pathsFile).size / 1e6

  process.stdout.write(`\n## ${fmt(pathsN)} distinct aggregated paths (${size.toFixed(0)} MB), median of ${runs} runs, each in its own process\n\n`)
  const modes = ['baseline', 'paths', 'paths-general'] as const
  const results = new Map<string, Array<ChildResult>>(modes.map((m) => [m, []]))
  for (let i = 0; i < runs; i++) {
    // Interleaved, so machine load hits every mode alike.
    for (const m of modes) results.get(m)!.push(runChild(script, m, pathsFile))
  }
  const ms = (m: string) => median(results.get(m)!.map((r) => r.ms))
  const rss = (m: string) => median(results.get(m)!.map((r) => r.maxRssMb))
  const b = ms('baseline')
  const o = ms('paths')
  const labels: Record<(typeof modes)[number], string> = {
    baseline: 'read + split lines and fields (floor)',
    paths: 'touchpoint, 1 thread: WebAssembly lane (default), the general route for other lines; rule-based + Markov order 1',
    'paths-general': 'the same with every line through the general route (where WebAssembly is unavailable)',
  }
  process.stdout.write(`| run | median | x floor | rows/s | peak RSS |\n|---|--:|--:|--:|--:|\n`)
  for (const m of modes) process.stdout.write(`| ${labels[m]} | ${fmt(ms(m))} ms | ${(ms(m) / b).toFixed(2)} | ${fmt(pathsN / (ms(m) / 1000))} | ${rss(m).toFixed(0)} MB |\n`)
  const cli1 = runCli('paths', pathsFile, 1)
  const cli2 = runCli('paths', pathsFile, 2)
  process.stdout.write(`| touchpoint attribute CLI, --workers 1 (process total) | ${fmt(cli1.ms)} ms | ${(cli1.ms / b).toFixed(2)} | ${fmt(pathsN / (cli1.ms / 1000))} | ${cli1.maxRssMb.toFixed(0)} MB |\n`)
  process.stdout.write(`| touchpoint attribute CLI, --workers 2 (process total) | ${fmt(cli2.ms)} ms | ${(cli2.ms / b).toFixed(2)} | ${fmt(pathsN / (cli2.ms / 1000))} | ${cli2.maxRssMb.toFixed(0)} MB |\n`)
  process.stdout.write(`\nratio touchpoint / floor: ${(o / b).toFixed(2)}x; ChannelAttribution 2.2.4 (quoted): ~8000 ms, ~670 MB\n`)

  // In-process: the model step alone on the reduced partial.
  const acc = accumulator(settings)
  await readSources(spec('paths'), [{ path: pathsFile }], acc)
  const partial: AttributionPartial = acc.snapshot()
  const bench = new Bench({ time: 500, iterations: 5 })
  bench
    .add('markov order 1: exact removal effects', () => void markovRemovalEffects(partial))
    .add('shapley simplified', () => void shapleySimplified(partial))
    .add('shapley conversion-rate (exact <= 15)', () => void shapleyRate()(partial))
  await bench.run()
  process.stdout.write(`\n| model step on the reduced partial (${partial.markov.states.length} states, ${partial.sets.length} channel sets) | median |\n|---|--:|\n`)
  for (const t of bench.tasks) {
    const r = t.result as { latency?: { p50?: number } } | undefined
    process.stdout.write(`| ${t.name} | ${(r?.latency?.p50 ?? Number.NaN).toFixed(2)} ms |\n`)
  }

  if (eventsN > 0) {
    const eventsFile = ensure('events', eventsN)
    const eventModes = ['baseline', 'events'] as const
    const ev = new Map<string, Array<ChildResult>>(eventModes.map((m) => [m, []]))
    for (let i = 0; i < runs; i++) for (const m of eventModes) ev.get(m)!.push(runChild(script, m, eventsFile))
    const medianRun = (rs: ReadonlyArray<ChildResult>) => [...rs].sort((a, b) => a.ms - b.ms)[Math.floor(rs.length / 2)]!
    const [floor, lane] = eventModes.map((m) => medianRun(ev.get(m)!))
    process.stdout.write(`\n## ${fmt(eventsN)} event-level touches (${(statSync(eventsFile).size / 1e6).toFixed(0)} MB), grouped by user, 30-day lookback, median of ${runs} runs\n\n`)
    process.stdout.write('| run | median | x floor | rows/s | peak RSS |\n|---|--:|--:|--:|--:|\n')
    const row = (name: string, r: ChildResult) => process.stdout.write(`| ${name} | ${fmt(r.ms)} ms | ${(r.ms / floor!.ms).toFixed(2)} | ${fmt(r.rows / (r.ms / 1000))} | ${r.maxRssMb.toFixed(0)} MB |\n`)
    row('read + split lines and fields (floor)', floor!)
    row('touchpoint: rule-based, time decay, Markov order 1', lane!)
    process.stdout.write('\nRSS along the way, default lane (rows read -> MB):\n')
    for (const s of lane!.samples ?? []) process.stdout.write(`  ${fmt(s.rows).padStart(12)} -> ${s.rssMb.toFixed(0)} MB\n`)
  }
}

const args = process.argv.slice(2)
if (args[0] === '--child') {
  child(args[1]!, args[2]!).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e))
      process.exitCode = 1
    },
  )
} else {
  void main()
}
