/**
 * FNV-1a 32 over UTF-16 code units, bit for bit as GrowthBook's JavaScript SDK computes it (`hashFnv32a` in
 * `@growthbook/growthbook` `src/util.ts`), but without building strings:
 *
 * - GrowthBook writes the multiplication as `h += (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)`;
 *   that is `h * 16777619 mod 2^32`, which `Math.imul(h, 0x01000193)` computes in one instruction.
 * - It hashes `charCodeAt` code units, so an emoji is two units and a lone surrogate one. (GrowthBook's Python
 *   SDK hashes code points instead and differs on astral characters; touchpoint matches the JavaScript SDK.)
 * - The state is a plain int32 between steps, so a hash over `a + b` is `fnv1a16(fnv1a16(OFFSET, a), b)`: a
 *   constant prefix (an experiment seed) is hashed once, when a config is decoded.
 *
 * @module
 */

/** The FNV-1a 32 offset basis (as an int32). @internal */
export const FNV_OFFSET = 0x811c9dc5 | 0

const FNV_PRIME = 0x01000193

/**
 * The FNV-1a 32 state after feeding the UTF-16 code units of `text` to `state` (an int32; `>>> 0` gives the
 * unsigned hash).
 *
 * @internal
 */
export const fnv1a16 = (state: number, text: string): number => {
  let h = state
  const n = text.length
  for (let i = 0; i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME)
  return h
}

/**
 * FNV-1a 32 of the decimal digits of `value` (a uint32), i.e. `fnv1a16(FNV_OFFSET, String(value)) >>> 0`,
 * without the string. GrowthBook's v2 hash feeds its first hash back as text; this is that second round.
 * Integer arithmetic only: the value is split into a high part below 42950 and five low digits, each small
 * enough for `| 0` division.
 *
 * @internal
 */
export const fnv1aDecimal = (value: number): number => {
  let h = FNV_OFFSET
  const high = Math.floor(value / 100000)
  const low = value - high * 100000
  if (high > 0) {
    let p = 1
    while (p * 10 <= high) p *= 10
    for (; p >= 1; p = (p / 10) | 0) h = Math.imul(h ^ (48 + (((high / p) | 0) % 10)), FNV_PRIME)
    // The low part keeps its leading zeros: 1_000_000 is "1" then "00000".
    for (let q = 10000; q >= 1; q = (q / 10) | 0) h = Math.imul(h ^ (48 + (((low / q) | 0) % 10)), FNV_PRIME)
  } else {
    let p = 1
    while (p * 10 <= low) p *= 10
    for (; p >= 1; p = (p / 10) | 0) h = Math.imul(h ^ (48 + (((low / p) | 0) % 10)), FNV_PRIME)
  }
  return h >>> 0
}
