/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { badOptions, noNaN } from '../codec'
import { estimateArms } from '../internal/estimate'
import type { Arm, TwoArms } from '../model'
import { tuningToR } from './confidenceSequence'

/**
 * Options of {@link msprt}.
 *
 * @category sequential
 * @since 0.1.0
 */
export interface MsprtOptions {
  /**
   * Standard deviation τ of the normal mixing prior on the absolute difference. Optimizely sets it from
   * historical effect sizes. Default: τ² = s²/r with s² the pooled per-unit variance and r from
   * {@link confidenceSequence}'s tuning 5000 at alpha, which makes the test the same normal mixture as
   * GrowthBook's sequential p-value.
   */
  readonly tau?: number
  /** Difference under the null. Default 0. */
  readonly nullDifference?: number
  /** Default 0.05. */
  readonly alpha?: number
}

/**
 * Result of {@link msprt} at one look.
 *
 * @category sequential
 * @since 0.1.0
 */
export interface MsprtResult {
  readonly difference: number
  readonly variance: number
  /** log Λ, the mixture likelihood ratio (logged so that a huge Λ never overflows). */
  readonly logLikelihoodRatio: number
  /** min(1, 1/Λ): at one look; use {@link msprtSequence} for the running minimum over looks. */
  readonly pValue: number
  /** Λ ≥ 1/alpha. */
  readonly reject: boolean
  readonly tau: number
}

/**
 * Mixture sequential probability ratio test (Johari, Koomen, Pekelis and Walsh; Optimizely's Stats Engine) for the
 * absolute difference θ̂ of two arms with variance V = s_A²/n_A + s_B²/n_B and a N(θ0, τ²) mixing prior:
 * Λ = √(V/(V + τ²)) · exp(τ² (θ̂ − θ0)² / (2V(V + τ²))). Golden cases in tests/golden/stats-sequential.json
 * (computed in Python from the formula, as in `mixtureSPRT`).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 5000, conversions: 500 }, treatment: { units: 5000, conversions: 600 } }, msprt({ tau: 0.02 }))
 * // => right({ difference: 0.02000…, logLikelihoodRatio: 3.4479…, pValue: 0.03181…, reject: true, … })
 *
 * @category sequential
 * @since 0.1.0
 */
export const msprt =
  (options: MsprtOptions = {}) =>
  (arms: TwoArms<Arm>): E.Either<TouchpointError, MsprtResult> => {
    const bad = badOptions(options)
    if (bad !== undefined) return bad
    const alpha = options.alpha ?? 0.05
    const theta0 = options.nullDifference ?? 0
    if (!(alpha > 0 && alpha < 1)) return E.left(invalidInput([issue('alpha', 'a number strictly between 0 and 1', alpha)]))
    if (options.tau !== undefined && !(options.tau > 0 && Number.isFinite(options.tau))) return E.left(invalidInput([issue('tau', 'a finite number > 0', options.tau)]))
    if (!Number.isFinite(theta0)) return E.left(invalidInput([issue('nullDifference', 'a finite number', theta0)]))
    return pipe(
      estimateArms(arms),
      E.flatMap(({ a, b }) => {
        const variance = a.variance / a.n + b.variance / b.n
        if (!(variance > 0)) return E.left(insufficientData('both arms have zero variance'))
        const pooled = (a.variance * a.n + b.variance * b.n) / (a.n + b.n)
        const tau = options.tau ?? Math.sqrt(pooled / tuningToR(5000, alpha))
        const t2 = tau * tau
        const d = b.mean - a.mean - theta0
        const logLikelihoodRatio = 0.5 * Math.log(variance / (variance + t2)) + (t2 * d * d) / (2 * variance * (variance + t2))
        return E.right({
          difference: b.mean - a.mean,
          variance,
          logLikelihoodRatio,
          pValue: logLikelihoodRatio <= 0 ? 1 : Math.exp(-logLikelihoodRatio),
          reject: logLikelihoodRatio >= -Math.log(alpha),
          tau,
        })
      }),
      E.flatMap(noNaN('msprt')),
    )
  }

/**
 * The always-valid p-values of a sequence of looks (cumulative sufficient statistics at each look):
 * p_n = min(p_{n−1}, 1/Λ_n). Stop at the first look with p ≤ alpha; the error rate stays at most alpha however
 * often one looks.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * // cumulative sums at each look: 2000, 4000, … units per arm, 10% vs 11.25% conversion
 * const looks = [1, 2, 3, 4, 5].map((k) => ({ control: { units: 2000 * k, conversions: 200 * k },
 *   treatment: { units: 2000 * k, conversions: 225 * k } }))
 * pipe(looks, msprtSequence({ tau: 0.02 }))
 * // => right([1, 0.7049…, 0.3747…, 0.1888…, 0.0923…])
 *
 * @category sequential
 * @since 0.1.0
 */
export const msprtSequence =
  (options: MsprtOptions = {}) =>
  (looks: ReadonlyArray<TwoArms<Arm>>): E.Either<TouchpointError, ReadonlyArray<number>> => {
    const bad = badOptions(options)
    if (bad !== undefined) return bad
    if (!Array.isArray(looks)) return E.left(invalidInput([issue('', 'an array of looks {control, treatment}', looks)]))
    // With no τ given, fix it from the first look (the pooled variance, not the effect) so every look uses the same
    // mixture, chosen before the later data.
    return pipe(
      looks,
      RA.traverseWithIndex(E.Applicative)((i, look) =>
        pipe(
          msprt(options)(look),
          E.mapLeft((e): TouchpointError => (e._tag === 'InvalidInput' ? invalidInput(e.issues.map((x) => ({ ...x, path: `[${i}].${x.path}` }))) : e)),
        ),
      ),
      E.flatMap((rs) => {
        const first = rs[0]
        if (first === undefined || options.tau !== undefined) return E.right(runningMinimum(rs))
        return pipe(
          looks,
          RA.traverse(E.Applicative)((look) => msprt({ ...options, tau: first.tau })(look)),
          E.map(runningMinimum),
        )
      }),
    )
  }

const runningMinimum = (rs: ReadonlyArray<MsprtResult>): ReadonlyArray<number> => {
  let running = 1
  return rs.map((r) => (running = Math.min(running, r.pValue)))
}
