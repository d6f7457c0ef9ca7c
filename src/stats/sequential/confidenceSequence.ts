/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { intervalEnds, noNaN } from '../codec'
import { estimateArms, type Estimate } from '../internal/estimate'
import { ALTERNATIVE, checkFields, fields, LIFT_TYPE } from '../internal/options'
import { liftOfEstimates, logRatioInterval } from '../frequentist/lift'
import type { Alternative, Arm, Interval, LiftType, MetricKind, TwoArms } from '../model'

/**
 * Options of {@link confidenceSequence}.
 *
 * @category sequential
 * @since 0.1.0
 */
export interface ConfidenceSequenceOptions {
  /** Default 0.05. */
  readonly alpha?: number
  /**
   * The sample size (total units) at which the sequence is tightest. GrowthBook's default is 5000
   * (`DEFAULT_SEQUENTIAL_TESTING_TUNING_PARAMETER`), Eppo's 10 000. Default 5000.
   */
  readonly tuning?: number
  /** Default `relative`. */
  readonly type?: LiftType
  /**
   * `two-sided` (default), or a one-sided sequence (GrowthBook `SequentialOneSidedTreatment{Greater,Lesser}TTest`):
   * `greater` bounds the lift from below (is the treatment better?), `less` from above.
   */
  readonly alternative?: Alternative
}

/**
 * Result of {@link confidenceSequence}.
 *
 * @category sequential
 * @since 0.1.0
 */
export interface ConfidenceSequenceResult {
  readonly estimate: number
  readonly standardError: number
  /** Valid at every look at once: peeking does not inflate the error rate. */
  readonly interval: Interval
  /**
   * `delta`, or `log-ratio` when the relative lift of a conversion rate would otherwise reach below −100%: the same
   * always-valid multiplier applied to the standard error of log(p_B/p_A) (see {@link lift}).
   */
  readonly intervalMethod: 'delta' | 'log-ratio'
  /** Always-valid p-value: min(1, 1/e) of the mixture e-value (two-sided), or where the one-sided bound reaches 0. */
  readonly pValue: number
  readonly totalUnits: number
  readonly alpha: number
  readonly tuning: number
  readonly type: LiftType
  readonly alternative: Alternative
}

/**
 * Always-valid (anytime) confidence sequence for the lift: the asymptotic normal-mixture sequence of Howard et
 * al. (2021, eq. 14) and Waudby-Smith et al. (2023), as GrowthBook (`SequentialTwoSidedTTest`) and Eppo compute
 * it: halfwidth = se · √((n + r)/n · ln((n + r)/(r α²))), r = tuning / (−2 ln α + ln(1 − 2 ln α)), n the total
 * units; with its always-valid p-value. Golden cases, including GrowthBook's published vectors, in
 * tests/golden/stats-sequential.json; the peeking simulation in tests/stats/sequential shows the false-positive
 * rate staying under alpha when looking after every batch.
 *
 * **When to use**: whenever results are looked at before the planned end (dashboards refresh daily).
 * **Gotchas**: wider than the fixed-horizon interval at the same n (the price of peeking). One-sided sequences
 * (`alternative: 'greater' | 'less'`) report gbstats' p-value: the alpha where the bound reaches 0, within
 * [1e-5, 0.4999].
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 3000, sum: 1396.87, sumSquares: 52377.9767 },
 *        treatment: { units: 3461, sum: 2422.7, sumSquares: 134698.29 } }, confidenceSequence({ tuning: 1000 }))
 * // => right({ estimate: 0.50336…, interval: { lower: -0.55844…, upper: 1.56516… }, pValue: 1, … })
 *
 * @category sequential
 * @since 0.1.0
 */
export const confidenceSequence =
  (options: ConfidenceSequenceOptions = {}) =>
  (arms: TwoArms<Arm>): E.Either<TouchpointError, ConfidenceSequenceResult> =>
    pipe(
      sequenceOptions(options),
      E.flatMap((o) =>
        pipe(
          estimateArms(arms),
          E.flatMap(({ kind, a, b }) =>
            pipe(
              liftOfEstimates(kind, a, b, { type: o.type, test: 'z', alternative: 'two-sided', level: 1 - o.alpha }),
              E.map((l) => sequenceOf(l.estimate, l.standardError, a.n + b.n, o, { kind, a, b })),
            ),
          ),
        ),
      ),
      E.flatMap(noNaN('confidenceSequence', intervalEnds)),
    )

/** @internal The options of {@link confidenceSequence}, checked, with defaults. */
export const sequenceOptions = (options: unknown) =>
  pipe(
    checkFields({ alpha: fields.probability, tuning: fields.positive, type: LIFT_TYPE, alternative: ALTERNATIVE })(options),
    E.flatMap((o) => {
      const alpha = (o['alpha'] ?? 0.05) as number
      const alternative = (o['alternative'] ?? 'two-sided') as Alternative
      if (alternative !== 'two-sided' && !(alpha < 0.5)) return E.left(invalidInput([issue('alpha', 'below 0.5 for a one-sided sequence', alpha)]))
      return E.right({ alpha, tuning: (o['tuning'] ?? 5000) as number, type: (o['type'] ?? 'relative') as LiftType, alternative })
    }),
  )

/**
 * @internal The sequence around an estimate with standard error `se` after `n` total units (shared with analyze,
 * which passes CUPED's estimate). `rates` allows the log-ratio form for the relative lift of a conversion rate.
 */
export const sequenceOf = (
  estimate: number,
  se: number,
  n: number,
  o: { readonly alpha: number; readonly tuning: number; readonly type: LiftType; readonly alternative: Alternative },
  rates?: { readonly kind: MetricKind; readonly a: Estimate; readonly b: Estimate },
): ConfidenceSequenceResult => {
  const { alpha, tuning, type, alternative } = o
  // The always-valid interval is the estimate ± multiplier × se; the multiplier does not depend on the estimate.
  const multiplier =
    alternative === 'two-sided'
      ? Math.sqrt(((n + tuningToR(tuning, alpha)) / n) * Math.log((n + tuningToR(tuning, alpha)) / (tuningToR(tuning, alpha) * alpha * alpha)))
      : oneSidedHalfwidth(1, n, tuning, alpha)
  const w = multiplier * se
  let interval: Interval =
    alternative === 'two-sided'
      ? { lower: estimate - w, upper: estimate + w }
      : alternative === 'greater'
        ? { lower: estimate - w, upper: Number.POSITIVE_INFINITY }
        : { lower: Number.NEGATIVE_INFINITY, upper: estimate + w }
  let intervalMethod: 'delta' | 'log-ratio' = 'delta'
  if (rates !== undefined && rates.kind === 'binomial' && type === 'relative' && interval.lower < -1) {
    const katz = alternative === 'less' ? undefined : logRatioInterval(rates.a, rates.b, multiplier, alternative)
    if (katz !== undefined) {
      interval = katz
      intervalMethod = 'log-ratio'
    } else interval = { lower: -1, upper: interval.upper }
  }
  // The evidence for the alternative's direction: positive when the estimate lies on that side.
  const pValue =
    alternative === 'two-sided'
      ? alwaysValidPValue(estimate / se, n, tuningToR(tuning, alpha))
      : oneSidedPValue(alternative === 'greater' ? estimate : -estimate, se, n, tuning)
  return { estimate, standardError: se, interval, intervalMethod, pValue, totalUnits: n, alpha, tuning, type, alternative }
}

/** @internal r = N_tune / (−2 ln α + ln(1 − 2 ln α)) (gbstats writes ρ = 1/√r). */
export const tuningToR = (tuning: number, alpha: number): number => tuning / (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha)))

/** @internal GrowthBook's always-valid p-value: τ = n/r + 1, e = exp(n z² / (2 r τ)) / √τ, p = min(1, 1/e). */
export const alwaysValidPValue = (z: number, n: number, r: number): number => {
  const tau = n / r + 1
  const logE = (n * z * z) / (2 * r * tau) - 0.5 * Math.log(tau)
  return logE <= 0 ? 1 : Math.exp(-logE)
}

/**
 * @internal One-sided halfwidth (Howard et al. 2021; gbstats `sequential_interval_halfwidth_one_sided`):
 * se · √(2 (n + r)/n · ln(1 + √((n + r)/r) / (2α))), with r tuned at 2α.
 */
export const oneSidedHalfwidth = (se: number, n: number, tuning: number, alpha: number): number => {
  const r = tuningToR(tuning, 2 * alpha)
  return se * Math.sqrt(((2 * (n + r)) / n) * Math.log1p(Math.sqrt((n + r) / r) / (2 * alpha)))
}

/**
 * @internal The alpha at which the one-sided bound reaches 0, by bisection on log alpha within gbstats' bracket
 * [1e-5, 0.4999] (gbstats bisects to 1e-6; here to machine precision), returning the bracket's ends when the
 * bound excludes 0 already at 1e-5 or not yet at 0.4999. The bracket matters: as alpha → 0.5 the tuning r → ∞
 * and the halfwidth grows again, so "the smallest alpha that excludes 0" is only meaningful inside it.
 */
export const oneSidedPValue = (signedEstimate: number, se: number, n: number, tuning: number): number => {
  const excludes = (alpha: number) => signedEstimate - oneSidedHalfwidth(se, n, tuning, alpha) > 0
  const min = 1e-5
  const max = 0.4999
  if (excludes(min)) return min
  if (!excludes(max)) return max
  let lo = Math.log(min)
  let hi = Math.log(max)
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.abs(hi); i++) {
    const mid = (lo + hi) / 2
    if (excludes(Math.exp(mid))) hi = mid
    else lo = mid
  }
  return Math.exp(hi)
}
