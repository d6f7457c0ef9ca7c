import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import golden from '../../golden/stats-bayesian.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything, arbContinuousArm } from '../../_statsArbitraries'
import { gaussianBayes, type GaussianPrior } from '../../../src/stats/bayesian/gaussianBayes'
import type { Arm, LiftType } from '../../../src/stats/model'

describe('gaussianBayes against GrowthBook formulas (scipy norm, mpmath risks)', () => {
  it('mean, sd, chance to win, interval and risk; relative and absolute priors; inverse metrics', () => {
    expect(golden.gaussianBayes.some((c) => 'inverse' in c)).toBe(true)
    expect(golden.gaussianBayes.some((c) => typeof c.prior === 'object' && 'scale' in c.prior)).toBe(true)
    for (const c of golden.gaussianBayes) {
      const inverse = 'inverse' in c && c.inverse === true
      const r = right(gaussianBayes({ type: c.type as LiftType, prior: c.prior as GaussianPrior, inverse })({ control: c.control as Arm, treatment: c.treatment as Arm }))
      const label = JSON.stringify([c.control.units, c.type, c.prior, inverse])
      expectClose('gaussianBayes.mean', r.mean, c.mean, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.sd', r.sd, c.sd, { rel: 1e-9 }, label)
      expectClose('gaussianBayes.chanceToWin', r.chanceToWin, c.chanceToWin, { rel: 1e-9 }, label)
      expectClose('gaussianBayes.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('gaussianBayes.risk', r.risk.keepControl, c.risk[0]!, { rel: 1e-11 }, label)
      expectClose('gaussianBayes.risk', r.risk.shipTreatment, c.risk[1]!, { rel: 1e-11 }, label)
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

describe('gaussianBayes conventions', () => {
  const arms = { control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 130 } }

  it('an inverse metric swaps the risks as well as the chance to win (gbstats)', () => {
    const up = right(gaussianBayes()(arms))
    const down = right(gaussianBayes({ inverse: true })(arms))
    expect(down.chanceToWin).toBeCloseTo(1 - up.chanceToWin, 14)
    expect(down.risk).toEqual({ keepControl: up.risk.shipTreatment, shipTreatment: up.risk.keepControl })
  })

  it('a prior is on the relative lift unless said otherwise, rescaled by |control mean| for an absolute lift', () => {
    const m = 0.1
    const absolute = right(gaussianBayes({ type: 'absolute', prior: { mean: 0.05, sd: 0.2 } })(arms))
    const explicit = right(gaussianBayes({ type: 'absolute', prior: { mean: 0.05 * m, sd: 0.2 * m, scale: 'absolute' } })(arms))
    expect(absolute.mean).toBeCloseTo(explicit.mean, 15)
    expect(absolute.sd).toBeCloseTo(explicit.sd, 15)
    // And an absolute prior in a relative analysis is divided by |control mean|.
    const relative = right(gaussianBayes({ type: 'relative', prior: { mean: 0.05, sd: 0.2 } })(arms))
    const fromAbsolute = right(gaussianBayes({ type: 'relative', prior: { mean: 0.05 * m, sd: 0.2 * m, scale: 'absolute' } })(arms))
    expect(fromAbsolute.mean).toBeCloseTo(relative.mean, 14)
    expect(fromAbsolute.sd).toBeCloseTo(relative.sd, 14)
  })

  it('options are checked strictly and named: a string is not a boolean', () => {
    const issues = (e: ReturnType<ReturnType<typeof gaussianBayes>>) => (e._tag === 'Left' && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path) : [])
    expect(issues(gaussianBayes({ inverse: 'true' } as never)(arms))).toEqual(['inverse'])
    expect(issues(gaussianBayes({ prior: { mean: '0', sd: 1 } } as never)(arms))).toEqual(['prior.mean'])
    expect(issues(gaussianBayes({ prior: { mean: 0, sd: 1, scale: 'log' } } as never)(arms))).toEqual(['prior.scale'])
    expect(issues(gaussianBayes({ inverted: true } as never)(arms))).toEqual(['inverted'])
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
