/**
 * The chi-square upper tail through the regularized incomplete gamma function, so sample-ratio-mismatch
 * p-values stay accurate far below the 1e-8 where jstat's `1 - cdf` stops (reference notes, appendix 5).
 *
 * @internal
 * @module
 */
import { incompleteGamma } from './gamma'

/** @internal P(X > x) for X ~ χ²(df) (scipy `chi2.sf`). */
export const chiSquareSf = (x: number, df: number): number => {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN
  if (x <= 0) return 1
  return incompleteGamma(df / 2, x / 2).upper
}

/** @internal P(X ≤ x) (scipy `chi2.cdf`). */
export const chiSquareCdf = (x: number, df: number): number => {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN
  if (x <= 0) return 0
  return incompleteGamma(df / 2, x / 2).lower
}
