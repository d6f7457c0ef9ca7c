import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type ModelName } from '../../src/attribution/model'
import { reportSettings } from '../../src/report/accumulate'
import { buildReport } from '../../src/report/build'
import { proportionsZTest } from '../../src/stats/frequentist/proportionsZTest'
import { formatReportJson } from '../../src/report/render'
import { reduceCsvText } from '../../src/report/text'
import { cli } from '../_cli'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-report-cli-'))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

interface Json {
  readonly models: ReadonlyArray<string>
  readonly totals: { readonly conversions: number; readonly journeys: number; readonly cost?: number }
  readonly touchpoints: ReadonlyArray<{ readonly channel: string; readonly stage: string; readonly credits: Record<string, { conversions: number; interval?: unknown }> }>
  readonly bootstrap: { readonly used: number }
}

describe('touchpoint report', () => {
  it('writes the HTML report from the example data and says where it is', async () => {
    const out = join(dir, 'report.html')
    const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '20', '-o', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`wrote ${out}`)
    const html = readFileSync(out, 'utf8')
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('data-chart="cost"')
  })

  it('credits match touchpoint attribute on the same file (one pass feeds both)', async () => {
    const report = JSON.parse((await cli(['report', 'examples/paths.csv', '-f', 'json', '--bootstrap', '0', '-m', 'first,last,markov,shapley'])).stdout) as Json
    const attribution = JSON.parse((await cli(['attribute', 'examples/paths.csv', '-f', 'json', '-m', 'first,last,markov,shapley'])).stdout) as Array<Record<string, number | string>>
    expect(report.touchpoints.map((t) => t.channel)).toEqual(attribution.map((a) => a['channel']))
    report.touchpoints.forEach((t, i) => {
      for (const m of ['first', 'last', 'markov', 'shapley']) expect(t.credits[m]!.conversions).toBeCloseTo(attribution[i]![`${m}_conversions`] as number, 8)
    })
  })

  it('markdown, csv tables and json to standard output; bootstrap intervals by default', async () => {
    const md = await cli(['report', 'examples/paths.csv', '-f', 'markdown', '--bootstrap', '20'])
    expect(md.code).toBe(0)
    expect(md.stdout).toMatch(/^# Touchpoint report/)
    const csv = await cli(['report', 'examples/paths.csv', '-f', 'csv', '--table', 'stages', '--bootstrap', '0'])
    expect(csv.stdout.split('\n')[0]).toBe('stage,channels,touches,journeys,converting_journeys,conversion_rate,reached_or_beyond,converting_reached_or_beyond,drop_off,drop_off_rate,closes')
    const json = JSON.parse((await cli(['report', 'examples/events.csv', '-f', 'json', '--bootstrap', '10', '--costs', 'examples/costs.csv'])).stdout) as Json
    expect(json.models).toContain('time_decay')
    expect(json.bootstrap.used).toBe(10)
    expect(json.touchpoints[0]!.credits['markov']!.interval).toBeDefined()
    expect(json.totals.cost).toBeGreaterThan(0)
  })

  it('a stage file overrides the defaults', async () => {
    const stages = file('stages.json', '{"store": "decision"}')
    const json = JSON.parse((await cli(['report', 'examples/paths.csv', '-f', 'json', '--bootstrap', '0', '--stages', stages])).stdout) as Json
    expect(json.touchpoints.find((t) => t.channel === 'store')!.stage).toBe('decision')
    expect(json.touchpoints.find((t) => t.channel === 'video')!.stage).toBe('awareness')
  })

  it('a stage file entry {"stage", "medium"} sets the stage and the map\'s online/offline mark over the name rule; a wrong medium is told with its place', async () => {
    // store's name says offline and video's online: the file says the opposite, and gives email a medium alone.
    const stages = file('media.json', '{"store": {"stage": "decision", "medium": "online"}, "video": {"medium": "offline"}, "email": "loyalty"}')
    const json = JSON.parse((await cli(['report', 'examples/paths.csv', '-f', 'json', '--bootstrap', '0', '--stages', stages])).stdout) as { touchpoints: Array<{ channel: string; stage: string; medium?: string }> }
    const tp = (c: string) => json.touchpoints.find((t) => t.channel === c)!
    expect([tp('store').stage, tp('store').medium]).toEqual(['decision', 'online'])
    expect([tp('video').stage, tp('video').medium]).toEqual(['awareness', 'offline'])
    expect(tp('email').medium).toBeUndefined()
    const html = (await cli(['report', 'examples/paths.csv', '--bootstrap', '0', '--stages', stages])).stdout
    const mark = (c: string) => new RegExp(`data-channel="${c}" data-medium="([a-z]+)"`).exec(html)?.[1]
    expect([mark('store'), mark('video'), mark('email')]).toEqual(['online', 'offline', 'online'])
    const out = join(dir, 'never-media.html')
    const bad = file('bad-media.json', '{"email": "loyalty",\n "store": {"stage": "purchase", "medium": "in-store"}}')
    const r = await cli(['report', 'examples/paths.csv', '--stages', bad, '-o', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('bad-media.json:2:43: store.medium')
    expect(r.stderr).toContain('"online", "offline"')
    expect(r.stderr).toContain('in-store')
    expect(existsSync(out)).toBe(false)
  })

  it('bad side files and bad data: exit 1 with the place, nothing written', async () => {
    const out = join(dir, 'never.html')
    const stages = file('bad-stages.json', '{"store": "buying"}')
    const r1 = await cli(['report', 'examples/paths.csv', '--stages', stages, '-o', out])
    expect(r1.code).toBe(1)
    expect(r1.stderr).toContain('bad-stages.json')
    expect(r1.stderr).toContain('store')
    const costs = file('bad-costs.csv', 'channel,cost\nvideo,12\nemail,lots\n')
    const r2 = await cli(['report', 'examples/paths.csv', '--costs', costs, '-o', out])
    expect(r2.code).toBe(1)
    expect(r2.stderr).toContain(`${costs}:3`)
    const paths = file('bad.csv', 'path,total_conversions,total_null\na > b,1,0\nb,x,1\n')
    const r3 = await cli(['report', paths, '-o', out])
    expect(r3.code).toBe(1)
    expect(r3.stderr).toContain(`${paths}:3`)
    expect(existsSync(out)).toBe(false)
    const r4 = await cli(['report', paths, '-o', out, '--on-error', 'skip', '-q', '--bootstrap', '0'])
    expect(r4.code).toBe(0)
    expect(r4.stderr).toContain('skipped 1 bad line')
    expect(existsSync(out)).toBe(true)
  })

  it('--title names the Markdown report; with json or csv it is an error that says so, as are --currency and --locale', async () => {
    const md = await cli(['report', 'examples/paths.csv', '-f', 'markdown', '--bootstrap', '0', '--title', 'Q3 | touchpoints'])
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout.split('\n')[0]).toBe('# Q3 \\| touchpoints')
    for (const [format, flag] of [['json', '--title'], ['csv', '--title'], ['json', '--currency'], ['csv', '--locale']] as const) {
      const r = await cli(['report', 'examples/paths.csv', '-f', format, '--bootstrap', '0', flag, 'EUR'])
      expect(r.code, `${format} ${flag}`).toBe(2)
      expect(r.stderr).toContain(`${flag} applies to --format html or markdown`)
      expect(r.stdout).toBe('')
    }
  })

  it('--currency and --locale format amounts; a bad code is a usage error naming it', async () => {
    const md = await cli(['report', 'examples/paths.csv', '-f', 'markdown', '--bootstrap', '0', '--costs', 'examples/costs.csv', '--currency', 'EUR', '--locale', 'de-DE'])
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout).toMatch(/cost 15\.855,00\s€/)
    const bad = await cli(['report', 'examples/paths.csv', '--bootstrap', '0', '--currency', 'EURO'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"EURO"')
    const actions = await cli(['report', 'examples/events.csv', '-f', 'csv', '--table', 'actions', '--bootstrap', '30', '--costs', 'examples/costs.csv'])
    expect(actions.code, actions.stderr).toBe(0)
    expect(actions.stdout.split('\n')[0]).toBe('action,channel,reason,evidence,uncertainty')
    expect(actions.stdout).toMatch(/^cut,video,/m)
  })

  it('usage mistakes exit 2', async () => {
    for (const args of [['report'], ['report', 'examples/paths.csv', '-f', 'pdf'], ['report', 'examples/paths.csv', '--bootstrap', '-3'], ['report', 'examples/paths.csv', '--table', 'stages'], ['report', 'examples/paths.csv', '-m', 'time_decay'], ['report', 'examples/paths.csv', '--level', '2']]) {
      const r = await cli(args)
      expect(r.code, args.join(' ')).toBe(2)
    }
    const h = await cli(['report', '--help'])
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('--stages FILE')
  })
})

describe('reduceCsvText', () => {
  it('gives the report the CLI gives, for paths and for events', async () => {
    for (const [f, models] of [['examples/paths.csv', 'first,last,markov'], ['examples/events.csv', 'last,time_decay,markov']] as const) {
      const lib = pipe(readFileSync(f, 'utf8'), reduceCsvText(reportSettings(DEFAULT_SETTINGS, { replicates: 5 })), E.flatMap(buildReport({ models: models.split(',') as Array<ModelName> })), E.map(formatReportJson))
      const viaCli = await cli(['report', f, '-f', 'json', '--bootstrap', '5', '-m', models])
      expect(E.isRight(lib) ? lib.right : '').toBe(viaCli.stdout)
    }
    const bad = reduceCsvText(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))('path,total_conversions\na,1\nb,x\nc,-1\n')
    expect(E.isLeft(bad) && bad.left._tag === 'InvalidInput' ? bad.left.issues.map((i) => i.line) : []).toEqual([3, 4])
    expect(E.isLeft(reduceCsvText(reportSettings(DEFAULT_SETTINGS))('who,when\n'))).toBe(true)
  })
})

describe('touchpoint report --surveys and --experiments', () => {
  const base = ['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '20', '-q']
  it('surveys and the display holdout reach the actions, the JSON and the cards', async () => {
    const r = await cli([...base, '--surveys', 'examples/surveys.csv', '--experiments', 'examples/touchpoint-experiments.json', '-f', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const json = JSON.parse(r.stdout) as { satisfaction: Record<string, { measure: string }>; experiments: ReadonlyArray<{ touchpoint: string }>; actions: ReadonlyArray<{ _tag: string; channel: string; reason?: string; experiment?: string }> }
    expect(Object.keys(json.satisfaction).sort()).toEqual(['direct', 'email', 'referral', 'retargeting', 'store'])
    expect(json.experiments.map((x) => x.touchpoint)).toEqual(['display'])
    expect(json.actions.filter((a) => a.reason === 'satisfaction').map((a) => a.channel)).toEqual(['retargeting', 'store'])
    expect(json.actions.find((a) => a.channel === 'display' && a._tag === 'Cut')?.experiment).toBe('display holdout, Sep-Oct')
    expect(json.actions.some((a) => a.channel === 'display' && a._tag === 'Test')).toBe(false)
    const html = (await cli([...base, '--surveys', 'examples/surveys.csv', '--experiments', 'examples/touchpoint-experiments.json'])).stdout
    const card = (c: string) => html.slice(html.indexOf(`<div class="card" data-channel="${c}"`)).split('</div>')[0]!
    expect(card('store')).toMatch(/NPS -27\.0 \[/)
    expect(card('display')).toContain('experiment display holdout, Sep-Oct: +8.2%')
    expect(html).toContain('<div class="card" data-channel="store" data-medium="offline"><b>store <small>offline</small></b>')
    expect(html).toContain('<div class="card" data-channel="display" data-medium="online"><b>display <small>online</small></b>')
  })
  it('the Markdown tables the surveys and the experiment with the numbers of the JSON', async () => {
    const args = [...base, '--surveys', 'examples/surveys.csv', '--experiments', 'examples/touchpoint-experiments.json']
    const json = JSON.parse((await cli([...args, '-f', 'json'])).stdout) as { satisfaction: Record<string, { measure: string; score: number; lower: number; upper: number; responses: number }>; experiments: ReadonlyArray<{ lift: { value: number; lower: number; upper: number }; pValue: number }> }
    const md = (await cli([...args, '-f', 'markdown'])).stdout
    const row = (name: string) => md.split('\n').find((l) => l.startsWith(`| ${name} |`) && (l.includes('NPS') || l.includes('CSAT') || l.includes('holdout')))
    for (const [name, s] of Object.entries(json.satisfaction)) {
      const v = (x: number) => (s.measure === 'csat' ? `${(100 * x).toFixed(1)}%` : x.toFixed(1))
      expect(row(name)).toContain(`| ${s.measure.toUpperCase()} | ${s.measure === 'nps' ? '0-10' : '1-5'} | ${v(s.score)} [${v(s.lower)}, ${v(s.upper)}] | ${s.responses} |`)
    }
    const x = json.experiments[0]!
    const pc = (n: number) => `${n > 0 ? '+' : ''}${(100 * n).toFixed(1)}%`
    expect(row('display')).toContain(`| ${pc(x.lift.value)} [${pc(x.lift.lower)}, ${pc(x.lift.upper)}] | 95% | ${x.pValue.toFixed(3)} |`)
  })
  it('the raw-log analysis of the shipped exposure and event logs is an experiment result as it is printed', async () => {
    const logs = ['analyze', '--exposures', 'examples/experiment-exposures.csv', '--events', 'examples/experiment-events.csv.gz', '--metrics', 'examples/metrics.json', '--config', 'examples/experiments.json']
    const analysed = await cli([...logs, '--json'])
    expect(analysed.code, analysed.stderr).toBe(0)
    const x = file('log-experiment.json', JSON.stringify({ touchpoint: 'display', result: JSON.parse(analysed.stdout) as unknown }))
    const r = await cli([...base, '--experiments', x, '-f', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const [e] = (JSON.parse(r.stdout) as { experiments: ReadonlyArray<Record<string, unknown>> }).experiments
    // The summary prints: purchased: green vs control +27.0% (95% CI holm-adjusted +6.0% to +48.0%), p = 0.012 (holm).
    expect(e).toMatchObject({ touchpoint: 'display', name: 'checkout-button', metric: 'purchased', kind: 'binomial', level: 0.95, holdout: { name: 'control', units: 982 }, exposed: { name: 'green', units: 990 } })
    const lift = e!['lift'] as { value: number; lower: number; upper: number }
    expect([lift.value, lift.lower, lift.upper].map((v) => (v * 100).toFixed(1))).toEqual(['27.0', '6.0', '48.0'])
    expect((e!['pValue'] as number).toFixed(3)).toBe('0.012')
    // Four metrics in the family (page_views is a guardrail): the rate change is at 1 − 0.05/4, on 239/982 and 306/990.
    const z = proportionsZTest({ level: 0.9875 })({ control: { units: 982, conversions: 239 }, treatment: { units: 990, conversions: 306 } })
    const rate = e!['rateChange'] as { value: number; lower: number; upper: number }
    if (E.isLeft(z)) throw new Error('no z-test')
    for (const [got, want] of [[rate.value, z.right.difference], [rate.lower, z.right.interval.lower], [rate.upper, z.right.interval.upper]] as const) expect(got).toBeCloseTo(want, 10) // the JSON keeps 12 significant digits
    const revenue = file('log-experiment-revenue.json', JSON.stringify({ touchpoint: 'display', metric: 'revenu', result: JSON.parse(analysed.stdout) as unknown }))
    const bad = await cli([...base, '--experiments', revenue])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(`${revenue}:1:34: (the entry).metric: expected a metric of experiment "checkout-button": purchased (binomial), revenue (sum), orders (count), revenue_per_order (ratio), page_views (count, guardrail), got "revenu"`)
  })
  it('a bad survey line is named as file:line with field, value and expectation; nothing is written', async () => {
    const bad = file('surveys-bad.csv', 'touchpoint,score,scale\nstore,9,0-10\nstore,12,0-10\nemail,4,1-9000\n')
    const out = join(dir, 'never-surveys.html')
    const r = await cli([...base, '--surveys', bad, '-o', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bad}:3: score: expected an integer from 0 to 10 (scale 0-10), got "12"`)
    expect(r.stderr).toContain(`${bad}:4: scale: expected nps or 0-10 (NPS), csat or 1-N with N from 2 to 100 (CSAT, e.g. 1-5), got "1-9000"`)
    expect(existsSync(out)).toBe(false)
    const x = file('experiments-bad.json', '[{"touchpoint": "display"}]')
    const rx = await cli([...base, '--experiments', x])
    expect(rx.code).toBe(1)
    expect(rx.stderr).toContain(`${x}:1:2: [0].result: expected the output of touchpoint analyze --json`)
  })
  it('a bad --experiments file names the line and column of each problem (a list, one entry, a missing field)', async () => {
    const arms = file('arms.csv', 'arm,units,conversions\nholdout,12000,1020\nexposed,12000,1104\n')
    const analysed = JSON.parse((await cli(['analyze', arms, '--control', 'holdout', '--json'])).stdout) as unknown
    const good = JSON.stringify({ touchpoint: 'display', result: analysed }, null, 2)
    const list = file('experiments-lines.json', `[\n  ${good.replace(/\n/g, '\n  ')},\n  {\n    "touchpoint": "email",\n    "result": 5\n  },\n  {"touchpoint": "video",\n   "result": {"arms": []}}\n]\n`)
    const r = await cli([...base, '--experiments', list])
    expect(r.code).toBe(1)
    const line = (needle: string) => readFileSync(list, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1
    expect(r.stderr).toContain(`${list}:${line('"result": 5')}:15: [1].result: expected the output of touchpoint analyze --json, got 5`)
    expect(r.stderr).toMatch(new RegExp(`${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line('"result": {"arms"')}:\\d+: \\[2\\]\\.result\\.arms: expected`))
    expect(r.stderr).not.toMatch(/json: \[/) // every issue located
    const one = file('experiments-one.json', '{\n  "touchpoint": "display",\n  "result": {\n    "kind": "binomial"\n  }\n}\n')
    const r1 = await cli([...base, '--experiments', one])
    expect(r1.code).toBe(1)
    // A single entry keeps its "(the entry)" name; a missing field points at the object that lacks it (line 3).
    expect(r1.stderr).toContain(`${one}:3:13: (the entry).result.arms: expected`)
  })
})
