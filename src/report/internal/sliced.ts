/**
 * Counts for R bootstrap replicates at once, as bit planes ("bit-sliced" or vertical counters): bit b of word w
 * of plane d holds bit d of replicate 32w + b's count. Adding one 0/1 draw per replicate (a mask of R bits) to a
 * count is a ripple of XOR and AND through the planes, 32 replicates per operation, about two planes deep on
 * average; adding it into R floats would take R operations. This is what makes a replicate cost a few
 * operations per journey instead of a pass of the accumulator.
 *
 * - `SlicedNumber`: a small count per replicate (one journey's drawn units), built from unit masks or from counts.
 * - `SlicedCounts`: a growable bank of counters, one per slot (a channel, a set, a Markov state or edge...), each
 *   `PLANES` planes deep. A carry out of the top plane, a scaled (fractional) addition and an absorbed partial go
 *   to the slot's float `extra` (allocated on first need), so counts never overflow and fractions are kept.
 *
 * @internal
 * @module
 */

/** Planes per counter: counts below 256 stay in bits; carries beyond go to the slot's floats. */
export const PLANES = 8

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

/** `x += y`. */
export const addNumberTo = (x: SlicedNumber, y: SlicedNumber): void => {
  for (let p = 0; p < y.count; p++) addMaskTo(x, y.planes, p * y.words, p)
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

/**
 * A bank of per-replicate counters, one per slot, growing with the slots written to (a slot never written reads
 * 0). Plain state and top-level functions rather than an object of closures, so that every call site sees one
 * function it can inline.
 *
 * The counters are kept in carry-save form. Level k of a slot holds a sum plane and at most one pending input,
 * both of weight 2^k. An input (R bits) arriving at a level with no pending input is stored as pending; one
 * arriving at a level that has one goes through a full adder with the sum and the pending input, whose carry
 * arrives at level k + 1. An input thus costs one full adder on average (1/2 + 1/4 + … levels), where a ripple
 * through the planes costs as many steps as the deepest of 32 replicates carries (about five) and mispredicts
 * where it stops. Carries out of the top level go to the slot's floats, once per 2^PLANES inputs; so do scaled
 * (fractional) additions and absorbed partials.
 *
 * Layout: one Int32Array, per slot per level a block [pending flag, sum (W words), pending input (W words)], so an
 * input touches one block (one or two cache lines for R = 200), and level 0, the one every input touches, first.
 */
export interface SlicedCounts {
  readonly replicates: number
  readonly words: number
  slots: number
  capacity: number
  /** Per slot, PLANES blocks of 1 + 2 W words. */
  cells: Int32Array
  extraAt: Int32Array
  extra: Float64Array
  extraUsed: number
  readonly carry: Int32Array
}

export const slicedCounts = (replicates: number): SlicedCounts => {
  const words = Math.max(1, Math.ceil(replicates / 32))
  return {
    replicates,
    words,
    slots: 0,
    capacity: 0,
    cells: new Int32Array(0),
    extraAt: new Int32Array(0),
    extra: new Float64Array(0),
    extraUsed: 0,
    carry: new Int32Array(words),
  }
}

/** Makes room for slots 0 .. n. */
export const ensureSlots = (c: SlicedCounts, n: number): void => {
  if (n <= c.slots) return
  if (n > c.capacity) {
    let next = Math.max(16, c.capacity)
    while (next < n) next *= 2
    const cells = new Int32Array(next * PLANES * (1 + 2 * c.words))
    cells.set(c.cells)
    c.cells = cells
    const e = new Int32Array(next).fill(-1)
    e.set(c.extraAt)
    c.extraAt = e
    c.capacity = next
  }
  c.slots = n
}

/** The offset of a slot's R floats, allocated on first need. */
const extraOf = (c: SlicedCounts, slot: number): number => {
  let off = c.extraAt[slot]!
  if (off >= 0) return off
  const R = c.replicates
  if (c.extraUsed + R > c.extra.length) {
    const next = new Float64Array(Math.max(c.extraUsed + R, 2 * c.extra.length, 64 * R))
    next.set(c.extra.subarray(0, c.extraUsed))
    c.extra = next
  }
  off = c.extraUsed
  c.extraUsed += R
  c.extraAt[slot] = off
  return off
}

/** Adds `scale` per set bit of `mask[offset .. + words)` to the slot's floats. */
export const addScaledMask = (c: SlicedCounts, slot: number, mask: Int32Array, offset: number, scale: number): void => {
  if (slot >= c.slots) ensureSlots(c, slot + 1)
  const off = extraOf(c, slot)
  const extra = c.extra
  for (let w = 0; w < c.words; w++) {
    const base = off + w * 32
    let m = mask[offset + w]!
    while (m !== 0) {
      const bit = 31 - Math.clz32(m & -m)
      extra[base + bit] = extra[base + bit]! + scale
      m &= m - 1
    }
  }
}

/** Adds the input `src[offset .. + words)` at `level` (slot < slots). */
const input = (c: SlicedCounts, slot: number, src: Int32Array, offset: number, level: number): void => {
  const W = c.words
  const block = 1 + 2 * W
  const cells = c.cells
  const carry = c.carry
  let from = src
  let at = offset
  for (let k = level; ; k++) {
    if (k >= PLANES) {
      addScaledMask(c, slot, from, at, 2 ** k)
      return
    }
    const flag = (slot * PLANES + k) * block
    const sum = flag + 1
    const pend = sum + W
    if (cells[flag] === 0) {
      for (let w = 0; w < W; w++) cells[pend + w] = from[at + w]!
      cells[flag] = 1
      return
    }
    for (let w = 0; w < W; w++) {
      const x = from[at + w]!
      const a = cells[sum + w]!
      const b = cells[pend + w]!
      const h = a ^ b
      cells[sum + w] = h ^ x
      carry[w] = (a & b) | (h & x)
    }
    cells[flag] = 0
    from = carry
    at = 0
  }
}

/** Adds `x` times `times` (an integer >= 1) to a slot. */
export const addNumber = (c: SlicedCounts, slot: number, x: SlicedNumber, times: number): void => {
  if (slot >= c.slots) ensureSlots(c, slot + 1)
  if (times === 1 && x.count === 1) {
    input(c, slot, x.planes, 0, 0)
    return
  }
  const W = c.words
  for (let shift = 0, t = times; t > 0; shift++, t = Math.floor(t / 2)) {
    if (t % 2 === 1) for (let p = 0; p < x.count; p++) input(c, slot, x.planes, p * W, p + shift)
  }
}

/** Adds `scale` times `x` to a slot's floats. */
export const addScaledNumber = (c: SlicedCounts, slot: number, x: SlicedNumber, scale: number): void => {
  for (let p = 0; p < x.count; p++) addScaledMask(c, slot, x.planes, p * c.words, scale * 2 ** p)
}

/** Adds `value` to replicate r of a slot. */
export const addAt = (c: SlicedCounts, slot: number, r: number, value: number): void => {
  if (slot >= c.slots) ensureSlots(c, slot + 1)
  const off = extraOf(c, slot)
  c.extra[off + r] = c.extra[off + r]! + value
}

/** Writes a slot's R values into `out[offset ..]`. */
export const readSlot = (c: SlicedCounts, slot: number, out: Float64Array | Array<number>, offset: number): void => {
  const R = c.replicates
  const W = c.words
  for (let r = 0; r < R; r++) out[offset + r] = 0
  if (slot >= c.slots) return
  const block = 1 + 2 * W
  const cells = c.cells
  // Bit by bit in a plain loop: a callback per set bit was most of the report's snapshot (4,095 sets and 678 touch
  // keys at 200 replicates called it some 16 million times). Sums of integers below 2^53: exact in any order.
  for (let k = 0; k < PLANES; k++) {
    const weight = 2 ** k
    const flag = (slot * PLANES + k) * block
    const pending = cells[flag] === 1
    for (let w = 0; w < W; w++) {
      const s = cells[flag + 1 + w]!
      const p = pending ? cells[flag + 1 + W + w]! : 0
      if ((s | p) === 0) continue
      const at = offset + w * 32
      // Set bits only (bits past the last replicate are always clear): sparse planes, most of a bank's, cost little.
      for (let m = s; m !== 0; m &= m - 1) {
        const b = 31 - Math.clz32(m & -m)
        out[at + b] = out[at + b]! + weight
      }
      for (let m = p; m !== 0; m &= m - 1) {
        const b = 31 - Math.clz32(m & -m)
        out[at + b] = out[at + b]! + weight
      }
    }
  }
  const off = c.extraAt[slot]!
  if (off >= 0) for (let r = 0; r < R; r++) out[offset + r] = out[offset + r]! + c.extra[off + r]!
}
