import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decodeConfig } from '../../src/assignment/decode'
import { assignTo } from '../../src/assignment/assign'
import { previewChange } from '../../src/assignment/preview'
import type { Assigner, Assignment } from '../../src/assignment/model'
import { arbWeights } from '../_arbitraries'

const decode = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const outcome = (a: Assignment) => (a._tag === 'Enrolled' ? a.variant : '-')
const config = (weights: ReadonlyArray<number>, coverage: number, ranges: ReadonlyArray<readonly [number, number]>, salt = 's') => ({
  holdout: { share: 0.05, unit: 'userId' },
  layers: [{ key: 'l', unit: 'userId' }],
  experiments: [{ key: 'x', salt, coverage, layer: { key: 'l', ranges }, variants: weights.map((weight, i) => ({ key: `v${i}`, weight })) }],
})

describe('previewChange', () => {
  it('no change moves nobody', () => {
    const a = decode(config([0.5, 0.5], 0.7, [[0, 0.5]]))
    expect(pipe(a, previewChange(a))).toEqual([{ experiment: 'x', changed: 0, switched: 0, entering: 0, leaving: 0, enrolledBefore: expect.closeTo(0.95 * 0.7 * 0.5, 12), enrolledAfter: expect.closeTo(0.95 * 0.7 * 0.5, 12) }])
  })

  it('50/50 to 30/70 moves 20% of enrolled units, exactly', () => {
    const [p] = pipe(decode(config([0.3, 0.7], 1, [[0, 1]])), previewChange(decode(config([0.5, 0.5], 1, [[0, 1]]))))
    expect(p!.switched).toBeCloseTo(0.95 * 0.2, 12)
    expect(p!.entering + p!.leaving).toBe(0)
  })

  it('a new experiment has everyone it enrols entering; a removed one, leaving', () => {
    const empty = decode({ experiments: [] })
    const x = decode(config([0.5, 0.5], 1, [[0, 1]]))
    expect(pipe(x, previewChange(empty))[0]).toMatchObject({ entering: expect.closeTo(0.95, 12), leaving: 0 })
    expect(pipe(empty, previewChange(x))[0]).toMatchObject({ leaving: expect.closeTo(0.95, 12), entering: 0 })
  })

  test.prop(
    [arbWeights(2, 4), arbWeights(2, 4), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()],
    { numRuns: 12 },
  )('agrees with the change observed on 20,000 units, within a binomial bound', (w1, w2, c1, c2, newSalt) => {
    const n = Math.min(w1.length, w2.length)
    const norm = (w: ReadonlyArray<number>) => {
      const head = w.slice(0, n - 1)
      return [...head, Math.round((1 - head.reduce((s, x) => s + x, 0)) * 1000) / 1000]
    }
    const before = decode(config(norm(w1), c1, [[0, 0.6]]))
    const after = decode(config(norm(w2), c2, [[0.2, 0.9]], newSalt ? 't' : 's'))
    const [p] = pipe(after, previewChange(before))
    const units = fc.sample(fc.uuid(), { numRuns: 20_000, seed: 42 })
    const changed = units.filter((userId) => outcome(pipe(before, assignTo('x', { userId }))) !== outcome(pipe(after, assignTo('x', { userId })))).length / units.length
    expect(Math.abs(changed - p!.changed)).toBeLessThan(5 * Math.sqrt(Math.max(p!.changed * (1 - p!.changed), 1e-4) / units.length) + 1e-3)
  })
})
