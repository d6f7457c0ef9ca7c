/**
 * The in-memory read from plain JavaScript: options that are not an object are named, never spread.
 */
import { test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { readAttributionText } from '../../../src/attribution/read/text'
import { arbPlain } from '../../_total'

const paths = (r: E.Either<{ readonly _tag: string; readonly issues?: ReadonlyArray<{ readonly path: string }> }, unknown>) => (E.isLeft(r) ? r.left.issues?.map((i) => i.path) : 'right')

describe('readAttributionText', () => {
  it('reads paths text', () => {
    const r = readAttributionText()('path,total_conversions\na > b,2\n')
    expect(E.isRight(r) && [r.right.kind, r.right.rows, r.right.partial.channels]).toEqual(['paths', 1, ['a', 'b']])
  })

  // The export surface suite saw it hang: a long string as options was spread into an object of one unknown
  // field per character, and the error report compared every pair of paths (13 s for 16,000 characters).
  it.each([['x'.repeat(16_000)], [42], [null], [['preset']]])('options %# that are no object are named as such', (options) => {
    expect(paths(readAttributionText(options as never)('path\na\n'))).toEqual(['options'])
  })

  it('names text that is no string', () => {
    expect(paths(readAttributionText({})(7 as never))).toEqual(['text'])
  })

  test.prop([arbPlain(), arbPlain(['path,total_conversions\na,1\n'])])('any arguments: a Left naming a place or a Right, never a throw', (options, text) => {
    const r = readAttributionText(options as never)(text as never)
    if (E.isLeft(r) && r.left._tag === 'InvalidInput') for (const i of r.left.issues) expect(i.path !== '' || i.line !== undefined).toBe(true)
  })
})
