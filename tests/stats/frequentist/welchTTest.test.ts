import { describe, expect, it } from 'vitest'
import { test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { arbAnything, arbContinuousArm } from '../../_statsArbitraries'
import { welchTTest } from '../../../src/stats/frequentist/welchTTest'
import type { Alternative } from '../../../src/stats/model'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('welchTTest against scipy ttest_ind_from_stats', () => {
  it('matches t, df, p and the interval', () => {
    for (const c of golden.welchTTest) {
      const r = right(welchTTest({ alternative: c.alternative as Alternative })({ control: c.control, treatment: c.treatment }))
      const label = JSON.stringify([c.control, c.treatment, c.alternative])
      // t and df are formed from the sums (Σy² − (Σy)²/n), so they inherit that subtraction's rounding.
      expectClose('welchTTest.t', r.t, c.t, { rel: 1e-9 }, label)
      expectClose('welchTTest.df', r.df, c.df, { rel: 1e-9 }, label)
      expectClose('welchTTest.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, label)
      if (c.interval !== undefined) {
        expectClose('welchTTest.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-12 }, label)
        expectClose('welchTTest.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-12 }, label)
      }
    }
  })
})

describe('welchTTest properties', () => {
  test.prop([arbContinuousArm, arbContinuousArm])('p in [0, 1]; swapping arms flips t, keeps p and df', (control, treatment) => {
    const r = welchTTest()({ control, treatment })
    const s = welchTTest()({ control: treatment, treatment: control })
    if (E.isLeft(r)) {
      expect(r.left._tag).toBe('InsufficientData')
      return
    }
    const rs = right(s)
    expect(r.right.pValue).toBeGreaterThanOrEqual(0)
    expect(r.right.pValue).toBeLessThanOrEqual(1)
    expect(rs.t === -r.right.t).toBe(true)
    expect(rs.pValue).toBe(r.right.pValue)
    expect(rs.df).toBe(r.right.df)
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => welchTTest()(u as never)).not.toThrow()
  })

  it('negative variance, a single unit and NaN are Lefts', () => {
    const neg = welchTTest()({ control: { units: 10, sum: 100, sumSquares: 10 }, treatment: { units: 10, sum: 1, sumSquares: 1 } })
    expect(E.isLeft(neg) && neg.left._tag === 'InvalidInput' && neg.left.issues[0]!.path).toBe('control.sumSquares')
    const one = welchTTest()({ control: { units: 1, sum: 1, sumSquares: 1 }, treatment: { units: 10, sum: 1, sumSquares: 1 } })
    expect(E.isLeft(one) && one.left._tag).toBe('InsufficientData')
    const nan = welchTTest()({ control: { units: 10, sum: Number.NaN, sumSquares: 1 }, treatment: { units: 10, sum: 1, sumSquares: 1 } })
    expect(E.isLeft(nan) && nan.left._tag).toBe('InvalidInput')
    const level = welchTTest({ level: 1.5 })({ control: { units: 10, sum: 1, sumSquares: 1 }, treatment: { units: 10, sum: 1, sumSquares: 1 } })
    expect(E.isLeft(level) && level.left._tag).toBe('InvalidInput')
  })
})
