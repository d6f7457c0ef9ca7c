import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { pathTable } from '../../src/report/paths'
import type { PathSummary } from '../../src/report/model'
import { addAt, addNumber, addScaledMask, addScaledNumber, slicedCounts } from '../../src/report/internal/sliced'
import { readSlot, transpose32 } from '../../src/report/internal/slicedRead'
import { addMaskTo, addNumberTo, countAt, lastWordMask, setCounts, slicedNumber } from '../../src/report/internal/slicedNumber'

const arbOps = (R: number) =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('number' as const), slot: fc.nat(6), counts: fc.array(fc.oneof(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 300 })), { minLength: R, maxLength: R }), times: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 600 })) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('scaled' as const), slot: fc.nat(6), counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: R, maxLength: R }), scale: fc.double({ min: 0, max: 10, noNaN: true }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('at' as const), slot: fc.nat(6), r: fc.nat(R - 1), value: fc.integer({ min: 0, max: 1000 }) }) },
    ),
    { maxLength: 400 },
  )

describe('bit-sliced replicate counters', () => {
  test.prop([fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 32, maxLength: 32 })])('transpose32 moves bit b of word d to bit d of word b, and twice is the identity', (words) => {
    const t = Int32Array.from(words)
    transpose32(t)
    for (let d = 0; d < 32; d++) for (let b = 0; b < 32; b++) expect((t[b]! >>> d) & 1).toBe((words[d]! >>> b) & 1)
    transpose32(t)
    expect(Array.from(t)).toEqual(words)
  })

  test.prop([fc.integer({ min: 1, max: 100 }).chain((R) => fc.tuple(fc.constant(R), arbOps(R)))], { numRuns: 60 })(
    'a bank equals plain per-replicate sums through carries, overflow past the top level, multiplicities, scaled and single additions',
    ([R, ops]) => {
      const bank = slicedCounts(R)
      const W = bank.words
      const reference = Array.from({ length: 7 }, () => new Array<number>(R).fill(0))
      const x = slicedNumber(W)
      const counts = new Float64Array(R)
      for (const op of ops) {
        if (op.kind === 'at') {
          addAt(bank, op.slot, op.r, op.value)
          reference[op.slot]![op.r]! += op.value
          continue
        }
        op.counts.forEach((c, r) => (counts[r] = c))
        setCounts(x, counts, R)
        for (let r = 0; r < R; r++) expect(countAt(x, r)).toBe(op.counts[r])
        if (op.kind === 'number') {
          addNumber(bank, op.slot, x, op.times)
          op.counts.forEach((c, r) => (reference[op.slot]![r]! += c * op.times))
        } else {
          addScaledNumber(bank, op.slot, x, op.scale)
          op.counts.forEach((c, r) => (reference[op.slot]![r]! += c * op.scale))
        }
      }
      const out = new Float64Array(R)
      for (let slot = 0; slot < 7; slot++) {
        readSlot(bank, slot, out, 0)
        for (let r = 0; r < R; r++) expect(Math.abs(out[r]! - reference[slot]![r]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, reference[slot]![r]!))
      }
    },
  )

  test.prop([fc.integer({ min: 1, max: 70 }), fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 70, maxLength: 70 }), { maxLength: 40 })])(
    'sliced numbers add masks and numbers; masks past the last replicate stay clear',
    (R, masks) => {
      const W = Math.ceil(R / 32)
      const x = slicedNumber(W)
      const y = slicedNumber(W)
      const sums = new Array<number>(R).fill(0)
      for (const bits of masks) {
        const m = new Int32Array(W)
        for (let r = 0; r < R; r++) if (bits[r] === 1) m[r >>> 5] = m[r >>> 5]! | (1 << (r & 31))
        expect(m[W - 1]! & ~lastWordMask(R)).toBe(0)
        addMaskTo(x, m, 0)
        for (let r = 0; r < R; r++) sums[r]! += bits[r]!
      }
      addNumberTo(y, x)
      addNumberTo(y, x)
      for (let r = 0; r < R; r++) {
        expect(countAt(x, r)).toBe(sums[r])
        expect(countAt(y, r)).toBe(2 * sums[r]!)
      }
      const bank = slicedCounts(R)
      addScaledMask(bank, 3, x.planes, 0, 0.5)
      const out = new Float64Array(R)
      readSlot(bank, 3, out, 0)
      for (let r = 0; r < R; r++) expect(out[r]).toBe(0.5 * (x.count > 0 ? (x.planes[r >>> 5]! >>> (r & 31)) & 1 : 0))
    },
  )
})

/** The distinct-path summary as the report kept it before (a Map keyed by indexes joined by commas). */
const mapSummary = (capacity: number) => {
  const paths = new Map<string, { channels: Array<number>; conversions: number; value: number; nulls: number }>()
  let error = 0
  const prune = () => {
    const keep = Math.floor(capacity / 2)
    const weights = [...paths.values()].map((p) => p.conversions + p.nulls).sort((a, b) => b - a)
    const d = weights[keep] ?? 0
    if (d <= 0) return
    for (const [key, p] of paths) {
      const w = p.conversions + p.nulls
      if (w <= d) paths.delete(key)
      else {
        const f = (w - d) / w
        p.conversions *= f
        p.value *= f
        p.nulls *= f
      }
    }
    error += d
  }
  const add = (path: ReadonlyArray<number>, c: number, v: number, u: number) => {
    const key = path.join(',')
    const e = paths.get(key)
    if (e !== undefined) {
      e.conversions += c
      e.value += v
      e.nulls += u
      return
    }
    paths.set(key, { channels: path.slice(), conversions: c, value: v, nulls: u })
    if (paths.size > capacity) prune()
  }
  return {
    add,
    absorb: (s: PathSummary, map: ReadonlyArray<number>) => {
      error += s.error
      for (const q of s.paths) add(q.channels.map((c) => map[c]!), q.conversions, q.value, q.nulls)
    },
    snapshot: (): PathSummary => ({ capacity, paths: [...paths.values()].map((p) => ({ ...p, channels: p.channels.slice() })), error }),
  }
}

const arbRows = fc.array(
  fc.record({
    path: fc.array(fc.oneof({ weight: 9, arbitrary: fc.nat(4) }, { weight: 1, arbitrary: fc.integer({ min: 65_530, max: 200_000 }) }), { minLength: 1, maxLength: 6 }),
    c: fc.integer({ min: 0, max: 4 }),
    u: fc.integer({ min: 1, max: 6 }),
    v: fc.double({ min: 0, max: 100, noNaN: true }),
  }),
  { maxLength: 300 },
)

describe('distinct path table', () => {
  test.prop([arbRows, arbRows, fc.integer({ min: 2, max: 12 })], { numRuns: 80 })(
    'equals the Map-based Misra–Gries summary it replaces, pruning included, and so does absorbing one',
    (rows, more, capacity) => {
      const fast = pathTable(capacity)
      const slow = mapSummary(capacity)
      for (const r of rows) {
        fast.add(r.path, r.path.length, r.c, r.v, r.u)
        slow.add(r.path, r.c, r.v, r.u)
      }
      expect(fast.snapshot()).toEqual(slow.snapshot())
      const other = pathTable(capacity)
      for (const r of more) other.add(r.path, r.path.length, r.c, r.v, r.u)
      const map = Array.from({ length: 200_001 }, (_, i) => (i < 5 ? 4 - i : i))
      fast.absorb(other.snapshot(), map)
      slow.absorb(other.snapshot(), map)
      expect(fast.snapshot()).toEqual(slow.snapshot())
    },
  )
})
