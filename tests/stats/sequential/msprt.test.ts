import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import golden from '../../golden/stats-sequential.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { fc } from '@fast-check/vitest'
import { arbAnything, arbBinomialPair, arbContinuousArm } from '../../_statsArbitraries'
import { confidenceSequence } from '../../../src/stats/sequential/confidenceSequence'
import { msprt, msprtSequence } from '../../../src/stats/sequential/msprt'
import type { Arm } from '../../../src/stats/model'

describe('msprt against the mixture formula', () => {
  it('log Λ and p-value', () => {
    for (const c of golden.msprt) {
      const r = right(msprt({ tau: c.tau, nullDifference: c.nullDifference })({ control: c.control as Arm, treatment: c.treatment as Arm }))
      const label = JSON.stringify([c.control.units, c.tau, c.nullDifference])
      expectClose('msprt.logLikelihoodRatio', r.logLikelihoodRatio, c.logLikelihoodRatio, { rel: 1e-9, abs: 1e-12 }, label)
      expectClose('msprt.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, label)
    }
  })
})

describe('msprt\'s default mixture is GrowthBook\'s', () => {
  test.prop([fc.oneof(arbBinomialPair, fc.record({ control: arbContinuousArm, treatment: arbContinuousArm })), fc.constantFrom(0.05, 0.01, 0.1), fc.constantFrom(1000, 5000, 10_000)])(
    'with no tau, the p-value equals gbstats\' sequential p-value (confidenceSequence, absolute lift), tuning and alpha alike',
    (arms, alpha, tuning) => {
      const m = msprt({ alpha, tuning })(arms as never)
      const c = confidenceSequence({ type: 'absolute', alpha, tuning })(arms as never)
      if (m._tag === 'Left' || c._tag === 'Left') return
      expectClose('msprt default = GrowthBook', m.right.pValue, c.right.pValue, { rel: 1e-9, abs: 1e-300 })
    },
  )

  it('options are checked strictly', () => {
    const arms = { control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 120 } }
    const r = msprt({ tau: '0.1', alpha: 2, nul: 0 } as never)(arms)
    expect(r._tag === 'Left' && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path).sort() : []).toEqual(['alpha', 'nul', 'tau'])
  })
})

describe('msprt properties', () => {
  test.prop([arbBinomialPair])('p in [0, 1]; reject exactly when p ≤ alpha', (arms) => {
    const r = msprt({ tau: 0.05 })(arms)
    if (leftTag(r) !== undefined) return
    const x = right(r)
    expect(x.pValue).toBeGreaterThanOrEqual(0)
    expect(x.pValue).toBeLessThanOrEqual(1)
    expect(x.reject).toBe(x.pValue <= 0.05 + 1e-15)
  })

  it('the sequence of p-values never increases', () => {
    const looks = [1, 2, 3, 4, 5].map((k) => ({ control: { units: 1000 * k, conversions: 100 * k }, treatment: { units: 1000 * k, conversions: 100 * k + 8 * k * (k % 2) } }))
    const ps = right(msprtSequence({ tau: 0.02 })(looks))
    expect(ps).toHaveLength(5)
    ps.forEach((p, i) => i > 0 && expect(p).toBeLessThanOrEqual(ps[i - 1]!))
    expect(right(msprtSequence()(looks))).toHaveLength(5)
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => msprt()(u as never)).not.toThrow()
    expect(() => msprtSequence()(u as never)).not.toThrow()
  })
})
