import { fc, test } from '@fast-check/vitest'
import alea from 'seedrandom/lib/alea.js'
import { describe, expect, it } from 'vitest'
import { chiSquareGof } from '../_chiSquare'
import { logGamma, poisson } from '../../src/report/poisson'

/** P(K = k) for K ~ Poisson(mean), by the recurrence p_k = p_{k-1} mean / k in log space. */
const pmf = (mean: number, k: number): number => {
  let lp = -mean
  for (let i = 1; i <= k; i++) lp += Math.log(mean / i)
  return Math.exp(lp)
}

describe('poisson', () => {
  it('logGamma matches ln((n-1)!) and ln Γ(1/2) = ln √π', () => {
    let f = 0
    for (let n = 1; n < 60; n++) {
      expect(Math.abs(logGamma(n) - f)).toBeLessThanOrEqual(1e-12 * Math.max(1, f))
      f += Math.log(n)
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
  })

  for (const mean of [0.3, 1, 4, 9.5, 10, 25, 300]) {
    it(`draws follow Poisson(${mean}) (chi-square goodness of fit, 20 000 seeded draws)`, () => {
      const rng = alea(`poisson-${mean}`)
      const draws = Array.from({ length: 20_000 }, () => poisson(mean, rng))
      // Cells covering the bulk: [lo, hi] single values, tails pooled.
      const lo = Math.max(0, Math.floor(mean - 4 * Math.sqrt(mean)))
      const hi = Math.ceil(mean + 4 * Math.sqrt(mean)) + 2
      const observed = new Array<number>(hi - lo + 3).fill(0)
      for (const d of draws) observed[d < lo ? 0 : d > hi ? observed.length - 1 : d - lo + 1]!++
      const shares = observed.map((_, i) => {
        if (i === 0) return Array.from({ length: lo }, (_, k) => pmf(mean, k)).reduce((s, p) => s + p, 0)
        if (i === observed.length - 1) return 1 - Array.from({ length: hi + 1 }, (_, k) => pmf(mean, k)).reduce((s, p) => s + p, 0)
        return pmf(mean, lo + i - 1)
      })
      expect(chiSquareGof(observed, shares)).toBeGreaterThan(1e-4)
      const m = draws.reduce((s, x) => s + x, 0) / draws.length
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / draws.length))
    })
  }

  test.prop([fc.double({ min: 0, max: 1e4, noNaN: true }), fc.string()])('draws are non-negative integers, the same for the same seed', (mean, seed) => {
    const a = poisson(mean, alea(seed))
    expect(Number.isInteger(a) && a >= 0).toBe(true)
    expect(poisson(mean, alea(seed))).toBe(a)
  })

  it('mean 0 draws 0', () => {
    expect(poisson(0, alea('x'))).toBe(0)
  })
})
