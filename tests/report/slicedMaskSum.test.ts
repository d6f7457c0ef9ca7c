import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { addMaskTo, addNumberTo, copyNumber, setMaskSum, setSum, slicedNumber } from '../../src/report/internal/slicedNumber'

// A word of a mask: often all clear or all set (so counts reach their top planes, or a sum stays 0), else any bits.
const arbWord = fc.oneof(fc.constant(0), fc.constant(-1), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }))

describe('setMaskSum', () => {
  test.prop([fc.integer({ min: 1, max: 8 }).chain((W) => fc.tuple(fc.constant(W), fc.array(fc.array(arbWord, { minLength: W, maxLength: W }), { minLength: 1, maxLength: 64 })))], { numRuns: 300 })(
    'the sum of k masks has the planes and count of adding them one by one (the ripple the drawer used)',
    ([W, masks]) => {
      const rippled = slicedNumber(W)
      for (const m of masks) addMaskTo(rippled, Int32Array.from(m), 0)
      const flat = Int32Array.from(masks.flat())
      // Reused, as the drawer reuses its numbers: garbage from a larger sum must not leak into a smaller one.
      const summed = slicedNumber(W)
      setMaskSum(summed, new Int32Array(64 * W).fill(-1), 64)
      setMaskSum(summed, flat, masks.length)
      expect(summed.count).toBe(rippled.count)
      expect(Array.from(summed.planes.subarray(0, summed.count * W))).toEqual(Array.from(rippled.planes.subarray(0, rippled.count * W)))
    },
  )
})

describe('setSum', () => {
  // A number of `count` planes (its top planes may be clear, as a drawn number's can be).
  const arbNumber = (W: number) => fc.array(fc.array(arbWord, { minLength: W, maxLength: W }), { maxLength: 7 })
  test.prop([fc.integer({ min: 1, max: 8 }).chain((W) => fc.tuple(fc.constant(W), arbNumber(W), arbNumber(W)))], { numRuns: 300 })(
    'a + b has the planes and count of copyNumber then addNumberTo (the ripple the layer used)',
    ([W, a, b]) => {
      const number = (planes: ReadonlyArray<ReadonlyArray<number>>) => {
        const x = slicedNumber(W)
        x.planes = new Int32Array(Math.max(1, planes.length) * W)
        x.planes.set(planes.flat())
        x.count = planes.length
        return x
      }
      const x = number(a)
      const y = number(b)
      const rippled = slicedNumber(W)
      copyNumber(rippled, x)
      addNumberTo(rippled, y)
      const summed = slicedNumber(W)
      // Reused: garbage from a larger sum must not leak into a smaller one.
      setSum(summed, number([[-1], [-1], [-1], [-1], [-1], [-1], [-1]].map(() => new Array<number>(W).fill(-1))), number([new Array<number>(W).fill(-1)]))
      setSum(summed, x, y)
      expect(summed.count).toBe(rippled.count)
      expect(Array.from(summed.planes.subarray(0, summed.count * W))).toEqual(Array.from(rippled.planes.subarray(0, rippled.count * W)))
    },
  )
})
