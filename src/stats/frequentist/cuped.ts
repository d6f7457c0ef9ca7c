/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { decodeTwoArms, intervalEnds, noNaN, requireUnits } from '../codec'
import { sampleVariance } from '../internal/estimate'
import { intervalOf, pValueOf, welchDf } from '../internal/tests'
import type { ContinuousArm, Interval, TwoArms } from '../model'
import { liftOptions, type LiftOptions } from './lift'

/**
 * Result of {@link cuped}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface CupedResult {
  /** θ = Cov(y, x) / Var(x) over both arms pooled. */
  readonly theta: number
  readonly estimate: number
  readonly standardError: number
  readonly interval: Interval
  readonly statistic: number
  readonly df: number
  readonly pValue: number
  /** 1 − Var(adjusted estimate) / Var(unadjusted estimate): the share of variance removed. */
  readonly varianceReduction: number
  readonly unadjusted: { readonly estimate: number; readonly standardError: number }
  readonly type: 'absolute' | 'relative'
  readonly level: number
}

interface ArmMoments {
  readonly n: number
  readonly my: number
  readonly mx: number
  readonly vy: number
  readonly vx: number
  readonly cxy: number
}

const moments = (a: ContinuousArm): ArmMoments => {
  const c = a.covariate!
  const n = a.units
  return {
    n,
    my: a.sum / n,
    mx: c.sum / n,
    vy: sampleVariance(n, a.sum, a.sumSquares),
    vx: sampleVariance(n, c.sum, c.sumSquares),
    cxy: (c.productSum - a.sum * (c.sum / n)) / (n - 1),
  }
}

/** @internal CUPED's estimate and its variance before any test is made of them (shared with analyze). */
export interface CupedEstimate {
  readonly theta: number
  readonly estimate: number
  readonly variance: number
  readonly df: number
  readonly unadjusted: { readonly estimate: number; readonly standardError: number }
  /** Units in both arms. */
  readonly units: number
}

/** @internal CUPED from two checked continuous arms with covariates. */
export const cupedEstimate = (
  control: ContinuousArm,
  treatment: ContinuousArm,
  o: { readonly type: 'absolute' | 'relative'; readonly test: 't' | 'z' },
): E.Either<TouchpointError, CupedEstimate> => {
  const a = moments(control)
  const b = moments(treatment)
  const n = a.n + b.n
  const cA = control.covariate!
  const cB = treatment.covariate!
  const sumY = control.sum + treatment.sum
  const sumX = cA.sum + cB.sum
  const varX = sampleVariance(n, sumX, cA.sumSquares + cB.sumSquares)
  if (!(varX > 0)) return E.left(insufficientData('the covariate does not vary, so it cannot explain any variance'))
  const theta = (cA.productSum + cB.productSum - sumX * (sumY / n)) / (n - 1) / varX
  const adjusted = (m: ArmMoments) => Math.max(0, m.vy + theta * theta * m.vx - 2 * theta * m.cxy)
  const vA = adjusted(a) / a.n
  const vB = adjusted(b) / b.n
  const diff = b.my - theta * b.mx - (a.my - theta * a.mx)
  let estimate: number
  let variance: number
  let unadjusted: { estimate: number; standardError: number }
  if (o.type === 'absolute') {
    estimate = diff
    variance = vA + vB
    unadjusted = { estimate: b.my - a.my, standardError: Math.sqrt(a.vy / a.n + b.vy / b.n) }
  } else {
    const m = a.my
    if (m === 0) return E.left(insufficientData('the control mean is 0, so a relative lift is undefined'))
    estimate = diff / Math.abs(m)
    // gbstats `frequentist_variance_relative_cuped`: the treatment's adjusted variance over n_B·ȳ_A², plus the
    // control's through the gradient (−ȳ_B/ȳ_A², θ/ȳ_A) of the estimate in (ȳ_A, x̄_A).
    const ratio = b.my / m
    const controlPart = (a.vy * ratio * ratio - 2 * theta * a.cxy * ratio + theta * theta * a.vx) / a.n
    variance = (adjusted(b) / b.n + controlPart) / (m * m)
    unadjusted = { estimate: (b.my - a.my) / Math.abs(m), standardError: Math.sqrt(b.vy / b.n / (m * m) + ((a.vy / a.n) * b.my * b.my) / m ** 4) }
  }
  if (!(variance > 0)) return E.left(insufficientData('the adjusted metric has zero variance'))
  const df = o.test === 'z' ? Number.POSITIVE_INFINITY : welchDf(vA, a.n, vB, b.n)
  return E.right({ theta, estimate, variance, df, unadjusted, units: n })
}

/**
 * CUPED regression adjustment (Deng et al. 2013) for a continuous metric with a pre-period covariate, as
 * GrowthBook computes it: θ from the pooled arms (`compute_theta`), each arm's mean adjusted to ȳ − θ x̄ with
 * per-unit variance s_y² + θ² s_x² − 2θ s_xy; the relative lift divides by the unadjusted control mean, with
 * gbstats' variance `frequentist_variance_relative_cuped`. Reports the variance removed. Golden cases (numpy from
 * raw simulated rows, the relative variance by gbstats' formula) in tests/golden/stats-cuped.json.
 *
 * **Gotchas**: every arm needs `covariate: { sum, sumSquares, productSum }` (Σx, Σx², Σxy over the same units).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 1000, sum: 10230, sumSquares: 135800, covariate: { sum: 10010, sumSquares: 125300, productSum: 128900 } },
 *        treatment: { units: 1000, sum: 10650, sumSquares: 145100, covariate: { sum: 9980, sumSquares: 124700, productSum: 131700 } } },
 *   cuped({ type: 'absolute' }))
 * // => right({ theta: 1.0339…, estimate: 0.4510…, standardError: 0.09567…, varianceReduction: 0.8544…,
 * //            unadjusted: { estimate: 0.42000…, standardError: 0.2507… }, … })
 *
 * @category frequentist
 * @since 0.1.0
 */
export const cuped =
  (options: LiftOptions = {}) =>
  (arms: TwoArms<ContinuousArm>): E.Either<TouchpointError, CupedResult> =>
    pipe(
      liftOptions(options),
      E.flatMap((o) =>
        pipe(
          decodeCupedArms(arms),
          E.flatMap(({ control, treatment }) => cupedEstimate(control, treatment, o)),
          E.map((c) => {
            const standardError = Math.sqrt(c.variance)
            const statistic = c.estimate / standardError
            return {
              theta: c.theta,
              estimate: c.estimate,
              standardError,
              interval: intervalOf(c.estimate, standardError, c.df, o.level, o.alternative),
              statistic,
              df: c.df,
              pValue: pValueOf(statistic, c.df, o.alternative),
              varianceReduction: 1 - c.variance / (c.unadjusted.standardError * c.unadjusted.standardError),
              unadjusted: c.unadjusted,
              type: o.type,
              level: o.level,
            }
          }),
        ),
      ),
      E.flatMap(noNaN('cuped', intervalEnds)),
    )

/** @internal Two continuous arms, each with its covariate sums, at least 2 units each. */
export const decodeCupedArms = (arms: unknown): E.Either<TouchpointError, TwoArms<ContinuousArm>> =>
  pipe(
    decodeTwoArms('continuous')(arms),
    E.flatMap(({ arms }) => {
      const missing = (['control', 'treatment'] as const).filter((s) => arms[s].covariate === undefined)
      return missing.length > 0
        ? E.left(invalidInput(missing.map((s) => issue(`${s}.covariate`, 'pre-period sums { sum, sumSquares, productSum }', undefined))))
        : E.right(arms)
    }),
    E.flatMap(requireUnits(2)),
  )
