/**
 * The chi-square distribution through the regularized incomplete gamma function: each tail directly (the SRM
 * p-value of 1e-300 keeps its digits), any degrees of freedom (large ones integrated on the log scale).
 *
 * @module
 */
import { gammaQuantile, incompleteGamma } from '../internal/gamma'
import { fields } from '../internal/options'
import { atPoint, atProbability, type Distributed } from './args'

/**
 * Parameters of the chi-square distribution.
 *
 * @category distributions
 * @since 0.1.0
 */
export interface ChiSquareParameters {
  /** Degrees of freedom, a finite number > 0. */
  readonly df: number
}

const SPEC = { df: fields.positive } as const
const params = (o: Readonly<Record<string, unknown>>) => ({ df: o['df'] as number })
const tails = (df: number, x: number) => (x <= 0 ? { lower: 0, upper: 1 } : incompleteGamma(df / 2, x / 2))

/**
 * P(X ≤ x) (scipy `chi2.cdf`).
 *
 * @example
 * chiSquareCdf({ df: 3 })(7.814727903251178)
 * // => right(0.9499999999999…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const chiSquareCdf: Distributed<ChiSquareParameters> = atPoint(SPEC, ['df'], params, (p, x) => tails(p.df, x).lower)

/**
 * P(X > x) (scipy `chi2.sf`).
 *
 * @example
 * chiSquareSf({ df: 1 })(1380)
 * // => right(4.6611584556e-302…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const chiSquareSf: Distributed<ChiSquareParameters> = atPoint(SPEC, ['df'], params, (p, x) => tails(p.df, x).upper)

/**
 * The x with P(X ≤ x) = p (scipy `chi2.ppf`); Infinity at p = 1.
 *
 * @example
 * chiSquareQuantile({ df: 3 })(0.95)
 * // => right(7.8147279032511…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const chiSquareQuantile: Distributed<ChiSquareParameters> = atProbability(SPEC, ['df'], params, 'p', (p, prob) => 2 * gammaQuantile(prob, p.df / 2, false))

/**
 * The x with P(X > x) = q (scipy `chi2.isf`), accurate for q down to 1e-300.
 *
 * @example
 * chiSquareIsf({ df: 1 })(1e-10)
 * // => right(41.821456364…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const chiSquareIsf: Distributed<ChiSquareParameters> = atProbability(SPEC, ['df'], params, 'q', (p, prob) => 2 * gammaQuantile(prob, p.df / 2, true))
