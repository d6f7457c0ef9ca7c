/**
 * Fixed-horizon frequentist tests.
 *
 * @module
 */
export * from './proportionsZTest'
export * from './welchTTest'
export { lift } from './lift'
export type { LiftOptions, LiftResult } from './lift'
export { adjustPValues } from './adjustPValues'
export type { Correction } from './adjustPValues'
export * from './compareToControl'
export * from './sampleRatioMismatch'
export * from './chiSquareTest'
export * from './fisherExact'
export { cuped } from './cuped'
export type { CupedResult } from './cuped'
