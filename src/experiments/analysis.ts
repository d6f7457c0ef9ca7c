/**
 * From sufficient statistics to what a team decides on: `analyze` from `touchpoint/stats` per metric and dimension
 * value, p-values corrected across the family (every metric that is not a guardrail, every dimension value, every
 * treatment of one experiment) with intervals widened to agree, and guardrails flagged when they move the wrong way.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import { analyze, type AnalyzeOptions, type Analysis, type ExperimentData } from '../stats/analyze'
import { adjustPValues, type Correction } from '../stats/frequentist/adjustPValues'
import type { Interval } from '../stats/model'
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
 * - `familyPValue`: the p-value corrected across the family (guardrails: their own p-value, uncorrected).
 * - `interval`: at `intervalLevel`, widened for the correction as the p-values are.
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
    | { readonly _tag: 'Analyzed'; readonly analysis: Analysis; readonly intervalLevel: number; readonly treatments: ReadonlyArray<TreatmentResult> }
    | { readonly _tag: 'NotAnalyzed'; readonly reason: string }
}

/** The data `analyze` reads: the statistics without what identifies them. */
export const experimentData = (s: MetricStatistics): ExperimentData => ({ arms: s.arms, control: s.control })

/** The interval level that agrees with the corrected p-values (as `compareToControl` widens intervals). */
const correctedLevel = (correction: Correction, level: number, familyPValues: ReadonlyArray<number>): number => {
  const m = familyPValues.length
  if (m <= 1 || correction === 'none') return level
  if (correction === 'benjamini-hochberg') {
    const rejected = familyPValues.filter((p) => p <= 1 - level).length
    return 1 - (Math.max(rejected, 1) * (1 - level)) / m
  }
  return 1 - (1 - level) / m
}

/**
 * Analyse every metric's statistics; one result per input, in order. Statistics of different experiments are
 * corrected separately.
 *
 * @example
 * pipe(statistics, analyzeStatistics(metrics, { sequential: true }))
 * // => [{ statistics: { metric: 'purchased', ... }, outcome: { _tag: 'Analyzed', treatments: [{ name: 'green', estimate: 0.11, verdict: 'better', ... }] } }, ...]
 *
 * @category analysis
 * @since 0.2.0
 */
export const analyzeStatistics =
  (metrics: Metrics, options: LogAnalysisOptions = {}) =>
  (statistics: ReadonlyArray<MetricStatistics>): ReadonlyArray<MetricResult> => {
    const level = options.level ?? 0.95
    const correction = options.correction ?? 'holm'
    const base = { ...options, correction: 'none' as const }
    const first = statistics.map((s) => analyze(base)(experimentData(s)))
    const metricOf = (s: MetricStatistics) => metrics.metrics.find((m) => m.name === s.metric)!
    // The family: per experiment, every comparison of every analysed metric that is not a guardrail.
    const family = new Map<string, Array<{ readonly at: number; readonly treatment: number; readonly p: number }>>()
    statistics.forEach((s, at) => {
      const r = first[at]!
      if (E.isLeft(r) || metricOf(s).guardrail) return
      const list = family.get(s.experiment) ?? []
      r.right.comparisons.forEach((c, treatment) => list.push({ at, treatment, p: c.pValue }))
      family.set(s.experiment, list)
    })
    const adjusted = new Map<string, number>()
    const levels = new Map<string, number>()
    for (const [experiment, list] of family) {
      const ps = adjustPValues(correction)(list.map((x) => x.p))
      const values = E.isRight(ps) ? ps.right : list.map((x) => x.p)
      list.forEach((x, i) => adjusted.set(`${x.at}:${x.treatment}`, values[i]!))
      levels.set(experiment, correctedLevel(correction, level, values))
    }
    return statistics.map((s, at): MetricResult => {
      const metric = metricOf(s)
      const head = { statistics: s, kind: metric.kind, guardrail: metric.guardrail, direction: metric.direction }
      const r = first[at]!
      if (E.isLeft(r)) return { ...head, outcome: { _tag: 'NotAnalyzed', reason: formatError(r.left) } }
      const intervalLevel = metric.guardrail ? level : (levels.get(s.experiment) ?? level)
      // Intervals at the corrected level: the same analysis at that level (estimates and p-values do not change).
      const widened = intervalLevel === level ? r : analyze({ ...base, level: intervalLevel })(experimentData(s))
      const analysis = E.isRight(widened) ? widened.right : r.right
      const treatments = analysis.comparisons.map((c, i): TreatmentResult => {
        const familyPValue = metric.guardrail ? c.pValue : (adjusted.get(`${at}:${i}`) ?? c.pValue)
        const good = metric.direction === 'increase' ? c.estimate > 0 : c.estimate < 0
        const shown = c.sequentialInterval ?? c.interval
        const wrongSide = metric.direction === 'increase' ? shown.upper < 0 : shown.lower > 0
        const decided = c.sequentialInterval === undefined ? familyPValue < 1 - level : c.sequentialInterval.lower > 0 || c.sequentialInterval.upper < 0
        const verdict = metric.guardrail ? (wrongSide ? 'worse' : 'inconclusive') : decided ? (good ? 'better' : 'worse') : 'inconclusive'
        return {
          name: c.name,
          estimate: c.estimate,
          interval: c.interval,
          pValue: c.pValue,
          familyPValue,
          probabilityBetter: metric.direction === 'increase' ? c.probabilityBetter : 1 - c.probabilityBetter,
          ...(c.sequentialInterval === undefined ? {} : { sequentialInterval: c.sequentialInterval }),
          ...(c.varianceReduction === undefined ? {} : { varianceReduction: c.varianceReduction }),
          verdict,
        }
      })
      return { ...head, outcome: { _tag: 'Analyzed', analysis, intervalLevel, treatments } }
    })
  }
