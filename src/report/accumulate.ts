/**
 * One pass over journeys for the report: a `ReportAccumulator` collects touches, roles, positions, times,
 * transitions, path lengths, distinct paths and bootstrap replicates as sums that merge; `touchpointAccumulator`
 * feeds it and attribution's accumulator from the same journeys, so files are read once.
 *
 * Bootstrap (Poisson, "online" bootstrap of Oza & Russell 2001; Chamandy et al. 2012 at Google): each replicate
 * sees every journey k times, k ~ Poisson(1) independently per journey and replicate, which for many journeys
 * matches resampling journeys with replacement. An aggregated row standing for C converting and U non-converting
 * identical journeys gets C' ~ Poisson(C) and U' ~ Poisson(U) (a sum of Poisson(1)s), its value scaled by C'/C.
 * The draws come from alea seeded with the run's seed and the journey's content (channel names, counts, value,
 * times), never from its position in the input: a journey draws the same weights in whatever shard it lands, so
 * merged shards equal one pass. Gotcha: identical rows draw identical weights (they are one journey to the
 * bootstrap); aggregate duplicate rows first, as ChannelAttribution's format expects.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import alea from 'seedrandom/lib/alea.js'
import { accumulator as attributionAccumulator, checkJourney, mergePartials, type Accumulator } from '../attribution/accumulate'
import type { AttributionPartial, Journey, Settings } from '../attribution/model'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { addToCounts } from './histogram'
import type { FlowLink, Histogram, PathCount, ReportPartial, ReportSettings } from './model'
import { poisson } from './poisson'

/** Edge keys pack (from, to) into one number, as attribution's accumulator does. */
const EDGE_BASE = 2 ** 26

/**
 * Defaults: 200 bootstrap replicates with seed `touchpoint`, 20 000 distinct paths kept exactly, 4 flow steps.
 *
 * @category report
 * @since 0.1.0
 */
export const reportSettings = (attribution: Settings, input: Partial<Omit<ReportSettings, 'attribution'>> = {}): ReportSettings => ({
  attribution,
  replicates: input.replicates ?? 200,
  seed: input.seed ?? 'touchpoint',
  pathCapacity: input.pathCapacity ?? 20_000,
  flowSteps: input.flowSteps ?? 4,
})

/**
 * The issues of report settings: replicates an integer 0..10 000, capacity an integer >= 2, flow steps 1..12.
 *
 * @category report
 * @since 0.1.0
 */
export const checkReportSettings = (s: ReportSettings): E.Either<TouchpointError, ReportSettings> => {
  const issues: Array<Issue> = []
  if (!(Number.isInteger(s.replicates) && s.replicates >= 0 && s.replicates <= 10_000)) issues.push(issue('replicates', 'an integer from 0 to 10000', s.replicates))
  if (!(Number.isInteger(s.pathCapacity) && s.pathCapacity >= 2)) issues.push(issue('pathCapacity', 'an integer >= 2', s.pathCapacity))
  if (!(Number.isInteger(s.flowSteps) && s.flowSteps >= 1 && s.flowSteps <= 12)) issues.push(issue('flowSteps', 'an integer from 1 to 12', s.flowSteps))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(s)
}

/**
 * A running report reduction, shaped like attribution's `Accumulator`: `add` a trusted journey, or `addIndexed`
 * with indexes from `channelIndex`; `snapshot` hands out plain data.
 *
 * @category report
 * @since 0.1.0
 */
export interface ReportAccumulator {
  readonly settings: ReportSettings
  readonly channelIndex: (name: string) => number
  readonly add: (journey: Journey) => void
  readonly addIndexed: (
    channels: ReadonlyArray<number>,
    n: number,
    conversions: number,
    value: number,
    nulls: number,
    times?: ReadonlyArray<number>,
    conversionTime?: number,
  ) => void
  /** Add a partial's sums (same settings; `mergeReportPartials` checks). */
  readonly absorb: (partial: ReportPartial) => void
  readonly snapshot: () => ReportPartial
}

interface PathEntry {
  channels: Array<number>
  conversions: number
  value: number
  nulls: number
}

const ROLE_KEYS = ['introducer', 'assister', 'closer', 'solo'] as const

/**
 * A new report accumulator, optionally starting from a partial with the same settings.
 *
 * @example
 * const acc = reportAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))
 * acc.add({ channels: ['search', 'email'], conversions: 1, value: 10, nulls: 0 })
 * acc.snapshot().channel.convertingRoles.introducer // => [1, 0]
 *
 * @category report
 * @since 0.1.0
 */
export const reportAccumulator = (settings: ReportSettings, from?: ReportPartial): ReportAccumulator => {
  const channels: Array<string> = []
  const index = new Map<string, number>()
  const touches: Array<number> = []
  const convTouches: Array<number> = []
  const roles = ROLE_KEYS.map(() => [] as Array<number>)
  const convRoles = ROLE_KEYS.map(() => [] as Array<number>)
  const positionSum: Array<number> = []
  const toEndSum: Array<number> = []
  const ttc: Array<Array<number>> = []
  const start: Array<number> = []
  const exitConv: Array<number> = []
  const exitNull: Array<number> = []
  const edges = new Map<number, number>()
  const flow = new Map<string, number>()
  const lengthConv: Array<number> = []
  const lengthNull: Array<number> = []
  const duration: Array<number> = []
  const totals = { journeys: 0, conversions: 0, value: 0, nulls: 0, touches: 0, timedConversions: 0 }
  const paths = new Map<string, PathEntry>()
  let pathError = 0
  const capacity = settings.pathCapacity
  const steps = settings.flowSteps
  const reps: Array<Accumulator> = []
  const repIndex: Array<Array<number>> = []
  for (let r = 0; r < settings.replicates; r++) {
    reps.push(attributionAccumulator(settings.attribution))
    repIndex.push([])
  }
  const mapped: Array<number> = []

  const channelIndex = (name: string): number => {
    let i = index.get(name)
    if (i === undefined) {
      i = channels.length
      channels.push(name)
      index.set(name, i)
      for (const a of [touches, convTouches, positionSum, toEndSum, start, exitConv, exitNull, ...roles, ...convRoles]) a.push(0)
      ttc.push([])
    }
    return i
  }

  const addFlow = (step: number, from: number, to: number, w: number) => {
    if (w === 0) return
    const key = `${step},${from},${to}`
    flow.set(key, (flow.get(key) ?? 0) + w)
  }

  const prune = () => {
    // Weighted Misra–Gries: subtract the weight of the (keep+1)-th largest entry from all, drop the emptied.
    const keep = Math.floor(capacity / 2)
    const weights = [...paths.values()].map((p) => p.conversions + p.nulls).sort((a, b) => b - a)
    const d = weights[keep] ?? 0
    if (d <= 0) return
    for (const [key, p] of paths) {
      const w = p.conversions + p.nulls
      if (w <= d) paths.delete(key)
      else {
        const f = (w - d) / w
        p.conversions *= f
        p.value *= f
        p.nulls *= f
      }
    }
    pathError += d
  }

  const addPath = (key: string, path: ReadonlyArray<number>, n: number, c: number, v: number, u: number) => {
    const e = paths.get(key)
    if (e !== undefined) {
      e.conversions += c
      e.value += v
      e.nulls += u
      return
    }
    paths.set(key, { channels: path.slice(0, n) as Array<number>, conversions: c, value: v, nulls: u })
    if (paths.size > capacity) prune()
  }

  const repChannel = (r: number, i: number): number => {
    const m = repIndex[r]!
    let k = m[i]
    if (k === undefined) {
      k = reps[r]!.channelIndex(channels[i]!)
      m[i] = k
    }
    return k
  }

  const addBootstrap = (path: ReadonlyArray<number>, n: number, c: number, v: number, u: number, times?: ReadonlyArray<number>, conversionTime?: number) => {
    let key = ''
    for (let i = 0; i < n; i++) key += `${channels[path[i]!]!}\u001f`
    key += `\u001e${c},${v},${u}`
    if (times !== undefined) key += `\u001e${times.join(',')},${conversionTime ?? ''}`
    const rng = alea(`${settings.seed}\u0000${key}`)
    for (let r = 0; r < reps.length; r++) {
      const kc = c > 0 ? poisson(c, rng) : 0
      const ku = u > 0 ? poisson(u, rng) : 0
      if (kc === 0 && ku === 0) continue
      const vv = c > 0 ? (v * kc) / c : u > 0 ? (v * ku) / u : 0
      for (let i = 0; i < n; i++) mapped[i] = repChannel(r, path[i]!)
      reps[r]!.addIndexed(mapped, n, kc, vv, ku, times)
    }
  }

  const addIndexed = (
    path: ReadonlyArray<number>,
    n: number,
    c: number,
    v: number,
    u: number,
    times?: ReadonlyArray<number>,
    conversionTime?: number,
  ): void => {
    const w = c + u
    if (n === 0) return
    totals.journeys += w
    totals.conversions += c
    totals.value += v
    totals.nulls += u
    totals.touches += w * n
    while (lengthConv.length <= n) {
      lengthConv.push(0)
      lengthNull.push(0)
    }
    lengthConv[n] = lengthConv[n]! + c
    lengthNull[n] = lengthNull[n]! + u
    const timed = c > 0 && times !== undefined && conversionTime !== undefined
    if (timed) {
      totals.timedConversions += c
      addToCounts(duration, conversionTime - times[0]!, c)
    }
    let key = ''
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      key += i === 0 ? `${ch}` : `,${ch}`
      touches[ch] = touches[ch]! + w
      convTouches[ch] = convTouches[ch]! + c
      positionSum[ch] = positionSum[ch]! + w * (i + 1)
      toEndSum[ch] = toEndSum[ch]! + w * (n - 1 - i)
      const role = n === 1 ? 3 : i === 0 ? 0 : i === n - 1 ? 2 : 1
      roles[role]![ch] = roles[role]![ch]! + w
      convRoles[role]![ch] = convRoles[role]![ch]! + c
      if (timed) addToCounts(ttc[ch]!, conversionTime - times[i]!, c)
      if (i > 0) {
        const ek = path[i - 1]! * EDGE_BASE + ch
        edges.set(ek, (edges.get(ek) ?? 0) + w)
      }
    }
    const first = path[0]!
    const last = path[n - 1]!
    start[first] = start[first]! + w
    exitConv[last] = exitConv[last]! + c
    exitNull[last] = exitNull[last]! + u
    const followed = Math.min(n, steps)
    for (let s = 0; s + 1 < followed; s++) addFlow(s, path[s]!, path[s + 1]!, w)
    addFlow(followed - 1, path[followed - 1]!, -1, c)
    addFlow(followed - 1, path[followed - 1]!, -2, u)
    if (w > 0) addPath(key, path, n, c, v, u)
    if (reps.length > 0 && w > 0) addBootstrap(path, n, c, v, u, times, conversionTime)
  }

  const indexes: Array<number> = []
  const add = (j: Journey): void => {
    const n = j.channels.length
    for (let i = 0; i < n; i++) indexes[i] = channelIndex(j.channels[i]!)
    addIndexed(indexes, n, j.conversions, j.value, j.nulls, j.times, j.conversionTime)
  }

  const absorb = (p: ReportPartial): void => {
    const map = p.channels.map(channelIndex)
    const addArr = (into: Array<number>, xs: ReadonlyArray<number>) => xs.forEach((x, j) => (into[map[j]!] = into[map[j]!]! + x))
    addArr(touches, p.channel.touches)
    addArr(convTouches, p.channel.convertingTouches)
    ROLE_KEYS.forEach((k, r) => {
      addArr(roles[r]!, p.channel.roles[k])
      addArr(convRoles[r]!, p.channel.convertingRoles[k])
    })
    addArr(positionSum, p.channel.positionSum)
    addArr(toEndSum, p.channel.toEndSum)
    p.channel.touchToConversion.forEach((h, j) => addHistogram(ttc[map[j]!]!, h))
    addArr(start, p.transitions.start)
    addArr(exitConv, p.transitions.exitConversions)
    addArr(exitNull, p.transitions.exitNulls)
    for (const [a, b, w] of p.transitions.edges) {
      const ek = map[a]! * EDGE_BASE + map[b]!
      edges.set(ek, (edges.get(ek) ?? 0) + w)
    }
    for (const [s, a, b, w] of p.flow) addFlow(s, map[a]!, b < 0 ? b : map[b]!, w)
    while (lengthConv.length < p.lengths.conversions.length) {
      lengthConv.push(0)
      lengthNull.push(0)
    }
    p.lengths.conversions.forEach((x, n) => (lengthConv[n] = lengthConv[n]! + x))
    p.lengths.nulls.forEach((x, n) => (lengthNull[n] = lengthNull[n]! + x))
    addHistogram(duration, p.journeyDuration)
    totals.journeys += p.totals.journeys
    totals.conversions += p.totals.conversions
    totals.value += p.totals.value
    totals.nulls += p.totals.nulls
    totals.touches += p.totals.touches
    totals.timedConversions += p.totals.timedConversions
    pathError += p.paths.error
    for (const q of p.paths.paths) {
      const path = q.channels.map((c) => map[c]!)
      addPath(path.join(','), path, path.length, q.conversions, q.value, q.nulls)
    }
    p.bootstrap.forEach((bp, r) => reps[r]?.absorb(bp))
  }

  const snapshot = (): ReportPartial => {
    const byRole = (arrays: Array<Array<number>>) => ({
      introducer: arrays[0]!.slice(),
      assister: arrays[1]!.slice(),
      closer: arrays[2]!.slice(),
      solo: arrays[3]!.slice(),
    })
    const edgeList: Array<readonly [number, number, number]> = []
    for (const [k, w] of edges) edgeList.push([Math.floor(k / EDGE_BASE), k % EDGE_BASE, w])
    const flowList: Array<FlowLink> = []
    for (const [k, w] of flow) {
      const [s, a, b] = k.split(',').map(Number) as [number, number, number]
      flowList.push([s, a, b, w])
    }
    const pathList: Array<PathCount> = []
    for (const p of paths.values()) pathList.push({ channels: p.channels.slice(), conversions: p.conversions, value: p.value, nulls: p.nulls })
    return {
      _tag: 'ReportPartial',
      settings,
      channels: channels.slice(),
      totals: { ...totals },
      channel: {
        touches: touches.slice(),
        convertingTouches: convTouches.slice(),
        roles: byRole(roles),
        convertingRoles: byRole(convRoles),
        positionSum: positionSum.slice(),
        toEndSum: toEndSum.slice(),
        touchToConversion: ttc.map((counts): Histogram => ({ counts: counts.slice() })),
      },
      transitions: { start: start.slice(), edges: edgeList, exitConversions: exitConv.slice(), exitNulls: exitNull.slice() },
      flow: flowList,
      lengths: { conversions: lengthConv.slice(), nulls: lengthNull.slice() },
      journeyDuration: { counts: duration.slice() },
      paths: { capacity, paths: pathList, error: pathError },
      bootstrap: reps.map((r) => r.snapshot()),
    }
  }

  if (from !== undefined) absorb(from)
  return { settings, channelIndex, add, addIndexed, absorb, snapshot }
}

const addHistogram = (into: Array<number>, h: Histogram) => {
  while (into.length < h.counts.length) into.push(0)
  h.counts.forEach((x, b) => (into[b] = into[b]! + x))
}

const sameAttributionSettings = (a: Settings, b: Settings): boolean => {
  const left = attributionAccumulator(a).snapshot()
  return E.isRight(mergePartials(attributionAccumulator(b).snapshot())(left))
}

const sameSettings = (a: ReportSettings, b: ReportSettings): boolean =>
  a.replicates === b.replicates && a.seed === b.seed && a.pathCapacity === b.pathCapacity && a.flowSteps === b.flowSteps && sameAttributionSettings(a.attribution, b.attribution)

/**
 * Two report partials combined as if their journeys had been reduced together. Counts, histograms, transitions
 * and bootstrap replicates merge exactly; distinct paths too while their number stays within `pathCapacity`
 * (beyond, both are Misra–Gries summaries and so is the merge, with the errors added). `Left(InvalidInput)` when
 * the settings differ.
 *
 * @example
 * pipe(reportA, mergeReportPartials(reportB)) // => right(ReportPartial)  (the partial of both shards)
 *
 * @category report
 * @since 0.1.0
 */
export const mergeReportPartials =
  (second: ReportPartial) =>
  (first: ReportPartial): E.Either<TouchpointError, ReportPartial> => {
    if (!sameSettings(first.settings, second.settings)) {
      return E.left(invalidInput([issue('settings', 'report partials reduced with the same settings (replicates, seed, path capacity, flow steps, attribution settings)', second.settings)]))
    }
    const acc = reportAccumulator(first.settings, first)
    acc.absorb(second)
    return E.right(acc.snapshot())
  }

/**
 * Both partials of one pass: what `buildReport` reads.
 *
 * @category report
 * @since 0.1.0
 */
export interface Partials {
  readonly attribution: AttributionPartial
  readonly report: ReportPartial
}

/**
 * Attribution's accumulator and a report accumulator fed from the same journeys. `accumulator` has attribution's
 * `Accumulator` shape, so anything that feeds one (the CLI's readers, a loop over journeys) feeds both: files are
 * read once. `snapshot` returns both partials.
 *
 * **Gotchas**: `accumulator.absorb` and `accumulator.snapshot` act on attribution's half only (the shape requires
 * them); merge report partials with `mergeReportPartials`.
 *
 * @example
 * const both = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS))
 * for (const j of journeys) both.accumulator.add(j)
 * pipe(both.snapshot(), buildReport({ models: ['first', 'last', 'markov'] }))
 *
 * @category report
 * @since 0.1.0
 */
export const touchpointAccumulator = (settings: ReportSettings): { readonly accumulator: Accumulator; readonly report: ReportAccumulator; readonly snapshot: () => Partials } => {
  const attribution = attributionAccumulator(settings.attribution)
  const report = reportAccumulator(settings)
  // Attribution's index -> the report's, for paths handed over as attribution indexes.
  const toReport: Array<number> = []
  const mapped: Array<number> = []
  const channelIndex = (name: string): number => {
    const i = attribution.channelIndex(name)
    if (toReport[i] === undefined) toReport[i] = report.channelIndex(name)
    return i
  }
  const accumulator: Accumulator = {
    settings: settings.attribution,
    channelIndex,
    add: (j) => {
      attribution.add(j)
      report.add(j)
    },
    addIndexed: (channels, n, c, v, u, times) => {
      attribution.addIndexed(channels, n, c, v, u, times)
      for (let i = 0; i < n; i++) mapped[i] = toReport[channels[i]!]!
      report.addIndexed(mapped, n, c, v, u, times)
    },
    countRows: attribution.countRows,
    absorb: attribution.absorb,
    snapshot: attribution.snapshot,
  }
  return { accumulator, report, snapshot: () => ({ attribution: attribution.snapshot(), report: report.snapshot() }) }
}

/**
 * Reduce journeys given through the typed API into both partials, checking each as attribution does.
 *
 * @example
 * pipe(journeys, reduceTouchpoints(reportSettings(DEFAULT_SETTINGS)), E.flatMap(buildReport({ models: ['linear'] })))
 *
 * @category report
 * @since 0.1.0
 */
export const reduceTouchpoints =
  (settings: ReportSettings) =>
  (journeys: Iterable<Journey>): E.Either<TouchpointError, Partials> => {
    const checked = checkReportSettings(settings)
    if (E.isLeft(checked)) return checked
    const both = touchpointAccumulator(settings)
    const issues: Array<Issue> = []
    let i = 0
    for (const j of journeys) {
      const bad = checkJourney(j, `[${i++}]`)
      if (bad.length > 0) issues.push(...bad)
      else {
        both.accumulator.add(j)
        both.accumulator.countRows(1)
      }
    }
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(both.snapshot())
  }
