import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { leftTag, right } from '../../_either'
import { probabilityToBeBest } from '../../../src/stats/bayesian/probabilityToBeBest'
import { betaBinomial } from '../../../src/stats/bayesian/betaBinomial'

describe('probabilityToBeBest', () => {
  it('with two arms agrees with the exact P(B > A) and expected losses within 4 Monte Carlo standard errors', () => {
    const control = { units: 1000, conversions: 100 }
    const treatment = { units: 1000, conversions: 115 }
    const [a, b] = right(probabilityToBeBest({ draws: 40_000, seed: 'exact-check' })([control, treatment]))
    const exact = right(betaBinomial({ draws: 100 })({ control, treatment }))
    expect(Math.abs(b!.probabilityBest - exact.probabilityTreatmentBetter)).toBeLessThan(4 * b!.probabilityBestError)
    expect(Math.abs(b!.expectedLoss - exact.expectedLoss.shipTreatment)).toBeLessThan(4 * b!.expectedLossError + 1e-12)
    expect(Math.abs(a!.expectedLoss - exact.expectedLoss.keepControl)).toBeLessThan(4 * a!.expectedLossError + 1e-12)
  })

  test.prop([fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 2, maxLength: 5 }), fc.string()], { numRuns: 20 })(
    'probabilities sum to 1, losses ≥ 0, the same seed gives the same numbers',
    (conversions, seed) => {
      const arms = conversions.map((c) => ({ units: 200, conversions: c }))
      const r = right(probabilityToBeBest({ draws: 2000, seed })(arms))
      const again = right(probabilityToBeBest({ draws: 2000, seed })(arms))
      expect(r).toEqual(again)
      expect(Math.abs(r.reduce((s, x) => s + x.probabilityBest, 0) - 1)).toBeLessThan(1e-12)
      for (const x of r) expect(x.expectedLoss).toBeGreaterThanOrEqual(0)
    },
  )

  it('malformed input is a Left', () => {
    expect(leftTag(probabilityToBeBest()([{ units: 10, conversions: 1 }]))).toBe('InvalidInput')
    expect(leftTag(probabilityToBeBest()([{ units: 10, conversions: 1 }, { units: 10, conversions: 11 }]))).toBe('InvalidInput')
    expect(leftTag(probabilityToBeBest()('x' as never))).toBe('InvalidInput')
    expect(leftTag(probabilityToBeBest({ draws: 1.5 })([{ units: 10, conversions: 1 }, { units: 10, conversions: 1 }]))).toBe('InvalidInput')
  })
})
