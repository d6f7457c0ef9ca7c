/**
 * Unleash compatibility: an `Assigner` from Unleash feature toggles (the client API's `/api/client/features`
 * response) whose decisions equal unleash-client (Node) 6.x's for every unit with a string `userId` (or the
 * configured stickiness attribute):
 *
 * - `Enrolled` exactly when `unleash.isEnabled(name, context)` is true;
 * - `Enrolled.variant` is `unleash.getVariant(name, context).name`, or `"enabled"` for a toggle without variants.
 *
 * Source read (unleash-client 6.12.1): `lib/client.js` (isFeatureEnabled, resolveVariant),
 * `lib/strategy/strategy.js` (getResult: strategy variants), `lib/strategy/flexible-rollout-strategy.js`,
 * `lib/strategy/util.js` (normalizedValue), `lib/variant.js` (selectVariantDefinition, getSeed, overrides):
 *
 * ```
 * normalizedValue(id, groupId, n, seed) = murmurhash3js.x86.hash32(`${groupId}:${id}`, seed) % n + 1
 * enabled  = rollout > 0 && normalizedValue(stickinessId, groupId, 100, 0) <= rollout
 * variant  = first v (weight > 0) whose cumulative weight >= normalizedValue(stickinessId, groupId, Σweight, 86028157)
 * ```
 *
 * Mapping: a disabled toggle is `stopped`; a `flexibleRollout` strategy is a `coverage` gate (its own hash, seed
 * 0, size 100); the variants are the split (seed 86028157, size Σweight). Buckets are 0-based here: Unleash's
 * normalized value minus one.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { issuesFromErrors } from '../../core/report'
import { makeAssigner } from '../decode'
import type { Assigner, Condition, Experiment, Gate, Split } from '../model'
import { hashingOf, UNLEASH_DEFAULT_UNIT, UNLEASH_ENABLED_VARIANT, UNLEASH_HASH_VERSION, UNLEASH_STRATEGY_SEED, UNLEASH_VARIANT_SEED } from './unleashHashing'
import { Feature, payloadValue, Segment, Strategy, UnleashFeatures, valuesOf, Variant } from './unleashFeatures'
export { UNLEASH_DEFAULT_UNIT, UNLEASH_ENABLED_VARIANT, UNLEASH_HASH_VERSION, UNLEASH_STRATEGY_SEED, UNLEASH_VARIANT_SEED, unleashBucket } from './unleashHashing'
export { UnleashFeatures } from './unleashFeatures'

const stickinessProblem = (stickiness: string): string | undefined =>
  stickiness === 'random' ? 'stickiness "random" (a fresh random number per call)' : stickiness === '' ? 'an empty stickiness' : undefined

const attributeOf = (stickiness: string): string => (stickiness === 'default' ? UNLEASH_DEFAULT_UNIT : stickiness)

interface Plan {
  readonly targeting: ReadonlyArray<Condition>
  readonly gate: { readonly attribute: string; readonly groupId: string; readonly rollout: number } | undefined
  readonly variants: { readonly list: ReadonlyArray<Variant>; readonly groupId: string; readonly stickiness: string; readonly path: string } | undefined
}

/**
 * A strategy constraint as a touchpoint condition, where exact. unleash-client's `IN` (strategy.js InOperator)
 * compares `String(context[field])` with the trimmed, non-empty values; so a unit value is in when it is one of
 * those strings, or a number or boolean that prints as one. `NOT_IN` is also true when the attribute is missing,
 * which touchpoint's `notIn` is not: refused, as are the other operators.
 */
const constraintOf = (c: unknown, path: string): E.Either<Issue, Condition> => {
  if (c === null || typeof c !== 'object') return E.left(issue(path, 'a constraint object', c))
  const { contextName, operator, values, inverted } = c as Readonly<Record<string, unknown>>
  if (typeof contextName !== 'string' || contextName === '') return E.left(issue(`${path}.contextName`, 'a context field name', contextName))
  if (operator !== 'IN' && operator !== 'NOT_IN') return E.left(issue(`${path}.operator`, 'IN, or NOT_IN inverted (other operators are not translated)', operator))
  if ((operator === 'IN') === (inverted === true)) {
    return E.left(issue(`${path}.operator`, 'IN, or NOT_IN inverted (NOT_IN also holds when the attribute is missing; touchpoint notIn does not)', operator))
  }
  if (!Array.isArray(values) || values.some((v) => v && typeof v !== 'string')) return E.left(issue(`${path}.values`, 'an array of strings', values))
  const set = new Set<string | number | boolean>()
  for (const raw of values as ReadonlyArray<string>) {
    if (!raw) continue
    const v = raw.trim()
    set.add(v)
    if (v === 'true') set.add(true)
    if (v === 'false') set.add(false)
    const n = Number(v)
    if (String(n) === v) set.add(n)
  }
  return E.right({ _tag: 'in', attribute: contextName, values: set })
}

type Segments = ReadonlyMap<unknown, { readonly index: number; readonly value: t.TypeOf<typeof Segment> }>

const planOf = (f: Feature, path: string, segments: Segments): E.Either<ReadonlyArray<Issue>, Plan> => {
  const issues: Array<Issue> = []
  if ((f.dependencies ?? []).length > 0) issues.push(issue(`${path}.dependencies`, 'no parent dependencies (touchpoint assigns each toggle on its own)', f.dependencies))
  if (f.strategies.length > 1) issues.push(issue(`${path}.strategies`, 'at most one strategy (Unleash enables a toggle when any strategy does; touchpoint gates are all required)', f.strategies.map((s) => s.name)))
  const s: Strategy | undefined = f.strategies[0]
  let gate: Plan['gate']
  const targeting: Array<Condition> = []
  if (s !== undefined) {
    const sp = `${path}.strategies[0]`
    if (s.name !== 'default' && s.name !== 'flexibleRollout') issues.push(issue(`${sp}.name`, '"default" or "flexibleRollout"', s.name))
    ;(s.constraints ?? []).forEach((c, i) => {
      const translated = constraintOf(c, `${sp}.constraints[${i}]`)
      if (E.isLeft(translated)) issues.push(translated.left)
      else targeting.push(translated.right)
    })
    // client.js yieldConstraintsFor: the strategy's constraints, then each segment's; a missing segment fails.
    ;(s.segments ?? []).forEach((id, i) => {
      const segment = segments.get(id)
      if (segment === undefined) {
        issues.push(issue(`${sp}.segments[${i}]`, 'the id of a segment in "segments" (unleash-client disables the strategy otherwise)', id))
        return
      }
      ;(segment.value.constraints ?? []).forEach((c, j) => {
        const translated = constraintOf(c, `segments[${segment.index}].constraints[${j}]`)
        if (E.isLeft(translated)) issues.push(translated.left)
        else targeting.push(translated.right)
      })
    })
    const parameters = s.parameters ?? undefined
    if (s.name === 'flexibleRollout') {
      if (parameters === undefined) issues.push(issue(`${sp}.parameters`, 'parameters (unleash-client throws reading parameters.groupId)', s.parameters))
      // flexible-rollout-strategy.js: groupId || context.featureToggle (never set by the client) || ''.
      const groupId = parameters?.['groupId']
      const stickiness = parameters?.['stickiness']
      const stickinessName = stickiness === undefined || stickiness === null || stickiness === '' ? 'default' : String(stickiness)
      const why = stickinessProblem(stickinessName)
      if (why !== undefined) issues.push(issue(`${sp}.parameters.stickiness`, `a stickiness touchpoint can reproduce, not ${why}`, stickiness))
      gate = { attribute: attributeOf(stickinessName), groupId: groupId ? String(groupId) : '', rollout: Number(parameters?.['rollout']) }
    }
    const variants = s.variants ?? []
    if (variants.length > 0) {
      // strategy.js getResult: parameters.groupId (undefined prints as "undefined"), stickiness of the first variant or the strategy.
      if (parameters === undefined && s.name !== 'flexibleRollout') issues.push(issue(`${sp}.parameters`, 'parameters (unleash-client throws reading parameters.groupId)', s.parameters))
      const stickiness = variants[0]!.stickiness || parameters?.['stickiness']
      return issues.length > 0
        ? E.left(issues)
        : E.right({ gate, targeting, variants: { list: variants, groupId: String(parameters?.['groupId']), stickiness: stickiness === undefined || stickiness === null ? 'default' : String(stickiness), path: `${sp}.variants` } })
    }
  }
  const variants = f.variants ?? []
  if (issues.length > 0) return E.left(issues)
  if (variants.length === 0) return E.right({ gate, targeting, variants: undefined })
  // variant.js selectVariant: `variants[0].stickiness ?? undefined`, then getSeed's default 'default'.
  const stickiness = variants[0]!.stickiness
  return E.right({ gate, targeting, variants: { list: variants, groupId: f.name, stickiness: stickiness === undefined || stickiness === null ? 'default' : stickiness, path: `${path}.variants` } })
}

const trivialSplit = (name: string): Split => ({
  hashing: { seed: `unleash/none/${name}`, size: 1, bucket: () => 0 },
  variantAt: () => 0,
})

const toExperiment = (f: Feature, path: string, segments: Segments): E.Either<ReadonlyArray<Issue>, Experiment> =>
  pipe(
    planOf(f, path, segments),
    E.flatMap((plan) => {
      const issues: Array<Issue> = []
      const v = plan.variants
      const unit = v === undefined ? (plan.gate?.attribute ?? UNLEASH_DEFAULT_UNIT) : attributeOf(v.stickiness)
      if (v !== undefined) {
        const why = stickinessProblem(v.stickiness)
        if (why !== undefined) issues.push(issue(`${v.path}[0].stickiness`, `a stickiness touchpoint can reproduce, not ${why}`, v.stickiness))
        v.list.forEach((x, i) => {
          if (!Number.isInteger(x.weight) || x.weight < 0) issues.push(issue(`${v.path}[${i}].weight`, 'a non-negative integer weight', x.weight))
          // A typed payload that does not parse would leave the experiment without values without a word.
          const p = x.payload as { readonly type?: unknown; readonly value?: unknown } | null | undefined
          if (p !== null && typeof p === 'object' && (p.type === 'json' || p.type === 'number') && payloadValue(p) === undefined) {
            issues.push(issue(`${v.path}[${i}].payload.value`, p.type === 'json' ? 'JSON text, each key once (the payload is of type json)' : 'a number (the payload is of type number)', p.value))
          }
        })
      }
      const total = v === undefined ? 0 : v.list.reduce((s, x) => s + x.weight, 0)
      if (v !== undefined && issues.length === 0 && !(total > 0)) issues.push(issue(v.path, 'variants whose weights sum to more than 0', v.list.map((x) => x.weight)))
      // Overrides apply only once the toggle is enabled; touchpoint applies them first, so only where nothing else can keep a unit out.
      const overrides = new Map<string, number>()
      v?.list.forEach((x, i) => {
        ;(x.overrides ?? []).forEach((o, j) => {
          const at = `${v.path}[${i}].overrides[${j}]`
          if (o.contextName !== unit) issues.push(issue(`${at}.contextName`, `the variants' stickiness attribute "${unit}" (touchpoint overrides are keyed by the unit id)`, o.contextName))
          else if (!f.enabled || plan.gate !== undefined || plan.targeting.length > 0) {
            issues.push(issue(at, 'no override on a disabled, constrained or rolled-out toggle (Unleash checks those first; touchpoint, the override)', o))
          }
          // findOverride: the first variant listing the value wins; values compare as strings.
          else for (const value of o.values) if (typeof value === 'string' && !overrides.has(value)) overrides.set(value, i)
        })
      })
      if (issues.length > 0) return E.left(issues)
      const gates: Array<Gate> = []
      if (plan.gate !== undefined) {
        const { rollout, groupId, attribute } = plan.gate
        gates.push({
          reason: 'coverage',
          attribute: attribute === unit ? undefined : attribute,
          // No stickiness value: flexibleRollout returns false.
          required: true,
          hashing: hashingOf(groupId, 100, UNLEASH_STRATEGY_SEED),
          admits: (b) => rollout > 0 && b + 1 <= rollout,
        })
      }
      const list = v?.list ?? [{ name: UNLEASH_ENABLED_VARIANT, weight: 1 }]
      const weights = list.map((x) => x.weight)
      const cumulative = new Float64Array(weights.length)
      for (let i = 0, sum = 0; i < weights.length; i++) cumulative[i] = sum += weights[i]!
      const split: Split =
        v === undefined
          ? trivialSplit(f.name)
          : {
              hashing: hashingOf(v.groupId, total, UNLEASH_VARIANT_SEED),
              variantAt: (bucket) => {
                const target = bucket + 1
                for (let i = 0; i < cumulative.length; i++) if (weights[i]! > 0 && cumulative[i]! >= target) return i
                return -1
              },
            }
      const rollout = plan.gate === undefined ? 1 : Math.min(1, Math.max(0, Math.floor(plan.gate.rollout) / 100))
      return E.right({
        key: f.name,
        status: f.enabled ? 'running' : 'stopped',
        unit,
        variants: list.map((x) => x.name),
        ...(valuesOf(v?.list) ?? { values: undefined, valueType: undefined }),
        weights: weights.map((w) => w / (v === undefined ? 1 : total)),
        coverage: Number.isNaN(rollout) ? 0 : rollout,
        hashVersion: UNLEASH_HASH_VERSION,
        layer: undefined,
        bucketVersion: 0,
        targeting: plan.targeting,
        overrides,
        gates,
        split,
      } satisfies Experiment)
    }),
  )

/**
 * An `Assigner` from Unleash feature toggles: `assignTo(featureName, { userId, ...context })` is `Enrolled`
 * exactly when unleash-client's `isEnabled(featureName, context)` is true, with `variant` the name
 * `getVariant(featureName, context)` returns (`"enabled"` for a toggle without variants).
 *
 * Covered: enabled/disabled toggles with no strategy, one `default` strategy or one `flexibleRollout` strategy
 * (rollout %, `stickiness`, `groupId`) with `IN` constraints, feature variants and strategy variants (weights, stickiness, overrides on
 * the stickiness attribute of a toggle nothing else gates). Not covered (rejected with a path-named issue):
 * several strategies, other strategies, constraints other than `IN` (or inverted `NOT_IN`), in the strategy or
 * its segments, dependencies, `random` stickiness. Constraints become targeting conditions.
 *
 * **Gotchas**: the unit is flat (`context.properties.x` goes in as `x`). The `default` stickiness reads `userId`;
 * unleash-client falls back to `sessionId`, `remoteAddress`, then a random number, which touchpoint reports as
 * `missing-unit`. unleash-client (Node) hashes the low byte of each UTF-16 unit, so `"ø"` and `"ĸ"` collide; this
 * mode reproduces that, and other Unleash SDKs (UTF-8) differ from it for non-ASCII ids.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as E from 'fp-ts/Either'
 * const assigner = fromUnleashFeatures({ version: 2, features: [{ name: 'checkout', enabled: true,
 *   strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default', groupId: 'checkout' } }],
 *   variants: [{ name: 'blue', weight: 500 }, { name: 'green', weight: 500 }] }] })
 * pipe(assigner, E.map(assignTo('checkout', { userId: 'user-42' })))
 * // => right({ _tag: 'Enrolled', variant: 'green', hashVersion: 'unleash', ... })
 * // (a user beyond the 50% rollout: right({ _tag: 'NotEnrolled', reason: 'coverage', ... }))
 *
 * @category decoding
 * @since 0.1.0
 */
export const fromUnleashFeatures = (features: unknown): E.Either<TouchpointError, Assigner> =>
  pipe(
    UnleashFeatures.decode(features),
    E.mapLeft((errors) => invalidInput(issuesFromErrors(errors))),
    E.flatMap((input) => {
      const list = Array.isArray(input) ? input : input.features
      // repository getSegment(id): segments by id, last one wins.
      const segments: Segments = new Map((Array.isArray(input) ? [] : (input.segments ?? [])).map((value, index) => [value.id, { index, value }] as const))
      const prefix = Array.isArray(input) ? '' : 'features'
      const issues: Array<Issue> = []
      const experiments: Array<Experiment> = []
      const seen = new Map<string, number>()
      list.forEach((f, i) => {
        const path = `${prefix}[${i}]`
        const first = seen.get(f.name)
        if (first !== undefined) issues.push(issue(`${path}.name`, `a toggle name not already used by ${prefix}[${first}]`, f.name))
        else seen.set(f.name, i)
        const x = toExperiment(f, path, segments)
        if (E.isLeft(x)) issues.push(...x.left)
        else experiments.push(x.right)
      })
      return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(makeAssigner(experiments))
    }),
  )
