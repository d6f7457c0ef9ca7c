import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { accumulator } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { DEFAULT_SETTINGS, MODEL_NAMES, type Journey, type ModelName, type Settings } from '../../src/attribution/model'
import { checkReportSettings, mergeReportPartials, reduceTouchpoints, reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import { journeyWeights } from '../../src/report/internal/journeyDraws'
import { replicatePartial } from '../../src/report/replicates'
import { buildReport } from '../../src/report/build'
import type { ReportPartial } from '../../src/report/model'
import { channelTransitions } from '../../src/report/transitions'
import { right } from '../_either'
import { arbJourney, arbJourneys, arbPath, arbTimedPath, diff, reduceBoth, settings, sum } from './_helpers'

const weight = (j: Journey) => j.conversions + j.nulls
const MODELS = ['first', 'last', 'linear', 'position', 'markov', 'shapley'] as const

/** Pieces of a list cut at the given points (sorted, clamped). */
const cutAt = <A>(xs: ReadonlyArray<A>, cuts: ReadonlyArray<number>): Array<ReadonlyArray<A>> => {
  const at = [...new Set(cuts.map((c) => c % (xs.length + 1)))].sort((a, b) => a - b)
  const out: Array<ReadonlyArray<A>> = []
  let from = 0
  for (const c of [...at, xs.length]) {
    out.push(xs.slice(from, c))
    from = c
  }
  return out
}

/** The bootstrap sums with time decay (floats, summed in a different order over shards) left out. */
const integerSums = (p: ReportPartial) => ({ ...p.bootstrap, timeDecay: [] })


/** Every replicate equals attribution reduced from scratch with each journey weighted by its draws. */
const expectNaiveBootstrap = (js: ReadonlyArray<Journey>, replicates: number, order: number) => {
  const attribution: Settings = { ...DEFAULT_SETTINGS, order }
  const p = reduceBoth(js, reportSettings(attribution, { replicates, seed: 'naive' }))
  const weights = js.map(journeyWeights(replicates, 'naive'))
  const timed = js.every((j) => j.conversions === 0 || j.times !== undefined)
  const models: Array<ModelName> = MODEL_NAMES.filter((m) => m !== 'time_decay' || timed)
  const replicate = replicatePartial(p)
  for (let r = 0; r < replicates; r++) {
    const acc = accumulator(attribution)
    js.forEach((j, k) => acc.add({ ...j, conversions: weights[k]!.conversions[r]!, nulls: weights[k]!.nulls[r]!, value: 0 }))
    const naive = acc.snapshot()
    const fast = replicate(r)
    expect(fast.totals.conversions).toBe(naive.totals.conversions)
    expect(fast.totals.nulls).toBe(naive.totals.nulls)
    const a = attribute({ models })(fast)
    const b = attribute({ models })(naive)
    expect(E.isRight(a)).toBe(E.isRight(b))
    if (E.isLeft(a) || E.isLeft(b)) continue
    const byName = new Map(b.right.channels.map((c) => [c.channel, c] as const))
    for (const row of a.right.channels) {
      for (const m of models) {
        const expected = byName.get(row.channel)?.credits[m]?.conversions ?? 0
        expect(Math.abs(row.credits[m]!.conversions - expected), `${m} ${row.channel} replicate ${r}`).toBeLessThanOrEqual(1e-9 * Math.max(1, expected))
      }
    }
  }
}

describe('report accumulator', () => {
  test.prop([arbJourneys(24), fc.array(fc.nat(), { maxLength: 3 }), fc.integer({ min: 0, max: 70 })], { numRuns: 40 })(
    'shards merged equal one pass: the report partial, its bootstrap replicates exactly, and the built report',
    (journeys, cuts, replicates) => {
      const s = settings({ replicates })
      const whole = reduceBoth(journeys, s)
      const merged = cutAt(journeys, cuts)
        .map((piece) => reduceBoth(piece, s))
        .reduce((a, b) => right(pipe(a, mergeReportPartials(b))))
      expect(diff(merged, whole)).toBeUndefined()
      // Replicate sums are integers (2 per unit drawn): exact whatever the order of addition.
      expect(diff(integerSums(merged), integerSums(whole), 0)).toBeUndefined()
      const models = [...MODELS]
      const r1 = buildReport({ models })(merged)
      const r2 = buildReport({ models })(whole)
      expect(E.isRight(r1)).toBe(E.isRight(r2))
      if (E.isRight(r1) && E.isRight(r2)) expect(diff(r1.right, r2.right, 1e-8)).toBeUndefined()
    },
  )

  test.prop([arbJourneys(24), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }), fc.array(fc.nat(), { maxLength: 4 })], { numRuns: 25 })(
    'journeys in any order, cut into shards merged in any order, give the report of one pass (credits and intervals, by channel name)',
    (journeys, keys, cuts) => {
      const s = settings({ replicates: 24, seed: 'order' })
      const shuffled = journeys.map((j, i) => [keys[i]!, j] as const).sort((a, b) => a[0] - b[0]).map(([, j]) => j)
      const shards = cutAt(shuffled, cuts).map((piece) => reduceBoth(piece, s)).reverse()
      const merged = shards.reduce((a, b) => right(pipe(a, mergeReportPartials(b))))
      const byName = (p: ReportPartial) => {
        const r = buildReport({ models: [...MODELS] })(p)
        return E.isLeft(r) ? r.left : Object.fromEntries(r.right.touchpoints.map((t) => [t.channel, { touches: t.touches, journeys: t.journeys, credits: t.credits, disagreement: t.disagreement }]))
      }
      expect(diff(byName(merged), byName(reduceBoth(journeys, s)), 1e-8)).toBeUndefined()
    },
  )

  it('a near-tie between models names the same highest model over shards as in one pass (shrunk from seed 1620988889)', () => {
    const journeys: ReadonlyArray<Journey> = [
      { channels: ['direct', 'search', 'video'], times: [1799999999999, 1799999999999, 1800000000000], conversionTime: 1800000000000, conversions: 1, value: 0, nulls: 0 },
      { channels: ['search'], times: [1800000000000], conversionTime: 1800000000000, conversions: 1, value: 0, nulls: 0 },
      { channels: ['search'], conversions: 1, nulls: 0, value: 0 },
    ]
    const s = settings({ replicates: 0 })
    const whole = reduceBoth(journeys, s)
    const merged = right(pipe(reduceBoth(journeys.slice(0, 1), s), mergeReportPartials(reduceBoth(journeys.slice(1), s))))
    const models = [...MODELS]
    expect(diff(right(buildReport({ models })(merged)), right(buildReport({ models })(whole)), 1e-8)).toBeUndefined()
  })

  test.prop([arbJourneys()])('one reducer: the report partial carries the attribution partial the attribution accumulator gives', (journeys) => {
    const acc = accumulator(DEFAULT_SETTINGS)
    for (const j of journeys) {
      acc.add(j)
      acc.countRows(1)
    }
    expect(diff(reduceBoth(journeys).attribution, acc.snapshot(), 0)).toBeUndefined()
  })

  test.prop([arbJourneys()])('introducer + solo are first-touch credit, closer + solo last-touch credit (attribution agrees)', (journeys) => {
    const p = reduceBoth(journeys)
    const r = p.channel.convertingRoles
    p.attribution.channels.forEach((_, j) => {
      expect(r.introducer[j]! + r.solo[j]!).toBeCloseTo(p.attribution.rules.first.conversions[j]!, 9)
      expect(r.closer[j]! + r.solo[j]!).toBeCloseTo(p.attribution.rules.last.conversions[j]!, 9)
    })
  })

  test.prop([arbJourneys()])('touches: roles add up to touches; totals are Σ n · (conversions + nulls)', (journeys) => {
    const p = reduceBoth(journeys)
    const c = p.channel
    p.attribution.channels.forEach((_, j) => {
      expect(c.roles.introducer[j]! + c.roles.assister[j]! + c.roles.closer[j]! + c.roles.solo[j]!).toBeCloseTo(c.touches[j]!, 9)
      expect(c.convertingTouches[j]!).toBeLessThanOrEqual(c.touches[j]! + 1e-9)
    })
    expect(sum(c.touches)).toBeCloseTo(sum(journeys.map((j) => j.channels.length * weight(j))), 9)
    expect(p.totals.touches).toBeCloseTo(sum(c.touches), 9)
    expect(sum(p.lengths.conversions)).toBeCloseTo(sum(journeys.map((j) => j.conversions)), 9)
    expect(sum(p.lengths.nulls)).toBeCloseTo(sum(journeys.map((j) => j.nulls)), 9)
  })

  test.prop([arbJourneys(), fc.integer({ min: 1, max: 4 })])(
    'transitions read off the Markov counts (any order) equal counting touches; with repeats, in = out at every channel',
    (journeys, order) => {
      const p = reduceBoth(journeys, reportSettings({ ...DEFAULT_SETTINGS, order }, { replicates: 0 }))
      const names = p.attribution.channels
      const t = channelTransitions(p.attribution)
      // Counted touch by touch, by name.
      const start = new Map<string, number>()
      const exits = new Map<string, number>()
      const edges = new Map<string, number>()
      const add = (m: Map<string, number>, k: string, w: number) => {
        if (w !== 0) m.set(k, (m.get(k) ?? 0) + w)
      }
      for (const j of journeys) {
        const w = weight(j)
        add(start, j.channels[0]!, w)
        add(exits, `${j.channels[j.channels.length - 1]!}>conv`, j.conversions)
        add(exits, `${j.channels[j.channels.length - 1]!}>null`, j.nulls)
        for (let i = 1; i < j.channels.length; i++) if (j.channels[i - 1] !== j.channels[i]) add(edges, `${j.channels[i - 1]}>${j.channels[i]}`, w)
      }
      names.forEach((name, i) => {
        expect(t.start[i]!).toBeCloseTo(start.get(name) ?? 0, 9)
        expect(t.exitConversions[i]!).toBeCloseTo(exits.get(`${name}>conv`) ?? 0, 9)
        expect(t.exitNulls[i]!).toBeCloseTo(exits.get(`${name}>null`) ?? 0, 9)
      })
      expect(t.edges.length).toBe(edges.size)
      for (const [a, b, w] of t.edges) expect(w).toBeCloseTo(edges.get(`${names[a]}>${names[b]}`)!, 9)
      // Conservation: what enters a channel (starts, edges in, repeats) leaves it (edges out, repeats, exits).
      const inflow = t.start.map((x, i) => x + p.channel.repeats[i]!)
      const outflow = t.exitConversions.map((x, i) => x + t.exitNulls[i]! + p.channel.repeats[i]!)
      for (const [a, b, w] of t.edges) {
        outflow[a] = outflow[a]! + w
        inflow[b] = inflow[b]! + w
      }
      names.forEach((_, i) => expect(inflow[i]!).toBeCloseTo(outflow[i]!, 9))
    },
  )

  test.prop([arbJourneys(), fc.integer({ min: 1, max: 6 })])('the flow follows each journey for at most flowSteps touches and ends in its outcome', (journeys, steps) => {
    const p = reduceBoth(journeys, settings({ flowSteps: steps }))
    const step0 = p.flow.filter(([s]) => s === 0)
    const outcomes = p.flow.filter(([, , to]) => to < 0)
    expect(p.flow.every(([s]) => s < steps)).toBe(true)
    expect(sum(step0.map((l) => l[3]))).toBeGreaterThan(0)
    expect(sum(outcomes.filter(([, , to]) => to === -1).map((l) => l[3]))).toBeCloseTo(p.attribution.totals.conversions, 9)
    expect(sum(outcomes.filter(([, , to]) => to === -2).map((l) => l[3]))).toBeCloseTo(p.attribution.totals.nulls, 9)
  })

  test.prop([fc.array(arbPath(), { minLength: 1, maxLength: 40 })])('distinct paths are exact under capacity', (journeys) => {
    const p = reduceBoth(journeys)
    const truth = new Map<string, { c: number; u: number }>()
    for (const j of journeys) {
      if (weight(j) === 0) continue
      const k = j.channels.join('>')
      const e = truth.get(k) ?? { c: 0, u: 0 }
      truth.set(k, { c: e.c + j.conversions, u: e.u + j.nulls })
    }
    expect(p.paths.error).toBe(0)
    expect(p.paths.paths.length).toBe(truth.size)
    for (const q of p.paths.paths) {
      const e = truth.get(q.channels.map((c) => p.attribution.channels[c]).join('>'))!
      expect([q.conversions, q.nulls]).toEqual([e.c, e.u])
    }
  })

  test.prop([fc.array(arbPath(['a', 'b', 'c']), { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 6 })])(
    'beyond capacity, counts are low by at most the reported error and heavy paths are never lost (Misra–Gries)',
    (journeys, capacity) => {
      const p = reduceBoth(journeys, settings({ pathCapacity: capacity }))
      const truth = new Map<string, number>()
      for (const j of journeys) if (weight(j) > 0) truth.set(j.channels.join('>'), (truth.get(j.channels.join('>')) ?? 0) + weight(j))
      const kept = new Map(p.paths.paths.map((q) => [q.channels.map((c) => p.attribution.channels[c]).join('>'), q.conversions + q.nulls] as const))
      expect(kept.size).toBeLessThanOrEqual(capacity)
      for (const [k, w] of truth) {
        const est = kept.get(k) ?? 0
        expect(est).toBeLessThanOrEqual(w + 1e-9)
        expect(est).toBeGreaterThanOrEqual(w - p.paths.error - 1e-9)
      }
    },
  )

  test.prop([arbJourneys(12), fc.string(), fc.string()], { numRuns: 20 })('bootstrap replicates are a function of the seed', (journeys, s1, s2) => {
    const a = reduceBoth(journeys, settings({ replicates: 3, seed: s1 })).bootstrap
    const b = reduceBoth(journeys, settings({ replicates: 3, seed: s1 })).bootstrap
    expect(diff(a, b, 0)).toBeUndefined()
    fc.pre(s1 !== s2 && sum(journeys.map(weight)) >= 10)
    const c = reduceBoth(journeys, settings({ replicates: 3, seed: s2 })).bootstrap
    expect(diff(a, c, 0)).toBeDefined()
  })

  test.prop([fc.array(arbJourney, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 3 }), fc.boolean()], { numRuns: 60 })(
    'every replicate equals attribution reduced from scratch with each journey weighted by its draws (the naive bootstrap)',
    (journeys, replicates, order, fractional) => {
      // Fractional counts (ChannelAttribution's format allows them) draw their remainder as one more unit.
      const js = fractional ? journeys.map((j) => (j.times === undefined ? { ...j, conversions: j.conversions * 1.25, nulls: j.nulls * 0.5 } : j)) : journeys
      fc.pre(js.some((j) => j.conversions > 0))
      expectNaiveBootstrap(js, replicates, order)
    },
  )

  test.prop([arbJourneys(4), fc.array(fc.constantFrom('a', 'b', 'c', 'direct'), { minLength: 1, maxLength: 9 }), fc.integer({ min: 65, max: 3000 }), fc.integer({ min: 1, max: 40 })], { numRuns: 15 })(
    'the same with a path of hundreds or thousands of touches (longer than the trace first holds)',
    (journeys, motif, n, replicates) => {
      const long: Journey = { channels: Array.from({ length: n }, (_, i) => motif[(i * 7 + (i >> 2)) % motif.length]!), conversions: 2, value: 20, nulls: 3 }
      expectNaiveBootstrap([...journeys, long], replicates, 1)
    },
  )

  it('a replicate counts each journey twice or not at all: total conversions vary as 2·Binomial(100, 1/2)', () => {
    // Timed journeys (distinct content), 100 converting.
    const T = 1_800_000_000_000
    const journeys: Array<Journey> = Array.from({ length: 400 }, (_, i) => ({
      channels: [['a', 'b', 'c'][i % 3]!, 'd'],
      times: [T + i * 1000, T + i * 1000 + 500],
      ...(i % 4 === 0 ? { conversions: 1, value: 10, nulls: 0, conversionTime: T + i * 1000 + 600 } : { conversions: 0, value: 0, nulls: 1 }),
    }))
    const p = reduceBoth(journeys, settings({ replicates: 400 }))
    const conv = p.bootstrap.conversions
    expect(conv.every((x) => Number.isInteger(x / 2))).toBe(true)
    const mean = sum(conv) / conv.length
    // Var(2·Binomial(100, 1/2)) = 100: the variance Poisson(1) weights give. Sample variance of 400 draws: sd about 7.
    expect(Math.abs(mean - 100)).toBeLessThan(5 * Math.sqrt(100 / 400))
    const v = sum(conv.map((x) => (x - mean) ** 2)) / (conv.length - 1)
    expect(v).toBeGreaterThan(70)
    expect(v).toBeLessThan(130)
    expect(sum(p.bootstrap.nulls) / p.bootstrap.nulls.length).toBeCloseTo(300, -1)
  })

  it('an aggregated row of C conversions draws for each of them: the same spread as C separate journeys, even for rows beyond the mask limit', () => {
    const rows: Array<Journey> = [
      { channels: ['a', 'd'], conversions: 40, value: 400, nulls: 100 },
      { channels: ['b', 'd'], conversions: 35, value: 350, nulls: 100 },
      { channels: ['c'], conversions: 25, value: 250, nulls: 3000 },
    ]
    const p = reduceBoth(rows, settings({ replicates: 400 }))
    for (const [xs, n] of [
      [p.bootstrap.conversions, 100],
      [p.bootstrap.nulls, 3200],
    ] as const) {
      const mean = sum(xs) / xs.length
      const v = sum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1)
      expect(Math.abs(mean - n)).toBeLessThan(5 * Math.sqrt(n / 400))
      expect(v / n).toBeGreaterThan(0.7)
      expect(v / n).toBeLessThan(1.3)
    }
  })

  it('partials with different settings do not merge', () => {
    const a = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 })).snapshot()
    const b = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 2 })).snapshot()
    const c = touchpointAccumulator(reportSettings({ ...DEFAULT_SETTINGS, order: 2 }, { replicates: 0 })).snapshot()
    expect(E.isLeft(pipe(a, mergeReportPartials(b)))).toBe(true)
    expect(E.isLeft(pipe(a, mergeReportPartials(c)))).toBe(true)
    expect(E.isRight(pipe(a, mergeReportPartials(a)))).toBe(true)
  })

  test.prop([fc.array(arbTimedPath, { minLength: 1, maxLength: 10 })])(
    "an attribution partial absorbed through the accumulator's own absorb adds channels the layer can then count",
    (journeys) => {
      const other = reduceBoth([{ channels: ['zeta', 'eta'], conversions: 2, value: 3, nulls: 1 }]).attribution
      const acc = touchpointAccumulator(settings({ replicates: 4 }))
      acc.accumulator.absorb(other)
      for (const j of journeys) acc.accumulator.add({ ...j, channels: [...j.channels, 'eta'], times: [...j.times!, j.conversionTime!] })
      acc.accumulator.add({ channels: ['zeta'], conversions: 1, value: 0, nulls: 0 })
      const p = acc.snapshot()
      const eta = p.attribution.channels.indexOf('eta')
      expect(p.channel.touches[eta]).toBe(sum(journeys.map(weight)))
      expect(p.channel.touches.every(Number.isFinite)).toBe(true)
      expect(E.isRight(buildReport({ models: ['first', 'markov'] })(p))).toBe(true)
    },
  )

  it('reduceTouchpoints lists every bad journey and bad settings', () => {
    const r = pipe(
      [
        { channels: ['a'], conversions: 1, value: 1, nulls: 0 },
        { channels: [], conversions: 1, value: 1, nulls: 0 },
        { channels: ['b'], conversions: -1, value: 0, nulls: 0 },
      ],
      reduceTouchpoints(settings()),
    )
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['[1].channels', '[2].conversions'])
    expect(E.isLeft(pipe([], reduceTouchpoints(settings({ replicates: -1 }))))).toBe(true)
  })
})

describe('bootstrapModels: replicate sums for the models asked only', () => {
  const arbModels = fc.subarray([...MODEL_NAMES], { minLength: 1 })
  const timedOnly = (js: ReadonlyArray<Journey>) => js.every((j) => j.conversions === 0 || j.times !== undefined)

  test.prop([arbJourneys(16), arbModels, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 2 })], { numRuns: 40 })(
    'a report of kept models is the report of a partial that kept every model',
    (journeys, kept, replicates, order) => {
      const models = kept.filter((m) => m !== 'time_decay' || timedOnly(journeys))
      fc.pre(models.length > 0)
      const attribution: Settings = { ...DEFAULT_SETTINGS, order }
      const some = reduceBoth(journeys, reportSettings(attribution, { replicates, seed: 'kept', bootstrapModels: kept }))
      const all = reduceBoth(journeys, reportSettings(attribution, { replicates, seed: 'kept' }))
      expect(buildReport({ models })(some)).toEqual(buildReport({ models })(all))
    },
  )

  test.prop([arbJourneys(12), arbModels, fc.constantFrom(...MODEL_NAMES)], { numRuns: 30 })(
    'a model the partial did not keep is refused by name, with the kept ones',
    (journeys, kept, asked) => {
      fc.pre(!kept.includes(asked))
      const p = reduceBoth(journeys, settings({ replicates: 3, bootstrapModels: kept }))
      const r = buildReport({ models: [...kept, asked] })(p)
      expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : []).toEqual([
        expect.objectContaining({ path: 'models', actual: [asked], expected: expect.stringContaining(`bootstrapModels: ${kept.join(', ')}`) }),
      ])
      // Without replicates there is nothing to keep: every model can be built.
      const none = reduceBoth(journeys, settings({ replicates: 0, bootstrapModels: kept }))
      expect(buildReport({ models: [asked] })(none)).toEqual(buildReport({ models: [asked] })(reduceBoth(journeys, settings({ replicates: 0 }))))
    },
  )

  it('partials merge only when they kept the same models (in any order); bad names are refused', () => {
    const j: ReadonlyArray<Journey> = [{ channels: ['a', 'b'], conversions: 1, value: 1, nulls: 1 }]
    const ab = reduceBoth(j, settings({ replicates: 2, bootstrapModels: ['linear', 'markov'] }))
    const ba = reduceBoth(j, settings({ replicates: 2, bootstrapModels: ['markov', 'linear', 'markov'] }))
    const all = reduceBoth(j, settings({ replicates: 2 }))
    expect(E.isRight(mergeReportPartials(ba)(ab))).toBe(true)
    const refused = mergeReportPartials(all)(ab)
    expect(E.isLeft(refused) && refused.left._tag === 'InvalidInput' ? refused.left.issues[0]!.expected : '').toContain('bootstrap models')
    const bad = checkReportSettings(reportSettings(DEFAULT_SETTINGS, { bootstrapModels: ['linear', 'nope'] as never }))
    expect(E.isLeft(bad) && bad.left._tag === 'InvalidInput' ? bad.left.issues.map((i) => i.path) : []).toEqual(['bootstrapModels'])
  })
})
