import { fc, test } from '@fast-check/vitest'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { BINS_PER_DECADE, addToCounts, binEdges, binOf, durationSummary, histogramQuantile, histogramTotal, mergeHistograms } from '../../src/report/histogram'

const RATIO = 10 ** (1 / BINS_PER_DECADE)
const arbMs = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 200 * 86_400_000 }))

const histogramOf = (xs: ReadonlyArray<number>) => {
  const counts: Array<number> = []
  for (const x of xs) addToCounts(counts, x, 1)
  return { counts }
}

/** Exact order statistic at rank ceil(q n) (the value below which q of the weight lies). */
const exactQuantile = (xs: ReadonlyArray<number>, q: number): number => {
  const s = xs.slice().sort((a, b) => a - b)
  return s[Math.max(0, Math.ceil(q * s.length) - 1)]!
}

describe('histogram', () => {
  test.prop([arbMs])('a duration lies within the edges of its bin', (ms) => {
    const [lo, hi] = binEdges(binOf(ms))
    expect(ms).toBeGreaterThanOrEqual(lo * (1 - 1e-12))
    expect(ms).toBeLessThan(hi * (1 + 1e-12))
  })

  it('bins are 40 per decade above one second', () => {
    expect(binOf(999)).toBe(0)
    expect(binOf(1000)).toBe(1)
    expect(binOf(10_000)).toBe(1 + BINS_PER_DECADE)
    expect(binEdges(5)[1] / binEdges(5)[0]).toBeCloseTo(RATIO, 12)
  })

  test.prop([fc.array(arbMs, { minLength: 1, maxLength: 200 }), fc.constantFrom(0.1, 0.25, 0.5, 0.75, 0.9)])(
    'a quantile lies in the bin of the exact sample quantile (within a factor 1.0593 above 1 s)',
    (xs, q) => {
      const h = histogramOf(xs)
      const est = histogramQuantile(q)(h)!
      const exact = exactQuantile(xs, q)
      const [lo, hi] = binEdges(binOf(exact))
      expect(est).toBeGreaterThanOrEqual(lo * (1 - 1e-9))
      expect(est).toBeLessThanOrEqual(hi * (1 + 1e-9))
      if (exact >= 1000) expect(Math.max(est / exact, exact / est)).toBeLessThanOrEqual(RATIO * (1 + 1e-9))
    },
  )

  test.prop([fc.array(arbMs, { maxLength: 60 }), fc.array(arbMs, { maxLength: 60 })])('histograms of two parts merge into the histogram of the whole', (a, b) => {
    const merged = pipe(histogramOf(a), mergeHistograms(histogramOf(b)))
    const whole = histogramOf([...a, ...b])
    expect(merged.counts.length === 0 ? [] : merged.counts).toEqual(whole.counts.concat(new Array(Math.max(0, merged.counts.length - whole.counts.length)).fill(0)))
    expect(histogramTotal(merged)).toBe(a.length + b.length)
  })

  test.prop([fc.array(arbMs, { minLength: 1, maxLength: 100 })])('summary quantiles are ordered', (xs) => {
    const d = durationSummary(histogramOf(xs))!
    expect(d.count).toBe(xs.length)
    expect(d.p10).toBeLessThanOrEqual(d.p25)
    expect(d.p25).toBeLessThanOrEqual(d.median)
    expect(d.median).toBeLessThanOrEqual(d.p75)
    expect(d.p75).toBeLessThanOrEqual(d.p90)
  })

  it('an empty histogram has no quantiles', () => {
    expect(histogramQuantile(0.5)({ counts: [] })).toBeUndefined()
    expect(durationSummary({ counts: [0, 0] })).toBeUndefined()
  })
})
