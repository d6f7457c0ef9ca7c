import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decodeConfig } from '../../src/assignment/decode'
import { assignTo, isEnrolled } from '../../src/assignment/assign'
import { toExposure } from '../../src/assignment/exposure'
import { designedSplit } from '../../src/assignment/designedSplit'
import type { Assigner } from '../../src/assignment/model'
import { arbConfigInput, arbUnitId } from '../_arbitraries'
import { right as rightOf } from '../_either'

const decode = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe('exposure and designed split', () => {
  it('an exposure carries what a log needs, including the layer and config version', () => {
    const assigner = decode({
      version: '2026-11-23',
      layers: [{ key: 'checkout', unit: 'userId' }],
      experiments: [{ key: 'x', unit: 'userId', bucketVersion: 3, layer: { key: 'checkout', ranges: [[0, 1]] }, variants: [{ key: 'a' }, { key: 'b' }] }],
    })
    const a = pipe(assigner, assignTo('x', { userId: 'u-1' }))
    if (!isEnrolled(a)) throw new Error('expected enrolment')
    expect(toExposure(assigner)(a)).toEqual({
      experiment: 'x',
      variant: a.variant,
      variantIndex: a.variantIndex,
      unit: 'userId',
      unitId: 'u-1',
      bucket: a.bucket,
      hashVersion: 'tp1',
      override: false,
      sticky: false,
      layer: 'checkout',
      bucketVersion: 3,
      configVersion: '2026-11-23',
    })
  })

  test.prop([arbConfigInput, arbUnitId])('exposures survive a JSON round trip', (config, userId) => {
    const assigner = decode(config)
    for (const x of config.experiments) {
      const a = pipe(assigner, assignTo(x.key, { userId }))
      if (isEnrolled(a)) expect(JSON.parse(JSON.stringify(toExposure(assigner)(a)))).toEqual(toExposure(assigner)(a))
    }
  })

  test.prop([arbConfigInput])('the designed split lists every variant with its weight, summing to 1', (config) => {
    const assigner = decode(config)
    for (const x of config.experiments) {
      const split = rightOf(pipe(assigner, designedSplit(x.key)))
      expect(split.map((s) => s.variant)).toEqual(x.variants.map((v) => v.key))
      expect(split.map((s) => s.weight)).toEqual(x.variants.map((v) => v.weight))
      expect(split.reduce((s, v) => s + v.weight, 0)).toBeCloseTo(1, 9)
    }
  })

  test.prop([arbConfigInput, fc.string()])('seen: an unknown key is a Left naming the key and the known ones, like the rest of the API', (config, key) => {
    const assigner = decode(config)
    fc.pre(!assigner.byKey.has(key))
    const r = pipe(assigner, designedSplit(key))
    expect(r).toEqual(E.left({ _tag: 'InvalidInput', issues: [{ path: 'experimentKey', expected: expect.stringContaining(JSON.stringify(config.experiments[0]!.key)), actual: key }] }))
  })

  it('equal weights when none are given', () => {
    expect(pipe(decode({ experiments: [{ key: 'x', variants: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] }] }), designedSplit('x'))).toEqual(E.right([
      { variant: 'a', weight: 1 / 3 },
      { variant: 'b', weight: 1 / 3 },
      { variant: 'c', weight: 1 / 3 },
    ]))
  })
})
