/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { decodeTwoArms, noNaN, requireUnits } from '../codec'
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
    cxy: (c.productSum - (a.sum * c.sum) / n) / (n - 1),
  }
}

/**
 * CUPED regression adjustment (Deng et al. 2013) for a continuous metric with a pre-period covariate, as
 * GrowthBook computes it: θ from the pooled arms (`compute_theta`), each arm's mean adjusted to ȳ − θ x̄ with
 * per-unit variance s_y² + θ² s_x² − 2θ s_xy; the relative lift divides by the unadjusted control mean, with the
 * delta-method variance including its covariance with the adjusted difference. Reports the variance removed.
 * Golden cases (from raw simulated rows with numpy) in tests/golden/stats-cuped.json.
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
          decodeTwoArms('continuous')(arms),
          E.flatMap(({ arms }) => {
            const missing = (['control', 'treatment'] as const).filter((s) => arms[s].covariate === undefined)
            return missing.length > 0
              ? E.left(invalidInput(missing.map((s) => issue(`${s}.covariate`, 'pre-period sums { sum, sumSquares, productSum }', undefined))))
              : E.right(arms)
          }),
          E.flatMap(requireUnits(2)),
          E.flatMap(({ control, treatment }) => {
            const a = moments(control)
            const b = moments(treatment)
            const n = a.n + b.n
            const cA = control.covariate!
            const cB = treatment.covariate!
            const sumY = control.sum + treatment.sum
            const sumX = cA.sum + cB.sum
            const varX = sampleVariance(n, sumX, cA.sumSquares + cB.sumSquares)
            if (!(varX > 0)) return E.left(insufficientData('the covariate does not vary, so it cannot explain any variance'))
            const theta = (cA.productSum + cB.productSum - (sumX * sumY) / n) / (n - 1) / varX
            const adjusted = (m: ArmMoments) => Math.max(0, m.vy + theta * theta * m.vx - 2 * theta * m.cxy)
            const vA = adjusted(a) / a.n
            const vB = adjusted(b) / b.n
            const diff = b.my - theta * b.mx - (a.my - theta * a.mx)
            const rawVar = a.vy / a.n + b.vy / b.n
            let estimate: number
            let variance: number
            let unadjusted: { estimate: number; standardError: number }
            if (o.type === 'absolute') {
              estimate = diff
              variance = vA + vB
              unadjusted = { estimate: b.my - a.my, standardError: Math.sqrt(rawVar) }
            } else {
              const m = a.my
              if (m === 0) return E.left(insufficientData('the control mean is 0, so a relative lift is undefined'))
              estimate = diff / Math.abs(m)
              // Cov(adjusted difference, ȳ_A) = −Cov(ȳ_A − θ x̄_A, ȳ_A) = −(s_yA² − θ s_xyA)/n_A
              const cov = -(a.vy - theta * a.cxy) / a.n
              variance = (vA + vB) / (m * m) + (diff * diff * (a.vy / a.n)) / m ** 4 - (2 * diff * cov) / (m * m * m)
              const rawEstimate = (b.my - a.my) / Math.abs(m)
              unadjusted = {
                estimate: rawEstimate,
                standardError: Math.sqrt(b.vy / b.n / (m * m) + ((a.vy / a.n) * b.my * b.my) / m ** 4),
              }
            }
            if (!(variance > 0)) return E.left(insufficientData('the adjusted metric has zero variance'))
            const standardError = Math.sqrt(variance)
            const df = o.test === 'z' ? Number.POSITIVE_INFINITY : welchDf(vA, a.n, vB, b.n)
            const statistic = estimate / standardError
            return E.right({
              theta,
              estimate,
              standardError,
              interval: intervalOf(estimate, standardError, df, o.level, o.alternative),
              statistic,
              df,
              pValue: pValueOf(statistic, df, o.alternative),
              varianceReduction: 1 - variance / (unadjusted.standardError * unadjusted.standardError),
              unadjusted,
              type: o.type,
              level: o.level,
            })
          }),
        ),
      ),
      E.flatMap(noNaN('cuped')),
    )
