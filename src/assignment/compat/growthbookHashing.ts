/**
 * GrowthBook's hashes (v1, v2) as touchpoint `Hashing`, its float bucket ranges as exact integer bucket spans,
 * and the namespace and filter gates.
 *
 * @module
 */
import type { Gate, Hashing, Split } from '../model'
import { FNV_OFFSET, fnv1a16, fnv1aDecimal } from './fnv'

// ---------------------------------------------------------------------------------------------------------------
// hashing and ranges
// ---------------------------------------------------------------------------------------------------------------

/** GrowthBook's hash versions, as touchpoint names them in results and exposures. */
export const HASH_VERSION_NAMES = { 1: 'growthbook-v1', 2: 'growthbook-v2' } as const

export type HashVersion = 1 | 2

const V1_BUCKETS = 1000
const V2_BUCKETS = 10_000

// GrowthBook's hash() divides the integer by the size: the same double, so result.bucket compares equal.
const reportedV2 = (bucket: number) => bucket / V2_BUCKETS
const reportedV1 = (bucket: number) => bucket / V1_BUCKETS

/**
 * GrowthBook's hash of `value` under `seed` as an integer bucket: v2 in [0, 9999], v1 in [0, 999]. GrowthBook's
 * `hash()` is this bucket divided by the size.
 *
 * @internal
 */
export const growthBookHashing = (version: HashVersion, seed: string): Hashing => {
  if (version === 2) {
    const state = fnv1a16(FNV_OFFSET, seed)
    return {
      seed: `gb2/${seed}`,
      size: V2_BUCKETS,
      bucket: (unitId) => fnv1aDecimal(fnv1a16(state, unitId) >>> 0) % V2_BUCKETS,
      reported: reportedV2,
    }
  }
  // v1 hashes id + seed: the constant comes last, so the id is hashed first and the seed's units after it.
  return {
    seed: `gb1/${seed}`,
    size: V1_BUCKETS,
    bucket: (unitId) => (fnv1a16(fnv1a16(FNV_OFFSET, unitId), seed) >>> 0) % V1_BUCKETS,
    reported: reportedV1,
  }
}

/** GrowthBook's `getBucketRanges` (util.ts), float for float; a null coverage multiplies as 0. @internal */
export const growthBookRanges = (
  numVariations: number,
  coverage: number | null | undefined,
  weights: ReadonlyArray<number> | undefined,
): ReadonlyArray<readonly [number, number]> => {
  let c = coverage === undefined ? 1 : coverage === null ? 0 : coverage
  if (c < 0) c = 0
  else if (c > 1) c = 1
  const equal = numVariations <= 0 ? [] : new Array<number>(numVariations).fill(1 / numVariations)
  let w = weights ?? equal
  if (w.length !== numVariations) w = equal
  const total = w.reduce((sum, x) => sum + x, 0)
  if (total < 0.99 || total > 1.01) w = equal
  let cumulative = 0
  return w.map((x) => {
    const start = cumulative
    cumulative += x
    return [start, start + c * x] as const
  })
}

/** The first bucket in [0, size] whose float `b / size` satisfies a predicate that, once true, stays true. */
const firstBucket = (size: number, predicate: (n: number) => boolean): number => {
  let lo = 0
  let hi = size
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (predicate(mid / size)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The integer buckets `[from, to)` whose float `b / size` GrowthBook's `inRange` puts in `[start, end)`.
 * Division by `size` is monotone, so `n >= start` and `!(n < end)` each switch from false to true once; a NaN
 * bound gives an empty interval, as GrowthBook's comparisons do.
 */
const bucketSpans = (size: number, ranges: ReadonlyArray<readonly [number, number]>): Int32Array => {
  const spans = new Int32Array(ranges.length * 2)
  ranges.forEach(([start, end], i) => {
    spans[2 * i] = firstBucket(size, (n) => n >= start)
    spans[2 * i + 1] = firstBucket(size, (n) => !(n < end))
  })
  return spans
}

/**
 * GrowthBook's `chooseVariation` over integer buckets; an index past the variations is not enrolled. With
 * `force` (GrowthBook's step 11, after coverage), every bucket a range owns goes to the forced index, or to
 * none when the index is not a variation's (as `force: undefined` does).
 *
 * @internal
 */
export const growthBookSplit = (
  hashing: Hashing,
  ranges: ReadonlyArray<readonly [number, number]>,
  numVariations: number,
  force?: { readonly index: number | undefined },
): Split => {
  const spans = bucketSpans(hashing.size, ranges)
  const n = ranges.length
  const forced = force === undefined ? undefined : force.index !== undefined && force.index >= 0 && force.index < numVariations ? force.index : -1
  return {
    hashing,
    variantAt: (bucket) => {
      for (let i = 0; i < n; i++) {
        if (bucket >= spans[2 * i]! && bucket < spans[2 * i + 1]!) return forced ?? (i < numVariations ? i : -1)
      }
      return -1
    },
  }
}

/** A gate admitting units whose bucket lies in any of the ranges. */
export const rangeGate = (
  hashing: Hashing,
  ranges: ReadonlyArray<readonly [number, number]>,
  attribute: string | undefined,
): Gate => {
  const spans = bucketSpans(hashing.size, ranges)
  return {
    reason: 'layer',
    attribute,
    required: true,
    hashing,
    admits: (bucket) => {
      for (let i = 0; i < spans.length; i += 2) if (bucket >= spans[i]! && bucket < spans[i + 1]!) return true
      return false
    },
  }
}
