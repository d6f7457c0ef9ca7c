import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { emptyPartial, mergePartials, reduceJourneys } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { makeSettings } from '../../src/attribution/decode'
import { DEFAULT_SETTINGS, type Attribution, type ModelName } from '../../src/attribution/model'
import golden from '../golden/attribution.json'
import { arbPaths, arbTimedPath, close, reduce, right, sum } from './_helpers'
import { pieceBounds } from '../_cuts'

const CONSERVING: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'markov', 'shapley', 'shapley_rate']
const ALL: ReadonlyArray<ModelName> = [...CONSERVING, 'participation']

const credits = (a: Attribution, m: ModelName) => new Map(a.channels.map((c) => [c.channel, c.credits[m]!]))

const golden_rows = (rows: ReadonlyArray<{ path: string; total_conversions: number; total_conversion_value: number; total_null: number }>) =>
  rows.map((r) => ({ channels: r.path.split('>').map((s) => s.trim()), conversions: r.total_conversions, value: r.total_conversion_value, nulls: r.total_null }))

describe('rule-based models against the independent implementation (scripts/golden/attribution.py)', () => {
  for (const c of golden.cases) {
    it(`${c.name}: first, last, linear, position, participation, simplified Shapley`, () => {
      const a = right(attribute({ models: ['first', 'last', 'linear', 'position', 'participation', 'shapley'] })(reduce(golden_rows(c.rows))))
      expect(a.channels.map((x) => x.channel)).toEqual(c.channels) // first appearance, as ChannelAttribution
      for (const m of ['first', 'last', 'linear', 'position', 'participation', 'shapley'] as const) {
        const want = (c.heuristics as unknown as Record<string, Record<string, [number, number]>>)[m]!
        for (const ch of a.channels) {
          expect(close(ch.credits[m]!.conversions, want[ch.channel]![0], 1e-12), `${m} ${ch.channel}`).toBe(true)
          expect(close(ch.credits[m]!.value, want[ch.channel]![1], 1e-12), `${m} ${ch.channel} value`).toBe(true)
        }
      }
    })
  }
  it('linear counts repeats touch by touch: a in a > a > b gets 2/3 (ChannelAttribution, verified)', () => {
    const a = right(attribute({ models: ['linear'] })(reduce([{ channels: ['a', 'a', 'b'], conversions: 1, value: 3, nulls: 0 }])))
    expect(credits(a, 'linear').get('a')!.conversions).toBeCloseTo(2 / 3, 12)
    expect(credits(a, 'linear').get('a')!.value).toBeCloseTo(2, 12)
  })
  it('last non-direct skips direct unless the whole path is direct', () => {
    const a = right(
      attribute({ models: ['last_non_direct'] })(
        reduce([
          { channels: ['search', 'Direct'], conversions: 2, value: 10, nulls: 0 },
          { channels: ['direct', 'direct'], conversions: 1, value: 1, nulls: 0 },
        ]),
      ),
    )
    expect(credits(a, 'last_non_direct').get('search')).toEqual({ conversions: 2, value: 10 })
    expect(credits(a, 'last_non_direct').get('direct')).toEqual({ conversions: 1, value: 1 })
  })
  it('channels seen only on non-converting paths are listed with 0', () => {
    const a = right(attribute({ models: ['first', 'markov'] })(reduce([{ channels: ['a'], conversions: 1, value: 1, nulls: 0 }, { channels: ['b'], conversions: 0, value: 0, nulls: 3 }])))
    expect(a.channels.map((c) => [c.channel, c.credits.first!.conversions, c.credits.markov!.conversions])).toEqual([
      ['a', 1, 1],
      ['b', 0, 0],
    ])
  })
  it('time decay is refused on paths without timestamps', () => {
    const r = attribute({ models: ['time_decay'] })(reduce([{ channels: ['a'], conversions: 1, value: 1, nulls: 0 }]))
    expect(E.isLeft(r) && r.left._tag).toBe('InsufficientData')
  })
})

describe('invariants', () => {
  test.prop([arbPaths()])('credits are >= 0 and, participation aside, sum to the total conversions and value', (paths) => {
    const a = right(attribute({ models: ALL })(reduce(paths)))
    const conv = sum(paths.map((p) => p.conversions))
    const value = sum(paths.map((p) => p.value))
    for (const m of ALL) {
      const cs = a.channels.map((c) => c.credits[m]!)
      for (const c of cs) {
        expect(c.conversions).toBeGreaterThanOrEqual(0)
        expect(c.value).toBeGreaterThanOrEqual(0)
      }
      if (m === 'participation') {
        expect(sum(cs.map((c) => c.conversions))).toBeGreaterThanOrEqual(conv - 1e-9)
        continue
      }
      expect(close(sum(cs.map((c) => c.conversions)), conv, 1e-9), `${m} conversions`).toBe(true)
      if (m !== 'markov' || value > 0) expect(close(sum(cs.map((c) => c.value)), value, 1e-9), `${m} value`).toBe(true)
    }
  })

  test.prop([arbTimedPath.chain((p) => fc.array(fc.constant(p), { minLength: 1, maxLength: 1 }).chain(() => fc.array(arbTimedPath, { minLength: 1, maxLength: 20 })))])(
    'time decay conserves conversions and value on timed journeys',
    (paths) => {
      const a = right(attribute({ models: ['time_decay'] })(reduce(paths)))
      expect(close(sum(a.channels.map((c) => c.credits.time_decay!.conversions)), sum(paths.map((p) => p.conversions)), 1e-9)).toBe(true)
      expect(close(sum(a.channels.map((c) => c.credits.time_decay!.value)), sum(paths.map((p) => p.value)), 1e-9)).toBe(true)
    },
  )

  test.prop([fc.constantFrom('search', 'email', 'direct', '(unattributed)'), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 9 })])(
    'a single-touch path gives that channel everything, in every model',
    (channel, conversions, value, nulls) => {
      const a = right(attribute({ models: ALL })(reduce([{ channels: [channel, channel].slice(0, 1), conversions, value, nulls }])))
      expect(a.channels).toHaveLength(1)
      for (const m of ALL) expect(a.channels[0]!.credits[m]).toEqual({ conversions, value })
    },
  )

  test.prop([arbPaths(), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true }))])('the result does not depend on row order', (paths, random) => {
    const shuffled = [...paths]
    const it = random[Symbol.iterator]()
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor((it.next().value as number) * (i + 1)) % (i + 1)
      ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
    }
    const a = right(attribute({ models: ALL })(reduce(paths)))
    const b = right(attribute({ models: ALL })(reduce(shuffled)))
    for (const m of ALL) {
      const cb = credits(b, m)
      for (const [ch, c] of credits(a, m)) {
        expect(close(c.conversions, cb.get(ch)!.conversions, 1e-9), `${m} ${ch}`).toBe(true)
        expect(close(c.value, cb.get(ch)!.value, 1e-9), `${m} ${ch} value`).toBe(true)
      }
    }
  })

  test.prop([arbPaths(), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 1, max: 4 })])(
    'results over shards merged equal the result over the whole (any cut points, any Markov order)',
    (paths, cuts, order) => {
      const settings = right(makeSettings({ order }))
      const shards = pieceBounds(paths.length, cuts).map(([from, to]) => paths.slice(from, to))
      let merged = emptyPartial(settings)
      for (const s of shards) merged = right(pipe(merged, mergePartials(reduce(s, settings))))
      const whole = reduce(paths, settings)
      expect(merged.totals).toEqual(whole.totals)
      const a = right(attribute({ models: ALL })(merged))
      const b = right(attribute({ models: ALL })(whole))
      for (const m of ALL) {
        const cb = credits(b, m)
        for (const [ch, c] of credits(a, m)) {
          expect(close(c.conversions, cb.get(ch)!.conversions, 1e-9), `${m} ${ch}`).toBe(true)
          expect(close(c.value, cb.get(ch)!.value, 1e-9), `${m} ${ch} value`).toBe(true)
        }
      }
    },
  )

  test.prop([arbPaths()])('a partial survives JSON (what worker threads and other machines exchange)', (paths) => {
    const p = reduce(paths)
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
  })
})

describe('mergePartials and reduceJourneys', () => {
  it('refuses partials reduced with different settings', () => {
    const a = emptyPartial(DEFAULT_SETTINGS)
    const b = emptyPartial(right(makeSettings({ order: 2 })))
    const r = pipe(a, mergePartials(b))
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe('settings')
  })
  it('reduceJourneys names every bad journey', () => {
    const r = reduceJourneys(DEFAULT_SETTINGS)([
      { channels: [], conversions: 1, value: 0, nulls: 0 },
      { channels: ['a'], conversions: -1, value: 0, nulls: 0 },
      { channels: ['a'], conversions: 1, value: 0, nulls: 0 },
    ])
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues.map((i) => i.path)).toEqual(['[0].channels', '[1].conversions'])
  })
  it('makeSettings checks its fields', () => {
    const r = makeSettings({ order: 5, position: { first: -1, middle: 0, last: 0 }, halfLifeMs: 0, direct: [''] })
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues.map((i) => i.path)).toEqual(['order', 'position', 'halfLifeMs', 'direct[0]'])
  })
})
