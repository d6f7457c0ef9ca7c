/**
 * Per-arm mean and per-unit variance from sufficient statistics: the one shape every test works on.
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, type TouchpointError } from '../../core/errors'
import { decodeTwoArms } from '../codec'
import type { Arm, BinomialArm, ContinuousArm, MetricKind, RatioArm } from '../model'
import { productDifference } from './exact'

/**
 * @internal n, the mean and the per-unit variance s² (so the variance of the mean is s²/n); a binomial arm keeps
 * its counts so that differences of rates can be formed exactly (see {@link meanDifference}).
 */
export interface Estimate {
  readonly n: number
  readonly mean: number
  readonly variance: number
  readonly conversions?: number
}

/** @internal Binomial: p and p(1 − p), without the n/(n − 1) factor (GrowthBook, statsmodels). */
export const binomialEstimate = (a: BinomialArm): Estimate => {
  const p = a.conversions / a.units
  return { n: a.units, mean: p, variance: p * ((a.units - a.conversions) / a.units), conversions: a.conversions }
}

/**
 * @internal mean_B − mean_A. For two binomial arms it is (c_B·n_A − c_A·n_B)/(n_A·n_B) with the products kept
 * exact (./exact), as the z-test does: near a rate of 1 (or between close rates) the difference of the two rounded
 * rates keeps only about 9 digits.
 */
export const meanDifference = (a: Estimate, b: Estimate): number =>
  a.conversions !== undefined && b.conversions !== undefined
    ? productDifference(b.conversions, a.n, a.conversions, b.n) / (a.n * b.n)
    : b.mean - a.mean

/** @internal Sample variance with the n − 1 denominator, clamped at 0 against rounding (sum·(sum/n): no overflow). */
export const sampleVariance = (n: number, sum: number, sumSquares: number): number =>
  Math.max(0, (sumSquares - sum * (sum / n)) / (n - 1))

/** @internal Continuous: ȳ and s² (n − 1 denominator). */
export const continuousEstimate = (a: ContinuousArm): Estimate => ({
  n: a.units,
  mean: a.sum / a.units,
  variance: sampleVariance(a.units, a.sum, a.sumSquares),
})

/**
 * @internal Ratio Σy/Σz by the delta method: Var(ȳ/z̄) = [s_y²/z̄² + s_z² ȳ²/z̄⁴ − 2 s_yz ȳ/z̄³] / n
 * (gbstats `RatioStatistic.variance`); the per-unit variance returned is n times that.
 */
export const ratioEstimate = (a: RatioArm): Estimate => {
  const n = a.units
  const my = a.numeratorSum / n
  const mz = a.denominatorSum / n
  const vy = sampleVariance(n, a.numeratorSum, a.numeratorSumSquares)
  const vz = sampleVariance(n, a.denominatorSum, a.denominatorSumSquares)
  const cyz = (a.productSum - a.numeratorSum * (a.denominatorSum / n)) / (n - 1)
  const variance = vy / (mz * mz) + (vz * my * my) / (mz * mz * mz * mz) - (2 * cyz * my) / (mz * mz * mz)
  return { n, mean: my / mz, variance: Math.max(0, variance) }
}

/** @internal The estimate of an arm of a known kind, or why it cannot be formed. */
export const estimateOf =
  (kind: MetricKind, side: string) =>
  (arm: Arm): E.Either<TouchpointError, Estimate> => {
    if (arm.units === 0) return E.left(insufficientData(`the ${side} has no units`))
    switch (kind) {
      case 'binomial':
        return E.right(binomialEstimate(arm as BinomialArm))
      case 'continuous':
        return arm.units < 2 ? E.left(insufficientData(`the ${side} has 1 unit; a variance needs at least 2`)) : E.right(continuousEstimate(arm as ContinuousArm))
      case 'ratio': {
        const r = arm as RatioArm
        if (arm.units < 2) return E.left(insufficientData(`the ${side} has 1 unit; a variance needs at least 2`))
        if (r.denominatorSum === 0) return E.left(insufficientData(`the ${side}'s denominator sums to 0`))
        return E.right(ratioEstimate(r))
      }
    }
  }

/**
 * @internal Decode two arms of any metric kind and form both estimates (control first, so its problem is the one
 * reported when both have one): the common start of lift, the sequential tests and the Gaussian model.
 */
export const estimateArms = (
  input: unknown,
): E.Either<TouchpointError, { readonly kind: MetricKind; readonly a: Estimate; readonly b: Estimate }> =>
  pipe(
    decodeTwoArms()(input),
    E.flatMap(({ kind, arms }) =>
      pipe(
        E.Do,
        E.apS('kind', E.right(kind)),
        E.apS('a', estimateOf(kind, 'control')(arms.control)),
        E.apS('b', estimateOf(kind, 'treatment')(arms.treatment)),
      ),
    ),
  )
