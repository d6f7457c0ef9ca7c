/**
 * Significance tests from sufficient statistics: frequentist, sequential and Bayesian, with tail-accurate
 * distributions of our own where jstat is not accurate enough.
 *
 * @module
 */
export * from './model'
export { decodeArm, decodeTwoArms, kindOf, BinomialArmCodec, ContinuousArmCodec, RatioArmCodec, CovariateSumsCodec } from './codec'
export type { KindToArm } from './codec'
export * from './frequentist/index'
export * from './bayesian/index'
export * from './sequential/index'
export * from './power/index'
export * from './survey/index'
export * from './analyze'
export * from './summarize'
export * from './distributions/index'
