/**
 * The touchpoint report on top of attribution: per touchpoint its touches, reach, roles (introducer, assister,
 * closer), positions, time to conversion and every model's credit side by side with bootstrap intervals; journey
 * stages with their funnel and flow; costs, cost per conversion and return on spend; top paths and transitions;
 * a ranked list of what to improve first; after the purchase, repeat conversion per post-purchase touchpoint. Rendered to JSON, CSV, Markdown and one self-contained HTML file.
 *
 * One pass over journeys feeds the one reducer, attribution's accumulator, with the report's sums laid over its
 * channels, sets and Markov counts (`touchpointAccumulator`); report partials merge across shards
 * (`mergeReportPartials`), bootstrap replicates included.
 *
 * @module
 */
export * from './model'
export * from './actions'
export * from './decide'
export * from './histogram'
export { logGamma } from './gamma'
export * from './accumulate'
export { replicatePartial } from './replicates'
export { channelTransitions } from './transitions'
export * from './stages'
export * from './costs'
export * from './surveys'
export * from './touchpointExperiments'
export { afterPurchaseSection, AFTER_PURCHASE_NEEDS_EVENTS, DEFAULT_AFTER_PURCHASE_WINDOW_MS } from './afterPurchase'
export * from './build'
export * from './render'
export * from './html'
export * from './text'
