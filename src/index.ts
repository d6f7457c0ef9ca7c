/**
 * touchpoint: deterministic variant assignment, significance tests and multi-touch attribution.
 * The root entry re-exports the pure core; runtime adapters live in `touchpoint/edge` and `touchpoint/node`.
 * Import a subpath (`touchpoint/assignment`) to be sure a bundle carries only that module; the touchpoint report
 * is its own subpath, `touchpoint/report`.
 *
 * @module
 */
export * from './assignment/index'
export * from './stats/index'
export * from './attribution/index'
