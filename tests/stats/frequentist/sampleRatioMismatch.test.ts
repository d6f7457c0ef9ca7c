import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { pipe } from 'fp-ts/function'
import golden from '../../golden/stats-frequentist.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { sampleRatioMismatch } from '../../../src/stats/frequentist/sampleRatioMismatch'

describe('sampleRatioMismatch against scipy chisquare', () => {
  it('matches the statistic and the p-value, down to p far below 1e-16', () => {
    expect(golden.sampleRatioMismatch.some((c) => c.pValue < 1e-100)).toBe(true)
    for (const c of golden.sampleRatioMismatch) {
      const r = right(pipe(c.units, sampleRatioMismatch(c.weights)))
      expectClose('sampleRatioMismatch.chiSquare', r.chiSquare, c.chiSquare, { rel: 1e-12, abs: 1e-12 }, JSON.stringify(c.units))
      expectClose('sampleRatioMismatch.pValue', r.pValue, c.pValue, { rel: 1e-9, abs: 1e-300 }, JSON.stringify(c.units))
      expect(r.mismatch).toBe(c.pValue < 0.001)
    }
  })
})

describe('sampleRatioMismatch properties', () => {
  test.prop([fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 6 }), fc.integer({ min: 1, max: 10_000 })])(
    'counts exactly proportional to the weights never mismatch (p = 1)',
    (weights, scale) => {
      const r = right(sampleRatioMismatch(weights)(weights.map((w) => w * scale)))
      expect(r.pValue).toBeCloseTo(1, 12)
      expect(r.mismatch).toBe(false)
    },
  )

  test.prop([fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 2, maxLength: 6 })])('p in [0, 1] for any counts', (units) => {
    const r = sampleRatioMismatch(units.map(() => 1))(units)
    if (leftTag(r) !== undefined) {
      expect(units.every((u) => u === 0)).toBe(true)
      return
    }
    expect(right(r).pValue).toBeGreaterThanOrEqual(0)
    expect(right(r).pValue).toBeLessThanOrEqual(1)
  })

  it('flags units in an arm designed to get none, and rejects bad input', () => {
    expect(right(sampleRatioMismatch([1, 0])([100, 3])).mismatch).toBe(true)
    expect(leftTag(sampleRatioMismatch([0.5, 0.5])([1, 2, 3]))).toBe('InvalidInput')
    expect(leftTag(sampleRatioMismatch([0.5, Number.NaN])([1, 2]))).toBe('InvalidInput')
    expect(leftTag(sampleRatioMismatch([0.5, 0.5])([0, 0]))).toBe('InsufficientData')
    expect(leftTag(sampleRatioMismatch([0.5, 0.5])([1.5, 2]))).toBe('InvalidInput')
  })
})
