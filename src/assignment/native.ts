/**
 * Building blocks for experiments bucketed by touchpoint's native hash (`tp1`).
 *
 * @module
 */
import { bucketFromState, NATIVE_BUCKETS, seedState } from './hash'
import type { Gate, Hashing, Split } from './model'

/**
 * Native hashing under `seed`: the seed's FNV state is computed here, once.
 *
 * @internal
 */
export const nativeHashing = (seed: string): Hashing => {
  const state = seedState(seed)
  return { seed: `tp1/${seed}`, size: NATIVE_BUCKETS, bucket: (unitId) => bucketFromState(state, unitId) }
}

/** A share in [0, 1] as a whole number of native buckets. @internal */
export const toBuckets = (share: number): number => Math.round(share * NATIVE_BUCKETS)

/**
 * Cumulative integer bucket bounds of weights: variant `i` owns `[bounds[i-1], bounds[i])`.
 * Rounding each cumulative share (not each weight) keeps the bounds monotone and the last one at 10000.
 *
 * @internal
 */
export const boundsOf = (weights: ReadonlyArray<number>): ReadonlyArray<number> => {
  let cumulative = 0
  return weights.map((w, i) => {
    cumulative += w
    return i === weights.length - 1 ? NATIVE_BUCKETS : Math.min(NATIVE_BUCKETS, toBuckets(cumulative))
  })
}

/**
 * A native split by weights over `variant:<salt>`.
 *
 * @internal
 */
export const nativeSplit = (salt: string, weights: ReadonlyArray<number>): Split => {
  const bounds = Int32Array.from(boundsOf(weights))
  const last = bounds.length - 1
  return {
    hashing: nativeHashing(`variant:${salt}`),
    variantAt: (bucket) => {
      for (let i = 0; i < last; i++) if (bucket < bounds[i]!) return i
      return last
    },
  }
}

/** Units whose `coverage:<salt>` bucket is below the coverage are admitted. @internal */
export const coverageGate = (salt: string, coverage: number): Gate => {
  const limit = toBuckets(coverage)
  return { reason: 'coverage', attribute: undefined, required: false, hashing: nativeHashing(`coverage:${salt}`), admits: (b) => b < limit }
}

/** Units whose `holdout:<salt>` bucket is below the share are held out. @internal */
export const holdoutGate = (salt: string, share: number, attribute: string | undefined): Gate => {
  const limit = toBuckets(share)
  return { reason: 'holdout', attribute, required: false, hashing: nativeHashing(`holdout:${salt}`), admits: (b) => b >= limit }
}

/** Units whose `layer:<salt>` bucket is in one of the experiment's `[start, end)` ranges are admitted. @internal */
export const layerGate = (salt: string, ranges: ReadonlyArray<readonly [number, number]>): Gate => {
  const flat = Int32Array.from(ranges.flatMap(([s, e]) => [toBuckets(s), toBuckets(e)]))
  return {
    reason: 'layer',
    attribute: undefined,
    required: false,
    hashing: nativeHashing(`layer:${salt}`),
    admits: (b) => {
      for (let i = 0; i < flat.length; i += 2) if (b >= flat[i]! && b < flat[i + 1]!) return true
      return false
    },
  }
}
