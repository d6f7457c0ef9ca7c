/**
 * Survey metrics collected at touchpoints.
 *
 * @module
 */
export * from './nps'
export * from './csat'
