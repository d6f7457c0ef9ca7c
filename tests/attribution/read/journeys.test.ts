/**
 * The journey builder of the reading pipeline against a reference written as the rules read (docs/attribution.md,
 * "Events: the exact rules"), whatever the order users are interleaved in: in time order (where users are closed
 * and dropped as the input goes), grouped by user, or any interleaving that keeps each user's order.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { journeyCore, UNATTRIBUTED_CHANNEL, type JourneyCoreOptions } from '../../../src/attribution/read/journeys'
import { formatError } from '../../../src/core/errors'

interface Ev {
  readonly user: string
  readonly time: number
  readonly channel: number
  readonly conversion: boolean
  readonly conversionTime: number
  readonly value: number
}

interface J {
  readonly channels: ReadonlyArray<number>
  readonly times: ReadonlyArray<number>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
  readonly conversionTime: number | undefined
}

/** The rules, per user, with nothing streamed: what the builder must give. */
const reference = (events: ReadonlyArray<Ev>, L: number): Array<J> => {
  const out: Array<J> = []
  const byUser = new Map<string, Array<Ev>>()
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e])
  for (const evs of byUser.values()) {
    let pending: Array<{ channel: number; time: number }> = []
    const tail = () => {
      if (pending.length === 0) return
      const last = pending[pending.length - 1]!.time
      const kept = pending.filter((p) => last - p.time <= L)
      out.push({ channels: kept.map((p) => p.channel), times: kept.map((p) => p.time), conversions: 0, value: 0, nulls: 1, conversionTime: undefined })
      pending = []
    }
    for (const e of evs) {
      if (e.channel < 0 && !e.conversion) continue
      if (pending.length > 0 && e.time - pending[pending.length - 1]!.time > L) tail()
      if (e.channel >= 0) pending.push({ channel: e.channel, time: e.time })
      if (e.conversion) {
        const T = Number.isNaN(e.conversionTime) ? e.time : e.conversionTime
        const kept = pending.filter((p) => T - p.time <= L)
        out.push(
          kept.length === 0
            ? { channels: [UNATTRIBUTED_CHANNEL], times: [T], conversions: 1, value: e.value, nulls: 0, conversionTime: T }
            : { channels: kept.map((p) => p.channel), times: kept.map((p) => p.time), conversions: 1, value: e.value, nulls: 0, conversionTime: T },
        )
        pending = []
      }
    }
    tail()
  }
  return out
}

const run = (events: ReadonlyArray<Ev>, options: Partial<JourneyCoreOptions>) => {
  const out: Array<J> = []
  const b = journeyCore({ order: 'any', timeColumn: 'timestamp', userColumn: 'user_id', ...options }, (channels, times, n, conversions, value, nulls, conversionTime) =>
    out.push({ channels: channels.slice(0, n), times: times.slice(0, n), conversions, value, nulls, conversionTime }),
  )
  const errors: Array<string> = []
  events.forEach((e, i) => {
    if (e.channel < 0 && !e.conversion) return
    const problem = b.push(e.user, 0, e.user.length, e.time, e.channel, e.conversion, e.conversionTime, e.value, i + 2, 0)
    if (problem !== undefined) errors.push(formatError(problem))
  })
  b.end()
  return { out, errors, peak: b.peakOpenUsers(), ordered: b.timeOrdered() }
}

const key = (js: ReadonlyArray<J>) => js.map((j) => JSON.stringify(j)).sort()

const HOUR = 3_600_000
/** Users with their own clocks: gaps up to two days, a conversion time up to an hour after a converting touch. */
const arbUsers = fc.array(
  fc.array(
    fc.record({
      gap: fc.integer({ min: 0, max: 48 }),
      channel: fc.integer({ min: -1, max: 4 }),
      conversion: fc.boolean(),
      late: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      value: fc.integer({ min: 0, max: 100 }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  { minLength: 1, maxLength: 8 },
)
const eventsOf = (users: ReadonlyArray<ReadonlyArray<{ gap: number; channel: number; conversion: boolean; late: number | undefined; value: number }>>, starts: ReadonlyArray<number>): Array<Ev> =>
  users.flatMap((rows, u) => {
    let t = (starts[u] ?? 0) * HOUR
    return rows.map((r) => {
      t += r.gap * HOUR
      // Ids of one-byte, Latin-1, CJK and astral characters: the builder keeps ids in a pool of code units.
      return { user: `${['u', 'ü', '用户', '😀'][u % 4]}${u}`, time: t, channel: r.channel, conversion: r.conversion, conversionTime: r.conversion && r.late !== undefined ? t + r.late * 60_000 : Number.NaN, value: r.value }
    })
  })
/** Every user's events in order, interleaved as `picks` says. */
const interleave = (events: ReadonlyArray<Ev>, picks: ReadonlyArray<number>): Array<Ev> => {
  const queues = new Map<string, Array<Ev>>()
  for (const e of events) queues.set(e.user, [...(queues.get(e.user) ?? []), e])
  const users = [...queues.keys()]
  const out: Array<Ev> = []
  let k = 0
  while (out.length < events.length) {
    const open = users.filter((u) => queues.get(u)!.length > 0)
    out.push(queues.get(open[(picks[k++ % Math.max(1, picks.length)] ?? 0) % open.length]!)!.shift()!)
  }
  return out
}
const byTime = (events: ReadonlyArray<Ev>) => events.map((e, i) => [e, i] as const).sort((a, b) => a[0].time - b[0].time || a[1] - b[1]).map(([e]) => e)
const byUser = (events: ReadonlyArray<Ev>) => [...events].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))

describe('journeyCore', () => {
  test.prop([arbUsers, fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), fc.option(fc.integer({ min: 0, max: 72 }), { nil: undefined })], { numRuns: 300 })(
    'gives the reference journeys whether users come in time order, grouped, or interleaved any way',
    (users, starts, picks, lookbackHours) => {
      const events = eventsOf(users, starts)
      const L = lookbackHours === undefined ? Number.POSITIVE_INFINITY : lookbackHours * HOUR
      const lookback = lookbackHours === undefined ? {} : { lookbackMs: L }
      const expected = key(reference(events, L))
      // Time order, looked over after every event: users are closed and dropped as soon as nothing can change them.
      const timed = run(byTime(events), { ...lookback, passEvery: 1, slackMs: 0 })
      expect(timed.errors).toEqual([])
      expect(key(timed.out)).toEqual(expected)
      const grouped = run(byUser(events), { ...lookback, order: 'grouped' })
      expect(grouped.errors).toEqual([])
      expect(key(grouped.out)).toEqual(expected)
      // Any interleaving: right, or refused (never silently wrong) when users were dropped before it broke order.
      const mixed = run(interleave(events, picks), { ...lookback, passEvery: 1, slackMs: 0 })
      if (mixed.errors.length === 0) expect(key(mixed.out)).toEqual(expected)
      else expect(mixed.errors[0]).toContain('the events are not in time order')
      expect(key(run(interleave(events, picks), lookback).out)).toEqual(expected)
    },
  )

  it('in time order, memory follows the users active within the lookback window, not every user seen', () => {
    // 20 000 users, one every ten minutes, each with three touches an hour apart and a conversion.
    const events: Array<Ev> = []
    for (let u = 0; u < 20_000; u++) {
      for (let k = 0; k < 3; k++) events.push({ user: `u${u}`, time: u * 600_000 + k * HOUR, channel: k, conversion: k === 2, conversionTime: Number.NaN, value: 1 })
    }
    const r = run(byTime(events), { lookbackMs: 24 * HOUR, passEvery: 1000 })
    expect(r.errors).toEqual([])
    expect(r.out.length).toBe(20_000)
    expect(r.ordered).toBe(true)
    // Active within lookback + slack (two days) at one user per ten minutes: about 300, plus a pass's worth.
    expect(r.peak).toBeLessThan(1500)
    // Without a lookback nothing can be closed early: every user is held.
    expect(run(byTime(events), { passEvery: 1000 }).peak).toBe(20_000)
  })

  it('refuses an event that may belong to a user already closed, saying how to fix the input', () => {
    const events: Array<Ev> = [
      { user: 'a', time: 0, channel: 0, conversion: false, conversionTime: Number.NaN, value: 0 },
      { user: 'b', time: 100 * HOUR, channel: 1, conversion: false, conversionTime: Number.NaN, value: 0 },
      { user: 'b', time: 101 * HOUR, channel: 1, conversion: false, conversionTime: Number.NaN, value: 0 },
      { user: 'a', time: HOUR, channel: 2, conversion: true, conversionTime: Number.NaN, value: 5 },
    ]
    const r = run(events, { lookbackMs: 2 * HOUR, passEvery: 1, slackMs: 0 })
    expect(r.errors[0]).toContain('line 5: timestamp: expected a time after 1970-01-01T02:00:00.000Z: the events are not in time order (they were up to line 4)')
    expect(r.errors[0]).toContain('Sort the events by time')
    // Held users are never refused: with enough slack for this disorder, the same input is read right.
    const slack = run(events, { lookbackMs: 2 * HOUR, passEvery: 1, slackMs: 200 * HOUR })
    expect(slack.errors).toEqual([])
    expect(slack.out.map((j) => j.channels)).toEqual([[0, 2], [1, 1]])
  })

  it('refuses a conversion time before its row, and reads the row after it as if it had not come', () => {
    // A touch 30 hours before a conversion whose own time (29 hours earlier than its row) is within the 2-hour
    // lookback of it: the builder had dropped that touch at the row before (as the readers refuse such a row first).
    const events: Array<Ev> = [
      { user: 'a', time: 0, channel: 0, conversion: false, conversionTime: Number.NaN, value: 0 },
      { user: 'a', time: 30 * HOUR, channel: 1, conversion: true, conversionTime: HOUR, value: 5 },
      { user: 'a', time: 31 * HOUR, channel: 2, conversion: true, conversionTime: 31 * HOUR, value: 7 },
    ]
    const r = run(events, { lookbackMs: 2 * HOUR })
    expect(r.errors).toEqual([`line 3: conversionTime: expected a conversion time not before the row's timestamp (1970-01-02T06:00:00.000Z), got "1970-01-01T01:00:00.000Z"`])
    expect(r.out.map((j) => [j.channels, j.conversions])).toEqual([[[0], 0], [[2], 1]])
  })
})
