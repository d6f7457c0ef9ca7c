import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-bayesian.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything } from '../../_statsArbitraries'
import { betaBinomial } from '../../../src/stats/bayesian/betaBinomial'
import { probabilityGreater, quadrature } from '../../../src/stats/internal/betaComparison'

describe('betaBinomial against 50-digit mpmath and scipy beta.ppf', () => {
  it('P(B > A) to 1e-8 absolute (also at a million units per arm), expected losses and credible intervals', () => {
    expect(golden.betaBinomial.some((c) => c.control.units === 1_000_000)).toBe(true)
    for (const c of golden.betaBinomial) {
      const r = right(betaBinomial({ prior: c.prior, draws: 1000 })({ control: c.control, treatment: c.treatment }))
      const label = JSON.stringify([c.control, c.treatment, c.prior])
      expectClose('betaBinomial.probabilityTreatmentBetter', r.probabilityTreatmentBetter, c.probabilityTreatmentBetter, { abs: 1e-8 }, label)
      expectClose('betaBinomial.expectedLoss', r.expectedLoss.shipTreatment, c.expectedLoss.shipTreatment, { rel: 1e-6, abs: 1e-12 }, label)
      expectClose('betaBinomial.expectedLoss', r.expectedLoss.keepControl, c.expectedLoss.keepControl, { rel: 1e-6, abs: 1e-12 }, label)
      expectClose('betaBinomial.interval', r.control.interval.lower, c.controlInterval[0]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.control.interval.upper, c.controlInterval[1]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.treatment.interval.lower, c.treatmentInterval[0]!, { rel: 1e-9 }, label)
      expectClose('betaBinomial.interval', r.treatment.interval.upper, c.treatmentInterval[1]!, { rel: 1e-9 }, label)
      expect(r.method).toBe(Number.isInteger(c.prior.alpha) ? 'closed-form' : 'quadrature')
    }
  })
})

const arbLaw = fc.record({ alpha: fc.integer({ min: 1, max: 5000 }), beta: fc.integer({ min: 1, max: 5000 }) })
const arbHalfLaw = arbLaw.map(({ alpha, beta }) => ({ alpha: alpha - 0.5, beta: beta + 0.5 }))

describe('P(X > Y) properties', () => {
  test.prop([arbLaw, arbLaw])('P(X > Y) + P(Y > X) = 1 whichever sum is used', (x, y) => {
    const p = probabilityGreater(x, y).probability
    const q = probabilityGreater(y, x).probability
    expect(p).toBeGreaterThanOrEqual(0)
    expect(p).toBeLessThanOrEqual(1)
    expect(Math.abs(p + q - 1)).toBeLessThan(1e-10)
  })

  test.prop([arbLaw, arbLaw])('the quadrature agrees with the closed form where both apply', (x, y) => {
    expect(Math.abs(quadrature(x, y) - probabilityGreater(x, y).probability)).toBeLessThan(1e-9)
  })

  test.prop([arbHalfLaw, arbHalfLaw])('without an integer shape the quadrature is used, and P(X > Y) + P(Y > X) = 1', (x, y) => {
    const p = probabilityGreater(x, y)
    expect(p.method).toBe('quadrature')
    expect(Math.abs(p.probability + probabilityGreater(y, x).probability - 1)).toBeLessThan(1e-9)
  })

  test.prop([arbLaw])('a law against itself is a coin flip', (x) => {
    expect(Math.abs(probabilityGreater(x, x).probability - 0.5)).toBeLessThan(1e-10)
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

  it('bad priors and arms are Lefts', () => {
    const arms = { control: { units: 10, conversions: 1 }, treatment: { units: 10, conversions: 2 } }
    expect(leftTag(betaBinomial({ prior: { alpha: 0, beta: 1 } })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial({ prior: { alpha: Number.NaN, beta: 1 } })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial({ draws: 5 })(arms))).toBe('InvalidInput')
    expect(leftTag(betaBinomial()({ ...arms, control: { units: 0, conversions: 0 } }))).toBe('InsufficientData')
  })
})
