import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { shapleyRate, shapleySimplified } from '../../src/attribution/shapley'
import type { AttributionPartial } from '../../src/attribution/model'
import { arbPaths, close, reduce, sum } from './_helpers'

const byName = (p: AttributionPartial, xs: ReadonlyArray<number>) => Object.fromEntries(p.channels.map((c, i) => [c, xs[i]!]))

/** Classic Shapley by enumerating every permutation (n! orders), straight from the definition. */
const bruteForce = (players: ReadonlyArray<string>, v: (s: ReadonlySet<string>) => number): Record<string, number> => {
  const out: Record<string, number> = Object.fromEntries(players.map((p) => [p, 0]))
  const perms = (xs: ReadonlyArray<string>): Array<Array<string>> => (xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r])))
  const all = perms(players)
  for (const order of all) {
    const s = new Set<string>()
    for (const p of order) {
      const before = v(s)
      s.add(p)
      out[p] = out[p]! + (v(s) - before) / all.length
    }
  }
  return out
}

describe('simplified Shapley (Zhao et al. 2018)', () => {
  it('A -> B -> A -> C is attributed equally to {A, B, C} (ianchute/shapley-attribution#1)', () => {
    const p = reduce([{ channels: ['A', 'B', 'A', 'C'], conversions: 3, value: 30, nulls: 0 }])
    expect(byName(p, shapleySimplified(p).conversions)).toEqual({ A: 1, B: 1, C: 1 })
  })
  test.prop([arbPaths(['a', 'b', 'c', 'd'], 15)])('equals the classic Shapley value of v(S) = conversions of journeys whose set is within S', (paths) => {
    const p = reduce(paths)
    const v = (s: ReadonlySet<string>) => sum(paths.filter((j) => j.channels.every((c) => s.has(c))).map((j) => j.conversions))
    const want = bruteForce(p.channels, v)
    const got = byName(p, shapleySimplified(p).conversions)
    for (const c of p.channels) expect(close(got[c]!, want[c]!, 1e-9)).toBe(true)
  })
  // The loop is written for speed (the report runs it per bootstrap replicate); its credits must be the textbook
  // loop's bit for bit, fractional counts and sets carrying nothing included.
  test.prop([arbPaths(['a', 'b', 'c', 'd', 'e'], 30), fc.double({ min: 0.01, max: 7, noNaN: true })])('equals, bit for bit, dividing each share per channel in set order', (paths, scale) => {
    const p = reduce(paths.map((j, i) => (i % 3 === 0 ? { ...j, conversions: j.conversions * scale, value: j.value * scale } : j)))
    const conversions = p.channels.map(() => 0)
    const value = p.channels.map(() => 0)
    for (const set of p.sets) {
      for (const c of set.channels) {
        conversions[c] = conversions[c]! + set.conversions / set.channels.length
        value[c] = value[c]! + set.value / set.channels.length
      }
    }
    expect(shapleySimplified(p)).toEqual({ conversions, value, sampledSets: 0 })
  })
})

describe('conversion-rate Shapley', () => {
  it('a shrunk counterexample of row-order dependence, kept: credit follows channel names, not first appearance', () => {
    const rows = [
      { channels: ['email'], conversions: 1, nulls: 0, value: 0 },
      { channels: ['search', 'email', 'social'], conversions: 1, nulls: 0, value: 0 },
    ]
    const a = reduce(rows)
    const b = reduce([...rows].reverse())
    expect(byName(a, shapleyRate()(a).conversions)).toEqual(byName(b, shapleyRate()(b).conversions))
    // v(email) = 1, v(all three) = 1, others unobserved (0): φ = (2/3, 1/6, 1/6) of the set's one conversion.
    expect(byName(a, shapleyRate()(a).conversions)['email']).toBeCloseTo(1 + 2 / 3, 12)
  })
  test.prop([arbPaths(['a', 'b', 'c', 'd'], 25)])('within each converting set, equals brute-force Shapley of exact-set conversion rates, clipped at 0 and normalised', (paths) => {
    const p = reduce(paths)
    const rate = new Map<string, number>()
    const key = (cs: Iterable<string>) => [...new Set(cs)].sort().join('|')
    const counts = new Map<string, { c: number; u: number; v: number }>()
    for (const j of paths) {
      const k = key(j.channels)
      const e = counts.get(k) ?? { c: 0, u: 0, v: 0 }
      counts.set(k, { c: e.c + j.conversions, u: e.u + j.nulls, v: e.v + j.value })
    }
    for (const [k, e] of counts) if (e.c + e.u > 0) rate.set(k, e.c / (e.c + e.u))
    const want: Record<string, number> = Object.fromEntries(p.channels.map((c) => [c, 0]))
    for (const [k, e] of counts) {
      if (e.c === 0) continue
      const players = k.split('|')
      const phi = bruteForce(players, (s) => (s.size === 0 ? 0 : (rate.get(key(s)) ?? 0)))
      const clipped = players.map((x) => Math.max(0, phi[x]!))
      const total = sum(clipped)
      players.forEach((x, i) => {
        want[x] = want[x]! + (total > 0 ? clipped[i]! / total : 1 / players.length) * e.c
      })
    }
    const got = byName(p, shapleyRate()(p).conversions)
    for (const c of p.channels) expect(close(got[c]!, want[c]!, 1e-9), c).toBe(true)
  })
  it('beyond the exact limit, seeded sampling: same seed same answer, close to the exact value', () => {
    const channels = Array.from({ length: 10 }, (_, i) => `c${i}`)
    const rows = [
      { channels, conversions: 10, value: 100, nulls: 5 },
      ...channels.map((c, i) => ({ channels: [c], conversions: i % 3, value: 0, nulls: 4 })),
      ...channels.slice(1).map((c, i) => ({ channels: [channels[0]!, c], conversions: 1 + (i % 2), value: 0, nulls: 2 })),
    ]
    const p = reduce(rows)
    const exact = shapleyRate()(p)
    const a = shapleyRate({ exactLimit: 4, samples: 4000, seed: 's1' })(p)
    const b = shapleyRate({ exactLimit: 4, samples: 4000, seed: 's1' })(p)
    expect(a).toEqual(b)
    expect(a.sampledSets).toBe(1)
    expect(exact.sampledSets).toBe(0)
    p.channels.forEach((_, i) => expect(Math.abs(a.conversions[i]! - exact.conversions[i]!)).toBeLessThan(0.25))
    expect(close(sum(a.conversions), sum(exact.conversions), 1e-9)).toBe(true)
  })
  test.prop([fc.constantFrom('x', 'y')])('a set of one channel gives it all', (c) => {
    const p = reduce([{ channels: [c], conversions: 2, value: 5, nulls: 1 }])
    expect(shapleyRate()(p).conversions).toEqual([2])
  })
})
