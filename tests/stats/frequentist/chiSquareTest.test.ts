import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbBinomialPair } from '../../_statsArbitraries'
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

  it('rejects nothing-converted tables and malformed arms', () => {
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 0 }, { units: 10, conversions: 0 }]))).toBe('InsufficientData')
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 11 }, { units: 10, conversions: 0 }]))).toBe('InvalidInput')
    expect(leftTag(chiSquareTest()([{ units: 10, conversions: 1 }]))).toBe('InvalidInput')
  })
})
