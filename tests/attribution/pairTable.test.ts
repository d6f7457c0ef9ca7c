import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { pairTable } from '../../src/attribution/internal/pairTable'

// Keys as the accumulator makes them (small state numbers, window lengths, packed windows that may be negative as
// int32) and wide ones; few distinct values, so pairs repeat and collide.
const arbKey = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: -2 }))
const arbPair = fc.tuple(arbKey, fc.oneof(fc.integer({ min: -3, max: 40 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })))

describe('pairTable', () => {
  test.prop([fc.array(arbPair, { maxLength: 3000 }), fc.array(arbPair, { maxLength: 50 }), fc.integer({ min: 1, max: 64 })])(
    'answers as a Map of the pairs would, through any number of growths',
    (pairs, probes, initialCapacity) => {
      const table = pairTable(initialCapacity)
      const model = new Map<string, number>()
      for (const [a, b] of pairs) {
        const key = `${a},${b}`
        if (model.has(key)) continue
        expect(table.get(a, b)).toBe(-1)
        table.add(a, b, model.size)
        model.set(key, model.size)
      }
      expect(table.size()).toBe(model.size)
      for (const [a, b] of [...pairs, ...probes]) expect(table.get(a, b)).toBe(model.get(`${a},${b}`) ?? -1)
    },
  )
})
