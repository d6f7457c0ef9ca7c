import { describe, expect, it } from 'vitest'
import { pathTable } from '../../src/report/paths'

/** Distinct paths of two or three channels. */
const pathOf = (i: number): Array<number> => (i % 2 === 0 ? [i >> 8, i & 255] : [i >> 8, i & 255, 300])

describe('distinct path table index', () => {
  // The index has 16-bit cells up to 65,536 cells (entries below 32,768) and 32-bit ones beyond: both must find
  // every path, on either side of the switch (70,000 entries: more than 16 bits can number).
  it('finds every path again past 32,768 and 65,535 entries', () => {
    const n = 70_000
    const t = pathTable(100_000)
    for (let i = 0; i < n; i++) t.add(pathOf(i), pathOf(i).length, i % 3, i, 1)
    for (let i = n - 1; i >= 0; i--) t.add(pathOf(i), pathOf(i).length, 1, 0, 1)
    const s = t.snapshot()
    expect(s.paths.length).toBe(n)
    expect(s.paths.every((p, i) => p.channels.join() === pathOf(i).join() && p.conversions === (i % 3) + 1 && p.nulls === 2)).toBe(true)
    expect(s.error).toBe(0)
  })

  it('after a prune of a 32-bit index (capacity 40,000) the kept paths are found again', () => {
    const capacity = 40_000
    const t = pathTable(capacity)
    // Heavy paths first (weight 10), then light ones (weight 1) until the table overflows and prunes.
    for (let i = 0; i < 1_000; i++) t.add(pathOf(i), pathOf(i).length, 0, 0, 10)
    for (let i = 1_000; i <= capacity; i++) t.add(pathOf(i), pathOf(i).length, 0, 0, 1)
    const pruned = t.snapshot()
    expect(pruned.error).toBe(1)
    expect(pruned.paths.length).toBe(1_000)
    for (let i = 0; i < 1_000; i++) t.add(pathOf(i), pathOf(i).length, 0, 0, 1)
    const s = t.snapshot()
    expect(s.paths.length).toBe(1_000)
    expect(s.paths.every((p, i) => p.channels.join() === pathOf(i).join() && p.nulls === 10)).toBe(true)
  })
})

describe('distinct path table pool', () => {
  // Channels are kept in bytes until one is above 255, then in 32-bit cells: paths from before the switch must be
  // found and listed as they were.
  it('keeps every path through the switch from byte to 32-bit channels', () => {
    const t = pathTable(1_000)
    const narrow = Array.from({ length: 300 }, (_, i) => [i & 255, (i * 7) & 255, i >> 8])
    const wide = Array.from({ length: 300 }, (_, i) => [i, 256 + i, 70_000 + i])
    for (const p of narrow) t.add(p, p.length, 1, 0, 0)
    for (const p of wide) t.add(p, p.length, 0, 0, 1)
    for (const p of narrow) t.add(p, p.length, 1, 0, 0)
    const s = t.snapshot()
    expect(s.paths.map((p) => p.channels)).toEqual([...narrow, ...wide])
    expect(s.paths.map((p) => p.conversions + p.nulls)).toEqual([...narrow.map(() => 2), ...wide.map(() => 1)])
  })
})
