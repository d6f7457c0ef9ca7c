/**
 * A small count per replicate, bit-sliced: bit b of word w of plane d holds bit d of replicate 32w + b's count (a
 * journey's drawn units, built from unit masks or from counts), and the functions that build and read it. What the
 * counter banks (`sliced.ts`) add.
 *
 * @internal
 * @module
 */

/** The mask of replicate bits in the last word (bits past the last replicate stay 0). */
export const lastWordMask = (replicates: number): number => (replicates % 32 === 0 ? -1 : (1 << replicates % 32) - 1)

/**
 * A per-replicate count in planes. `planes` words beyond `count` planes are garbage: `count` says how many hold
 * the number (0: zero everywhere).
 */
export interface SlicedNumber {
  readonly words: number
  count: number
  planes: Int32Array
}

export const slicedNumber = (words: number): SlicedNumber => ({ words, count: 0, planes: new Int32Array(words * 4) })

const ensurePlanes = (x: SlicedNumber, count: number): void => {
  if (x.planes.length >= count * x.words) return
  const next = new Int32Array(Math.max(count, 2 * (x.planes.length / x.words)) * x.words)
  next.set(x.planes.subarray(0, x.count * x.words))
  x.planes = next
}

/** Adds a 0/1 mask (R bits at `src[offset ..]`) shifted left by `shift` planes into `x`. */
export const addMaskTo = (x: SlicedNumber, src: Int32Array, offset: number, shift = 0): void => {
  const W = x.words
  for (let w = 0; w < W; w++) {
    let m = src[offset + w]!
    let d = shift
    while (m !== 0) {
      if (d >= x.count) {
        ensurePlanes(x, d + 1)
        for (let k = x.count; k <= d; k++) x.planes.fill(0, k * W, (k + 1) * W)
        x.count = d + 1
      }
      const i = d * W + w
      const t = x.planes[i]!
      x.planes[i] = t ^ m
      m = t & m
      d++
    }
  }
}

/**
 * Sets `x` to the sum of the `k` masks at `masks[0 .. k W)` (mask i at i W): the planes and count that adding them
 * one by one with `addMaskTo` gives (count: the planes up to the highest set bit), for up to 2^30 masks. Word by
 * word, each mask rippled into local planes: no pass over the words per mask, no growing the planes mid-sum.
 */
export const setMaskSum = (x: SlicedNumber, masks: Int32Array, k: number): void => {
  const W = x.words
  const planes = 32 - Math.clz32(k)
  ensurePlanes(x, planes)
  const out = x.planes
  for (let i = 0; i < planes * W; i++) out[i] = 0
  let used = 0
  if (k === 2 || k === 3) {
    // A half or full adder per word (two or three masks: most rows of more than one unit).
    let low = 0
    let high = 0
    for (let w = 0; w < W; w++) {
      const a = masks[w]!
      const b = masks[W + w]!
      const c = k === 3 ? masks[2 * W + w]! : 0
      const h = a ^ b
      out[w] = h ^ c
      out[W + w] = (a & b) | (h & c)
      low |= out[w]!
      high |= out[W + w]!
    }
    x.count = high !== 0 ? 2 : low !== 0 ? 1 : 0
    return
  }
  for (let w = 0; w < W; w++) {
    for (let i = 0; i < k; i++) {
      let m = masks[i * W + w]!
      for (let d = w; m !== 0; d += W) {
        const t = out[d]!
        out[d] = t ^ m
        m = t & m
      }
    }
  }
  for (let d = planes - 1; d >= 0 && used === 0; d--) {
    let any = 0
    for (let w = 0; w < W; w++) any |= out[d * W + w]!
    if (any !== 0) used = d + 1
  }
  x.count = used
}

/** `x += y`. */
export const addNumberTo = (x: SlicedNumber, y: SlicedNumber): void => {
  for (let p = 0; p < y.count; p++) addMaskTo(x, y.planes, p * y.words, p)
}

/**
 * `x = a + b` (x neither a nor b), with the planes and count `copyNumber(x, a)` then `addNumberTo(x, b)` leave:
 * the count is a's or the sum's highest set plane + 1, whichever is more. A ripple-carry add of the planes, word by
 * word, where adding b's planes to a copy of a as masks walks each carry up the planes one mask at a time.
 */
export const setSum = (x: SlicedNumber, a: SlicedNumber, b: SlicedNumber): void => {
  const W = x.words
  const top = Math.max(a.count, b.count)
  ensurePlanes(x, top + 1)
  const out = x.planes
  const ap = a.planes
  const bp = b.planes
  // The carry into plane p, per word, is kept in plane `top` until the end.
  const carry = top * W
  for (let w = 0; w < W; w++) out[carry + w] = 0
  let used = 0
  for (let p = 0; p < top; p++) {
    let any = 0
    for (let w = 0; w < W; w++) {
      const u = p < a.count ? ap[p * W + w]! : 0
      const v = p < b.count ? bp[p * W + w]! : 0
      const c = out[carry + w]!
      const h = u ^ v
      out[p * W + w] = h ^ c
      out[carry + w] = (u & v) | (h & c)
      any |= h ^ c
    }
    if (any !== 0) used = p + 1
  }
  let any = 0
  for (let w = 0; w < W; w++) any |= out[carry + w]!
  if (any !== 0) used = top + 1
  x.count = Math.max(a.count, used)
}

/** `x = y`. */
export const copyNumber = (x: SlicedNumber, y: SlicedNumber): void => {
  ensurePlanes(x, y.count)
  const n = y.count * y.words
  for (let i = 0; i < n; i++) x.planes[i] = y.planes[i]!
  x.count = y.count
}

/** Sets `x` to the integer counts `counts[0 .. R)` (each >= 0). */
export const setCounts = (x: SlicedNumber, counts: Float64Array, replicates: number): void => {
  let max = 0
  for (let r = 0; r < replicates; r++) if (counts[r]! > max) max = counts[r]!
  let planes = 0
  while (2 ** planes <= max) planes++
  ensurePlanes(x, planes)
  x.planes.fill(0, 0, planes * x.words)
  x.count = planes
  for (let r = 0; r < replicates; r++) {
    let k = counts[r]!
    for (let d = 0; k > 0; d++) {
      if (k % 2 === 1) {
        const i = d * x.words + (r >>> 5)
        x.planes[i] = x.planes[i]! | (1 << (r & 31))
      }
      k = Math.floor(k / 2)
    }
  }
}

/** Replicate r's value of `x`. */
export const countAt = (x: SlicedNumber, r: number): number => {
  let k = 0
  for (let d = 0; d < x.count; d++) if ((x.planes[d * x.words + (r >>> 5)]! >>> (r & 31)) & 1) k += 2 ** d
  return k
}
