import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { widened } from '../../src/report/internal/widened'

describe('widened', () => {
  test.prop([fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 }), fc.nat(200), fc.boolean()])(
    'has room for the index, keeps every entry and its kind, and adds zeros',
    (xs, past, float) => {
      const a = float ? Float64Array.from(xs) : Int32Array.from(xs)
      // Called for an index the array does not hold yet.
      const i = xs.length + past
      const b = widened(a, i)
      expect(b.constructor).toBe(a.constructor)
      expect(b.length).toBeGreaterThan(i)
      expect(b.length).toBeGreaterThanOrEqual(a.length)
      expect(Array.from(b)).toEqual([...xs, ...new Array<number>(b.length - xs.length).fill(0)])
    },
  )
})
