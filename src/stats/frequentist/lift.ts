/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, type TouchpointError } from '../../core/errors'
import { intervalEnds, noNaN } from '../codec'
import { estimateArms, meanDifference, type Estimate } from '../internal/estimate'
import { productDifference } from '../internal/exact'
import { ALTERNATIVE, checkFields, fields, LIFT_TYPE, TEST, type Field } from '../internal/options'
import { intervalOf, pValueOf, upperQuantile, welchDf } from '../internal/tests'
import type { Alternative, Arm, Interval, LiftType, MetricKind, TwoArms } from '../model'

/**
 * Options of {@link lift}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface LiftOptions {
  /** `relative` (default): (mB − mA) / |mA|; `absolute`: mB − mA. */
  readonly type?: LiftType
  /** `t` (default, Welch df, as GrowthBook) or `z` (normal, as Eppo and Statsig). */
  readonly test?: 't' | 'z'
  readonly alternative?: Alternative
  readonly level?: number
}

/**
 * Result of {@link lift}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface LiftResult {
  readonly kind: MetricKind
  readonly type: LiftType
  readonly controlMean: number
  readonly treatmentMean: number
  readonly estimate: number
  readonly standardError: number
  readonly interval: Interval
  /**
   * How the interval was formed: `delta` (estimate ± critical value × standard error), or `log-ratio` for the
   * relative lift of a conversion rate whose delta-method interval would reach below −100% (Katz's log interval
   * of the rate ratio, minus 1; statsmodels `confint_proportions_2indep(compare='ratio', method='log')`). A
   * one-sided `less` interval of such a lift starts at −100% instead of −∞ and stays `delta`.
   */
  readonly intervalMethod: 'delta' | 'log-ratio'
  /** t or z statistic, estimate / standardError. */
  readonly statistic: number
  /** Welch–Satterthwaite df for the t test, Infinity for z. */
  readonly df: number
  readonly pValue: number
  readonly alternative: Alternative
  readonly level: number
}

/** @internal Lift options after checking, with their defaults. */
export interface CheckedLiftOptions {
  readonly type: LiftType
  readonly test: 't' | 'z'
  readonly alternative: Alternative
  readonly level: number
}

/**
 * @internal Katz's interval for the relative lift of two rates: exp(log(pB/pA) ± c·√(qB/cB + qA/cA)) − 1, with c
 * the critical value of the test. Never below −100%. Undefined when either arm has no conversions.
 */
export const logRatioInterval = (a: Estimate, b: Estimate, critical: number, alternative: Alternative): Interval | undefined => {
  const cA = a.conversions
  const cB = b.conversions
  if (cA === undefined || cB === undefined || cA === 0 || cB === 0) return undefined
  // log(pB/pA) = log((cB·nA)/(cA·nB)), near 0 from the exact difference of products.
  const den = cA * b.n
  const diff = productDifference(cB, a.n, cA, b.n)
  const logRatio = Math.abs(diff) < 0.5 * den ? Math.log1p(diff / den) : Math.log(cB / b.n) - Math.log(cA / a.n)
  const se = Math.sqrt((b.n - cB) / b.n / cB + (a.n - cA) / a.n / cA)
  const lower = Math.expm1(logRatio - critical * se)
  const upper = Math.expm1(logRatio + critical * se)
  if (alternative === 'greater') return { lower, upper: Number.POSITIVE_INFINITY }
  if (alternative === 'less') return { lower: -1, upper }
  return { lower, upper }
}

/** @internal The lift of two estimates, shared with CUPED and the many-arm comparison. */
export const liftOfEstimates = (
  kind: MetricKind,
  a: Estimate,
  b: Estimate,
  options: CheckedLiftOptions,
  relativeTo: number = a.mean,
): E.Either<TouchpointError, LiftResult> => {
  const vA = a.variance / a.n
  const vB = b.variance / b.n
  if (!(vA + vB > 0)) return E.left(insufficientData('both arms have zero variance'))
  const difference = meanDifference(a, b)
  let estimate: number
  let variance: number
  if (options.type === 'absolute') {
    estimate = difference
    variance = vA + vB
  } else {
    if (relativeTo === 0) return E.left(insufficientData('the control mean is 0, so a relative lift is undefined'))
    const m = relativeTo
    // Delta method for (mB − mA) / |mA| with independent arms (gbstats `variance_of_ratios`); dividing by |mA| keeps
    // the sign of the absolute difference when the control mean is negative (GrowthBook PR #6658).
    estimate = difference / Math.abs(m)
    variance = vB / (m * m) + (vA * b.mean * b.mean) / (m * m * m * m)
    if (!(variance > 0)) {
      return E.left(insufficientData('the treatment mean is 0 and varies not at all, so the relative lift has no standard error; use type "absolute"'))
    }
  }
  const standardError = Math.sqrt(variance)
  const df = options.test === 'z' ? Number.POSITIVE_INFINITY : welchDf(vA, a.n, vB, b.n)
  const statistic = estimate / standardError
  let interval = intervalOf(estimate, standardError, df, options.level, options.alternative)
  let intervalMethod: 'delta' | 'log-ratio' = 'delta'
  if (kind === 'binomial' && options.type === 'relative' && interval.lower < -1) {
    // A rate cannot fall by more than 100%. A one-sided upper bound simply starts there; an interval whose own
    // lower end passes it is formed on the log scale instead.
    const alpha = 1 - options.level
    const katz = options.alternative === 'less' ? undefined : logRatioInterval(a, b, upperQuantile(options.alternative === 'two-sided' ? alpha / 2 : alpha, df), options.alternative)
    if (katz !== undefined) {
      interval = katz
      intervalMethod = 'log-ratio'
    } else interval = { lower: -1, upper: interval.upper }
  }
  return E.right({
    kind,
    type: options.type,
    controlMean: a.mean,
    treatmentMean: b.mean,
    estimate,
    standardError,
    interval,
    intervalMethod,
    statistic,
    df,
    pValue: pValueOf(statistic, df, options.alternative),
    alternative: options.alternative,
    level: options.level,
  })
}

/** @internal The option fields of {@link lift}. */
export const LIFT_FIELDS = { type: LIFT_TYPE, test: TEST, alternative: ALTERNATIVE, level: fields.probability } as const

/** @internal Checked lift options with defaults; `extra` fields are allowed too (and returned unchecked). */
export const liftOptions = (
  options: unknown,
  extra: Readonly<Record<string, Field>> = {},
): E.Either<TouchpointError, CheckedLiftOptions & { readonly raw: Readonly<Record<string, unknown>> }> =>
  pipe(
    checkFields({ ...LIFT_FIELDS, ...extra })(options),
    E.map((o) => ({
      type: (o['type'] ?? 'relative') as LiftType,
      test: (o['test'] ?? 't') as 't' | 'z',
      alternative: (o['alternative'] ?? 'two-sided') as Alternative,
      level: (o['level'] ?? 0.95) as number,
      raw: o,
    })),
  )

/** @internal A lift from checked options (what {@link lift} and compareToControl share). */
export const liftChecked =
  (o: CheckedLiftOptions) =>
  (arms: unknown): E.Either<TouchpointError, LiftResult> =>
    pipe(
      estimateArms(arms),
      E.flatMap(({ kind, a, b }) =>
        o.test === 't' && (a.n < 2 || b.n < 2) ? E.left(insufficientData('a t test needs at least 2 units per arm')) : liftOfEstimates(kind, a, b, o),
      ),
      E.flatMap(noNaN('lift', intervalEnds)),
    )

/**
 * Absolute or relative lift of the treatment over the control for any metric kind (conversion, continuous,
 * ratio by the delta method), with its interval and p-value: GrowthBook's frequentist engine (gbstats
 * `TwoSidedTTest`), whose published test vectors are among the golden cases (tests/golden/frequentist.json,
 * computed with scipy `t.sf` / `t.isf`).
 *
 * **When to use**: the headline number of an experiment ("+12.3%, 95% CI +4.1% to +20.9%").
 * **Gotchas**: a relative lift needs a non-zero control mean; a binomial arm's variance is p(1 − p) without the
 * n/(n − 1) factor, as GrowthBook and statsmodels use. The relative lift of a conversion rate never has an
 * interval below −100%: where the delta method's would, Katz's log-ratio interval is given instead
 * (`intervalMethod: 'log-ratio'`, matching statsmodels `confint_proportions_2indep(compare='ratio',
 * method='log')`); the p-value stays the delta method's. Differences of rates are formed from the counts exactly.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 3407, sum: 1396.87, sumSquares: 52377.9767 },
 *        treatment: { units: 3461, sum: 2422.7, sumSquares: 134698.29 } }, lift())
 * // => right({ estimate: 0.70732…, standardError: 0.37879…, interval: { lower: -0.03526…, upper: 1.44989… },
 * //            pValue: 0.06191…, … })
 *
 * @category frequentist
 * @since 0.1.0
 */
export const lift =
  (options: LiftOptions = {}) =>
  (arms: TwoArms<Arm>): E.Either<TouchpointError, LiftResult> =>
    pipe(
      liftOptions(options),
      E.flatMap((o) => liftChecked(o)(arms)),
    )
