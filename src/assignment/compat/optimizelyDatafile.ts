/**
 * The Optimizely datafile codecs: only the fields that decide bucketing, targeting and flag decisions.
 *
 * @module
 */
import * as t from 'io-ts'

// ---------------------------------------------------------------------------------------------------------------
// Codecs: only the fields that decide bucketing are read; every other datafile field is left alone.

const TrafficAllocation = /* @__PURE__ */ t.type({ entityId: t.string, endOfRange: t.number }, 'a traffic allocation entry')

const VariableValue = /* @__PURE__ */ t.type({ id: t.string, value: t.string }, 'a variable value')

export const Variation = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string }), /* @__PURE__ */ t.partial({ featureEnabled: t.boolean, variables: /* @__PURE__ */ t.array(VariableValue) })],
  'a variation',
)

export const Variable = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string, type: t.string, defaultValue: t.string }), /* @__PURE__ */ t.partial({ subType: t.string })],
  'a feature variable',
)

export const OptimizelyExperiment = /* @__PURE__ */ t.intersection(
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
export type OptimizelyExperiment = t.TypeOf<typeof OptimizelyExperiment>

export const Group = /* @__PURE__ */ t.type({ id: t.string, policy: t.string, trafficAllocation: /* @__PURE__ */ t.array(TrafficAllocation), experiments: /* @__PURE__ */ t.array(OptimizelyExperiment) }, 'a group')

export const Rollout = /* @__PURE__ */ t.type({ id: t.string, experiments: /* @__PURE__ */ t.array(OptimizelyExperiment) }, 'a rollout')

export const FeatureFlag = /* @__PURE__ */ t.intersection(
  [/* @__PURE__ */ t.type({ id: t.string, key: t.string, experimentIds: /* @__PURE__ */ t.array(t.string) }), /* @__PURE__ */ t.partial({ rolloutId: t.string, variables: /* @__PURE__ */ t.array(Variable) })],
  'a feature flag',
)

const Audience = /* @__PURE__ */ t.type({ id: t.string, conditions: t.string }, 'an audience (conditions as a JSON string)')

const TypedAudience = /* @__PURE__ */ t.type({ id: t.string, conditions: t.unknown }, 'a typed audience')

export const Holdout = /* @__PURE__ */ t.intersection([OptimizelyExperiment, /* @__PURE__ */ t.partial({ includedRules: t.unknown, excludeTargetedDeliveries: t.unknown })], 'a holdout')

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
