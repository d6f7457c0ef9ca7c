/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { checkOptions, noNaN } from '../codec'
import { estimateArms, type Estimate } from '../internal/estimate'
import { intervalOf, pValueOf, welchDf } from '../internal/tests'
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
  /** t or z statistic, estimate / standardError. */
  readonly statistic: number
  /** Welch–Satterthwaite df for the t test, Infinity for z. */
  readonly df: number
  readonly pValue: number
  readonly alternative: Alternative
  readonly level: number
}

/** @internal The lift of two estimates, shared with CUPED and the many-arm comparison. */
export const liftOfEstimates = (
  kind: MetricKind,
  a: Estimate,
  b: Estimate,
  options: { readonly type: LiftType; readonly test: 't' | 'z'; readonly alternative: Alternative; readonly level: number },
  relativeTo: number = a.mean,
): E.Either<TouchpointError, LiftResult> => {
  const vA = a.variance / a.n
  const vB = b.variance / b.n
  if (!(vA + vB > 0)) return E.left(insufficientData('both arms have zero variance'))
  let estimate: number
  let variance: number
  if (options.type === 'absolute') {
    estimate = b.mean - a.mean
    variance = vA + vB
  } else {
    if (relativeTo === 0) return E.left(insufficientData('the control mean is 0, so a relative lift is undefined'))
    const m = relativeTo
    // Delta method for (mB − mA) / |mA| with independent arms (gbstats `variance_of_ratios`); dividing by |mA| keeps
    // the sign of the absolute difference when the control mean is negative (GrowthBook PR #6658).
    estimate = (b.mean - a.mean) / Math.abs(m)
    variance = vB / (m * m) + (vA * b.mean * b.mean) / (m * m * m * m)
  }
  const standardError = Math.sqrt(variance)
  const df = options.test === 'z' ? Number.POSITIVE_INFINITY : welchDf(vA, a.n, vB, b.n)
  const statistic = estimate / standardError
  return E.right({
    kind,
    type: options.type,
    controlMean: a.mean,
    treatmentMean: b.mean,
    estimate,
    standardError,
    interval: intervalOf(estimate, standardError, df, options.level, options.alternative),
    statistic,
    df,
    pValue: pValueOf(statistic, df, options.alternative),
    alternative: options.alternative,
    level: options.level,
  })
}

/** @internal Checked lift options with defaults. */
export const liftOptions = (
  options: LiftOptions,
): E.Either<TouchpointError, { readonly type: LiftType; readonly test: 't' | 'z'; readonly alternative: Alternative; readonly level: number }> =>
  pipe(
    checkOptions(options),
    E.flatMap(({ alternative }) => {
      const type = options.type ?? 'relative'
      const test = options.test ?? 't'
      if (type !== 'relative' && type !== 'absolute') return E.left(invalidInput([issue('type', '"relative" or "absolute"', type)]))
      if (test !== 't' && test !== 'z') return E.left(invalidInput([issue('test', '"t" or "z"', test)]))
      return E.right({ type, test, alternative, level: options.level ?? 0.95 })
    }),
  )

/**
 * Absolute or relative lift of the treatment over the control for any metric kind (conversion, continuous,
 * ratio by the delta method), with its interval and p-value: GrowthBook's frequentist engine (gbstats
 * `TwoSidedTTest`), whose published test vectors are among the golden cases (tests/golden/frequentist.json,
 * computed with scipy `t.sf` / `t.isf`).
 *
 * **When to use**: the headline number of an experiment ("+12.3%, 95% CI +4.1% to +20.9%").
 * **Gotchas**: a relative lift needs a non-zero control mean; a binomial arm's variance is p(1 − p) without the
 * n/(n − 1) factor, as GrowthBook and statsmodels use.
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
      E.flatMap((o) =>
        pipe(
          estimateArms(arms),
          E.flatMap(({ kind, a, b }) =>
            o.test === 't' && (a.n < 2 || b.n < 2) ? E.left(insufficientData('a t test needs at least 2 units per arm')) : liftOfEstimates(kind, a, b, o),
          ),
        ),
      ),
      E.flatMap(noNaN('lift')),
    )
