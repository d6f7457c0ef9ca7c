import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import golden from '../../golden/stats-sequential.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything, arbBinomialPair } from '../../_statsArbitraries'
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
