/**
 * Every export of touchpoint/assignment, called from plain JavaScript with arbitrary values: no throw, no
 * rejection, no hang, no NaN (issue 10; seen: assignTo('x', null)(assigner), nativeHash(null, null),
 * decodeConfigJson(undefined)).
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import * as assignment from '../../src/assignment/index'
import { arbPlain, cyclic, probe } from '../_total'

const decoded = assignment.decodeConfig({ experiments: [{ key: 'x', variants: [{ key: 'a' }, { key: 'b' }] }] })
if (E.isLeft(decoded)) throw new Error('fixture')
const assigner = decoded.right
const enrolled = assignment.assignTo('x', { id: 'u' })(assigner)

// formatError and formatIssue are core's (src/core/errors.ts), re-exported here; the export-surface suite covers them.
const functions = Object.entries(assignment as Record<string, unknown>).filter((e) => e[0] !== 'formatError' && e[0] !== 'formatIssue').filter((e): e is [string, (...a: Array<unknown>) => unknown] => typeof e[1] === 'function')
const EXTRA = [assigner, enrolled, 'x', { id: 'u' }, { experiments: [] }, cyclic(), JSON.stringify({ experiments: [] })]

describe('touchpoint/assignment under plain JavaScript', () => {
  it('seen cases return instead of throwing', async () => {
    expect(assignment.assignTo('x', null as never)(assigner)).toMatchObject({ _tag: 'NotEnrolled', reason: 'missing-unit' })
    expect(() => assignment.nativeHash(null as never, null as never)).not.toThrow()
    expect(assignment.decodeConfigJson(undefined as never)).toMatchObject({ _tag: 'Left' })
  })

  // Found by the export-surface suite (tests/package/surface.test.ts) after the totality work above.
  it('surface-suite cases: raw configs for assigners, keys without text, BigInts, infinite targeting values', () => {
    expect(assignment.previewChange({ experiments: [{ key: 'x' }] } as never)(assigner)).toEqual([])
    expect(assignment.previewChange(assigner)({ experiments: [], byKey: {} } as never)).toEqual([])
    expect(assignment.stickyKey({ key: 'k', bucketVersion: 1 })).toBe('k__1')
    expect(assignment.stickyKey({ key: 'k', bucketVersion: { [Symbol.toPrimitive]: 1 } } as never)).toBe('k__')
    expect(assignment.stickyKey({ key: Object.create(null), bucketVersion: 3 } as never)).toBe('__3')
    const compiled = assignment.compileConfig({ experiments: [] })
    if (E.isLeft(compiled)) throw new Error('fixture')
    expect(assignment.fromCompiledConfig({ ...compiled.right, config: { experiments: [], note: 1n } })).toMatchObject({ _tag: 'Left', left: { issues: [{ path: 'config' }] } })
    const infinite = assignment.decodeConfig({ experiments: [{ key: 'x', variants: [{ key: 'a' }, { key: 'b' }], targeting: [{ attribute: 'n', notIn: [Infinity] }] }] })
    expect(infinite).toMatchObject({ _tag: 'Left', left: { issues: [{ path: 'experiments[0].targeting[0].notIn[0]' }] } })
  })

  test.prop([fc.constantFrom(...functions), fc.array(arbPlain(EXTRA), { maxLength: 3 }), fc.array(arbPlain(EXTRA), { maxLength: 3 })], { numRuns: 3000 })(
    'every exported function, and the function it returns',
    async ([name, f], args, more) => {
      expect(await probe(name, f, args, more)).toBeUndefined()
    },
  )
})

// The property above found it with seed -26585387: `fromGrowthBook(list, null)` read null.onUnsupported.
describe('fromGrowthBook options from plain JavaScript', () => {
  it.each([[null], [7], ['skip'], [{ onUnsupported: 'yes' }]])('options %j are named, never read through', async (options) => {
    const { fromGrowthBook } = await import('../../src/assignment/compat/growthbook')
    const r = fromGrowthBook([], options as never)
    expect(r._tag === 'Left' && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : r._tag).toEqual(['options'])
  })
})
