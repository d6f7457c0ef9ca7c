/**
 * Distinct paths with their conversions, value and nulls: exact while there are at most `capacity` of them,
 * beyond that a weighted Misra–Gries summary on `conversions + nulls` (see `PathSummary`): when an insert makes
 * `capacity + 1` entries, the (⌊capacity/2⌋ + 1)-th largest weight d is subtracted from every entry (scaling its
 * conversions, value and nulls alike), entries left at 0 are dropped and d is added to the error.
 *
 * A table of 1e6 distinct paths churns through that summary a million times, so it lives in typed arrays: entries
 * in insertion order (their channels in one pool), found through an open-addressing index on a 64-bit hash of the
 * channel indexes, every hit checked against the stored channels. A prune compacts the entries and rebuilds the
 * index. No string and no object per path.
 *
 * @internal
 * @module
 */
import type { PathCount, PathSummary } from './model'

/** @internal */
export interface PathTable {
  readonly add: (path: ArrayLike<number>, n: number, conversions: number, value: number, nulls: number) => void
  /** Adds a summary's paths, renumbering channels by `map`, and its error. */
  readonly absorb: (summary: PathSummary, map: ReadonlyArray<number>) => void
  readonly snapshot: () => PathSummary
}

/** The k-th smallest of xs[0 .. n) (0-based), reordering xs (Hoare's selection). */
const select = (xs: Float64Array, n: number, k: number): number => {
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const pivot = xs[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (xs[i]! < pivot) i++
      while (xs[j]! > pivot) j--
      if (i <= j) {
        const t = xs[i]!
        xs[i] = xs[j]!
        xs[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return xs[k]!
  }
  return xs[k]!
}

const EMPTY = -1

/** @internal */
export const pathTable = (capacity: number): PathTable => {
  // Entries 0 .. count, in insertion order.
  let count = 0
  let room = 0
  let hashA = new Int32Array(0)
  let hashB = new Int32Array(0)
  let start = new Int32Array(0)
  let length = new Int32Array(0)
  let conv = new Float64Array(0)
  let value = new Float64Array(0)
  let nulls = new Float64Array(0)
  // Channels of the entries: bytes while every channel index is below 256 (a quarter of the memory the appends and
  // prunes stream through), 32-bit from the first one that is not.
  let pool: Uint8Array | Int32Array = new Uint8Array(1024)
  let poolUsed = 0
  let wide = false
  // Index: hash -> entry, open addressing with linear probing, at most half full. Its read is the one random
  // access of most adds (a path seen once), so up to 65,536 cells (entries < 32,768: 0xffff is free for "empty")
  // it has 16-bit cells, half the cache lines of 32-bit ones.
  let empty = EMPTY
  const cellsOf = (n: number): Int32Array | Uint16Array => {
    empty = n <= 0x10000 ? 0xffff : EMPTY
    return n <= 0x10000 ? new Uint16Array(n) : new Int32Array(n)
  }
  let index = cellsOf(16).fill(empty)
  let mask = 15
  let error = 0
  let weights = new Float64Array(0)
  let h1 = 0
  let h2 = 0
  // The hashed path's channels OR-ed together: above 255 when one does not fit a byte.
  let bits = 0

  const hash = (path: ArrayLike<number>, n: number) => {
    let a = 0x9747b28c ^ n
    let b = 0x2545f491 ^ Math.imul(n, 0x9e3779b1)
    let or = 0
    for (let i = 0; i < n; i++) {
      const k = path[i]!
      or |= k
      a = Math.imul(a ^ k, 0x01000193)
      a = (a << 13) | (a >>> 19)
      b = Math.imul(b + k, 0x85ebca6b)
      b ^= b >>> 15
    }
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b)
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
    h1 = a ^ (a >>> 16)
    b = Math.imul(b ^ (b >>> 16), 0x7feb352d)
    b = Math.imul(b ^ (b >>> 15), 0x846ca68b)
    h2 = b ^ (b >>> 16)
    bits = or
  }

  const grow = () => {
    room = Math.max(64, 2 * room)
    const copyI = (a: Int32Array) => {
      const next = new Int32Array(room)
      next.set(a.subarray(0, count))
      return next
    }
    const copyF = (a: Float64Array) => {
      const next = new Float64Array(room)
      next.set(a.subarray(0, count))
      return next
    }
    hashA = copyI(hashA)
    hashB = copyI(hashB)
    start = copyI(start)
    length = copyI(length)
    conv = copyF(conv)
    value = copyF(value)
    nulls = copyF(nulls)
  }

  const place = (e: number) => {
    let i = (hashA[e]! ^ Math.imul(hashB[e]!, 0x27d4eb2f)) & mask
    while (index[i] !== empty) i = (i + 1) & mask
    index[i] = e
  }

  const reindex = (size: number) => {
    let cells = 16
    while (cells < 2 * size) cells *= 2
    if (cells !== index.length) index = cellsOf(cells)
    index.fill(empty)
    mask = cells - 1
    for (let e = 0; e < count; e++) place(e)
  }

  const same = (e: number, path: ArrayLike<number>, n: number): boolean => {
    if (length[e] !== n) return false
    const s = start[e]!
    for (let i = 0; i < n; i++) if (pool[s + i] !== path[i]) return false
    return true
  }

  const prune = () => {
    // Weighted Misra–Gries: subtract the (keep+1)-th largest weight from all, drop the emptied.
    const keep = Math.floor(capacity / 2)
    if (weights.length < count) weights = new Float64Array(room)
    for (let e = 0; e < count; e++) weights[e] = conv[e]! + nulls[e]!
    const d = keep < count ? select(weights, count, count - 1 - keep) : 0
    if (d <= 0) return
    let kept = 0
    let poolKept = 0
    for (let e = 0; e < count; e++) {
      const w = conv[e]! + nulls[e]!
      if (w <= d) continue
      const f = (w - d) / w
      const s = start[e]!
      const n = length[e]!
      // A loop, not copyWithin: a path is a few channels, and a call per kept entry cost more than the copy.
      for (let i = 0; i < n; i++) pool[poolKept + i] = pool[s + i]!
      hashA[kept] = hashA[e]!
      hashB[kept] = hashB[e]!
      start[kept] = poolKept
      length[kept] = n
      conv[kept] = conv[e]! * f
      value[kept] = value[e]! * f
      nulls[kept] = nulls[e]! * f
      poolKept += n
      kept++
    }
    count = kept
    poolUsed = poolKept
    error += d
    reindex(capacity + 1)
  }

  const add = (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    hash(path, n)
    let i = (h1 ^ Math.imul(h2, 0x27d4eb2f)) & mask
    for (;;) {
      const e = index[i]!
      if (e === empty) break
      if (hashA[e] === h1 && hashB[e] === h2 && same(e, path, n)) {
        conv[e] = conv[e]! + c
        value[e] = value[e]! + v
        nulls[e] = nulls[e]! + u
        return
      }
      i = (i + 1) & mask
    }
    if (count === room) grow()
    if (!wide && (bits & ~255) !== 0) {
      wide = true
      const next = new Int32Array(pool.length)
      next.set(pool.subarray(0, poolUsed))
      pool = next
    }
    if (poolUsed + n > pool.length) {
      const next = wide ? new Int32Array(Math.max(2 * pool.length, poolUsed + n)) : new Uint8Array(Math.max(2 * pool.length, poolUsed + n))
      next.set(pool.subarray(0, poolUsed))
      pool = next
    }
    const e = count++
    hashA[e] = h1
    hashB[e] = h2
    start[e] = poolUsed
    length[e] = n
    for (let k = 0; k < n; k++) pool[poolUsed + k] = path[k]!
    poolUsed += n
    conv[e] = c
    value[e] = v
    nulls[e] = u
    if (2 * count > index.length) reindex(count)
    else index[i] = e
    if (count > capacity) prune()
  }

  return {
    add,
    absorb: (summary, map) => {
      error += summary.error
      for (const q of summary.paths) {
        const path = q.channels.map((c) => map[c]!)
        add(path, path.length, q.conversions, q.value, q.nulls)
      }
    },
    snapshot: () => {
      const list: Array<PathCount> = []
      for (let e = 0; e < count; e++) {
        const s = start[e]!
        // A plain loop: Array.from over a subarray per entry (a view and an iterator each) cost ~60 ms at 20,000.
        const channels: Array<number> = []
        for (let i = s; i < s + length[e]!; i++) channels.push(pool[i]!)
        list.push({ channels, conversions: conv[e]!, value: value[e]!, nulls: nulls[e]! })
      }
      return { capacity, paths: list, error }
    },
  }
}
