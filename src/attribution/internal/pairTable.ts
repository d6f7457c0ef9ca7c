/**
 * A hash table from a pair of 32-bit integers to a non-negative integer, in typed arrays (open addressing,
 * linear probing, grown at half full). The accumulator looks up a Markov state or edge for every touch: a `Map`
 * keyed by the pair packed into one number above 2^31 boxes that key into a heap number on every lookup, which
 * cost more than the lookup itself (order 4 on 1e6 paths: 9M lookups into 183k edges).
 *
 * @internal
 * @module
 */

/** @internal */
export interface PairTable {
  /** The value of (a, b), or -1 when absent. */
  readonly get: (a: number, b: number) => number
  /** Sets (a, b) to `value` (>= 0); the pair must be absent (the accumulator only adds). */
  readonly add: (a: number, b: number, value: number) => void
  readonly size: () => number
}

const EMPTY = -1

/** @internal A new table (`a` must not be -1: it marks empty cells). */
export const pairTable = (initialCapacity = 1024): PairTable => {
  let capacity = 1
  while (capacity < initialCapacity) capacity *= 2
  let keyA = new Int32Array(capacity).fill(EMPTY)
  let keyB = new Int32Array(capacity)
  let values = new Int32Array(capacity)
  let mask = capacity - 1
  let size = 0

  const hash = (a: number, b: number): number => {
    const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b)
    return h ^ (h >>> 15)
  }
  const place = (a: number, b: number, value: number) => {
    let i = hash(a, b) & mask
    while (keyA[i] !== EMPTY) i = (i + 1) & mask
    keyA[i] = a
    keyB[i] = b
    values[i] = value
  }

  const get = (a: number, b: number): number => {
    for (let i = hash(a, b) & mask; ; i = (i + 1) & mask) {
      const k = keyA[i]!
      if (k === EMPTY) return -1
      if (k === a && keyB[i] === b) return values[i]!
    }
  }

  const add = (a: number, b: number, value: number) => {
    size++
    if (size * 2 > mask + 1) {
      const [oldA, oldB, oldValues] = [keyA, keyB, values]
      keyA = new Int32Array(oldA.length * 2).fill(EMPTY)
      keyB = new Int32Array(oldA.length * 2)
      values = new Int32Array(oldA.length * 2)
      mask = keyA.length - 1
      for (let i = 0; i < oldA.length; i++) if (oldA[i] !== EMPTY) place(oldA[i]!, oldB[i]!, oldValues[i]!)
    }
    place(a, b, value)
  }

  return { get, add, size: () => size }
}
