import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { leftTag, right } from '../../_either'
import { arbBinomialArm } from '../../_statsArbitraries'
import { compareToControl } from '../../../src/stats/frequentist/compareToControl'
import { lift } from '../../../src/stats/frequentist/lift'
import { adjustPValues } from '../../../src/stats/frequentist/adjustPValues'

const control = { units: 1000, conversions: 100 }
const treatments = [
  { units: 1000, conversions: 130 },
  { units: 1000, conversions: 104 },
  { units: 1000, conversions: 125 },
]

describe('compareToControl', () => {
  it('is each lift with its p-value adjusted across the treatments', () => {
    const r = right(compareToControl({ correction: 'holm' })({ control, treatments }))
    const raw = treatments.map((t) => right(lift()({ control, treatment: t })))
    const adjusted = right(adjustPValues('holm')(raw.map((x) => x.pValue)))
    expect(r.map((x) => x.estimate)).toEqual(raw.map((x) => x.estimate))
    expect(r.map((x) => x.adjustedPValue)).toEqual(adjusted)
  })

  it('bonferroni widens the intervals to level 1 − α/m', () => {
    const r = right(compareToControl({ correction: 'bonferroni' })({ control, treatments }))
    const wide = right(lift({ level: 1 - 0.05 / 3 })({ control, treatment: treatments[0]! }))
    expect(r[0]!.interval).toEqual(wide.interval)
    expect(r[0]!.level).toBeCloseTo(1 - 0.05 / 3, 15)
  })

  test.prop([fc.array(arbBinomialArm, { minLength: 1, maxLength: 5 })])('one result per treatment, adjusted p in [p, 1]', (ts) => {
    const r = compareToControl()({ control, treatments: ts })
    if (leftTag(r) !== undefined) {
      expect(leftTag(r)).toBe('InsufficientData')
      return
    }
    const xs = right(r)
    expect(xs).toHaveLength(ts.length)
    for (const x of xs) {
      expect(x.adjustedPValue).toBeGreaterThanOrEqual(x.pValue)
      expect(x.adjustedPValue).toBeLessThanOrEqual(1)
    }
  })

  it('names the bad treatment in the issue path', () => {
    const r = compareToControl()({ control, treatments: [treatments[0]!, { units: 5, conversions: 9 }] })
    expect(r._tag === 'Left' && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe('treatments[1].conversions')
    expect(leftTag(compareToControl()({ control, treatments: [] }))).toBe('InvalidInput')
  })
})
