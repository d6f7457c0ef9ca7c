import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decodeConfig } from '../../src/assignment/decode'
import { assign, isEnrolled } from '../../src/assignment/assign'
import { assignSticky } from '../../src/assignment/sticky'
import type { Assigner } from '../../src/assignment/model'
import { arbUnitId } from '../_arbitraries'

const decode = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const experiment = (extra: object = {}) => ({
  key: 'x',
  unit: 'userId',
  variants: [
    { key: 'a', weight: 0.5 },
    { key: 'b', weight: 0.5 },
  ],
  ...extra,
})

describe('assignSticky', () => {
  test.prop([arbUnitId])('with nothing stored it assigns as assign does and stores the variant', (userId) => {
    const assigner = decode({ experiments: [experiment()] })
    const { assignments, stored } = pipe(assigner, assignSticky({ userId }, {}))
    expect(assignments).toEqual(pipe(assigner, assign({ userId })))
    const a = assignments[0]!
    expect(stored).toEqual(isEnrolled(a) ? { x__0: a.variant } : {})
  })

  test.prop([fc.array(arbUnitId, { minLength: 20, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 999 })])(
    'a stored variant survives weight changes and coverage ramp-downs',
    (userIds, coverage, w) => {
      const before = decode({ experiments: [experiment()] })
      const after = decode({ experiments: [experiment({ coverage, variants: [{ key: 'a', weight: w / 1000 }, { key: 'b', weight: 1 - w / 1000 }] })] })
      for (const userId of userIds) {
        const first = pipe(before, assignSticky({ userId }, {}))
        const later = pipe(after, assignSticky({ userId }, first.stored))
        const a = first.assignments[0]!
        if (!isEnrolled(a)) continue
        expect(later.assignments[0]).toMatchObject({ _tag: 'Enrolled', variant: a.variant, sticky: true })
        expect(later.stored).toBe(first.stored) // unchanged: the same object comes back
      }
    },
  )

  it('eligibility applies first: targeting, status and layers beat a stored variant', () => {
    const stored = { x__0: 'b' }
    const targeted = decode({ experiments: [experiment({ targeting: [{ attribute: 'country', equals: 'DE' }] })] })
    expect(pipe(targeted, assignSticky({ userId: 'u', country: 'US' }, stored)).assignments[0]).toMatchObject({ reason: 'targeting' })
    const stopped = decode({ experiments: [experiment({ status: 'stopped' })] })
    expect(pipe(stopped, assignSticky({ userId: 'u' }, stored)).assignments[0]).toMatchObject({ reason: 'inactive' })
    const layered = decode({ layers: [{ key: 'l', unit: 'userId' }], experiments: [experiment({ layer: { key: 'l', ranges: [[0, 0.0001]] } })] })
    const outside = fc.sample(fc.uuid(), { numRuns: 50, seed: 1 }).find((userId) => !isEnrolled(pipe(layered, assign({ userId }))[0]!))!
    expect(pipe(layered, assignSticky({ userId: outside }, stored)).assignments[0]).toMatchObject({ reason: 'layer' })
  })

  it('a new bucket version re-randomises, and a removed variant is assigned afresh', () => {
    const v1 = decode({ experiments: [experiment({ bucketVersion: 1 })] })
    const r = pipe(v1, assignSticky({ userId: 'u' }, { x__0: 'b' }))
    expect(r.assignments[0]).toMatchObject({ sticky: false })
    expect(Object.keys(r.stored).sort()).toEqual(['x__0', 'x__1'])
    const gone = pipe(decode({ experiments: [experiment()] }), assignSticky({ userId: 'u' }, { x__0: 'removed' }))
    expect(gone.assignments[0]).toMatchObject({ _tag: 'Enrolled', sticky: false })
    expect(gone.stored['x__0']).not.toBe('removed')
  })

  it('overrides win and are not stored', () => {
    const assigner = decode({ experiments: [experiment({ overrides: { qa: 'b' } })] })
    const r = pipe(assigner, assignSticky({ userId: 'qa' }, { x__0: 'a' }))
    expect(r.assignments[0]).toMatchObject({ variant: 'b', override: true, sticky: false })
    expect(r.stored).toEqual({ x__0: 'a' })
  })
})
