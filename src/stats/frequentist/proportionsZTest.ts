/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, type TouchpointError } from '../../core/errors'
import { checkOptions, decodeTwoArms, intervalEnds, noNaN, requireUnits } from '../codec'
import { productDifference } from '../internal/exact'
import { intervalOf, pValueOf } from '../internal/tests'
import type { Alternative, BinomialArm, Interval, TwoArms } from '../model'

/**
 * Options of {@link proportionsZTest}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface ProportionsZTestOptions {
  /** `greater`: the treatment converts more. Default `two-sided`. */
  readonly alternative?: Alternative
  /** Confidence level of the interval. Default 0.95. */
  readonly level?: number
}

/**
 * Result of {@link proportionsZTest}: the pooled z and its p-value, and the unpooled (Wald) interval for the
 * difference of rates treatment − control.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface ProportionsZTestResult {
  readonly z: number
  readonly pValue: number
  readonly controlRate: number
  readonly treatmentRate: number
  readonly difference: number
  /** Unpooled standard error of the difference, √(p_B q_B / n_B + p_A q_A / n_A). */
  readonly standardError: number
  readonly interval: Interval
  readonly alternative: Alternative
  readonly level: number
}

/**
 * Two-proportion z-test: pooled standard error for the test (the null says the rates are equal), unpooled for
 * the interval. Matches `statsmodels.stats.proportion.proportions_ztest([cB, cA], [nB, nA])` for z and the
 * p-value and `confint_proportions_2indep(cB, nB, cA, nA, method='wald')` for the interval; golden cases in
 * tests/golden/frequentist.json.
 *
 * **Gotchas**: `Left(InsufficientData)` when an arm has no units or when both arms are all 0 or all 1 (no
 * variation to test). Tail-accurate: p-values stay exact to about 1e-13 relative down to 1e-300.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 130 } }, proportionsZTest())
 * // => right({ z: 2.1027…, pValue: 0.03548…, difference: 0.03, interval: { lower: 0.002067…, upper: 0.05793… }, … })
 *
 * @see https://www.statsmodels.org/stable/generated/statsmodels.stats.proportion.proportions_ztest.html
 * @category frequentist
 * @since 0.1.0
 */
export const proportionsZTest =
  (options: ProportionsZTestOptions = {}) =>
  (arms: TwoArms<BinomialArm>): E.Either<TouchpointError, ProportionsZTestResult> =>
    pipe(
      checkOptions(options),
      E.flatMap(({ alternative }) =>
        pipe(
          decodeTwoArms('binomial')(arms),
          E.flatMap(({ arms }) => requireUnits(1)(arms)),
          E.flatMap(({ control: a, treatment: b }) => {
            const level = options.level ?? 0.95
            const pA = a.conversions / a.units
            const pB = b.conversions / b.units
            // Failure rates and the difference from the counts, not as 1 − p and pB − pA: near a rate of 1 (or
            // between close rates) the subtraction of rates cancels most of the digits.
            const qA = (a.units - a.conversions) / a.units
            const qB = (b.units - b.conversions) / b.units
            const total = a.units + b.units
            const pooled = (a.conversions + b.conversions) / total
            const pooledFailure = (total - a.conversions - b.conversions) / total
            const pooledSe = Math.sqrt(pooled * pooledFailure * (1 / a.units + 1 / b.units))
            if (!(pooledSe > 0)) return E.left(insufficientData('both arms have a rate of exactly 0 or exactly 1: nothing varies'))
            const difference = productDifference(b.conversions, a.units, a.conversions, b.units) / (a.units * b.units)
            const z = difference / pooledSe
            const standardError = Math.sqrt((pB * qB) / b.units + (pA * qA) / a.units)
            return E.right({
              z,
              pValue: pValueOf(z, Number.POSITIVE_INFINITY, alternative),
              controlRate: pA,
              treatmentRate: pB,
              difference,
              standardError,
              interval: intervalOf(difference, standardError, Number.POSITIVE_INFINITY, level, alternative),
              alternative,
              level,
            })
          }),
        ),
      ),
      E.flatMap(noNaN('proportionsZTest', intervalEnds)),
    )
