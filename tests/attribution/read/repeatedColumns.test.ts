/**
 * A header that names a column it reads twice is an error naming the column and the header line: the reader
 * used to take the first copy without a word (the costs CSV refuses the same since issue 10).
 */
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { formatError } from '../../../src/core/errors'
import { readAttributionText } from '../../../src/attribution/read/text'

const message = (text: string): string => {
  const r = readAttributionText()(text)
  return E.isLeft(r) ? formatError(r.left) : 'right'
}

describe('a column read twice', () => {
  it('paths: total_conversions twice is refused, naming it and line 1', () => {
    const m = message('path,total_conversions,total_conversions\na > b,1,5\n')
    expect(m).toContain('"total_conversions" once')
    expect(m).toMatch(/line 1|:1\b/)
  })

  it('events: the channel twice is refused', () => {
    expect(message('user_id,timestamp,channel,channel,conversion\nu1,1,a,b,0\n')).toContain('"channel" once')
  })

  it('a repeated column that is not read is allowed', () => {
    expect(message('path,total_conversions,note,note\na > b,1,x,y\n')).toBe('right')
  })

  test.prop([fc.constantFrom('path', 'total_conversions', 'total_conversion_value', 'total_null'), fc.integer({ min: 0, max: 4 })])(
    'any read path column repeated anywhere in the header: refused',
    (column, at) => {
      const header = ['path', 'total_conversions', 'total_conversion_value', 'total_null']
      const cells = ['a > b', '1', '2', '0']
      const h = [...header]
      const c = [...cells]
      h.splice(at, 0, column)
      c.splice(at, 0, cells[header.indexOf(column)]!)
      expect(message(`${h.join(',')}\n${c.join(',')}\n`)).toContain(`"${column}" once`)
    },
  )
})
