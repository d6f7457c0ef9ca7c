import { fc, test } from '@fast-check/vitest'
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import type { Action, Satisfaction } from '../../src/report/actions'
import { decideActions, type DecisionTouchpoint } from '../../src/report/decide'
import { parseTouchpointExperiments } from '../../src/report/touchpointExperiments'
import { analyzeStatistics } from '../../src/experiments/analysis'
import { decodeMetrics } from '../../src/experiments/metrics'
import { buildReports } from '../../src/experiments/report'
import { analyze } from '../../src/stats/analyze'
import { proportionsZTest } from '../../src/stats/frequentist/proportionsZTest'
import { right } from '../_either'

const analysis = right(analyze()({ control: 'holdout', arms: [{ name: 'holdout', units: 12000, conversions: 1020 }, { name: 'exposed', units: 12000, conversions: 1104 }] } as never))
const json = JSON.parse(JSON.stringify(analysis)) as Record<string, unknown>

const paths = (u: unknown) => {
  const r = parseTouchpointExperiments(u)
  return E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []
}

describe('parseTouchpointExperiments', () => {
  it('attaches an analyze --json result to its touchpoint; the rate change is proportionsZTest of the arms', () => {
    const [x] = right(parseTouchpointExperiments({ touchpoint: 'display', result: json }))
    const z = right(proportionsZTest()({ control: { units: 12000, conversions: 1020 }, treatment: { units: 12000, conversions: 1104 } }))
    expect(x).toMatchObject({ touchpoint: 'display', name: 'display holdout', kind: 'binomial', type: 'relative', holdout: { name: 'holdout' }, exposed: { name: 'exposed' } })
    expect(x!.lift.value).toBeCloseTo(1104 / 1020 - 1, 12)
    expect(x!.rateChange).toEqual({ value: z.difference, lower: z.interval.lower, upper: z.interval.upper })
  })

  it('examples/touchpoint-experiments.json is what touchpoint analyze prints for examples/display-holdout.csv, on display', () => {
    const [x] = right(parseTouchpointExperiments(JSON.parse(readFileSync('examples/touchpoint-experiments.json', 'utf8'))))
    expect(x).toMatchObject({ touchpoint: 'display', name: 'display holdout, Sep-Oct' })
    expect(x!.lift.value).toBeCloseTo(1104 / 1020 - 1, 12)
  })

  it('names each problem by its path', () => {
    expect(paths([{ result: json }])).toEqual(['[0].touchpoint'])
    expect(paths({ touchpoint: 'a', result: { ...json, kind: 'nope' } })).toEqual(['(the entry).result.kind'])
    expect(paths([{ touchpoint: 'a', result: json }, { touchpoint: 'a', result: json }])).toEqual(['[1].touchpoint'])
    const two = { ...json, comparisons: [...(json['comparisons'] as Array<unknown>), { ...(json['comparisons'] as Array<Record<string, unknown>>)[0], name: 'other' }] }
    expect(paths({ touchpoint: 'a', result: two })).toEqual(['(the entry).treatment'])
    expect(right(parseTouchpointExperiments({ touchpoint: 'a', treatment: 'exposed', result: two }))[0]!.exposed.name).toBe('exposed')
    expect(paths({ touchpoint: 'a', result: { ...json, control: { name: 'ghost' } } })).toEqual(['(the entry).result.arms'])
    for (const junk of [null, 3, 'x', [1], { touchpoint: 'a' }]) expect(E.isLeft(parseTouchpointExperiments(junk))).toBe(true)
  })
})

const tp = (channel: string, cost: number, credit: [number, number, number], spread?: number): DecisionTouchpoint => ({
  channel,
  journeys: 100,
  convertingJourneys: 20,
  credits: { markov: { conversions: credit[0], value: 100, share: 0, interval: { lower: credit[1], upper: credit[2] } } },
  cost: { cost, costPerConversion: {}, returnOnSpend: {} },
  ...(spread === undefined ? {} : { disagreement: { lowestModel: 'first' as const, lowest: 1, highestModel: 'last' as const, highest: 1 + spread, spread, coefficientOfVariation: 0, spreadInterval: { lower: spread / 2, upper: spread * 2 }, clear: true } }),
})

describe('decideActions with experiments and surveys', () => {
  it('an experiment takes precedence over the model: its measured conversions decide scale or cut, and no test is suggested', () => {
    // Benchmark 2000 / 20 = 100 per conversion. By the model, a (cost 500, credit 10 [9, 11]) scales.
    const ts = [tp('a', 500, [10, 9, 11], 5), tp('b', 1500, [10, 9, 11])]
    const byModel = right(decideActions()({ referenceModel: 'markov', level: 0.95, touchpoints: ts }))
    expect(byModel.map((x) => [x._tag, x.channel])).toEqual([['Scale', 'a'], ['Cut', 'b'], ['Test', 'a']])
    // A holdout measured 0.5 points [−0.5, 1.5] on a's 100 journeys: 0.5 conversions [0, 1.5], 333 per conversion at best.
    const measured = right(decideActions()({ referenceModel: 'markov', level: 0.95, touchpoints: ts, experiments: [{ touchpoint: 'a', name: 'a holdout', rateChange: { value: 0.005, lower: -0.005, upper: 0.015 } }] }))
    expect(measured.map((x) => [x._tag, x.channel])).toEqual([['Cut', 'a'], ['Cut', 'b']])
    const cut = measured[0] as Extract<Action, { _tag: 'Cut' }>
    expect(cut.experiment).toBe('a holdout')
    expect(cut.conversions).toEqual({ value: 0.5, lower: 0, upper: 1.5 })
    expect(cut.costPerConversion.lower).toBeCloseTo(500 / 1.5, 9)
    expect(cut.costPerConversion.upper).toBe(Infinity)
  })

  test.prop([fc.array(fc.record({ credit: fc.double({ min: 0.5, max: 50, noNaN: true }), cost: fc.double({ min: 1, max: 5000, noNaN: true }), x: fc.option(fc.double({ min: -0.2, max: 0.4, noNaN: true }), { nil: undefined }), half: fc.double({ min: 0, max: 0.1, noNaN: true }) }), { minLength: 1, maxLength: 8 })])(
    'every experimented touchpoint is judged on journeys × its measured change, never on credit, and never gets a test',
    (rows) => {
      const ts = rows.map((r, i) => tp(`t${i}`, r.cost, [r.credit, r.credit * 0.9, r.credit * 1.1], 3))
      const experiments = rows.flatMap((r, i) => (r.x === undefined ? [] : [{ touchpoint: `t${i}`, name: `x${i}`, rateChange: { value: r.x, lower: r.x - r.half, upper: r.x + r.half } }]))
      const actions = right(decideActions()({ referenceModel: 'markov', level: 0.95, touchpoints: ts, experiments }))
      const benchmark = rows.reduce((s, r) => s + r.cost, 0) / rows.reduce((s, r) => s + r.credit, 0)
      for (const x of experiments) {
        const mine = actions.filter((a) => a.channel === x.touchpoint)
        expect(mine.some((a) => a._tag === 'Test')).toBe(false)
        const cost = ts.find((t) => t.channel === x.touchpoint)!.cost!.cost
        const best = Math.max(0, 100 * x.rateChange.upper)
        const worst = Math.max(0, 100 * x.rateChange.lower)
        const expected = (worst > 0 ? cost / worst : Infinity) < benchmark ? 'Scale' : (best > 0 ? cost / best : Infinity) > benchmark ? 'Cut' : undefined
        const got = mine.find((a) => a._tag === 'Scale' || a._tag === 'Cut')
        expect(got?._tag).toBe(expected)
        if (got !== undefined) expect((got as Extract<Action, { _tag: 'Cut' }>).experiment).toBe(x.name)
      }
    },
  )

  it('satisfaction is compared within its measure: a CSAT share is not held against an NPS average', () => {
    const s = (measure: 'nps' | 'csat', score: number, half: number): Satisfaction => ({ measure, score, lower: score - half, upper: score + half, responses: 100 })
    const ts = ['a', 'b', 'c', 'd'].map((c) => ({ channel: c, journeys: 10, convertingJourneys: 2, credits: {} }))
    const actions = right(decideActions()({ referenceModel: 'markov', level: 0.95, touchpoints: ts, satisfaction: { a: s('nps', 40, 5), b: s('nps', 42, 5), c: s('csat', 0.8, 0.05), d: s('csat', 0.5, 0.05) } }))
    expect(actions.map((a) => [a._tag, a.channel])).toEqual([['Fix', 'd']])
  })

  it('experiments that are no list of experiments are a Left, never a throw', () => {
    for (const bad of [3, [null], [{ touchpoint: 'a', name: 'x', rateChange: { value: Number.NaN, lower: 0, upper: 1 } }]]) {
      expect(E.isLeft(decideActions()({ referenceModel: 'markov', level: 0.95, touchpoints: [], experiments: bad as never }))).toBe(true)
    }
  })
})

// The raw-log analysis (touchpoint analyze --exposures … --events … --json) is { experiments: buildReports(…), caps }.
const logMetrics = right(decodeMetrics({ metrics: [
  { name: 'purchased', kind: 'binomial', events: ['purchase'] },
  { name: 'revenue', kind: 'sum', events: ['purchase'], value: 'value' },
  { name: 'bounced', kind: 'binomial', events: ['bounce'], guardrail: true, direction: 'decrease' },
] }))
const binomialArms = (h: [number, number], x: [number, number]) => [{ name: 'holdout', units: h[0], conversions: h[1] }, { name: 'exposed', units: x[0], conversions: x[1] }]
const logResult = (experiment: string, h: [number, number], x: [number, number], metrics = ['purchased', 'revenue', 'bounced']) => {
  const statistics = metrics.map((metric) => ({
    experiment,
    metric,
    control: 'holdout',
    arms: metric === 'revenue' ? [{ name: 'holdout', units: h[0], sum: h[1] * 40, sumSquares: h[1] * 2000 }, { name: 'exposed', units: x[0], sum: x[1] * 41, sumSquares: x[1] * 2100 }] : binomialArms(h, x),
    multipleExposures: 0,
  }))
  const reports = right(pipe(analyzeStatistics(logMetrics)(statistics as never), E.flatMap(buildReports())))
  return JSON.parse(JSON.stringify({ experiments: reports, caps: [] })) as Record<string, unknown>
}
const treatmentOf = (result: Record<string, unknown>, metric: string) => {
  const m = (result['experiments'] as Array<{ slices: Array<{ metrics: Array<{ statistics: { metric: string }; outcome: { intervalLevel: number; analysis: { intervalLevel: number }; treatments: Array<{ estimate: number; interval: { lower: number; upper: number }; familyPValue: number }> } }> }> }>)[0]!.slices[0]!.metrics.find((x) => x.statistics.metric === metric)!
  return m.outcome
}

describe('parseTouchpointExperiments on the raw-log analysis', () => {
  it('picks the binomial metric that is no guardrail, with the summary\'s family-corrected lift and p-value', () => {
    const result = logResult('display-holdout', [12000, 1020], [12000, 1104])
    const [x] = right(parseTouchpointExperiments({ touchpoint: 'display', result }))
    const o = treatmentOf(result, 'purchased')
    const t = o.treatments[0]!
    expect(x).toMatchObject({ touchpoint: 'display', name: 'display-holdout', metric: 'purchased', kind: 'binomial', level: o.intervalLevel, pValue: t.familyPValue, holdout: { name: 'holdout', units: 12000 }, exposed: { name: 'exposed', units: 12000 } })
    expect(x!.lift).toEqual({ value: t.estimate, lower: t.interval.lower, upper: t.interval.upper })
    // Two metrics in the family (the guardrail is not): the rate change is at the Bonferroni level 0.975.
    expect(o.analysis.intervalLevel).toBeCloseTo(0.975, 12)
    const z = right(proportionsZTest({ level: o.analysis.intervalLevel })({ control: { units: 12000, conversions: 1020 }, treatment: { units: 12000, conversions: 1104 } }))
    expect(x!.rateChange).toEqual({ value: z.difference, lower: z.interval.lower, upper: z.interval.upper })
  })

  it('a metric the entry names is used (a continuous one has no rate change); the display name may differ', () => {
    const result = logResult('display-holdout', [5000, 400], [5000, 460])
    const [x] = right(parseTouchpointExperiments({ touchpoint: 'display', experiment: 'Display, Q3', metric: 'revenue', result }))
    expect(x).toMatchObject({ name: 'Display, Q3', metric: 'revenue', kind: 'continuous' })
    expect(x!.rateChange).toBeUndefined()
    expect(x!.lift.value).toBe(treatmentOf(result, 'revenue').treatments[0]!.estimate)
  })

  it('says what it found when it cannot pick: no binomial metric, an unknown metric, several experiments', () => {
    const only = (r: Record<string, unknown>) => {
      const e = parseTouchpointExperiments(r)
      return E.isLeft(e) && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => `${i.path}: ${i.expected}`) : []
    }
    const sums = logResult('x', [1000, 100], [1000, 120], ['revenue'])
    expect(only({ touchpoint: 'display', result: sums })).toEqual(['(the entry).metric: the metric that measured the touchpoint: experiment "x" has no binomial (conversion) metric to pick by itself; its metrics: revenue (sum)'])
    const three = logResult('x', [1000, 100], [1000, 120])
    expect(only({ touchpoint: 'display', metric: 'orders', result: three })).toEqual(['(the entry).metric: a metric of experiment "x": purchased (binomial), revenue (sum), bounced (binomial, guardrail)'])
    const two = { experiments: [...(three['experiments'] as Array<unknown>), ...(logResult('y', [1000, 100], [1000, 120])['experiments'] as Array<unknown>)] }
    expect(only({ touchpoint: 'display', result: two })).toEqual(['(the entry).experiment: the experiment that tested the touchpoint, one of "x", "y" (the result holds 2)'])
    expect(right(parseTouchpointExperiments({ touchpoint: 'display', experiment: 'y', result: two }))[0]!.name).toBe('y')
    expect(only({ touchpoint: 'display', result: { experiments: [] } })).toEqual(['(the entry).result.experiments: experiments { experiment, control, slices }, at least 1 (touchpoint analyze --exposures … --json)'])
    expect(only({ touchpoint: 'display', metric: 'purchased', result: json })).toEqual(['(the entry).metric: nothing: a result of per-arm statistics has one metric (metric names one of the raw-log analysis)'])
  })

  test.prop([fc.integer({ min: 50, max: 50000 }), fc.integer({ min: 50, max: 50000 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true })])(
    'one binomial metric from the logs gives the same experiment as analyze on its per-arm statistics',
    (hu, xu, hr, xr) => {
      const h: [number, number] = [hu, Math.max(1, Math.round(hu * hr))]
      const x: [number, number] = [xu, Math.max(1, Math.round(xu * xr))]
      const fromLogs = parseTouchpointExperiments({ touchpoint: 't', result: logResult('t holdout', h, x, ['purchased']) })
      const perArm = pipe(analyze()({ control: 'holdout', arms: binomialArms(h, x) } as never), E.flatMap((result) => parseTouchpointExperiments({ touchpoint: 't', result: JSON.parse(JSON.stringify(result)) as unknown })))
      if (E.isLeft(perArm)) {
        expect(E.isLeft(fromLogs)).toBe(true)
        return
      }
      const { metric, ...rest } = right(fromLogs)[0]!
      expect(metric).toBe('purchased')
      expect(rest).toEqual(right(perArm)[0])
    },
  )
})
