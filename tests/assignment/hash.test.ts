import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { bucketFromState, fmix32, fnv1aUtf8, nativeBucket, nativeHash, seedState, NATIVE_BUCKETS } from '../../src/assignment/hash'
import { readFileSync } from 'node:fs'
import { chiSquareGof } from '../_chiSquare'
import { arbUnitId } from '../_arbitraries'

// Read, not imported: Vite's JSON loader rejects the lone surrogates some vectors hold on purpose.
const vectors = JSON.parse(readFileSync(new URL('../golden/native-hash.json', import.meta.url), 'utf8')) as {
  readonly vectors: ReadonlyArray<{ readonly seed: string; readonly unitId: string; readonly hash: number; readonly bucket: number }>
}

/** The spec, step by step, over TextEncoder's bytes: an independent second implementation. */
const referenceHash = (seed: string, unitId: string): number => {
  const bytes = [...new TextEncoder().encode(seed), 0, ...new TextEncoder().encode(unitId)]
  let h = 0x811c9dc5
  for (const b of bytes) h = Number((BigInt((h ^ b) >>> 0) * 0x01000193n) % 2n ** 32n)
  const mul = (a: number, c: bigint) => Number((BigInt(a) * c) % 2n ** 32n)
  h = (h ^ (h >>> 16)) >>> 0
  h = mul(h, 0x85ebca6bn)
  h = (h ^ (h >>> 13)) >>> 0
  h = mul(h, 0xc2b2ae35n)
  return (h ^ (h >>> 16)) >>> 0
}

describe('native hash tp1', () => {
  it('matches the published test vectors (independent Python implementation)', () => {
    expect(vectors.vectors.length).toBeGreaterThan(100)
    for (const v of vectors.vectors) {
      expect({ seed: v.seed, unitId: v.unitId, hash: nativeHash(v.seed, v.unitId) }).toEqual({ seed: v.seed, unitId: v.unitId, hash: v.hash })
      expect(nativeBucket(v.seed, v.unitId)).toBe(v.bucket)
    }
  })

  test.prop([fc.string(), arbUnitId])('equals the spec computed over TextEncoder bytes, for any string', (seed, unitId) => {
    expect(nativeHash(seed, unitId)).toBe(referenceHash(seed, unitId))
  })

  test.prop([fc.string(), arbUnitId])('continuing from a precomputed seed state equals hashing from scratch', (seed, unitId) => {
    expect(bucketFromState(seedState(seed), unitId)).toBe(nativeBucket(seed, unitId))
  })

  test.prop([fc.string(), arbUnitId])('buckets are integers in [0, 9999]', (seed, unitId) => {
    const b = nativeBucket(seed, unitId)
    expect(Number.isInteger(b) && b >= 0 && b < NATIVE_BUCKETS).toBe(true)
  })

  it('FNV state after a prefix continues exactly like hashing the concatenation', () => {
    const s = fnv1aUtf8(fnv1aUtf8(0x811c9dc5, 'ab😀'), 'cd\u00e9')
    expect(s).toBe(fnv1aUtf8(0x811c9dc5, 'ab😀cd\u00e9'))
  })

  // Sequential ids are FNV's worst case (they differ only in the last bytes); fmix32 must spread them.
  it.each(['user-', '', 'device:00000'])('spreads sequential ids %j uniformly over 20 bucket bands', (prefix) => {
    const counts = new Array<number>(20).fill(0)
    const state = seedState('variant:uniformity')
    for (let i = 0; i < 60_000; i++) counts[Math.floor(bucketFromState(state, `${prefix}${i}`) / 500)]!++
    expect(chiSquareGof(counts, new Array(20).fill(1 / 20))).toBeGreaterThan(1e-4)
  })

  it('low bits are uniform too (bucket parity and mod 7)', () => {
    const state = seedState('variant:low-bits')
    const parity = [0, 0]
    const mod7 = new Array<number>(7).fill(0)
    for (let i = 0; i < 50_000; i++) {
      const h = fmix32(fnv1aUtf8(state, `u${i}`))
      parity[h & 1]!++
      mod7[h % 7]!++
    }
    expect(chiSquareGof(parity, [0.5, 0.5])).toBeGreaterThan(1e-4)
    expect(chiSquareGof(mod7, new Array(7).fill(1 / 7))).toBeGreaterThan(1e-4)
  })
})
