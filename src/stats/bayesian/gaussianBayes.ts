/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { checkOptions, noNaN } from '../codec'
import { estimateArms } from '../internal/estimate'
import { normalCdf, normalIsf, normalPdf, normalSf } from '../internal/normal'
import type { Arm, Interval, LiftType, TwoArms } from '../model'

/**
 * A normal prior on the lift, or the improper flat prior (GrowthBook's default).
 *
 * @category bayesian
 * @since 0.1.0
 */
export type GaussianPrior = 'flat' | { readonly mean: number; readonly sd: number }

/**
 * Options of {@link gaussianBayes}.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface GaussianBayesOptions {
  /** Default `flat`. GrowthBook's proper default is `{ mean: 0, sd: 0.3 }` on the relative lift. */
  readonly prior?: GaussianPrior
  /** `relative` (default) or `absolute`. A prior is always given on the scale of the lift analysed. */
  readonly type?: LiftType
  readonly level?: number
  /** When smaller is better (load time): the chance to win counts decreases. Default false. */
  readonly inverse?: boolean
}

/**
 * Result of {@link gaussianBayes}.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface GaussianBayesResult {
  /** Posterior mean and standard deviation of the lift. */
  readonly mean: number
  readonly sd: number
  readonly chanceToWin: number
  readonly interval: Interval
  /** Expected loss: [of keeping the control, of shipping the treatment], on the lift's scale. */
  readonly risk: { readonly keepControl: number; readonly shipTreatment: number }
  readonly type: LiftType
  readonly level: number
}

/** E[max(Δ, 0)] for Δ ~ N(μ, σ²), guarded as gbstats `get_risk` does far in the tails. */
const positivePart = (mu: number, sd: number): number => {
  const z = mu / sd
  if (z > 37) return mu
  if (z < -37) return 0
  return mu * normalCdf(z) + sd * normalPdf(z)
}

/**
 * GrowthBook's Bayesian engine for any metric (conversion, continuous, ratio): the lift and its delta-method
 * variance as a normal likelihood, times a flat or normal prior, giving the chance to win, the credible interval
 * and the risk of each decision. Matches gbstats `EffectBayesianABTest` (its published test vectors are among
 * the golden cases in tests/golden/stats-bayesian.json, recomputed with scipy `norm`).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 100, conversions: 49 }, treatment: { units: 100, conversions: 51 } }, gaussianBayes())
 * // => right({ mean: 0.04082…, sd: 0.14725…, chanceToWin: 0.60918…,
 * //            interval: { lower: -0.24779…, upper: 0.32943… }, risk: { keepControl: 0.0814…, shipTreatment: 0.04058… }, … })
 *
 * @category bayesian
 * @since 0.1.0
 */
export const gaussianBayes =
  (options: GaussianBayesOptions = {}) =>
  (arms: TwoArms<Arm>): E.Either<TouchpointError, GaussianBayesResult> =>
    pipe(
      checkOptions(options),
      E.flatMap(() => {
        const prior = options.prior ?? 'flat'
        const type = options.type ?? 'relative'
        if (prior !== 'flat' && !(typeof prior === 'object' && Number.isFinite(prior.mean) && Number.isFinite(prior.sd) && prior.sd > 0)) {
          return E.left(invalidInput([issue('prior', '"flat" or { mean, sd } with sd > 0', prior)]))
        }
        if (type !== 'relative' && type !== 'absolute') return E.left(invalidInput([issue('type', '"relative" or "absolute"', type)]))
        return pipe(
          estimateArms(arms),
          E.flatMap(({ a, b }) => {
            const vA = a.variance / a.n
            const vB = b.variance / b.n
            let est: number
            let variance: number
            if (type === 'absolute') {
              est = b.mean - a.mean
              variance = vA + vB
            } else {
              if (a.mean === 0) return E.left(insufficientData('the control mean is 0, so a relative lift is undefined'))
              est = (b.mean - a.mean) / Math.abs(a.mean)
              variance = vB / (a.mean * a.mean) + (vA * b.mean * b.mean) / a.mean ** 4
            }
            if (!(variance > 0)) return E.left(insufficientData('both arms have zero variance'))
            let mean = est
            let precision = 1 / variance
            if (prior !== 'flat') {
              const priorPrecision = 1 / (prior.sd * prior.sd)
              mean = (est / variance + prior.mean * priorPrecision) / (precision + priorPrecision)
              precision += priorPrecision
            }
            const sd = 1 / Math.sqrt(precision)
            const level = options.level ?? 0.95
            const w = normalIsf((1 - level) / 2) * sd
            return E.right({
              mean,
              sd,
              // Each side from its own tail, so a chance of 1 − 1e-20 is not rounded from the other.
              chanceToWin: options.inverse === true ? normalCdf(-mean / sd) : normalSf(-mean / sd),
              interval: { lower: mean - w, upper: mean + w },
              risk: { keepControl: positivePart(mean, sd), shipTreatment: positivePart(-mean, sd) },
              type,
              level,
            })
          }),
        )
      }),
      E.flatMap(noNaN('gaussianBayes')),
    )
