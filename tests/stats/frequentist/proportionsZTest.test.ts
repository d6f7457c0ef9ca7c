import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { arbAnything, arbBadNumber, arbBinomialPair } from '../../_statsArbitraries'
import { proportionsZTest } from '../../../src/stats/frequentist/proportionsZTest'
import type { Alternative } from '../../../src/stats/model'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('proportionsZTest against statsmodels', () => {
  it('matches proportions_ztest and confint_proportions_2indep (wald)', () => {
    expect(golden.proportionsZTest.length).toBeGreaterThan(10)
    for (const c of golden.proportionsZTest) {
      const r = right(pipe({ control: c.control, treatment: c.treatment }, proportionsZTest({ alternative: c.alternative as Alternative })))
      const label = JSON.stringify([c.control, c.treatment, c.alternative])
      expectClose('proportionsZTest.z', r.z, c.z, { rel: 1e-12, abs: 1e-15 }, label)
      expectClose('proportionsZTest.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, label)
      if (c.interval !== undefined) {
        expectClose('proportionsZTest.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-15 }, label)
        expectClose('proportionsZTest.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-15 }, label)
      }
    }
  })
})

describe('proportionsZTest properties', () => {
  test.prop([arbBinomialPair])('p in [0, 1]; swapping the arms flips z but not the two-sided p', (arms) => {
    const r = right(proportionsZTest()(arms))
    const s = right(proportionsZTest()({ control: arms.treatment, treatment: arms.control }))
    expect(r.pValue).toBeGreaterThanOrEqual(0)
    expect(r.pValue).toBeLessThanOrEqual(1)
    expect(s.z === -r.z).toBe(true)
    expect(s.pValue).toBe(r.pValue)
  })

  test.prop([arbBinomialPair])('one-sided p-values are complementary and the two-sided one is twice the smaller', (arms) => {
    const g = right(proportionsZTest({ alternative: 'greater' })(arms)).pValue
    const l = right(proportionsZTest({ alternative: 'less' })(arms)).pValue
    const two = right(proportionsZTest()(arms)).pValue
    expect(Math.abs(g + l - 1)).toBeLessThan(1e-12)
    expectClose('two-sided = 2 min(one-sided)', two, Math.min(1, 2 * Math.min(g, l)), { rel: 1e-12, abs: 1e-300 })
  })

  test.prop([arbBinomialPair])('the 95% interval contains the difference', (arms) => {
    const r = right(proportionsZTest()(arms))
    expect(r.interval.lower).toBeLessThanOrEqual(r.difference)
    expect(r.interval.upper).toBeGreaterThanOrEqual(r.difference)
  })

  test.prop([arbBadNumber, fc.constantFrom('units', 'conversions'), fc.constantFrom('control', 'treatment')])(
    'a malformed count gives Left(InvalidInput) naming the field',
    (bad, field, side) => {
      const arms = { control: { units: 100, conversions: 10 }, treatment: { units: 100, conversions: 12 } }
      const broken = { ...arms, [side]: { ...arms[side], [field]: bad } }
      const r = proportionsZTest()(broken as never)
      expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues.some((i) => i.path === `${side}.${field}`)).toBe(true)
    },
  )

  test.prop([arbAnything])('anything at all gives a Left or a Right, never a throw or a NaN', (u) => {
    const r = proportionsZTest()(u as never)
    if (E.isRight(r)) expect(Number.isNaN(r.right.pValue)).toBe(false)
  })

  it('rejects conversions above units and zero units with clear reasons', () => {
    const over = proportionsZTest()({ control: { units: 10, conversions: 11 }, treatment: { units: 10, conversions: 1 } })
    expect(over).toEqual(E.left({ _tag: 'InvalidInput', issues: [{ path: 'control.conversions', expected: 'at most units (10)', actual: 11 }] }))
    const empty = proportionsZTest()({ control: { units: 0, conversions: 0 }, treatment: { units: 10, conversions: 1 } })
    expect(E.isLeft(empty) && empty.left._tag).toBe('InsufficientData')
    const flat = proportionsZTest()({ control: { units: 10, conversions: 0 }, treatment: { units: 10, conversions: 0 } })
    expect(E.isLeft(flat) && flat.left._tag).toBe('InsufficientData')
  })
})
