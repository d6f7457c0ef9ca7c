/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { noNaN } from '../codec'
import { estimateArms, meanDifference } from '../internal/estimate'
import { checkFields, fields, isRecord } from '../internal/options'
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
   * historical effect sizes (its documentation gives no default). Default: GrowthBook's mixture, τ² = n·V/r with
   * n the total units, V the variance of the difference and r = tuning / (−2 ln α + ln(1 − 2 ln α)) (gbstats
   * `sequential_rho`, ρ² = 1/r): then this p-value equals gbstats' `SequentialTwoSidedTTest` p-value, which is
   * {@link confidenceSequence}'s with `type: 'absolute'` (tested).
   */
  readonly tau?: number
  /** The tuning of that default mixture (total units). Default 5000, as GrowthBook. */
  readonly tuning?: number
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
  (arms: TwoArms<Arm>): E.Either<TouchpointError, MsprtResult> =>
    pipe(
      msprtOptions(options),
      E.flatMap((o) =>
        pipe(
          estimateArms(arms),
          E.flatMap(({ a, b }) => {
            const variance = a.variance / a.n + b.variance / b.n
            if (!(variance > 0)) return E.left(insufficientData('both arms have zero variance'))
            const tau = o.tau ?? Math.sqrt(((a.n + b.n) * variance) / tuningToR(o.tuning, o.alpha))
            // ρ = τ²/V; log Λ = −½ log(1 + ρ) + (d²/2V)·ρ/(1 + ρ), the form that neither overflows nor cancels.
            const rho = (tau / Math.sqrt(variance)) ** 2
            const difference = meanDifference(a, b)
            const d = difference - o.nullDifference
            const logLikelihoodRatio = -0.5 * Math.log1p(rho) + ((d * d) / (2 * variance)) * (rho / (1 + rho))
            return E.right({
              difference,
              variance,
              logLikelihoodRatio,
              pValue: logLikelihoodRatio <= 0 ? 1 : Math.exp(-logLikelihoodRatio),
              reject: logLikelihoodRatio >= -Math.log(o.alpha),
              tau,
            })
          }),
        ),
      ),
      E.flatMap(noNaN('msprt')),
    )

/** @internal The options of {@link msprt}, checked, with defaults. */
const msprtOptions = (options: unknown) =>
  pipe(
    checkFields({
      tau: fields.numberIn(Number.MIN_VALUE, 1e150, 'a number > 0 and at most 1e150'),
      tuning: fields.positive,
      nullDifference: fields.finite,
      alpha: fields.probability,
    })(options),
    E.map((o) => ({
      tau: o['tau'] as number | undefined,
      tuning: (o['tuning'] ?? 5000) as number,
      nullDifference: (o['nullDifference'] ?? 0) as number,
      alpha: (o['alpha'] ?? 0.05) as number,
    })),
  )

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
    if (options !== undefined && !isRecord(options)) return E.left(invalidInput([issue('options', 'an object of options', options)]))
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
        if (first === undefined || (options as { readonly tau?: unknown } | undefined)?.tau !== undefined) return E.right(runningMinimum(rs))
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
