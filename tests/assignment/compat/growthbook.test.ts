/**
 * GrowthBook mode against the real SDK (@growthbook/growthbook 1.8.0, a devDependency): every decision compared
 * with GrowthBookClient.runInlineExperiment (the same runExperiment as `new GrowthBook({ attributes }).run`).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { GrowthBook, GrowthBookClient, type Experiment as GbExperiment } from '@growthbook/growthbook'
import type * as GbUtil from '../../../node_modules/@growthbook/growthbook/dist/util'
import { fromGrowthBook, growthBookHashing, growthBookRanges, growthBookSplit } from '../../../src/assignment/compat/growthbook'
import { assign, assignTo } from '../../../src/assignment/assign'
import { formatIssue, type Issue } from '../../../src/core/errors'
import type { Assigner, Assignment, Unit } from '../../../src/assignment/model'
import { arbUnitId } from '../../_arbitraries'

// GrowthBook's hash, getBucketRanges and chooseVariation are not in its exports map: loaded by file, typed by its .d.ts.
const gbUtil = (await import(new URL('../../../node_modules/@growthbook/growthbook/dist/esm/util.mjs', import.meta.url).href)) as typeof GbUtil

type Json = Record<string, unknown>

const client = new GrowthBookClient()
const gbRun = (experiment: Json, unit: Unit) =>
  client.runInlineExperiment(experiment as unknown as GbExperiment<unknown>, { attributes: { ...unit } })

const decode = (experiments: ReadonlyArray<Json>): Assigner => {
  const r = fromGrowthBook(experiments)
  if (E.isLeft(r)) throw new Error(r.left._tag === 'InvalidInput' ? r.left.issues.map(formatIssue).join('\n') : r.left._tag)
  return r.right
}

const issuesOf = (input: unknown): ReadonlyArray<Issue> => {
  const r = fromGrowthBook(input)
  if (E.isRight(r)) throw new Error('expected a Left')
  if (r.left._tag !== 'InvalidInput') throw new Error(`expected InvalidInput, got ${r.left._tag}`)
  return r.left.issues
}

/** Our decision and GrowthBook's, in one comparable shape: the variation index, or -1 when not in the experiment. */
const ours = (a: Assignment): number => (a._tag === 'Enrolled' ? a.variantIndex : -1)
const theirs = (experiment: Json, unit: Unit): number => {
  const r = gbRun(experiment, unit)
  return r.inExperiment ? r.variationId : -1
}

const expectSameDecisions = (experiment: Json, assigner: Assigner, units: ReadonlyArray<Unit>) => {
  const key = experiment['key'] as string
  const mismatches = units.filter((u) => ours(assignTo(key, u)(assigner)) !== theirs(experiment, u))
  expect(mismatches.map((u) => ({ unit: u, ours: ours(assignTo(key, u)(assigner)), theirs: theirs(experiment, u) }))).toEqual([])
}

// GrowthBook reports weights and coverage it repairs on console.error outside production.
beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterAll(() => {
  vi.restoreAllMocks()
})

// ---------------------------------------------------------------------------------------------------------------
// generators
// ---------------------------------------------------------------------------------------------------------------

/** Floats that sit on or next to bucket edges, where float ranges and integer buckets could disagree. */
const arbEdge = fc.oneof(
  fc.double({ min: -0.2, max: 1.2, noNaN: true }),
  fc.integer({ min: 0, max: 10000 }).map((b) => b / 10000),
  fc.integer({ min: 0, max: 1000 }).map((b) => b / 1000),
  fc.constantFrom(0, 1, 0.1 + 0.2, 1 / 3, 2 / 3, 0.7 + 0.1, 0.5, 0.30000000000000004, 0.29999999999999993),
)
const arbRange = fc.tuple(arbEdge, arbEdge)

const arbSeed = fc.oneof(fc.string({ maxLength: 10 }), arbUnitId, fc.constant(''))
const ATTRIBUTES = ['id', 'userId', 'deviceId'] as const

const arbWeightsFor = (n: number) =>
  fc.oneof(
    // sums to 1 up to float noise
    fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }).filter((a) => a.some((x) => x > 0)).map((a) => {
      const total = a.reduce((s, x) => s + x, 0)
      return a.map((x) => x / total)
    }),
    // sums to something in or out of GrowthBook's 0.99..1.01 tolerance
    fc.tuple(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }).filter((a) => a.some((x) => x > 0)), fc.double({ min: 0.97, max: 1.03, noNaN: true })).map(([a, scale]) => {
      const total = a.reduce((s, x) => s + x, 0)
      return a.map((x) => (x / total) * scale)
    }),
    fc.array(fc.double({ min: -0.2, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    fc.constant(Array.from({ length: n }, () => 1 / n)),
    // float sums that miss 1 in the last bit: 0.1 + 0.2, thirds
    fc.constant(n === 3 ? [0.1, 0.2, 0.7] : [0.1, 0.2, 0.3, 0.4, 0].slice(0, n - 1).concat([1 - [0.1, 0.2, 0.3, 0.4].slice(0, n - 1).reduce((a, b) => a + b, 0)])),
    // wrong length: GrowthBook falls back to equal weights
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
  )

/** A range that often covers a good share of the space, so that units get through filters and namespaces. */
const arbWideRange = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0, 0.1, 0.25, 1 / 3), fc.constantFrom(0.6, 0.75, 0.9, 1)) },
  { weight: 1, arbitrary: arbRange },
)

const arbFilter = fc.record(
  {
    seed: arbSeed,
    ranges: fc.array(arbWideRange, { minLength: 1, maxLength: 3 }),
    attribute: fc.constantFrom<string | null>(...ATTRIBUTES, '', null),
    hashVersion: fc.constantFrom<number | null>(1, 2, 0, null),
  },
  { requiredKeys: ['seed', 'ranges'] },
)

/** Rarely what a live experiment has, each of these keeps many units out. */
const arbRare = fc.record(
  {
    namespace: fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(0, 0.1, 0.5), fc.constantFrom(0.5, 0.9, 1)),
    filters: fc.oneof(fc.array(arbFilter, { maxLength: 2 }), fc.constant([{ seed: 's', ranges: [] }])),
    ranges: fc.array(arbRange, { maxLength: 7 }),
    status: fc.constantFrom<string | null>('draft', 'running', 'stopped', null),
    active: fc.constantFrom<boolean | null>(true, false, null),
    coverage: fc.oneof(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.constantFrom(0, 1, 0.5, 0.99, null)),
    force: fc.constantFrom<number | undefined>(0, 1, undefined, 7, -1),
  },
  { requiredKeys: [] },
)

/** A GrowthBook experiment the importer accepts: every field it reproduces, at random. */
const arbGbExperiment: fc.Arbitrary<Json> = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc
    .record(
      {
        key: fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(k in Object.prototype)),
        weights: arbWeightsFor(n),
        coverage: fc.constantFrom(1, 0.5, 0.8, 0.999),
        seed: fc.option(arbSeed),
        hashVersion: fc.constantFrom<number | null>(1, 2, 0, null),
        hashAttribute: fc.constantFrom<string | null>(...ATTRIBUTES, '', null),
        meta: fc.constantFrom('keys', 'partial', 'empty').map((kind) =>
          Array.from({ length: n }, (_, i) => (kind === 'keys' || (kind === 'partial' && i % 2 === 0) ? { key: `k${i}` } : kind === 'partial' ? {} : { key: '' })),
        ),
        bucketVersion: fc.nat(3),
      },
      { requiredKeys: ['key'] },
    )
    .chain((x) => fc.oneof(fc.constant({}), arbRare).map((rare) => ({ ...x, ...rare, variations: Array.from({ length: n }, (_, i) => `v${i}`) }))),
)

const OPTIONAL_FIELDS = [
  'weights', 'coverage', 'seed', 'hashVersion', 'hashAttribute', 'namespace', 'filters', 'ranges', 'meta', 'condition', 'status', 'active',
  'bucketVersion', 'disableStickyBucketing', 'persistQueryString', 'name', 'phase', 'include', 'url', 'urlPatterns', 'parentConditions',
  'groups', 'force', 'fallbackAttribute', 'minBucketVersion', 'contextualBandit',
] as const

/** Which optional fields (top level, and inside filters and meta) to set to undefined. */
const arbUndefinedFields = fc.record({
  top: fc.subarray([...OPTIONAL_FIELDS]),
  filter: fc.subarray(['attribute', 'hashVersion']),
  meta: fc.subarray(['key', 'name', 'passthrough']),
})

/** `experiment` with the chosen optional fields present and undefined (replacing any value they had). */
const withUndefined = (experiment: Json, fields: { top: ReadonlyArray<string>; filter: ReadonlyArray<string>; meta: ReadonlyArray<string> }): Json => {
  const out: Json = { ...experiment }
  for (const f of fields.top) out[f] = undefined
  const blank = (names: ReadonlyArray<string>) => (o: unknown) => ({ ...(o as Json), ...Object.fromEntries(names.map((n) => [n, undefined])) })
  if (Array.isArray(out['filters'])) out['filters'] = out['filters'].map(blank(fields.filter))
  if (Array.isArray(out['meta'])) out['meta'] = out['meta'].map(blank(fields.meta))
  return out
}

/** Any value a unit id attribute may hold that both libraries read the same way. */
const arbIdValue: fc.Arbitrary<string | number | null> = fc.oneof(
  { weight: 8, arbitrary: arbUnitId },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom<string | number | null>(0, -0, Number.NaN, '', null, 1, 1.5, 1e21) },
)

const arbUnit: fc.Arbitrary<Unit> = fc
  .record({ id: arbIdValue, userId: arbIdValue, deviceId: arbIdValue, drop: fc.constantFrom(undefined, undefined, undefined, 'id', 'userId', 'deviceId') })
  .map(({ drop, ...unit }) => Object.fromEntries(Object.entries(unit).filter(([k]) => k !== drop)))

// ---------------------------------------------------------------------------------------------------------------
// hashing and ranges, piece by piece
// ---------------------------------------------------------------------------------------------------------------

describe('GrowthBook hashing', () => {
  test.prop([arbSeed, arbUnitId, fc.constantFrom<1 | 2>(1, 2)], { numRuns: 3000 })(
    'bucket / size is GrowthBook hash(seed, id, version), for any Unicode id including emoji and lone surrogates',
    (seed, id, version) => {
      const h = growthBookHashing(version, seed)
      expect(h.bucket(id) / h.size).toBe(gbUtil.hash(seed, id, version))
      expect(h.size).toBe(version === 2 ? 10000 : 1000)
    },
  )

  it('the hashing is named by algorithm and seed, so previewChange never merges v1 and v2 buckets', () => {
    expect(growthBookHashing(2, 's').seed).toBe('gb2/s')
    expect(growthBookHashing(1, 's').seed).toBe('gb1/s')
  })
})

describe('GrowthBook ranges', () => {
  test.prop([fc.integer({ min: 0, max: 6 }), fc.option(arbEdge, { nil: undefined }), fc.option(fc.array(fc.double({ min: -1, max: 1.5, noNaN: true }), { maxLength: 6 }), { nil: undefined })])(
    'growthBookRanges is getBucketRanges float for float',
    (n, coverage, weights) => {
      expect(growthBookRanges(n, coverage, weights)).toEqual(gbUtil.getBucketRanges(n, coverage, weights === undefined ? undefined : [...weights]))
    },
  )

  test.prop([fc.constantFrom<1 | 2>(1, 2), fc.array(arbRange, { maxLength: 6 }), fc.integer({ min: 2, max: 5 })], { numRuns: 150 })(
    'variantAt agrees with chooseVariation(b / size) on every bucket, float edges included',
    (version, ranges, n) => {
      const split = growthBookSplit(growthBookHashing(version, 'x'), ranges, n)
      const size = split.hashing.size
      const gbRanges = ranges.map(([s, e]) => [s, e] as [number, number])
      const mismatches: Array<number> = []
      for (let b = 0; b < size; b++) {
        const i = gbUtil.chooseVariation(b / size, gbRanges)
        if (split.variantAt(b) !== (i < n ? i : -1)) mismatches.push(b)
      }
      expect(mismatches).toEqual([])
    },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// differential: whole experiments
// ---------------------------------------------------------------------------------------------------------------

describe('fromGrowthBook decides as GrowthBook does', () => {
  test.prop([arbGbExperiment, fc.array(arbUnit, { minLength: 60, maxLength: 60 })], { numRuns: 1000 })(
    'random experiments (weights, coverage, seeds, hash versions, namespaces, filters, ranges, status) and units',
    (experiment, units) => {
      expectSameDecisions(experiment, decode([experiment]), units)
    },
  )

  test.prop([fc.uniqueArray(arbGbExperiment, { minLength: 1, maxLength: 4, selector: (x) => x['key'] }), fc.array(arbUnit, { minLength: 20, maxLength: 20 })], { numRuns: 100 })(
    'assign over several experiments gives, in order, what run() gives for each',
    (experiments, units) => {
      const assigner = decode(experiments)
      for (const unit of units) {
        expect(assign(unit)(assigner).map(ours)).toEqual(experiments.map((x) => theirs(x, unit)))
      }
    },
  )

  test.prop([arbGbExperiment, fc.dictionary(fc.constantFrom('id', 'userId', 'deviceId', 'x'), fc.anything())])(
    'any unit record, whatever its values, gives a result and never throws',
    (experiment, unit) => {
      expect(['Enrolled', 'NotEnrolled']).toContain(assignTo(experiment['key'] as string, unit as Unit)(decode([experiment]))._tag)
    },
  )

  test.prop([arbGbExperiment], { numRuns: 20 })('thousands of random ids per experiment, non-ASCII and emoji included', (experiment) => {
    const units = fc.sample(arbUnitId, { numRuns: 2000, seed: 7 }).map((id) => ({ id, userId: id, deviceId: `${id}~` }))
    expectSameDecisions(experiment, decode([experiment]), units)
  })

  test.prop([arbGbExperiment, arbUndefinedFields, fc.array(arbUnit, { minLength: 40, maxLength: 40 })], { numRuns: 600 })(
    'optional fields present with the value undefined (objects built from optional properties) import and decide as run() does',
    (experiment, undefinedFields, units) => {
      const x = withUndefined(experiment, undefinedFields)
      expectSameDecisions(x, decode([x]), units)
    },
  )

  test.prop([arbGbExperiment, fc.array(arbUnit, { minLength: 40, maxLength: 40 })], { numRuns: 300 })(
    'an enrolled unit reports the bucket GrowthBook reports (result.bucket, a float in [0, 1))',
    (experiment, units) => {
      const assigner = decode([experiment])
      const key = experiment['key'] as string
      for (const unit of units) {
        const a = assignTo(key, unit)(assigner)
        const g = gbRun(experiment, unit)
        // A forced variation carries no bucket in GrowthBook: -1 in touchpoint, as for overrides.
        if (a._tag === 'Enrolled') expect({ bucket: a.bucket, key: a.variant }).toEqual({ bucket: g.bucket ?? -1, key: g.key })
      }
    },
  )

  it('a plain 50/50 experiment over 20 000 ids enrolls everyone, in the variation, key and bucket GrowthBook gives', () => {
    const experiment = { key: 'checkout-button', variations: ['control', 'green'], hashVersion: 2, meta: [{ key: 'control' }, { key: 'green' }] }
    const assigner = decode([experiment])
    const ids = fc.sample(arbUnitId, { numRuns: 20000, seed: 42 })
    const differing = ids.filter((id) => {
      const a = assignTo('checkout-button', { id })(assigner)
      const g = gbRun(experiment, { id })
      return !(g.inExperiment && a._tag === 'Enrolled' && a.variantIndex === g.variationId && a.variant === g.key && a.bucket === g.bucket && a.hashVersion === 'growthbook-v2')
    })
    expect(differing).toEqual([])
  })

  it('new GrowthBook({ attributes }).run gives the same answers as the shared client used above', () => {
    const experiment = { key: 'e', variations: [0, 1, 2], weights: [0.2, 0.3, 0.5], coverage: 0.6, hashVersion: 1, hashAttribute: 'userId' }
    const assigner = decode([experiment])
    for (const userId of fc.sample(arbUnitId, { numRuns: 300, seed: 3 })) {
      const r = new GrowthBook({ attributes: { userId } }).run(experiment as GbExperiment<number>)
      expect(ours(assignTo('e', { userId })(assigner))).toBe(r.inExperiment ? r.variationId : -1)
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------
// edge cases, one by one, each against GrowthBook
// ---------------------------------------------------------------------------------------------------------------

describe('edge cases', () => {
  const base = { key: 'edge', variations: ['a', 'b'], hashVersion: 2 }
  const check = (experiment: Json, units: ReadonlyArray<Unit>) => expectSameDecisions(experiment, decode([experiment]), units)
  const someIds = fc.sample(arbUnitId, { numRuns: 500, seed: 11 })

  it('a missing, empty, null, NaN, 0 or -0 hash attribute keeps the unit out, as GrowthBook skips falsy values', () => {
    const units: ReadonlyArray<Unit> = [{}, { id: '' }, { id: null }, { id: Number.NaN }, { id: 0 }, { id: -0 }, { userId: 'u' }]
    for (const u of units) expect(theirs(base, u)).toBe(-1)
    check(base, units)
    expect(assignTo('edge', { id: 0 })(decode([base]))).toMatchObject({ _tag: 'NotEnrolled', reason: 'targeting' })
    expect(assignTo('edge', {})(decode([base]))).toMatchObject({ _tag: 'NotEnrolled', reason: 'missing-unit' })
  })

  it('numbers as ids are hashed as GrowthBook writes them ("123", "1.5", "1e+21"); the string "0" is an id', () => {
    const units: ReadonlyArray<Unit> = [{ id: 123 }, { id: 1.5 }, { id: 1e21 }, { id: -7 }, { id: '0' }, { id: 5e-324 }]
    check({ ...base, coverage: 1 }, units)
    expect(theirs(base, { id: '0' })).toBeGreaterThanOrEqual(0)
    expect(ours(assignTo('edge', { id: '0' })(decode([base])))).toBeGreaterThanOrEqual(0)
  })

  it('hashAttribute picks the attribute; an empty one means "id"', () => {
    check({ ...base, hashAttribute: 'userId' }, someIds.map((userId, i) => ({ userId, id: `other-${i}` })))
    check({ ...base, hashAttribute: '' }, someIds.map((id) => ({ id })))
    expect(decode([{ ...base, hashAttribute: 'deviceId' }]).experiments[0]!.unit).toBe('deviceId')
  })

  it('hashVersion missing, null or 0 means v1, as GrowthBook reads `hashVersion || 1`', () => {
    for (const hashVersion of [undefined, null, 0]) {
      const x = hashVersion === undefined ? { key: 'edge', variations: ['a', 'b'] } : { ...base, hashVersion }
      expect(decode([x]).experiments[0]!.hashVersion).toBe('growthbook-v1')
      check(x, someIds.map((id) => ({ id })))
    }
  })

  it('an empty seed falls back to the key; a given seed replaces it', () => {
    check({ ...base, seed: '' }, someIds.map((id) => ({ id })))
    check({ ...base, seed: 'shared-seed' }, someIds.map((id) => ({ id })))
    expect(decode([{ ...base, seed: '' }]).experiments[0]!.split.hashing.seed).toBe('gb2/edge')
  })

  it('weights that do not sum to 0.99..1.01, or of the wrong length, fall back to equal weights', () => {
    check({ ...base, weights: [0.9, 0.3] }, someIds.map((id) => ({ id })))
    check({ ...base, weights: [0.2, 0.2, 0.6] }, someIds.map((id) => ({ id })))
    check({ ...base, weights: [0.2, 0.795] }, someIds.map((id) => ({ id })))
    expect(decode([{ ...base, weights: [0.9, 0.3] }]).experiments[0]!.weights).toEqual([0.5, 0.5])
  })

  it('coverage outside [0, 1] is clamped; range starts do not move with coverage', () => {
    check({ ...base, coverage: 1.7 }, someIds.map((id) => ({ id })))
    check({ ...base, coverage: -0.3 }, someIds.map((id) => ({ id })))
    expect(decode([{ ...base, coverage: -0.3 }]).experiments[0]!.coverage).toBe(0)
    const low = decode([{ ...base, coverage: 0.2 }])
    const high = decode([{ ...base, coverage: 0.9 }])
    for (const id of someIds) {
      const a = assignTo('edge', { id })(low)
      if (a._tag === 'Enrolled') expect(assignTo('edge', { id })(high)).toMatchObject({ variantIndex: a.variantIndex })
    }
  })

  it('explicit ranges win over weights and coverage; ranges past the variations enroll nobody; [] enrolls nobody', () => {
    check({ ...base, weights: [0.5, 0.5], ranges: [[0, 0.3], [0.3, 0.6], [0.6, 1]] }, someIds.map((id) => ({ id })))
    check({ ...base, ranges: [] }, someIds.map((id) => ({ id })))
    const x = decode([{ ...base, ranges: [[0.2, 0.5], [0.4, 0.9]] }]).experiments[0]!
    // Overlap: the first range wins, as in chooseVariation.
    expect(x.weights[0]! / x.weights[1]!).toBeCloseTo(3000 / 4000, 10)
    expect(x.coverage).toBeCloseTo(0.7, 10)
  })

  it('the legacy namespace is a v1 hash of "__" + id over the hash attribute value, [start, end)', () => {
    const x = { ...base, namespace: ['ns1', 0.25, 0.5] }
    check(x, someIds.map((id) => ({ id })))
    const gate = decode([x]).experiments[0]!.gates[0]!
    expect(gate.reason).toBe('layer')
    for (const id of someIds) expect(gate.admits(gate.hashing.bucket(id))).toBe(gbUtil.inNamespace(id, ['ns1', 0.25, 0.5]))
  })

  it('filters (even an empty list) replace the namespace, as in GrowthBook', () => {
    check({ ...base, filters: [], namespace: ['ns1', 0, 0.1] }, someIds.map((id) => ({ id })))
    expect(decode([{ ...base, filters: [], namespace: ['ns1', 0, 0.1] }]).experiments[0]!.gates).toEqual([])
  })

  it('a filter on another attribute excludes units lacking it; a filter with no ranges excludes everyone', () => {
    const x = { ...base, filters: [{ seed: 'layer-1', attribute: 'deviceId', ranges: [[0, 0.4], [0.6, 0.8]] }] }
    const units: Array<Unit> = someIds.map((id, i) => (i % 5 === 0 ? { id } : i % 5 === 1 ? { id, deviceId: 0 } : { id, deviceId: `d-${id}` }))
    check(x, units)
    expect(assignTo('edge', { id: 'u' })(decode([x]))).toMatchObject({ _tag: 'NotEnrolled' })
    check({ ...base, filters: [{ seed: 's', ranges: [] }] }, someIds.map((id) => ({ id })))
  })

  it('draft, active: false and stopped enroll nobody; active: true and running do', () => {
    for (const extra of [{ status: 'draft' }, { active: false }, { status: 'stopped' }, { status: 'running', active: true }]) {
      check({ ...base, ...extra }, someIds.slice(0, 100).map((id) => ({ id })))
    }
    expect(decode([{ ...base, active: false }]).experiments[0]!.status).toBe('draft')
    expect(decode([{ ...base, status: 'stopped' }]).experiments[0]!.status).toBe('stopped')
  })

  it('variant keys are meta[i].key, else String(i), as GrowthBook result.key', () => {
    const x = { ...base, variations: [0, 1, 2], meta: [{ key: 'control' }, { name: 'no key' }, { key: '' }] }
    expect(decode([x]).experiments[0]!.variants).toEqual(['control', '1', '2'])
    for (const id of someIds.slice(0, 100)) {
      const a = assignTo('edge', { id })(decode([x]))
      const g = gbRun(x, { id })
      if (a._tag === 'Enrolled') expect(a.variant).toBe(g.key)
    }
  })

  it('documented divergence: an id of true or Infinity is hashed by GrowthBook, and is no id for touchpoint', () => {
    expect(theirs(base, { id: true })).toBeGreaterThanOrEqual(0)
    expect(assignTo('edge', { id: true })(decode([base]))).toMatchObject({ _tag: 'NotEnrolled', reason: 'missing-unit' })
    expect(theirs(base, { id: Number.POSITIVE_INFINITY })).toBeGreaterThanOrEqual(0)
    expect(assignTo('edge', { id: Number.POSITIVE_INFINITY })(decode([base]))).toMatchObject({ _tag: 'NotEnrolled', reason: 'missing-unit' })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// conditions
// ---------------------------------------------------------------------------------------------------------------

const STRINGS = ['DE', 'US', '1', '18', 'true', 'false', '', 'NaN', 'x y'] as const
const NUMBERS = [-1, 0, -0, 1, 2, 17, 18, 18.5, 30, 65, 100, Number.NaN] as const

/** Attribute values of any scalar type: string and boolean conditions are exact over all of them. */
const arbAnyScalar = fc.oneof(fc.constantFrom<string | number | boolean | null>(...STRINGS, ...NUMBERS, true, false, null), fc.string({ maxLength: 3 }))
/** Numeric attributes: numbers, null or absent (GrowthBook coerces strings and booleans in comparisons). */
const arbNumberValue = fc.constantFrom<number | null>(...NUMBERS, null)

const arbScalarList = fc.array(fc.constantFrom<string | number | boolean>(...STRINGS, ...NUMBERS.filter((n) => !Number.isNaN(n)), true, false), { maxLength: 5 })

/** A condition on `country` (any-type attribute) from the supported grammar. */
const arbLooseCondition = fc.oneof(
  fc.constantFrom<string | boolean>(...STRINGS, true, false),
  fc.constantFrom<string | number | boolean>(...STRINGS, 1, 18, -1, true).map(($eq) => ({ $eq })),
  arbScalarList.map(($in) => ({ $in })),
  arbScalarList.map((list) => ({ $nin: [...list, null] })),
)

/** A condition on `age` (numeric attribute): shorthand non-zero numbers, and ranges whose bounds exclude 0. */
const arbNumericCondition = fc.oneof(
  fc.constantFrom(1, 18, -1, 30),
  fc.record(
    { low: fc.constantFrom(1, 17, 18, 18.5), lowOp: fc.constantFrom('$gt', '$gte'), high: fc.option(fc.constantFrom(30, 65, 100), { nil: undefined }), highOp: fc.constantFrom('$lt', '$lte') },
  ).map(({ low, lowOp, high, highOp }) => ({ [lowOp]: low, ...(high === undefined ? {} : { [highOp]: high }) })),
  fc.constantFrom({ $lt: -0.5 }, { $lte: -1 }, { $gte: 0, $in: [0, 18, 30] }),
)

describe('condition: the supported MongoDB subset decides as GrowthBook does', () => {
  test.prop(
    [
      fc.record({ country: arbLooseCondition, age: arbNumericCondition, beta: fc.boolean() }, { requiredKeys: [] }),
      fc.boolean(),
      fc.array(fc.record({ country: arbAnyScalar, age: arbNumberValue, beta: arbAnyScalar }, { requiredKeys: [] }), { minLength: 40, maxLength: 40 }),
    ],
    { numRuns: 400 },
  )('random conditions and units', (condition, wrapInAnd, attributes) => {
    const experiment = { key: 'c', variations: [0, 1], hashVersion: 2, condition: wrapInAnd ? { $and: [condition] } : condition }
    const assigner = decode([experiment])
    expectSameDecisions(experiment, assigner, attributes.map((a, i) => ({ ...a, id: `u${i}` })))
  })

  it('string shorthand matches the number and boolean GrowthBook writes the same way', () => {
    const x = { key: 'c', variations: [0, 1], condition: { a: '1', b: 'true' } }
    const units: ReadonlyArray<Unit> = [{ a: 1, b: true }, { a: '1', b: 'true' }, { a: 1.0, b: 'true' }, { a: 2, b: true }, { a: '01', b: true }, { b: true }]
    expectSameDecisions(x, decode([x]), units.map((u, i) => ({ ...u, id: `u${i}` })))
    // The coercion is real: GrowthBook enrolls { a: 1, b: true } under { a: '1', b: 'true' }, and so do we.
    expect(theirs(x, { a: 1, b: true, id: 'u0' })).toBeGreaterThanOrEqual(0)
    expect(ours(assignTo('c', { a: 1, b: true, id: 'u0' })(decode([x])))).toBeGreaterThanOrEqual(0)
  })
})

describe('condition: documented divergences (docs/growthbook.md), pinned', () => {
  const run = (condition: Json, unit: Unit) => {
    const x = { key: 'c', variations: [0, 1], condition }
    return { gb: theirs(x, { id: 'u', ...unit }), tp: ours(assignTo('c', { id: 'u', ...unit })(decode([x]))) }
  }

  it('GrowthBook coerces strings and booleans in number conditions; touchpoint matches numbers only', () => {
    expect(run({ age: 30 }, { age: '30' })).toMatchObject({ tp: -1 })
    expect(run({ age: 30 }, { age: '30' }).gb).toBeGreaterThanOrEqual(0)
    expect(run({ age: { $gt: 18 } }, { age: ' 30' }).gb).toBeGreaterThanOrEqual(0)
    expect(run({ age: { $gt: 18 } }, { age: ' 30' }).tp).toBe(-1)
    expect(run({ age: { $gte: 1 } }, { age: true }).gb).toBeGreaterThanOrEqual(0)
    expect(run({ age: { $gte: 1 } }, { age: true }).tp).toBe(-1)
    expect(run({ age: { $gt: 18 } }, { age: Number.POSITIVE_INFINITY }).gb).toBeGreaterThanOrEqual(0)
    expect(run({ age: { $gt: 18 } }, { age: Number.POSITIVE_INFINITY }).tp).toBe(-1)
  })

  it('an attribute present with the value undefined is absent for touchpoint, present for GrowthBook', () => {
    expect(run({ beta: false }, { beta: undefined }).gb).toBeGreaterThanOrEqual(0)
    expect(run({ beta: false }, { beta: undefined }).tp).toBe(-1)
    expect(run({ beta: false }, {})).toEqual({ gb: -1, tp: -1 })
  })
})

describe('condition: what cannot be reproduced is refused, with the path', () => {
  const withCondition = (condition: unknown) => [{ key: 'c', variations: [0, 1], condition }]
  const paths = (condition: unknown) => issuesOf(withCondition(condition)).map((i) => i.path)

  it('operators other than $eq, $in, $nin, $gt, $gte, $lt, $lte, $and', () => {
    expect(paths({ $or: [{ a: 1 }] })).toEqual(['[0].condition.$or'])
    expect(paths({ a: { $regex: '^x' } })).toEqual(['[0].condition.a.$regex'])
    expect(paths({ a: { $exists: true } })).toEqual(['[0].condition.a.$exists'])
    expect(paths({ $and: [{ a: { $ne: 1 } }] })).toEqual(['[0].condition.$and[0].a.$ne'])
    expect(paths({ $not: { a: 1 } })).toEqual(['[0].condition.$not'])
    expect(paths({ $savedGroup: { id: 'g' } })).toEqual(['[0].condition.$savedGroup'])
  })

  it('$nin without null: GrowthBook admits units lacking the attribute, touchpoint would not', () => {
    const x = { key: 'c', variations: [0, 1], condition: { country: { $nin: ['US'] } } }
    expect(gbRun(x, { id: 'some-user' }).inExperiment).toBe(true)
    expect(paths(x.condition)).toEqual(['[0].condition.country.$nin'])
  })

  it('ranges that admit 0: GrowthBook compares a missing attribute as 0', () => {
    const condition = { age: { $lt: 18 } }
    expect(gbRun({ key: 'c', variations: [0, 1], condition }, { id: 'u-no-age' }).inExperiment).toBe(true)
    expect(paths(condition)).toEqual(['[0].condition.age'])
    expect(paths({ age: { $gte: 0 } })).toEqual(['[0].condition.age'])
  })

  it('shorthand 0, null, "null", arrays and objects; $in with null; string bounds', () => {
    expect(paths({ a: 0 })).toEqual(['[0].condition.a'])
    expect(paths({ a: null })).toEqual(['[0].condition.a'])
    expect(paths({ a: 'null' })).toEqual(['[0].condition.a'])
    expect(paths({ a: ['x'] })).toEqual(['[0].condition.a'])
    expect(paths({ a: { b: 1 } })).toEqual(['[0].condition.a'])
    expect(paths({ a: { $in: ['x', null] } })).toEqual(['[0].condition.a.$in[1]'])
    expect(paths({ a: { $in: 'x' } })).toEqual(['[0].condition.a.$in'])
    expect(paths({ a: { $gt: '2024-01-01' } })).toEqual(['[0].condition.a.$gt'])
    expect(paths({ a: { $eq: null } })).toEqual(['[0].condition.a.$eq'])
  })

  it('nested attribute paths and names GrowthBook would read from Object.prototype', () => {
    expect(paths({ 'user.country': 'DE' })).toEqual(['[0].condition["user.country"]'])
    expect(paths({ constructor: 'x' })).toEqual(['[0].condition.constructor'])
  })

  it('every problem is listed, not only the first', () => {
    expect(paths({ a: 0, b: { $regex: 'x' }, c: 'ok' })).toEqual(['[0].condition.a', '[0].condition.b.$regex'])
  })

  test.prop([fc.jsonValue()])('any JSON condition gives Right or Left, never a throw', (condition) => {
    expect(() => fromGrowthBook(withCondition(condition))).not.toThrow()
  })
})

// ---------------------------------------------------------------------------------------------------------------
// importer errors
// ---------------------------------------------------------------------------------------------------------------

describe('fromGrowthBook: errors', () => {
  const messages = (input: unknown) => issuesOf(input).map(formatIssue)
  const ok = { key: 'x', variations: [0, 1] }

  it('seen: a field present with the value undefined is read as GrowthBook reads it, not refused as missing', () => {
    const x = { ...ok, hashVersion: undefined, weights: undefined, coverage: undefined, meta: [{ key: 'a', name: undefined }, { key: undefined }], include: undefined }
    const r = fromGrowthBook([x])
    expect(r).toEqual(E.right(expect.anything()))
    expect(decode([x]).experiments[0]).toMatchObject({ hashVersion: 'growthbook-v1', variants: ['a', '1'], coverage: 1 })
    expectSameDecisions(x, decode([x]), fc.sample(arbUnitId, { numRuns: 300, seed: 9 }).map((id) => ({ id })))
  })

  it('seen: GrowthBook mode reports GrowthBook\'s bucket (0.2435), not the integer bucket (2435)', () => {
    const x = { key: 'checkout-button', variations: [0, 1], hashVersion: 2 }
    const id = fc.sample(arbUnitId, { numRuns: 200, seed: 1 }).find((u) => gbRun(x, { id: u }).bucket === 0.2435) ?? 'u-2435'
    const a = assignTo('checkout-button', { id })(decode([x]))
    expect(a).toMatchObject({ _tag: 'Enrolled', bucket: gbRun(x, { id }).bucket })
    expect((a as { bucket: number }).bucket).toBeLessThan(1)
  })

  it('force: every enrolled unit gets the forced variation; force present but undefined or out of range enrolls nobody', () => {
    const units = fc.sample(arbUnitId, { numRuns: 300, seed: 4 }).map((id) => ({ id }))
    for (const force of [0, 1, undefined, 2, -1]) {
      const x = { ...ok, coverage: 0.7, force }
      expectSameDecisions(x, decode([x]), units)
    }
    expect(decode([{ ...ok, force: 1 }]).experiments[0]!.weights).toEqual([0, 1])
    expect(issuesOf([{ ...ok, force: 0.5 }]).map((i) => i.path)).toEqual(['[0].force'])
    expect(issuesOf([{ ...ok, force: null }]).map((i) => i.path)).toEqual(['[0].force'])
  })

  it('not an array, missing key, fewer than 2 variations, wrong types', () => {
    expect(messages({ experiments: [] })).toEqual(['(input): expected an array of GrowthBook experiments, got {"experiments":[]}'])
    expect(messages([{ variations: [0] }])).toEqual([
      '[0].key: expected a non-empty string, got nothing (the field is missing)',
      '[0].variations: expected an array of at least 2 variations (GrowthBook enrolls nobody in an experiment with fewer), got [0]',
    ])
    expect(messages([{ ...ok, coverage: '50%' }])).toEqual(['[0].coverage: expected a number or null, got "50%"'])
    expect(messages([ok, { ...ok, weights: [0.5, 'x'] }])).toEqual(['[1].weights[1]: expected a number, got "x"'])
  })

  it('an unknown field is refused, naming the known ones', () => {
    expect(messages([{ ...ok, weigths: [0.5, 0.5] }])).toEqual([expect.stringMatching(/^\[0\]\.weigths: expected no such field \(known: key, variations, weights, .*\), got \[0\.5,0\.5\]$/)])
  })

  it.each([
    ['include', 'x => true'],
    ['url', '^/checkout'],
    ['urlPatterns', [{ type: 'simple', include: true, pattern: '/' }]],
    ['parentConditions', [{ id: 'f', condition: { value: true } }]],
    ['groups', ['beta']],
    ['fallbackAttribute', 'deviceId'],
    ['minBucketVersion', 1],
    ['contextualBandit', { leafId: 'l' }],
  ])('%s changes who gets what and cannot be reproduced: refused', (field, value) => {
    const issues = issuesOf([{ ...ok, [field]: value }])
    expect(issues.map((i) => i.path)).toEqual([`[0].${field}`])
    expect(issues[0]!.expected).toMatch(new RegExp(`^no ${field}`))
  })

  it('refused fields that GrowthBook ignores when falsy are accepted when falsy (undefined, null, "", 0, false)', () => {
    for (const value of [undefined, null, '', 0, false]) {
      const x = { ...ok, include: value, url: value, urlPatterns: value, parentConditions: value, groups: value, fallbackAttribute: value, minBucketVersion: value, contextualBandit: value }
      expectSameDecisions(x, decode([x]), fc.sample(arbUnitId, { numRuns: 100, seed: 2 }).map((id) => ({ id })))
    }
  })

  it('hash versions GrowthBook cannot hash with (it would enroll or admit nobody)', () => {
    expect(messages([{ ...ok, hashVersion: 3 }])).toEqual(['[0].hashVersion: expected 1 or 2 (GrowthBook skips every unit under another hash version), got 3'])
    expect(issuesOf([{ ...ok, filters: [{ seed: 's', ranges: [[0, 1]], hashVersion: 1.5 }] }]).map((i) => i.path)).toEqual(['[0].filters[0].hashVersion'])
    expect(theirs({ ...ok, hashVersion: 3 }, { id: 'u' })).toBe(-1)
  })

  it('meta shorter than variations, duplicate variation keys, duplicate experiment keys', () => {
    expect(issuesOf([{ ...ok, variations: [0, 1, 2], meta: [{ key: 'a' }, { key: 'b' }] }]).map((i) => i.path)).toEqual(['[0].meta'])
    expect(messages([{ ...ok, meta: [{ key: 'a' }, { key: 'a' }] }])).toEqual(['[0].meta[1].key: expected a variation key not already used by variation 0, got "a"'])
    expect(messages([ok, { ...ok }])).toEqual(['[1].key: expected an experiment key not already used by [0], got "x"'])
  })

  it('filter and namespace shapes', () => {
    expect(issuesOf([{ ...ok, filters: [{ ranges: [[0, 1]] }] }]).map((i) => i.path)).toEqual(['[0].filters[0].seed'])
    expect(messages([{ ...ok, namespace: ['ns', 0] }])).toEqual(['[0].namespace: expected a [id, start, end] namespace (a string and two numbers) or null, got ["ns",0]'])
    expect(issuesOf([{ ...ok, hashAttribute: 'toString' }]).map((i) => i.path)).toEqual(['[0].hashAttribute'])
  })

  it('experiment keys GrowthBook finds on Object.prototype among forced variations', () => {
    expect(gbRun({ ...ok, key: 'constructor' }, { id: 'u' }).variationId).toBe(Object)
    expect(issuesOf([{ ...ok, key: 'constructor' }]).map((i) => i.path)).toEqual(['[0].key'])
  })

  it('problems of several experiments are all listed; onUnsupported: skip leaves those experiments out, the rest exact', () => {
    const input = [
      { key: 'a', variations: [0, 1], urlPatterns: [] },
      { key: 'b', variations: [0, 1], hashVersion: 2, weights: [0.3, 0.7] },
      { key: 'c', variations: [0, 1], condition: { country: { $nin: ['US'] } } },
      { key: 'b', variations: [0, 1] },
    ]
    expect(issuesOf(input).map((i) => i.path)).toEqual(['[0].urlPatterns', '[2].condition.country.$nin', '[3].key'])
    const r = fromGrowthBook(input, { onUnsupported: 'skip' })
    if (E.isLeft(r)) throw new Error('expected a Right')
    expect(r.right.experiments.map((x) => x.key)).toEqual(['b'])
    expect(assignTo('a', { id: 'u' })(r.right)).toMatchObject({ _tag: 'NotEnrolled', reason: 'unknown-experiment' })
    expectSameDecisions(input[1]!, r.right, fc.sample(arbUnitId, { numRuns: 300, seed: 5 }).map((id) => ({ id })))
    expect(E.isLeft(fromGrowthBook({ experiments: input }, { onUnsupported: 'skip' }))).toBe(true)
  })

  test.prop([fc.anything()])('any input gives Right or Left, never a throw', (input) => {
    expect(() => fromGrowthBook(input)).not.toThrow()
    expect(() => fromGrowthBook([input])).not.toThrow()
  })
})
