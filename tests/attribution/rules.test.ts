import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { lastNonDirectIndex, positionalWeights, timeDecayWeights } from '../../src/attribution/rules'
import { DAY_MS, POSITION_SHAPES } from '../../src/attribution/model'
import golden from '../golden/attribution.json'
import { close, sum } from './_helpers'

describe('positionalWeights: the reference table (Google, Adobe)', () => {
  it('U-shaped 40/20/40', () => {
    expect(positionalWeights(POSITION_SHAPES.u)(1)).toEqual([1])
    expect(positionalWeights(POSITION_SHAPES.u)(2)).toEqual([0.5, 0.5])
    const w = positionalWeights(POSITION_SHAPES.u)(5)
    expect(w[0]).toBeCloseTo(0.4, 12)
    expect(w[4]).toBeCloseTo(0.4, 12)
    for (const m of w.slice(1, 4)) expect(m).toBeCloseTo(0.2 / 3, 12)
  })
  it('J-shaped and inverse J at two touches: .25/.75 and .75/.25 (Adobe; MAM would give .3/.7)', () => {
    const j = positionalWeights(POSITION_SHAPES.j)(2)
    expect(j[0]).toBeCloseTo(0.25, 12)
    expect(j[1]).toBeCloseTo(0.75, 12)
    const ij = positionalWeights(POSITION_SHAPES.inverse_j)(2)
    expect(ij[0]).toBeCloseTo(0.75, 12)
    expect(ij[1]).toBeCloseTo(0.25, 12)
  })
  it('J-shaped at n >= 3: first .2, last .6, middle .2/(n-2)', () => {
    const w = positionalWeights(POSITION_SHAPES.j)(4)
    expect(w.map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.2, 0.1, 0.1, 0.6])
  })
  it('custom weights need not sum to 100; f + l = 0 at two touches falls back to linear', () => {
    const w = positionalWeights({ first: 30, middle: 40, last: 30 })(3)
    expect(w.map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.3, 0.4, 0.3])
    expect(positionalWeights({ first: 0, middle: 1, last: 0 })(2)).toEqual([0.5, 0.5])
  })
  test.prop([
    fc.record({ first: fc.integer({ min: 0, max: 100 }), middle: fc.integer({ min: 0, max: 100 }), last: fc.integer({ min: 0, max: 100 }) }).filter((w) => w.first + w.middle + w.last > 0),
    fc.integer({ min: 1, max: 30 }),
  ])('weights are >= 0 and sum to 1 (n >= 3 needs f+m+l > 0, n = 2 falls back when f+l = 0)', (w, n) => {
    const ws = positionalWeights(w)(n)
    expect(ws).toHaveLength(n)
    for (const x of ws) expect(x).toBeGreaterThanOrEqual(0)
    expect(close(sum(ws), 1, 1e-12)).toBe(true)
  })
})

describe('positionalWeights: exact for decimal weights', () => {
  it('J-shaped at two touches is exactly [0.25, 0.75] (0.6 / (0.2 + 0.6) alone gives 0.7499999999999999)', () => {
    expect(positionalWeights(POSITION_SHAPES.j)(2)).toEqual([0.25, 0.75])
    expect(positionalWeights(POSITION_SHAPES.inverse_j)(2)).toEqual([0.75, 0.25])
    expect(positionalWeights(POSITION_SHAPES.j)(4)).toEqual([0.2, 0.1, 0.1, 0.6])
  })
  // Weights given as decimals (0.35, 12.5, 3) mean the ratios of those decimals: each weight is the one correctly
  // rounded quotient of integers, whatever the rounding of the decimals' sum.
  const decimal = fc.integer({ min: 0, max: 1000 })
  test.prop([fc.tuple(decimal, decimal, decimal).filter(([f, m, l]) => f + m + l > 0), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 12 })])(
    'each weight is the correctly rounded ratio of the decimals given',
    ([f, m, l], places, n) => {
      const scale = 10 ** places
      const ws = positionalWeights({ first: f / scale, middle: m / scale, last: l / scale })(n)
      const expected =
        n === 1 ? [1]
        : n === 2 ? (f + l === 0 ? [0.5, 0.5] : [f / (f + l), l / (f + l)])
        : [f / (f + m + l), ...Array.from({ length: n - 2 }, () => m / ((f + m + l) * (n - 2))), l / (f + m + l)]
      expect(ws).toEqual(expected)
    },
  )
})

describe('timeDecayWeights', () => {
  it('a sparse times array (a hole, [1, , 3]) gives [] like any other bad times, never NaN weights', () => {
    expect(timeDecayWeights(7 * DAY_MS)([1, , 3] as ReadonlyArray<number>)).toEqual([])
    expect(timeDecayWeights(7 * DAY_MS)([1, 2, 3])).toHaveLength(3)
  })
  it("Adobe's test vector: gaps 9, 6, 0, 0 days, 7-day half-life, $50 -> 6.92, 9.32, 16.88, 16.88", () => {
    const g = golden.adobeTimeDecay
    const w = timeDecayWeights(g.halfLifeDays * DAY_MS)(g.gapsDays.map((d) => -d * DAY_MS))
    w.forEach((x, i) => {
      expect(Math.round(x * g.value * 100) / 100).toBe(g.documented[i])
      expect(close(x * g.value, g.credits[i]!, 1e-12)).toBe(true)
    })
  })
  it("Google's table: a touch 8 days before gets half the credit of one 1 day before", () => {
    const [a, b] = timeDecayWeights(7 * DAY_MS)([-8 * DAY_MS, -1 * DAY_MS])
    expect(a! / b!).toBeCloseTo(0.5, 12)
  })
  test.prop([fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 1e10 })])(
    'weights are >= 0, sum to 1 and never decrease with time, even when the gaps underflow 2^-x',
    (times, h) => {
      const sorted = [...times].sort((a, b) => a - b)
      const w = timeDecayWeights(h)(sorted)
      expect(close(sum(w), 1, 1e-12)).toBe(true)
      w.forEach((x, i) => {
        expect(x).toBeGreaterThanOrEqual(0)
        if (i > 0) expect(x).toBeGreaterThanOrEqual(w[i - 1]!)
      })
    },
  )
})

describe('lastNonDirectIndex', () => {
  const isDirect = (c: string) => c === 'direct'
  it('skips direct touches, unless every touch is direct (GA4)', () => {
    expect(lastNonDirectIndex(isDirect)(['search', 'direct', 'direct'])).toBe(0)
    expect(lastNonDirectIndex(isDirect)(['direct', 'direct'])).toBe(1)
    expect(lastNonDirectIndex(isDirect)(['direct', 'email'])).toBe(1)
  })
})
