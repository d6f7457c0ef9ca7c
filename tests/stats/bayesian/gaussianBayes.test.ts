import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import golden from '../../golden/stats-bayesian.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything, arbContinuousArm } from '../../_statsArbitraries'
import { gaussianBayes, type GaussianPrior } from '../../../src/stats/bayesian/gaussianBayes'
import type { Arm, LiftType } from '../../../src/stats/model'

describe('gaussianBayes against GrowthBook formulas (scipy norm)', () => {
  it('mean, sd, chance to win, interval and risk', () => {
    for (const c of golden.gaussianBayes) {
      const r = right(gaussianBayes({ type: c.type as LiftType, prior: c.prior as GaussianPrior })({ control: c.control as Arm, treatment: c.treatment as Arm }))
      const label = JSON.stringify([c.control.units, c.type, c.prior])
      expectClose('gaussianBayes.mean', r.mean, c.mean, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.sd', r.sd, c.sd, { rel: 1e-9 }, label)
      expectClose('gaussianBayes.chanceToWin', r.chanceToWin, c.chanceToWin, { rel: 1e-9 }, label)
      expectClose('gaussianBayes.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.risk', r.risk.keepControl, c.risk[0]!, { rel: 1e-8, abs: 1e-15 }, label)
      expectClose('gaussianBayes.risk', r.risk.shipTreatment, c.risk[1]!, { rel: 1e-8, abs: 1e-15 }, label)
    }
  })

  it('reproduces GrowthBook\'s published vectors', () => {
    const r = right(gaussianBayes()({ control: { units: 100, conversions: 49 }, treatment: { units: 100, conversions: 51 } }))
    expect([r.mean, r.sd, r.interval.lower, r.interval.upper, r.chanceToWin].map((x) => Number(x.toFixed(5)))).toEqual([0.04082, 0.14725, -0.24779, 0.32943, 0.60918])
    const arms = { control: { units: 10, sum: 100, sumSquares: 1002.25 }, treatment: { units: 10, sum: 105, sumSquares: 1111.5 } }
    const p = right(gaussianBayes({ prior: { mean: 0.1, sd: Math.sqrt(0.1) } })(arms))
    expect([p.mean, p.sd, p.interval.lower, p.interval.upper, p.chanceToWin].map((x) => Number(x.toFixed(5)))).toEqual([0.05063, 0.03549, -0.01893, 0.12019, 0.92315])
    expect([p.risk.keepControl, p.risk.shipTreatment].map((x) => Number(x.toFixed(5)))).toEqual([0.05186, 0.00123])
  })
})

describe('gaussianBayes properties', () => {
  test.prop([arbContinuousArm, arbContinuousArm])('chance to win in [0, 1], flips with the arms; risks ≥ 0 and differ by the mean', (control, treatment) => {
    const r = gaussianBayes({ type: 'absolute' })({ control, treatment })
    if (leftTag(r) !== undefined) return
    const s = right(gaussianBayes({ type: 'absolute' })({ control: treatment, treatment: control }))
    const x = right(r)
    expect(x.chanceToWin).toBeGreaterThanOrEqual(0)
    expect(x.chanceToWin).toBeLessThanOrEqual(1)
    expect(Math.abs(x.chanceToWin + s.chanceToWin - 1)).toBeLessThan(1e-12)
    expect(x.risk.keepControl).toBeGreaterThanOrEqual(0)
    // E[Δ⁺] − E[Δ⁻] = E[Δ]
    expect(Math.abs(x.risk.keepControl - x.risk.shipTreatment - x.mean)).toBeLessThanOrEqual(1e-9 * (Math.abs(x.mean) + x.sd))
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => gaussianBayes()(u as never)).not.toThrow()
  })

  it('a prior with sd ≤ 0 is a Left', () => {
    expect(leftTag(gaussianBayes({ prior: { mean: 0, sd: 0 } })({ control: { units: 10, conversions: 1 }, treatment: { units: 10, conversions: 2 } }))).toBe('InvalidInput')
  })
})
