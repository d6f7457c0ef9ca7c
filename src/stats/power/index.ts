/**
 * Power, sample size, detectable effect and duration.
 *
 * @module
 */
export { sampleSize } from './sampleSize'
export type { PowerDesign, PowerMethod, PowerMetric, SampleSizeResult } from './sampleSize'
export * from './detectableEffect'
