import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-power.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { sampleSize } from '../../../src/stats/power/sampleSize'

const alternative = (sides: number): 'two-sided' | 'one-sided' => (sides === 2 ? 'two-sided' : 'one-sided')

describe('sampleSize against power.prop.test and statsmodels (NormalIndPower, samplesize_proportions_2indep_onetail)', () => {
  it('proportions, classic and Cohen\'s h, with Bonferroni over arms, increases and decreases, allocation ratios', () => {
    expect(golden.sampleSize.some((c) => c.mde < 0)).toBe(true)
    expect(golden.sampleSize.some((c) => c.ratio !== 1)).toBe(true)
    for (const c of golden.sampleSize) {
      const design = { metric: { type: 'proportion' as const, baseline: c.baseline }, alpha: c.alpha, power: c.power, alternative: alternative(c.sides), arms: c.arms, ratio: c.ratio }
      const label = JSON.stringify(c)
      const classic = right(sampleSize(design)({ mde: c.mde, relative: false }))
      expectClose('sampleSize.classic', classic.exactUnitsPerArm, c.classic, { rel: 1e-9 }, label)
      expect(classic.unitsPerArm).toBe(Math.ceil(c.classic))
      expect(classic.treatmentUnitsPerArm).toBe(Math.ceil(c.classic * c.ratio - 1e-9))
      expect(classic.totalUnits).toBe(classic.unitsPerArm + (c.arms - 1) * classic.treatmentUnitsPerArm)
      const h = right(sampleSize({ ...design, method: 'cohen-h' })({ mde: c.mde, relative: false }))
      expectClose('sampleSize.cohenH', h.exactUnitsPerArm, c.cohenH, { rel: 1e-8 }, label)
    }
  })

  it('means', () => {
    for (const c of golden.sampleSizeMeans) {
      const r = right(sampleSize({ metric: { type: 'mean', sd: c.sd }, alpha: c.alpha, power: c.power, alternative: alternative(c.sides), arms: c.arms, ratio: c.ratio })({ mde: c.mde }))
      expectClose('sampleSize.means', r.exactUnitsPerArm, c.n, { rel: 1e-8 }, JSON.stringify(c))
    }
  })

  it('duration from daily traffic over all arms', () => {
    const r = right(sampleSize({ metric: { type: 'proportion', baseline: 0.2 }, dailyUnits: 500, arms: 3 })({ mde: 0.25 }))
    expect(r.days).toBe(Math.ceil((r.unitsPerArm * 3) / 500))
    expect(r.relativeEffect).toBeCloseTo(0.25, 12)
  })
})

describe('sampleSize properties', () => {
  const arbDesign = fc.record({
    baseline: fc.double({ min: 0.01, max: 0.8, noNaN: true }),
    mde: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    power: fc.double({ min: 0.5, max: 0.99, noNaN: true }),
    method: fc.constantFrom('classic' as const, 'cohen-h' as const),
  }).filter(({ baseline, mde }) => baseline * (1 + mde) < 0.99)
  test.prop([arbDesign])('more power or a smaller effect needs more units; more arms never fewer per arm', ({ baseline, mde, power, method }) => {
    const design = { metric: { type: 'proportion' as const, baseline }, power, method }
    const n = right(sampleSize(design)({ mde }))
    const morePower = right(sampleSize({ ...design, power: Math.min(0.995, power + 0.005) })({ mde }))
    const smaller = right(sampleSize(design)({ mde: mde / 2 }))
    const arms = right(sampleSize({ ...design, arms: 4 })({ mde }))
    expect(morePower.exactUnitsPerArm).toBeGreaterThan(n.exactUnitsPerArm)
    expect(smaller.exactUnitsPerArm).toBeGreaterThan(n.exactUnitsPerArm)
    expect(arms.unitsPerArm).toBeGreaterThanOrEqual(n.unitsPerArm)
  })

  it('rejects impossible designs', () => {
    expect(leftTag(sampleSize({ metric: { type: 'proportion', baseline: 0.9 } })({ mde: 0.5 }))).toBe('InvalidInput')
    expect(leftTag(sampleSize({ metric: { type: 'proportion', baseline: 1.2 } })({ mde: 0.1 }))).toBe('InvalidInput')
    expect(leftTag(sampleSize({ metric: { type: 'mean', sd: 1 } })({ mde: 0.1, relative: true }))).toBe('InvalidInput')
    expect(leftTag(sampleSize({ metric: { type: 'mean', sd: -1 } })({ mde: 0.1 }))).toBe('InvalidInput')
    expect(leftTag(sampleSize({ metric: { type: 'proportion', baseline: 0.1 }, arms: 1 })({ mde: 0.1 }))).toBe('InvalidInput')
    expect(leftTag(sampleSize(null as never)({ mde: 0.1 }))).toBe('InvalidInput')
  })

  it('checks the design strictly and names the field: a string is not a number', () => {
    const paths = (e: ReturnType<ReturnType<typeof sampleSize>>) => (e._tag === 'Left' && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path).sort() : [])
    expect(paths(sampleSize({ metric: { type: 'proportion', baseline: '0.5' as never } })({ mde: 0.1 }))).toEqual(['metric.baseline'])
    expect(paths(sampleSize({ metric: { type: 'proportion', baseline: 0.5 }, alpha: '0.05', arms: 2.5, ratio: 0 } as never)({ mde: 0.1 }))).toEqual(['alpha', 'arms', 'ratio'])
    expect(paths(sampleSize({ metric: { type: 'proportion', baseline: 0.5 }, power: 0.8, dailyUnit: 100 } as never)({ mde: 0.1 }))).toEqual(['dailyUnit'])
    expect(paths(sampleSize({ metric: { type: 'proportion', baseline: 0.5 } })({ mde: '0.1', relative: 'false' } as never))).toEqual(['mde', 'relative'])
  })
})
