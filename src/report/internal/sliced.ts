/**
 * Counts for R bootstrap replicates at once, as bit planes ("bit-sliced" or vertical counters): bit b of word w
 * of plane d holds bit d of replicate 32w + b's count. Adding one 0/1 draw per replicate (a mask of R bits) to a
 * count is a ripple of XOR and AND through the planes, 32 replicates per operation, about two planes deep on
 * average; adding it into R floats would take R operations. This is what makes a replicate cost a few
 * operations per journey instead of a pass of the accumulator.
 *
 * - `SlicedNumber` (slicedNumber.ts): a small count per replicate (one journey's drawn units).
 * - `CounterPool`: the memory every bank of a reduction shares: WebAssembly SIMD (wasm/counters.wat, 128
 *   replicates per operation) where available, else the same layout in a plain array run by JavaScript, with the
 *   same results bit for bit (tests/report/slicedWasm.test.ts). A journey's numbers are `stage`d in the pool once;
 *   its counter inputs are queued there and run in one WebAssembly call (a call costs about what an input does).
 * - `SlicedCounts`: a growable bank of counters, one per slot (a channel, a set, a Markov state or edge...), each
 *   `PLANES` planes deep. A carry out of the top plane, a scaled (fractional) addition and an absorbed partial go
 *   to the slot's float `extra` (allocated on first need), so counts never overflow and fractions are kept.
 *
 * @internal
 * @module
 */
import { countersInstance, type CountersExports } from './wasm/countersInstance'
import type { SlicedNumber } from './slicedNumber'

/** Planes per counter: counts below 4,096 stay in bits; carries beyond go to the slot's floats (a call out of WebAssembly each, so rare). */
export const PLANES = 12

/**
 * The memory of a reduction's counter banks: every counter (a "cell") of every bank, the numbers being added
 * (registers) and the carries, in one WebAssembly memory (counters.wat, SIMD over the replicates) or, where that
 * is unavailable, in one plain array run by the JavaScript input below, which gives the same results bit for bit.
 * Offsets are the module's own (its exported globals), read once.
 *
 * The counters are kept in carry-save form. Level k of a cell holds a sum plane and at most one pending input,
 * both of weight 2^k. An input (R bits) arriving at a level with no pending input is stored as pending; one
 * arriving at a level that has one goes through a full adder with the sum and the pending input, whose carry
 * arrives at level k + 1. An input thus costs one full adder on average (1/2 + 1/4 + … levels), where a ripple
 * through the planes costs as many steps as the deepest of 32 replicates carries (about five) and mispredicts
 * where it stops. Carries out of the top level go to the cell's floats, once per 2^PLANES inputs; so do scaled
 * (fractional) additions and absorbed partials.
 *
 * Layout (words): a cell is a header (flags: bit k set when level k holds a pending input) and per level the sum
 * plane then the pending plane, each `stride` words (the replicate words, padded to whole v128 vectors in
 * WebAssembly); the level every input touches comes first.
 */
export interface CounterPool {
  readonly replicates: number
  readonly words: number
  /** Words per plane in memory (>= words; the padding stays 0). */
  readonly stride: number
  readonly planes: number
  readonly wasm: CountersExports | undefined
  /** The memory as words (a new view after the WebAssembly memory grows). */
  mem: Int32Array
  readonly carry: number
  readonly registers: number
  readonly registerWords: number
  readonly maxPlanes: number
  /** The queue of additions WebAssembly runs at the next `flush` (words; 4 per addition) and its length. */
  readonly list: number
  readonly listCapacity: number
  queued: number
  readonly cellsBase: number
  /** Where WebAssembly's `read` writes a cell's counts (words; 0 in the JavaScript layout). */
  readonly readBase: number
  readonly headerWords: number
  readonly cellWords: number
  cells: number
  capacity: number
  /** Per cell, the offset of its R floats in `extra` (-1: none yet). */
  extraAt: Int32Array
  extra: Float64Array
  extraUsed: number
  /** Scratch for `readSlot`: a slot's counts per replicate, and 32 words to transpose. */
  readonly sums: Int32Array
  readonly transpose: Int32Array
  /** Per register, the number staged there (read from it directly when deeper than `maxPlanes`). */
  readonly staged: Array<SlicedNumber | undefined>
  /**
   * The journey lane (`reserve`, `put`, `queue`; WebAssembly only): words of the register area its numbers take
   * (`registerArea` in all), so that many journeys' additions run in one call. `stage` sets it full.
   */
  bump: number
  readonly registerArea: number
}

/** Registers the bootstrap stages a journey's numbers in (the last is scratch for `addNumber`). */
export const REGISTERS = 4

/**
 * A pool for R replicates: WebAssembly when available, unless `wasm: false` (the JavaScript input, as
 * `node --jitless` runs).
 */
export const counterPool = (replicates: number, options: { readonly wasm?: boolean } = {}): CounterPool => {
  const words = Math.max(1, Math.ceil(replicates / 32))
  let pool: CounterPool | undefined
  const spill = (cell: number, level: number, from: number) => addScaledCell(pool!, cell, pool!.mem, from >>> 2, 2 ** level)
  const wasm = options.wasm === false ? undefined : countersInstance(Math.ceil(words / 4), spill)
  const common = { replicates, words, cells: 0, capacity: 0, extraAt: new Int32Array(0), extra: new Float64Array(0), extraUsed: 0, queued: 0, staged: [], sums: new Int32Array(32 * words), transpose: new Int32Array(32), bump: 0 }
  if (wasm !== undefined) {
    const stride = 4 * Math.ceil(words / 4)
    const cellsBase = (wasm.cells_base.value as number) >>> 2
    pool = {
      ...common,
      stride,
      planes: wasm.planes.value as number,
      wasm,
      mem: new Int32Array(wasm.memory.buffer),
      carry: (wasm.carry_base.value as number) >>> 2,
      registers: (wasm.reg_base.value as number) >>> 2,
      registerWords: (wasm.reg_bytes.value as number) >>> 2,
      maxPlanes: wasm.max_planes.value as number,
      list: (wasm.list_base.value as number) >>> 2,
      listCapacity: wasm.list_capacity.value as number,
      cellsBase,
      readBase: (wasm.read_base.value as number) >>> 2,
      headerWords: (wasm.header_bytes.value as number) >>> 2,
      cellWords: (wasm.cell_bytes.value as number) >>> 2,
      registerArea: ((wasm.registers.value as number) * (wasm.reg_bytes.value as number)) >>> 2,
    }
    if ((wasm.registers.value as number) < REGISTERS) throw new Error('counters.wat has fewer registers than the bootstrap stages')
    return pool
  }
  // The JavaScript layout: no padding, no list (the JavaScript input is called cell by cell).
  const maxPlanes = 64
  const registers = words
  const cellsBase = registers + REGISTERS * maxPlanes * words
  pool = {
    ...common,
    stride: words,
    planes: PLANES,
    wasm: undefined,
    mem: new Int32Array(cellsBase),
    carry: 0,
    registers,
    registerWords: maxPlanes * words,
    maxPlanes,
    list: 0,
    listCapacity: 0,
    cellsBase,
    readBase: 0,
    headerWords: 1,
    cellWords: 1 + PLANES * 2 * words,
    registerArea: 0,
  }
  return pool
}

/** A new cell (all levels 0, no floats). */
const newCell = (p: CounterPool): number => {
  if (p.cells === p.capacity) {
    const capacity = Math.max(64, 2 * p.capacity)
    const words = p.cellsBase + capacity * p.cellWords
    if (p.wasm !== undefined) {
      const have = p.wasm.memory.buffer.byteLength
      if (4 * words > have) p.wasm.memory.grow(Math.ceil((4 * words - have) / 65536))
      p.mem = new Int32Array(p.wasm.memory.buffer)
    } else {
      const mem = new Int32Array(words)
      mem.set(p.mem)
      p.mem = mem
    }
    const extraAt = new Int32Array(capacity).fill(-1)
    extraAt.set(p.extraAt)
    p.extraAt = extraAt
    p.capacity = capacity
  }
  return p.cells++
}

/** The offset of a cell's R floats, allocated on first need. */
const extraOf = (p: CounterPool, cell: number): number => {
  let off = p.extraAt[cell]!
  if (off >= 0) return off
  const R = p.replicates
  if (p.extraUsed + R > p.extra.length) {
    const next = new Float64Array(Math.max(p.extraUsed + R, 2 * p.extra.length, 64 * R))
    next.set(p.extra.subarray(0, p.extraUsed))
    p.extra = next
  }
  off = p.extraUsed
  p.extraUsed += R
  p.extraAt[cell] = off
  return off
}

/** Adds `scale` per set bit of `mask[offset .. + words)` to a cell's floats. */
const addScaledCell = (p: CounterPool, cell: number, mask: Int32Array, offset: number, scale: number): void => {
  const off = extraOf(p, cell)
  const extra = p.extra
  for (let w = 0; w < p.words; w++) {
    const base = off + w * 32
    let m = mask[offset + w]!
    while (m !== 0) {
      const bit = 31 - Math.clz32(m & -m)
      extra[base + bit] = extra[base + bit]! + scale
      m &= m - 1
    }
  }
}

/** The JavaScript input: adds the plane `src[at .. + words)` to a cell at `level` (counters.wat's `input`). */
const input = (p: CounterPool, cell: number, src: Int32Array, at: number, level: number): void => {
  const W = p.words
  const S = p.stride
  const mem = p.mem
  const base = p.cellsBase + cell * p.cellWords
  const carry = p.carry
  let flags = mem[base]!
  let from = src
  let off = at
  for (let k = level; ; k++) {
    if (k >= p.planes) {
      addScaledCell(p, cell, from, off, 2 ** k)
      break
    }
    const bit = 1 << k
    const sum = base + p.headerWords + 2 * k * S
    const pend = sum + S
    if ((flags & bit) === 0) {
      for (let w = 0; w < W; w++) mem[pend + w] = from[off + w]!
      flags |= bit
      break
    }
    for (let w = 0; w < W; w++) {
      const x = from[off + w]!
      const a = mem[sum + w]!
      const b = mem[pend + w]!
      const h = a ^ b
      mem[sum + w] = h ^ x
      mem[carry + w] = (a & b) | (h & x)
    }
    flags ^= bit
    from = mem
    off = carry
  }
  mem[base] = flags
}

/** The JavaScript `add`: `times` (an integer >= 1) times the `count` planes at `src[at ..]`, `stride` words apart. */
const addPlanes = (p: CounterPool, cell: number, src: Int32Array, at: number, stride: number, count: number, times: number): void => {
  for (let shift = 0, t = times; t > 0; shift++, t = Math.floor(t / 2)) {
    if (t % 2 === 1) for (let k = 0; k < count; k++) input(p, cell, src, at + k * stride, k + shift)
  }
}

/**
 * Runs the additions queued for WebAssembly. Whatever reads a cell or its floats, adds to the floats or rewrites a
 * register calls it first, so every cell sees its inputs in the order they were made.
 */
export const flush = (p: CounterPool): void => {
  if (p.queued === 0) return
  const n = p.queued
  p.queued = 0
  p.wasm!.run(n)
}

/** Copies `x` into register `reg`, where the add functions read it (until the next `stage` there). */
export const stage = (p: CounterPool, reg: number, x: SlicedNumber): void => {
  flush(p)
  // The journey lane's numbers share these words: it flushes before writing there again.
  p.bump = p.registerArea
  p.staged[reg] = x
  if (x.count > p.maxPlanes) return
  const mem = p.mem
  const W = p.words
  const S = p.stride
  const at = p.registers + reg * p.registerWords
  for (let k = 0; k < x.count; k++) for (let w = 0; w < W; w++) mem[at + k * S + w] = x.planes[k * W + w]!
}

/**
 * A bank of per-replicate counters, one per slot (a channel, a set, a Markov state or edge...), each a cell of its
 * pool allocated when the slot is first written (a slot never written reads 0). Plain state and top-level functions
 * rather than an object of closures, so that every call site sees one function it can inline.
 */
export interface SlicedCounts {
  readonly pool: CounterPool
  readonly replicates: number
  readonly words: number
  /** Per slot, its cell + 1 (0: none yet). */
  cellOf: Int32Array
}

/** A bank in `pool`, or in a pool of its own for a number of replicates. */
export const slicedCounts = (pool: CounterPool | number): SlicedCounts => {
  const p = typeof pool === 'number' ? counterPool(pool) : pool
  return { pool: p, replicates: p.replicates, words: p.words, cellOf: new Int32Array(16) }
}

/** A slot's cell, allocated on first need. */
const cellAt = (c: SlicedCounts, slot: number): number => {
  if (slot >= c.cellOf.length) {
    let n = c.cellOf.length
    while (n <= slot) n *= 2
    const next = new Int32Array(n)
    next.set(c.cellOf)
    c.cellOf = next
  }
  const cell = c.cellOf[slot]!
  if (cell > 0) return cell - 1
  const made = newCell(c.pool)
  c.cellOf[slot] = made + 1
  return made
}

/** Adds `times` (an integer >= 1) times the number staged in register `reg` to a slot (queued in WebAssembly). */
export const addStaged = (c: SlicedCounts, slot: number, reg: number, times: number): void => {
  const p = c.pool
  const cell = cellAt(c, slot)
  const x = p.staged[reg]!
  if (p.wasm !== undefined && x.count <= p.maxPlanes && times <= 0x7fffffff) {
    if (p.queued === p.listCapacity) flush(p)
    const at = p.list + 4 * p.queued++
    const mem = p.mem
    mem[at] = cell
    mem[at + 1] = 4 * (p.registers + reg * p.registerWords)
    mem[at + 2] = x.count
    mem[at + 3] = times
    return
  }
  if (p.wasm !== undefined) flush(p)
  if (x.count <= p.maxPlanes) addPlanes(p, cell, p.mem, p.registers + reg * p.registerWords, p.stride, x.count, times)
  else addPlanes(p, cell, x.planes, 0, p.words, x.count, times)
}

/**
 * The journey lane (WebAssembly only): room for `planes` planes of numbers and `entries` additions, flushing what
 * is queued when either would not fit; false when a journey needs more than the lane holds (or there is no
 * WebAssembly): add it with `stage` and `addStaged` instead. The numbers are then `put` and the additions `queue`d,
 * many journeys' worth run in one call, each cell seeing its inputs in the order they were queued (as
 * `addStaged` adds them).
 */
export const reserve = (p: CounterPool, planes: number, entries: number): boolean => {
  const words = planes * p.stride
  if (p.wasm === undefined || words > p.registerArea || entries > p.listCapacity) return false
  if (p.bump + words > p.registerArea || p.queued + entries > p.listCapacity) {
    flush(p)
    // Only here: a journey whose additions a flush ran part of (before a scaled addition) still reads its numbers.
    p.bump = 0
  }
  return true
}

/** Copies `x` (reserved, at most `maxPlanes` planes) into the journey lane; its address for `queue`. */
export const put = (p: CounterPool, x: SlicedNumber): number => {
  const mem = p.mem
  const W = p.words
  const S = p.stride
  const at = p.registers + p.bump
  const planes = x.planes
  for (let k = 0; k < x.count; k++) for (let w = 0; w < W; w++) mem[at + k * S + w] = planes[k * W + w]!
  p.bump += x.count * S
  return 4 * at
}

/** Queues (reserved) the addition of `times` times the `count` planes at `address` (from `put`) to a slot. */
export const queue = (c: SlicedCounts, slot: number, address: number, count: number, times: number): void => {
  const cell = slot < c.cellOf.length && c.cellOf[slot]! > 0 ? c.cellOf[slot]! - 1 : cellAt(c, slot)
  const p = c.pool
  const at = p.list + 4 * p.queued++
  const mem = p.mem
  mem[at] = cell
  mem[at + 1] = address
  mem[at + 2] = count
  mem[at + 3] = times
}

/**
 * Queues (reserved) the addition of the `count` planes at `address` to each of `slots[0 .. n)`, in that order, once
 * or `times[i]` (an integer >= 1) times: what `queue` does slot by slot (a journey's Markov edges, its touch keys),
 * in one call.
 */
export const queueEach = (c: SlicedCounts, slots: ArrayLike<number>, n: number, address: number, count: number, times?: ArrayLike<number>): void => {
  const p = c.pool
  let mem = p.mem
  let at = p.list + 4 * p.queued
  for (let e = 0; e < n; e++) {
    const slot = slots[e]!
    let cell = slot < c.cellOf.length ? c.cellOf[slot]! - 1 : -1
    if (cell < 0) {
      cell = cellAt(c, slot)
      // A new cell can grow the memory: a new view.
      mem = p.mem
    }
    mem[at] = cell
    mem[at + 1] = address
    mem[at + 2] = count
    mem[at + 3] = times === undefined ? 1 : times[e]!
    at += 4
  }
  p.queued += n
}

/** Adds `x` times `times` (an integer >= 1) to a slot. */
export const addNumber = (c: SlicedCounts, slot: number, x: SlicedNumber, times: number): void => {
  stage(c.pool, REGISTERS - 1, x)
  addStaged(c, slot, REGISTERS - 1, times)
}

/** Adds `scale` per set bit of `mask[offset .. + words)` to the slot's floats. */
export const addScaledMask = (c: SlicedCounts, slot: number, mask: Int32Array, offset: number, scale: number): void => {
  flush(c.pool)
  addScaledCell(c.pool, cellAt(c, slot), mask, offset, scale)
}

/** Adds `scale` times `x` to a slot's floats. */
export const addScaledNumber = (c: SlicedCounts, slot: number, x: SlicedNumber, scale: number): void => {
  for (let k = 0; k < x.count; k++) addScaledMask(c, slot, x.planes, k * c.words, scale * 2 ** k)
}

/** Adds `value` to replicate r of a slot. */
export const addAt = (c: SlicedCounts, slot: number, r: number, value: number): void => {
  const p = c.pool
  flush(p)
  const off = extraOf(p, cellAt(c, slot))
  p.extra[off + r] = p.extra[off + r]! + value
}
