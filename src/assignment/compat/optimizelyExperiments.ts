/**
 * Mapping: each Optimizely experiment, holdout or rule of a decoded datafile as a touchpoint `Experiment`
 * (status, whitelist, audiences, group gate, split, variation values), and the `Assigner` built from them.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { formatError, invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { parseJson } from '../../core/json'
import { makeAssigner } from '../decode'
import type { Assigner, Experiment, Gate, Split, Status, VariantValue } from '../model'
import { isVariantValue } from '../values'
import { allocationLookup, hashingOf, OPTIMIZELY_BUCKETS, OPTIMIZELY_HASH_VERSION, OPTIMIZELY_UNIT } from './optimizelyHash'
import { FeatureFlag, Group, OptimizelyDatafile, OptimizelyExperiment, Rollout, Variable, Variation } from './optimizelyDatafile'
import { compileLeaf, compileTree, translateAudiences, type Truth, unsupported, validUserId } from './optimizelyAudiences'

// ---------------------------------------------------------------------------------------------------------------

/**
 * What to do with an experiment touchpoint cannot reproduce exactly (an audience with a substring, semver or ODP
 * condition, an `or` across attributes...): `fail` (default) returns `Left` naming each one; `skip` leaves
 * those experiments out of the `Assigner` (they then report `unknown-experiment`).
 *
 * @category model
 * @since 0.1.0
 */
export interface OptimizelyImportOptions {
  readonly onUnsupported?: 'fail' | 'skip'
}

interface Located {
  readonly x: OptimizelyExperiment
  readonly path: string
  readonly groupId: string | undefined
  readonly isRollout: boolean
}

const STATUS: Readonly<Record<string, Status>> = { Running: 'running', 'Not started': 'draft' }

const splitOf = (x: OptimizelyExperiment, variationIndex: (entityId: string) => number): Split => {
  const hashing = hashingOf(x.id)
  // CMAB experiments are decided by Optimizely's service; synchronous getVariation buckets nobody into them.
  if (x.cmab) return { hashing, variantAt: () => -1 }
  return { hashing, variantAt: allocationLookup(x.trafficAllocation, (i) => variationIndex(x.trafficAllocation[i]!.entityId)) }
}

const groupGate = (group: t.TypeOf<typeof Group>, experimentId: string): Gate => {
  const lookup = allocationLookup(group.trafficAllocation, (i) => (group.trafficAllocation[i]!.entityId === experimentId ? 1 : 0))
  return { reason: 'layer', attribute: undefined, required: false, hashing: hashingOf(group.id), admits: (b) => lookup(b) === 1 }
}

const weightsOf = (split: Split, size: number): { readonly weights: ReadonlyArray<number>; readonly coverage: number } => {
  const counts = new Array<number>(size).fill(0)
  let allocated = 0
  for (let b = 0; b < OPTIMIZELY_BUCKETS; b++) {
    const v = split.variantAt(b)
    if (v >= 0) {
      counts[v]! += 1
      allocated++
    }
  }
  return {
    weights: allocated === 0 ? counts.map(() => 1 / size) : counts.map((c) => c / allocated),
    coverage: allocated / OPTIMIZELY_BUCKETS,
  }
}

/**
 * How the SDK walks to a variation: `experiment` (resolveVariation: status, whitelist, audiences, group, bucket;
 * a variation key `""` counts as none), `holdout` (getVariationForHoldout: status, audiences, bucket) or
 * `delivery` (getVariationFromDeliveryRule: audiences, bucket; no status, no whitelist).
 */
export type Kind = 'experiment' | 'holdout' | 'delivery'

interface VariationInfo {
  readonly key: string
  readonly featureEnabled: boolean
}

interface Context {
  readonly byKey: ReadonlyMap<string, Located>
  readonly byId: ReadonlyMap<string, Located>
  readonly variationById: ReadonlyMap<string, VariationInfo>
  readonly groups: ReadonlyMap<string, t.TypeOf<typeof Group>>
  readonly rollouts: ReadonlyMap<string, t.TypeOf<typeof Rollout>>
  readonly appended: ReadonlyMap<OptimizelyExperiment, ReadonlyArray<t.TypeOf<typeof Variation>>>
  readonly audiences: ReadonlyMap<string, Truth>
  /** The variables of the flag an experiment or rule serves, with the flag's key and path, by experiment id. */
  readonly variables: ReadonlyMap<string, FlagVariables>
}

interface FlagVariables {
  readonly path: string
  readonly key: string
  readonly variables: ReadonlyArray<t.TypeOf<typeof Variable>>
}

/** A variable's type as getFeatureVariable reads it: a string of subType json is json. */
const variableType = (type: string, subType: string | undefined): string => (type === 'string' && subType === 'json' ? 'json' : type)

/**
 * A variable's value as the SDK's getFeatureVariable types it (boolean, integer, double, string, json); `undefined`
 * when the text does not parse as its type.
 */
const typedVariable = (type: string, subType: string | undefined, text: string): VariantValue | undefined => {
  switch (variableType(type, subType)) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined
    case 'integer': {
      const n = Number.parseInt(text, 10)
      return Number.isFinite(n) ? n : undefined
    }
    case 'double': {
      const n = Number.parseFloat(text)
      return Number.isFinite(n) ? n : undefined
    }
    case 'json':
      {
        // Strict: a key given twice is no JSON value here (JSON.parse would keep the last).
        const v = parseJson(text)
        return E.isRight(v) && isVariantValue(v.right) ? v.right : undefined
      }
    default:
      return text
  }
}

/**
 * The variables' values a variation serves, as one JSON object keyed by variable key: its own value where it sets
 * one and its feature is enabled, the default otherwise (getFeatureVariableValue). `undefined` without variables
 * or when one does not parse.
 */
const variationValue = (variables: ReadonlyArray<t.TypeOf<typeof Variable>>, variation: t.TypeOf<typeof Variation> | undefined): VariantValue | undefined => {
  const out: Record<string, VariantValue> = {}
  for (const v of variables) {
    const own = variation?.featureEnabled === true ? variation.variables?.find((x) => x.id === v.id)?.value : undefined
    const value = typedVariable(v.type, v.subType, own ?? v.defaultValue)
    if (value === undefined) return undefined
    out[v.key] = value
  }
  return out
}

export const contextOf = (datafile: OptimizelyDatafile): Context => {
  // project_config.js order: top-level experiments, then each group's (tagged with the group), then rollout rules.
  const located: Array<Located> = [
    ...datafile.experiments.map((x, i) => ({ x, path: `experiments[${i}]`, groupId: ownGroupId(x), isRollout: false })),
    ...(datafile.groups ?? []).flatMap((g, gi) => g.experiments.map((x, i) => ({ x, path: `groups[${gi}].experiments[${i}]`, groupId: g.id, isRollout: false }))),
    ...(datafile.rollouts ?? []).flatMap((r, ri) => r.experiments.map((x, i) => ({ x, path: `rollouts[${ri}].experiments[${i}]`, groupId: ownGroupId(x), isRollout: true }))),
  ]
  // Later entries shadow earlier ones in the SDK's maps; the same here.
  const byKey = new Map<string, Located>()
  const byId = new Map<string, Located>()
  const variationById = new Map<string, VariationInfo>()
  const addVariations = (vs: ReadonlyArray<t.TypeOf<typeof Variation>>) => {
    for (const v of vs) variationById.set(v.id, { key: v.key, featureEnabled: v.featureEnabled ?? false })
  }
  for (const l of located) {
    byKey.set(l.x.key, l)
    byId.set(l.x.id, l)
    addVariations(l.x.variations)
  }
  for (const h of datafile.holdouts ?? []) addVariations(h.variations)
  for (const h of localHoldoutsOf(datafile)) addVariations(h.variations)
  const groups = new Map((datafile.groups ?? []).map((g) => [g.id, g] as const))
  const rollouts = new Map((datafile.rollouts ?? []).map((r) => [r.id, r] as const))

  // Feature rollout ("fr") experiments get the flag's "everyone else" variation appended (parseFeatureFlagConfig).
  const appended = new Map<OptimizelyExperiment, Array<t.TypeOf<typeof Variation>>>()
  for (const flag of datafile.featureFlags ?? []) {
    const everyoneElse = everyoneElseRule(flag, rollouts)?.variations[0]
    if (everyoneElse === undefined) continue
    for (const id of flag.experimentIds) {
      const x = byId.get(id)?.x
      if (x !== undefined && x.type === 'fr') appended.set(x, [...(appended.get(x) ?? []), everyoneElse])
    }
  }

  // Audiences: typedAudiences override audiences of the same id; reported only for experiments using them.
  const audienceSources = new Map<string, () => E.Either<string, unknown>>()
  ;(datafile.audiences ?? []).forEach((a, i) =>
    audienceSources.set(a.id, () =>
      pipe(
        parseJson(a.conditions),
        E.mapLeft((e) => `audiences[${i}].conditions to be JSON text (${formatError(e)})`),
      ),
    ),
  )
  for (const a of datafile.typedAudiences ?? []) audienceSources.set(a.id, () => E.right(a.conditions))
  const audiences = new Map<string, Truth>()
  for (const [id, source] of audienceSources) {
    const parsed = source()
    audiences.set(
      id,
      E.isLeft(parsed)
        ? { whenTrue: unsupported(`audience "${id}": expected ${parsed.left}`), whenFalse: unsupported(`audience "${id}" is not JSON`) }
        : compileTree(parsed.right, compileLeaf),
    )
  }
  const variables = new Map<string, FlagVariables>()
  for (const [fi, flag] of (datafile.featureFlags ?? []).entries()) {
    if (flag.variables === undefined || flag.variables.length === 0) continue
    const ruleIds = (flag.rolloutId === undefined ? [] : (rollouts.get(flag.rolloutId)?.experiments ?? [])).map((r) => r.id)
    for (const id of [...flag.experimentIds, ...ruleIds]) variables.set(id, { path: `featureFlags[${fi}]`, key: flag.key, variables: flag.variables })
  }
  return { byKey, byId, variationById, groups, rollouts, appended, audiences, variables }
}

/** A `groupId` written on an experiment outside `groups` (bucket() reads the field, and it is truthy-checked). */
const ownGroupId = (x: OptimizelyExperiment): string | undefined => (x.groupId ? String(x.groupId) : undefined)

/** Local holdouts the SDK keeps: those with a non-empty `includedRules` list. */
const localHoldoutsOf = (datafile: OptimizelyDatafile) =>
  (datafile.localHoldouts ?? []).filter((h) => Array.isArray(h.includedRules) && h.includedRules.length > 0)

const everyoneElseRule = (flag: t.TypeOf<typeof FeatureFlag>, rollouts: Context['rollouts']): OptimizelyExperiment | undefined => {
  const rules = flag.rolloutId === undefined ? undefined : rollouts.get(flag.rolloutId)?.experiments
  return rules === undefined || rules.length === 0 ? undefined : rules[rules.length - 1]
}

/** One experiment, holdout or rule as a touchpoint `Experiment`, or the issue that prevents it. */
export const experimentOf = (ctx: Context, x: OptimizelyExperiment, path: string, kind: Kind, key: string): E.Either<Issue, Experiment> => {
  const extra = kind === 'holdout' ? [] : (ctx.appended.get(x) ?? [])
  const allVariations = [...x.variations, ...extra]
  const allocation = [...x.trafficAllocation, ...extra.map((v) => ({ entityId: v.id, endOfRange: OPTIMIZELY_BUCKETS }))]
  const variants: Array<string> = []
  const indexOfKey = (k: string): number => {
    const i = variants.indexOf(k)
    if (i >= 0) return i
    variants.push(k)
    return variants.length - 1
  }
  for (const v of allVariations) indexOfKey(v.key)
  // The SDK resolves the bucketed id through the datafile-wide variation map: "" or an unknown id is no variation,
  // and resolveVariation's callers treat a variation key "" as none.
  const variationIndex = (entityId: string): number => {
    const info = ctx.variationById.get(entityId)
    if (entityId === '' || info === undefined || (kind === 'experiment' && info.key === '')) return -1
    return indexOfKey(info.key)
  }
  const split = splitOf({ ...x, trafficAllocation: allocation }, variationIndex)
  const audienceInput = x.audienceConditions || x.audienceIds
  const targeting = translateAudiences(audienceInput, ctx.audiences)
  if (E.isLeft(targeting)) {
    return E.left(issue(`${path}.${x.audienceConditions ? 'audienceConditions' : 'audienceIds'}`, `audiences touchpoint can reproduce exactly, not ${targeting.left}`, audienceInput))
  }
  // resolveVariation checks isActive(config, experiment.key): the status of whatever experiment the key maps to.
  const statusName = kind === 'experiment' ? (ctx.byKey.get(x.key)?.x.status ?? x.status) : x.status
  const status = kind === 'delivery' ? 'running' : (STATUS[statusName] ?? 'stopped')
  // bucket() consults experimentIdMap[id].groupId: with duplicate ids the last experiment's group decides.
  const groupId = ctx.byId.get(x.id)?.groupId
  const group = groupId === undefined ? undefined : ctx.groups.get(groupId)
  // The SDK throws INVALID_GROUP_ID when bucketing into an experiment whose group is missing.
  if (groupId !== undefined && group === undefined) return E.left(issue(`${ctx.byId.get(x.id)?.path ?? path}.groupId`, 'the id of a group in "groups"', groupId))
  const gates: Array<Gate> = group !== undefined && group.policy === 'random' ? [groupGate(group, x.id)] : []
  const overrides = new Map<string, number>()
  if (kind === 'experiment' && status === 'running') {
    for (const [userId, variationKey] of Object.entries(x.forcedVariations ?? {})) {
      // A whitelisted key the experiment lacks is ignored by the SDK (logged), and the user bucketed as usual.
      const known = allVariations.some((v) => v.key === variationKey)
      if (known && variationKey !== '' && userId !== 'undefined') overrides.set(userId, variants.indexOf(variationKey))
    }
  }
  const { weights, coverage } = weightsOf(split, variants.length)
  const flag = ctx.variables.get(x.id)
  const flagVariables = flag?.variables
  const valueList = flagVariables === undefined ? undefined : variants.map((k) => variationValue(flagVariables, [...allVariations].reverse().find((v) => v.key === k)))
  // A variable whose text does not parse as its type would leave the flag without values without a word.
  if (flag !== undefined && flagVariables !== undefined) {
    // Defaults first: whichever variation serves one, and decide() serves them all when the feature is off.
    for (const [vi, fv] of flagVariables.entries()) {
      if (typedVariable(fv.type, fv.subType, fv.defaultValue) === undefined) {
        const expected = `a value of type ${variableType(fv.type, fv.subType)} for the variable ${JSON.stringify(fv.key)} of the flag ${JSON.stringify(flag.key)} (the text does not parse as one)`
        return E.left(issue(`${flag.path}.variables[${vi}].defaultValue`, expected, fv.defaultValue))
      }
    }
    for (const [vi, variation] of (x.variations ?? []).entries()) {
      if (variation.featureEnabled !== true) continue
      for (const fv of flagVariables) {
        const own = variation.variables?.find((o) => o.id === fv.id)?.value
        if (own !== undefined && typedVariable(fv.type, fv.subType, own) === undefined) {
          return E.left(issue(`${path}.variations[${vi}].variables`, `a value of type ${variableType(fv.type, fv.subType)} for the variable ${JSON.stringify(fv.key)} (the text does not parse as one)`, own))
        }
      }
    }
  }
  const values = valueList === undefined || valueList.some((v) => v === undefined) ? undefined : (valueList as ReadonlyArray<VariantValue>)
  return E.right({
    key,
    status,
    unit: OPTIMIZELY_UNIT,
    variants,
    values,
    valueType: values === undefined ? undefined : 'json',
    weights,
    coverage,
    hashVersion: OPTIMIZELY_HASH_VERSION,
    layer: gates.length > 0 ? groupId : undefined,
    bucketVersion: 0,
    targeting: [validUserId, ...targeting.right],
    overrides,
    gates,
    split,
  })
}

export const build = (datafile: OptimizelyDatafile, options: OptimizelyImportOptions): E.Either<TouchpointError, Assigner> => {
  const ctx = contextOf(datafile)
  // By path: the experiments of one flag share its variables' issues.
  const issues = new Map<string, Issue>()
  const experiments: Array<Experiment> = []
  for (const l of ctx.byKey.values()) {
    // getVariation resolves the key through experimentKeyMap and refuses rollout rules.
    if (l.isRollout) continue
    const x = experimentOf(ctx, l.x, l.path, 'experiment', l.x.key)
    if (E.isRight(x)) experiments.push(x.right)
    else if ((options.onUnsupported ?? 'fail') === 'fail') issues.set(x.left.path, x.left)
  }
  return issues.size > 0 ? E.left(invalidInput([...issues.values()])) : E.right(makeAssigner(experiments, datafile.revision))
}
