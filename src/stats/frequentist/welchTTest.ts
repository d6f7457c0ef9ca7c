/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, type TouchpointError } from '../../core/errors'
import { checkOptions, decodeTwoArms, intervalEnds, noNaN, requireUnits } from '../codec'
import { continuousEstimate } from '../internal/estimate'
import { intervalOf, pValueOf, welchDf } from '../internal/tests'
import type { Alternative, ContinuousArm, Interval, TwoArms } from '../model'

/**
 * Options of {@link welchTTest}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface WelchTTestOptions {
  readonly alternative?: Alternative
  readonly level?: number
}

/**
 * Result of {@link welchTTest} for the difference of means treatment − control.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface WelchTTestResult {
  readonly t: number
  readonly df: number
  readonly pValue: number
  readonly controlMean: number
  readonly treatmentMean: number
  readonly difference: number
  readonly standardError: number
  readonly interval: Interval
  readonly alternative: Alternative
  readonly level: number
}

/**
 * Welch's t-test from summaries (no equal-variance assumption), Welch–Satterthwaite degrees of freedom.
 * Matches `scipy.stats.ttest_ind_from_stats(mB, sB, nB, mA, sA, nA, equal_var=False)` and the interval of
 * `statsmodels CompareMeans.tconfint_diff(usevar='unequal')`; golden cases in tests/golden/frequentist.json.
 *
 * **Gotchas**: `Left(InsufficientData)` with fewer than 2 units in an arm or when both arms have zero variance.
 * Accurate at the huge df of large experiments (1e9), where jstat's `studentt` drifts.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 3407, sum: 1396.87, sumSquares: 52377.9767 },
 *        treatment: { units: 3461, sum: 2422.7, sumSquares: 134698.29 } }, welchTTest())
 * // => right({ t: 2.3240…, df: 5841.7…, pValue: 0.02015…, difference: 0.29, interval: { lower: 0.04537…, upper: 0.53462… }, … })
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.ttest_ind_from_stats.html
 * @category frequentist
 * @since 0.1.0
 */
export const welchTTest =
  (options: WelchTTestOptions = {}) =>
  (arms: TwoArms<ContinuousArm>): E.Either<TouchpointError, WelchTTestResult> =>
    pipe(
      checkOptions(options),
      E.flatMap(({ alternative }) =>
        pipe(
          decodeTwoArms('continuous')(arms),
          E.flatMap(({ arms }) => requireUnits(2)(arms)),
          E.flatMap(({ control, treatment }) => {
            const level = options.level ?? 0.95
            const a = continuousEstimate(control)
            const b = continuousEstimate(treatment)
            const vA = a.variance / a.n
            const vB = b.variance / b.n
            const standardError = Math.sqrt(vA + vB)
            if (!(standardError > 0)) return E.left(insufficientData('both arms have zero variance'))
            const df = welchDf(vA, a.n, vB, b.n)
            const difference = b.mean - a.mean
            const t = difference / standardError
            return E.right({
              t,
              df,
              pValue: pValueOf(t, df, alternative),
              controlMean: a.mean,
              treatmentMean: b.mean,
              difference,
              standardError,
              interval: intervalOf(difference, standardError, df, level, alternative),
              alternative,
              level,
            })
          }),
        ),
      ),
      E.flatMap(noNaN('welchTTest', intervalEnds)),
    )
