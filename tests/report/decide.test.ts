import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import type { Journey } from '../../src/attribution/model'
import type { Action, Satisfaction } from '../../src/report/actions'
import { buildReport } from '../../src/report/build'
import { decideActions, type DecisionInput, type DecisionTouchpoint } from '../../src/report/decide'
import { sampleSize } from '../../src/stats/power/sampleSize'
import { right } from '../_either'
import { arbJourneys, reduceBoth, settings } from './_helpers'

const KIND = ['Scale', 'Cut', 'Fix', 'Test'] as const
const decide = (input: DecisionInput) => right(decideActions()(input))

/** A touchpoint: credits with an interval around the point (or none), a cost (none, 0 or paid), a disagreement. */
const arbTouchpoint = (withIntervals: boolean): fc.Arbitrary<Omit<DecisionTouchpoint, 'channel'>> =>
  fc
    .record({
      journeys: fc.integer({ min: 0, max: 5000 }),
      convertingShare: fc.double({ min: 0, max: 1, noNaN: true }),
      // Credits of 0 or at least 1e-3: subnormal ones overflow cost / credit to Infinity.
      credit: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 500, noNaN: true })),
      below: fc.double({ min: 0, max: 1, noNaN: true }),
      above: fc.double({ min: 0, max: 2, noNaN: true }),
      cost: fc.oneof(fc.constant(undefined), fc.constant(0), fc.double({ min: 1, max: 50_000, noNaN: true })),
      valuePer: fc.double({ min: 0, max: 200, noNaN: true }),
      spread: fc.option(fc.record({ lo: fc.double({ min: 0, max: 50, noNaN: true }), width: fc.double({ min: 0, max: 60, noNaN: true }), shift: fc.double({ min: -30, max: 30, noNaN: true }) }), { nil: undefined }),
    })
    .map((r) => {
      const convertingJourneys = Math.round(r.journeys * r.convertingShare)
      const lower = r.credit * (1 - r.below)
      const upper = r.credit * (1 + r.above)
      const spread = r.spread === undefined ? undefined : { value: r.spread.width, lower: r.spread.width / 2 + r.spread.shift - 10, upper: r.spread.width / 2 + r.spread.shift + 10 }
      return {
        journeys: r.journeys,
        convertingJourneys,
        credits: { markov: { conversions: r.credit, value: r.credit * r.valuePer, share: 0, ...(withIntervals ? { interval: { lower, upper } } : {}) } },
        ...(spread === undefined || r.spread === undefined
          ? {}
          : {
              disagreement: {
                lowestModel: 'first' as const,
                lowest: r.spread.lo,
                highestModel: 'last' as const,
                highest: r.spread.lo + spread.value,
                spread: spread.value,
                coefficientOfVariation: 0,
                ...(withIntervals ? { spreadInterval: { lower: spread.lower, upper: spread.upper }, clear: spread.lower > 0 || spread.upper < 0 } : {}),
              },
            }),
        ...(r.cost === undefined ? {} : { cost: { cost: r.cost, costPerConversion: {}, returnOnSpend: {} } }),
      }
    })

const arbSatisfaction: fc.Arbitrary<Satisfaction> = fc
  .record({ score: fc.double({ min: -100, max: 100, noNaN: true }), half: fc.double({ min: 0, max: 40, noNaN: true }), responses: fc.integer({ min: 0, max: 400 }) })
  .map((s) => ({ measure: 'nps', score: s.score, lower: s.score - s.half, upper: s.score + s.half, responses: s.responses }))

const arbInput = (withIntervals = true): fc.Arbitrary<DecisionInput> =>
  fc
    .array(fc.tuple(arbTouchpoint(withIntervals), fc.option(arbSatisfaction, { nil: undefined })), { minLength: 1, maxLength: 12 })
    .map((rows) => ({
      referenceModel: 'markov' as const,
      level: 0.95,
      touchpoints: rows.map(([t], i) => ({ channel: `ch${String.fromCharCode(97 + ((i * 7) % 26))}${i}`, ...t })),
      satisfaction: Object.fromEntries(rows.flatMap(([, s], i) => (s === undefined ? [] : [[`ch${String.fromCharCode(97 + ((i * 7) % 26))}${i}`, s]]))),
    }))

const spend = (t: DecisionTouchpoint) => t.cost?.cost ?? 0
const isCost = (a: Action): a is Extract<Action, { _tag: 'Scale' | 'Cut' }> => a._tag === 'Scale' || a._tag === 'Cut'

/** The paid benchmark and each paid touchpoint's cost-per-conversion interval, recomputed from the input. */
const expectedCostActions = (input: DecisionInput): Map<string, 'Scale' | 'Cut'> => {
  const paid = input.touchpoints.filter((t) => spend(t) > 0)
  const credit = paid.reduce((s, t) => s + t.credits.markov!.conversions, 0)
  const out = new Map<string, 'Scale' | 'Cut'>()
  if (!(credit > 0)) return out
  const benchmark = paid.reduce((s, t) => s + spend(t), 0) / credit
  for (const t of paid) {
    const iv = t.credits.markov!.interval
    if (iv === undefined) continue
    const hi = iv.lower > 0 ? spend(t) / iv.lower : Infinity
    const lo = iv.upper > 0 ? spend(t) / iv.upper : Infinity
    if (hi < benchmark) out.set(t.channel, 'Scale')
    else if (lo > benchmark) out.set(t.channel, 'Cut')
  }
  return out
}

describe('decideActions', () => {
  test.prop([arbInput()])('every action has evidence beyond noise, and every such case is listed (cost, conversion, satisfaction, disagreement)', (input) => {
    const actions = decide(input)
    // Cost: exactly the paid touchpoints whose whole interval is on one side of the paid benchmark.
    expect(new Map(actions.filter(isCost).map((a) => [a.channel, a._tag]))).toEqual(expectedCostActions(input))
    for (const a of actions.filter(isCost)) {
      expect(a.cost).toBeGreaterThan(0)
      if (a._tag === 'Scale') expect(a.costPerConversion.upper).toBeLessThan(a.benchmark)
      else expect(a.costPerConversion.lower).toBeGreaterThan(a.benchmark)
    }
    // Conversion: the rate's interval is wholly below the average touchpoint's; the interval holds the rate.
    const reached = input.touchpoints.reduce((s, t) => s + t.journeys, 0)
    const base = input.touchpoints.reduce((s, t) => s + t.convertingJourneys, 0) / reached
    for (const a of actions) {
      if (a._tag === 'Fix' && a.reason === 'conversion') {
        expect(a.baseRate).toBeCloseTo(base, 12)
        expect(a.rate.upper).toBeLessThan(base)
        expect(a.rate.lower).toBeLessThanOrEqual(a.rate.value)
        expect(a.rate.value).toBeLessThanOrEqual(a.rate.upper)
        expect(a.shortfall).toBeGreaterThan(0)
      }
      if (a._tag === 'Fix' && a.reason === 'satisfaction') expect(a.satisfaction.upper).toBeLessThan(a.benchmark)
      if (a._tag === 'Test') expect(a.spread.lower > 0 || a.spread.upper < 0).toBe(true)
    }
    // Disagreement: exactly the touchpoints whose spread is clear.
    expect(actions.filter((a) => a._tag === 'Test').map((a) => a.channel).sort()).toEqual(input.touchpoints.filter((t) => t.disagreement?.clear === true).map((t) => t.channel).sort())
  })

  test.prop([arbInput()])('a free touchpoint (no cost, or 0) is never told to scale up or cut', (input) => {
    const free = new Set(input.touchpoints.filter((t) => spend(t) === 0).map((t) => t.channel))
    for (const a of decide(input)) if (free.has(a.channel)) expect(['Fix', 'Test']).toContain(a._tag)
  })

  test.prop([arbInput()])('not every paid touchpoint is cut, nor every one scaled: the benchmark is their own average', (input) => {
    const paid = input.touchpoints.filter((t) => spend(t) > 0)
    const actions = decide(input)
    if (paid.length > 0) {
      expect(actions.filter((a) => a._tag === 'Cut').length).toBeLessThan(paid.length)
      expect(actions.filter((a) => a._tag === 'Scale').length).toBeLessThan(paid.length)
    }
  })

  test.prop([arbInput(), fc.integer()])('the order of the touchpoints changes nothing', (input, seed) => {
    const shuffled = fc.sample(fc.shuffledSubarray(input.touchpoints as Array<DecisionTouchpoint>, { minLength: input.touchpoints.length }), { numRuns: 1, seed })[0]!
    expect(decide({ ...input, touchpoints: shuffled })).toEqual(decide(input))
  })

  test.prop([arbInput()])('not a ranking: grouped by kind, then by name; two touchpoints with the same evidence get the same actions', (input) => {
    const twin = { ...input.touchpoints[0]!, channel: 'zz-twin' }
    const twinned = { ...input, touchpoints: [...input.touchpoints, twin], satisfaction: { ...input.satisfaction, ...(input.satisfaction?.[input.touchpoints[0]!.channel] === undefined ? {} : { 'zz-twin': input.satisfaction[input.touchpoints[0]!.channel]! }) } }
    const actions = decide(twinned)
    const key = (a: Action) => `${KIND.indexOf(a._tag)}${a._tag === 'Fix' && a.reason === 'satisfaction' ? 1 : 0}`
    for (let i = 1; i < actions.length; i++) {
      const [p, q] = [actions[i - 1]!, actions[i]!]
      expect(key(p) < key(q) || (key(p) === key(q) && p.channel < q.channel)).toBe(true)
    }
    const of = (c: string) => actions.filter((a) => a.channel === c).map((a) => ({ ...a, channel: '' }))
    expect(of('zz-twin')).toEqual(of(input.touchpoints[0]!.channel))
    for (const a of actions) expect(Object.keys(a)).not.toContain('rank')
  })

  test.prop([arbInput(false)])('without bootstrap intervals nothing about credit is claimed: no scale, no cut, no test', (input) => {
    for (const a of decide(input)) expect(a._tag).toBe('Fix')
  })

  it('scale and cut against the paid benchmark (hand computed)', () => {
    const tp = (channel: string, cost: number | undefined): DecisionTouchpoint => ({
      channel,
      journeys: 100,
      convertingJourneys: 20,
      credits: { markov: { conversions: 10, value: 500, share: 0.25, interval: { lower: 8, upper: 12 } } },
      ...(cost === undefined ? {} : { cost: { cost, costPerConversion: {}, returnOnSpend: {} } }),
    })
    const actions = decide({ referenceModel: 'markov', level: 0.95, touchpoints: [tp('b', 1000), tp('a', 100), tp('free', undefined), tp('zero', 0)] })
    // Benchmark 1100 / 20 = 55: a costs 100/12..100/8 = 8.33..12.5 per conversion, b 83.3..125.
    expect(actions.map((a) => [a._tag, a.channel])).toEqual([['Scale', 'a'], ['Cut', 'b']])
    const a = actions[0] as Extract<Action, { _tag: 'Scale' }>
    expect(a.benchmark).toBeCloseTo(55, 12)
    expect([a.costPerConversion.lower, a.costPerConversion.value, a.costPerConversion.upper]).toEqual([100 / 12, 10, 12.5])
    expect(a.returnOnSpend).toBe(5)
  })

  it('fix: the Wilson interval of the rate (statsmodels proportion_confint(5, 100, method="wilson"))', () => {
    const tp = (channel: string, journeys: number, converting: number): DecisionTouchpoint => ({ channel, journeys, convertingJourneys: converting, credits: { markov: { conversions: 1, value: 0, share: 0 } } })
    const actions = decide({ referenceModel: 'markov', level: 0.95, touchpoints: [tp('weak', 100, 5), tp('strong', 900, 300)] })
    expect(actions).toHaveLength(1)
    const fix = actions[0] as Extract<Action, { _tag: 'Fix'; reason: 'conversion' }>
    expect(fix.channel).toBe('weak')
    expect(fix.rate.lower).toBeCloseTo(0.021543, 5)
    expect(fix.rate.upper).toBeCloseTo(0.111752, 5)
    expect(fix.baseRate).toBeCloseTo(305 / 1000, 12)
    expect(fix.shortfall).toBeCloseTo(100 * (0.305 - 0.05), 9)
  })

  it('test: the sample size is touchpoint/stats sampleSize for the spread over the journeys reached', () => {
    const t: DecisionTouchpoint = {
      channel: 'display',
      journeys: 105,
      convertingJourneys: 21,
      credits: { markov: { conversions: 7, value: 0, share: 0 } },
      disagreement: { lowestModel: 'last', lowest: 5, highestModel: 'first', highest: 15, spread: 10, coefficientOfVariation: 0.4, spreadInterval: { lower: 4, upper: 16 }, clear: true },
    }
    const [action] = decide({ referenceModel: 'markov', level: 0.95, touchpoints: [t] })
    expect(action?._tag).toBe('Test')
    const plan = (action as Extract<Action, { _tag: 'Test' }>).plan!
    const expected = right(sampleSize({ metric: { type: 'proportion', baseline: 0.2 } })({ mde: -10 / 105, relative: false }))
    expect(plan).toEqual({ baseline: 0.2, effect: -10 / 105, alpha: 0.05, power: 0.8, unitsPerArm: expected.unitsPerArm, totalUnits: expected.totalUnits })
    expect(right(decideActions({ power: 0.9 })({ referenceModel: 'markov', level: 0.95, touchpoints: [t] }))[0]).toMatchObject({ plan: { power: 0.9 } })
  })

  it('satisfaction: below the surveyed average across its whole interval', () => {
    const tp = (channel: string): DecisionTouchpoint => ({ channel, journeys: 10, convertingJourneys: 2, credits: { markov: { conversions: 1, value: 0, share: 0 } } })
    const s = (score: number, half: number, responses: number): Satisfaction => ({ measure: 'nps', score, lower: score - half, upper: score + half, responses })
    const actions = decide({ referenceModel: 'markov', level: 0.95, touchpoints: [tp('chat'), tp('store'), tp('email')], satisfaction: { chat: s(-20, 15, 100), store: s(40, 10, 300), email: s(10, 30, 50) } })
    // Benchmark (−2000 + 12000 + 500) / 450 = 23.3: chat (upper −5) is below; email (upper 40) is not.
    expect(actions.map((a) => [a._tag, a.channel])).toEqual([['Fix', 'chat']])
  })

  it('bad input from plain JavaScript is a Left naming the field, never a throw', () => {
    for (const bad of [null, 1, {}, { referenceModel: 'markov', level: 2, touchpoints: [] }, { referenceModel: 'markov', level: 0.95, touchpoints: [{ channel: 'a', journeys: -1, convertingJourneys: 0, credits: {} }] }]) {
      const r = decideActions()(bad as unknown as DecisionInput)
      expect(E.isLeft(r)).toBe(true)
    }
    expect(E.isLeft(decideActions({ alpha: 2 })({ referenceModel: 'markov', level: 0.95, touchpoints: [] }))).toBe(true)
    expect(E.isLeft(decideActions(null as unknown as {})({ referenceModel: 'markov', level: 0.95, touchpoints: [] }))).toBe(true)
  })

  test.prop([arbJourneys(20)], { numRuns: 25 })('buildReport carries decideActions of its own touchpoints', (journeys: ReadonlyArray<Journey>) => {
    const costs = { channels: Object.fromEntries([...new Set(journeys.flatMap((j) => j.channels))].map((c, i) => [c, i % 3 === 0 ? 0 : 50 * (i + 1)])), periods: [] }
    const r = right(pipe(reduceBoth(journeys, settings({ replicates: 20 })), buildReport({ models: ['first', 'last', 'markov'], costs })))
    expect(r.actions).toEqual(decide({ referenceModel: r.referenceModel, level: r.bootstrap.level, touchpoints: r.touchpoints }))
  })
})
