/**
 * `touchpoint analyze --exposures --events --metrics` in process: the summary, --stats-only lines that
 * `touchpoint analyze FILE` reads back (the two halves compose), inputs as exports come (CSV, JSON lines, gzip,
 * touchpoint assign's output), and bad input: a clear message, exit 1, nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/Either'
import { beforeAll, describe, expect, it } from 'vitest'
import { analyze } from '../../src/stats/analyze'
import { summarize } from '../../src/stats/summarize'
import { DEFAULT_SCENARIO } from '../../scripts/experiments/simulate'
import { generateLogs } from '../../scripts/experiments/generate'
import { cli } from '../_cli'

let dir = ''
let exposures = ''
let events = ''
let metrics = ''
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

const METRICS = {
  metrics: [
    { name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' },
    { name: 'revenue', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cap: { quantile: 0.99 }, cuped: { days: 14 } },
    { name: 'orders', kind: 'count', events: ['purchase'] },
    { name: 'revenue_per_order', kind: 'ratio', numerator: 'revenue', denominator: 'orders' },
    { name: 'page_views', kind: 'count', events: ['page_view'], window: '7d', guardrail: true },
  ],
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-analyze-logs-'))
  const scenario = { ...DEFAULT_SCENARIO, units: 1500, pageViews: 0.2, variants: [DEFAULT_SCENARIO.variants[0]!, { ...DEFAULT_SCENARIO.variants[1]!, rateLift: 0.4 }] }
  const r = await generateLogs({ scenario, seed: 'cli', out: join(dir, 'logs'), format: 'csv', sorted: false, gzipEvents: true, epoch: false })
  ;[exposures, events] = r.files
  metrics = file('metrics.json', JSON.stringify(METRICS))
})

const run = (...extra: ReadonlyArray<string>) => cli(['analyze', '--exposures', exposures, '--events', events, '--metrics', metrics, ...extra])

describe('touchpoint analyze --exposures', () => {
  it('prints today’s summary per metric: units, the multiple exposures left out, the split check, lifts and verdicts', async () => {
    const r = await run('--config', 'examples/experiments.json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^checkout-button: 1,4\d\d units \(control \d+, green \d+\); \d+ exposed to several variants, left out; sample ratio OK \(p = [\d.]+\)$/)
    for (const m of ['purchased', 'revenue', 'orders', 'revenue_per_order']) expect(r.stdout).toMatch(new RegExp(`^  ${m}: green vs control [+-][\\d.]+% \\(95% CI holm-adjusted [+-][\\d.]+% to [+-][\\d.]+%\\), p = [\\d.e-]+ \\(holm\\), P\\(better\\) [^,]+(, CUPED -\\d+% variance)?: (BETTER|WORSE|inconclusive)$`, 'm'))
    expect(r.stdout).toMatch(/^ {2}page_views \(guardrail\): green vs control [+-][\d.]+% \(95% CI [^)]+\), p = [\d.]+, P\(better\) [\d.]+%: inconclusive$/m)
    expect(r.stdout).toMatch(/revenue: green vs control .*CUPED -\d+% variance/)
    expect(r.stdout).toMatch(/^checkout-button: revenue capped at [\d.]+ per unit \(the 0.99 quantile of exposed units' values\); its CUPED covariate at [\d.]+\.$/m)
  })

  it('--stats-only --json lines compose with touchpoint analyze FILE (same numbers as analyze on each line)', async () => {
    const stats = await run('--stats-only', '--json', '--dimension', 'country')
    expect(stats.code).toBe(0)
    const lines = stats.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toHaveLength(5 * 5) // five metrics, overall and four countries
    expect(Object.keys(lines[0]!)).toEqual(['experiment', 'metric', 'control', 'arms', 'multipleExposures'])
    expect(Object.keys(lines[1]!)).toEqual(['experiment', 'metric', 'dimension', 'control', 'arms', 'multipleExposures'])
    expect(lines[1]!['dimension']).toEqual({ name: 'country', value: 'DE' })
    expect(lines[0]!['arms']).toEqual([
      { name: 'control', units: expect.any(Number), conversions: expect.any(Number) },
      { name: 'green', units: expect.any(Number), conversions: expect.any(Number) },
    ])
    const back = await cli(['analyze', '-'], stats.stdout)
    expect(back.stderr).toBe('')
    expect(back.code).toBe(0)
    const expected = lines
      .map((l) => {
        const { experiment, metric, dimension, multipleExposures, ...data } = l as { experiment: string; metric: string; dimension?: { name: string; value: string }; multipleExposures: number }
        const a = analyze({})(data as never)
        if (E.isLeft(a)) throw new Error(metric)
        return `${experiment} / ${metric}${dimension === undefined ? '' : `, ${dimension.name} = ${dimension.value}`}${multipleExposures > 0 ? `; ${multipleExposures} exposed to several variants, left out` : ''}:\n${summarize()(a.right).replace(/^/gm, '  ')}\n`
      })
      .join('')
    expect(back.stdout).toBe(expected)
    const saved = file('stats.jsonl', stats.stdout)
    const json = await cli(['analyze', saved, '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ experiment: 'checkout-button', metric: 'purchased', analysis: { kind: 'binomial' } })
  })

  it('reads JSON lines, plain CSV and touchpoint assign output (unitId, no times) for metrics without windows', async () => {
    const jsonl = await generateLogs({ scenario: { ...DEFAULT_SCENARIO, units: 300 }, seed: 'j', out: join(dir, 'j'), format: 'jsonl', sorted: true, gzipEvents: false, epoch: true })
    const m = file('orders.json', JSON.stringify({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'] }, { name: 'spend', kind: 'sum', events: ['purchase'], value: 'value', window: '7d' }] }))
    const r = await cli(['analyze', '--exposures', jsonl.files[0], '--events', jsonl.files[1], '--metrics', m, '--stats-only'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
    // assign --enrolled-only output: unitId, no timestamp; events keyed by unit_id.
    const assigned = file('assigned.jsonl', ['a', 'b', 'c', 'd'].map((u, i) => JSON.stringify({ line: i + 2, experiment: 'x', unit: 'userId', unitId: u, enrolled: true, variant: i % 2 === 0 ? 'control' : 'new', variantIndex: i % 2, bucket: 1, hashVersion: 'tp1', override: false })).join('\n'))
    const ev = file('ev.csv', 'unit_id,timestamp,event,value\na,2026-01-01T00:00:00Z,purchase,1\nb,2026-01-01T00:00:00Z,purchase,2\nb,2026-01-02T00:00:00Z,purchase,3\nz,2026-01-02T00:00:00Z,purchase,3\n')
    const counts = file('counts.json', JSON.stringify({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'] }] }))
    const a = await cli(['analyze', '--exposures', assigned, '--events', ev, '--metrics', counts, '--stats-only'])
    expect(a.stderr).toBe('')
    expect(JSON.parse(a.stdout)).toEqual({ experiment: 'x', metric: 'orders', control: 'control', arms: [{ name: 'control', units: 2, sum: 1, sumSquares: 1 }, { name: 'new', units: 2, sum: 2, sumSquares: 4 }], multipleExposures: 0 })
    // A metric with a window needs exposure times: said, with the column.
    const windowed = await cli(['analyze', '--exposures', assigned, '--events', ev, '--metrics', metrics])
    expect(windowed.code).toBe(1)
    expect(windowed.stderr).toContain('timestamp: expected a time column: the metrics "purchased", "revenue", "page_views" have windows, delays or CUPED')
  })

  it("reads the adapters' exposure records, with the ISO timestamp the adapter saw, as they are", async () => {
    // The Exposure record of src/assignment/exposure.ts (unitId, no unit_id), plus `timestamp`.
    const record = (u: string, variant: string, timestamp: string) =>
      JSON.stringify({ experiment: 'x', variant, variantIndex: variant === 'control' ? 0 : 1, unit: 'userId', unitId: u, bucket: 0.25, hashVersion: 'tp1', override: false, sticky: false, bucketVersion: 0, configVersion: '7', timestamp })
    const records = file('records.jsonl', [record('a', 'control', '2026-01-01T00:00:00.000Z'), record('b', 'new', '2026-01-01T12:00:00.000Z'), record('b', 'new', '2026-01-03T00:00:00.000Z')].join('\n'))
    // b's purchase 2 days after its first exposure counts; 8 days after does not (7d window); a's before t0 does not.
    const ev = file('ev-records.csv', 'unit_id,timestamp,event,value\na,2025-12-31T23:59:59Z,purchase,5\nb,2026-01-03T12:00:00Z,purchase,2\nb,2026-01-09T12:00:00Z,purchase,9\n')
    const spend = file('spend.json', JSON.stringify({ metrics: [{ name: 'spend', kind: 'sum', events: ['purchase'], value: 'value', window: '7d' }] }))
    const r = await cli(['analyze', '--exposures', records, '--events', ev, '--metrics', spend, '--stats-only'])
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ experiment: 'x', metric: 'spend', control: 'control', arms: [{ name: 'control', units: 1, sum: 0, sumSquares: 0 }, { name: 'new', units: 1, sum: 2, sumSquares: 4 }], multipleExposures: 0 })
  })

  it('--markdown, --dimension and --sequential', async () => {
    const r = await run('--markdown', '--dimension', 'country', '--sequential', '--experiment', 'checkout-button')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('### checkout-button\n')
    expect(r.stdout).toContain('### checkout-button, country = DE\n')
    expect(r.stdout).toContain('| Metric | Variant | control | Variant mean | Lift | CI | p | P(better) | Always-valid CI | Verdict |')
    expect(r.stdout).toMatch(/### checkout-button: always-valid 95% intervals as they stood at the end of each day \(UTC\)/)
    expect(r.stdout).toMatch(/^\| 2026-01-05 \| \d+ \|/m)
    const days = r.stdout.match(/^\| 2026-\d\d-\d\d \|/gm) ?? []
    expect(days.length).toBeGreaterThan(20)
  })

  it('bad input: a clear message, exit 1, nothing written', async () => {
    const out = join(dir, 'never.txt')
    const expectFailure = async (argv: ReadonlyArray<string>, message: string | RegExp) => {
      const r = await cli(['analyze', ...argv, '-o', out])
      expect(r.code, r.stderr).toBe(1)
      if (typeof message === 'string') expect(r.stderr).toContain(message)
      else expect(r.stderr).toMatch(message)
      expect(existsSync(out)).toBe(false)
    }
    const metricsFile = (m: unknown) => file(`m-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(m))
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metricsFile({ metrics: [{ name: 'r', kind: 'sum', events: ['purchase'], value: 'amount' }] })], 'metrics[0].value: expected a column of the events (unit_id, timestamp, event, value), got "amount"')
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metricsFile({ metrics: [{ name: 'r', kind: 'count', events: ['purchase'], window: '7 days' }] })], 'metrics[0].window: expected a duration > 0 such as 7d')
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metricsFile({ metrics: [{ name: 'r', kind: 'count', events: ['a'] }, { name: 'r', kind: 'count', events: ['b'] }] })], 'metrics[1].name: expected a name no other metric has (metrics[0] is "r"), got "r"')
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metricsFile({ metrics: [{ name: 'r', kind: 'ratio', numerator: 'x', denominator: 'y' }] })], 'metrics[0].numerator: expected the name of a binomial, count or sum metric (none is defined), got "x"')
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metrics, '--experiment', 'nope'], `no exposure rows for experiment "nope"`)
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', metrics, '--config', 'examples/experiments.json', '--experiment', 'nope'], 'no experiment "nope" in examples/experiments.json')
    await expectFailure(['--exposures', file('e.csv', 'user,experiment,variant,timestamp\n'), '--events', events, '--metrics', metrics], /exposures\.unit: expected a column "unit_id" \(the columns are: user, experiment, variant, timestamp\)/)
    await expectFailure(['--exposures', file('e2.csv', 'unit_id,experiment,variant,timestamp\nu1,x,a,yesterday\n'), '--events', events, '--metrics', metrics], /e2\.csv:2: timestamp: expected an ISO 8601 date-time or a number of milliseconds since 1970, got "yesterday"/)
    await expectFailure(['--exposures', file('e3.csv', 'unit_id,experiment,variant,timestamp\n'), '--events', events, '--metrics', metrics], 'no exposure rows')
    const ev = file('ev2.csv', 'unit_id,timestamp,event,value\nu1,2026-01-05T00:00:00Z,purchase,\n')
    await expectFailure(['--exposures', exposures, '--events', ev, '--metrics', metrics], /ev2\.csv:2: value: expected a number \(the value of a "purchase" event, which a sum metric adds up\), got ""/)
    await expectFailure(['--exposures', exposures, '--events', file('ev3.csv.gz', gzipSync('unit_id,timestamp,event\n')), '--metrics', metrics], 'metrics[1].value: expected a column of the events (unit_id, timestamp, event), got "value"')
    await expectFailure(['--exposures', exposures, '--events', events, '--metrics', file('bad.json', '{"metrics": [], "metrics": []}')], /bad\.json:1:\d+: metrics: expected/)
    // Parquet (by its magic number, whatever the name) is named, not read as garbled CSV.
    const parquet = file('events.dat', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 1), Buffer.from('PAR1')]))
    await expectFailure(['--exposures', exposures, '--events', parquet, '--metrics', metrics], /events\.dat: .*expected a CSV or JSON lines file, plain or gzip \(Parquet is read through DuckDB, which this command does not use yet: export the table as CSV or JSON lines\), got "a Parquet file"/)
  })

  it('usage errors exit 2; --help exits 0', async () => {
    expect((await cli(['analyze', '--exposures', exposures, '--metrics', metrics])).stderr).toContain('--events FILE is required')
    expect((await cli(['analyze', '--exposures', exposures, '--events', events, '--metrics', metrics, '--stats-only', '--markdown'])).code).toBe(2)
    expect((await cli(['analyze', '--exposures', exposures, '--events', events, '--metrics', metrics, '--time-unit', 'h'])).code).toBe(2)
    expect((await cli(['analyze', '--exposures', exposures, '--events', events, '--metrics', metrics, 'extra'])).code).toBe(2)
    const h = await cli(['analyze', '--exposures=x', '--help'])
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('Usage: touchpoint analyze --exposures FILE --events FILE --metrics FILE')
    expect(readFileSync(exposures, 'utf8').split('\n')[0]).toBe('unit_id,experiment,variant,timestamp,country')
  })
})

describe('touchpoint analyze --exposures: the events format told as the read tells it', () => {
  // The value columns were checked against the first record as CSV needs whenever the name did not say JSON
  // lines, although the read itself took the file as JSON lines from its first line: a page view without a value
  // first in events.log was refused ("expected a column of the events").
  it('JSON lines in a file whose name says no format: the first object need not hold the value field', async () => {
    const assigned = file('assigned-fmt.jsonl', ['a', 'b', 'c', 'd'].map((u, i) => JSON.stringify({ experiment: 'x', unit: 'userId', unitId: u, enrolled: true, variant: i % 2 === 0 ? 'control' : 'new', variantIndex: i % 2 })).join('\n'))
    const lines = [
      { unit_id: 'a', timestamp: '2026-01-01T00:00:00Z', event: 'page_view' },
      { unit_id: 'a', timestamp: '2026-01-01T00:00:00Z', event: 'purchase', value: 1 },
      { unit_id: 'b', timestamp: '2026-01-01T00:00:00Z', event: 'purchase', value: 2 },
      { unit_id: 'c', timestamp: '2026-01-02T00:00:00Z', event: 'purchase', value: 3 },
    ]
    const ev = file('events.log', lines.map((l) => JSON.stringify(l)).join('\n'))
    const m = file('spend.json', JSON.stringify({ metrics: [{ name: 'spend', kind: 'sum', events: ['purchase'], value: 'value' }] }))
    const r = await cli(['analyze', '--exposures', assigned, '--events', ev, '--metrics', m, '--stats-only'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
