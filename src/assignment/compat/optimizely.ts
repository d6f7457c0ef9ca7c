/**
 * Optimizely compatibility: an `Assigner` from an Optimizely datafile whose decisions equal those of
 * `@optimizely/optimizely-sdk` 6.6.1's `getVariation(experimentKey, userId, attributes)` (and so `activate`'s
 * returned key) for every user id.
 *
 * What the SDK does, and what is built here (source read: `core/bucketer/index.js`,
 * `core/bucketer/bucket_value_generator.js`, `core/decision_service/index.js`, `project_config/project_config.js`,
 * `core/condition_tree_evaluator`, `core/custom_attribute_condition_evaluator`, `optimizely/index.js`):
 *
 * 1. Only `"Running"` experiments assign (status `running`; anything else is `stopped`, `"Not started"` `draft`).
 * 2. Whitelisting `forcedVariations[userId]` wins next (overrides; dropped for experiments not running, which the
 *    SDK checks first).
 * 3. Audiences (`audienceConditions`, else `audienceIds`) must evaluate to true: translated into targeting
 *    conditions where touchpoint's conditions express them exactly, rejected otherwise (see `translateAudiences`).
 * 4. In a mutual-exclusion group (`policy: "random"`), `murmur3(userId + groupId)` picks the group's experiment:
 *    a gate with reason `layer`.
 * 5. `bucket = floor(murmur3(userId + experimentId, seed 1) / 2^32 * 10000)`; the first `trafficAllocation`
 *    entry with `bucket < endOfRange` names the variation; `""`, an unknown id or no entry leaves the user out
 *    (`coverage`).
 *
 * Flags (`decide`) are a waterfall of such steps with holdouts in front: `fromOptimizelyFlags` and
 * `decideOptimizelyFlag`, below.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { formatError, invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { parseJson } from '../../core/json'
import { issuesFromErrors } from '../../core/report'
import { makeAssigner } from '../decode'
import { assignExperiment } from '../assign'
import type { Assigner, Assignment, Condition, Experiment, Gate, Hashing, Split, Status, Unit, VariantValue } from '../model'
import { isVariantValue } from '../values'
import { murmur3Suffixed } from './murmur3'

/**
 * Names the scheme in results and exposure logs.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_HASH_VERSION = 'optimizely'

/**
 * Optimizely's bucket space: `endOfRange` values run to 10000.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_BUCKETS = 10_000

/**
 * The unit attribute holding Optimizely's user id.
 *
 * @category constants
 * @since 0.1.0
 */
export const OPTIMIZELY_UNIT = 'userId'

const HASH_SEED = 1

// ---------------------------------------------------------------------------------------------------------------
// Codecs: only the fields that decide bucketing are read; every other datafile field is left alone.

const TrafficAllocation = /* @__PURE__ */ t.type({ entityId: t.string, endOfRange: t.number }, 'a traffic allocation entry')

const VariableValue = /* @__PURE__ */ t.type({ id: t.string, value: t.string }, 'a variable value')

const Variation = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string }), /* @__PURE__ */ t.partial({ featureEnabled: t.boolean, variables: /* @__PURE__ */ t.array(VariableValue) })],
  'a variation',
)

const Variable = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string, type: t.string, defaultValue: t.string }), /* @__PURE__ */ t.partial({ subType: t.string })],
  'a feature variable',
)

const OptimizelyExperiment = /* @__PURE__ */ t.intersection(
  [
    /* @__PURE__ */ t.type({
      id: t.string,
      key: t.string,
      status: t.string,
      variations: /* @__PURE__ */ t.array(Variation),
      trafficAllocation: /* @__PURE__ */ t.array(TrafficAllocation),
    }),
    /* @__PURE__ */ t.partial({
      forcedVariations: /* @__PURE__ */ t.union([/* @__PURE__ */ t.record(t.string, t.string), t.null]),
      audienceIds: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(t.unknown), t.null]),
      audienceConditions: t.unknown,
      type: t.unknown,
      cmab: t.unknown,
      groupId: t.unknown,
    }),
  ],
  'an experiment',
)
type OptimizelyExperiment = t.TypeOf<typeof OptimizelyExperiment>

const Group = /* @__PURE__ */ t.type({ id: t.string, policy: t.string, trafficAllocation: /* @__PURE__ */ t.array(TrafficAllocation), experiments: /* @__PURE__ */ t.array(OptimizelyExperiment) }, 'a group')

const Rollout = /* @__PURE__ */ t.type({ id: t.string, experiments: /* @__PURE__ */ t.array(OptimizelyExperiment) }, 'a rollout')

const FeatureFlag = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string, experimentIds: /* @__PURE__ */ t.array(t.string) }), /* @__PURE__ */ t.partial({ rolloutId: t.string, variables: /* @__PURE__ */ t.array(Variable) })],
  'a feature flag',
)

const Audience = /* @__PURE__ */ t.type({ id: t.string, conditions: t.string }, 'an audience (conditions as a JSON string)')

const TypedAudience = /* @__PURE__ */ t.type({ id: t.string, conditions: t.unknown }, 'a typed audience')

const Holdout = /* @__PURE__ */ t.intersection([OptimizelyExperiment, /* @__PURE__ */ t.partial({ includedRules: t.unknown, excludeTargetedDeliveries: t.unknown })], 'a holdout')

/**
 * The parts of an Optimizely datafile (v2, v3 or v4) that decide who sees which variation.
 *
 * @category codecs
 * @since 0.1.0
 */
export const OptimizelyDatafile = /* @__PURE__ */ t.intersection(
  [
    // The SDK's config manager refuses a datafile without a revision ("SDK not configured"): so does touchpoint.
    /* @__PURE__ */ t.type({ version: /* @__PURE__ */ t.keyof({ '2': null, '3': null, '4': null }), revision: t.string, experiments: /* @__PURE__ */ t.array(OptimizelyExperiment) }),
    /* @__PURE__ */ t.partial({
      groups: /* @__PURE__ */ t.array(Group),
      rollouts: /* @__PURE__ */ t.array(Rollout),
      featureFlags: /* @__PURE__ */ t.array(FeatureFlag),
      audiences: /* @__PURE__ */ t.array(Audience),
      typedAudiences: /* @__PURE__ */ t.array(TypedAudience),
      holdouts: /* @__PURE__ */ t.array(Holdout),
      localHoldouts: /* @__PURE__ */ t.array(Holdout),
    }),
  ],
  'an Optimizely datafile',
)
/** @category codecs @since 0.1.0 */
export type OptimizelyDatafile = t.TypeOf<typeof OptimizelyDatafile>

// ---------------------------------------------------------------------------------------------------------------
// Hashing

/**
 * Optimizely's bucket in [0, 9999] of `bucketingId + entityId` (an experiment or group id): MurmurHash3 x86_32
 * of the UTF-8 bytes, seed 1, scaled as the SDK does (`floor(h / 2^32 * 10000)`, exact in doubles).
 *
 * @example
 * optimizelyBucket('10390977673')('user-42') // => 251  (the SDK logs "Assigned bucket 251 to user")
 *
 * @category hashing
 * @since 0.1.0
 */
export const optimizelyBucket = (entityId: string): ((bucketingId: string) => number) => {
  const hash = murmur3Suffixed(entityId, HASH_SEED)
  return (bucketingId) => {
    const h = hash(bucketingId)
    return h < 0 ? -1 : Math.floor((h * OPTIMIZELY_BUCKETS) / 4294967296) // -1: not a string (plain JavaScript)
  }
}

const hashingOf = (entityId: string): Hashing => ({
  seed: `optimizely/${entityId}`,
  size: OPTIMIZELY_BUCKETS,
  bucket: optimizelyBucket(entityId),
})

/**
 * `_findBucket`: the value of the first entry whose `endOfRange` exceeds the bucket, else -1. Entries past one
 * that ends at or beyond 10000 are unreachable and dropped; a linear scan over the rest (a handful) costs less
 * than a 10,000-slot table per experiment would weigh in a large datafile.
 */
const allocationLookup = (entries: ReadonlyArray<{ readonly endOfRange: number }>, valueOf: (i: number) => number): ((bucket: number) => number) => {
  const ends: Array<number> = []
  const values: Array<number> = []
  for (let i = 0; i < entries.length; i++) {
    ends.push(entries[i]!.endOfRange)
    values.push(valueOf(i))
    if (entries[i]!.endOfRange >= OPTIMIZELY_BUCKETS) break
  }
  const endArray = Float64Array.from(ends)
  const valueArray = Int32Array.from(values)
  const n = endArray.length
  return (bucket) => {
    for (let i = 0; i < n; i++) if (bucket < endArray[i]!) return valueArray[i]!
    return -1
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Audiences: Optimizely's three-valued condition trees, compiled to touchpoint's AND-list where exact.

/** Past this magnitude the SDK treats numbers as invalid (`isSafeInteger` in utils/fns: |n| <= 2^53). */
const SAFE = 2 ** 53

type Compiled = { readonly _tag: 'never' } | { readonly _tag: 'all'; readonly conditions: ReadonlyArray<Condition> } | { readonly _tag: 'unsupported'; readonly reason: string }

const NEVER: Compiled = { _tag: 'never' }
const all = (conditions: ReadonlyArray<Condition>): Compiled => ({ _tag: 'all', conditions })
const unsupported = (reason: string): Compiled => ({ _tag: 'unsupported', reason })

/** When a node is true (`whenTrue`) and when it is false (`whenFalse`); null (unknown) is neither. */
interface Truth {
  readonly whenTrue: Compiled
  readonly whenFalse: Compiled
}

const NULL_LEAF: Truth = { whenTrue: NEVER, whenFalse: NEVER }

const conjunction = (parts: ReadonlyArray<Compiled>): Compiled => {
  if (parts.some((p) => p._tag === 'never')) return NEVER
  const bad = parts.find((p) => p._tag === 'unsupported')
  if (bad !== undefined) return bad
  return all(parts.flatMap((p) => (p._tag === 'all' ? p.conditions : [])))
}

/** A value set for `in` from a one-condition conjunction of equality, if it is one. */
const equalitySet = (p: Compiled): { readonly attribute: string; readonly values: ReadonlyArray<string | number | boolean> } | undefined => {
  if (p._tag !== 'all' || p.conditions.length !== 1) return undefined
  const c = p.conditions[0]!
  if (c._tag === 'equals') return { attribute: c.attribute, values: [c.value] }
  if (c._tag === 'in') return { attribute: c.attribute, values: [...c.values] }
  return undefined
}

const disjunction = (parts: ReadonlyArray<Compiled>): Compiled => {
  const live = parts.filter((p) => p._tag !== 'never')
  if (live.some((p) => p._tag === 'all' && p.conditions.length === 0)) return all([])
  const bad = live.find((p) => p._tag === 'unsupported')
  if (bad !== undefined) return bad
  if (live.length === 0) return NEVER
  if (live.length === 1) return live[0]!
  // Exact matches on one attribute, OR-ed: one `in` condition (exact is strict equality, as Set.has is here).
  const sets = live.map(equalitySet)
  const attribute = sets[0]?.attribute
  if (attribute !== undefined && sets.every((s) => s !== undefined && s.attribute === attribute)) {
    return all([{ _tag: 'in', attribute, values: new Set(sets.flatMap((s) => s!.values)) }])
  }
  return unsupported('an "or" of conditions other than exact matches on one attribute')
}

const OPERATORS = ['and', 'or', 'not']

/** `condition_tree_evaluator.evaluate`, quirks included: a list not led by a string operator drops its head. */
const compileTree = (node: unknown, leaf: (x: unknown) => Truth): Truth => {
  if (!Array.isArray(node)) return leaf(node)
  const first: unknown = node[0]
  const implicitOr = typeof first === 'string' && !OPERATORS.includes(first)
  const rest: ReadonlyArray<unknown> = implicitOr ? node : node.slice(1)
  const op = implicitOr ? 'or' : first
  const children = rest.map((c) => compileTree(c, leaf))
  switch (op) {
    case 'and':
      return { whenTrue: conjunction(children.map((c) => c.whenTrue)), whenFalse: disjunction(children.map((c) => c.whenFalse)) }
    case 'not':
      return children.length === 0 ? NULL_LEAF : { whenTrue: children[0]!.whenFalse, whenFalse: children[0]!.whenTrue }
    default:
      return { whenTrue: disjunction(children.map((c) => c.whenTrue)), whenFalse: conjunction(children.map((c) => c.whenFalse)) }
  }
}

const MATCH_TYPES = ['exact', 'exists', 'gt', 'ge', 'lt', 'le', 'substring', 'semver_eq', 'semver_lt', 'semver_le', 'semver_gt', 'semver_ge']

const isSafeNumber = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= SAFE

/** One `custom_attribute` leaf, as `custom_attribute_condition_evaluator.evaluate` treats it. */
const compileLeaf = (leaf: unknown): Truth => {
  if (leaf === null) return { whenTrue: unsupported('a null condition (the SDK throws on it)'), whenFalse: unsupported('a null condition') }
  if (typeof leaf !== 'object' || Array.isArray(leaf)) return NULL_LEAF
  const c = leaf as Readonly<Record<string, unknown>>
  const type = c['type']
  if (type === 'third_party_dimension') return { whenTrue: unsupported('ODP segment conditions (third_party_dimension)'), whenFalse: unsupported('ODP segment conditions') }
  if (type !== 'custom_attribute') return NULL_LEAF
  const match = c['match']
  if (match !== undefined && !MATCH_TYPES.includes(match as string)) return NULL_LEAF
  const name = c['name']
  if (typeof name !== 'string') return { whenTrue: unsupported('a condition without a string "name"'), whenFalse: unsupported('a condition without a string "name"') }
  if (name === OPTIMIZELY_UNIT) {
    const why = `a condition on an attribute named "${OPTIMIZELY_UNIT}" (touchpoint's unit holds the user id under that name)`
    return { whenTrue: unsupported(why), whenFalse: unsupported(why) }
  }
  const value = c['value']
  const no = (what: string): Truth => ({ whenTrue: unsupported(what), whenFalse: unsupported(what) })
  switch (match) {
    case undefined:
    case 'exact': {
      if (!(typeof value === 'string' || typeof value === 'boolean' || isSafeNumber(value))) return NULL_LEAF
      return {
        whenTrue: all([{ _tag: 'equals', attribute: name, value }]),
        whenFalse:
          typeof value === 'boolean'
            ? all([{ _tag: 'equals', attribute: name, value: !value }])
            : unsupported(`the negation of an exact match on "${name}" (false only for a value of the same type)`),
      }
    }
    case 'exists':
      // The SDK reads `attributes[name]` through the prototype chain: "toString" always exists there.
      if (name in Object.prototype) return no(`"exists" on "${name}", an Object.prototype property name`)
      return { whenTrue: all([{ _tag: 'notIn', attribute: name, values: new Set() }]), whenFalse: unsupported(`the negation of "exists" on "${name}"`) }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (!isSafeNumber(value)) return NULL_LEAF
      const range = (bounds: { gte?: number; gt?: number; lte?: number; lt?: number }): Compiled => all([{ _tag: 'range', attribute: name, ...bounds }])
      // Both sides hold only for numbers within ±2^53, as the SDK checks the user's value.
      if (match === 'gt') return { whenTrue: range({ gt: value, lte: SAFE }), whenFalse: range({ gte: -SAFE, lte: value }) }
      if (match === 'ge') return { whenTrue: range({ gte: value, lte: SAFE }), whenFalse: range({ gte: -SAFE, lt: value }) }
      if (match === 'lt') return { whenTrue: range({ gte: -SAFE, lt: value }), whenFalse: range({ gte: value, lte: SAFE }) }
      return { whenTrue: range({ gte: -SAFE, lte: value }), whenFalse: range({ gt: value, lte: SAFE }) }
    }
    default:
      return no(`the "${String(match)}" match type`)
  }
}

/** Condition that no unit meets: the experiment's audiences can never be true. */
const nobody: Condition = { _tag: 'in', attribute: OPTIMIZELY_UNIT, values: new Set() }

/** The SDK rejects the user id "undefined" (validateInputs); touchpoint keeps such a unit out by targeting. */
const validUserId: Condition = { _tag: 'notIn', attribute: OPTIMIZELY_UNIT, values: new Set(['undefined']) }

/** An experiment's audiences as touchpoint conditions, or why they cannot be expressed exactly. */
const translateAudiences = (
  audienceConditions: unknown,
  audiences: ReadonlyMap<string, Truth>,
): E.Either<string, ReadonlyArray<Condition>> => {
  const given = audienceConditions as { readonly length?: unknown } | null | undefined
  if (!given || given.length === 0) return E.right([])
  const truth = compileTree(audienceConditions, (id) =>
    typeof id === 'string' || typeof id === 'number' ? (audiences.get(String(id)) ?? NULL_LEAF) : NULL_LEAF,
  )
  const whenTrue = truth.whenTrue
  return whenTrue._tag === 'unsupported' ? E.left(whenTrue.reason) : E.right(whenTrue._tag === 'never' ? [nobody] : whenTrue.conditions)
}

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
type Kind = 'experiment' | 'holdout' | 'delivery'

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

const contextOf = (datafile: OptimizelyDatafile): Context => {
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
const experimentOf = (ctx: Context, x: OptimizelyExperiment, path: string, kind: Kind, key: string): E.Either<Issue, Experiment> => {
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

const build = (datafile: OptimizelyDatafile, options: OptimizelyImportOptions): E.Either<TouchpointError, Assigner> => {
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

// ---------------------------------------------------------------------------------------------------------------
// Flags: the decide() waterfall over holdouts, experiment rules and delivery rules.

/**
 * One step of a flag decision: a holdout, an experiment rule or a delivery rule, as a touchpoint experiment (its
 * key is the rule's key), with the `featureEnabled` of each of its variants (by variant index).
 *
 * @category model
 * @since 0.1.0
 */
export interface OptimizelyFlagStep {
  readonly experiment: Experiment
  readonly enabled: ReadonlyArray<boolean>
  /** Rules only: local holdouts (`localHoldouts[].includedRules`) checked before the rule. */
  readonly holdouts: ReadonlyArray<OptimizelyFlagStep>
  /** Global holdouts only: a hit skips the experiment rules and falls through to the delivery rules. */
  readonly excludeTargetedDeliveries: boolean
}

/**
 * One flag's decision plan, in the SDK's order.
 *
 * @category model
 * @since 0.1.0
 */
export interface OptimizelyFlag {
  readonly key: string
  readonly holdouts: ReadonlyArray<OptimizelyFlagStep>
  readonly experimentRules: ReadonlyArray<OptimizelyFlagStep>
  readonly deliveryRules: ReadonlyArray<OptimizelyFlagStep>
}

/**
 * The flags of a datafile, ready for `decideOptimizelyFlag`.
 *
 * @category model
 * @since 0.1.0
 */
export interface OptimizelyFlags {
  readonly _tag: 'OptimizelyFlags'
  readonly revision: string | undefined
  readonly flags: ReadonlyMap<string, OptimizelyFlag>
}

/**
 * What `user.decide(flagKey)` returns, the parts that depend on bucketing.
 *
 * @category model
 * @since 0.1.0
 */
export interface OptimizelyDecision {
  readonly flagKey: string
  readonly variationKey: string | null
  readonly enabled: boolean
  readonly ruleKey: string | null
}

const flagsOf = (datafile: OptimizelyDatafile, options: OptimizelyImportOptions): E.Either<TouchpointError, OptimizelyFlags> => {
  const ctx = contextOf(datafile)
  const issues = new Map<string, Issue>()
  // A step that cannot be reproduced makes its whole flag unreproducible: dropping one rule would move users to
  // later rules. With `skip`, such flags are left out (and decide to no variation, as unknown flags do).
  let failed = false
  const stepOf = (x: OptimizelyExperiment, path: string, kind: Kind, holdouts: ReadonlyArray<OptimizelyFlagStep>, exclude: boolean): ReadonlyArray<OptimizelyFlagStep> => {
    const experiment = experimentOf(ctx, x, path, kind, x.key)
    if (E.isLeft(experiment)) {
      issues.set(experiment.left.path, experiment.left)
      failed = true
      return []
    }
    // decide reads featureEnabled from the variation object the decision names.
    const variations = [...x.variations, ...(kind === 'holdout' ? [] : (ctx.appended.get(x) ?? []))].reverse()
    const enabled = experiment.right.variants.map((k) => variations.find((v) => v.key === k)?.featureEnabled ?? false)
    return [{ experiment: experiment.right, enabled, holdouts, excludeTargetedDeliveries: exclude }]
  }
  const holdoutSteps = (hs: ReadonlyArray<{ readonly h: t.TypeOf<typeof Holdout>; readonly path: string }>) =>
    hs.flatMap(({ h, path }) => stepOf(h, path, 'holdout', [], Boolean(h.excludeTargetedDeliveries)))
  const global = holdoutSteps((datafile.holdouts ?? []).map((h, i) => ({ h, path: `holdouts[${i}]` })))
  const globalFailed = failed
  const locals = (datafile.localHoldouts ?? []).map((h, i) => ({ h, path: `localHoldouts[${i}]` })).filter(({ h }) => Array.isArray(h.includedRules) && h.includedRules.length > 0)
  const localFor = (ruleId: string) => holdoutSteps(locals.filter(({ h }) => (h.includedRules as ReadonlyArray<unknown>).includes(ruleId)))
  const flags = new Map<string, OptimizelyFlag>()
  for (const flag of datafile.featureFlags ?? []) {
    failed = globalFailed
    const experimentRules = flag.experimentIds.flatMap((id) => {
      const l = ctx.byId.get(id)
      return l === undefined ? [] : stepOf(l.x, l.path, 'experiment', localFor(l.x.id), false)
    })
    const rollout = flag.rolloutId === undefined ? undefined : ctx.rollouts.get(flag.rolloutId)
    const deliveryRules = (rollout?.experiments ?? []).flatMap((rule) => {
      const l = ctx.byId.get(rule.id)
      // The rule key reported is experimentIdMap[rule.id].key; bucketing uses the rule itself.
      return stepOf(rule, l?.path ?? '', 'delivery', localFor(rule.id), false).map((step) => ({ ...step, experiment: { ...step.experiment, key: l?.x.key ?? rule.key } }))
    })
    if (!failed) flags.set(flag.key, { key: flag.key, holdouts: global, experimentRules, deliveryRules })
  }
  return issues.size > 0 && (options.onUnsupported ?? 'fail') === 'fail'
    ? E.left(invalidInput([...issues.values()]))
    : E.right({ _tag: 'OptimizelyFlags', revision: datafile.revision, flags })
}

const decisionOf = (flagKey: string, step: OptimizelyFlagStep, a: Assignment): OptimizelyDecision | undefined =>
  a._tag === 'Enrolled' ? { flagKey, variationKey: a.variant, enabled: step.enabled[a.variantIndex] ?? false, ruleKey: step.experiment.key } : undefined

const holdoutHit = (flagKey: string, steps: ReadonlyArray<OptimizelyFlagStep>, unit: Unit): OptimizelyDecision | undefined => {
  for (const h of steps) {
    const d = decisionOf(flagKey, h, assignExperiment(unit)(h.experiment))
    if (d !== undefined) return d
  }
  return undefined
}

/**
 * The decision `optimizely.createUserContext(userId, attributes).decide(flagKey)` makes, from the flags of
 * `fromOptimizelyFlags`: global holdouts, then each experiment rule (its local holdouts, status, whitelist,
 * audiences, group, bucket), then the delivery rules (local holdouts, audiences, bucket; a user who matches a
 * rule's audiences but misses its traffic skips to the last, "Everyone Else" rule). Total: an unknown flag gives
 * no variation.
 *
 * @example
 * pipe(flags, decideOptimizelyFlag('new_checkout', { userId: 'user-42', plan: 'pro' }))
 * // => { flagKey: 'new_checkout', variationKey: 'control', enabled: false, ruleKey: 'checkout_test' }
 *
 * @category assignment
 * @since 0.1.0
 */
export const decideOptimizelyFlag =
  (flagKey: string, unit: Unit) =>
  (flags: OptimizelyFlags): OptimizelyDecision => {
    const none: OptimizelyDecision = { flagKey, variationKey: null, enabled: false, ruleKey: null }
    const flag = flags?.flags?.get(flagKey)
    if (flag === undefined) return none
    let skipExperiments = false
    for (const h of flag.holdouts) {
      const d = decisionOf(flagKey, h, assignExperiment(unit)(h.experiment))
      if (d === undefined) continue
      if (!h.excludeTargetedDeliveries) return d
      skipExperiments = true
      break
    }
    if (!skipExperiments) {
      for (const rule of flag.experimentRules) {
        const held = holdoutHit(flagKey, rule.holdouts, unit)
        if (held !== undefined) return held
        const d = decisionOf(flagKey, rule, assignExperiment(unit)(rule.experiment))
        if (d !== undefined) return d
      }
    }
    const rules = flag.deliveryRules
    for (let i = 0; i < rules.length; ) {
      const rule = rules[i]!
      const held = holdoutHit(flagKey, rule.holdouts, unit)
      if (held !== undefined) return held
      const a = assignExperiment(unit)(rule.experiment)
      const d = decisionOf(flagKey, rule, a)
      if (d !== undefined) return d
      // Audiences matched but the traffic allocation missed: straight to "Everyone Else".
      const missedTraffic = a._tag === 'NotEnrolled' && (a.reason === 'coverage' || a.reason === 'layer')
      i = missedTraffic && i < rules.length - 1 ? rules.length - 1 : i + 1
    }
    return none
  }

/**
 * Flags of an Optimizely datafile (object or JSON text) for `decideOptimizelyFlag`, reproducing SDK 6.6.1's
 * `decide` (variation key, `enabled`, rule key) including global and local holdouts. Same audience support and
 * `onUnsupported` option as `fromOptimizelyDatafile`.
 *
 * @example
 * const flags = fromOptimizelyFlags(datafile)
 * pipe(flags, E.map(decideOptimizelyFlag('new_checkout', { userId: 'user-42' })))
 * // => right({ flagKey: 'new_checkout', variationKey: 'off', enabled: false, ruleKey: 'everyone_else' })  (not in the experiment's audience)
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromOptimizelyFlags = (datafile: unknown, options: OptimizelyImportOptions = {}): E.Either<TouchpointError, OptimizelyFlags> =>
  pipe(
    parseDatafile(datafile),
    E.flatMap((d) => flagsOf(d, options)),
  )

const parseDatafile = (datafile: unknown): E.Either<TouchpointError, OptimizelyDatafile> =>
  pipe(
    // Strict JSON: a key given twice is an error naming it, its line and column (JSON.parse keeps the last).
    typeof datafile === 'string' ? parseJson(datafile) : E.right(datafile),
    E.flatMap((input) => pipe(OptimizelyDatafile.decode(input), E.mapLeft((errors) => invalidInput(issuesFromErrors(errors))))),
  )

/**
 * An `Assigner` from an Optimizely datafile (parsed JSON or its text): `assignTo(experimentKey, { userId, ...attributes })`
 * then returns what `optimizelyClient.getVariation(experimentKey, userId, attributes)` returns (`Enrolled.variant`
 * is the variation key; `NotEnrolled` where the SDK returns `null`), for every user id.
 *
 * Covered: A/B and feature-test experiments with their traffic allocation, random-policy mutual-exclusion groups
 * (gate `layer`), whitelisting (`forcedVariations`), status, audiences made of `exact`, `exists`, `gt`, `ge`, `lt`,
 * `le` conditions combined as touchpoint can express (see docs/optimizely.md), feature-rollout ("fr")
 * experiments with their injected "everyone else" variation, CMAB experiments (which getVariation never buckets).
 * Holdouts are read but not applied: the SDK applies them only in `decide` (see `fromOptimizelyFlags` for flags).
 * Not covered: the User Profile Service, `setForcedVariation`, and `$opt_bucketing_id`: the unit's `userId` is
 * hashed.
 *
 * **Gotchas**: attributes sit next to `userId` in the unit; an audience condition on an attribute named `userId`
 * is rejected. The SDK accepts the user id `""` and buckets it; touchpoint reports `missing-unit`.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as E from 'fp-ts/Either'
 * const assigner = fromOptimizelyDatafile(datafile) // datafile: the JSON Optimizely's CDN serves
 * pipe(assigner, E.map(assignTo('checkout_test', { userId: 'user-42', plan: 'pro' })))
 * // => right({ _tag: 'Enrolled', experiment: 'checkout_test', variant: 'control', bucket: 251, hashVersion: 'optimizely', … })
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromOptimizelyDatafile = (datafile: unknown, options: OptimizelyImportOptions = {}): E.Either<TouchpointError, Assigner> =>
  pipe(
    parseDatafile(datafile),
    E.flatMap((d) => build(d, options)),
  )
