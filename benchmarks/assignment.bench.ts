/**
 * One unit assigned to a 2-variant experiment, over 65,536 distinct ids (half UUIDs, 1 in 16 with non-ASCII
 * characters), in one process: touchpoint's hot path (a handle's variantIndex and assign), assignTo and
 * assignExperiment, against GrowthBook (its bare hash + chooseVariation, and its clients' run), Optimizely's
 * bucketing and Unleash (its client's getVariant over an in-memory repository, and its variant selection alone),
 * with a bare FNV-1a loop over the id as the floor (the least work any hash-based assignment does).
 *
 * Time: tinybench medians per call (./_harness.ts). Bytes per call: each case runs again in a child process whose
 * young generation (256 MB) holds every allocation of the loop, so the heap delta over N calls is what the calls
 * allocated, divided by N (no collection runs in between to hide it).
 * Run: npm run bench -- assignment
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { GrowthBook, GrowthBookClient } from '@growthbook/growthbook'
import murmurhash from 'murmurhash'
import { assignExperiment, assignTo, decodeConfig, experimentHandle } from '../src/assignment/index'
import { measure, type Row } from './_harness'
import { chooseVariation, getBucketRanges, hash } from './growthbookUtil.mjs'

const IDS = 65_536
const BATCH = 1024

/** Deterministic ids: a 32-bit LCG, so every run and process times the same ids. */
const ids: ReadonlyArray<string> = (() => {
  let s = 0x9e3779b9
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0)
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(0, width)
  return Array.from({ length: IDS }, (_, i) => {
    const id =
      i % 2 === 0
        ? `${hex(next(), 8)}-${hex(next(), 4)}-4${hex(next(), 3)}-${hex((next() & 0x3fff) | 0x8000, 4)}-${hex(next(), 8)}${hex(next(), 4)}`
        : `visitor-${next()}-${i}`
    return i % 16 === 1 ? `${id}-Zoë-東京` : i % 16 === 9 ? `${id}-😀` : id
  })
})()
const units = ids.map((userId) => ({ userId }))
const gbUnits = ids.map((id) => ({ attributes: { id } }))

const decoded = decodeConfig({
  experiments: [{ key: 'checkout-button', unit: 'userId', variants: [{ key: 'control', weight: 0.5, value: false }, { key: 'green', weight: 0.5, value: true }] }],
})
if (E.isLeft(decoded)) throw new Error('benchmark config does not decode')
const assigner = decoded.right
const experiment = assigner.byKey.get('checkout-button')!
const handle = experimentHandle('checkout-button')(assigner)
if (handle._tag === 'None') throw new Error('no handle')
const { variantIndex, assign } = handle.value

const gbExperiment = { key: 'checkout-button', variations: [false, true] as [boolean, boolean], weights: [0.5, 0.5], hashVersion: 2 }
const gbClient = new GrowthBookClient()
const gb = new GrowthBook({ attributes: {} })
const ranges = getBucketRanges(2, 1, [0.5, 0.5])

// Optimizely's bucketer: murmur3(bucketingId + experimentId, seed 1) scaled to 10,000 buckets, first range whose
// endOfRange exceeds the bucket (core/bucketer in @optimizely/optimizely-sdk 6.6.1).
const trafficAllocation = [
  { entityId: 'control', endOfRange: 5000 },
  { entityId: 'green', endOfRange: 10000 },
]
const optimizelyBucket = (userId: string): string | null => {
  const v = Math.floor((murmurhash.v3(`${userId}1234567890`, 1) / 4294967296) * 10000)
  for (const ta of trafficAllocation) if (v < ta.endOfRange) return ta.entityId
  return null
}

const fnvFloor = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

// Unleash: a 50/50 variant toggle served from an in-memory repository (no network), through the client's public
// getVariant, and the SDK's variant selection (selectVariantDefinition) alone. CommonJS, hence require.
const require = createRequire(import.meta.url)
const UnleashClient = (require('unleash-client/lib/client') as { default: new (repository: unknown, strategies: unknown) => { getVariant: (name: string, context: unknown) => { name: string } } }).default
const { defaultStrategies } = require('unleash-client/lib/strategy/index') as { defaultStrategies: unknown }
const { selectVariantDefinition } = require('unleash-client/lib/variant') as {
  selectVariantDefinition: (groupId: string, stickiness: string | undefined, variants: unknown, context: unknown) => { name: string } | null
}
const unleashVariants = [
  { name: 'control', weight: 500, weightType: 'variable', stickiness: 'default' },
  { name: 'green', weight: 500, weightType: 'variable', stickiness: 'default' },
]
const unleashFeature = { name: 'checkout-button', enabled: true, strategies: [{ name: 'default', parameters: {}, constraints: [] }], variants: unleashVariants }
const unleash = new UnleashClient({ getToggle: () => unleashFeature, getToggles: () => [unleashFeature], getSegment: () => undefined }, defaultStrategies)
const unleashContexts = ids.map((userId) => ({ userId }))
if (unleash.getVariant('checkout-button', unleashContexts[0]).name === 'disabled') throw new Error('Unleash toggle not enabled')

// GrowthBook warns about repaired weights on console.error outside production.
process.env['NODE_ENV'] = 'production'

/** One call of each case on the i-th id; the result keeps the optimiser from dropping the work. */
const kept: Array<unknown> = new Array(BATCH)
const calls: ReadonlyArray<readonly [string, (i: number) => number]> = [
  ['floor: FNV-1a over the id', (i) => fnvFloor(ids[i]!)],
  ['handle.variantIndex(id)', (i) => variantIndex(ids[i]!)],
  ['handle.variantIndex(unit)', (i) => variantIndex(units[i]!)],
  ['handle.assign(unit)', (i) => ((kept[i & (BATCH - 1)] = assign(units[i]!)), 1)],
  ['assignTo (by key)', (i) => ((kept[i & (BATCH - 1)] = assignTo('checkout-button', units[i]!)(assigner)), 1)],
  ['assignExperiment', (i) => ((kept[i & (BATCH - 1)] = assignExperiment(units[i]!)(experiment)), 1)],
  ['GrowthBook hash+chooseVariation', (i) => chooseVariation(hash('checkout-button', ids[i]!, 2)!, ranges)],
  ['GrowthBookClient.runInlineExperiment', (i) => ((kept[i & (BATCH - 1)] = gbClient.runInlineExperiment(gbExperiment, gbUnits[i]!)), 1)],
  [
    'GrowthBook run() (shared instance)',
    (i) => {
      void gb.setAttributes(gbUnits[i]!.attributes)
      return ((kept[i & (BATCH - 1)] = gb.run(gbExperiment)), 1)
    },
  ],
  ['Optimizely bucketing (murmur3)', (i) => optimizelyBucket(ids[i]!)?.length ?? 0],
  ['Unleash client getVariant', (i) => ((kept[i & (BATCH - 1)] = unleash.getVariant('checkout-button', unleashContexts[i])), 1)],
  ['Unleash selectVariantDefinition', (i) => selectVariantDefinition('checkout-button', 'default', unleashVariants, unleashContexts[i])?.name.length ?? 0],
]

/** Child mode: bytes per call of every case, as JSON on stdout. */
const bytesPerCall = (): Record<string, number> => {
  const gc = (globalThis as { gc?: () => void }).gc!
  const N = IDS * 2
  const out: Record<string, number> = {}
  for (const [name, call] of calls) {
    let sink = 0
    const once = () => {
      gc()
      const before = process.memoryUsage().heapUsed
      for (let i = 0; i < N; i++) sink = (sink + call(i & (IDS - 1))) | 0
      return (process.memoryUsage().heapUsed - before) / N
    }
    for (let k = 0; k < 2; k++) once() // warm up: compiled code, inline caches
    out[name] = Math.min(once(), once(), once())
    if (sink === 0.5) console.error(sink)
  }
  return out
}

if (process.env['TP_BENCH_BYTES'] === '1') {
  console.log(JSON.stringify(bytesPerCall()))
  process.exit(0)
}

/**
 * Paired ratios: the cases that carry the targets run in interleaved rounds (each round times every case once, in
 * a rotating order), and each round's per-call ratio to its own floor, or to its own GrowthBook client run, is
 * kept; the median over rounds is printed with its quartiles. Each case's batch is sized to take about the same
 * time (~100 us), so a time slice lost to another process is as likely in a fast case as in a slow one; with
 * fixed batches a slow case's batch is long enough to be preempted on a loaded machine, which inflates its median
 * and flatters the fast ones. On a shared machine whose load drifts while tinybench runs one case after another,
 * these are the numbers to quote.
 */
const PAIRED = ['floor: FNV-1a over the id', 'handle.variantIndex(id)', 'handle.assign(unit)', 'assignTo (by key)', 'GrowthBookClient.runInlineExperiment', 'GrowthBook run() (shared instance)'] as const
const pairedRatios = (rounds: number, targetNs: number): void => {
  const cases = PAIRED.map((name) => calls.find(([n]) => n === name)!)
  let sink = 0
  const timed = (call: (i: number) => number, start: number, n: number): number => {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) sink = (sink + call((start + i) & (IDS - 1))) | 0
    return Number(process.hrtime.bigint() - t0) / n
  }
  // Warm-up (compiled code, settled inline caches), then each case's batch from its median warm round.
  for (const [, call] of cases) for (let k = 0; k < 8; k++) timed(call, k * 512, 512)
  const batches = cases.map(([, call]) => {
    const warm = Array.from({ length: 9 }, (_, k) => timed(call, k * 512, 512)).sort((a, b) => a - b)
    return Math.max(16, Math.min(IDS, Math.round(targetNs / warm[4]!)))
  })
  const times: Array<Array<number>> = cases.map(() => [])
  let start = 0
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = (k + r) % cases.length
      times[c]!.push(timed(cases[c]![1], start, batches[c]!))
    }
    start = (start + 4099) & (IDS - 1)
  }
  if (sink === 0.5) console.error(sink)
  const quartiles = (xs: Array<number>) => {
    const s = [...xs].sort((a, b) => a - b)
    return [s[Math.floor(s.length / 4)]!, s[Math.floor(s.length / 2)]!, s[Math.floor((3 * s.length) / 4)]!]
  }
  const ratio = (a: number, b: number) => times[a]!.map((t, r) => t / times[b]![r]!)
  const fmt = ([q1, m, q3]: Array<number>) => `${m!.toFixed(2)} (${q1!.toFixed(2)}-${q3!.toFixed(2)})`
  const gb = PAIRED.indexOf('GrowthBookClient.runInlineExperiment')
  console.log(`\nPaired rounds (${rounds}, interleaved, ~${targetNs / 1000} us per case and round): median ratio per round (quartiles)`)
  console.log(`${'case'.padEnd(38)}${'calls'.padStart(7)}${'x floor'.padStart(20)}${'GB client / case'.padStart(22)}`)
  PAIRED.forEach((name, c) => console.log(`${name.padEnd(38)}${String(batches[c]).padStart(7)}${fmt(quartiles(ratio(c, 0))).padStart(20)}${fmt(quartiles(ratio(gb, c))).padStart(22)}`))
}

// TP_BENCH_PAIRED=1: the paired rounds alone (quick, while changing the hot path).
if (process.env['TP_BENCH_PAIRED'] === '1') {
  pairedRatios(400, 100_000)
  process.exit(0)
}

export const run = async (): Promise<ReadonlyArray<Row>> => {
  let offset = 0
  const rows = await measure(
    `Assignment: one unit, one 2-variant experiment, ${IDS.toLocaleString('en')} distinct ids (per call)`,
    calls.map(([name, call]) => ({
      name,
      run: () => {
        let x = 0
        const start = offset
        offset = (offset + BATCH) & (IDS - 1)
        for (let i = 0; i < BATCH; i++) x += call((start + i) & (IDS - 1))
        return x
      },
    })),
    { batch: BATCH, baseline: 'floor: FNV-1a over the id' },
  )
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=256', '--min-semi-space-size=256', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    encoding: 'utf8',
    env: { ...process.env, TP_BENCH_BYTES: '1' },
    maxBuffer: 1 << 20,
  })
  const bytes = child.status === 0 ? (JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number>) : {}
  if (child.status !== 0) console.error(`bytes per call not measured: ${child.stderr}`)
  const gbRun = rows.find((r) => r.name === 'GrowthBookClient.runInlineExperiment')!.medianNs
  console.log(`\n${'case'.padEnd(38)}${'median/call'.padStart(12)}${'x floor'.padStart(9)}${'x GB client'.padStart(12)}${'bytes/call'.padStart(12)}`)
  for (const r of rows) {
    const time = r.medianNs >= 1000 ? `${(r.medianNs / 1000).toFixed(2)} µs` : `${r.medianNs.toFixed(1)} ns`
    console.log(`${r.name.padEnd(38)}${time.padStart(12)}${r.ratio.toFixed(2).padStart(9)}${(r.medianNs / gbRun).toFixed(3).padStart(12)}${(bytes[r.name] ?? Number.NaN).toFixed(1).padStart(12)}`)
  }
  pairedRatios(400, 100_000)
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
