import { describe, expect, it } from 'vitest'
import golden from '../../golden/stats-survey.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { csat } from '../../../src/stats/survey/csat'

describe('csat against statsmodels proportions_ztest on the top-2-box shares', () => {
  it('z and p', () => {
    for (const c of golden.csat) {
      const r = right(csat()({ control: c.control, treatment: c.treatment }))
      expectClose('csat.z', r.z, c.z, { rel: 1e-12 }, JSON.stringify(c))
      expectClose('csat.pValue', r.pValue, c.pValue, { rel: 1e-9 }, JSON.stringify(c))
      expect(r.control.units).toBe(c.control.reduce((s, x) => s + x, 0))
    }
  })

  it('bad ratings are Lefts', () => {
    expect(leftTag(csat()({ control: [1, -2, 3], treatment: [1, 2, 3] }))).toBe('InvalidInput')
    expect(leftTag(csat({ satisfiedFrom: 0 })({ control: [1, 2, 3], treatment: [1, 2, 3] }))).toBe('InvalidInput')
    expect(leftTag(csat()({ control: [0, 0, 0], treatment: [1, 2, 3] }))).toBe('InsufficientData')
  })
})
