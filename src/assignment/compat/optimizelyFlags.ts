/**
 * Optimizely flags: the `decide()` waterfall over global holdouts, experiment rules (with local holdouts) and
 * delivery rules, as touchpoint experiments (`decideOptimizelyFlag`).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { invalidInput, type Issue, type TouchpointError } from '../../core/errors'
import { assignExperiment } from '../assign'
import type { Assignment, Experiment, Unit } from '../model'
import { Holdout, OptimizelyDatafile, OptimizelyExperiment } from './optimizelyDatafile'
import { contextOf, experimentOf, type Kind, type OptimizelyImportOptions } from './optimizelyExperiments'

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

export const flagsOf = (datafile: OptimizelyDatafile, options: OptimizelyImportOptions): E.Either<TouchpointError, OptimizelyFlags> => {
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
