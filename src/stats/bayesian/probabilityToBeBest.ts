/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { decodeArm, noNaN } from '../codec'
import { checkFields, fields } from '../internal/options'
import { rng } from '../internal/random'
import type { BinomialArm } from '../model'
import { checkPrior, DRAWS, posteriorOf, type BetaPrior } from './betaBinomial'

/**
 * Options of {@link probabilityToBeBest}.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface ProbabilityToBeBestOptions {
  readonly prior?: BetaPrior
  /** Monte Carlo draws. Default 100 000 (standard error ≤ 0.0016 on each probability). */
  readonly draws?: number
  /** Seed; the same seed gives the same numbers. Default `"touchpoint"`. */
  readonly seed?: string
}

/**
 * One arm's chance to be the best and its expected loss if chosen, each with its Monte Carlo standard error.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface ArmBest {
  readonly probabilityBest: number
  readonly probabilityBestError: number
  /** E[max_j p_j − p_this]: what choosing this arm is expected to cost in conversion rate. */
  readonly expectedLoss: number
  readonly expectedLossError: number
}

/**
 * For k arms, each arm's probability of having the highest conversion rate and its expected loss, by seeded
 * Monte Carlo over the Beta posteriors (Alea generator, Marsaglia–Tsang gamma variates), with the Monte Carlo
 * standard errors reported. With two arms it agrees with the exact {@link betaBinomial} within a few standard
 * errors (tested).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe([{ units: 1000, conversions: 100 }, { units: 1000, conversions: 130 }, { units: 1000, conversions: 125 }],
 *   probabilityToBeBest({ seed: 'exp-42' }))
 * // => right([{ probabilityBest: 0.0049…, … }, { probabilityBest: 0.6287…, probabilityBestError: 0.0015…, expectedLoss: 0.0037…, … },
 * //          { probabilityBest: 0.3664…, … }])
 *
 * @category bayesian
 * @since 0.1.0
 */
export const probabilityToBeBest =
  (options: ProbabilityToBeBestOptions = {}) =>
  (arms: ReadonlyArray<BinomialArm>): E.Either<TouchpointError, ReadonlyArray<ArmBest>> => {
    const checked = checkFields({ prior: fields.custom('{ alpha, beta }', () => true), draws: DRAWS, seed: fields.string })(options)
    if (E.isLeft(checked)) return checked
    const o = checked.right
    if (!Array.isArray(arms) || arms.length < 2 || arms.length > 1000) return E.left(invalidInput([issue('', 'an array of 2 to 1000 binomial arms', arms)]))
    const draws = (o['draws'] ?? 100_000) as number
    return pipe(
      checkPrior(o['prior']),
      E.flatMap((prior) =>
        pipe(
          arms as ReadonlyArray<unknown>,
          RA.traverseWithIndex(E.Applicative)((i, a) => decodeArm(`[${i}]`, 'binomial')(a)),
          E.flatMap((decoded) => {
            const xs = decoded.map((d) => d.arm as BinomialArm)
            if (xs.some((a) => a.units === 0)) return E.left(insufficientData('an arm has no units'))
            return E.right(simulate(xs.map((a) => posteriorOf(prior, a)), draws, (o['seed'] ?? 'touchpoint') as string))
          }),
        ),
      ),
      E.flatMap(noNaN('probabilityToBeBest')),
    )
  }

const simulate = (laws: ReadonlyArray<{ readonly alpha: number; readonly beta: number }>, draws: number, seed: string): ReadonlyArray<ArmBest> => {
  const k = laws.length
  const r = rng(seed)
  const wins = new Float64Array(k)
  const loss = new Float64Array(k)
  const lossSq = new Float64Array(k)
  const p = new Float64Array(k)
  for (let d = 0; d < draws; d++) {
    let best = 0
    for (let i = 0; i < k; i++) {
      p[i] = r.beta(laws[i]!.alpha, laws[i]!.beta)
      if (p[i]! > p[best]!) best = i
    }
    wins[best]!++
    const top = p[best]!
    for (let i = 0; i < k; i++) {
      const l = top - p[i]!
      loss[i]! += l
      lossSq[i]! += l * l
    }
  }
  return laws.map((_, i) => {
    const pb = wins[i]! / draws
    const ml = loss[i]! / draws
    const vl = Math.max(0, lossSq[i]! / draws - ml * ml)
    return {
      probabilityBest: pb,
      probabilityBestError: Math.sqrt((pb * (1 - pb)) / draws),
      expectedLoss: ml,
      expectedLossError: Math.sqrt(vl / draws),
    }
  })
}
