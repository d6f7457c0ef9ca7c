import { fc, test } from '@fast-check/vitest'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import type { ModelName } from '../../src/attribution/model'
import { buildReport } from '../../src/report/build'
import { formatReportHtml } from '../../src/report/html'
import { chartTail, CHART_ROWS, type ChartRow } from '../../src/report/internal/tail'
import { right } from '../_either'
import { reduceBoth, settings, sum } from './_helpers'

const MODELS: ReadonlyArray<ModelName> = ['first', 'linear']
const count = fc.integer({ min: 0, max: 1000 })
const arbRow = (i: number): fc.Arbitrary<ChartRow> =>
  fc.record({ a: fc.double({ min: 0, max: 100, noNaN: true }), b: fc.double({ min: 0, max: 100, noNaN: true }), roles: fc.tuple(count, count, count, count), cost: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }) }).map(({ a, b, roles, cost }) => {
    const total = sum(roles)
    const r = { introducer: roles[0], assister: roles[1], closer: roles[2], solo: roles[3] }
    return {
      channel: `t${i}`,
      credits: { first: { conversions: a, value: 2 * a, share: a / 1000 }, linear: { conversions: b, value: 2 * b, share: b / 1000, interval: { lower: b / 2, upper: b * 2 } } },
      roles: r,
      roleShares: { introducer: total > 0 ? r.introducer / total : 0, assister: total > 0 ? r.assister / total : 0, closer: total > 0 ? r.closer / total : 0, solo: total > 0 ? r.solo / total : 0 },
      ...(cost === undefined ? {} : { cost: { cost, costPerConversion: {}, returnOnSpend: {} } }),
    }
  })
const arbRows = fc.integer({ min: 0, max: 70 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbRow(i))))

describe('chartTail', () => {
  test.prop([arbRows, fc.integer({ min: 2, max: 40 })])('keeps the first limit − 1 rows as they are and adds up the rest: credits, roles and cost are conserved', (rows, limit) => {
    const out = chartTail(rows, MODELS, limit)
    expect(out.length).toBe(Math.min(rows.length, limit))
    if (rows.length <= limit) {
      expect(out).toBe(rows)
      return
    }
    expect(out.slice(0, limit - 1)).toEqual(rows.slice(0, limit - 1))
    const other = out[limit - 1]!
    expect(other.channel).toBe(`other (${rows.length - limit + 1} touchpoints)`)
    for (const m of MODELS) {
      expect(sum(out.map((t) => t.credits[m]!.conversions))).toBeCloseTo(sum(rows.map((t) => t.credits[m]!.conversions)), 6)
      expect(sum(out.map((t) => t.credits[m]!.share))).toBeCloseTo(sum(rows.map((t) => t.credits[m]!.share)), 9)
      expect(other.credits[m]!.interval).toBeUndefined() // a sum of intervals is no interval of the sum
    }
    for (const k of ['introducer', 'assister', 'closer', 'solo'] as const) expect(sum(out.map((t) => t.roles[k]))).toBe(sum(rows.map((t) => t.roles[k])))
    const touches = sum(Object.values(other.roles))
    expect(sum(Object.values(other.roleShares))).toBeCloseTo(touches > 0 ? 1 : 0, 12)
    expect(sum(out.map((t) => t.cost?.cost ?? 0))).toBeCloseTo(sum(rows.map((t) => t.cost?.cost ?? 0)), 3)
    expect(other.cost === undefined).toBe(rows.slice(limit - 1).every((t) => t.cost === undefined))
  })

  it(`the page's charts draw at most ${CHART_ROWS} rows; the tables keep every touchpoint`, () => {
    const channels = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`)
    const journeys = channels.map((c, i) => ({ channels: [c, channels[(i + 1) % 60]!], conversions: 1 + (i % 3), nulls: 1, value: 10 }))
    const report = right(pipe(reduceBoth(journeys, settings()), buildReport({ models: ['first', 'linear'], costs: { channels: Object.fromEntries(channels.map((c) => [c, 5])), periods: [] } })))
    const html = formatReportHtml(report)
    const chart = (name: string) => html.slice(html.indexOf(`data-chart="${name}"`), html.indexOf('</svg>', html.indexOf(`data-chart="${name}"`)))
    for (const name of ['credit', 'roles', 'cost']) {
      const labels = [...chart(name).matchAll(/text-anchor="end" dominant-baseline="middle"[^>]*>([^<]*)</g)].map((m) => m[1])
      expect(labels.length, name).toBe(CHART_ROWS)
      expect(labels[CHART_ROWS - 1], name).toBe(`other (${60 - CHART_ROWS + 1} touchpoints)`)
    }
    expect(html).toContain(`the charts show the first ${CHART_ROWS - 1} and add up the other ${60 - CHART_ROWS + 1} in one row`)
    for (const c of channels) expect(html).toContain(`<td>${c}</td>`)
  })
})
