import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { attributePathsText, attributionColumns, formatAttribution } from '../../src/attribution/table'
import { formatError } from '../../src/core/errors'
import { right } from './_helpers'

const text = 'path,total_conversions,total_conversion_value,total_null\nsearch > email,2,30,1\nemail,1,10,4\ndisplay > search,0,0,3\n'

describe('attributePathsText and formatAttribution', () => {
  it('columns: channel, then <model>_conversions/_value per model, then the removal effects', () => {
    const a = right(pipe(text, attributePathsText({ models: ['first', 'markov'] })))
    expect(attributionColumns(a)).toEqual(['channel', 'first_conversions', 'first_value', 'markov_conversions', 'markov_value', 'markov_removal_effect', 'markov_value_removal_effect'])
    expect(pipe(a, formatAttribution('csv')).split('\n').slice(0, 2)).toEqual([
      'channel,first_conversions,first_value,markov_conversions,markov_value,markov_removal_effect,markov_value_removal_effect',
      expect.stringMatching(/^search,2,30,/),
    ])
  })
  it('markdown has a totals row that adds up to the conversions and value', () => {
    const md = right(pipe(text, attributePathsText({ models: ['last', 'linear'] }), E.map(formatAttribution('markdown'))))
    expect(md.trim().split('\n').pop()).toBe('| **total** | 3.00 | 40.00 | 3.00 | 40.00 |')
  })
  it('json is an array of rows', () => {
    const rows = JSON.parse(right(pipe(text, attributePathsText({ models: ['last'] }), E.map(formatAttribution('json'))))) as unknown
    expect(rows).toEqual([
      { channel: 'search', last_conversions: 0, last_value: 0 },
      { channel: 'email', last_conversions: 3, last_value: 40 },
      { channel: 'display', last_conversions: 0, last_value: 0 },
    ])
  })
  it('lists every bad line', () => {
    const r = pipe('path,total_conversions\na,1\n,2\nb,no\n', attributePathsText({ models: ['last'] }))
    expect(E.isLeft(r) && formatError(r.left)).toBe(
      ['line 3: path: expected channel names separated by ">" (none empty), got ""', 'line 4: total_conversions: expected a number >= 0, got "no"'].join('\n'),
    )
  })
  it('runs on examples/paths.csv (the README demo): 12 channels, totals conserved', () => {
    const a = right(pipe(readFileSync('examples/paths.csv', 'utf8'), attributePathsText({ models: ['first', 'last', 'linear', 'position', 'markov', 'shapley'] })))
    expect(a.channels.length).toBeGreaterThanOrEqual(10)
    for (const m of a.models) expect(a.channels.reduce((s, c) => s + c.credits[m]!.conversions, 0)).toBeCloseTo(a.totals.conversions, 9)
  })
})
