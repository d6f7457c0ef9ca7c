import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-survey.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything } from '../../_statsArbitraries'
import { nps } from '../../../src/stats/survey/nps'

describe('nps against numpy on the expanded responses', () => {
  it('scores, variances, difference, z, p and interval', () => {
    for (const c of golden.nps) {
      const r = right(nps()({ control: c.control, treatment: c.treatment }))
      const label = JSON.stringify([c.control, c.treatment])
      expectClose('nps.score', r.control.score, c.scores[0]!, { rel: 1e-12, abs: 1e-15 }, label)
      expectClose('nps.score', r.treatment.score, c.scores[1]!, { rel: 1e-12, abs: 1e-15 }, label)
      expectClose('nps.variance', r.control.variance, c.variances[0]!, { rel: 1e-12 }, label)
      expectClose('nps.z', r.z, c.z, { rel: 1e-12 }, label)
      expectClose('nps.pValue', r.pValue, c.pValue, { rel: 1e-9 }, label)
      expectClose('nps.interval', r.interval.lower, c.interval[0]!, { rel: 1e-9, abs: 1e-15 }, label)
      expectClose('nps.interval', r.interval.upper, c.interval[1]!, { rel: 1e-9, abs: 1e-15 }, label)
    }
  })
})

const arbNps = fc.record({ promoters: fc.nat(5000), passives: fc.nat(5000), detractors: fc.nat(5000) }).filter((a) => a.promoters + a.passives + a.detractors > 0)

describe('nps properties', () => {
  test.prop([arbNps, arbNps])('score in [−1, 1]; swapping arms flips z, keeps p', (control, treatment) => {
    const r = nps()({ control, treatment })
    if (leftTag(r) !== undefined) {
      expect(leftTag(r)).toBe('InsufficientData')
      return
    }
    const x = right(r)
    const s = right(nps()({ control: treatment, treatment: control }))
    expect(Math.abs(x.control.score)).toBeLessThanOrEqual(1)
    expect(s.z === -x.z).toBe(true)
    expect(s.pValue).toBe(x.pValue)
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => nps()(u as never)).not.toThrow()
  })

  it('bad counts are Lefts', () => {
    expect(leftTag(nps()({ control: { promoters: -1, passives: 0, detractors: 0 }, treatment: { promoters: 1, passives: 0, detractors: 0 } }))).toBe('InvalidInput')
    expect(leftTag(nps()({ control: { promoters: 0, passives: 0, detractors: 0 }, treatment: { promoters: 1, passives: 0, detractors: 0 } }))).toBe('InsufficientData')
  })
})
