/**
 * Student's t distribution, accurate at the huge Welch degrees of freedom of large experiments (1e5 .. 1e12) and in
 * the tails: the incomplete beta function below 50 000 df, Hill's normalizing transformation above.
 *
 * @module
 */
import { fields } from '../internal/options'
import { studentTCdf as cdf, studentTIsf as isf, studentTQuantile as quantile, studentTSf as sf } from '../internal/studentT'
import { atPoint, atProbability, type Distributed } from './args'

/**
 * Parameters of Student's t distribution.
 *
 * @category distributions
 * @since 0.1.0
 */
export interface StudentTParameters {
  /** Degrees of freedom, > 0; Infinity is the standard normal. */
  readonly df: number
}

const SPEC = { df: fields.custom('a number > 0 (Infinity for the normal)', (v) => typeof v === 'number' && v > 0) } as const
const params = (o: Readonly<Record<string, unknown>>) => ({ df: o['df'] as number })

/**
 * P(T ≤ t) (scipy `t.cdf`).
 *
 * @example
 * studentTCdf({ df: 10 })(-2.228138851986274)
 * // => right(0.02499999999999…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const studentTCdf: Distributed<StudentTParameters> = atPoint(SPEC, ['df'], params, (p, t) => cdf(t, p.df))

/**
 * P(T > t), computed directly in the upper tail (scipy `t.sf`).
 *
 * @example
 * studentTSf({ df: 1e9 })(37)
 * // => right(5.7282584e-300…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const studentTSf: Distributed<StudentTParameters> = atPoint(SPEC, ['df'], params, (p, t) => sf(t, p.df))

/**
 * The t with P(T ≤ t) = p (scipy `t.ppf`); ∓Infinity at p = 0 and 1.
 *
 * @example
 * studentTQuantile({ df: 30 })(0.975)
 * // => right(2.0422724563012…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const studentTQuantile: Distributed<StudentTParameters> = atProbability(SPEC, ['df'], params, 'p', (p, prob) => quantile(prob, p.df))

/**
 * The t with P(T > t) = q (scipy `t.isf`).
 *
 * @example
 * studentTIsf({ df: 1e9 })(0.025)
 * // => right(1.95996398691…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const studentTIsf: Distributed<StudentTParameters> = atProbability(SPEC, ['df'], params, 'q', (p, prob) => isf(prob, p.df))
