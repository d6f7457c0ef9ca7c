/**
 * Unleash's constants and bucketing: unleash-client's `normalizedValue` (murmur3 of `groupId:id`, low byte of
 * each UTF-16 unit) as touchpoint `Hashing`. Split from unleash.ts.
 *
 * @module
 */
import type { Hashing } from '../model'
import { murmur3LowBytePrefixed } from './murmur3'

/**
 * Names the scheme in results and exposure logs.
 *
 * @category constants
 * @since 0.1.0
 */
export const UNLEASH_HASH_VERSION = 'unleash'

/**
 * unleash-client's seed for the rollout hash (`STRATEGY_SEED`).
 *
 * @category constants
 * @since 0.1.0
 */
export const UNLEASH_STRATEGY_SEED = 0

/**
 * unleash-client's seed for the variant hash (`VARIANT_SEED`, client-specification PR #68).
 *
 * @category constants
 * @since 0.1.0
 */
export const UNLEASH_VARIANT_SEED = 86028157

/**
 * The variant key of a toggle that has no variants: `Enrolled` then means "isEnabled".
 *
 * @category constants
 * @since 0.1.0
 */
export const UNLEASH_ENABLED_VARIANT = 'enabled'

/**
 * The unit attribute Unleash's `default` stickiness reads first.
 *
 * @category constants
 * @since 0.1.0
 */
export const UNLEASH_DEFAULT_UNIT = 'userId'

/**
 * `normalizedValue` of unleash-client, 0-based: `murmurhash3js.x86.hash32(groupId + ":" + id, seed) % size`, with
 * the `groupId:` prefix's hash state precomputed.
 *
 * @example
 * unleashBucket('checkout', 100, 0)('user-42') + 1 // => 42  (unleash-client's normalizedStrategyValue('user-42', 'checkout'))
 *
 * @category hashing
 * @since 0.1.0
 */
export const unleashBucket = (groupId: string, size: number, seed: number): ((id: string) => number) => {
  // -1 for what plain JavaScript may pass and Unleash could not hash: a group id that is no string, no size.
  if (typeof groupId !== 'string' || !(Number.isInteger(size) && size > 0)) return () => -1
  const hash = murmur3LowBytePrefixed(`${groupId}:`, seed)
  return (id) => {
    const h = hash(id)
    return h < 0 ? -1 : h % size
  }
}

export const hashingOf = (groupId: string, size: number, seed: number): Hashing => ({
  seed: `unleash/${seed}/${groupId}`,
  size,
  bucket: unleashBucket(groupId, size, seed),
  reported: (bucket) => bucket + 1, // the SDK's 1-based normalizedValue
})

/** `undefined` when the stickiness is reproducible, else why not. */
