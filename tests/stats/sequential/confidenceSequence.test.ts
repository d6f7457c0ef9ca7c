import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-sequential.json'
import { expectClose, num } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything, arbBinomialPair } from '../../_statsArbitraries'
import { confidenceSequence, oneSidedHalfwidth } from '../../../src/stats/sequential/confidenceSequence'
import { lift } from '../../../src/stats/frequentist/lift'
import type { Arm, LiftType } from '../../../src/stats/model'

describe('confidenceSequence against GrowthBook formulas', () => {
  it('estimate, interval and always-valid p-value', () => {
    for (const c of golden.confidenceSequence) {
      const r = right(confidenceSequence({ type: c.type as LiftType, tuning: c.tuning, alpha: c.alpha })({ control: c.control as Arm, treatment: c.treatment as Arm }))
      const label = JSON.stringify([c.control.units, c.type, c.tuning, c.alpha])
      expectClose('confidenceSequence.estimate', r.estimate, c.estimate, { rel: 1e-12, abs: 1e-15 }, label)
      expectClose('confidenceSequence.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-14 }, label)
      expectClose('confidenceSequence.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-14 }, label)
      expectClose('confidenceSequence.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, label)
      expect(r.interval.lower).toBeGreaterThanOrEqual(c.type === 'relative' && 'conversions' in c.control ? -1 : Number.NEGATIVE_INFINITY)
    }
    expect(golden.confidenceSequence.some((c) => c.interval[0]! >= -1 && 'conversions' in c.control && c.type === 'relative' && c.interval[0]! < -0.5)).toBe(true)
  })

  it('one-sided sequences: bound and always-valid p-value', () => {
    expect(golden.oneSided.length).toBeGreaterThan(10)
    for (const c of golden.oneSided) {
      const r = right(confidenceSequence({ alternative: c.alternative as 'greater' | 'less', tuning: c.tuning, alpha: c.alpha })({ control: c.control as Arm, treatment: c.treatment as Arm }))
      const label = JSON.stringify([c.control.units, c.alternative, c.tuning, c.alpha])
      expectClose('confidenceSequence.oneSided.interval', r.interval.lower, num(c.interval[0]!), { rel: 1e-9, abs: 1e-14 }, label)
      expectClose('confidenceSequence.oneSided.interval', r.interval.upper, num(c.interval[1]!), { rel: 1e-9, abs: 1e-14 }, label)
      expectClose('confidenceSequence.oneSided.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, label)
    }
  })

  it('reproduces GrowthBook\'s published vectors', () => {
    const cont = right(confidenceSequence({ tuning: 1000 })({ control: { units: 3000, sum: 1396.87, sumSquares: 52377.9767 }, treatment: { units: 3461, sum: 2422.7, sumSquares: 134698.29 } }))
    expect([cont.estimate, cont.interval.lower, cont.interval.upper, cont.pValue].map((x) => Number(x.toFixed(5)))).toEqual([0.50336, -0.55844, 1.56516, 1])
    const bin = right(confidenceSequence({ tuning: 5000 })({ control: { units: 3000, conversions: 1396 }, treatment: { units: 3461, conversions: 2422 } }))
    expect([bin.estimate, bin.interval.lower, bin.interval.upper, bin.pValue].map((x) => Number(x.toFixed(5)))).toEqual([0.50386, 0.40098, 0.60675, 0])
  })
})

describe('confidenceSequence properties', () => {
  test.prop([arbBinomialPair])('wider than the fixed-horizon z interval at the same level, centred on the same estimate', (arms) => {
    const cs = confidenceSequence()(arms)
    const fixed = lift({ test: 'z' })(arms)
    if (leftTag(cs) !== undefined || leftTag(fixed) !== undefined) return
    const c = right(cs)
    const f = right(fixed)
    expect(c.estimate).toBe(f.estimate)
    expect(c.interval.upper - c.interval.lower).toBeGreaterThanOrEqual(f.interval.upper - f.interval.lower)
    expect(c.pValue).toBeGreaterThanOrEqual(0)
    expect(c.pValue).toBeLessThanOrEqual(1)
  })

  test.prop([arbBinomialPair, fc.constantFrom<'greater' | 'less'>('greater', 'less')])(
    'one-sided: p in gbstats\' bracket [1e-5, 0.4999]; inside it, the bound crosses 0 at alpha = p',
    (arms, alternative) => {
      const r = confidenceSequence({ type: 'absolute', alternative })(arms)
      if (leftTag(r) !== undefined) return
      const x = right(r)
      expect(x.pValue).toBeGreaterThanOrEqual(1e-5)
      expect(x.pValue).toBeLessThanOrEqual(0.4999)
      if (x.pValue > 1e-5 && x.pValue < 0.4999) {
        const signed = alternative === 'greater' ? x.estimate : -x.estimate
        expect(signed - oneSidedHalfwidth(x.standardError, x.totalUnits, 5000, x.pValue * (1 + 1e-9))).toBeGreaterThan(0)
        expect(signed - oneSidedHalfwidth(x.standardError, x.totalUnits, 5000, x.pValue * (1 - 1e-9))).toBeLessThanOrEqual(0)
      }
    },
  )

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => confidenceSequence()(u as never)).not.toThrow()
  })

  it('bad options are Lefts', () => {
    const arms = { control: { units: 10, conversions: 1 }, treatment: { units: 10, conversions: 2 } }
    expect(leftTag(confidenceSequence({ alpha: 0 })(arms))).toBe('InvalidInput')
    expect(leftTag(confidenceSequence({ tuning: -5 })(arms))).toBe('InvalidInput')
  })
})
