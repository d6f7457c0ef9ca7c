/**
 * Significance tests from sufficient statistics: frequentist, sequential and Bayesian.
 * (Being built under issue 3.)
 *
 * @module
 */
export {}
