import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { productDifference } from '../../../src/stats/internal/exact'

// Integers up to 2^40: their products (up to 2^80) are far beyond a double's 53 bits, so the plain a·b − c·d
// rounds; BigInt gives the exact difference to compare with.
const arbInt = fc.integer({ min: 0, max: 2 ** 30 }).chain((x) => fc.integer({ min: 0, max: 2 ** 10 }).map((y) => x * 1024 + y))

describe('productDifference', () => {
  test.prop([arbInt, arbInt, arbInt, arbInt])('is a·b − c·d correctly rounded up to a few ulps, where the plain expression cancels', (a, b, c, d) => {
    const exact = BigInt(a) * BigInt(b) - BigInt(c) * BigInt(d)
    const got = productDifference(a, b, c, d)
    const want = Number(exact)
    expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(want))
  })

  test.prop([arbInt, arbInt, fc.integer({ min: -1000, max: 1000 })])('keeps a tiny difference between nearly equal products exactly', (a, b, delta) => {
    // c·d = a·b + delta·b by construction (c = a + delta), so the answer is −delta·b exactly.
    const c = a + delta
    fc.pre(c >= 0)
    expect(productDifference(a, b, c, b) + 0).toBe(-delta * b + 0)
  })
})
