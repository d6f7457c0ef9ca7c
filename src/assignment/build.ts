/**
 * Building an `Assigner` from a config that has already been validated: seed states, integer bucket bounds,
 * override maps. No io-ts here, so an edge bundle that loads compiled configs (compiled.ts) stays small.
 *
 * @module
 */
import type { ConditionInput, ConfigInput, ExperimentInput, HoldoutInput, LayerInput } from './codec'
import { NATIVE_HASH_VERSION } from './hash'
import type { Assigner, Condition, Experiment, Gate } from './model'
import { coverageGate, holdoutGate, layerGate, nativeSplit } from './native'
import { sharedType } from './values'

/** The unit attribute hashed when a config names none. @category decoding @since 0.1.0 */
export const DEFAULT_UNIT = 'id'

const toCondition = (c: ConditionInput): Condition => {
  if (c.equals !== undefined) return { _tag: 'equals', attribute: c.attribute, value: c.equals }
  if (c.in !== undefined) return { _tag: 'in', attribute: c.attribute, values: new Set(c.in) }
  if (c.notIn !== undefined) return { _tag: 'notIn', attribute: c.attribute, values: new Set(c.notIn) }
  return { _tag: 'range', attribute: c.attribute, ...c.range }
}

const holdoutOf = (
  h: HoldoutInput | undefined,
  defaultSalt: string,
  defaultUnit: string,
  experimentUnit: string,
): ReadonlyArray<Gate> => {
  if (h === undefined || h.share === 0) return []
  const unit = h.unit ?? defaultUnit
  return [holdoutGate(h.salt ?? defaultSalt, h.share, unit === experimentUnit ? undefined : unit)]
}

const toExperiment = (x: ExperimentInput, config: ConfigInput, layers: ReadonlyMap<string, LayerInput>): Experiment => {
  const layer = x.layer === undefined ? undefined : layers.get(x.layer.key)
  const unit = x.unit ?? layer?.unit ?? DEFAULT_UNIT
  const salt = x.salt ?? x.key
  const weights = x.variants.map((v) => v.weight ?? 1 / x.variants.length)
  const coverage = x.coverage ?? 1
  const variants = x.variants.map((v) => v.key)
  const values = x.variants[0]?.value === undefined ? undefined : x.variants.map((v) => v.value!)
  const gates: Array<Gate> = [...holdoutOf(config.holdout, 'global', DEFAULT_UNIT, unit)]
  if (layer !== undefined && x.layer !== undefined) {
    gates.push(...holdoutOf(layer.holdout, layer.key, layer.unit ?? DEFAULT_UNIT, unit))
    gates.push(layerGate(layer.salt ?? layer.key, x.layer.ranges))
  }
  if (coverage < 1) gates.push(coverageGate(salt, coverage))
  return {
    key: x.key,
    status: x.status ?? 'running',
    unit,
    variants,
    values,
    valueType: values === undefined ? undefined : (x.valueType ?? sharedType(values)),
    weights,
    coverage,
    hashVersion: NATIVE_HASH_VERSION,
    layer: layer?.key,
    bucketVersion: x.bucketVersion ?? 0,
    targeting: (x.targeting ?? []).map(toCondition),
    overrides: new Map(Object.entries(x.overrides ?? {}).map(([id, v]) => [id, variants.indexOf(v)] as const)),
    gates,
    split: nativeSplit(salt, weights),
  }
}

/**
 * An `Assigner` from experiments already built (by `decodeConfig` or an importer). Later keys never shadow
 * earlier ones: callers validate uniqueness first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeAssigner = (experiments: ReadonlyArray<Experiment>, version?: string): Assigner => {
  // From plain JavaScript: keep what looks like an experiment (built ones have a key and a split).
  const kept = Array.isArray(experiments) ? experiments.filter((x) => typeof x?.key === 'string' && x.split !== undefined) : []
  return { _tag: 'Assigner', version: typeof version === 'string' ? version : undefined, experiments: kept, byKey: new Map(kept.map((x) => [x.key, x] as const)) }
}

/**
 * The `Assigner` of a config already checked by `decodeConfig`'s rules (or loaded from a compiled config whose
 * checksum vouches for that). Unchecked input gives undefined results: use `decodeConfig` for anything else.
 *
 * @internal
 */
export const buildAssigner = (config: ConfigInput): Assigner => {
  const layers = new Map((config.layers ?? []).map((l) => [l.key, l] as const))
  return makeAssigner(
    config.experiments.map((x) => toExperiment(x, config, layers)),
    config.version,
  )
}
