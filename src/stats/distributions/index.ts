/**
 * Distribution functions (cdf, survival function, quantile and inverse survival function) of the normal, Student t,
 * chi-square, beta and gamma distributions, tail-accurate and checked: every function takes its parameters, then the
 * point or probability, and returns an `Either`.
 *
 * @module
 */
export type { Distributed } from './args'
export * from './normal'
export * from './studentT'
export * from './chiSquare'
export * from './beta'
export * from './gamma'
