/**
 * reduceCsvText reads through the one pipeline (`readTextInto`): what attribution reads from the same text, and
 * every bad line in its Left.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import { DEFAULT_SETTINGS } from '../../src/attribution/model'
import { readAttributionText } from '../../src/attribution/read/text'
import { reportSettings } from '../../src/report/accumulate'
import { reduceCsvText } from '../../src/report/text'

const T0 = 1_767_225_600_000
const DAY = 86_400_000
const eventRow = fc.record({
  user: fc.constantFrom('u1', 'u2', 'u3', 'ü4'),
  time: fc.integer({ min: T0, max: T0 + 40 * DAY }),
  channel: fc.constantFrom('email', 'search', 'display', '', 'a b'),
  conversion: fc.constantFrom('0', '1', '2'),
})
const eventText = (rows: ReadonlyArray<{ user: string; time: number; channel: string; conversion: string }>) =>
  'user_id,timestamp,channel,conversion\n' + rows.map((r) => `${r.user},${r.time},${r.channel},${r.conversion}`).join('\n')
const settings = reportSettings(DEFAULT_SETTINGS, { replicates: 3 })

describe('reduceCsvText', () => {
  test.prop([fc.array(eventRow, { maxLength: 40 }), fc.boolean(), fc.constantFrom(undefined, DAY, 30 * DAY)], { numRuns: 60 })(
    'its attribution sums are what readAttributionText reads from the same events, in any order',
    (rows, sorted, lookbackMs) => {
      const given = sorted ? [...rows].sort((a, b) => a.time - b.time) : rows
      const text = eventText(given)
      const options = lookbackMs === undefined ? {} : { lookbackMs }
      const report = reduceCsvText(settings, options)(text)
      const read = readAttributionText(options)(text)
      // The same refusals too (a user's events out of time order, a bad conversion count), at the same lines.
      const lines = (e: E.Either<{ readonly _tag: string; readonly issues?: ReadonlyArray<{ readonly line?: number; readonly path: string }> }, unknown>) => (E.isLeft(e) ? e.left.issues?.map((i) => [i.line, i.path]) : 'right')
      // readAttributionText stops at the first bad line; reduceCsvText lists them all, from the same first one.
      const [r, a] = [lines(report), lines(read)]
      expect(Array.isArray(r) ? r.slice(0, 1) : r).toEqual(Array.isArray(a) ? a.slice(0, 1) : a)
      if (E.isRight(report) && E.isRight(read)) expect(report.right.attribution).toEqual(read.right.partial)
    },
  )

  test.prop([fc.array(fc.tuple(eventRow, fc.constantFrom('', 'soon', '-', '1e999')), { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 })], { numRuns: 60 })(
    'the Left lists every bad line, not the first one only',
    (rows, broken) => {
      // Conversion counts of 0 and 1 only: a count of 2 on a touch row is a bad line of its own.
      const lines = rows.map(([r, bad], i) => (broken[i] ? `${r.user},${bad},${r.channel},${r.conversion === '2' ? '1' : r.conversion}` : `${r.user},${T0 + i},${r.channel},${r.conversion === '2' ? '1' : r.conversion}`))
      const result = reduceCsvText(settings)('user_id,timestamp,channel,conversion\n' + lines.join('\n'))
      const expected = rows.flatMap((_, i) => (broken[i] ? [i + 2] : []))
      expect(E.isLeft(result) && result.left._tag === 'InvalidInput' ? [...new Set(result.left.issues.map((i) => i.line))] : []).toEqual(expected)
      expect(E.isRight(result)).toBe(expected.length === 0)
    },
  )
})
