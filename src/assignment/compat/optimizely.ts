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
 * `decideOptimizelyFlag` (optimizelyFlags.ts). The parts: optimizelyHash (bucketing), optimizelyDatafile (codecs),
 * optimizelyAudiences (condition trees), optimizelyExperiments (mapping to touchpoint experiments).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, type TouchpointError } from '../../core/errors'
import { parseJson } from '../../core/json'
import { issuesFromErrors } from '../../core/report'
import type { Assigner } from '../model'
import { OptimizelyDatafile } from './optimizelyDatafile'
import { build, type OptimizelyImportOptions } from './optimizelyExperiments'
import { flagsOf, type OptimizelyFlags } from './optimizelyFlags'
export { OPTIMIZELY_BUCKETS, OPTIMIZELY_HASH_VERSION, OPTIMIZELY_UNIT, optimizelyBucket } from './optimizelyHash'
export { OptimizelyDatafile } from './optimizelyDatafile'
export { type OptimizelyImportOptions } from './optimizelyExperiments'
export { decideOptimizelyFlag, type OptimizelyDecision, type OptimizelyFlag, type OptimizelyFlags, type OptimizelyFlagStep } from './optimizelyFlags'

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
