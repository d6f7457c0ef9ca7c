import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbBinomialPair, arbNearlyEqualPair } from '../../_statsArbitraries'
import { chiSquareTest } from '../../../src/stats/frequentist/chiSquareTest'
import { proportionsZTest } from '../../../src/stats/frequentist/proportionsZTest'

describe('chiSquareTest against scipy chi2_contingency', () => {
  it('with and without Yates correction', () => {
    for (const c of golden.chiSquareTest) {
      const r = right(chiSquareTest({ correction: c.correction })(c.arms))
      const label = JSON.stringify([c.arms, c.correction])
      expectClose('chiSquareTest.chiSquare', r.chiSquare, c.chiSquare, { rel: 1e-10, abs: 1e-12 }, label)
      expectClose('chiSquareTest.pValue', r.pValue, c.pValue, { rel: 1e-9 }, label)
      expect(r.df).toBe(c.df)
    }
  })
})

describe('chiSquareTest properties', () => {
  test.prop([arbBinomialPair])('with two arms and no correction it is the pooled z-test squared', ({ control, treatment }) => {
    const chi = right(chiSquareTest()([control, treatment]))
    const z = right(proportionsZTest()({ control, treatment }))
    expectClose('chi² = z²', chi.chiSquare, z.z * z.z, { rel: 1e-9, abs: 1e-12 })
    expectClose('chi² p = z p', chi.pValue, z.pValue, { rel: 1e-8, abs: 1e-300 })
  })

  // z² = D² N / (n_A n_B C (N − C)) with D = c_B n_A − c_A n_B, in exact integers; the float division at the end
  // costs under 2 ulps.
  const exactZSquared = ({ control: a, treatment: b }: { control: { units: number; conversions: number }; treatment: { units: number; conversions: number } }): number => {
    const [nA, cA, nB, cB] = [a.units, a.conversions, b.units, b.conversions].map(BigInt) as [bigint, bigint, bigint, bigint]
    const d = cB * nA - cA * nB
    const n = nA + nB
    const c = cA + cB
    return Number(d * d * n) / Number(nA * nB * c * (n - c))
  }

  test.prop([fc.oneof(arbBinomialPair, arbNearlyEqualPair)])('chi² (two arms) and z² both equal the exact rational value, even for rates near 0 or 1', (arms) => {
    const exact = exactZSquared(arms)
    const chi = right(chiSquareTest()([arms.control, arms.treatment]))
    const z = right(proportionsZTest()(arms))
    expectClose('chi² exact', chi.chiSquare, exact, { rel: 1e-12, abs: 1e-300 }, JSON.stringify(arms))
    expectClose('z² exact', z.z * z.z, exact, { rel: 1e-12, abs: 1e-300 }, JSON.stringify(arms))
  })

  it('the CI counterexample: rates of 1 − 3/1.7M and 1 − 3/1.57M (z lost digits in pB − pA)', () => {
    const arms = { control: { units: 1708238, conversions: 1708235 }, treatment: { units: 1571499, conversions: 1571496 } }
    const z = right(proportionsZTest()(arms))
    expectClose('z² exact', z.z * z.z, exactZSquared(arms), { rel: 1e-13 })
  })

  it('rejects nothing-converted tables and malformed arms', () => {
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 0 }, { units: 10, conversions: 0 }]))).toBe('InsufficientData')
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 11 }, { units: 10, conversions: 0 }]))).toBe('InvalidInput')
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 1 }]))).toBe('InvalidInput')
  })
})
