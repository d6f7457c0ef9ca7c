import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-bayesian.json'
import tails from '../../golden/stats-tails.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything } from '../../_statsArbitraries'
import { betaBinomial } from '../../../src/stats/bayesian/betaBinomial'
import { compareBetas, compareByQuadrature } from '../../../src/stats/internal/betaComparison'

describe('betaBinomial against 50-digit mpmath and scipy beta.ppf', () => {
  it('P(B > A), expected losses and credible intervals to 1e-9 relative (also at a million units per arm)', () => {
    expect(golden.betaBinomial.some((c) => c.control.units === 1_000_000)).toBe(true)
    for (const c of golden.betaBinomial) {
      const r = right(betaBinomial({ prior: c.prior, draws: 1000 })({ control: c.control, treatment: c.treatment }))
      const label = JSON.stringify([c.control, c.treatment, c.prior])
      expectClose('betaBinomial.probabilityTreatmentBetter', r.probabilityTreatmentBetter, c.probabilityTreatmentBetter, { rel: 1e-9 }, label)
      expectClose('betaBinomial.expectedLoss', r.expectedLoss.shipTreatment, c.expectedLoss.shipTreatment, { rel: 1e-9 }, label)
      expectClose('betaBinomial.expectedLoss', r.expectedLoss.keepControl, c.expectedLoss.keepControl, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.control.interval.lower, c.controlInterval[0]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.control.interval.upper, c.controlInterval[1]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.treatment.interval.lower, c.treatmentInterval[0]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.treatment.interval.upper, c.treatmentInterval[1]!, { rel: 1e-9 }, label)
      if (!Number.isInteger(c.prior.alpha)) expect(r.method).toBe('quadrature')
    }
  })
})

describe('P(X > Y) and expected losses in the tails and at 1e12 units (tests/golden/stats-tails.json, mpmath)', () => {
  it('1e-9 relative however small: 1e-179, 1e-97 (where 1 − sum gave rounding noise) and 1e12 units per arm', () => {
    expect(tails.betaComparisons.some((c) => c.probability < 1e-170)).toBe(true)
    expect(tails.betaComparisons.some((c) => c.x[1]! > 9e11)).toBe(true)
    for (const c of tails.betaComparisons) {
      const r = compareBetas({ alpha: c.x[0]!, beta: c.x[1]! }, { alpha: c.y[0]!, beta: c.y[1]! })
      const label = JSON.stringify([c.x, c.y])
      expectClose('compareBetas.probability', r.probability, c.probability, { rel: 1e-9 }, label)
      expectClose('compareBetas.excess', r.excess, c.excess, { rel: 1e-9 }, label)
      expectClose('compareBetas.shortfall', r.shortfall, c.shortfall, { rel: 1e-9 }, label)
    }
  })

  it('betaBinomial at 1e12 units per arm: P(B > A) of about 1e-179 and both losses, exact', () => {
    const c = tails.betaComparisons.find((x) => x.probability < 1e-170 && x.x[1]! > 9e11)!
    // The golden laws are posteriors under Beta(1, 1): conversions = alpha − 1, units = alpha + beta − 2.
    const arm = ([a, b]: ReadonlyArray<number>) => ({ units: a! + b! - 2, conversions: a! - 1 })
    const r = right(betaBinomial({ draws: 100 })({ control: arm(c.y), treatment: arm(c.x) }))
    expectClose('betaBinomial 1e12', r.probabilityTreatmentBetter, c.probability, { rel: 1e-9 })
    expectClose('betaBinomial 1e12', r.expectedLoss.keepControl, c.excess, { rel: 1e-9 })
    expectClose('betaBinomial 1e12', r.expectedLoss.shipTreatment, c.shortfall, { rel: 1e-9 })
  })
})

const arbLaw = fc.record({ alpha: fc.integer({ min: 1, max: 2000 }), beta: fc.integer({ min: 1, max: 2000 }) })
const arbHalfLaw = arbLaw.map(({ alpha, beta }) => ({ alpha: alpha - 0.5, beta: beta + 0.5 }))
const arbBigLaw = fc
  .record({ units: fc.integer({ min: 10_000, max: 2 ** 53 - 1 }), rate: fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }) })
  .map(({ units, rate }) => ({ alpha: Math.round(units * rate) + 1, beta: units - Math.round(units * rate) + 1 }))

describe('P(X > Y) properties', () => {
  test.prop([fc.oneof(arbLaw, arbHalfLaw, arbBigLaw), fc.oneof(arbLaw, arbHalfLaw, arbBigLaw)])(
    'P(X > Y) + P(Y > X) = 1, and E[(X − Y)⁺] − E[(Y − X)⁺] = E[X] − E[Y]',
    (x, y) => {
      const a = compareBetas(x, y)
      const b = compareBetas(y, x)
      expect(a.probability).toBeGreaterThanOrEqual(0)
      expect(a.probability).toBeLessThanOrEqual(1)
      expect(Math.abs(a.probability + b.probability - 1)).toBeLessThan(1e-12)
      expect(a.excess).toBe(b.shortfall)
      const mx = x.alpha / (x.alpha + x.beta)
      const my = y.alpha / (y.alpha + y.beta)
      // The gap of the two rounded means itself carries about 1e-16 of the larger mean.
      expect(Math.abs(a.excess - a.shortfall - (mx - my))).toBeLessThanOrEqual(1e-12 * Math.max(a.excess, a.shortfall) + 4e-16 * Math.max(mx, my))
    },
  )

  // To the 1e-9 relative the docs promise: the two were seen 2.7e-10 apart at 1.5e-103 (tests/stats/analyze.test.ts)
  // and beyond 1e-10 again with seed 931324803.
  // The pair is ordered by the laws' odds (the lower one first), so that in the tails the probability compared is
  // the small one. Both sides are P(first > second): away from the tails the smaller probability can be either side (seed
  // -650848631: Beta(10, 9) against Beta(561, 504), P = 0.50164 with the lower odds first), so the test must not
  // take it for granted.
  test.prop([arbLaw, arbLaw])('the quadrature agrees with the closed form to 1e-9 relative on the smaller probability', (x, y) => {
    const [first, second] = x.alpha * y.beta < y.alpha * x.beta ? [x, y] : [y, x]
    const closed = compareBetas(first, second, { excess: false }).probability
    const q = compareByQuadrature(first, second).probability
    if (closed > 1e-290) expectClose('quadrature vs closed form', q, closed, { rel: 1e-9, abs: 1e-15 })
  })

  test.prop([fc.oneof(arbLaw, arbHalfLaw, arbBigLaw)])('a law against itself is a coin flip with equal losses', (x) => {
    const c = compareBetas(x, x)
    expect(Math.abs(c.probability - 0.5)).toBeLessThan(1e-12)
    expect(c.excess).toBe(c.shortfall)
  })
})

describe('betaBinomial properties', () => {
  it('the Monte Carlo lift interval is reproducible by seed and covers the lift of the means', () => {
    const arms = { control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 130 } }
    const a = right(betaBinomial({ seed: 's', draws: 20_000 })(arms))
    const b = right(betaBinomial({ seed: 's', draws: 20_000 })(arms))
    const c = right(betaBinomial({ seed: 't', draws: 20_000 })(arms))
    expect(a.liftInterval).toEqual(b.liftInterval)
    expect(a.liftInterval).not.toEqual(c.liftInterval)
    const lift = a.treatment.mean / a.control.mean - 1
    expect(a.liftInterval.lower).toBeLessThan(lift)
    expect(a.liftInterval.upper).toBeGreaterThan(lift)
    expect(Math.abs(a.liftInterval.lower - c.liftInterval.lower)).toBeLessThan(6 * a.liftIntervalError)
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => betaBinomial({ draws: 100 })(u as never)).not.toThrow()
  })

  it('bad priors, options and arms are Lefts naming the field', () => {
    const arms = { control: { units: 10, conversions: 1 }, treatment: { units: 10, conversions: 2 } }
    expect(leftTag(betaBinomial({ prior: { alpha: 0, beta: 1 } })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial({ prior: { alpha: Number.NaN, beta: 1 } })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial({ draws: 5 })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial()({ ...arms, control: { units: 0, conversions: 0 } }))).toBe('InsufficientData')
    const paths = (e: ReturnType<ReturnType<typeof betaBinomial>>) => (e._tag === 'Left' && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path) : [])
    expect(paths(betaBinomial({ prior: { alpha: '1', beta: 1 } as never })(arms))).toEqual(['prior.alpha'])
    expect(paths(betaBinomial({ prior: { alpha: 1, beta: 1, gamma: 2 } as never })(arms))).toEqual(['prior.gamma'])
    expect(paths(betaBinomial({ level: '0.95' } as never)(arms))).toEqual(['level'])
    expect(paths(betaBinomial({ draw: 1000 } as never)(arms))).toEqual(['draw'])
  })
})
