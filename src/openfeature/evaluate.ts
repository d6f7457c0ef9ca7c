/**
 * The evaluation both OpenFeature providers share: a flag key is an experiment key, the evaluation context's
 * `targetingKey` is the unit id (filling the experiment's unit attribute) and its other attributes feed targeting,
 * the value is the enrolled variant's. Pure and synchronous: the server provider wraps it in promises.
 *
 * @module
 */
import type { EvaluationContext, FlagMetadata, JsonValue, ResolutionDetails } from '@openfeature/core'
import { assignOne } from '../assignment/assign'
import type { Assigner, Enrolled, Experiment, Unit, ValueType } from '../assignment/model'
import type { TouchpointError } from '../core/errors'

/**
 * The flag types OpenFeature evaluates.
 *
 * @category openfeature
 * @since 0.1.0
 */
export type FlagType = 'boolean' | 'string' | 'number' | 'object'

/** What the providers know: the assigner in use, and why the latest config given could not be used. @internal */
export interface ProviderState {
  readonly assigner: Assigner | undefined
  readonly error: TouchpointError | undefined
}

// OpenFeature's ErrorCode and StandardResolutionReasons are string enums; their values, without importing the SDK.
type Code = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'TARGETING_KEY_MISSING' | 'PARSE_ERROR' | 'GENERAL'

const failure = <T>(defaultValue: T, code: Code, message: string, flagMetadata?: FlagMetadata): ResolutionDetails<T> => ({
  value: defaultValue,
  reason: 'ERROR',
  errorCode: code as NonNullable<ResolutionDetails<T>['errorCode']>,
  errorMessage: message,
  ...(flagMetadata === undefined ? {} : { flagMetadata }),
})

/** Where and what: the values seen stay out of the message (they may be anything a caller passed). */
const describe = (e: TouchpointError): string =>
  e._tag === 'InvalidInput' ? e.issues.map((i) => `${i.path === '' ? '(config)' : i.path}: expected ${i.expected}`).join('; ') : e._tag

/** Which variant value types each flag type reads; an experiment without values serves its variant key as a string. */
const ACCEPTS: Readonly<Record<FlagType, ReadonlyArray<ValueType | undefined>>> = {
  boolean: ['boolean'],
  number: ['number'],
  string: ['string', undefined],
  object: ['json', 'boolean', 'number', 'string'],
}

/** The context's attributes touchpoint can read (strings, numbers, booleans, null), by name. */
const unitOf = (context: EvaluationContext | undefined, experiment: Experiment, id: string): Unit => {
  const unit: Record<string, string | number | boolean | null> = {}
  if (context !== null && typeof context === 'object') {
    for (const k in context) {
      const v = context[k]
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') unit[k] = v
    }
  }
  unit[experiment.unit] = id
  return unit
}

/** The unit id: the targeting key, else the experiment's own unit attribute if the context carries it. */
const idOf = (context: EvaluationContext | undefined, experiment: Experiment): string | undefined => {
  const key = context?.targetingKey
  if (typeof key === 'string' && key !== '') return key
  const own = context?.[experiment.unit]
  return typeof own === 'string' && own !== '' ? own : typeof own === 'number' && Number.isFinite(own) ? String(own) : undefined
}

const metadataOf = (assigner: Assigner, experiment: Experiment): FlagMetadata => ({
  experiment: experiment.key,
  hashVersion: experiment.hashVersion,
  unit: experiment.unit,
  bucketVersion: experiment.bucketVersion,
  ...(assigner.version === undefined ? {} : { configVersion: assigner.version }),
  ...(experiment.layer === undefined ? {} : { layer: experiment.layer }),
})

const enrolledMetadata = (base: FlagMetadata, a: Enrolled): FlagMetadata => ({
  ...base,
  variant: a.variant,
  variantIndex: a.variantIndex,
  bucket: a.bucket,
  unitId: a.unitId,
  override: a.override,
  sticky: a.sticky,
})

/**
 * Resolve one flag: the enrolled variant's value with `variant` (its key), `reason` SPLIT (hashed),
 * TARGETING_MATCH (an override), DEFAULT (not enrolled: the default value), DISABLED (a draft or stopped
 * experiment) or ERROR with `errorCode` FLAG_NOT_FOUND, TYPE_MISMATCH, TARGETING_KEY_MISSING or PARSE_ERROR (no
 * config could be read), and `flagMetadata` (experiment, hash version, unit, bucket version, config version and,
 * when enrolled, variant, variant index, bucket, unit id, override, sticky).
 *
 * @internal
 */
export const resolveFlag = <T>(state: ProviderState, type: FlagType, flagKey: string, defaultValue: T, context: EvaluationContext | undefined): ResolutionDetails<T> => {
  const { assigner } = state
  if (assigner === undefined) return failure(defaultValue, 'PARSE_ERROR', state.error === undefined ? 'no config' : describe(state.error))
  const experiment = typeof flagKey === 'string' ? assigner.byKey.get(flagKey) : undefined
  if (experiment === undefined) return failure(defaultValue, 'FLAG_NOT_FOUND', typeof flagKey === 'string' ? `no experiment "${flagKey}" in the config` : `a flag key (a string), not ${typeof flagKey}`)
  const metadata = metadataOf(assigner, experiment)
  if (!ACCEPTS[type].includes(experiment.valueType)) {
    const serves = experiment.valueType === undefined ? 'variant keys (strings): its variants carry no values' : `${experiment.valueType} values`
    return failure(defaultValue, 'TYPE_MISMATCH', `experiment "${experiment.key}" serves ${serves}, not ${type}`, metadata)
  }
  if (experiment.status !== 'running') return { value: defaultValue, reason: 'DISABLED', flagMetadata: metadata }
  const id = idOf(context, experiment)
  if (id === undefined) return failure(defaultValue, 'TARGETING_KEY_MISSING', `a targetingKey (or "${experiment.unit}") to assign "${experiment.key}" by`, metadata)
  const a = assignOne(unitOf(context, experiment, id), experiment)
  if (a._tag === 'NotEnrolled') return { value: defaultValue, reason: a.reason === 'inactive' ? 'DISABLED' : 'DEFAULT', flagMetadata: { ...metadata, notEnrolled: a.reason } }
  return {
    value: (a.value === undefined ? a.variant : a.value) as T,
    variant: a.variant,
    reason: a.override ? 'TARGETING_MATCH' : 'SPLIT',
    flagMetadata: enrolledMetadata(metadata, a),
  }
}

/** The JSON value type both SDKs use for object flags. @internal */
export type FlagJson = JsonValue
