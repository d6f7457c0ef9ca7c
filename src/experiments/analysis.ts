/**
 * From sufficient statistics to what a team decides on: `analyze` from `touchpoint/stats` per metric and dimension
 * value, p-values corrected across the family with intervals widened to agree, and guardrails flagged when they
 * move the wrong way. Two families per experiment: the whole experiment (every metric that is not a guardrail,
 * every treatment), and its breakdown by a dimension (the same across every dimension value), so that asking for
 * a breakdown never weakens the headline result.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError, invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { analyze, type AnalyzeOptions, type Analysis, type ExperimentData } from '../stats/analyze'
import { adjustPValues, CORRECTIONS, type Correction } from '../stats/frequentist/adjustPValues'
import { fields, LIFT_TYPE, optionIssues } from '../stats/internal/options'
import { normalIsf } from '../stats/internal/normal'
import type { Interval } from '../stats/model'
import { isMetrics, isObject, isStatistics, METRICS } from './internal/guards'
import type { Direction, Metrics, MetricStatistics } from './model'

/**
 * Options of {@link analyzeStatistics}: those of `analyze` (level, lift type, sequential, prior, SRM threshold,
 * CUPED), with `correction` applied across the experiment's whole family of comparisons.
 *
 * @category analysis
 * @since 0.2.0
 */
export type LogAnalysisOptions = Omit<AnalyzeOptions, 'correction'> & { readonly correction?: Correction }

/**
 * One treatment of one metric (and dimension value) against the control, after the family correction.
 *
 * - `familyPValue`: the p-value corrected across its family (guardrails: their own p-value, uncorrected).
 * - `interval`: made to agree with `familyPValue` (see {@link IntervalAdjustment}); the always-valid interval
 *   (with `sequential`) is at the Bonferroni level.
 * - `verdict`: `better` or `worse` (by the metric's direction) when the corrected p-value is below 1 − level, or,
 *   with `sequential`, when the always-valid interval excludes zero (safe however often it is looked at); else
 *   `inconclusive`. A guardrail is only ever `worse`: when its interval lies wholly on the wrong side of zero.
 *
 * @category analysis
 * @since 0.2.0
 */
export interface TreatmentResult {
  readonly name: string
  readonly estimate: number
  readonly interval: Interval
  readonly pValue: number
  readonly familyPValue: number
  readonly probabilityBetter: number
  readonly sequentialInterval?: Interval
  readonly varianceReduction?: number
  readonly verdict: 'better' | 'worse' | 'inconclusive'
}

/**
 * The analysis of one metric (and dimension value): the statistics it came from, and either the comparisons or
 * why there are none (too few units, no variance).
 *
 * @category analysis
 * @since 0.2.0
 */
export interface MetricResult {
  readonly statistics: MetricStatistics
  readonly kind: 'binomial' | 'count' | 'sum' | 'ratio'
  readonly guardrail: boolean
  readonly direction: Direction
  readonly outcome:
    | {
        readonly _tag: 'Analyzed'
        readonly analysis: Analysis
        /** The level of `interval` (Bonferroni: widened to 1 − (1 − level)/m; back-solved: the family's level). */
        readonly intervalLevel: number
        readonly intervalAdjustment: IntervalAdjustment
        /** Comparisons in the family this one was corrected with (1: not corrected). */
        readonly familySize: number
        /** The level of the always-valid intervals: 1 − (1 − level)/familySize. */
        readonly sequentialLevel: number
        readonly treatments: ReadonlyArray<TreatmentResult>
      }
    | { readonly _tag: 'NotAnalyzed'; readonly reason: string }
}

/**
 * How a treatment's interval was made to agree with its corrected p-value: `none` (one comparison, or no
 * correction), `bonferroni` (the interval at 1 − (1 − level)/m), `back-solved` (Holm, Benjamini–Hochberg:
 * centred on the estimate, excluding zero exactly when the corrected p-value is below 1 − level, as GrowthBook's).
 *
 * @category analysis
 * @since 0.2.0
 */
export type IntervalAdjustment = 'none' | 'bonferroni' | 'back-solved'

/**
 * The data `analyze` reads: the statistics without what identifies them (for what is no object, no arms: `analyze`
 * then says so).
 *
 * @category analysis
 * @since 0.2.0
 */
export const experimentData = (s: MetricStatistics): ExperimentData => (isObject(s) ? { arms: s.arms, control: s.control } : { arms: [] })

/** The options of `analyze`, checked once for the whole family (strict: `level: '0.95'` is no number). */
const OPTIONS = {
  level: fields.probability,
  type: LIFT_TYPE,
  correction: fields.oneOf(CORRECTIONS),
  sequential: fields.boolean,
  tuning: fields.positive,
  prior: fields.custom('a Beta prior: { alpha, beta }', isObject),
  srmThreshold: fields.probability,
  cuped: fields.boolean,
} as const

const inputIssues = (metrics: unknown, options: unknown, statistics: unknown): ReadonlyArray<Issue> => {
  if (!isMetrics(metrics)) return [issue('metrics', METRICS, metrics)]
  const out: Array<Issue> = optionIssues(OPTIONS, options, 'options')
  if (!Array.isArray(statistics)) return [...out, issue('statistics', 'the statistics of each metric (from toStatistics)', statistics)]
  const names = new Set(metrics.metrics.map((m) => m.name))
  const bad = statistics.findIndex((s: unknown) => !isStatistics(s) || !names.has((s as MetricStatistics).metric))
  if (bad >= 0) {
    const s: unknown = statistics[bad]
    out.push(isStatistics(s) ? issue(`statistics[${bad}].metric`, `a metric of the metrics (${[...names].join(', ')})`, (s as MetricStatistics).metric) : issue(`statistics[${bad}]`, 'the statistics of one metric: { experiment, metric, control, arms, multipleExposures }', s))
    return out
  }
  // Each result hands its statistics back: a NaN or infinite number in them (an arm's sumSquares) would come back too.
  for (let i = 0; i < statistics.length; i++) {
    const number = nonFiniteIssue(statistics[i], `statistics[${i}]`)
    if (number !== undefined) return [...out, number]
  }
  return out
}

/** The first number in `u` (at any depth, without recursion: plain JavaScript nests deep) that is NaN or infinite. */
const nonFiniteIssue = (u: unknown, path: string): Issue | undefined => {
  const seen = new Set<object>()
  const stack: Array<readonly [unknown, string]> = [[u, path]]
  while (stack.length > 0) {
    const [v, at] = stack.pop()!
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return issue(at, 'a finite number', v)
      continue
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    for (const [k, x] of Object.entries(v).reverse()) stack.push([x, Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`])
  }
  return undefined
}

/**
 * Analyse every metric's statistics; one result per input, in order. Statistics of different experiments are
 * corrected separately. An `InvalidInput` Left names what is wrong with the metrics, an option or a statistic;
 * a metric whose arms cannot be analysed (too few units, no variance) is a result that says why (`NotAnalyzed`).
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'] }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const arms = [{ name: 'control', units: 5012, conversions: 412 }, { name: 'green', units: 4990, conversions: 480 }]
 * analyzeStatistics(metrics.right)([{ experiment: 'checkout', metric: 'purchased', control: 'control', arms, multipleExposures: 3 }])
 * // => right([{ kind: 'binomial', guardrail: false, outcome: { _tag: 'Analyzed', treatments: [{ name: 'green', estimate: 0.1701…, pValue: 0.02332…, verdict: 'better', … }], … }, … }])
 *
 * @category analysis
 * @since 0.2.0
 */
export const analyzeStatistics =
  (metrics: Metrics, options: LogAnalysisOptions = {}) =>
  (statistics: ReadonlyArray<MetricStatistics>): E.Either<TouchpointError, ReadonlyArray<MetricResult>> => {
    const bad = inputIssues(metrics, options, statistics)
    return bad.length > 0 ? E.left(invalidInput(bad)) : E.right(analyzeAll(metrics, options, statistics))
  }

const analyzeAll = (metrics: Metrics, options: LogAnalysisOptions, statistics: ReadonlyArray<MetricStatistics>): ReadonlyArray<MetricResult> => {
    const level = options.level ?? 0.95
    const correction = options.correction ?? 'holm'
    const base = { ...options, correction: 'none' as const }
    const first = statistics.map((s) => analyze(base)(experimentData(s)))
    const metricOf = (s: MetricStatistics) => metrics.metrics.find((m) => m.name === s.metric)!
    // The families: per experiment, the whole and the breakdown; every comparison of every metric but guardrails.
    const familyOf = (s: MetricStatistics) => JSON.stringify([s.experiment, s.dimension?.name ?? null])
    const family = new Map<string, Array<{ readonly at: number; readonly treatment: number; readonly p: number }>>()
    statistics.forEach((s, at) => {
      const r = first[at]!
      if (E.isLeft(r) || metricOf(s).guardrail) return
      const list = family.get(familyOf(s)) ?? []
      r.right.comparisons.forEach((c, treatment) => list.push({ at, treatment, p: c.pValue }))
      family.set(familyOf(s), list)
    })
    const adjusted = new Map<string, number>()
    const sizes = new Map<string, number>()
    for (const [key, list] of family) {
      const ps = adjustPValues(correction)(list.map((x) => x.p))
      const values = E.isRight(ps) ? ps.right : list.map((x) => x.p)
      list.forEach((x, i) => adjusted.set(`${x.at}:${x.treatment}`, values[i]!))
      sizes.set(key, list.length)
    }
    const z = normalIsf((1 - level) / 2)
    return statistics.map((s, at): MetricResult => {
      const metric = metricOf(s)
      const head = { statistics: s, kind: metric.kind, guardrail: metric.guardrail, direction: metric.direction }
      const r = first[at]!
      if (E.isLeft(r)) return { ...head, outcome: { _tag: 'NotAnalyzed', reason: formatError(r.left) } }
      const m = metric.guardrail || correction === 'none' ? 1 : (sizes.get(familyOf(s)) ?? 1)
      // Bonferroni's intervals (and every always-valid one) at 1 − (1 − level)/m: the same analysis at that level.
      const bonferroniLevel = 1 - (1 - level) / m
      const widened = m === 1 ? r : analyze({ ...base, level: bonferroniLevel })(experimentData(s))
      const analysis = E.isRight(widened) ? widened.right : r.right
      const adjustment: IntervalAdjustment = m === 1 ? 'none' : correction === 'bonferroni' ? 'bonferroni' : 'back-solved'
      const treatments = analysis.comparisons.map((c, i): TreatmentResult => {
        const familyPValue = m === 1 ? c.pValue : (adjusted.get(`${at}:${i}`) ?? c.pValue)
        // Holm and Benjamini–Hochberg have no simple intervals of their own: GrowthBook's back-solved one, centred on
        // the estimate and just touching zero when the corrected p-value is 1 − level, agrees with the verdict.
        const backSolved = (): Interval => {
          const w = (z * Math.abs(c.estimate)) / normalIsf(familyPValue / 2)
          // A corrected p-value of 1 back-solves to (-∞, ∞) (the normal quantile of 1/2 is 0): the Bonferroni interval
          // instead, simultaneous at 1 − (1 − level)/m, which holds 0 whenever the corrected p-value is 1.
          return Number.isFinite(w) && w >= 0 ? { lower: c.estimate - w, upper: c.estimate + w } : c.interval
        }
        const interval = adjustment === 'back-solved' ? backSolved() : c.interval
        const good = metric.direction === 'increase' ? c.estimate > 0 : c.estimate < 0
        const shown = c.sequentialInterval ?? interval
        const wrongSide = metric.direction === 'increase' ? shown.upper < 0 : shown.lower > 0
        const decided = c.sequentialInterval === undefined ? familyPValue < 1 - level : c.sequentialInterval.lower > 0 || c.sequentialInterval.upper < 0
        const verdict = metric.guardrail ? (wrongSide ? 'worse' : 'inconclusive') : decided ? (good ? 'better' : 'worse') : 'inconclusive'
        return {
          name: c.name,
          estimate: c.estimate,
          interval,
          pValue: c.pValue,
          familyPValue,
          probabilityBetter: metric.direction === 'increase' ? c.probabilityBetter : 1 - c.probabilityBetter,
          ...(c.sequentialInterval === undefined ? {} : { sequentialInterval: c.sequentialInterval }),
          ...(c.varianceReduction === undefined ? {} : { varianceReduction: c.varianceReduction }),
          verdict,
        }
      })
      const intervalLevel = adjustment === 'bonferroni' ? bonferroniLevel : level
      return { ...head, outcome: { _tag: 'Analyzed', analysis, intervalLevel, intervalAdjustment: adjustment, familySize: m, sequentialLevel: bonferroniLevel, treatments } }
    })
}
