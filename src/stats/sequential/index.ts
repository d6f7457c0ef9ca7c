/**
 * Sequential tests that stay valid when results are looked at before the end.
 *
 * @module
 */
export { confidenceSequence } from './confidenceSequence'
export type { ConfidenceSequenceOptions, ConfidenceSequenceResult } from './confidenceSequence'
export * from './msprt'
