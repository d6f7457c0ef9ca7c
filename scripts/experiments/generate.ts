/**
 * Writes the simulated logs of scripts/experiments/simulate.ts as files: exposures and events, CSV or JSON lines,
 * plain or gzip, time-ordered (small sizes) or unit by unit (any size, streamed). Deterministic for a seed.
 *
 *   npx tsx scripts/experiments/generate.ts --units 3000 --out examples/experiment --sorted --gzip-events
 *   npx tsx scripts/experiments/generate.ts --units 1000000 --page-views 0.7 --out /tmp/bench/logs --format csv
 *
 * writes OUT-exposures.csv and OUT-events.csv(.gz).
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { createGzip } from 'node:zlib'
import { DEFAULT_SCENARIO, simulate, type Scenario, type SimEvent, type SimExposure } from './simulate'

export interface GenerateOptions {
  readonly scenario: Scenario
  readonly seed: string
  readonly out: string
  readonly format: 'csv' | 'jsonl'
  /** Time-ordered files (everything held in memory: small sizes only). */
  readonly sorted: boolean
  readonly gzipEvents: boolean
  /** Times as ISO 8601 text (default) or milliseconds since 1970. */
  readonly epoch: boolean
}

// Whole seconds, as most logs write them.
const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z')

const sink = (path: string, gzip: boolean): { readonly out: Writable; readonly done: Promise<unknown> } => {
  const file = createWriteStream(path)
  if (!gzip) return { out: file, done: once(file, 'finish') }
  const z = createGzip({ level: 9 })
  z.pipe(file)
  return { out: z, done: once(file, 'finish') }
}

/** Writes both files; resolves with their row counts. */
export const generateLogs = async (o: GenerateOptions): Promise<{ readonly exposures: number; readonly events: number; readonly files: readonly [string, string] }> => {
  const time = (t: number) => (o.epoch ? String(t) : iso(t))
  const exposureLine =
    o.format === 'csv'
      ? (x: SimExposure) => `${x.unit},${x.experiment},${x.variant},${time(x.time)},${x.country}\n`
      : (x: SimExposure) => `${JSON.stringify({ unit_id: x.unit, experiment: x.experiment, variant: x.variant, timestamp: o.epoch ? x.time : iso(x.time), country: x.country })}\n`
  const eventLine =
    o.format === 'csv'
      ? (e: SimEvent) => `${e.unit},${time(e.time)},${e.event},${e.value ?? ''}\n`
      : (e: SimEvent) => `${JSON.stringify({ unit_id: e.unit, timestamp: o.epoch ? e.time : iso(e.time), event: e.event, ...(e.value === undefined ? {} : { value: e.value }) })}\n`
  const files = [`${o.out}-exposures.${o.format}`, `${o.out}-events.${o.format}${o.gzipEvents ? '.gz' : ''}`] as const
  const x = sink(files[0], false)
  const e = sink(files[1], o.gzipEvents)
  if (o.format === 'csv') {
    x.out.write('unit_id,experiment,variant,timestamp,country\n')
    e.out.write('unit_id,timestamp,event,value\n')
  }
  let exposures = 0
  let events = 0
  const write = async (out: Writable, text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  if (o.sorted) {
    const xs: Array<SimExposure> = []
    const es: Array<SimEvent> = []
    for (const u of simulate(o.scenario, o.seed)) {
      xs.push(...u.exposures)
      es.push(...u.events)
    }
    xs.sort((a, b) => a.time - b.time || (a.unit < b.unit ? -1 : 1))
    es.sort((a, b) => a.time - b.time || (a.unit < b.unit ? -1 : 1))
    for (const r of xs) await write(x.out, exposureLine(r))
    for (const r of es) await write(e.out, eventLine(r))
    exposures = xs.length
    events = es.length
  } else {
    let bx = ''
    let be = ''
    for (const u of simulate(o.scenario, o.seed)) {
      for (const r of u.exposures) bx += exposureLine(r)
      for (const r of u.events) be += eventLine(r)
      exposures += u.exposures.length
      events += u.events.length
      if (bx.length > 65536) {
        await write(x.out, bx)
        bx = ''
      }
      if (be.length > 65536) {
        await write(e.out, be)
        be = ''
      }
    }
    await write(x.out, bx)
    await write(e.out, be)
  }
  x.out.end()
  e.out.end()
  await Promise.all([x.done, e.done])
  return { exposures, events, files }
}

const main = async () => {
  const { values } = parseArgs({
    options: {
      units: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      sorted: { type: 'boolean' },
      'gzip-events': { type: 'boolean' },
      epoch: { type: 'boolean' },
      'page-views': { type: 'string' },
      'rate-lift': { type: 'string' },
      'value-lift': { type: 'string' },
    },
  })
  const treatment = DEFAULT_SCENARIO.variants[1]!
  const scenario: Scenario = {
    ...DEFAULT_SCENARIO,
    units: Number(values.units ?? DEFAULT_SCENARIO.units),
    pageViews: Number(values['page-views'] ?? DEFAULT_SCENARIO.pageViews),
    variants: [DEFAULT_SCENARIO.variants[0]!, { ...treatment, rateLift: Number(values['rate-lift'] ?? treatment.rateLift), valueLift: Number(values['value-lift'] ?? treatment.valueLift) }],
  }
  const r = await generateLogs({
    scenario,
    seed: values.seed ?? 'touchpoint-experiment',
    out: values.out ?? 'experiment',
    format: values.format === 'jsonl' ? 'jsonl' : 'csv',
    sorted: values.sorted === true,
    gzipEvents: values['gzip-events'] === true,
    epoch: values.epoch === true,
  })
  console.log(`wrote ${r.files[0]} (${r.exposures} exposures) and ${r.files[1]} (${r.events} events)`)
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main()
