import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-frequentist.json'
import { expectClose, num } from '../../_close'
import { leftTag, right } from '../../_either'
import { fisherExact } from '../../../src/stats/frequentist/fisherExact'
import type { Alternative } from '../../../src/stats/model'

describe('fisherExact against scipy fisher_exact', () => {
  it('odds ratio and p-value for every alternative', () => {
    for (const c of golden.fisherExact) {
      const r = right(fisherExact({ alternative: c.alternative as Alternative })({ control: c.control, treatment: c.treatment }))
      const label = JSON.stringify([c.control, c.treatment, c.alternative])
      expect(r.oddsRatio).toBeCloseTo(num(c.oddsRatio), 12)
      expectClose('fisherExact.pValue', r.pValue, c.pValue, { rel: 1e-9 }, label)
    }
  })
})

const arbSmallArm = fc.integer({ min: 1, max: 60 }).chain((units) => fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 0, max: units }) }))

describe('fisherExact properties', () => {
  test.prop([arbSmallArm, arbSmallArm])('p in [0, 1]; greater + less ≥ 1 (they share the observed table); swap keeps two-sided p', (control, treatment) => {
    const g = right(fisherExact({ alternative: 'greater' })({ control, treatment })).pValue
    const l = right(fisherExact({ alternative: 'less' })({ control, treatment })).pValue
    const two = right(fisherExact()({ control, treatment })).pValue
    const swapped = right(fisherExact()({ control: treatment, treatment: control })).pValue
    for (const p of [g, l, two]) {
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThanOrEqual(1)
    }
    expect(g + l).toBeGreaterThanOrEqual(1 - 1e-12)
    expectClose('fisher swap', swapped, two, { rel: 1e-12 })
    expect(two).toBeGreaterThanOrEqual(Math.min(g, l) - 1e-15)
  })

  it('rejects malformed arms', () => {
    expect(leftTag(fisherExact()({ control: { units: 3, conversions: 4 }, treatment: { units: 3, conversions: 1 } }))).toBe('InvalidInput')
    expect(leftTag(fisherExact()({ control: { units: 0, conversions: 0 }, treatment: { units: 3, conversions: 1 } }))).toBe('InsufficientData')
  })
})
