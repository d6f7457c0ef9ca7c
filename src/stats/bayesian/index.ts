/**
 * Bayesian analyses: exact Beta–Binomial, Monte Carlo for k arms, GrowthBook's Gaussian model.
 *
 * @module
 */
export { betaBinomial } from './betaBinomial'
export type { BetaBinomialOptions, BetaBinomialResult, BetaPosterior, BetaPrior } from './betaBinomial'
export * from './probabilityToBeBest'
export { gaussianBayes } from './gaussianBayes'
export type { GaussianBayesOptions, GaussianBayesResult, GaussianPrior } from './gaussianBayes'
