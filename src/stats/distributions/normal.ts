/**
 * The normal distribution, tail-accurate: Cody's rational approximations for each tail computed directly (relative
 * error 1e-13 down to 1e-300), Wichura's AS 241 for the quantile.
 *
 * @module
 */
import { fields } from '../internal/options'
import { normalCdf as cdf, normalIsf as isf, normalQuantile as quantile, normalSf as sf } from '../internal/normal'
import { atPoint, atProbability, type Distributed } from './args'

/**
 * Parameters of the normal distribution.
 *
 * @category distributions
 * @since 0.1.0
 */
export interface NormalParameters {
  /** Default 0. */
  readonly mean?: number
  /** Default 1. */
  readonly sd?: number
}

const SPEC = { mean: fields.finite, sd: fields.positive } as const
const params = (o: Readonly<Record<string, unknown>>) => ({ mean: (o['mean'] ?? 0) as number, sd: (o['sd'] ?? 1) as number })
const z = (p: { readonly mean: number; readonly sd: number }, x: number) => (x - p.mean) / p.sd

/**
 * P(X ≤ x) for X ~ N(mean, sd²) (scipy `norm.cdf`).
 *
 * @example
 * normalCdf()(-1.959963984540054)
 * // => right(0.025000000000000…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const normalCdf: Distributed<NormalParameters | undefined> = atPoint(SPEC, [], params, (p, x) => cdf(z(p, x)))

/**
 * P(X > x), the survival function, accurate where 1 − cdf rounds to 0 (scipy `norm.sf`).
 *
 * @example
 * normalSf()(10)
 * // => right(7.6198530241605e-24…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const normalSf: Distributed<NormalParameters | undefined> = atPoint(SPEC, [], params, (p, x) => sf(z(p, x)))

/**
 * The x with P(X ≤ x) = p (scipy `norm.ppf`); −Infinity at p = 0 and Infinity at 1.
 *
 * @example
 * normalQuantile({ mean: 100, sd: 15 })(0.975)
 * // => right(129.3994597681…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const normalQuantile: Distributed<NormalParameters | undefined> = atProbability(SPEC, [], params, 'p', (p, prob) => p.mean + p.sd * quantile(prob))

/**
 * The x with P(X > x) = q (scipy `norm.isf`), accurate for q down to 1e-300.
 *
 * @example
 * normalIsf()(1e-100)
 * // => right(21.273453560965…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const normalIsf: Distributed<NormalParameters | undefined> = atProbability(SPEC, [], params, 'q', (p, prob) => p.mean + p.sd * isf(prob))
