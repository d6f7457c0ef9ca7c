import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { mergePartials } from '../../src/attribution/accumulate'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { mergeReportPartials, reduceTouchpoints, reportAccumulator, reportSettings } from '../../src/report/accumulate'
import { buildReport } from '../../src/report/build'
import { right } from '../_either'
import { arbJourneys, arbPath, diff, reduceBoth, settings, sum } from './_helpers'

const weight = (j: Journey) => j.conversions + j.nulls
const MODELS = ['first', 'last', 'linear', 'position', 'markov', 'shapley'] as const

describe('report accumulator', () => {
  test.prop([arbJourneys(24), fc.nat(), fc.integer({ min: 0, max: 4 })], { numRuns: 40 })(
    'shards merged equal one pass (report partial, attribution partial, bootstrap replicates, and the built report)',
    (journeys, cut, replicates) => {
      const s = settings({ replicates })
      const k = cut % (journeys.length + 1)
      const whole = reduceBoth(journeys, s)
      const a = reduceBoth(journeys.slice(0, k), s)
      const b = reduceBoth(journeys.slice(k), s)
      const report = right(pipe(a.report, mergeReportPartials(b.report)))
      const attribution = right(pipe(a.attribution, mergePartials(b.attribution)))
      expect(diff(report, whole.report)).toBeUndefined()
      const models = [...MODELS]
      const r1 = buildReport({ models })({ attribution, report })
      const r2 = buildReport({ models })(whole)
      expect(E.isRight(r1)).toBe(E.isRight(r2))
      if (E.isRight(r1) && E.isRight(r2)) expect(diff(r1.right, r2.right, 1e-8)).toBeUndefined()
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
    const a = reduceBoth(journeys.slice(0, 1), s)
    const b = reduceBoth(journeys.slice(1), s)
    const merged = { attribution: right(pipe(a.attribution, mergePartials(b.attribution))), report: right(pipe(a.report, mergeReportPartials(b.report))) }
    const models = [...MODELS]
    expect(diff(right(buildReport({ models })(merged)), right(buildReport({ models })(whole)), 1e-8)).toBeUndefined()
  })

  test.prop([arbJourneys()])('introducer + solo are first-touch credit, closer + solo last-touch credit (attribution agrees)', (journeys) => {
    const { attribution, report } = reduceBoth(journeys)
    report.channels.forEach((name, j) => {
      const i = attribution.channels.indexOf(name)
      const r = report.channel.convertingRoles
      expect(r.introducer[j]! + r.solo[j]!).toBeCloseTo(attribution.rules.first.conversions[i]!, 9)
      expect(r.closer[j]! + r.solo[j]!).toBeCloseTo(attribution.rules.last.conversions[i]!, 9)
    })
  })

  test.prop([arbJourneys()])('touches: roles add up to touches; totals are Σ n · (conversions + nulls)', (journeys) => {
    const { report } = reduceBoth(journeys)
    const c = report.channel
    report.channels.forEach((_, j) => {
      expect(c.roles.introducer[j]! + c.roles.assister[j]! + c.roles.closer[j]! + c.roles.solo[j]!).toBeCloseTo(c.touches[j]!, 9)
      expect(c.convertingTouches[j]!).toBeLessThanOrEqual(c.touches[j]! + 1e-9)
    })
    expect(sum(c.touches)).toBeCloseTo(sum(journeys.map((j) => j.channels.length * weight(j))), 9)
    expect(report.totals.touches).toBeCloseTo(sum(c.touches), 9)
    expect(sum(report.lengths.conversions)).toBeCloseTo(sum(journeys.map((j) => j.conversions)), 9)
    expect(sum(report.lengths.nulls)).toBeCloseTo(sum(journeys.map((j) => j.nulls)), 9)
  })

  test.prop([arbJourneys()])('transitions conserve journeys: in = out at every channel; starts = journeys; exits = conversions and nulls', (journeys) => {
    const { report } = reduceBoth(journeys)
    const t = report.transitions
    const n = report.channels.length
    const inflow = t.start.slice()
    const outflow = t.exitConversions.map((c, j) => c + t.exitNulls[j]!)
    for (const [a, b, w] of t.edges) {
      outflow[a] = outflow[a]! + w
      inflow[b] = inflow[b]! + w
    }
    for (let j = 0; j < n; j++) expect(inflow[j]!).toBeCloseTo(outflow[j]!, 9)
    expect(sum(t.start)).toBeCloseTo(report.totals.journeys, 9)
    expect(sum(t.exitConversions)).toBeCloseTo(report.totals.conversions, 9)
    expect(sum(t.exitNulls)).toBeCloseTo(report.totals.nulls, 9)
  })

  test.prop([arbJourneys(), fc.integer({ min: 1, max: 6 })])('the flow follows each journey for at most flowSteps touches and ends in its outcome', (journeys, steps) => {
    const { report } = reduceBoth(journeys, settings({ flowSteps: steps }))
    const step0 = report.flow.filter(([s]) => s === 0)
    const outcomes = report.flow.filter(([, , to]) => to < 0)
    expect(report.flow.every(([s]) => s < steps)).toBe(true)
    expect(sum(step0.filter(([, , to]) => to >= 0).map((l) => l[3])) + sum(step0.filter(([, , to]) => to < 0).map((l) => l[3]))).toBeGreaterThan(0)
    expect(sum(outcomes.filter(([, , to]) => to === -1).map((l) => l[3]))).toBeCloseTo(report.totals.conversions, 9)
    expect(sum(outcomes.filter(([, , to]) => to === -2).map((l) => l[3]))).toBeCloseTo(report.totals.nulls, 9)
  })

  test.prop([fc.array(arbPath(), { minLength: 1, maxLength: 40 })])('distinct paths are exact under capacity', (journeys) => {
    const { report } = reduceBoth(journeys)
    const truth = new Map<string, { c: number; u: number }>()
    for (const j of journeys) {
      if (weight(j) === 0) continue
      const k = j.channels.join('>')
      const e = truth.get(k) ?? { c: 0, u: 0 }
      truth.set(k, { c: e.c + j.conversions, u: e.u + j.nulls })
    }
    expect(report.paths.error).toBe(0)
    expect(report.paths.paths.length).toBe(truth.size)
    for (const p of report.paths.paths) {
      const e = truth.get(p.channels.map((c) => report.channels[c]).join('>'))!
      expect([p.conversions, p.nulls]).toEqual([e.c, e.u])
    }
  })

  test.prop([fc.array(arbPath(['a', 'b', 'c']), { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 6 })])(
    'beyond capacity, counts are low by at most the reported error and heavy paths are never lost (Misra–Gries)',
    (journeys, capacity) => {
      const { report } = reduceBoth(journeys, settings({ pathCapacity: capacity }))
      const truth = new Map<string, number>()
      for (const j of journeys) if (weight(j) > 0) truth.set(j.channels.join('>'), (truth.get(j.channels.join('>')) ?? 0) + weight(j))
      const kept = new Map(report.paths.paths.map((p) => [p.channels.map((c) => report.channels[c]).join('>'), p.conversions + p.nulls] as const))
      expect(kept.size).toBeLessThanOrEqual(capacity)
      for (const [k, w] of truth) {
        const est = kept.get(k) ?? 0
        expect(est).toBeLessThanOrEqual(w + 1e-9)
        expect(est).toBeGreaterThanOrEqual(w - report.paths.error - 1e-9)
      }
    },
  )

  test.prop([arbJourneys(12), fc.string(), fc.string()], { numRuns: 20 })('bootstrap replicates are a function of the seed', (journeys, s1, s2) => {
    const a = reduceBoth(journeys, settings({ replicates: 3, seed: s1 })).report.bootstrap
    const b = reduceBoth(journeys, settings({ replicates: 3, seed: s1 })).report.bootstrap
    expect(diff(a, b, 0)).toBeUndefined()
    fc.pre(s1 !== s2 && sum(journeys.map(weight)) >= 10)
    const c = reduceBoth(journeys, settings({ replicates: 3, seed: s2 })).report.bootstrap
    expect(diff(a, c, 0)).toBeDefined()
  })

  it('a replicate weights each journey by a Poisson(1) draw: total conversions vary as Poisson(100)', () => {
    // Timed journeys (distinct content), 100 converting.
    const T = 1_800_000_000_000
    const journeys: Array<Journey> = Array.from({ length: 400 }, (_, i) => ({
      channels: [['a', 'b', 'c'][i % 3]!, 'd'],
      times: [T + i * 1000, T + i * 1000 + 500],
      ...(i % 4 === 0 ? { conversions: 1, value: 10, nulls: 0, conversionTime: T + i * 1000 + 600 } : { conversions: 0, value: 0, nulls: 1 }),
    }))
    const { report } = reduceBoth(journeys, settings({ replicates: 200 }))
    const conv = report.bootstrap.map((p) => p.totals.conversions)
    expect(conv.every(Number.isInteger)).toBe(true)
    const mean = sum(conv) / conv.length
    expect(Math.abs(mean - 100)).toBeLessThan(5 * Math.sqrt(100 / 200))
    // Sample variance of 200 draws of Poisson(100): sd of the estimate is about 100·sqrt(2/199) = 10.
    const v = sum(conv.map((x) => (x - mean) ** 2)) / (conv.length - 1)
    expect(v).toBeGreaterThan(60)
    expect(v).toBeLessThan(140)
  })

  it('an aggregated row of C conversions draws Poisson(C): the same spread as C separate journeys', () => {
    const rows: Array<Journey> = [
      { channels: ['a', 'd'], conversions: 40, value: 400, nulls: 100 },
      { channels: ['b', 'd'], conversions: 35, value: 350, nulls: 100 },
      { channels: ['c'], conversions: 25, value: 250, nulls: 100 },
    ]
    const { report } = reduceBoth(rows, settings({ replicates: 200 }))
    const conv = report.bootstrap.map((p) => p.totals.conversions)
    const mean = sum(conv) / conv.length
    const v = sum(conv.map((x) => (x - mean) ** 2)) / (conv.length - 1)
    expect(Math.abs(mean - 100)).toBeLessThan(5 * Math.sqrt(100 / 200))
    expect(v).toBeGreaterThan(60)
    expect(v).toBeLessThan(140)
    // Value scales with the drawn conversions (10 per conversion on every row).
    report.bootstrap.forEach((p) => expect(p.totals.value).toBeCloseTo(10 * p.totals.conversions, 9))
  })

  it('partials with different settings do not merge', () => {
    const a = reportAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 })).snapshot()
    const b = reportAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 2 })).snapshot()
    const c = reportAccumulator(reportSettings({ ...DEFAULT_SETTINGS, order: 2 }, { replicates: 0 })).snapshot()
    expect(E.isLeft(pipe(a, mergeReportPartials(b)))).toBe(true)
    expect(E.isLeft(pipe(a, mergeReportPartials(c)))).toBe(true)
    expect(E.isRight(pipe(a, mergeReportPartials(a)))).toBe(true)
  })

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
