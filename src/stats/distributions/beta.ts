/**
 * The beta distribution: the regularized incomplete beta function, each tail directly, by continued fraction for
 * moderate parameters and by logit-scale integration once a + b reaches 1e5 (where jstat is off by 1e-2 and a
 * continued fraction by 1e-8 at 1e12: the posterior of a large experiment).
 *
 * @module
 */
import { betaQuantile as quantile, incompleteBeta } from '../internal/beta'
import { fields } from '../internal/options'
import { atPoint, atProbability, type Distributed } from './args'

/**
 * Parameters of the beta distribution.
 *
 * @category distributions
 * @since 0.1.0
 */
export interface BetaParameters {
  /** a finite number > 0. */
  readonly alpha: number
  /** a finite number > 0. */
  readonly beta: number
}

const SPEC = { alpha: fields.positive, beta: fields.positive } as const
const params = (o: Readonly<Record<string, unknown>>) => ({ alpha: o['alpha'] as number, beta: o['beta'] as number })
const tails = (p: { readonly alpha: number; readonly beta: number }, x: number) =>
  x <= 0 ? { lower: 0, upper: 1 } : x >= 1 ? { lower: 1, upper: 0 } : incompleteBeta(x, 1 - x, p.alpha, p.beta)

/**
 * P(X ≤ x) (scipy `beta.cdf`, `special.betainc`).
 *
 * @example
 * betaCdf({ alpha: 1e5, beta: 9e5 })(0.1)
 * // => right(0.50035461…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const betaCdf: Distributed<BetaParameters> = atPoint(SPEC, ['alpha', 'beta'], params, (p, x) => tails(p, x).lower)

/**
 * P(X > x) (scipy `beta.sf`), computed directly in the upper tail.
 *
 * @example
 * betaSf({ alpha: 3, beta: 8 })(0.9)
 * // => right(3.73599999e-7…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const betaSf: Distributed<BetaParameters> = atPoint(SPEC, ['alpha', 'beta'], params, (p, x) => tails(p, x).upper)

/**
 * The x with P(X ≤ x) = p (scipy `beta.ppf`).
 *
 * @example
 * betaQuantile({ alpha: 101, beta: 901 })(0.025)
 * // => right(0.08293639849…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const betaQuantile: Distributed<BetaParameters> = atProbability(SPEC, ['alpha', 'beta'], params, 'p', (p, prob) => quantile(prob, p.alpha, p.beta))

/**
 * The x with P(X > x) = q (scipy `beta.isf`).
 *
 * @example
 * betaIsf({ alpha: 101, beta: 901 })(0.025)
 * // => right(0.12016912987…)
 *
 * @category distributions
 * @since 0.1.0
 */
export const betaIsf: Distributed<BetaParameters> = atProbability(SPEC, ['alpha', 'beta'], params, 'q', (p, prob) => quantile(prob, p.alpha, p.beta, true))
