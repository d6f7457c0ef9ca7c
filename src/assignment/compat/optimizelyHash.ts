/**
 * Optimizely's bucketing: the hash version, the 10,000 buckets, `murmur3(bucketingId + entityId, seed 1)` and the
 * `trafficAllocation` walk (`core/bucketer`). Split from optimizely.ts.
 *
 * @module
 */
import type { Hashing } from '../model'
import { murmur3Suffixed } from './murmur3'

/**
 * Names the scheme in results and exposure logs.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_HASH_VERSION = 'optimizely'

/**
 * Optimizely's bucket space: `endOfRange` values run to 10000.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_BUCKETS = 10_000

/**
 * The unit attribute holding Optimizely's user id.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_UNIT = 'userId'

const HASH_SEED = 1

// ---------------------------------------------------------------------------------------------------------------
// Hashing

/**
 * Optimizely's bucket in [0, 9999] of `bucketingId + entityId` (an experiment or group id): MurmurHash3 x86_32
 * of the UTF-8 bytes, seed 1, scaled as the SDK does (`floor(h / 2^32 * 10000)`, exact in doubles).
 *
 * @example
 * optimizelyBucket('10390977673')('user-42') // => 251  (the SDK logs "Assigned bucket 251 to user")
 *
 * @category hashing
 * @since 0.1.0
 */
export const optimizelyBucket = (entityId: string): ((bucketingId: string) => number) => {
  const hash = murmur3Suffixed(entityId, HASH_SEED)
  return (bucketingId) => {
    const h = hash(bucketingId)
    return h < 0 ? -1 : Math.floor((h * OPTIMIZELY_BUCKETS) / 4294967296) // -1: not a string (plain JavaScript)
  }
}

export const hashingOf = (entityId: string): Hashing => ({
  seed: `optimizely/${entityId}`,
  size: OPTIMIZELY_BUCKETS,
  bucket: optimizelyBucket(entityId),
})

/**
 * `_findBucket`: the value of the first entry whose `endOfRange` exceeds the bucket, else -1. Entries past one
 * that ends at or beyond 10000 are unreachable and dropped; a linear scan over the rest (a handful) costs less
 * than a 10,000-slot table per experiment would weigh in a large datafile.
 */
export const allocationLookup = (entries: ReadonlyArray<{ readonly endOfRange: number }>, valueOf: (i: number) => number): ((bucket: number) => number) => {
  const ends: Array<number> = []
  const values: Array<number> = []
  for (let i = 0; i < entries.length; i++) {
    ends.push(entries[i]!.endOfRange)
    values.push(valueOf(i))
    if (entries[i]!.endOfRange >= OPTIMIZELY_BUCKETS) break
  }
  const endArray = Float64Array.from(ends)
  const valueArray = Int32Array.from(values)
  const n = endArray.length
  return (bucket) => {
    for (let i = 0; i < n; i++) if (bucket < endArray[i]!) return valueArray[i]!
    return -1
  }
}
