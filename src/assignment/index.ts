/**
 * Deterministic variant assignment: decode a config once, then assign units with a pure, total function.
 *
 * @module
 */
export type {
  Assigner,
  Assignment,
  AttributeValue,
  Condition,
  Enrolled,
  Experiment,
  Gate,
  Hashing,
  NotEnrolled,
  NotEnrolledReason,
  Split,
  Status,
  Unit,
  ValueType,
  VariantValue,
} from './model'
export { decodeConfig, decodeConfigJson, decodeAnyConfig, validateConfig, compileConfig } from './decode'
export { makeAssigner, DEFAULT_UNIT } from './build'
export { fromCompiledConfig, COMPILED_FORMAT, type CompiledConfig } from './compiled'
export { assign, assignExperiment, assignTo, isEnrolled, matches, variantOr } from './assign'
export { experimentHandle, type ExperimentHandle } from './handle'
export { assignSticky, stickyKey, encodeStickyRecord, decodeStickyRecord, type StickyAssignments, type StickyResult } from './sticky'
export { previewChange, type ChangePreview } from './preview'
export { designedSplit, type DesignedShare } from './designedSplit'
export { toExposure, type Exposure } from './exposure'
export { nativeBucket, nativeHash, NATIVE_BUCKETS, NATIVE_HASH_VERSION } from './hash'
export type { ConfigInput, ExperimentInput, VariantInput, LayerInput, HoldoutInput, ConditionInput } from './codec'
export { formatError, formatIssue, type Issue, type TouchpointError } from '../core/errors'
export { decideOptimizelyFlag, fromOptimizelyDatafile, fromOptimizelyFlags, optimizelyBucket, OptimizelyDatafile, OPTIMIZELY_BUCKETS, OPTIMIZELY_HASH_VERSION, OPTIMIZELY_UNIT, type OptimizelyDecision, type OptimizelyFlag, type OptimizelyFlags, type OptimizelyFlagStep, type OptimizelyImportOptions } from './compat/optimizely'
export { fromUnleashFeatures, unleashBucket, UnleashFeatures, UNLEASH_DEFAULT_UNIT, UNLEASH_ENABLED_VARIANT, UNLEASH_HASH_VERSION, UNLEASH_STRATEGY_SEED, UNLEASH_VARIANT_SEED } from './compat/unleash'
export { murmur3, murmur3LowByte, murmur3LowBytePrefixed, murmur3Suffixed } from './compat/murmur3'
export { fromGrowthBook, type GrowthBookImportOptions, GrowthBookExperiment, GrowthBookExperiments, GrowthBookFilter, GrowthBookNamespace, GrowthBookRange, GrowthBookVariationMeta } from './compat/growthbook'
