/**
 * The statistics of the whole pipeline, from raw logs: on seeded simulations (scripts/experiments/simulate.ts)
 * with planted effects whose true values are known in closed form, the 95% intervals cover the truth at the
 * nominal rate, and A/A experiments (no effect) reject at the nominal rate, with and without CUPED, capping and
 * ratio metrics. Each rate is checked against a 99.9% binomial band around the nominal one.
 *
 * TOUCHPOINT_SIMULATION_RUNS=2000 npx vitest run tests/experiments/simulation.test.ts   (the long mode; default 120)
 */
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { formatError } from '../../src/core/errors'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { Metrics } from '../../src/experiments/model'
import { logReducer } from '../../src/experiments/reduce'
import { orThrow } from '../_engines'
import { toStatistics } from '../../src/experiments/statistics'
import { analyze } from '../../src/stats/analyze'
import { DEFAULT_SCENARIO, simulate, trueLifts, type Scenario } from '../../scripts/experiments/simulate'

const RUNS = Number(process.env['TOUCHPOINT_SIMULATION_RUNS'] ?? 120)
const UNITS = 2400
/** A run takes about 0.1 s on a 2-core machine (two experiments of 2,400 units from their logs). */
const TIMEOUT = Math.max(120_000, RUNS * 400)

const metrics = ((): Metrics => {
  const r = decodeMetrics({
    metrics: [
      { name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' },
      { name: 'orders', kind: 'count', events: ['purchase'], window: '7d' },
      { name: 'revenue', kind: 'sum', events: ['purchase'], value: 'value', window: '7d' },
      { name: 'revenue_cuped', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cuped: { days: 14 } },
      { name: 'revenue_capped', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cap: { quantile: 0.99 } },
      { name: 'revenue_capped_cuped', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cap: { quantile: 0.95 }, cuped: { days: 14 } },
      { name: 'orders_all', kind: 'count', events: ['purchase'] },
      { name: 'per_order', kind: 'ratio', numerator: 'revenue', denominator: 'orders' },
      { name: 'per_order_capped', kind: 'ratio', numerator: 'revenue_capped', denominator: 'orders' },
    ],
  })
  if (E.isLeft(r)) throw new Error(formatError(r.left))
  return r.right
})()

const KIND: Readonly<Record<string, 'binomial' | 'count' | 'sum' | 'ratio' | undefined>> = {
  purchased: 'binomial',
  orders: 'count',
  orders_all: 'count',
  revenue: 'sum',
  revenue_cuped: 'sum',
  per_order: 'ratio',
}

/** One simulated experiment analysed from its logs: per metric the relative lift's estimate, interval and p. */
const experiment = (scenario: Scenario, seed: string) => {
  const r = orThrow(logReducer({ metrics }))
  const units = [...simulate(scenario, seed)]
  for (const u of units) for (const x of u.exposures) r.push({ ...x, dimension: '' })
  const e = r.done()
  for (const u of units) for (const x of u.events) e.push({ unit: x.unit, time: x.time, event: x.event, values: [x.value] })
  const statistics = toStatistics(metrics, { control: 'control' })(e.done().rows)
  if (E.isLeft(statistics)) throw new Error(formatError(statistics.left))
  return statistics.right.map((s) => {
    const a = analyze({ correction: 'none' })({ arms: s.arms, control: s.control })
    if (E.isLeft(a)) throw new Error(`${s.metric}: ${formatError(a.left)}`)
    const c = a.right.comparisons[0]!
    return { metric: s.metric, interval: c.interval, pValue: c.pValue, cuped: a.right.cuped }
  })
}

/** The 99.9% band of a binomial share around `p` over `n` runs. */
const band = (p: number, n: number) => {
  const half = 3.29 * Math.sqrt((p * (1 - p)) / n)
  return [p - half, p + half] as const
}

const base: Scenario = { ...DEFAULT_SCENARIO, units: UNITS, pageViews: 0, crossed: 0.01 }

describe(`simulated experiments from raw logs (${RUNS} runs each)`, () => {
  it('planted effects: 95% intervals cover the true lift at the nominal rate (binomial, count, sum, sum with CUPED, ratio)', () => {
    const scenario: Scenario = { ...base, variants: [base.variants[0]!, { ...base.variants[1]!, rateLift: 0.15, valueLift: 0.08 }] }
    const truth = trueLifts(scenario, scenario.variants[0]!, scenario.variants[1]!, 7)
    const covered = new Map<string, number>()
    for (let run = 0; run < RUNS; run++) {
      for (const r of experiment(scenario, `coverage-${run}`)) {
        const kind = KIND[r.metric]
        if (kind === undefined) continue
        const t = truth[kind]
        if (r.interval.lower <= t && t <= r.interval.upper) covered.set(r.metric, (covered.get(r.metric) ?? 0) + 1)
      }
    }
    const [low, high] = band(0.95, RUNS)
    const rates = Object.keys(KIND).map((m) => [m, (covered.get(m) ?? 0) / RUNS] as const)
    console.log(`coverage of 95% intervals over ${RUNS} runs (99.9% band ${low.toFixed(3)}..${Math.min(1, high).toFixed(3)}): ${rates.map(([m, r]) => `${m} ${r.toFixed(3)}`).join(', ')}`)
    for (const [m, rate] of rates) expect(rate, m).toBeGreaterThanOrEqual(low)
    for (const [m, rate] of rates) expect(rate, m).toBeLessThanOrEqual(high)
  }, TIMEOUT)

  it('A/A: every metric rejects at the nominal 5% (capped, CUPED, capped with CUPED, ratios of capped values included)', () => {
    const scenario: Scenario = { ...base, variants: [base.variants[0]!, { ...base.variants[1]!, rateLift: 0, valueLift: 0 }] }
    const rejected = new Map<string, number>()
    let cuped = 0
    for (let run = 0; run < RUNS; run++) {
      for (const r of experiment(scenario, `aa-${run}`)) {
        if (r.pValue < 0.05) rejected.set(r.metric, (rejected.get(r.metric) ?? 0) + 1)
        if (r.cuped) cuped++
      }
    }
    expect(cuped).toBe(2 * RUNS)
    const [low, high] = band(0.05, RUNS)
    const rates = metrics.metrics.map((m) => [m.name, (rejected.get(m.name) ?? 0) / RUNS] as const)
    console.log(`A/A rejection at 5% over ${RUNS} runs (99.9% band ${Math.max(0, low).toFixed(3)}..${high.toFixed(3)}): ${rates.map(([m, r]) => `${m} ${r.toFixed(3)}`).join(', ')}`)
    for (const [m, rate] of rates) expect(rate, m).toBeLessThanOrEqual(high)
    for (const [m, rate] of rates) expect(rate, m).toBeGreaterThanOrEqual(low)
    // Pooled over every metric, the rate is pinned down more tightly.
    const pooled = rates.reduce((s, [, r]) => s + r, 0) / rates.length
    const [pl, ph] = band(0.05, RUNS * rates.length)
    expect(pooled).toBeGreaterThanOrEqual(pl - 0.01)
    expect(pooled).toBeLessThanOrEqual(ph + 0.01)
  }, TIMEOUT)
})
