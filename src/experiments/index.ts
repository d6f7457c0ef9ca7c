/**
 * Experiment analysis from raw exposure and event logs: a metrics definition (`decodeMetrics`), an in-process
 * reducer from streamed rows (`logReducer`, state per exposed unit, none per event), the finisher every engine's
 * per-arm sums go through (`toStatistics`: the sufficient statistics `touchpoint/stats` reads), and the analysis
 * a team decides on (`analyzeStatistics`, `buildReports`, `formatReports`). Pure: rows in, numbers out.
 *
 * @module
 */
export * from './model'
export { decodeMetrics, decodeMetricsJson } from './metrics'
export { percentileCont } from './quantile'
export { logReducer, type EventReducer, type ExposureReducer, type ReduceSettings, type Span } from './reduce'
export * from './rows'
export { experimentArms, toStatistics, type DesignedSplit, type ExperimentArms, type StatisticsOptions } from './statistics'
export { analyzeStatistics, experimentData, type LogAnalysisOptions, type MetricResult, type TreatmentResult } from './analysis'
export { buildReports, formatReports, type ExperimentReport, type SliceReport } from './report'
