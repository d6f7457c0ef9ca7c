/**
 * Multi-touch attribution over customer journeys: rule-based models (first, last, last non-direct, linear,
 * time decay, the positional engine for U/J/inverse-J/custom, participation) and data-driven ones (Markov chain
 * of order k solved exactly, Shapley values in the simplified set form and over conversion rates).
 *
 * Every model reduces to an `AttributionPartial` of sums that merge (`mergePartials`), so a file can be split
 * across worker threads or machines; memory grows with channels, Markov states and channel sets, not with rows.
 * Inputs are read by one pipeline (`reader`, `readSettings`, `readAttributionText`; files: `touchpoint/node`).
 *
 * @module
 */
export * from './model'
export * from './codec'
export * from './decode'
export * from './rules'
export { accumulator, checkJourney, emptyPartial, mergePartials, reduceJourneys, type Accumulator } from './accumulate'
export * from './journeys'
export * from './markov'
export * from './shapley'
export * from './attribute'
export * from './table'
export {
  DEFAULT_EVENT_COLUMN_NAMES,
  DEFAULT_READ_SETTINGS,
  PRESETS,
  ReadOptions,
  readSettings,
  type ConversionRule,
  type EventColumnNames,
  type EventSemantics,
  type InputFormat,
  type InputKind,
  type Preset,
  type ReadSettings,
} from './read/settings'
export type { TimeUnit } from './internal/time'
export { reader, type BadLine, type Reader, type ReadTally, type SourceHints, type SourceReader } from './read/reader'
export type { Reducer } from './read/reducer'
export { readAttributionText, type AttributionRead, type ModelSettingsInput, type SkippedLine } from './read/text'
