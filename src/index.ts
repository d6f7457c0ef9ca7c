/**
 * touchpoint: deterministic variant assignment, significance tests and multi-touch attribution.
 * The root entry re-exports the pure core; runtime adapters live in `touchpoint/edge` and `touchpoint/node`.
 *
 * @module
 */
export * from './assignment/index'
