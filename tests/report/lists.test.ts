import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { pathRows, topSorted } from '../../src/report/lists'
import type { PathCount, ReportPartial } from '../../src/report/model'
import { ratio } from '../../src/report/summaries'

/** pathRows as it was: every candidate sorted, then the first `top`. */
const sortedPathRows = (partial: ReportPartial, rank: (p: PathCount) => number, top: number) => {
  const names = partial.attribution.channels
  const key = (p: PathCount) => p.channels.map((c) => names[c]!).join('\u0000')
  return partial.paths.paths
    .filter((p) => rank(p) > 0)
    .sort((a, b) => rank(b) - rank(a) || b.conversions + b.nulls - (a.conversions + a.nulls) || (key(a) < key(b) ? -1 : 1))
    .slice(0, top)
    .map((p) => ({ path: p.channels.map((c) => names[c]!), conversions: p.conversions, value: p.value, nulls: p.nulls, conversionRate: ratio(p.conversions, p.conversions + p.nulls) }))
}

// Small integer weights: many ties, so the order often comes down to the tie-breaks.
const arbPaths = fc.uniqueArray(
  fc.record({
    channels: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
    conversions: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 3, noNaN: true })),
    value: fc.integer({ min: 0, max: 100 }),
    nulls: fc.integer({ min: 0, max: 3 }),
  }),
  { selector: (p) => p.channels.join(','), maxLength: 300 },
)

describe('top lists', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 400 }), fc.integer({ min: 0, max: 90 })])(
    'topSorted is the first `top` of a stable sort, ties in input order (both the selection and the sort)',
    (keys, top) => {
      const xs = keys.map((k, id) => ({ k, id }))
      const compare = (a: { k: number }, b: { k: number }) => b.k - a.k
      expect(topSorted(xs, compare, top)).toEqual(xs.slice().sort(compare).slice(0, top))
    },
  )

  test.prop([arbPaths, fc.integer({ min: 0, max: 40 }), fc.constantFrom('conversions', 'nulls')])('pathRows lists what sorting every candidate listed', (paths, top, by) => {
    const partial = { attribution: { channels: ['b', 'a', 'a b', 'c'] }, paths: { capacity: 1000, paths, error: 0 } } as unknown as ReportPartial
    const rank = (p: PathCount) => p[by]
    expect(pathRows(partial, rank, top)).toEqual(sortedPathRows(partial, rank, top))
  })
})
