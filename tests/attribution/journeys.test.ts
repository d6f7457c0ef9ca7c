import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import type { EventRow } from '../../src/attribution/decode'
import { journeyBuilder, type JourneyOptions } from '../../src/attribution/journeys'
import { DAY_MS, type Journey } from '../../src/attribution/model'
import { formatError } from '../../src/core/errors'
import { CHANNELS, right, sum } from './_helpers'

const ev = (user: string, day: number, channel: string, conversion = false, value = 0): EventRow => ({ user, time: day * DAY_MS, channel, conversion, value })

const build = (rows: ReadonlyArray<EventRow>, options: JourneyOptions = {}): Array<Journey> => {
  const b = journeyBuilder(options)
  const out: Array<Journey> = []
  rows.forEach((r, i) => out.push(...right(b.push(r, i + 2))))
  out.push(...b.end())
  return out
}

describe('journeyBuilder', () => {
  it('a conversion closes a journey (its own touch included); the next touch opens a new one; a tail is a null path', () => {
    const js = build([ev('u', 0, 'search'), ev('u', 1, 'email'), ev('u', 2, 'ads', true, 50), ev('u', 3, 'social'), ev('u', 4, 'direct')])
    expect(js.map((j) => [j.channels, j.conversions, j.value, j.nulls])).toEqual([
      [['search', 'email', 'ads'], 1, 50, 0],
      [['social', 'direct'], 0, 0, 1],
    ])
  })
  it('lookback keeps touches with 0 <= T - t <= L, inclusive', () => {
    const js = build([ev('u', 0, 'a'), ev('u', 10, 'b'), ev('u', 40, 'c'), ev('u', 40, '', true, 9)], { lookbackMs: 30 * DAY_MS })
    expect(js[0]!.channels).toEqual(['b', 'c'])
  })
  it('a conversion left with no touch goes to (unattributed); the touches it could not reach ended as a journey of their own', () => {
    const js = build([ev('u', 0, 'a'), ev('u', 100, '', true, 20), ev('v', 1, '', true, 5)], { lookbackMs: 30 * DAY_MS })
    expect(js.map((j) => [j.channels, j.value, j.nulls])).toEqual([
      [['a'], 0, 1],
      [['(unattributed)'], 20, 0],
      [['(unattributed)'], 5, 0],
    ])
  })
  it('a journey ends, not converting, when its user is inactive for longer than the lookback (the gap rule)', () => {
    const L = { lookbackMs: 10 * DAY_MS }
    // A gap of exactly L keeps the journey open (windows are inclusive); L + 1 ms ends it.
    expect(build([ev('u', 0, 'a'), ev('u', 10, 'b', true, 1)], L).map((j) => j.channels)).toEqual([['a', 'b']])
    const later = build([ev('u', 0, 'a'), { user: 'u', time: 10 * DAY_MS + 1, channel: 'b', conversion: true, value: 1 }], L)
    expect(later.map((j) => [j.channels, j.conversions, j.nulls])).toEqual([
      [['a'], 0, 1],
      [['b'], 1, 0],
    ])
    // Touches more than L before the conversion, in a journey with no such gap, are outside its window.
    expect(build([ev('u', 0, 'a'), ev('u', 6, 'b'), ev('u', 12, 'c', true, 1)], L).map((j) => j.channels)).toEqual([['b', 'c']])
  })
  it('grouped mode refuses a user seen again after another user, naming both lines', () => {
    const b = journeyBuilder({ grouped: true })
    right(b.push(ev('u', 0, 'a'), 2))
    right(b.push(ev('v', 0, 'b'), 3))
    const r = b.push(ev('u', 1, 'c'), 4)
    expect(E.isLeft(r) && formatError(r.left)).toContain("line 4: user_id: expected each user's events together (grouped: sorted by user, then time): this user's events began at line 2")
  })
  it('events of several users interleave; each user in time order', () => {
    const js = build([ev('u', 0, 'a'), ev('v', 0, 'b'), ev('u', 1, 'c', true, 1), ev('v', 2, 'd', true, 2)])
    expect(js.map((j) => j.channels)).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ])
  })
  it('an event before the same user\'s previous one is reported on its line', () => {
    const b = journeyBuilder()
    right(b.push(ev('u', 5, 'a'), 2))
    const r = b.push(ev('u', 4, 'b'), 3)
    expect(E.isLeft(r) && formatError(r.left)).toBe(
      "line 3: timestamp: expected a time not before this user's previous event (1970-01-06T00:00:00.000Z): sort events by user and time, got \"1970-01-05T00:00:00.000Z\"",
    )
  })
  it('a value on a row that is no conversion is refused on its line, as the readers refuse it (it was dropped without a word)', () => {
    const b = journeyBuilder()
    const r = b.push(ev('u', 1, 'a', false, 25), 4)
    expect(E.isLeft(r) && formatError(r.left)).toBe('line 4: row.value: expected 0 on a row that is no conversion (a conversion value needs a conversion on the same row), got 25')
    expect(build([ev('u', 1, 'a', false, 0), ev('u', 2, '', true, 5)]).map((j) => j.value)).toEqual([5])
  })
  it('grouped mode closes a user as soon as the next starts, holding one user at a time', () => {
    const b = journeyBuilder({ grouped: true })
    expect(right(b.push(ev('u', 0, 'a'), 2))).toEqual([])
    expect(right(b.push(ev('v', 0, 'b'), 3)).map((j) => j.channels)).toEqual([['a']])
    expect(b.openUsers()).toBe(1)
    expect(b.end().map((j) => j.channels)).toEqual([['b']])
  })

  const arbEvents = fc
    .array(
      fc.record({ user: fc.constantFrom('u1', 'u2', 'u3'), gap: fc.integer({ min: 0, max: 20 }), channel: fc.constantFrom('', ...CHANNELS), conversion: fc.boolean(), value: fc.integer({ min: 0, max: 100 }) }),
      { maxLength: 60 },
    )
    .map((rows) => {
      const clock = new Map<string, number>()
      return rows.map((r) => {
        const t = (clock.get(r.user) ?? 0) + r.gap
        clock.set(r.user, t)
        const conversion = r.conversion || r.channel === ''
        return ev(r.user, t, r.channel, conversion, conversion ? r.value : 0) // a value needs a conversion on its row
      })
    })
  test.prop([arbEvents, fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined })])(
    'every conversion lands in exactly one journey with its value; every touch is kept or outside the window',
    (rows, lookbackDays) => {
      const js = build(rows, lookbackDays === undefined ? {} : { lookbackMs: lookbackDays * DAY_MS })
      const conversions = rows.filter((r) => r.conversion)
      expect(sum(js.map((j) => j.conversions))).toBe(conversions.length)
      expect(sum(js.map((j) => j.value))).toBe(sum(conversions.map((r) => r.value)))
      for (const j of js) {
        expect(j.channels.length).toBeGreaterThan(0)
        if (j.conversionTime !== undefined && lookbackDays !== undefined) {
          for (const t of j.times!) expect(j.conversionTime - t).toBeLessThanOrEqual(lookbackDays * DAY_MS)
        }
      }
      if (lookbackDays === undefined) {
        const touches = rows.filter((r) => r.channel !== '').length
        const credited = sum(js.map((j) => (j.channels[0] === '(unattributed)' ? 0 : j.channels.length)))
        expect(credited).toBe(touches)
      }
    },
  )
  test.prop([arbEvents])('grouped mode over events sorted by user gives the same journeys', (rows) => {
    const sorted = [...rows].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
    const key = (js: ReadonlyArray<Journey>) => js.map((j) => JSON.stringify(j)).sort()
    expect(key(build(sorted, { grouped: true }))).toEqual(key(build(rows)))
  })
})
