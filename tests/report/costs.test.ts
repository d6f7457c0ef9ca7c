import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCosts } from '../../src/report/costs'

describe('costs', () => {
  it('reads the example: rows add up per channel, periods listed', () => {
    const r = parseCosts(readFileSync('examples/costs.csv', 'utf8'))
    expect(E.isRight(r)).toBe(true)
    if (E.isLeft(r)) return
    const text = readFileSync('examples/costs.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
    const display = text.filter((f) => f[0] === 'display').reduce((s, f) => s + Number(f[1]), 0)
    expect(r.right.channels['display']).toBeCloseTo(display, 9)
    expect(r.right.periods).toEqual(['2026-09', '2026-10'])
    const paths = readFileSync('examples/paths.csv', 'utf8')
    for (const c of Object.keys(r.right.channels)) expect(paths).toContain(c)
  })

  test.prop([fc.array(fc.record({ channel: fc.constantFrom('a', 'b', 'c, d', 'e"f'), cost: fc.integer({ min: 0, max: 1e6 }) }), { maxLength: 30 })])(
    'the cost of a channel is the sum of its rows (quoted names too)',
    (rows) => {
      const q = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
      const text = `period,cost,channel\n${rows.map((r) => `p,${r.cost},${q(r.channel)}`).join('\n')}\n`
      const r = parseCosts(text)
      expect(E.isRight(r)).toBe(true)
      if (E.isLeft(r)) return
      for (const c of new Set(rows.map((x) => x.channel))) expect(r.right.channels[c]).toBe(rows.filter((x) => x.channel === c).reduce((s, x) => s + x.cost, 0))
    },
  )

  it('lists every bad line with its number', () => {
    const r = parseCosts('channel,cost\nemail,10\n,5\nvideo,-3\nsearch,abc\ndisplay,\nok,1,extra\n')
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => [i.line, i.path]) : []).toEqual([
      [3, 'channel'],
      [4, 'cost'],
      [5, 'cost'],
      [6, 'cost'],
      [7, ''],
    ])
    expect(E.isLeft(parseCosts('name,amount\na,1\n'))).toBe(true)
    expect(E.isLeft(parseCosts(''))).toBe(true)
  })

  // Issue 10: a repeated column was read from its first copy without a word (the second cost column ignored).
  it.each([
    ['channel,cost,cost\nemail,10,20\n', 'cost', 'cost'],
    ['\n Channel ,cost,channel\nemail,10,video\n', 'channel', ' Channel ,cost,channel'],
    ['channel,period,cost,PERIOD\nemail,2026-10,1,2026-11\n', 'period', 'channel,period,cost,PERIOD'],
  ])('a repeated column %j is an error naming it and the header line', (text, column, header) => {
    const r = parseCosts(text)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : r).toEqual([
      { path: 'header', expected: `the column "${column}" once (it is read; rename or drop the other copy)`, actual: text.includes(',cost,cost') ? 'channel,cost,cost' : header, line: text.startsWith('\n') ? 2 : 1 },
    ])
  })

  it('every repeated column read is named, as the journey reader names them (one helper for both)', () => {
    const r = parseCosts('cost,channel,channel,cost\nemail,10,20,1\n')
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.expected) : r).toEqual([
      'the column "cost" once (it is read; rename or drop the other copy)',
      'the column "channel" once (it is read; rename or drop the other copy)',
    ])
  })

  it('a repeated column it does not read is no error', () => {
    expect(parseCosts('channel,cost,note,note\nemail,10,a,b\n')).toEqual(E.right({ channels: { email: 10 }, periods: [] }))
  })

  test.prop([fc.string()])('any text gives Right or Left, never throws', (text) => {
    const r = parseCosts(text)
    expect(E.isLeft(r) || E.isRight(r)).toBe(true)
  })
})
