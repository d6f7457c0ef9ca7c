/**
 * Fixed-horizon frequentist tests.
 *
 * @module
 */
export * from './proportionsZTest'
export * from './welchTTest'
export { lift } from './lift'
export type { LiftOptions, LiftResult } from './lift'
export * from './adjustPValues'
export * from './compareToControl'
export * from './sampleRatioMismatch'
export * from './chiSquareTest'
export * from './fisherExact'
export * from './cuped'
