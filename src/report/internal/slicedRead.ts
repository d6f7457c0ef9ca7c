/**
 * Reading the bootstrap's bit-sliced counters back: a slot's R replicate values, its carry-save levels added per word
 * of 32 replicates and the 32 x 32 bit matrix transposed (the write side is ./sliced.ts).
 *
 * @internal
 * @module
 */
import { flush, type SlicedCounts } from './sliced'

/** Adds the plane `x` at `level` into the binary number `t` (a plane per word). */
const rippleInto = (t: Int32Array, x: number, level: number): void => {
  for (let d = level; x !== 0; d++) {
    const y = t[d]!
    t[d] = y ^ x
    x = y & x
  }
}

/** Transposes a 32 x 32 bit matrix in place: bit b of word d moves to bit d of word b (2x2 block swaps, halving). */
export const transpose32 = (t: Int32Array): void => {
  for (let j = 16, m = 0x0000ffff; j !== 0; j >>>= 1, m ^= m << j) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const x = ((t[k]! >>> j) ^ t[k + j]!) & m
      t[k] = t[k]! ^ (x << j)
      t[k + j] = t[k + j]! ^ x
    }
  }
}

/** Writes a slot's R values, times `scale`, into `out[offset ..]`. */
export const readSlot = (c: SlicedCounts, slot: number, out: { [r: number]: number }, offset: number, scale = 1): void => {
  const p = c.pool
  const R = p.replicates
  flush(p)
  const cell = slot < c.cellOf.length ? c.cellOf[slot]! - 1 : -1
  if (cell < 0) {
    for (let r = 0; r < R; r++) out[offset + r] = 0
    return
  }
  let sums = p.sums
  let at = 0
  if (p.wasm !== undefined) {
    // SIMD, four words of 32 replicates at once (counters.wat's `read`, the same steps as `countWords`).
    p.wasm.read(cell)
    sums = p.mem
    at = p.readBase
  } else countWords(p, cell)
  const off = p.extraAt[cell]!
  if (off >= 0) for (let r = 0; r < R; r++) out[offset + r] = scale * (sums[at + r]! + p.extra[off + r]!)
  else for (let r = 0; r < R; r++) out[offset + r] = scale * sums[at + r]!
}

/** A cell's counts per replicate (its levels, not its floats) into the pool's `sums`. */
const countWords = (p: SlicedCounts['pool'], cell: number): void => {
  const R = p.replicates
  const W = p.words
  const S = p.stride
  const mem = p.mem
  const base = p.cellsBase + cell * p.cellWords
  const flags = mem[base]!
  // Per word of 32 replicates, the carry-save levels are added into one binary number in planes (at most
  // 2 (2^PLANES - 1) per replicate: PLANES + 1 planes), and the 32 x 32 bit matrix of those planes is transposed, so
  // that word b of it is replicate b's count. Reading set bits one by one was most of the report's snapshot (4,095
  // sets at 200 replicates, their planes about half set).
  const sums = p.sums
  const t = p.transpose
  for (let w = 0; w < W; w++) {
    t.fill(0)
    for (let k = 0; k < p.planes; k++) {
      const sum = base + p.headerWords + 2 * k * S + w
      rippleInto(t, mem[sum]!, k)
      if ((flags >>> k) & 1) rippleInto(t, mem[sum + S]!, k)
    }
    transpose32(t)
    const at = w * 32
    const end = Math.min(32, R - at)
    for (let b = 0; b < end; b++) sums[at + b] = t[b]!
  }
}
