/**
 * A seeded generator of realistic attribution data, at any size: 12 channels in three funnel stages
 * (awareness, consideration, closing), journeys that mostly move down the funnel but mix and repeat, conversion
 * odds that depend on the channels seen, log-normal order values, and timestamps spread over weeks.
 *
 *   npx tsx scripts/generate-paths.ts paths  --rows 1000000 --seed bench --out /tmp/paths.csv
 *   npx tsx scripts/generate-paths.ts events --rows 10000000 --seed bench --out /tmp/events.csv
 *   npx tsx scripts/generate-paths.ts timed  --rows 10000000 --seed bench --days 90 --out /tmp/timed.csv
 *   npx tsx scripts/generate-paths.ts timed  --rows 200 --seed ga4 --shape ga4 --out examples/ga4-events.csv
 *
 * `paths` writes ChannelAttribution's format with DISTINCT paths (`--rows` of them); `events` writes one touch per
 * line (about `--rows` lines), sorted by user then time, with conversion rows. `timed` writes events as an export
 * ordered by time writes them (`ORDER BY timestamp`): users arrive over `--days` (90), many visit once, and their
 * events interleave; `--shape ga4|segment|snowplow` writes those exports' columns (see docs/attribution.md) and
 * `--ids ga4` GA4-like user ids (`1234567890.1788000000`, longer than V8 copies when it slices a string).
 */
import { createWriteStream } from 'node:fs'
import alea from 'seedrandom/lib/alea.js'

export const STAGES: ReadonlyArray<ReadonlyArray<string>> = [
  ['display', 'video', 'social_paid', 'affiliate'],
  ['search_paid', 'search_organic', 'email', 'social_organic', 'referral'],
  ['direct', 'retargeting', 'store'],
]
export const CHANNELS: ReadonlyArray<string> = STAGES.flat()

/** How much each channel lifts the odds of converting (log-odds), so data-driven models have something to find. */
const LIFT: Readonly<Record<string, number>> = {
  display: 0.1, video: 0.15, social_paid: 0.05, affiliate: 0.2, search_paid: 0.5, search_organic: 0.4, email: 0.6,
  social_organic: 0.1, referral: 0.3, direct: 0.2, retargeting: 0.45, store: 0.8,
}

export interface Generator {
  /** A journey: channels and the gap (ms) before each next touch. */
  readonly journey: () => { readonly channels: ReadonlyArray<string>; readonly gaps: ReadonlyArray<number> }
  readonly converts: (channels: ReadonlyArray<string>) => boolean
  readonly value: () => number
  readonly random: () => number
}

export const generator = (seed: string): Generator => {
  const random = alea(seed)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!
  const journey = () => {
    // Length: geometric-ish, mean about 4, up to 20 touches.
    let n = 1
    while (n < 20 && random() < 0.72) n++
    const channels: Array<string> = []
    const gaps: Array<number> = []
    let stage = random() < 0.7 ? 0 : random() < 0.6 ? 1 : 2
    for (let i = 0; i < n; i++) {
      const prev = channels[channels.length - 1]
      // Repeats: the same channel again (a second email, another search) a third of the time.
      const c = prev !== undefined && random() < 0.3 ? prev : pick(STAGES[stage]!)
      channels.push(c)
      gaps.push(Math.floor(random() * random() * 6 * 86_400_000))
      const u = random()
      if (u < 0.35 && stage < 2) stage++
      else if (u < 0.45 && stage > 0) stage--
    }
    return { channels, gaps }
  }
  const converts = (channels: ReadonlyArray<string>) => {
    let logit = -2.6
    for (const c of new Set(channels)) logit += LIFT[c] ?? 0
    return random() < 1 / (1 + Math.exp(-logit))
  }
  const value = () => {
    // Log-normal via Box-Muller, median about 60.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    return Math.round(Math.exp(4.1 + 0.8 * z) * 100) / 100
  }
  return { journey, converts, value, random }
}

const writer = (out: string) => {
  const stream = out === '-' ? process.stdout : createWriteStream(out)
  let buffer = ''
  return {
    write: async (text: string) => {
      buffer += text
      if (buffer.length > 1 << 20) {
        const b = buffer
        buffer = ''
        if (!stream.write(b)) await new Promise<void>((r) => stream.once('drain', () => r()))
      }
    },
    close: async () => {
      await new Promise<void>((r) => stream.write(buffer, () => r()))
      if (out !== '-') await new Promise<void>((r) => (stream as ReturnType<typeof createWriteStream>).end(() => r()))
    },
  }
}

/** `rows` distinct aggregated paths with conversions, value and nulls. */
export const writePaths = async (rows: number, seed: string, out: string): Promise<void> => {
  const g = generator(seed)
  const w = writer(out)
  await w.write('path,total_conversions,total_conversion_value,total_null\n')
  const seen = new Set<string>()
  while (seen.size < rows) {
    const { channels } = g.journey()
    const path = channels.join(' > ')
    if (seen.has(path)) continue
    seen.add(path)
    // How many journeys followed this path: many for short paths, few for long ones.
    const journeys = 1 + Math.floor(g.random() * g.random() * (40 / channels.length))
    let conversions = 0
    let value = 0
    for (let i = 0; i < journeys; i++) {
      if (g.converts(channels)) {
        conversions++
        value += g.value()
      }
    }
    await w.write(`${path},${conversions},${value.toFixed(2)},${journeys - conversions}\n`)
  }
  await w.close()
}

/** About `rows` event lines: users one after another, each in time order, journeys closed by conversions. */
export const writeEvents = async (rows: number, seed: string, out: string, start = Date.UTC(2026, 8, 1)): Promise<void> => {
  const g = generator(seed)
  const w = writer(out)
  await w.write('user_id,timestamp,channel,conversion,conversion_value\n')
  let written = 0
  let user = 0
  while (written < rows) {
    user++
    const id = `u${user.toString(36).padStart(6, '0')}`
    let t = start + Math.floor(g.random() * 30 * 86_400_000)
    const journeys = 1 + (g.random() < 0.3 ? 1 : 0) + (g.random() < 0.1 ? 1 : 0)
    for (let k = 0; k < journeys && written < rows; k++) {
      const { channels, gaps } = g.journey()
      let text = ''
      channels.forEach((c, i) => {
        text += `${id},${new Date(t).toISOString()},${c},0,\n`
        t += gaps[i]!
      })
      written += channels.length
      if (g.converts(channels)) {
        // The conversion hit: usually its own row (no channel), sometimes on the last touch's row.
        t += Math.floor(g.random() * 3_600_000)
        text += `${id},${new Date(t).toISOString()},,1,${g.value().toFixed(2)}\n`
        written++
      }
      await w.write(text)
      t += Math.floor(g.random() * 10 * 86_400_000)
    }
  }
  await w.close()
}

/** A min-heap of events by time, then by the order they were made (so equal times keep generation order). */
const heap = <A extends { readonly time: number; readonly seq: number }>() => {
  const items: Array<A> = []
  const less = (a: A, b: A) => a.time < b.time || (a.time === b.time && a.seq < b.seq)
  const push = (x: A) => {
    items.push(x)
    let i = items.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!less(items[i]!, items[p]!)) break
      ;[items[i], items[p]] = [items[p]!, items[i]!]
      i = p
    }
  }
  const pop = (): A | undefined => {
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      items[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < items.length && less(items[l]!, items[m]!)) m = l
        if (r < items.length && less(items[r]!, items[m]!)) m = r
        if (m === i) break
        ;[items[i], items[m]] = [items[m]!, items[i]!]
        i = m
      }
    }
    return top
  }
  return { push, pop, peek: () => items[0], size: () => items.length }
}

/** Export shapes of `timed`: the header and one row per event (touch: a channel; conversion: a value). */
export type Shape = 'plain' | 'ga4' | 'ga4-json' | 'segment' | 'snowplow'

interface TimedEvent {
  readonly time: number
  readonly seq: number
  readonly user: string
  readonly channel: string
  readonly conversion: boolean
  readonly value: number
}

/** Each channel's source and medium, for the export shapes that split them (GA4, Segment, Snowplow). */
const SOURCE_MEDIUM: Readonly<Record<string, readonly [string, string]>> = {
  display: ['dv360', 'display'], video: ['youtube', 'video'], social_paid: ['facebook', 'paid_social'], affiliate: ['awin', 'affiliate'],
  search_paid: ['google', 'cpc'], search_organic: ['google', 'organic'], email: ['newsletter', 'email'], social_organic: ['instagram', 'social'],
  referral: ['blog.example', 'referral'], direct: ['(direct)', '(none)'], retargeting: ['criteo', 'retargeting'], store: ['store', 'offline'],
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

const shapes: Readonly<Record<Shape, { readonly header: string; readonly row: (e: TimedEvent) => string }>> = {
  plain: {
    header: 'user_id,timestamp,channel,conversion,conversion_value',
    row: (e) => `${e.user},${new Date(e.time).toISOString()},${e.channel},${e.conversion ? 1 : 0},${e.conversion ? e.value.toFixed(2) : ''}`,
  },
  // GA4's BigQuery export, flattened: event_timestamp in microseconds, campaign source/medium on the event that
  // carried them (here: a session_start per touch), purchases with their revenue and no campaign.
  ga4: {
    header: 'event_date,event_timestamp,event_name,user_pseudo_id,collected_traffic_source.manual_source,collected_traffic_source.manual_medium,ecommerce.purchase_revenue',
    row: (e) => {
      const [source, medium] = SOURCE_MEDIUM[e.channel] ?? ['', '']
      const date = new Date(e.time).toISOString().slice(0, 10).replace(/-/g, '')
      return e.conversion
        ? `${date},${e.time * 1000 + (e.seq % 1000)},purchase,${e.user},,,${e.value.toFixed(2)}`
        : `${date},${e.time * 1000 + (e.seq % 1000)},session_start,${e.user},${source},${medium},`
    },
  },
  // GA4's BigQuery export as JSON lines (EXPORT DATA ... FORMAT = 'JSON'): nested records, INT64 as strings.
  'ga4-json': {
    header: '',
    row: (e) => {
      const [source, medium] = SOURCE_MEDIUM[e.channel] ?? ['', '']
      return JSON.stringify({
        event_date: new Date(e.time).toISOString().slice(0, 10).replace(/-/g, ''),
        event_timestamp: String(e.time * 1000 + (e.seq % 1000)),
        event_name: e.conversion ? 'purchase' : 'session_start',
        user_pseudo_id: e.user,
        collected_traffic_source: e.conversion ? null : { manual_source: source, manual_medium: medium },
        ecommerce: e.conversion ? { purchase_revenue: Number(e.value.toFixed(2)) } : null,
      })
    },
  },
  // Segment's pages and tracks, unioned: user_id once known, anonymous_id always, ISO timestamps with an offset.
  segment: {
    header: 'anonymous_id,user_id,timestamp,event,context_campaign_source,context_campaign_medium,revenue',
    row: (e) => {
      const [source, medium] = SOURCE_MEDIUM[e.channel] ?? ['', '']
      const anon = `anon-${e.user}`
      const stamp = new Date(e.time + 2 * 3_600_000).toISOString().replace('Z', '+02:00')
      return e.conversion ? `${anon},${e.user},${stamp},Order Completed,,,${e.value.toFixed(2)}` : `${anon},,${stamp},Page Viewed,${csvCell(source)},${csvCell(medium)},`
    },
  },
  // Snowplow's atomic.events: domain_userid, derived_tstamp without a zone (UTC), mkt_* on landing page views,
  // transactions with tr_total.
  snowplow: {
    header: 'event_id,domain_userid,derived_tstamp,event_name,mkt_source,mkt_medium,tr_total',
    row: (e) => {
      const [source, medium] = SOURCE_MEDIUM[e.channel] ?? ['', '']
      const stamp = new Date(e.time).toISOString().replace('T', ' ').replace('Z', '')
      return e.conversion ? `ev${e.seq},${e.user},${stamp},transaction,,,${e.value.toFixed(2)}` : `ev${e.seq},${e.user},${stamp},page_view,${csvCell(source)},${csvCell(medium)},`
    },
  },
}

/**
 * About `rows` events in time order, as `ORDER BY timestamp` exports them: users arrive uniformly over `days`
 * days; 45% visit once (one touch, and they rarely convert), the others behave as in `writeEvents`. Events are
 * merged through a heap, so memory holds the users still active, not the file.
 */
export const writeTimedEvents = async (
  rows: number,
  seed: string,
  out: string,
  options: { readonly days?: number; readonly shape?: Shape; readonly ids?: 'short' | 'ga4'; readonly start?: number } = {},
): Promise<{ readonly users: number }> => {
  const g = generator(seed)
  const w = writer(out)
  const shape = shapes[options.shape ?? 'plain']
  const start = options.start ?? Date.UTC(2026, 8, 1)
  const span = (options.days ?? 90) * 86_400_000
  if (shape.header !== '') await w.write(`${shape.header}\n`)
  const pending = heap<TimedEvent>()
  let seq = 0
  let written = 0
  let user = 0
  // Users per row, about: a third of rows.
  const users = Math.max(1, Math.round(rows / 3.3))
  // Ids from their own stream, so every shape and id style writes the same events.
  const idRandom = alea(`${seed}:ids`)
  const idOf = (u: number) => (options.ids === 'ga4' ? `${1_000_000_000 + Math.floor(idRandom() * 8_999_999_999)}.${Math.floor((start + (span * u) / users) / 1000)}` : `u${u.toString(36).padStart(6, '0')}`)
  let text = ''
  const flushUntil = async (time: number) => {
    for (let e = pending.peek(); e !== undefined && e.time <= time; e = pending.peek()) {
      pending.pop()
      text += `${shape.row(e)}\n`
      written++
      if (text.length > 1 << 16) {
        await w.write(text)
        text = ''
      }
    }
  }
  while (written + pending.size() < rows) {
    user++
    const arrival = start + Math.floor((span * (user - 1 + g.random())) / users)
    await flushUntil(arrival)
    const id = idOf(user)
    let t = arrival
    const once = g.random() < 0.45
    const journeys = once ? 1 : 1 + (g.random() < 0.3 ? 1 : 0) + (g.random() < 0.1 ? 1 : 0)
    for (let k = 0; k < journeys; k++) {
      const { channels, gaps } = once ? { channels: [g.journey().channels[0]!], gaps: [0] } : g.journey()
      channels.forEach((c, i) => {
        pending.push({ time: t, seq: seq++, user: id, channel: c, conversion: false, value: 0 })
        t += gaps[i]!
      })
      if (g.converts(channels) && (!once || g.random() < 0.3)) {
        t += Math.floor(g.random() * 3_600_000)
        pending.push({ time: t, seq: seq++, user: id, channel: '', conversion: true, value: g.value() })
      }
      t += Math.floor(g.random() * 10 * 86_400_000)
    }
  }
  await flushUntil(Number.POSITIVE_INFINITY)
  await w.write(text)
  await w.close()
  return { users: user }
}

const main = async () => {
  const [kind, ...rest] = process.argv.slice(2)
  const arg = (name: string, fallback: string) => {
    const i = rest.indexOf(`--${name}`)
    return i >= 0 && rest[i + 1] !== undefined ? rest[i + 1]! : fallback
  }
  const rows = Number(arg('rows', '1000'))
  const seed = arg('seed', 'touchpoint')
  const out = arg('out', '-')
  if (kind === 'paths') await writePaths(rows, seed, out)
  else if (kind === 'events') await writeEvents(rows, seed, out)
  else if (kind === 'timed') {
    const { users } = await writeTimedEvents(rows, seed, out, { days: Number(arg('days', '90')), shape: arg('shape', 'plain') as Shape, ids: arg('ids', 'short') as 'short' | 'ga4' })
    if (out !== '-') process.stderr.write(`${users.toLocaleString('en-US')} users\n`)
  } else {
    process.stderr.write('usage: tsx scripts/generate-paths.ts paths|events|timed [--rows N] [--seed S] [--out FILE] [--days D] [--shape plain|ga4|segment|snowplow] [--ids short|ga4]\n')
    process.exitCode = 2
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
