import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import murmurhash from 'murmurhash'
import { createInstance, createStaticProjectConfigManager, OptimizelyDecideOption } from '@optimizely/optimizely-sdk'
import { assignTo } from '../../../src/assignment/assign'
import { experimentHandle } from '../../../src/assignment/handle'
import { previewChange } from '../../../src/assignment/preview'
import type { Assigner, Unit } from '../../../src/assignment/model'
import type { Issue, TouchpointError } from '../../../src/core/errors'
import { decideOptimizelyFlag, fromOptimizelyDatafile, fromOptimizelyFlags, optimizelyBucket } from '../../../src/assignment/compat/optimizely'
import { arbUnitId } from '../../_arbitraries'

// ---------------------------------------------------------------------------------------------------------------
// Random datafiles, in the shape Optimizely's CDN serves (v4), restricted to what the importer must reproduce.

type Json = unknown

const leafOn = (name: string, match: string | undefined, value: Json): Json => ({ type: 'custom_attribute', name, ...(match === undefined ? {} : { match }), value })

const arbExactPlan = fc.constantFrom('pro', 'free', '', 'Zoë').map((v) => leafOn('plan', 'exact', v))
const arbNegatable = fc.oneof(
  fc.tuple(fc.constantFrom('gt', 'ge', 'lt', 'le'), fc.oneof(fc.integer({ min: -5, max: 80 }), fc.double({ min: -5, max: 80, noNaN: true }), fc.constant(2 ** 60), fc.constant('30'))).map(([m, v]) => leafOn('age', m, v)),
  fc.boolean().map((v) => leafOn('beta', 'exact', v)),
  fc.constant(leafOn('age', 'no_such_match', 1)),
  fc.constant({ type: 'no_such_type', name: 'plan', value: 'pro' }),
)
const arbLeaf = fc.oneof(
  arbExactPlan,
  fc.constantFrom('pro', 'free').map((v) => leafOn('plan', undefined, v)),
  fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constant(2 ** 60), fc.constant(1.5)).map((v) => leafOn('age', 'exact', v)),
  fc.constantFrom('plan', 'age', 'beta', 'missing').map((name) => ({ type: 'custom_attribute', name, match: 'exists' })),
  arbNegatable,
)
/** Audience condition trees touchpoint can express exactly (others are checked to be rejected, below). */
const arbAudienceConditions: fc.Arbitrary<Json> = fc.oneof(
  fc.array(fc.oneof(arbLeaf, arbLeaf.map((l) => ['or', l]), arbNegatable.map((l) => ['not', l])), { maxLength: 3 }).map((xs) => ['and', ['or', ['and', ...xs]]]),
  fc.array(arbExactPlan, { minLength: 1, maxLength: 3 }).map((xs) => ['and', ['or', ['or', ...xs]]]),
  arbNegatable.map((l) => ['not', l]),
  arbLeaf,
)

interface Spec {
  readonly key: string
  readonly status: string
  readonly variations: number
  readonly ends: ReadonlyArray<number>
  readonly entities: ReadonlyArray<number>
  readonly forced: ReadonlyArray<readonly [string, number]>
  readonly audiences: ReadonlyArray<number>
  readonly conditionsForm: 'ids' | 'and' | 'implicit-or' | 'none'
  readonly cmab: boolean
  readonly idNoise: string
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  // Mostly distinct keys (derived from the id); sometimes colliding ones, which the SDK resolves last-wins.
  key: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 3 }) }),
  status: fc.constantFrom('Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Paused', 'Not started', 'Archived'),
  variations: fc.integer({ min: 1, max: 4 }),
  ends: fc
    .tuple(fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([xs, full]) => [...xs, ...(full ? [10000] : [])].sort((a, b) => a - b)),
  // -1: "" (unallocated), -2: an id no variation has, else a variation index.
  entities: fc.array(fc.integer({ min: -2, max: 3 }), { minLength: 5, maxLength: 5 }),
  // (entities[i] picks the entity of the i-th range: "" (-1), an unknown id (-2) or a variation.)
  forced: fc.array(fc.tuple(fc.constantFrom('alice', 'bob', 'undefined', 'Zoë'), fc.integer({ min: -1, max: 3 })), { maxLength: 3 }),
  audiences: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }),
  conditionsForm: fc.constantFrom('ids', 'and', 'implicit-or', 'none'),
  cmab: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  idNoise: fc.oneof(fc.constant(''), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })),
})

const experimentOf = (s: Spec, id: string, type?: string): Record<string, Json> => {
  const variations = Array.from({ length: s.variations }, (_, j) => ({ id: `${id}.v${j}`, key: `var${j}`, featureEnabled: j > 0, variables: [] }))
  const entityId = (e: number) => (e === -1 ? '' : e === -2 ? `${id}.nope` : `${id}.v${e % s.variations}`)
  const forcedVariations = Object.fromEntries(s.forced.map(([user, v]) => [user, v < 0 ? 'no-such-variation' : `var${v % s.variations}`]))
  // Audience ids: 0..3 are defined below, 4 is not (an unknown audience evaluates to null).
  const ids = s.audiences.map((a) => `aud${a}`)
  const audience =
    s.conditionsForm === 'none' || ids.length === 0
      ? { audienceIds: [] }
      : s.conditionsForm === 'ids'
        ? { audienceIds: ids.slice(0, 1) }
        : s.conditionsForm === 'and'
          ? { audienceIds: ids, audienceConditions: ['and', ...ids] }
          : { audienceIds: ids, audienceConditions: ids.slice(0, 1) }
  return {
    id,
    key: s.key === '' ? `key ${id}` : s.key,
    status: s.status,
    layerId: `layer-${id}`,
    ...audience,
    forcedVariations,
    variations,
    trafficAllocation: s.ends.map((endOfRange, i) => ({ entityId: entityId(s.entities[i]!), endOfRange })),
    ...(type === undefined ? {} : { type }),
  }
}

interface DatafileSpec {
  readonly experiments: ReadonlyArray<Spec>
  readonly group: { readonly experiments: ReadonlyArray<Spec>; readonly random: boolean; readonly ends: ReadonlyArray<number>; readonly picks: ReadonlyArray<number> } | undefined
  readonly audiences: ReadonlyArray<Json>
  readonly typed: ReadonlyArray<boolean>
  readonly flag: { readonly rules: ReadonlyArray<Spec>; readonly fr: boolean } | undefined
  readonly holdout: Spec | undefined
}

const arbDatafileSpec: fc.Arbitrary<DatafileSpec> = fc.record({
  experiments: fc.array(arbSpec, { minLength: 1, maxLength: 4 }),
  group: fc.option(
    fc.record({
      experiments: fc.array(arbSpec, { minLength: 1, maxLength: 3 }),
      random: fc.boolean(),
      ends: fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 4 }).map((xs) => [...xs].sort((a, b) => a - b)),
      picks: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: 4, maxLength: 4 }),
    }),
    { nil: undefined },
  ),
  audiences: fc.array(arbAudienceConditions, { minLength: 4, maxLength: 4 }),
  typed: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  flag: fc.option(fc.record({ rules: fc.array(arbSpec, { minLength: 1, maxLength: 2 }), fr: fc.boolean() }), { nil: undefined }),
  holdout: fc.option(arbSpec, { nil: undefined }),
})

const datafileOf = (d: DatafileSpec): Record<string, Json> => {
  const experiments = d.experiments.map((s, i) => experimentOf(s, `${s.idNoise}#${i}`, d.flag?.fr === true && i === 0 ? 'fr' : undefined))
  if (d.experiments[0]?.cmab === true) experiments[0]!['cmab'] = { attributeIds: [], trafficAllocation: 5000 }
  const groupExperiments = d.group?.experiments.map((s, i) => experimentOf(s, `g${s.idNoise}#${i}`)) ?? []
  const rules = d.flag?.rules.map((s, i) => experimentOf({ ...s, status: 'Running' }, `r#${i}`)) ?? []
  return {
    version: '4',
    revision: '42',
    projectId: 'p',
    accountId: 'a',
    anonymizeIP: true,
    botFiltering: false,
    attributes: [],
    events: [],
    integrations: [],
    audiences: d.audiences.map((conditions, i) => ({ id: `aud${i}`, name: `a${i}`, conditions: JSON.stringify(d.typed[i] ? '["or"]' : conditions) })),
    typedAudiences: d.audiences.flatMap((conditions, i) => (d.typed[i] ? [{ id: `aud${i}`, name: `a${i}`, conditions }] : [])),
    experiments,
    groups:
      d.group === undefined
        ? []
        : [
            {
              id: 'group#1',
              policy: d.group.random ? 'random' : 'overlapping',
              trafficAllocation: d.group.ends.map((endOfRange, i) => {
                const pick = d.group!.picks[i]!
                return { entityId: pick < 0 ? '' : (groupExperiments[pick % groupExperiments.length]!['id'] as string), endOfRange }
              }),
              experiments: groupExperiments,
            },
          ],
    rollouts: d.flag === undefined ? [] : [{ id: 'rollout#1', experiments: rules }],
    featureFlags: d.flag === undefined ? [] : [{ id: 'flag#1', key: 'flag', rolloutId: 'rollout#1', experimentIds: [experiments[0]!['id']], variables: [] }],
    holdouts: d.holdout === undefined ? [] : [{ ...experimentOf({ ...d.holdout, status: 'Running' }, 'holdout#1'), audienceIds: [] }],
  }
}

const arbAttributes: fc.Arbitrary<Record<string, Json>> = fc.record(
  {
    plan: fc.oneof(fc.constantFrom('pro', 'free', '', 'Zoë', null), fc.constant(1), fc.constant(true)),
    age: fc.oneof(fc.integer({ min: -10, max: 90 }), fc.double({ min: -10, max: 90, noNaN: true }), fc.constantFrom(2 ** 60, -(2 ** 60), '30', null, 1.5)),
    beta: fc.oneof(fc.boolean(), fc.constant('true')),
  },
  { requiredKeys: [] },
)

const arbUsers = fc.array(fc.tuple(fc.oneof(arbUnitId, fc.constantFrom('alice', 'bob', 'Zoë', 'undefined')), arbAttributes), { minLength: 40, maxLength: 60 })

const keysOf = (datafile: Record<string, Json>): ReadonlyArray<string> => {
  const xs = [
    ...(datafile['experiments'] as ReadonlyArray<{ key: string }>),
    ...(datafile['groups'] as ReadonlyArray<{ experiments: ReadonlyArray<{ key: string }> }>).flatMap((g) => g.experiments),
    ...(datafile['rollouts'] as ReadonlyArray<{ experiments: ReadonlyArray<{ key: string }> }>).flatMap((r) => r.experiments),
  ]
  return [...new Set([...xs.map((x) => x.key), 'no-such-experiment'])]
}

const ours = (assigner: Assigner, key: string, userId: string, attributes: Record<string, Json>): string | null => {
  const a = assignTo(key, { ...(attributes as Unit), userId })(assigner)
  return a._tag === 'Enrolled' ? a.variant : null
}

const rightOf = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

// ---------------------------------------------------------------------------------------------------------------

describe('fromOptimizelyDatafile against @optimizely/optimizely-sdk 6.6.1', () => {
  test.prop([arbDatafileSpec, arbUsers], { numRuns: 150 })(
    'getVariation and activate return our variant for every user, experiment and random datafile',
    (spec, users) => {
      const datafile = datafileOf(spec)
      const assigner = rightOf(fromOptimizelyDatafile(datafile))
      const client = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }) })
      try {
        const keys = keysOf(datafile)
        for (const [userId, attributes] of users) {
          for (const key of keys) {
            expect({ key, userId, attributes, variant: ours(assigner, key, userId, attributes) }).toEqual({
              key,
              userId,
              attributes,
              variant: client.getVariation(key, userId, attributes as never),
            })
          }
          const first = keys[0]!
          expect(ours(assigner, first, userId, attributes)).toBe(client.activate(first, userId, attributes as never))
        }
      } finally {
        client.close()
      }
    },
  )

  // Whitelists, audiences, groups, stopped experiments and traffic gaps: every way in and out of a handle's
  // general path.
  test.prop([arbDatafileSpec, fc.array(arbUnitId, { minLength: 40, maxLength: 40 })], { numRuns: 30 })(
    'experiment handles (variantIndex and assign) agree with assignTo on every imported experiment',
    (spec, ids) => {
      const assigner = rightOf(fromOptimizelyDatafile(datafileOf(spec)))
      for (const x of assigner.experiments) {
        const h = experimentHandle(x.key)(assigner)
        if (h._tag === 'None') throw new Error(`no handle for ${x.key}`)
        for (const userId of ids) {
          const a = assignTo(x.key, { userId })(assigner)
          expect(h.value.assign({ userId })).toEqual(a)
          expect(h.value.variantIndex({ userId })).toBe(a._tag === 'Enrolled' ? a.variantIndex : -1)
        }
      }
    },
  )

  test.prop([fc.array(arbUnitId, { minLength: 200, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 12 })])(
    'the bucket equals the SDK bucketer formula floor(murmurhash.v3(id + experimentId, 1) / 2^32 * 10000)',
    (ids, experimentId) => {
      const bucket = optimizelyBucket(experimentId)
      for (const id of ids) expect(bucket(id)).toBe(Math.floor((murmurhash.v3(id + experimentId, 1) / 4294967296) * 10000))
    },
  )

  test.prop([arbDatafileSpec, fc.array(arbUnitId, { minLength: 50, maxLength: 50 })], { numRuns: 30 })(
    'units without a usable userId are never enrolled, and enrolled units get one of the variation keys',
    (spec, ids) => {
      const datafile = datafileOf(spec)
      const assigner = rightOf(fromOptimizelyDatafile(datafile))
      for (const x of assigner.experiments) {
        expect(assignTo(x.key, {})(assigner)).toMatchObject({ _tag: 'NotEnrolled', reason: 'missing-unit' })
        for (const id of ids) {
          const a = assignTo(x.key, { userId: id })(assigner)
          if (a._tag === 'Enrolled') {
            expect(x.variants).toContain(a.variant)
            expect(a.hashVersion).toBe('optimizely')
          }
        }
      }
    },
  )
})

describe('previewChange over Optimizely datafiles', () => {
  const twoWay = (end: number) =>
    minimal({
      variations: [{ id: '10', key: 'a' }, { id: '11', key: 'b' }],
      trafficAllocation: [{ entityId: '10', endOfRange: end }, { entityId: '11', endOfRange: 10000 }],
    })

  test.prop([fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 10000 }), fc.uniqueArray(arbUnitId, { minLength: 2000, maxLength: 2000 })], { numRuns: 15 })(
    'moving a boundary switches exactly |Δ|/10000 of users, as two SDK clients observe (within 5 binomial SDs)',
    (from, to, ids) => {
      const [before, after] = [twoWay(from), twoWay(to)]
      const [preview] = previewChange(rightOf(fromOptimizelyDatafile(before)))(rightOf(fromOptimizelyDatafile(after)))
      expect(preview!.switched).toBeCloseTo(Math.abs(from - to) / 10000, 12)
      const clients = [before, after].map((d) => createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(d) }) }))
      try {
        const moved = ids.filter((id) => clients[0]!.getVariation('e', id) !== clients[1]!.getVariation('e', id)).length / ids.length
        const p = preview!.switched
        expect(Math.abs(moved - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / ids.length) + 1e-9)
      } finally {
        clients.forEach((c) => c.close())
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Flags: decide() with experiment rules, delivery rules ("Everyone Else"), global and local holdouts.

interface FlagsSpec {
  readonly flags: ReadonlyArray<{ readonly experiments: ReadonlyArray<number>; readonly rules: ReadonlyArray<Spec> }>
  readonly holdouts: ReadonlyArray<readonly [Spec, boolean]>
  readonly locals: ReadonlyArray<readonly [Spec, ReadonlyArray<number>]>
}

const arbFlagsSpec: fc.Arbitrary<FlagsSpec> = fc.record({
  flags: fc.array(fc.record({ experiments: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), rules: fc.array(arbSpec, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
  holdouts: fc.array(fc.tuple(arbSpec, fc.boolean()), { maxLength: 2 }),
  locals: fc.array(fc.tuple(arbSpec, fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 2 })), { maxLength: 2 }),
})

const withFlags = (datafile: Record<string, Json>, spec: FlagsSpec): Record<string, Json> => {
  const experimentIds = (datafile['experiments'] as ReadonlyArray<{ id: string }>).map((x) => x.id)
  const rollouts = spec.flags.map((f, fi) => ({ id: `rollout-${fi}`, experiments: f.rules.map((r, i) => experimentOf(r, `r${fi}#${i}`)) }))
  const ruleIds = [...experimentIds, ...rollouts.flatMap((r) => r.experiments.map((x) => x['id'] as string))]
  const featureFlags = spec.flags.map((f, fi) => ({
    id: `flag-${fi}`,
    key: `flag${fi}`,
    rolloutId: `rollout-${fi}`,
    experimentIds: [...new Set(f.experiments.flatMap((i) => (i < experimentIds.length ? [experimentIds[i]!] : [])))],
    variables: [],
  }))
  return {
    ...datafile,
    rollouts: [...(datafile['rollouts'] as ReadonlyArray<Json>), ...rollouts],
    featureFlags: [...(datafile['featureFlags'] as ReadonlyArray<Json>), ...featureFlags],
    holdouts: spec.holdouts.map(([h, exclude], i) => ({ ...experimentOf(h, `holdout-${i}`), excludeTargetedDeliveries: exclude })),
    localHoldouts: spec.locals.map(([h, targets], i) => ({ ...experimentOf(h, `local-${i}`), includedRules: targets.flatMap((t) => (t < ruleIds.length ? [ruleIds[t]!] : [])) })),
  }
}

describe('fromOptimizelyFlags against the SDK decide()', () => {
  it('checks an experiment rule status through its key, which a rollout rule can shadow (shrunk from a fuzz failure)', () => {
    const experiment = { id: 'e1', key: 'same', status: 'Running', audienceIds: [], forcedVariations: {}, variations: [{ id: 'v1', key: 'on', featureEnabled: true }], trafficAllocation: [{ entityId: 'v1', endOfRange: 10000 }] }
    const rule = { ...experiment, id: 'r1', status: 'Not started', variations: [{ id: 'v2', key: 'off', featureEnabled: false }], trafficAllocation: [{ entityId: 'v2', endOfRange: 10000 }] }
    const datafile = {
      version: '4', revision: '1', experiments: [experiment], attributes: [], events: [], audiences: [], groups: [],
      rollouts: [{ id: 'ro', experiments: [rule] }],
      featureFlags: [{ id: 'f', key: 'flag', experimentIds: ['e1'], rolloutId: 'ro', variables: [] }],
    }
    const client = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }) })
    try {
      const flags = rightOf(fromOptimizelyFlags(datafile))
      for (const userId of ['alice', 'bob', 'Zoë']) {
        const sdk = client.createUserContext(userId)!.decide('flag', [OptimizelyDecideOption.DISABLE_DECISION_EVENT])
        expect(decideOptimizelyFlag('flag', { userId })(flags)).toEqual({ flagKey: 'flag', variationKey: sdk.variationKey, enabled: sdk.enabled, ruleKey: sdk.ruleKey })
        expect(sdk.ruleKey).toBe('same') // the delivery rule, reported under the shared key, not the experiment
        expect(sdk.variationKey).toBe('off')
      }
    } finally {
      client.close()
    }
  })

  test.prop([arbDatafileSpec, arbFlagsSpec, arbUsers], { numRuns: 120 })(
    'variation key, enabled and rule key equal user.decide(flag) for every user and flag',
    (spec, flagsSpec, users) => {
      const datafile = withFlags(datafileOf(spec), flagsSpec)
      const flags = rightOf(fromOptimizelyFlags(datafile))
      const client = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }) })
      try {
        const flagKeys = [...(datafile['featureFlags'] as ReadonlyArray<{ key: string }>).map((f) => f.key), 'no-such-flag']
        for (const [userId, attributes] of users) {
          // The SDK throws "Invalid identifier" for the user id "undefined": no decision at all.
          const user = (() => {
            try {
              return client.createUserContext(userId, attributes as never)
            } catch {
              return null
            }
          })()
          for (const flagKey of flagKeys) {
            const sdk = user?.decide(flagKey, [OptimizelyDecideOption.DISABLE_DECISION_EVENT])
            const expected = sdk === undefined ? { flagKey, variationKey: null, enabled: false, ruleKey: null } : { flagKey: sdk.flagKey, variationKey: sdk.variationKey, enabled: sdk.enabled, ruleKey: sdk.ruleKey }
            expect({ userId, attributes, decision: decideOptimizelyFlag(flagKey, { ...(attributes as Unit), userId })(flags) }).toEqual({ userId, attributes, decision: expected })
          }
        }
      } finally {
        client.close()
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------

const minimal = (experiment: Record<string, Json>, extra: Record<string, Json> = {}): Record<string, Json> => ({
  version: '4',
  revision: '1',
  experiments: [{ id: '1', key: 'e', status: 'Running', variations: [{ id: '10', key: 'a' }], trafficAllocation: [{ entityId: '10', endOfRange: 10000 }], ...experiment }],
  ...extra,
})

const issuesOf = (e: E.Either<TouchpointError, unknown>): ReadonlyArray<Issue> => {
  if (E.isRight(e) || e.left._tag !== 'InvalidInput') throw new Error('expected Left(InvalidInput)')
  return e.left.issues
}

describe('fromOptimizelyDatafile errors', () => {
  test.prop([fc.anything()])('any input gives Right or Left, never a throw', (input) => {
    expect(() => fromOptimizelyDatafile(input)).not.toThrow()
    expect(() => fromOptimizelyFlags(input)).not.toThrow()
  })

  /** A random datafile with one value replaced, anywhere, by arbitrary JSON. */
  const arbMutated = fc.tuple(arbDatafileSpec, arbFlagsSpec, fc.jsonValue(), fc.nat()).map(([spec, flagsSpec, junk, pick]) => {
    const datafile = JSON.parse(JSON.stringify(withFlags(datafileOf(spec), flagsSpec))) as Record<string, Json>
    const slots: Array<[Record<string, Json> | Array<Json>, string | number]> = []
    const walk = (node: Json) => {
      if (Array.isArray(node)) node.forEach((v, i) => (slots.push([node, i]), walk(v)))
      else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) (slots.push([node as Record<string, Json>, k]), walk(v))
    }
    walk(datafile)
    const [parent, key] = slots[pick % slots.length]!
    ;(parent as Record<string | number, Json>)[key] = junk
    return datafile
  })

  it('a json variable whose value does not parse is an issue naming the variation, the variable and the text, not values dropped', () => {
    const datafile = minimal(
      { variations: [{ id: '10', key: 'a', featureEnabled: true, variables: [{ id: 'v1', value: '{"x": 1' }] }] },
      { featureFlags: [{ id: 'f', key: 'flag', experimentIds: ['1'], rolloutId: '', variables: [{ id: 'v1', key: 'config', type: 'json', defaultValue: '{}' }] }] },
    )
    expect(issuesOf(fromOptimizelyDatafile(datafile))).toEqual([
      { path: 'experiments[0].variations[0].variables', expected: 'a value of type json for the variable "config" (the text does not parse as one)', actual: '{"x": 1' },
    ])
  })

  it.each([
    ['integer', undefined, 'abc'],
    ['double', undefined, 'x1'],
    ['boolean', undefined, 'yes'],
    ['string', 'json', '{"x": 1'],
    ['json', undefined, '{"a": 1, "a": 2}'],
  ])('a %s variable whose defaultValue does not parse is an issue naming the flag, the variable, the text and the type, not values dropped', (type, subType, text) => {
    const variable = { id: 'v1', key: 'config', type, defaultValue: text, ...(subType === undefined ? {} : { subType }) }
    // Two experiments of one flag: the variation without featureEnabled serves the default; one issue, not two.
    const datafile = minimal(
      { variations: [{ id: '10', key: 'a', featureEnabled: false }] },
      {
        featureFlags: [
          { id: 'g', key: 'other', experimentIds: [], rolloutId: '' },
          { id: 'f', key: 'flag', experimentIds: ['1', '2'], rolloutId: '', variables: [{ id: 'v0', key: 'fine', type: 'integer', defaultValue: '3' }, variable] },
        ],
      },
    )
    ;(datafile['experiments'] as Array<Json>).push({ id: '2', key: 'e2', status: 'Running', variations: [{ id: '20', key: 'b' }], trafficAllocation: [{ entityId: '20', endOfRange: 10000 }] })
    const expected = [
      {
        path: 'featureFlags[1].variables[1].defaultValue',
        expected: `a value of type ${subType ?? type} for the variable "config" of the flag "flag" (the text does not parse as one)`,
        actual: text,
      },
    ]
    expect(issuesOf(fromOptimizelyDatafile(datafile))).toEqual(expected)
    expect(issuesOf(fromOptimizelyFlags(datafile))).toEqual(expected)
  })

  test.prop([arbMutated], { numRuns: 300 })('a datafile with any one value replaced by any JSON gives Right or Left, never a throw', (datafile) => {
    const experiments = fromOptimizelyDatafile(datafile)
    const flags = fromOptimizelyFlags(datafile)
    if (E.isRight(experiments)) for (const x of experiments.right.experiments) assignTo(x.key, { userId: 'u', plan: 'pro' })(experiments.right)
    if (E.isRight(flags)) for (const key of flags.right.flags.keys()) decideOptimizelyFlag(key, { userId: 'u' })(flags.right)
  })

  it('names the path of a malformed field', () => {
    const issues = issuesOf(fromOptimizelyDatafile(minimal({ trafficAllocation: [{ entityId: '10', endOfRange: '10000' }] })))
    expect(issues).toEqual([expect.objectContaining({ path: 'experiments[0].trafficAllocation[0].endOfRange', actual: '10000' })])
  })

  it('rejects an unsupported datafile version and non-objects', () => {
    expect(issuesOf(fromOptimizelyDatafile({ version: '5', revision: '1', experiments: [] }))[0]).toMatchObject({ path: 'version', actual: '5' })
    expect(issuesOf(fromOptimizelyDatafile({ version: '4', experiments: [] }))[0]).toMatchObject({ path: 'revision', actual: undefined })
    expect(E.isLeft(fromOptimizelyDatafile(42))).toBe(true)
    expect(E.isLeft(fromOptimizelyDatafile('{not json'))).toBe(true)
  })

  it('rejects an experiment naming a group the datafile lacks (the SDK throws INVALID_GROUP_ID)', () => {
    expect(issuesOf(fromOptimizelyDatafile(minimal({ groupId: 'g9' })))[0]).toMatchObject({ path: 'experiments[0].groupId', actual: 'g9' })
  })

  it('applies a groupId written on a top-level experiment, as the SDK does', () => {
    const datafile = minimal(
      { groupId: 'g1' },
      { groups: [{ id: 'g1', policy: 'random', trafficAllocation: [{ entityId: '1', endOfRange: 5000 }], experiments: [] }] },
    )
    const assigner = rightOf(fromOptimizelyDatafile(datafile))
    const client = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }) })
    try {
      let enrolled = 0
      for (let i = 0; i < 400; i++) {
        const sdk = client.getVariation('e', `u${i}`)
        if (sdk !== null) enrolled++
        expect(ours(assigner, 'e', `u${i}`, {})).toBe(sdk)
      }
      expect(enrolled).toBeGreaterThan(100)
      expect(enrolled).toBeLessThan(300)
    } finally {
      client.close()
    }
  })

  it('accepts the datafile as JSON text', () => {
    expect(rightOf(fromOptimizelyDatafile(JSON.stringify(minimal({})))).byKey.has('e')).toBe(true)
  })

  const audienceWith = (conditions: Json) => minimal({ audienceIds: ['7'] }, { typedAudiences: [{ id: '7', conditions }] })

  it.each([
    ['substring', ['and', { type: 'custom_attribute', name: 'plan', match: 'substring', value: 'pr' }]],
    ['semver', ['and', { type: 'custom_attribute', name: 'v', match: 'semver_ge', value: '1.2.0' }]],
    ['ODP segments', ['and', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 's' }]],
    ['an or across attributes', ['or', { type: 'custom_attribute', name: 'plan', value: 'pro' }, { type: 'custom_attribute', name: 'country', value: 'DE' }]],
    ['the negation of an exact string', ['not', { type: 'custom_attribute', name: 'plan', value: 'pro' }]],
    ['the negation of exists', ['not', { type: 'custom_attribute', name: 'plan', match: 'exists' }]],
    ['a condition on "userId"', { type: 'custom_attribute', name: 'userId', value: 'x' }],
  ])('rejects audiences with %s, naming the experiment field', (_, conditions) => {
    const issues = issuesOf(fromOptimizelyDatafile(audienceWith(conditions)))
    expect(issues).toHaveLength(1)
    expect(issues[0]!.path).toBe('experiments[0].audienceIds')
    expect(issues[0]!.expected).toMatch(/^audiences touchpoint can reproduce exactly/)
  })

  it('with onUnsupported "skip", leaves only the unsupported experiment out', () => {
    const datafile = audienceWith(['and', { type: 'custom_attribute', name: 'plan', match: 'substring', value: 'pr' }])
    const experiments = [...(datafile['experiments'] as Array<Record<string, Json>>), { id: '2', key: 'f', status: 'Running', variations: [{ id: '20', key: 'b' }], trafficAllocation: [{ entityId: '20', endOfRange: 10000 }] }]
    const assigner = rightOf(fromOptimizelyDatafile({ ...datafile, experiments }, { onUnsupported: 'skip' }))
    expect([...assigner.byKey.keys()]).toEqual(['f'])
    expect(assignTo('e', { userId: 'u' })(assigner)).toMatchObject({ reason: 'unknown-experiment' })
  })

  it('with onUnsupported "skip", leaves out a flag whose rule cannot be reproduced, not just the rule', () => {
    const datafile = {
      ...audienceWith(['and', { type: 'custom_attribute', name: 'plan', match: 'substring', value: 'pr' }]),
      rollouts: [{ id: 'ro', experiments: [{ id: 'r1', key: 'everyone', status: 'Running', variations: [{ id: 'rv', key: 'on', featureEnabled: true }], trafficAllocation: [{ entityId: 'rv', endOfRange: 10000 }] }] }],
      featureFlags: [
        { id: 'f1', key: 'with_bad_rule', experimentIds: ['1'], rolloutId: 'ro', variables: [] },
        { id: 'f2', key: 'fine', experimentIds: [], rolloutId: 'ro', variables: [] },
      ],
    }
    expect(issuesOf(fromOptimizelyFlags(datafile)).map((i) => i.path)).toEqual(['experiments[0].audienceIds'])
    const flags = rightOf(fromOptimizelyFlags(datafile, { onUnsupported: 'skip' }))
    expect([...flags.flags.keys()]).toEqual(['fine'])
    expect(decideOptimizelyFlag('fine', { userId: 'u' })(flags)).toEqual({ flagKey: 'fine', variationKey: 'on', enabled: true, ruleKey: 'everyone' })
  })

  it('ignores unsupported audiences no experiment uses', () => {
    const datafile = minimal({}, { typedAudiences: [{ id: '9', conditions: ['and', { type: 'custom_attribute', name: 'x', match: 'substring', value: 'y' }] }] })
    expect(E.isRight(fromOptimizelyDatafile(datafile))).toBe(true)
  })

  // Issue 10: JSON.parse kept the last of a key given twice ("experiments" twice lost the first list).
  it('refuses datafile text that gives a key twice, naming the key, line and column', () => {
    const text = JSON.stringify(minimal({}), null, 1).replace('"experiments":', '"experiments": [],\n "experiments":')
    expect(issuesOf(fromOptimizelyDatafile(text))).toEqual([expect.objectContaining({ path: 'experiments', actual: 'experiments', line: expect.any(Number), column: 2 })])
    expect(issuesOf(fromOptimizelyFlags(text))[0]).toMatchObject({ path: 'experiments' })
  })

  it('names the line and column of datafile text that is no JSON', () => {
    expect(issuesOf(fromOptimizelyDatafile('{\n  "version": 4,\n  oops\n}'))[0]).toMatchObject({ line: 3, column: 3 })
  })

  it('reports an audience whose conditions give a key twice', () => {
    const datafile = minimal({ audienceIds: ['3'] }, { audiences: [{ id: '3', name: 'x', conditions: '["and", {"type": "custom_attribute", "name": "plan", "name": "country", "value": "DE"}]' }] })
    expect(issuesOf(fromOptimizelyDatafile(datafile))[0]!.expected).toMatch(/audiences\[0\]\.conditions to be JSON text.*name/)
  })

  it('reports an audience whose conditions are not JSON text', () => {
    const datafile = minimal({ audienceIds: ['3'] }, { audiences: [{ id: '3', name: 'x', conditions: '["and", ' }] })
    expect(issuesOf(fromOptimizelyDatafile(datafile))[0]!.expected).toMatch(/audiences\[0\]\.conditions to be JSON text/)
  })
})
