import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { accumulator } from '../../src/attribution/accumulate'
import { makeSettings } from '../../src/attribution/decode'
import { markovRemovalEffects, markovSolved, markovWith, transitionMatrix } from '../../src/attribution/markov'
import golden from '../golden/attribution.json'
import { arbPaths, close, reduce, right, sum } from './_helpers'

type MarkovGolden = {
  conversionProbability: number
  removalEffects: Record<string, number>
  valueRemovalEffects: Record<string, number>
  conversions: Record<string, number>
  value: Record<string, number>
}

const rowsOf = (rows: ReadonlyArray<{ path: string; total_conversions: number; total_conversion_value: number; total_null: number }>) =>
  rows.map((r) => ({ channels: r.path.split('>').map((s) => s.trim()), conversions: r.total_conversions, value: r.total_conversion_value, nulls: r.total_null }))

describe('exact removal effects against an independent numpy solve of ChannelAttribution\'s chain (scripts/golden/attribution.py)', () => {
  for (const c of golden.cases) {
    for (const order of [1, 2, 3]) {
      it(`${c.name}, order ${order}`, () => {
        const want = (c.markov as unknown as Record<string, MarkovGolden>)[String(order)]!
        const p = reduce(rowsOf(c.rows), right(makeSettings({ order })))
        const r = right(markovRemovalEffects(p))
        expect(close(r.conversionProbability, want.conversionProbability, 1e-12)).toBe(true)
        p.channels.forEach((ch, i) => {
          expect(close(r.removalEffects[i]!, want.removalEffects[ch]!, 1e-10), `RE ${ch}`).toBe(true)
          expect(close(r.valueRemovalEffects[i]!, want.valueRemovalEffects[ch]!, 1e-10), `VRE ${ch}`).toBe(true)
          expect(close(r.conversions[i]!, want.conversions[ch]!, 1e-10), `conv ${ch}`).toBe(true)
          expect(close(r.value[i]!, want.value[ch]!, 1e-10), `value ${ch}`).toBe(true)
        })
        const sparse = right(markovWith({ denseLimit: 0 })(p))
        p.channels.forEach((ch, i) => {
          expect(close(sparse.removalEffects[i]!, want.removalEffects[ch]!, 1e-10), `sparse RE ${ch}`).toBe(true)
          expect(close(sparse.value[i]!, want.value[ch]!, 1e-10), `sparse value ${ch}`).toBe(true)
        })
      })
    }
  }
})

describe('chain semantics', () => {
  it('order 1 collapses consecutive repeats: a > a > b is a > b (no self-loops)', () => {
    const p = reduce([{ channels: ['a', 'a', 'b'], conversions: 1, value: 0, nulls: 1 }])
    expect(transitionMatrix(p)).toEqual([
      { from: '(start)', to: 'a', probability: 1 },
      { from: 'a', to: 'b', probability: 1 },
      { from: 'b', to: '(conversion)', probability: 0.5 },
      { from: 'b', to: '(null)', probability: 0.5 },
    ])
  })
  it('order 2: sliding windows of two touches; a path no longer than k is one state', () => {
    const p = reduce(
      [
        { channels: ['a', 'b', 'c'], conversions: 1, value: 0, nulls: 0 },
        { channels: ['a'], conversions: 0, value: 0, nulls: 2 },
      ],
      right(makeSettings({ order: 2 })),
    )
    expect(transitionMatrix(p).map((t) => `${t.from} -> ${t.to}: ${t.probability}`)).toEqual([
      '(start) -> a > b: 0.3333333333333333',
      '(start) -> a: 0.6666666666666666',
      'a > b -> b > c: 1',
      'b > c -> (conversion): 1',
      'a -> (null): 1',
    ])
  })
  it('transitions are weighted by conversions plus nulls; a row with neither adds nothing', () => {
    const p = reduce([
      { channels: ['a', 'b'], conversions: 1, value: 0, nulls: 3 },
      { channels: ['a', 'c'], conversions: 0, value: 0, nulls: 0 },
    ])
    expect(p.markov.edges).toEqual([[0, 1, 4]])
  })
  it('a chain where nothing converts is InsufficientData', () => {
    const r = markovRemovalEffects(reduce([{ channels: ['a'], conversions: 0, value: 0, nulls: 3 }]))
    expect(E.isLeft(r) && r.left._tag).toBe('InsufficientData')
  })
  it('orders 3 and 4 with many states go through the sparse solver and agree with the dense solve and with reversed row order', () => {
    const channels = Array.from({ length: 14 }, (_, i) => `c${i}`)
    let seed = 12345
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    const rows = Array.from({ length: 3000 }, () => ({
      channels: Array.from({ length: 2 + next(6) }, () => channels[next(14)]!),
      conversions: next(3),
      value: next(3) * 10,
      nulls: 1 + next(4),
    }))
    for (const order of [3, 4]) {
      const p = reduce(rows, right(makeSettings({ order })))
      expect(p.markov.states.length).toBeGreaterThan(300)
      const r = right(markovRemovalEffects(p))
      const dense = right(markovWith({ denseLimit: 100_000 })(p))
      r.removalEffects.forEach((x, i) => expect(close(x, dense.removalEffects[i]!, 1e-9)).toBe(true))
      expect(close(sum(r.conversions), sum(rows.map((x) => x.conversions)), 1e-9)).toBe(true)
      const reversed = right(markovRemovalEffects(reduce([...rows].reverse(), right(makeSettings({ order })))))
      const byName = (res: typeof r, pp: typeof p) => new Map(pp.channels.map((c, i) => [c, res.removalEffects[i]!]))
      const a = byName(r, p)
      const b = byName(reversed, reduce([...rows].reverse(), right(makeSettings({ order }))))
      for (const [c, x] of a) expect(close(x, b.get(c)!, 1e-9)).toBe(true)
    }
  })
})

describe('properties', () => {
  // Windows of channels below 256 are keyed by packing them into 32 bits, the others by a string: the same
  // journeys with their channels numbered from 300 (after 300 unused names) take the string route throughout.
  // 40 channels, so a packing narrower than 8 bits per channel would merge distinct windows.
  const FORTY = Array.from({ length: 40 }, (_, i) => `c${i}`)
  test.prop([arbPaths(FORTY, 30), fc.integer({ min: 2, max: 4 })], { numRuns: 60 })(
    'states and transitions do not depend on how windows are keyed (packed or by string)',
    (paths, order) => {
      const settings = right(makeSettings({ order }))
      const packed = accumulator(settings)
      const strings = accumulator(settings)
      for (let i = 0; i < 300; i++) strings.channelIndex(`unused${i}`)
      for (const j of paths) {
        packed.add(j)
        strings.add(j)
      }
      const byName = (ts: ReturnType<typeof transitionMatrix>) => ts.map((t) => `${t.from} -> ${t.to}: ${t.probability}`).sort()
      expect(byName(transitionMatrix(strings.snapshot()))).toEqual(byName(transitionMatrix(packed.snapshot())))
    },
  )

  test.prop([arbPaths(), fc.integer({ min: 1, max: 4 })])('removal effects lie in [0, 1]; transition rows sum to 1', (paths, order) => {
    const p = reduce(paths, right(makeSettings({ order })))
    const r = right(markovRemovalEffects(p))
    for (const x of [...r.removalEffects, ...r.valueRemovalEffects]) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThanOrEqual(1)
    }
    const rows = new Map<string, number>()
    for (const t of transitionMatrix(p)) rows.set(t.from, (rows.get(t.from) ?? 0) + t.probability)
    for (const [, s] of rows) expect(close(s, 1, 1e-12)).toBe(true)
  })
  test.prop([arbPaths(['a', 'b', 'c'])])('a channel on every converting path has removal effect 1 when it is also on every path', (paths) => {
    const withX = paths.map((p) => ({ ...p, channels: ['x', ...p.channels] }))
    const p = reduce(withX)
    const r = right(markovRemovalEffects(p))
    expect(r.removalEffects[p.channels.indexOf('x')]).toBeCloseTo(1, 12)
  })
})

describe('solves started from a nearby chain (bootstrap replicates)', () => {
  test.prop([arbPaths(['a', 'b', 'c', 'd', 'e', 'f'], 30), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 30, maxLength: 30 })], { numRuns: 60 })(
    'Gauss-Seidel from the point estimate\'s solutions, stopped at 1e-9 change, agrees with the exact solve of the resampled chain to 1e-6',
    (paths, order, weights) => {
      const settings = right(makeSettings({ order }))
      const point = reduce(paths, settings)
      // A resample: the same journeys counted 0, 1 or 2 times, reduced with the same states and edges.
      const acc = accumulator(settings, { ...point, totals: { ...point.totals, conversions: 0, value: 0, nulls: 0, journeys: 0, rows: 0 }, rules: point.rules, sets: [], markov: { ...point.markov, start: point.markov.start.map(() => 0), conversions: point.markov.conversions.map(() => 0), nulls: point.markov.nulls.map(() => 0), value: point.markov.value.map(() => 0), edges: [] } })
      paths.forEach((p, k) => acc.add({ ...p, conversions: p.conversions * weights[k]!, nulls: p.nulls * weights[k]!, value: p.value * weights[k]! }))
      const resampled = acc.snapshot()
      const exact = markovWith({})(resampled)
      const start = right(markovSolved({})(point))
      const warm = markovSolved({ denseLimit: 0, tolerance: 1e-9, warm: start.vectors })(resampled)
      expect(E.isRight(warm)).toBe(E.isRight(exact))
      if (E.isLeft(exact) || E.isLeft(warm)) return
      // The stopping rule leaves an error about the tolerance times 1 / (1 - the chain's contraction per sweep).
      exact.right.conversions.forEach((x, i) => expect(close(warm.right.result.conversions[i]!, x, 1e-6), `channel ${i}`).toBe(true))
      expect(close(warm.right.result.conversionProbability, exact.right.conversionProbability, 1e-6)).toBe(true)
    },
  )
})
