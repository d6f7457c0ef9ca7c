/**
 * touchpoint's native bucketing hash, version `tp1`. Fully specified so another language can port it bit for bit:
 *
 * 1. Bytes: `UTF-8(seed) ‖ 0x00 ‖ UTF-8(unitId)`, UTF-8 as `TextEncoder` writes it (a lone surrogate becomes
 *    U+FFFD, `EF BF BD`).
 * 2. FNV-1a 32 over those bytes: `h = 0x811c9dc5`; per byte `h = (h XOR byte) * 0x01000193 mod 2^32`.
 * 3. Finalise with MurmurHash3's `fmix32`: `h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35;
 *    h ^= h >>> 16` (multiplications mod 2^32). FNV alone lets the last bytes reach only the high bits; fmix32
 *    spreads every input bit over every output bit, so ids that differ in one character land far apart.
 * 4. Bucket: `floor(h * 10000 / 2^32)`, an integer in [0, 9999] (multiply-shift, not modulo: no bias toward low
 *    buckets).
 *
 * The seed is `purpose + ":" + salt`, with purpose one of `variant`, `coverage`, `layer`, `holdout`, so the four
 * decisions about one unit use unrelated hashes. The state after `seed ‖ 0x00` is computed once when a config is
 * decoded; assigning a unit continues from it over the id's bytes, so no string is built per call.
 *
 * @module
 */

/** Buckets in the native hash space: weights, coverage and layer ranges resolve to 1/10000. */
export const NATIVE_BUCKETS = 10_000

/** Identifies the native algorithm in results and exposure logs. */
export const NATIVE_HASH_VERSION = 'tp1'

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/**
 * FNV-1a 32 state after feeding the UTF-8 bytes of `text` to `state`.
 * UTF-8 is encoded inline (no `TextEncoder`: the core runs where it is absent, and this allocates nothing).
 *
 * @internal
 */
export const fnv1aUtf8 = (state: number, text: string): number => {
  let h = state
  const n = text.length
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i)
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME)
      continue
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
      continue
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        i++
        h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME)
        h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME)
        h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME)
        h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
        continue
      }
      c = 0xfffd // lone surrogate, as TextEncoder replaces it
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME)
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME)
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
  }
  return h
}

/**
 * The FNV state after `UTF-8(seed) ‖ 0x00`: computed once per seed at decode time.
 *
 * @internal
 */
export const seedState = (seed: string): number =>
  Math.imul(fnv1aUtf8(FNV_OFFSET, seed) ^ 0x00, FNV_PRIME) // the separator byte 0x00: h = (h XOR 0) * prime

/**
 * MurmurHash3 finaliser as an int32 (`>>> 0` gives the uint32): returned signed, so a call that is not inlined
 * passes a small integer, not a boxed number, and the hot path allocates nothing.
 */
const fmix32Signed = (input: number): number => {
  let h = input
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** MurmurHash3 finaliser: full avalanche over 32 bits. @internal */
export const fmix32 = (input: number): number => fmix32Signed(input) >>> 0

/**
 * The 32-bit native hash of a unit id under a seed state from `seedState`.
 *
 * @internal
 */
export const hashFromState = (state: number, unitId: string): number => fmix32(fnv1aUtf8(state, unitId))

/**
 * The native bucket of a unit id under a seed state from `seedState`.
 *
 * @internal
 */
export const bucketFromState = (state: number, unitId: string): number =>
  // h < 2^32 and 10000 < 2^14, so the product is an exact integer in a double, and the quotient by 2^32 exact;
  // `| 0` floors it (it is below 2^31) into a small integer: Math.floor's double would be boxed on return.
  (((fmix32Signed(fnv1aUtf8(state, unitId)) >>> 0) * NATIVE_BUCKETS) / 4294967296) | 0

/**
 * The native 32-bit hash of `unitId` under `seed`: step 3 of the spec above.
 *
 * **Gotchas**: -1 (never a hash) when either argument is not a string (plain JavaScript callers).
 *
 * @example
 * nativeHash('variant:checkout-button', 'user-42') // => 3575526673  (0xd51e3511; more in tests/golden/native-hash.json)
 *
 * @category hashing
 * @since 0.1.0
 */
export const nativeHash = (seed: string, unitId: string): number =>
  typeof seed === 'string' && typeof unitId === 'string' ? hashFromState(seedState(seed), unitId) : -1

/**
 * The native bucket in [0, 9999] of `unitId` under `seed`: the published, portable part of the algorithm.
 *
 * **Gotchas**: -1 when either argument is not a string (plain JavaScript callers).
 *
 * @example
 * nativeBucket('variant:checkout-button', 'user-42') // => 8324  (in [0, 9999], identical in every runtime)
 *
 * @category hashing
 * @since 0.1.0
 */
export const nativeBucket = (seed: string, unitId: string): number =>
  typeof seed === 'string' && typeof unitId === 'string' ? bucketFromState(seedState(seed), unitId) : -1
