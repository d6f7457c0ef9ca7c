/**
 * A seeded generator of realistic attribution data, at any size: 12 channels in three funnel stages
 * (awareness, consideration, closing), journeys that mostly move down the funnel but mix and repeat, conversion
 * odds that depend on the channels seen, log-normal order values, and timestamps spread over weeks.
 *
 *   npx tsx scripts/generate-paths.ts paths  --rows 1000000 --seed bench --out /tmp/paths.csv
 *   npx tsx scripts/generate-paths.ts events --rows 10000000 --seed bench --out /tmp/events.csv
 *
 * `paths` writes ChannelAttribution's format with DISTINCT paths (`--rows` of them); `events` writes one touch per
 * line (about `--rows` lines), sorted by user then time, with conversion rows.
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
  else {
    process.stderr.write('usage: tsx scripts/generate-paths.ts paths|events [--rows N] [--seed S] [--out FILE]\n')
    process.exitCode = 2
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main()
