import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-power.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { detectableEffect } from '../../../src/stats/power/detectableEffect'
import { sampleSize } from '../../../src/stats/power/sampleSize'

const alternative = (sides: number): 'two-sided' | 'one-sided' => (sides === 2 ? 'two-sided' : 'one-sided')

describe('detectableEffect against scipy brentq (classic) and statsmodels NormalIndPower (Cohen\'s h)', () => {
  it('matches both, for increases and decreases and with allocation ratios', () => {
    expect(golden.detectableEffect.some((c) => c.direction === 'decrease')).toBe(true)
    for (const c of golden.detectableEffect) {
      const design = {
        metric: { type: 'proportion' as const, baseline: c.baseline },
        alpha: c.alpha,
        power: c.power,
        alternative: alternative(c.sides),
        ratio: c.ratio,
        direction: c.direction as 'increase' | 'decrease',
      }
      expectClose('detectableEffect.classic', right(detectableEffect(design)(c.unitsPerArm)).absoluteEffect, c.classic, { rel: 1e-9 }, JSON.stringify(c))
      expectClose('detectableEffect.cohenH', right(detectableEffect({ ...design, method: 'cohen-h' })(c.unitsPerArm)).absoluteEffect, c.cohenH, { rel: 1e-7 }, JSON.stringify(c))
    }
  })
})

describe('detectableEffect properties', () => {
  test.prop([fc.double({ min: 0.02, max: 0.6, noNaN: true }), fc.integer({ min: 500, max: 1_000_000 }), fc.constantFrom('classic' as const, 'cohen-h' as const)])(
    'is the inverse of sampleSize',
    (baseline, n, method) => {
      const design = { metric: { type: 'proportion' as const, baseline }, method }
      const e = right(detectableEffect(design)(n))
      const back = right(sampleSize(design)({ mde: e.absoluteEffect, relative: false }))
      expectClose('detectable ∘ sampleSize', back.exactUnitsPerArm, n, { rel: 1e-6 })
    },
  )

  test.prop([fc.double({ min: 0.1, max: 100, noNaN: true }), fc.integer({ min: 10, max: 1_000_000 })])('means: the inverse of sampleSize too', (sd, n) => {
    const design = { metric: { type: 'mean' as const, sd } }
    const e = right(detectableEffect(design)(n))
    expectClose('detectable means', right(sampleSize(design)({ mde: e.absoluteEffect })).exactUnitsPerArm, n, { rel: 1e-6 })
  })

  test.prop([fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.integer({ min: 2000, max: 1_000_000 }), fc.constantFrom(0.25, 0.5, 2, 3)])(
    'with an allocation ratio, decreases too: still the inverse of sampleSize',
    (baseline, n, ratio) => {
      for (const direction of ['increase', 'decrease'] as const) {
        const design = { metric: { type: 'proportion' as const, baseline }, ratio, direction }
        const e = detectableEffect(design)(n)
        if (e._tag === 'Left') continue
        expect(Math.sign(e.right.absoluteEffect)).toBe(direction === 'increase' ? 1 : -1)
        expectClose('detectable ratio', right(sampleSize(design)({ mde: e.right.absoluteEffect, relative: false })).exactUnitsPerArm, n, { rel: 1e-6 })
      }
    },
  )

  it('too few units is a Left', () => {
    expect(leftTag(detectableEffect({ metric: { type: 'proportion', baseline: 0.5 } })(2))).toBe('InvalidInput')
    expect(leftTag(detectableEffect({ metric: { type: 'proportion', baseline: 0.5 } })(Number.NaN))).toBe('InvalidInput')
  })

  it('a baseline given as a string is a Left naming it, never NaN inside a Right', () => {
    const r = detectableEffect({ metric: { type: 'proportion', baseline: '0.5' as never } })(1000)
    expect(r._tag === 'Left' && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : r).toEqual(['metric.baseline'])
    const d = detectableEffect({ metric: { type: 'mean', sd: '2' as never } })(1000)
    expect(d._tag === 'Left' && d.left._tag === 'InvalidInput' ? d.left.issues.map((i) => i.path) : d).toEqual(['metric.sd'])
  })
})
