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

  it('bonferroni and holm widen the intervals to level 1 − α/m (simultaneous coverage)', () => {
    for (const correction of ['bonferroni', 'holm'] as const) {
      const r = right(compareToControl({ correction })({ control, treatments }))
      const wide = right(lift({ level: 1 - 0.05 / 3 })({ control, treatment: treatments[0]! }))
      expect(r[0]!.interval).toEqual(wide.interval)
      expect(r[0]!.level).toBeCloseTo(1 - 0.05 / 3, 15)
      expect(r[0]!.familyLevel).toBe(0.95)
    }
  })

  it('benjamini-hochberg uses the false-coverage level 1 − Rα/m (R declared significant, at least 1); none keeps the level', () => {
    const r = right(compareToControl({ correction: 'benjamini-hochberg' })({ control, treatments }))
    const significant = r.filter((x) => x.adjustedPValue <= 0.05).length
    expect(r[0]!.level).toBeCloseTo(1 - (Math.max(significant, 1) * 0.05) / 3, 15)
    expect(right(compareToControl({ correction: 'none' })({ control, treatments }))[0]!.level).toBe(0.95)
  })

  it('a bad correction is a Left naming "correction" (not adjustPValues\' "method"); options are strict', () => {
    const paths = (e: ReturnType<ReturnType<typeof compareToControl>>) => (e._tag === 'Left' && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path).sort() : [])
    expect(paths(compareToControl({ correction: 'yes' } as never)({ control, treatments }))).toEqual(['correction'])
    expect(paths(compareToControl({ correction: true, level: '0.9' } as never)({ control, treatments }))).toEqual(['correction', 'level'])
    expect(paths(compareToControl({ corection: 'holm' } as never)({ control, treatments }))).toEqual(['corection'])
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
