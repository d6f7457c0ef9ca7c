import { fc, test } from '@fast-check/vitest'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { csvReader, isCsvProblem } from '../../src/core/csv'
import type { Journey } from '../../src/attribution/model'
import { buildReport } from '../../src/report/build'
import { formatReportHtml } from '../../src/report/html'
import type { Report } from '../../src/report/model'
import { formatDuration, formatReportCsv, formatReportJson, formatReportMarkdown } from '../../src/report/render'
import { ALL_COLORS } from '../../src/report/internal/palette'
import { right } from '../_either'
import { arbJourneys, reduceBoth, settings, sum } from './_helpers'

const MODELS = ['first', 'last', 'linear', 'markov'] as const
const reportOf = (journeys: ReadonlyArray<Journey>, replicates = 0, costs = true): Report =>
  right(
    pipe(
      reduceBoth(journeys, settings({ replicates })),
      buildReport({ models: [...MODELS], ...(costs ? { costs: { channels: Object.fromEntries([...new Set(journeys.flatMap((j) => j.channels))].map((c, i) => [c, 100 * (i + 1)])), periods: ['2026-10'] } } : {}) }),
    ),
  )

const parseCsv = (text: string) => {
  const r = csvReader()
  const records = [...r.push(text), ...r.end()]
  expect(records.some(isCsvProblem)).toBe(false)
  return records.map((x) => (isCsvProblem(x) ? [] : x.fields))
}

/** Cells of a Markdown table row, splitting on pipes that are not escaped. */
const mdCells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/)

const weird = fc.constantFrom('<x-inject>', 'a|b', 'q"uote', "it's", 'amp&er', 'comma, here', 'plain')
const arbWeirdJourneys = fc
  .array(fc.record({ channels: fc.array(weird, { minLength: 1, maxLength: 4 }), conversions: fc.integer({ min: 0, max: 3 }), nulls: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 12 })
  .map((js) => js.map((j) => ({ ...j, value: j.conversions * 7 })))
  .filter((js) => js.some((j) => j.conversions > 0))

describe('render', () => {
  test.prop([arbJourneys(15)], { numRuns: 30 })('JSON holds the whole report', (journeys) => {
    const r = reportOf(journeys, 3)
    const parsed = JSON.parse(formatReportJson(r)) as Report
    expect(parsed.touchpoints.map((t) => t.channel)).toEqual(r.touchpoints.map((t) => t.channel))
    expect(parsed.totals.conversions).toBeCloseTo(r.totals.conversions, 9)
    expect(parsed.touchpoints[0]!.credits['markov']!.conversions).toBeCloseTo(r.touchpoints[0]!.credits['markov']!.conversions, 9)
  })

  test.prop([arbWeirdJourneys], { numRuns: 40 })('CSV tables: one header, one row per item, every row as wide as the header; credits add up', (journeys) => {
    const r = reportOf(journeys, 3)
    const rows = parseCsv(formatReportCsv('touchpoints')(r))
    expect(rows.length).toBe(r.touchpoints.length + 1)
    for (const row of rows) expect(row.length).toBe(rows[0]!.length)
    expect(rows.slice(1).map((x) => x[0])).toEqual(r.touchpoints.map((t) => t.channel))
    const col = rows[0]!.indexOf('markov_conversions')
    expect(sum(rows.slice(1).map((x) => Number(x[col])))).toBeCloseTo(r.totals.conversions, 6)
    expect(rows[0]).toContain('last_cost_per_conversion')
    for (const t of ['stages', 'paths', 'transitions', 'opportunities'] as const) {
      const tr = parseCsv(formatReportCsv(t)(r))
      for (const row of tr) expect(row.length).toBe(tr[0]!.length)
    }
  })

  test.prop([arbWeirdJourneys], { numRuns: 40 })('Markdown tables keep their columns whatever the channel names', (journeys) => {
    const md = formatReportMarkdown(reportOf(journeys, 3))
    const lines = md.split('\n')
    let width = 0
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0
        continue
      }
      const n = mdCells(line).length
      if (width === 0) width = n
      expect(n).toBe(width)
    }
    expect(md).not.toContain('<x-inject>')
  })

  test.prop([arbWeirdJourneys], { numRuns: 40 })('HTML escapes channel names everywhere', (journeys) => {
    const html = formatReportHtml(reportOf(journeys, 3), { title: '<x-inject> & co' })
    expect(html).not.toContain('<x-inject>')
    expect(html).toContain('&lt;x-inject&gt;')
    // Attribute values stay closed: a quote from a name would leave text right after the closing quote.
    expect(html).not.toMatch(/="[^"]*"[^\s>/]/)
    // Every & starts an entity.
    expect(html.replace(/<script>[\s\S]*<\/script>/, '')).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/)
  })

  it('HTML is self-contained: no network, no external script or style, every chart present', () => {
    const T = 1_800_000_000_000
    const journeys: Array<Journey> = Array.from({ length: 60 }, (_, i) => ({
      channels: [['display', 'search', 'email'][i % 3]!, 'store'],
      times: [T + i * 1000, T + i * 1000 + 500],
      conversions: i % 2,
      value: (i % 2) * 10,
      nulls: 1 - (i % 2),
      ...(i % 2 === 1 ? { conversionTime: T + i * 1000 + 900 } : {}),
    }))
    const html = formatReportHtml(reportOf(journeys, 10))
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/\s(src|href)=/)
    expect(html).not.toMatch(/@import|url\(/)
    for (const chart of ['credit', 'roles', 'funnel', 'flow', 'lengths', 'time', 'cost']) expect(html).toContain(`data-chart="${chart}"`)
    expect(formatReportHtml(reportOf(journeys, 0, false))).not.toContain('data-chart="cost"')
    expect(formatReportHtml(reportOf([{ channels: ['a'], conversions: 1, value: 1, nulls: 0 }]))).not.toContain('data-chart="time"')
  })

  describe('the HTML page a touchpoint owner reads', () => {
    const T = 1_800_000_000_000
    // Paths (no times) with one free channel, one paid channel far above the average cost, big amounts.
    const paths: Array<Journey> = [
      ...Array.from({ length: 40 }, (_, i) => ({ channels: ['search_organic', 'checkout'], conversions: i % 2, value: (i % 2) * 1234.5, nulls: 1 - (i % 2) })),
      ...Array.from({ length: 40 }, (_, i) => ({ channels: ['video', 'checkout'], conversions: i % 8 === 0 ? 1 : 0, value: i % 8 === 0 ? 900 : 0, nulls: i % 8 === 0 ? 0 : 1 })),
      ...Array.from({ length: 40 }, (_, i) => ({ channels: ['display', 'search_organic'], conversions: i % 3 === 0 ? 1 : 0, value: 50, nulls: i % 3 === 0 ? 0 : 1 })),
    ]
    const costs = { channels: { search_organic: 0, video: 123_456.78, display: 2_500, checkout: 1_000 }, periods: ['2026-10'] }
    const report = right(pipe(reduceBoth(paths, settings({ replicates: 40 })), buildReport({ models: [...MODELS], costs })))
    const html = formatReportHtml(report, { currency: 'EUR' })
    const sectionOf = (heading: string) => {
      const at = html.indexOf(`<h2>${heading}</h2>`)
      expect(at, heading).toBeGreaterThan(0)
      return html.slice(at, html.indexOf('</section>', at))
    }

    it('starts with what to do: the actions come before every other section, grouped, not numbered', () => {
      const first = html.indexOf('<section')
      expect(html.slice(first, first + 40)).toContain('id="actions"')
      expect(report.actions.length).toBeGreaterThan(0)
      const actions = sectionOf('What to do')
      expect(actions).not.toContain('<ol')
      expect((actions.match(/<li data-action=/g) ?? []).length).toBe(report.actions.length)
      expect(actions).toContain('<b>video</b>')
      expect(html).not.toContain('What to improve first')
      // The free channel is never told to scale up or cut.
      expect(actions).not.toMatch(/data-action="(Scale|Cut)"><b>search_organic</)
    })

    it('the map: right after the actions, a column per stage with touchpoints, each touchpoint one card in its stage', () => {
      const order = ['id="actions"', 'id="map"', '<h2>Credit by model per touchpoint</h2>'].map((x) => html.indexOf(x))
      expect(order[0]).toBeGreaterThan(0)
      expect(order).toEqual([...order].sort((a, b) => a - b))
      const map = html.slice(order[1], html.indexOf('</section>', order[1]))
      const stages = [...map.matchAll(/<div class="stage" data-stage="([^"]*)"/g)].map((m) => m[1])
      expect(stages).toEqual(report.stages.filter((s) => s.channels.length > 0).map((s) => s.stage))
      for (const t of report.touchpoints) {
        const cards = [...map.matchAll(new RegExp(`<div class="card" data-channel="${t.channel}"(?: data-medium="(?:online|offline)")?>(.*?)</div>`, 'g'))]
        expect(cards, t.channel).toHaveLength(1)
        const column = map.lastIndexOf('<div class="stage" data-stage="', cards[0]!.index)
        expect(map.slice(column, column + 60)).toContain(`data-stage="${t.stage}"`)
        const c = t.credits[report.referenceModel]!
        expect(cards[0]![1]).toContain(`reach ${t.journeys} journeys`)
        expect(cards[0]![1]).toContain(`${c.conversions.toFixed(1)} [${c.interval!.lower.toFixed(1)}–${c.interval!.upper.toFixed(1)}] conversions`)
        expect(cards[0]![1]).toContain((t.cost?.cost ?? 0) > 0 ? 'cost €' : 'unpaid')
        for (const a of report.actions.filter((x) => x.channel === t.channel)) expect(cards[0]![1]).toContain(`data-action="${a._tag}"`)
      }
    })

    it('amounts carry the currency and thousands separators; unpaid channels have no cost per conversion', () => {
      expect(html).toContain('€123,456.78')
      expect(html).not.toMatch(/\b123456\.78\b/)
      const cost = sectionOf('Cost')
      expect(cost).toContain('Unpaid (no cost): search_organic.')
      expect(cost).not.toMatch(/<td>search_organic<\/td>/)
      expect(cost).not.toContain('€0.00')
      expect(formatReportHtml(report, { currency: 'EUR', locale: 'de-DE' })).toContain('123.456,78\u00a0€')
    })

    it('one meaning per colour: the palette repeats no colour, every fill comes from it, legends agree page-wide', () => {
      const colors = ALL_COLORS.map(([, c]) => c.toLowerCase())
      expect(new Set(colors).size).toBe(colors.length)
      const known = new Set([...colors, '#ffffff'])
      // Shapes (text takes dark or white for contrast, which is no data colour).
      const fills = [...html.matchAll(/<(?:rect|path)[^>]*fill="(#[0-9a-fA-F]{6})"/g)].map((m) => m[1]!.toLowerCase())
      expect(fills.length).toBeGreaterThan(50)
      for (const c of fills) expect(known, c).toContain(c)
      const byColor = new Map<string, string>()
      const byLabel = new Map<string, string>()
      for (const m of html.matchAll(/<rect class="key" data-key="([^"]*)"[^>]*fill="(#[0-9a-f]{6})"/g)) {
        const [label, color] = [m[1]!, m[2]!]
        expect(byColor.get(color) ?? label, color).toBe(label)
        expect(byLabel.get(label) ?? color, label).toBe(color)
        byColor.set(color, label)
        byLabel.set(label, color)
      }
      expect(byColor.size).toBeGreaterThanOrEqual(MODELS.length + 4 + 2)
    })

    it('path data: no time column of dashes; the transitions table has a heading; the path-length chart has y values', () => {
      expect(html).not.toContain('time to conversion (median')
      expect(sectionOf('Journey flow')).toContain('<h3>Top transitions between touchpoints</h3>')
      const lengths = html.slice(html.indexOf('data-chart="lengths"'), html.indexOf('</svg>', html.indexOf('data-chart="lengths"')))
      const ticks = [...lengths.matchAll(/class="small axis">([^<]*)</g)].map((m) => Number(m[1]!.replace(/,/g, '')))
      expect(ticks[0]).toBe(0)
      expect(ticks.length).toBeGreaterThanOrEqual(3)
      expect(Math.max(...ticks)).toBeLessThanOrEqual(Math.max(...report.paths.lengths.map((l) => l.conversions + l.nulls)))
    })

    it('the funnel: numbers beside the bars say what the bars show; stages no touchpoint maps to get no bar', () => {
      const funnel = html.slice(html.indexOf('data-chart="funnel"'), html.indexOf('</svg>', html.indexOf('data-chart="funnel"')))
      const drawn = report.stages.filter((s) => s.stage !== '(unmapped)' && s.channels.length > 0)
      expect(report.stages.some((s) => s.channels.length === 0)).toBe(true)
      const counts = [...funnel.matchAll(/class="small strong funnel-count">([\d,]+) got this far/g)].map((m) => Number(m[1]!.replace(/,/g, '')))
      expect(counts).toEqual(drawn.map((s) => s.reachedOrBeyond))
      for (const s of report.stages.filter((x) => x.channels.length === 0)) expect(funnel).not.toContain(`>${s.stage}<`)
    })

    it('event data keeps the time column', () => {
      const events: Array<Journey> = Array.from({ length: 30 }, (_, i) => ({ channels: ['display', 'store'], times: [T + i, T + i + 500], conversions: i % 2, value: 1, nulls: 1 - (i % 2), ...(i % 2 === 1 ? { conversionTime: T + i + 900 } : {}) }))
      expect(formatReportHtml(reportOf(events, 0))).toContain('time to conversion (median')
    })
  })

  it('durations read as people say them', () => {
    expect([850, 42_000, 18 * 60_000, 5.2 * 3_600_000, 3.4 * 86_400_000].map(formatDuration)).toEqual(['850 ms', '42 s', '18 min', '5.2 h', '3.4 d'])
  })
})

describe('Markdown survey and experiment tables', () => {
  const base = reportOf([{ channels: ['a', 'b'], conversions: 2, nulls: 3, value: 10 }, { channels: ['b'], conversions: 1, nulls: 1, value: 5 }], 3)
  const triple = /^([+-]?[\d,.]+)(%?) \[([+-]?[\d,.]+)%?, ([+-]?[\d,.]+)%?\]$/
  const parse = (cell: string) => {
    const m = triple.exec(cell.trim())
    expect(m, cell).not.toBeNull()
    const n = (s: string) => Number(s.replace(/,/g, ''))
    return [n(m![1]!), n(m![3]!), n(m![4]!)]
  }
  const table = (md: string, heading: string) => {
    const from = md.split('\n').indexOf(heading)
    if (from < 0) return undefined
    const lines = md.split('\n').slice(from)
    const start = lines.findIndex((l) => l.startsWith('|'))
    const rows: Array<ReadonlyArray<string>> = []
    for (const l of lines.slice(start)) {
      if (!l.startsWith('|')) break
      rows.push(mdCells(l).map((c) => c.trim()))
    }
    return rows
  }
  const arbScore = fc.record({
    measure: fc.constantFrom('nps' as const, 'csat' as const),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    c: fc.double({ min: 0, max: 1, noNaN: true }),
    responses: fc.integer({ min: 1, max: 100000 }),
    versus: fc.option(fc.record({ difference: fc.double({ min: -1, max: 1, noNaN: true }), pValue: fc.double({ min: 0, max: 1, noNaN: true }) }), { nil: undefined }),
  }).map(({ measure, a, b, c, responses, versus }) => {
    const [lower, score, upper] = [a, b, c].sort((x, y) => x - y).map((x) => (measure === 'nps' ? 200 * x - 100 : x)) as [number, number, number]
    const scale = measure === 'nps' ? 200 : 1
    return { measure, score, lower, upper, responses, scale: measure === 'nps' ? '0-10' : '1-5', ...(versus === undefined ? {} : { versusOthers: { difference: versus.difference * scale, lower: 0, upper: 0, pValue: versus.pValue, others: 10 } }) }
  })
  const arbExperiment = fc.record({
    name: weird,
    kind: fc.constantFrom('binomial' as const, 'continuous' as const),
    lift: fc.array(fc.double({ min: -1, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
    rate: fc.option(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 3, maxLength: 3 }), { nil: undefined }),
    pValue: fc.double({ min: 0, max: 1, noNaN: true }),
    metric: fc.option(weird, { nil: undefined }),
  })

  const experimentsOf = (tests: ReadonlyArray<readonly [string, typeof arbExperiment extends fc.Arbitrary<infer X> ? X : never]>) =>
    tests.map(([touchpoint, x]) => {
        const [ll, lv, lu] = [...x.lift].sort((p, q) => p - q) as [number, number, number]
        const rate = x.rate === undefined ? undefined : ([...x.rate].sort((p, q) => p - q) as [number, number, number])
        return {
          touchpoint, name: x.name, kind: x.kind, type: 'relative' as const, level: 0.95, pValue: x.pValue,
          holdout: { name: 'holdout', units: 100, mean: 0.1 }, exposed: { name: 'exposed', units: 100, mean: 0.12 },
          lift: { value: lv, lower: ll, upper: lu },
          ...(x.metric === undefined ? {} : { metric: x.metric }),
          ...(rate === undefined ? {} : { rateChange: { value: rate[1], lower: rate[0], upper: rate[2] }, rateChangeLevel: 0.975 }),
        }
      })

  test.prop([fc.dictionary(weird, arbScore, { minKeys: 1 }), fc.uniqueArray(fc.tuple(weird, arbExperiment), { selector: (x) => x[0], minLength: 1, maxLength: 5 })], { numRuns: 60 })(
    'one row per surveyed touchpoint and per experiment, with the numbers of the report rounded',
    (satisfaction, tests) => {
      const experiments = experimentsOf(tests)
      const md = formatReportMarkdown({ ...base, satisfaction, experiments })
      const surveys = table(md, '## Surveys')!
      const names = Object.keys(satisfaction).sort((p, q) => (p < q ? -1 : p > q ? 1 : 0))
      expect(surveys.length).toBe(names.length + 2)
      surveys.slice(2).forEach((row, i) => {
        expect(row.length).toBe(surveys[0]!.length)
        const s = satisfaction[names[i]!]!
        expect(row[0]!.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toBe(names[i])
        const k = s.measure === 'csat' ? 100 : 1
        parse(row[3]!).forEach((v, j) => expect(Math.abs(v - k * [s.score, s.lower, s.upper][j]!)).toBeLessThanOrEqual(0.05 + 1e-9))
        expect(row[4]).toBe(s.responses.toLocaleString('en-US'))
        if (s.versusOthers === undefined) expect(row[5]).toBe('–')
        else expect(Math.abs(Number(row[5]!.replace(/,/g, '')) - (s.measure === 'csat' ? 100 : 1) * s.versusOthers.difference)).toBeLessThanOrEqual(0.05 + 1e-9)
      })
      const xs = table(md, '## Experiments')!
      expect(xs.length).toBe(experiments.length + 2)
      const header = xs[0]!
      const at = (name: string) => header.indexOf(name)
      xs.slice(2).forEach((row, i) => {
        const x = experiments[i]!
        expect(row.length).toBe(header.length)
        parse(row[at('lift [interval]')]!).forEach((v, j) => expect(Math.abs(v - 100 * [x.lift.value, x.lift.lower, x.lift.upper][j]!)).toBeLessThanOrEqual(0.05 + 1e-9))
        if (x.rateChange !== undefined) {
          parse(row[at('rate change, points [interval]')]!).forEach((v, j) => expect(Math.abs(v - 100 * [x.rateChange!.value, x.rateChange!.lower, x.rateChange!.upper][j]!)).toBeLessThanOrEqual(0.005 + 1e-9))
          expect(row[header.lastIndexOf('level')]).toBe('97.5%')
        }
      })
    },
  )

  /** The rows of the table in `<section id="…">`: each cell's raw HTML. */
  const htmlRows = (html: string, id: string) => {
    const from = html.indexOf(`<section id="${id}">`)
    if (from < 0) return undefined
    const section = html.slice(from, html.indexOf('</section>', from))
    return [...section.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]!))
  }
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

  test.prop([fc.dictionary(weird, arbScore, { minKeys: 1 }), fc.uniqueArray(fc.tuple(weird, arbExperiment), { selector: (x) => x[0], minLength: 1, maxLength: 5 })], { numRuns: 60 })(
    'HTML: the same tables as the Markdown (one row per surveyed touchpoint and per experiment, same cells), every text escaped',
    (satisfaction, tests) => {
      const experiments = experimentsOf(tests)
      const report = { ...base, satisfaction, experiments }
      const html = formatReportHtml(report)
      const md = formatReportMarkdown(report)
      for (const [id, heading] of [['surveys', '## Surveys'], ['experiments', '## Experiments']] as const) {
        const rows = htmlRows(html, id)!
        const mdRows = table(md, heading)!
        expect(rows.length).toBe(mdRows.length - 1) // no alignment row
        for (const cell of rows.flat()) expect(cell, cell).toMatch(/^(?:[^<>"'&]|&(?:lt|gt|quot|#39|amp);)*$/)
        // Markdown cells unescaped (\| and &lt;) equal the HTML cells unescaped: the same columns and numbers.
        const fromMd = [mdRows[0]!, ...mdRows.slice(2)].map((r) => r.map((c) => c.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>')))
        expect(rows.map((r) => r.map(unescape))).toEqual(fromMd)
      }
      const names = Object.keys(satisfaction).sort((p, q) => (p < q ? -1 : p > q ? 1 : 0))
      expect(htmlRows(html, 'surveys')!.slice(1).map((r) => unescape(r[0]!))).toEqual(names)
      expect(htmlRows(html, 'experiments')!.slice(1).map((r) => [unescape(r[0]!), unescape(r[1]!)])).toEqual(experiments.map((x) => [x.touchpoint, x.name]))
    },
  )

  it('HTML without surveys or experiments has neither section', () => {
    const html = formatReportHtml(base)
    expect(html).not.toContain('id="surveys"')
    expect(html).not.toContain('id="experiments"')
  })

  test.prop([fc.anything(), fc.anything()], { numRuns: 200 })('whatever a plain-JavaScript caller puts there, the Markdown and the HTML are text, never a throw', (satisfaction, experiments) => {
    expect(typeof formatReportMarkdown({ ...base, satisfaction, experiments } as never)).toBe('string')
    expect(formatReportHtml({ ...base, satisfaction, experiments } as never)).toMatch(/^<!doctype html>/)
  })

  it('without surveys or experiments the sections are left out', () => {
    const md = formatReportMarkdown(base)
    expect(md).not.toContain('## Surveys')
    expect(md).not.toContain('## Experiments')
  })
})

describe('a report with no conversion', () => {
  it('with no conversion, the Markdown says so under the credits, as the HTML does; with one, neither says it', () => {
    const none = right(pipe(reduceBoth([{ channels: ['email'], conversions: 0, value: 0, nulls: 2 }]), buildReport({ models: [...MODELS] })))
    const markdown = formatReportMarkdown(none)
    const credits = markdown.slice(markdown.indexOf('## Credit by model'))
    expect(credits.split('\n')[4]).toBe('No conversions: no model has credit to give (the Markov model, which needs one, is left out).')
    expect(formatReportHtml(none)).toContain('No conversions: no model has credit to give (the Markov model, which needs one, is left out).')
    const some = reportOf([{ channels: ['email'], conversions: 1, value: 5, nulls: 1 }])
    expect(formatReportMarkdown(some)).not.toContain('No conversions')
    expect(formatReportHtml(some)).not.toContain('No conversions')
  })
})
