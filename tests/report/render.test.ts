import { fc, test } from '@fast-check/vitest'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { csvReader, isCsvProblem } from '../../src/core/csv'
import type { Journey } from '../../src/attribution/model'
import { buildReport } from '../../src/report/build'
import { formatReportHtml } from '../../src/report/html'
import type { Report } from '../../src/report/model'
import { formatDuration, formatReportCsv, formatReportJson, formatReportMarkdown } from '../../src/report/render'
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

  it('durations read as people say them', () => {
    expect([850, 42_000, 18 * 60_000, 5.2 * 3_600_000, 3.4 * 86_400_000].map(formatDuration)).toEqual(['850 ms', '42 s', '18 min', '5.2 h', '3.4 d'])
  })
})
