import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-frequentist.json'
import tails from '../../golden/stats-tails.json'
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

describe('fisherExact on large tables (up to 1e12 units) against 30-digit mpmath sums', () => {
  it('every alternative, far tails and near the mode, to 1e-12', () => {
    expect(tails.fisherExact.some((c) => c.control.units === 1e12)).toBe(true)
    for (const c of tails.fisherExact) {
      const r = right(fisherExact({ alternative: c.alternative as Alternative })({ control: c.control, treatment: c.treatment }))
      expectClose('fisherExact large', r.pValue, c.pValue, { rel: 1e-12, abs: 1e-300 }, JSON.stringify([c.control, c.treatment, c.alternative]))
    }
  })

  // The two-sided p-value by brute force: every table's probability by the exact ratio recurrence from the mode,
  // normalised, and the sum over those no more probable than the observed one (scipy's rule, 1e-7 ties).
  const bruteForce = (control: { units: number; conversions: number }, treatment: { units: number; conversions: number }): number => {
    const n = treatment.units
    const K = control.conversions + treatment.conversions
    const N = control.units + treatment.units
    const lo = Math.max(0, n + K - N)
    const hi = Math.min(n, K)
    const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))))
    const w = new Float64Array(hi - lo + 1)
    w[mode - lo] = 1
    for (let k = mode; k < hi; k++) w[k + 1 - lo] = w[k - lo]! * (((K - k) * (n - k)) / ((k + 1) * (N - K - n + k + 1)))
    for (let k = mode; k > lo; k--) w[k - 1 - lo] = w[k - lo]! * ((k * (N - K - n + k)) / ((K - k + 1) * (n - k + 1)))
    const observed = w[treatment.conversions - lo]! * (1 + 1e-7)
    let all = 0
    let tail = 0
    // Smallest terms first, so the tail keeps its relative precision.
    const order = [...w.keys()].sort((a, b) => w[a]! - w[b]!)
    for (const i of order) {
      all += w[i]!
      if (w[i]! <= observed) tail += w[i]!
    }
    return Math.min(1, tail / all)
  }

  test.prop(
    [
      fc.integer({ min: 30_000, max: 150_000 }),
      fc.integer({ min: 30_000, max: 150_000 }),
      fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      fc.double({ min: -6, max: 6, noNaN: true }),
    ],
    { numRuns: 30 },
  )('beyond 20 000 possible tables (sums without walking the support) it equals the brute-force walk', (nA, nB, rate, shift) => {
    const cA = Math.round(nA * rate)
    const sd = Math.sqrt((nB * rate * (1 - rate) * nA) / (nA + nB))
    const cB = Math.min(nB, Math.max(0, Math.round(nB * rate + shift * sd)))
    const control = { units: nA, conversions: cA }
    const treatment = { units: nB, conversions: cB }
    expectClose('fisher large vs walk', right(fisherExact()({ control, treatment })).pValue, bruteForce(control, treatment), { rel: 1e-10, abs: 1e-300 })
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
