import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import * as clientModule from 'unleash-client/lib/client'
import { defaultStrategies } from 'unleash-client/lib/strategy/index'
import { normalizedStrategyValue, normalizedVariantValue } from 'unleash-client/lib/strategy/util'
import { selectVariantDefinition } from 'unleash-client/lib/variant'
import { assignTo } from '../../../src/assignment/assign'
import type { Assigner, Unit } from '../../../src/assignment/model'
import { fromUnleashFeatures, unleashBucket, UNLEASH_VARIANT_SEED } from '../../../src/assignment/compat/unleash'
import { arbUnitId } from '../../_arbitraries'

// A CommonJS class: vitest and tsx wrap its `exports.default` differently.
type ClientClass = typeof import('unleash-client/lib/client').default
const UnleashClient: ClientClass =
  (clientModule as unknown as { default: { default?: ClientClass } & ClientClass }).default.default ?? (clientModule as unknown as { default: ClientClass }).default

const arbGroupId = fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('checkout', 'Zoë', '😀'))

describe('unleashBucket against unleash-client normalizedValue', () => {
  test.prop([fc.array(arbUnitId, { minLength: 100, maxLength: 100 }), arbGroupId])('rollout: bucket + 1 = normalizedStrategyValue', (ids, groupId) => {
    const bucket = unleashBucket(groupId, 100, 0)
    for (const id of ids) expect(bucket(id) + 1).toBe(normalizedStrategyValue(id, groupId))
  })

  test.prop([fc.array(arbUnitId, { minLength: 100, maxLength: 100 }), arbGroupId, fc.integer({ min: 1, max: 100000 })])(
    'variants: bucket + 1 = normalizedVariantValue for any total weight',
    (ids, groupId, total) => {
      const bucket = unleashBucket(groupId, total, UNLEASH_VARIANT_SEED)
      for (const id of ids) expect(bucket(id) + 1).toBe(normalizedVariantValue(id, groupId, total))
    },
  )
})

describe('Enrolled.bucket in Unleash mode', () => {
  test.prop([fc.array(arbUnitId, { minLength: 50, maxLength: 50 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 4 })])(
    "is the SDK's 1-based normalizedValue of the variant hash, as the platform computes it",
    (ids, weights) => {
      const variants = weights.map((weight, i) => ({ name: `v${i}`, weight, weightType: 'variable' }))
      const assigner = rightOf(fromUnleashFeatures({ version: 2, features: [{ name: 'f', enabled: true, strategies: [], variants }] }))
      const total = weights.reduce((s, w) => s + w, 0)
      for (const userId of ids) {
        const a = assignTo('f', { userId })(assigner)
        expect(a).toMatchObject({ _tag: 'Enrolled', bucket: normalizedVariantValue(userId, 'f', total) })
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Random toggles and contexts, evaluated by unleash-client's own UnleashClient over an in-memory repository.

type Json = unknown

const arbStickiness = fc.constantFrom(undefined, 'default', 'accountId')
const arbVariants = (stickiness: string | undefined, withOverrides: boolean) =>
  fc.array(fc.record({ weight: fc.integer({ min: 0, max: 1000 }), overrides: fc.array(fc.constantFrom('alice', 'bob', 'Zoë'), { maxLength: 2 }) }), { minLength: 1, maxLength: 4 })
    .filter((vs) => vs.some((v) => v.weight > 0))
    .map((vs) =>
      vs.map((v, i) => ({
        name: `v${i}`,
        weight: v.weight,
        weightType: 'variable',
        ...(stickiness === undefined ? {} : { stickiness }),
        ...(withOverrides && v.overrides.length > 0 ? { overrides: [{ contextName: 'userId', values: v.overrides }] } : {}),
      })),
    )

const arbFeature: fc.Arbitrary<Record<string, Json>> = fc
  .record({
    enabled: fc.constantFrom(true, true, true, false),
    strategy: fc.constantFrom('none', 'default', 'flexibleRollout', 'flexibleRollout'),
    rollout: fc.oneof(fc.integer({ min: 0, max: 100 }).map(String), fc.integer({ min: 0, max: 100 }), fc.constant('33.5')),
    rolloutStickiness: arbStickiness,
    groupId: fc.option(arbGroupId, { nil: undefined }),
    variantsAt: fc.constantFrom('none', 'feature', 'strategy'),
    variantStickiness: arbStickiness,
    segments: fc.subarray([1, 2]),
    constraints: fc.array(
      fc.record({
        contextName: fc.constantFrom('country', 'accountId'),
        form: fc.constantFrom('IN', 'NOT_IN inverted'),
        values: fc.array(fc.constantFrom('DE', 'FR', ' DE ', '', '5', 'true', 'Zoë', '05'), { maxLength: 3 }),
      }),
      { maxLength: 2 },
    ),
  })
  .chain((f) => {
    const constraints = f.constraints.map((c) => ({ contextName: c.contextName, operator: c.form === 'IN' ? 'IN' : 'NOT_IN', ...(c.form === 'IN' ? {} : { inverted: true }), values: c.values }))
    const constrained = f.strategy !== 'none' && (constraints.length > 0 || f.segments.length > 0)
    const overridable = f.enabled && f.strategy !== 'flexibleRollout' && !constrained && (f.variantStickiness === undefined || f.variantStickiness === 'default')
    return arbVariants(f.variantStickiness, overridable).map((variants) => {
      const parameters = { rollout: f.rollout, ...(f.rolloutStickiness === undefined ? {} : { stickiness: f.rolloutStickiness }), ...(f.groupId === undefined ? {} : { groupId: f.groupId }) }
      const strategyVariants = f.variantsAt === 'strategy' && f.strategy !== 'none' ? variants : []
      const strategies =
        f.strategy === 'none'
          ? []
          : [{ name: f.strategy, parameters: f.strategy === 'default' ? (f.groupId === undefined ? {} : { groupId: f.groupId }) : parameters, constraints, segments: f.segments, variants: strategyVariants }]
      return { enabled: f.enabled, strategies, variants: f.variantsAt === 'feature' ? variants : [], impressionData: false, type: 'release' }
    })
  })

const arbFeatures = fc.array(arbFeature, { minLength: 1, maxLength: 5 }).map((fs) => fs.map((f, i) => ({ name: `toggle-${i}`, ...f })))

const arbSegments = fc.tuple(
  fc.array(fc.constantFrom('DE', 'FR', ' FR', '5'), { minLength: 1, maxLength: 3 }),
  fc.array(fc.constantFrom('DE', 'FR', 'true'), { minLength: 1, maxLength: 2 }),
).map(([a, b]) => [
  { id: 1, name: 'markets', constraints: [{ contextName: 'country', operator: 'IN', values: a }] },
  { id: 2, name: 'not-banned', constraints: [{ contextName: 'country', operator: 'NOT_IN', inverted: true, values: b }] },
])

const arbContext = fc.record(
  {
    userId: fc.oneof(arbUnitId, fc.constantFrom('alice', 'bob', 'Zoë')),
    accountId: fc.oneof(arbUnitId, fc.integer({ min: 0, max: 99 }), fc.constant(5)),
    country: fc.constantFrom('DE', 'FR', ' DE ', 'Zoë', '', 5, true, false, 0),
  },
  { requiredKeys: ['userId'] },
)

const clientFor = (features: ReadonlyArray<Record<string, Json>>, segments: ReadonlyArray<{ readonly id: number }> = []) =>
  new UnleashClient(
    {
      getToggle: (name: string) => features.find((f) => f['name'] === name),
      getToggles: () => features,
      getSegment: (id: number) => segments.find((sg) => sg.id === id),
    } as never,
    defaultStrategies,
  )

/** The stickiness the client's variant selection reads (strategy.js getResult, variant.js selectVariant). */
const variantStickiness = (f: Record<string, Json>): unknown => {
  const strategy = (f['strategies'] as ReadonlyArray<{ parameters?: Record<string, Json>; variants?: ReadonlyArray<{ stickiness?: string }> }>)[0]
  const strategyVariants = strategy?.variants ?? []
  if (strategyVariants.length > 0) return strategyVariants[0]!.stickiness || strategy?.parameters?.['stickiness']
  return (f['variants'] as ReadonlyArray<{ stickiness?: string }>)[0]?.stickiness
}

const ours = (assigner: Assigner, name: string, context: Record<string, Json>): string | null => {
  const a = assignTo(name, context as Unit)(assigner)
  return a._tag === 'Enrolled' ? a.variant : null
}

const rightOf = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('fromUnleashFeatures against unleash-client 6.x', () => {
  test.prop([arbFeatures, arbSegments, fc.array(arbContext, { minLength: 60, maxLength: 60 })], { numRuns: 150 })(
    'Enrolled exactly when isEnabled, with the variant getVariant names, for every toggle and context',
    (features, segments, contexts) => {
      const assigner = rightOf(fromUnleashFeatures({ version: 2, features, segments }))
      const client = clientFor(features, segments)
      for (const context of contexts) {
        for (const f of features) {
          const name = f['name'] as string
          // Without a value for the variants' stickiness attribute, unleash-client picks a random variant: not reproducible.
          if (context.accountId === undefined && variantStickiness(f) === 'accountId') continue
          const enabled = client.isEnabled(name, context as never, () => false)
          const variant = client.getVariant(name, context as never)
          const expected = enabled ? (variant.name === 'disabled' && !variant.enabled ? 'enabled' : variant.name) : null
          expect({ name, context, variant: ours(assigner, name, context) }).toEqual({ name, context, variant: expected })
        }
      }
    },
  )

  test.prop([fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 5 }).filter((ws) => ws.some((w) => w > 0)), fc.array(arbUnitId, { minLength: 100, maxLength: 100 }), arbGroupId])(
    'the split picks the variant selectVariantDefinition picks',
    (weights, ids, groupId) => {
      const variants = weights.map((weight, i) => ({ name: `v${i}`, weight, stickiness: 'default' }))
      const assigner = rightOf(
        fromUnleashFeatures([{ name: 'f', enabled: true, strategies: [{ name: 'default', parameters: { groupId }, variants }] }]),
      )
      for (const id of ids) {
        expect(ours(assigner, 'f', { userId: id })).toBe(selectVariantDefinition(groupId, 'default', variants as never, { userId: id })?.name ?? null)
      }
    },
  )
})

describe('fromUnleashFeatures errors', () => {
  const toggle = (extra: Record<string, Json>) => [{ name: 't', enabled: true, strategies: [], ...extra }]
  const issuesOf = (input: unknown) => {
    const e = fromUnleashFeatures(input)
    if (E.isRight(e) || e.left._tag !== 'InvalidInput') throw new Error('expected Left(InvalidInput)')
    return e.left.issues
  }

  test.prop([fc.anything()])('any input gives Right or Left, never a throw', (input) => {
    expect(() => fromUnleashFeatures(input)).not.toThrow()
  })

  test.prop([arbFeatures, fc.jsonValue(), fc.nat()], { numRuns: 300 })('toggles with any one value replaced by any JSON give Right or Left, never a throw', (features, junk, pick) => {
    const copy = JSON.parse(JSON.stringify({ version: 2, features })) as Record<string, Json>
    const slots: Array<[Record<string | number, Json>, string | number]> = []
    const walk = (node: Json) => {
      if (Array.isArray(node)) node.forEach((v, i) => (slots.push([node as unknown as Record<number, Json>, i]), walk(v)))
      else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) (slots.push([node as Record<string, Json>, k]), walk(v))
    }
    walk(copy)
    const [parent, key] = slots[pick % slots.length]!
    parent[key] = junk
    const result = fromUnleashFeatures(copy)
    if (E.isRight(result)) for (const x of result.right.experiments) assignTo(x.key, { userId: 'u', accountId: 'a' })(result.right)
  })

  it('names the path of a malformed field', () => {
    expect(issuesOf({ features: [{ name: 't', enabled: 'yes', strategies: [] }] })).toEqual([expect.objectContaining({ path: 'features[0].enabled', actual: 'yes' })])
  })

  it.each([
    ['a NOT_IN constraint', toggle({ strategies: [{ name: 'default', constraints: [{ contextName: 'country', operator: 'NOT_IN', values: ['DE'] }] }] }), '[0].strategies[0].constraints[0].operator'],
    ['a STR_CONTAINS constraint', toggle({ strategies: [{ name: 'default', constraints: [{ contextName: 'email', operator: 'STR_CONTAINS', values: ['@x'] }] }] }), '[0].strategies[0].constraints[0].operator'],
    ['an IN constraint with a number value', toggle({ strategies: [{ name: 'default', constraints: [{ contextName: 'n', operator: 'IN', values: [5] }] }] }), '[0].strategies[0].constraints[0].values'],
    ['a missing segment', toggle({ strategies: [{ name: 'default', segments: [1] }] }), '[0].strategies[0].segments[0]'],
    ['another strategy', toggle({ strategies: [{ name: 'userWithId', parameters: { userIds: 'a' } }] }), '[0].strategies[0].name'],
    ['several strategies', toggle({ strategies: [{ name: 'default' }, { name: 'default' }] }), '[0].strategies'],
    ['a flexibleRollout without parameters', toggle({ strategies: [{ name: 'flexibleRollout' }] }), '[0].strategies[0].parameters'],
    ['random stickiness', toggle({ strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'random' } }] }), '[0].strategies[0].parameters.stickiness'],
    ['a fractional weight', toggle({ variants: [{ name: 'a', weight: 0.5 }] }), '[0].variants[0].weight'],
    ['all-zero weights', toggle({ variants: [{ name: 'a', weight: 0 }] }), '[0].variants'],
    ['dependencies', toggle({ dependencies: [{ feature: 'parent' }] }), '[0].dependencies'],
    ['an override on another attribute', toggle({ variants: [{ name: 'a', weight: 1, overrides: [{ contextName: 'country', values: ['DE'] }] }] }), '[0].variants[0].overrides[0].contextName'],
    ['an override behind a rollout', toggle({ strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50' } }], variants: [{ name: 'a', weight: 1, overrides: [{ contextName: 'userId', values: ['x'] }] }] }), '[0].variants[0].overrides[0]'],
  ])('rejects %s with its path', (_, features, path) => {
    expect(issuesOf(features).map((i) => i.path)).toContain(path)
  })

  it('names the segment constraint it cannot translate', () => {
    const input = { features: toggle({ strategies: [{ name: 'default', segments: [7] }] }), segments: [{ id: 7, constraints: [{ contextName: 'v', operator: 'SEMVER_GT', value: '1.0.0' }] }] }
    expect(issuesOf(input).map((i) => i.path)).toEqual(['segments[0].constraints[0].operator'])
  })

  it('a json (or number) payload that does not parse is an issue naming the variant and the text, not a value dropped', () => {
    const variant = (name: string, payload: Json) => ({ name, weight: 500, stickiness: 'default', payload })
    const issues = issuesOf({
      version: 2,
      features: toggle({ variants: [variant('a', { type: 'json', value: '{"x": 1}' }), variant('b', { type: 'json', value: '{"x": 1' }), variant('c', { type: 'number', value: 'many' })] }),
    })
    expect(issues).toEqual([
      { path: 'features[0].variants[1].payload.value', expected: 'JSON text, each key once (the payload is of type json)', actual: '{"x": 1' },
      { path: 'features[0].variants[2].payload.value', expected: 'a number (the payload is of type number)', actual: 'many' },
    ])
  })

  it('rejects duplicate toggle names', () => {
    expect(issuesOf({ features: [...toggle({}), ...toggle({})] })[0]).toMatchObject({ path: 'features[1].name', actual: 't' })
  })
})
