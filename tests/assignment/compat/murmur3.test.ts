import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import murmurhash from 'murmurhash'
import { murmur3, murmur3LowByte, murmur3LowBytePrefixed, murmur3Suffixed } from '../../../src/assignment/compat/murmur3'
import { arbUnitId } from '../../_arbitraries'

// murmurhash3js (unleash-client's hash) ships no types.
const murmurhash3js = createRequire(import.meta.url)('murmurhash3js') as { readonly x86: { readonly hash32: (key: string, seed?: number) => number } }

const arbText = fc.oneof(arbUnitId, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 20 }))
const arbSeed = fc.oneof(fc.constant(1), fc.constant(0), fc.constant(86028157), fc.integer({ min: 0, max: 0xffffffff }))

describe('murmur3 (UTF-8)', () => {
  it('matches the published MurmurHash3 x86_32 test vectors (SMHasher / Wikipedia)', () => {
    expect(murmur3('', 0)).toBe(0)
    expect(murmur3('', 1)).toBe(0x514e28b7)
    expect(murmur3('', 0xffffffff)).toBe(0x81f16f39)
    expect(murmur3('\0\0\0\0', 0)).toBe(0x2362f9de)
    expect(murmur3('Hello, world!', 0x9747b28c)).toBe(0x24884cba)
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd)
  })

  test.prop([arbText, arbSeed], { numRuns: 3000 })('equals the murmurhash package v3 (TextEncoder bytes) for any string', (text, seed) => {
    expect(murmur3(text, seed)).toBe(murmurhash.v3(text, seed))
  })

  test.prop([arbText, arbText, arbSeed], { numRuns: 3000 })('a precomputed suffix equals hashing the concatenation', (text, suffix, seed) => {
    expect(murmur3Suffixed(suffix, seed)(text)).toBe(murmurhash.v3(text + suffix, seed))
  })

  it('encodes lone surrogates as U+FFFD, as TextEncoder does, and joins a pair split across id and suffix', () => {
    expect(murmur3('\ud800', 1)).toBe(murmur3('\ufffd', 1))
    expect(murmur3('a\udc00b', 1)).toBe(murmurhash.v3('a\udc00b', 1))
    expect(murmur3Suffixed('\ude00', 1)('x\ud83d')).toBe(murmurhash.v3('x😀', 1))
  })
})

describe('murmur3LowByte (murmurhash3js)', () => {
  test.prop([arbText, arbSeed], { numRuns: 3000 })('equals murmurhash3js x86.hash32 for any string', (text, seed) => {
    expect(murmur3LowByte(text, seed)).toBe(murmurhash3js.x86.hash32(text, seed))
  })

  test.prop([arbText, arbText, arbSeed], { numRuns: 3000 })('a precomputed prefix equals hashing the concatenation', (prefix, text, seed) => {
    expect(murmur3LowBytePrefixed(prefix, seed)(text)).toBe(murmurhash3js.x86.hash32(prefix + text, seed))
  })

  test.prop([fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), arbSeed])('equals the UTF-8 hash on ASCII', (text, seed) => {
    expect(murmur3LowByte(text, seed)).toBe(murmur3(text, seed))
  })

  it('keeps only the low byte of each UTF-16 unit: "ø" (U+00F8) and "Ǹ" (U+01F8) collide', () => {
    expect(murmur3LowByte('ø:1', 0)).toBe(murmur3LowByte('\u01f8:1', 0))
    // Values from the peer spec (shared/reference/assignment.md §3), computed there with murmurhash3js and UTF-8 murmur.
    expect(murmur3LowByte('ø:1', 0)).toBe(419750084)
    expect(murmur3('ø:1', 0)).toBe(1783320957)
  })
})
