/**
 * Corrected intervals stay finite: a slice whose Holm (or Benjamini–Hochberg) corrected p-value is 1 printed
 * (-∞, ∞), since the back-solved interval divides by the normal quantile of 1/2, which is 0. Its interval is
 * then the Bonferroni one (a simultaneous interval at 1 − (1 − level)/m, which contains 0 whenever the corrected
 * p-value is 1). And the summary writes one minus sign, ASCII, as the effects do.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { orThrow } from '../_engines'
import { analyzeStatistics } from '../../src/experiments/analysis'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { MetricStatistics } from '../../src/experiments/model'
import { buildReports, formatReports } from '../../src/experiments/report'

const metrics = (() => {
  const m = decodeMetrics({ metrics: [{ name: 'a', kind: 'binomial', events: ['x'] }, { name: 'b', kind: 'binomial', events: ['y'] }] })
  if (E.isLeft(m)) throw new Error('metrics')
  return m.right
})()

const stats = (metric: string, c: number, t: number): MetricStatistics => ({
  experiment: 'e',
  metric,
  control: 'control',
  arms: [
    { name: 'control', units: 1000, conversions: c },
    { name: 'green', units: 1000, conversions: t },
  ],
  multipleExposures: 0,
})

const treatments = (s: ReadonlyArray<MetricStatistics>, correction: 'holm' | 'benjamini-hochberg') =>
  orThrow(analyzeStatistics(metrics, { correction, type: 'relative' })(s)).flatMap((r) => (r.outcome._tag === 'Analyzed' ? r.outcome.treatments : []))

describe('corrected intervals', () => {
  it('a corrected p-value of 1 (equal arms) gives a finite interval around 0, not (-inf, inf)', () => {
    for (const correction of ['holm', 'benjamini-hochberg'] as const) {
      const ts = treatments([stats('a', 100, 100), stats('b', 100, 160)], correction)
      expect(ts[0]!.familyPValue).toBe(1)
      expect(Number.isFinite(ts[0]!.interval.lower) && Number.isFinite(ts[0]!.interval.upper)).toBe(true)
      expect(ts[0]!.interval.lower).toBeLessThan(0)
      expect(ts[0]!.interval.upper).toBeGreaterThan(0)
    }
  })

  test.prop([fc.integer({ min: 50, max: 200 }), fc.integer({ min: 50, max: 200 }), fc.integer({ min: 50, max: 200 }), fc.integer({ min: 50, max: 200 })])(
    'every Holm interval is finite, holds the estimate, and holds 0 exactly when the slice is not significant',
    (a, b, c, d) => {
      for (const t of treatments([stats('a', a, b), stats('b', c, d)], 'holm')) {
        expect(Number.isFinite(t.interval.lower) && Number.isFinite(t.interval.upper)).toBe(true)
        expect(t.interval.lower).toBeLessThanOrEqual(t.estimate)
        expect(t.interval.upper).toBeGreaterThanOrEqual(t.estimate)
        if (t.familyPValue >= 0.05) expect(t.interval.lower <= 0 && t.interval.upper >= 0).toBe(true)
      }
    },
  )

  it('the summary prints no infinite interval and one kind of minus sign', () => {
    const text = formatReports('text')(orThrow(buildReports()(orThrow(analyzeStatistics(metrics, { correction: 'holm', type: 'relative' })([stats('a', 100, 100), stats('b', 160, 100)])))))
    expect(text).not.toContain('∞')
    expect(text).not.toContain('\u2212')
    expect(text).toContain('-')
  })
})
