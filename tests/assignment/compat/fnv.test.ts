import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { FNV_OFFSET, fnv1a16, fnv1aDecimal } from '../../../src/assignment/compat/fnv'
import { arbUnitId } from '../../_arbitraries'

/** GrowthBook's hashFnv32a (util.ts, 1.8.0), copied as written: the shifts-and-adds form. */
const gbFnv = (str: string): number => {
  let hval = 0x811c9dc5
  for (let i = 0; i < str.length; i++) {
    hval ^= str.charCodeAt(i)
    hval += (hval << 1) + (hval << 4) + (hval << 7) + (hval << 8) + (hval << 24)
  }
  return hval >>> 0
}

describe('fnv1a16', () => {
  test.prop([arbUnitId], { numRuns: 5000 })('equals GrowthBook hashFnv32a over UTF-16 code units', (s) => {
    expect(fnv1a16(FNV_OFFSET, s) >>> 0).toBe(gbFnv(s))
  })

  test.prop([arbUnitId, arbUnitId])('continuing from a prefix state equals hashing the concatenation', (a, b) => {
    expect(fnv1a16(fnv1a16(FNV_OFFSET, a), b) >>> 0).toBe(gbFnv(a + b))
  })
})

describe('fnv1aDecimal', () => {
  test.prop([fc.nat({ max: 0xffffffff })], { numRuns: 20000 })('equals hashing String(n) for every uint32', (n) => {
    expect(fnv1aDecimal(n)).toBe(gbFnv(String(n)))
  })

  test.prop([fc.constantFrom(0, 1, 9, 10, 99999, 100000, 100001, 1000000, 4294967295, 4294900000, 4294967290)])(
    'digit-count and leading-zero boundaries',
    (n) => {
      expect(fnv1aDecimal(n)).toBe(gbFnv(String(n)))
    },
  )
})
