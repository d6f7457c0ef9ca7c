import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { assignTo } from '../../src/assignment/assign'
import { decodeConfig } from '../../src/assignment/decode'
import { experimentHandle } from '../../src/assignment/handle'
import { fromGrowthBook } from '../../src/assignment/compat/growthbook'
import { fromUnleashFeatures } from '../../src/assignment/compat/unleash'
import type { Assigner, Unit } from '../../src/assignment/model'
import { arbConfigInput, arbUnitId } from '../_arbitraries'

const decode = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const RICH = decode({
  holdout: { share: 0.1, unit: 'userId' },
  experiments: [
    {
      key: 'hero',
      unit: 'userId',
      coverage: 0.7,
      targeting: [{ attribute: 'country', in: ['DE', 'FR'] }],
      overrides: { 'qa-1': 'b' },
      variants: [{ key: 'a', weight: 0.2, value: 'red' }, { key: 'b', weight: 0.8, value: 'blue' }],
    },
    { key: 'stopped', unit: 'userId', status: 'stopped', variants: [{ key: 'x' }] },
  ],
})

const arbUnit: fc.Arbitrary<Unit | string> = fc.oneof(
  arbUnitId,
  fc.record({ userId: fc.oneof(arbUnitId, fc.constantFrom('qa-1', '', 7)), country: fc.constantFrom('DE', 'FR', 'US', undefined) }, { requiredKeys: [] }),
)

describe('experimentHandle', () => {
  test.prop([arbConfigInput, fc.array(arbUnitId, { minLength: 20, maxLength: 20 })])('variantIndex and assign agree with assignTo for every unit', (config, ids) => {
    const assigner = decode(config)
    for (const x of config.experiments) {
      const h = experimentHandle(x.key)(assigner)
      if (h._tag === 'None') throw new Error('expected a handle')
      for (const userId of ids) {
        const a = assignTo(x.key, { userId })(assigner)
        expect(h.value.assign({ userId })).toEqual(a)
        expect(h.value.variantIndex({ userId })).toBe(a._tag === 'Enrolled' ? a.variantIndex : -1)
      }
    }
  })

  test.prop([fc.constantFrom('hero', 'stopped'), fc.array(arbUnit, { minLength: 30, maxLength: 30 })])(
    'with targeting, overrides, holdouts, coverage, status and values; a string is the id without attributes',
    (key, units) => {
      const h = experimentHandle(key)(RICH)
      if (h._tag === 'None') throw new Error('expected a handle')
      for (const unit of units) {
        const asUnit: Unit = typeof unit === 'string' ? { userId: unit } : unit
        const a = assignTo(key, asUnit)(RICH)
        expect(h.value.assign(unit)).toEqual(a)
        expect(h.value.variantIndex(unit)).toBe(a._tag === 'Enrolled' ? a.variantIndex : -1)
      }
    },
  )

  it('in GrowthBook mode too', () => {
    const r = fromGrowthBook([{ key: 'gb', variations: [false, true], weights: [0.4, 0.6], coverage: 0.9, hashVersion: 2 }])
    if (E.isLeft(r)) throw new Error('fixture')
    const h = experimentHandle('gb')(r.right)
    if (h._tag === 'None') throw new Error('expected a handle')
    for (const id of fc.sample(arbUnitId, { numRuns: 500, seed: 3 })) {
      const a = assignTo('gb', { id })(r.right)
      expect(h.value.assign({ id })).toEqual(a)
      expect(h.value.variantIndex({ id })).toBe(a._tag === 'Enrolled' ? a.variantIndex : -1)
    }
  })

  it('in Unleash mode, whose bucket is reported as the SDK reports it', () => {
    const variants = [{ name: 'a', weight: 300, weightType: 'variable', stickiness: 'default' }, { name: 'b', weight: 700, weightType: 'variable', stickiness: 'default' }]
    const r = fromUnleashFeatures([{ name: 'f', enabled: true, strategies: [{ name: 'default', parameters: {}, constraints: [], variants }] }])
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const x = r.right.byKey.get('f')!
    // Nothing but the split, and a bucket reported in the SDK's terms (normalizedValue).
    expect([x.status, x.targeting.length, x.gates.length, x.overrides.size, typeof x.split.hashing.reported]).toEqual(['running', 0, 0, 0, 'function'])
    const h = experimentHandle('f')(r.right)
    if (h._tag === 'None') throw new Error('expected a handle')
    for (const id of fc.sample(arbUnitId, { numRuns: 500, seed: 5 })) {
      const a = assignTo('f', { userId: id })(r.right)
      expect(h.value.assign({ userId: id })).toEqual(a)
      expect(h.value.assign(id)).toEqual(a)
      expect(h.value.variantIndex({ userId: id })).toBe(a._tag === 'Enrolled' ? a.variantIndex : -1)
    }
    expect(h.value.assign({ userId: '' })).toEqual(assignTo('f', { userId: '' })(r.right))
    expect([h.value.variantIndex(''), h.value.variantIndex({ userId: '' }), h.value.variantIndex({})]).toEqual([-1, -1, -1])
  })

  test.prop([fc.string()])('an unknown key is none', (key) => {
    fc.pre(!RICH.byKey.has(key))
    expect(experimentHandle(key)(RICH)).toEqual({ _tag: 'None' })
  })

  it('variantIndex allocates nothing; assign allocates only its result', () => {
    const root = resolve(__dirname, '../..')
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=128', '--min-semi-space-size=128', '--import', 'tsx', 'tests/assignment/_allocation.ts'], { cwd: root, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const bytes = JSON.parse(r.stdout) as { variantIndexUnit: number; variantIndexId: number; assign: number }
    expect(bytes.variantIndexUnit).toBeLessThan(0.5)
    expect(bytes.variantIndexId).toBeLessThan(0.5)
    // One Enrolled or NotEnrolled object (13 fields at most): well under 200 bytes, the curried assignTo's cost.
    expect(bytes.assign).toBeGreaterThan(20)
    expect(bytes.assign).toBeLessThan(160)
  })
})
