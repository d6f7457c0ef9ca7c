/**
 * After the purchase: the journey builder hands each event journey its user's previous conversion, the report's
 * layer counts journeys after a purchase, repeats and repeat value per touchpoint. Checked against a direct
 * per-user computation (the rules written out again, plainly), over shards merged in any order, at the window's
 * edges, and end to end through the CLI.
 */
import { readFileSync } from 'node:fs'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, UNATTRIBUTED } from '../../src/attribution/model'
import { journeyCore, UNATTRIBUTED_CHANNEL } from '../../src/attribution/read/journeys'
import { reader } from '../../src/attribution/read/reader'
import { DEFAULT_READ_SETTINGS } from '../../src/attribution/read/settings'
import { mergeReportPartials, reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import { AFTER_PURCHASE_NEEDS_EVENTS, afterPurchaseSection } from '../../src/report/afterPurchase'
import { buildReport } from '../../src/report/build'
import { formatReportHtml } from '../../src/report/html'
import { isReportPartial } from '../../src/report/internal/guards'
import type { AfterPurchase, ReportPartial } from '../../src/report/model'
import { formatReportMarkdown } from '../../src/report/render'
import { stageOf } from '../../src/report/stages'
import { cli } from '../_cli'

interface Event {
  readonly user: string
  readonly time: number
  readonly channel: string // '' for a row that is no touch
  readonly conversion: boolean
  readonly value: number
}
interface Counts {
  journeys: number
  repeats: number
  value: number
}
type Sums = { total: Counts; channel: Record<string, Counts> }

const zero = (): Counts => ({ journeys: 0, repeats: 0, value: 0 })

/**
 * The rules, per user, plainly: touches pile up; a touch more than L after the last one closes a non-converting
 * journey; a conversion closes a journey of the touches within L before it ((unattributed) when none). A journey
 * is after a purchase when it starts 0..W after the user's previous conversion, and repeats when it converts
 * within W of that conversion.
 */
const direct = (events: ReadonlyArray<Event>, L: number, W: number): Sums => {
  const out: Sums = { total: zero(), channel: {} }
  const byUser = new Map<string, Array<Event>>()
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e])
  for (const evs of byUser.values()) {
    let pending: Array<Event> = []
    let lastConversion = Number.NaN
    const journey = (touches: ReadonlyArray<Event>, conversion: Event | undefined) => {
      const start = touches.length > 0 ? touches[0]!.time : conversion!.time
      const since = start - lastConversion
      if (since >= 0 && since <= W) {
        const repeat = conversion !== undefined && conversion.time - lastConversion <= W
        const add = (c: Counts) => {
          c.journeys += 1
          if (repeat) {
            c.repeats += 1
            c.value += conversion.value
          }
        }
        add(out.total)
        const names = touches.length > 0 ? [...new Set(touches.map((t) => t.channel))] : [UNATTRIBUTED]
        for (const n of names) add((out.channel[n] ??= zero()))
      }
      if (conversion !== undefined) lastConversion = conversion.time
    }
    for (const e of evs) {
      if (pending.length > 0 && e.time - pending[pending.length - 1]!.time > L) {
        journey(pending, undefined)
        pending = []
      }
      if (e.channel !== '') pending = [...pending, e].filter((p) => e.time - p.time <= L)
      if (e.conversion) {
        journey(
          pending.filter((p) => e.time - p.time <= L),
          e,
        )
        pending = []
      }
    }
    if (pending.length > 0) journey(pending, undefined)
  }
  return out
}

/** Events through the journey builder (users dropped as early as the rules allow) into a report accumulator. */
const reduce = (events: ReadonlyArray<Event>, L: number, W: number): ReportPartial => {
  const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0, afterPurchaseWindowMs: W }))
  const names: Array<string> = []
  const index = new Map<string, number>()
  const mapped: Array<number> = []
  const core = journeyCore(
    { lookbackMs: L, order: 'any', timeColumn: 'time', userColumn: 'user', slackMs: 0, passEvery: 1, afterPurchaseMs: acc.afterPurchaseMs! },
    (channels, times, n, c, v, u, conversionTime, previous) => {
      for (let i = 0; i < n; i++) mapped[i] = acc.channelIndex(channels[i] === UNATTRIBUTED_CHANNEL ? UNATTRIBUTED : names[channels[i]!]!)
      acc.addIndexed(mapped, n, c, v, u, times, conversionTime, previous)
    },
  )
  let line = 1
  for (const e of events) {
    let ch = -1
    if (e.channel !== '') {
      ch = index.get(e.channel) ?? names.length
      if (ch === names.length) {
        names.push(e.channel)
        index.set(e.channel, ch)
      }
    }
    const refused = core.push(e.user, 0, e.user.length, e.time, ch, e.conversion, Number.NaN, e.value, ++line, 0)
    if (refused !== undefined) throw new Error(JSON.stringify(refused))
  }
  core.end()
  return acc.snapshot()
}

const sumsOf = (p: ReportPartial): Sums => {
  const a = p.afterPurchase!
  const channel: Record<string, Counts> = {}
  p.attribution.channels.forEach((name, i) => {
    if (a.channel.journeys[i]! > 0) channel[name] = { journeys: a.channel.journeys[i]!, repeats: a.channel.repeats[i]!, value: a.channel.repeatValue[i]! }
  })
  return { total: { journeys: a.journeys, repeats: a.repeats, value: a.repeatValue }, channel }
}

/** Random event logs: a few users, gaps that hit the window's and the lookback's edges exactly. */
const arbLog = (L: number, W: number) =>
  fc
    .array(
      fc.array(
        fc.record({
          gap: fc.constantFrom(0, 1, 2, L - 1, L, L + 1, W - 1, W, W + 1, W + L),
          channel: fc.constantFrom('', 'a', 'b', 'c'),
          conversion: fc.boolean(),
          value: fc.integer({ min: 0, max: 50 }),
        }),
        { maxLength: 14 },
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((users) => {
      const events: Array<Event & { readonly order: number }> = []
      users.forEach((rows, u) => {
        let time = 0
        for (const r of rows) {
          time += r.gap
          // A row is a touch, a conversion or both (a row that is neither changes nothing).
          const conversion = r.conversion || r.channel === ''
          events.push({ user: `u${u}`, time, channel: r.channel, conversion, value: conversion ? r.value : 0, order: events.length })
        }
      })
      // In time order (the builder then drops users as early as it can); a user's own rows keep their order.
      return events.sort((x, y) => x.time - y.time || x.order - y.order)
    })

const settingsArb = fc.record({ L: fc.constantFrom(3, 7, 20), W: fc.constantFrom(4, 10, 25) })

describe('after the purchase', () => {
  test.prop([settingsArb.chain(({ L, W }) => fc.tuple(fc.constant(L), fc.constant(W), arbLog(L, W), fc.integer({ min: 1, max: 3 }), fc.infiniteStream(fc.nat())))], { numRuns: 300 })(
    'the sums equal a direct per-user computation, over shards of users merged in any order',
    ([L, W, events, shards, picks]) => {
      const want = direct(events, L, W)
      // Users to shards, then the shards' partials merged in a random order.
      const users = [...new Set(events.map((e) => e.user))]
      const it = picks[Symbol.iterator]()
      const shardOf = new Map(users.map((u) => [u, it.next().value! % shards]))
      const parts = Array.from({ length: shards }, (_, k) => reduce(events.filter((e) => shardOf.get(e.user) === k), L, W))
      const order = parts.map((_, k) => [it.next().value!, k] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1])
      let merged = parts[order[0]![1]]!
      for (const [, k] of order.slice(1)) {
        const m = mergeReportPartials(parts[k]!)(merged)
        if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
        merged = m.right
      }
      expect(sumsOf(merged)).toEqual(want)
      expect(merged.afterPurchase!.read).toBe(merged.attribution.totals.conversions + merged.attribution.totals.nulls)
    },
  )

  it('counts a journey that starts exactly W after the purchase, not one a millisecond later', () => {
    const W = 10
    const at = (time: number, channel: string, conversion = false, value = 0): Event => ({ user: 'u', time, channel, conversion, value })
    const edge = sumsOf(reduce([at(0, 'a', true, 5), at(W, 'email'), at(W, 'email', true, 7)], 100, W))
    expect(edge.channel['email']).toEqual({ journeys: 1, repeats: 1, value: 7 })
    const past = sumsOf(reduce([at(0, 'a', true, 5), at(W + 1, 'email', true, 7)], 100, W))
    expect(past.total).toEqual(zero())
    // Starting within the window and converting after it: after a purchase, no repeat.
    const late = sumsOf(reduce([at(0, 'a', true, 5), at(W, 'email'), at(W + 1, '', true, 9)], 100, W))
    expect(late.channel['email']).toEqual({ journeys: 1, repeats: 0, value: 0 })
  })

  it('keeps a user past the lookback while the purchase window is open, and drops them after', () => {
    const got: Array<number | undefined> = []
    const core = journeyCore({ lookbackMs: 2, order: 'any', timeColumn: 't', userColumn: 'u', slackMs: 0, passEvery: 1, afterPurchaseMs: 10 }, (...args) => got.push(args[7]))
    core.push('u', 0, 1, 0, 0, true, Number.NaN, 1, 2, 0)
    // Other users' events move time on past the lookback; u is still held (its purchase's window is open).
    core.push('v', 0, 1, 5, 0, false, Number.NaN, 0, 3, 0)
    expect(core.openUsers()).toBe(2)
    core.push('u', 0, 1, 9, 1, true, Number.NaN, 1, 4, 0)
    // u's second journey knows its purchase at 0; then v (no purchase) is dropped, its journey closed; u stays.
    expect(got).toEqual([Number.NaN, 0, Number.NaN])
    expect(core.openUsers()).toBe(1)
    // Past both windows u's state goes.
    core.push('w', 0, 1, 30, 0, false, Number.NaN, 0, 5, 0)
    expect(core.openUsers()).toBe(1)
  })

  it('the streaming reader hands journeys their users\' purchases when the reducer asks', () => {
    const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0, afterPurchaseWindowMs: 86_400_000 }))
    const read = reader(DEFAULT_READ_SETTINGS, acc)
    const src = read.source({ name: 'events.csv' })
    const csv = 'user_id,timestamp,channel,conversion,conversion_value\nu,0,search,1,10\nu,1000,email,0,\nu,2000,,1,30\nv,0,email,0,\n'
    if (src.push(csv)) src.end()
    expect(read.finish()).toMatchObject({ failed: false, kind: 'events' })
    expect(sumsOf(acc.snapshot())).toEqual({ total: { journeys: 1, repeats: 1, value: 30 }, channel: { email: { journeys: 1, repeats: 1, value: 30 } } })
    expect(acc.snapshot().afterPurchase!.read).toBe(3)
  })

  it('old partials (no window, no sums) still load and build, the section saying it was not measured', () => {
    const p = reduce([{ user: 'u', time: 0, channel: 'a', conversion: true, value: 1 }], 10, 10)
    const { afterPurchaseWindowMs: _w, ...oldSettings } = p.settings
    const { afterPurchase: _a, ...rest } = p
    const old: ReportPartial = { ...rest, settings: oldSettings }
    expect(isReportPartial(old)).toBe(true)
    const r = buildReport({ models: ['linear'] })(old)
    expect(E.isRight(r) && r.right.afterPurchase?._tag).toBe('NotMeasured')
    // Merging it with a partial under a window is refused (the sums would cover part of the journeys).
    expect(E.isLeft(mergeReportPartials(p)(old))).toBe(true)
  })

  it('a stage function answering no stage (NaN, undefined, a typo) puts "(unmapped)" on the row, not its answer', () => {
    const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))
    acc.addIndexed([acc.channelIndex('email')], 1, 1, 40, 0, [10 * 86_400_000], 12 * 86_400_000, 0)
    for (const answer of [Number.NaN, undefined, 'loyality', null, {}]) {
      const s = afterPurchaseSection(acc.snapshot(), 0.95, (() => answer) as never)
      expect(s._tag === 'Measured' && s.touchpoints[0]!.stage).toBe(stageOf({ defaults: false })('email'))
    }
    const s = afterPurchaseSection(acc.snapshot(), 0.95, () => 'loyalty')
    expect(s._tag === 'Measured' && s.touchpoints[0]!.stage).toBe('loyalty')
  })

  it('journeys handed over without users: not measured, with the reason', () => {
    const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))
    acc.add({ channels: ['a'], conversions: 1, value: 1, nulls: 0 })
    const s: AfterPurchase = afterPurchaseSection(acc.snapshot(), 0.95, stageOf({}))
    expect(s).toEqual({ _tag: 'NotMeasured', reason: AFTER_PURCHASE_NEEDS_EVENTS })
  })

  it('renders the section in HTML and Markdown, marked observational', () => {
    const p = reduce(
      [
        { user: 'u', time: 0, channel: 'search', conversion: true, value: 5 },
        { user: 'u', time: 3, channel: 'email', conversion: false, value: 0 },
        { user: 'u', time: 4, channel: '', conversion: true, value: 8 },
      ],
      100,
      10,
    )
    const r = buildReport({ models: ['linear'] })(p)
    if (E.isLeft(r)) throw new Error('no report')
    const html = formatReportHtml(r.right)
    expect(html).toMatch(/<section id="after-purchase"><h2>After the purchase<\/h2><p class="note">[^<]*Observational[^<]*<\/p><div class="scroll"><table/)
    expect(html).toContain('<td>email</td><td>loyalty</td><td class="num">1</td><td class="num">1</td><td class="num">100.0% [20.7%–100.0%]</td><td class="num">8.00</td>')
    // The loyalty card on the map shows it too.
    expect(html).toMatch(/data-channel="email"[^]*?after a purchase: 1 journeys · 100\.0% \[20\.7%–100\.0%\] bought again \(observed, not an effect\)/)
    const md = formatReportMarkdown(r.right)
    expect(md).toContain('## After the purchase')
    expect(md).toContain('| email | loyalty | 1 | 1 | 100.0% [20.7%–100.0%] | 8.00 |')
  })
})

describe('touchpoint report --after-purchase-window', () => {
  /** The example events in the rules above, with the CLI's default: no lookback limit. */
  const exampleEvents = (): ReadonlyArray<Event> =>
    readFileSync('examples/events.csv', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [user, time, channel, conversion, value] = l.split(',')
        return { user: user!, time: Date.parse(time!), channel: channel!, conversion: conversion === '1', value: Number(value || 0) }
      })

  it.each([['30d', 30], ['7d', 7]])('on examples/events.csv (%s) equals the direct computation', async (flag, days) => {
    const r = await cli(['report', 'examples/events.csv', '-f', 'json', '-q', '--bootstrap', '0', '--after-purchase-window', flag])
    expect(r.code, r.stderr).toBe(0)
    const a = JSON.parse(r.stdout).afterPurchase as Extract<AfterPurchase, { _tag: 'Measured' }>
    const want = direct(exampleEvents(), Number.POSITIVE_INFINITY, days * 86_400_000)
    expect(a.total).toMatchObject({ journeys: want.total.journeys, repeats: want.total.repeats })
    expect(a.total.repeatValue).toBeCloseTo(want.total.value, 6)
    expect(Object.fromEntries(a.touchpoints.map((t) => [t.channel, [t.journeys, t.repeats]]))).toEqual(Object.fromEntries(Object.entries(want.channel).map(([k, c]) => [k, [c.journeys, c.repeats]])))
    expect(want.total.journeys).toBeGreaterThan(0)
  })

  it('says "needs event input" for paths, and refuses a window that is no duration', async () => {
    const r = await cli(['report', 'examples/paths.csv', '-f', 'markdown', '-q', '--bootstrap', '0'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`## After the purchase\n\nRepeat purchases by post-purchase touchpoint: ${AFTER_PURCHASE_NEEDS_EVENTS}.`)
    const bad = await cli(['report', 'examples/events.csv', '--after-purchase-window', '0d'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--after-purchase-window: expected a duration > 0')
    const help = await cli(['report', '--help'])
    expect(help.stdout).toContain('--after-purchase-window DURATION')
    expect(help.stdout).toContain('default 30d')
  })
})
