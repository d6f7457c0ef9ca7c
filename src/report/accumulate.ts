/**
 * One pass over journeys for the report: a layer over attribution's accumulator, the one reducer. The reducer
 * keeps channels, totals, rule credits, channel sets and Markov counts; the layer adds, over the same channel
 * table, sets, states and edges, what only the report reads: touches, roles, positions, times, repeats, the flow,
 * path lengths, distinct paths and the bootstrap replicates (`bootstrap.ts`). The report's transitions are the
 * reducer's Markov counts (`channelTransitions`), not counted again.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { checkJourney, mergePartials, accumulator as attributionAccumulator, tracedAccumulator, type Accumulator } from '../attribution/accumulate'
import { pairTable } from '../attribution/internal/pairTable'
import { DEFAULT_SETTINGS, type Journey, type Settings } from '../attribution/model'
import { isRecord } from '../core/guards'
import { isReportPartial, isReportSettings, reportPartialIssues, reportSettingsIssues } from './internal/guards'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { replicateLayer } from './bootstrap'
import { addToCounts } from './histogram'
import type { FlowLink, Histogram, ReportPartial, ReportSettings } from './model'
import { afterPurchaseLayer, DEFAULT_AFTER_PURCHASE_WINDOW_MS } from './afterPurchase'
import { pathTable } from './paths'

/**
 * Defaults: 200 bootstrap replicates with seed `touchpoint`, 20 000 distinct paths kept exactly, 4 flow steps, an
 * after-purchase window of 30 days.
 *
 * @category report
 * @since 0.1.0
 */
export const reportSettings = (attribution: Settings, given: Partial<Omit<ReportSettings, 'attribution'>> = {}): ReportSettings => {
  // From plain JavaScript: input that is no object chooses nothing (checkReportSettings checks the rest).
  const input = isRecord(given) ? given : {}
  return {
    attribution,
    replicates: input.replicates ?? 200,
    seed: input.seed ?? 'touchpoint',
    pathCapacity: input.pathCapacity ?? 20_000,
    flowSteps: input.flowSteps ?? 4,
    ...(input.bootstrapModels === undefined ? {} : { bootstrapModels: input.bootstrapModels }),
    afterPurchaseWindowMs: input.afterPurchaseWindowMs ?? DEFAULT_AFTER_PURCHASE_WINDOW_MS,
  }
}

/**
 * The issues of report settings: replicates an integer 0..10 000, capacity an integer >= 2, flow steps 1..12.
 *
 * @category report
 * @since 0.1.0
 */
export const checkReportSettings = (s: ReportSettings): E.Either<TouchpointError, ReportSettings> => {
  const issues = reportSettingsIssues(s, '')
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(s)
}

/**
 * The report's reduction, fed as attribution's accumulator is (`channelIndex`, `addIndexed`, `add`,
 * `countRows`: the one reducer with the report's layer), with `snapshot` giving the `ReportPartial` and `absorb`
 * adding one (a shard's). `accumulator` is the same feed in attribution's `Accumulator` shape, for readers typed
 * against it.
 *
 * **Gotchas**: `accumulator.absorb` and `accumulator.snapshot` act on the attribution partial alone (the shape
 * requires them): an attribution partial absorbed that way adds no touches, paths or replicates. Merge report
 * partials with `absorb` or `mergeReportPartials`.
 *
 * @category report
 * @since 0.1.0
 */
export interface ReportAccumulator {
  readonly settings: ReportSettings
  readonly channelIndex: Accumulator['channelIndex']
  /** Event journeys come with their user's previous conversion (`previousConversion`), for the after-purchase sums. */
  readonly addIndexed: (...args: [...Parameters<Accumulator['addIndexed']>, previousConversion?: number]) => void
  readonly add: Accumulator['add']
  readonly countRows: Accumulator['countRows']
  readonly absorb: (partial: ReportPartial) => void
  readonly snapshot: () => ReportPartial
  readonly accumulator: Accumulator
  /** The after-purchase window the reader keeps users' conversions for (`Reducer.afterPurchaseMs`), when set. */
  readonly afterPurchaseMs?: number
}

const ROLES = 4

/** Flow links are cached in a dense table while there are at most this many channels (12 steps: 52,800 slots). */
const FLOW_DENSE = 64

/** A journey's `w` to each of its touches' roles: introducer, assisters, closer (or solo). */
const addRoles = (roles: ReadonlyArray<Array<number>>, path: ArrayLike<number>, n: number, w: number): void => {
  if (n === 1) {
    const solo = roles[3]!
    solo[path[0]!] = solo[path[0]!]! + w
    return
  }
  const first = roles[0]!
  first[path[0]!] = first[path[0]!]! + w
  const middle = roles[1]!
  for (let i = 1; i < n - 1; i++) middle[path[i]!] = middle[path[i]!]! + w
  const last = roles[2]!
  last[path[n - 1]!] = last[path[n - 1]!]! + w
}

/**
 * A new report reduction, optionally starting from a partial with the same settings.
 *
 * **Gotchas**: a `from` with other settings keeps its own (its sums hold under them only). From plain JavaScript,
 * settings that are none, or a `from` that is no report partial, give an accumulator that adds nothing and whose
 * snapshot every reader of partials refuses by name.
 *
 * Bootstrap (double or nothing): in each replicate every journey counts twice or not at all, each with probability
 * 1/2, independently per journey and replicate; an aggregated row standing for C converting and U non-converting
 * identical journeys draws for each of them. The draws are seeded with the run's seed and the journey's content
 * (channel names, counts, value, times), never its position in the input: a journey draws the same weights in
 * whatever shard it lands, so merged shards equal one pass. Gotcha: identical rows draw identical weights (they are
 * one journey to the bootstrap); aggregate duplicate rows first, as ChannelAttribution's format expects.
 *
 * @example
 * const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS))
 * for (const j of journeys) acc.add(j)
 * pipe(acc.snapshot(), buildReport({ models: ['first', 'last', 'markov'] }))
 *
 * @category report
 * @since 0.1.0
 */
export const touchpointAccumulator = (settings: ReportSettings, from?: ReportPartial): ReportAccumulator => {
  if (!isReportSettings(settings) || (from !== undefined && !isReportPartial(from))) return inert(settings, from)
  // A partial's sums hold under its own settings only: continuing it means keeping them.
  if (from !== undefined && !sameSettings(settings, from.settings)) return touchpointAccumulator(from.settings, from)
  const base = tracedAccumulator(settings.attribution)
  const reducer = base.accumulator
  const trace = base.trace
  const replicates = replicateLayer(settings.attribution, settings.replicates, settings.seed, settings.bootstrapModels)
  const bootstrapping = settings.replicates > 0
  const steps = settings.flowSteps

  // Per channel of the reducer's table.
  let known = 0
  const touches: Array<number> = []
  const convTouches: Array<number> = []
  const roles = Array.from({ length: ROLES }, () => [] as Array<number>)
  const convRoles = Array.from({ length: ROLES }, () => [] as Array<number>)
  const positionSum: Array<number> = []
  const toEndSum: Array<number> = []
  const repeats: Array<number> = []
  const ttc: Array<Array<number>> = []
  const perChannel = [touches, convTouches, positionSum, toEndSum, repeats, ...roles, ...convRoles]
  // Flow links [step, from, to] -> slot, slots in first-seen order.
  const flowSlots = pairTable()
  const flowStep: Array<number> = []
  const flowFrom: Array<number> = []
  const flowTo: Array<number> = []
  const flowWeight: Array<number> = []
  const lengthConv: Array<number> = []
  const lengthNull: Array<number> = []
  const duration: Array<number> = []
  const totals = { touches: 0, timedConversions: 0 }
  const paths = pathTable(settings.pathCapacity)
  const windowMs = settings.afterPurchaseWindowMs
  const after = windowMs === undefined ? undefined : afterPurchaseLayer(windowMs)

  // In front of `flowSlots` while there are at most FLOW_DENSE channels: slot + 1 of [step, from, to] at
  // (step * flowK + from) * (flowK + 2) + to + 2 (0: not cached), so a journey's flow links are array reads, not
  // hash lookups. Emptied when it grows; refilled from `flowSlots`.
  let flowK = 0
  let flowDense = new Int32Array(0)

  const grow = (name: string) => {
    if (known + 1 > flowK) {
      flowK = Math.max(8, 2 * flowK)
      flowDense = flowK <= FLOW_DENSE ? new Int32Array(steps * flowK * (flowK + 2)) : new Int32Array(0)
    }
    for (const a of perChannel) a.push(0)
    after?.channel()
    ttc.push([])
    replicates.channel(known, name)
    known++
  }

  const channelIndex = (name: string): number => {
    const i = reducer.channelIndex(name)
    if (i === known) grow(name)
    return i
  }

  const addFlow = (step: number, from: number, to: number, w: number) => {
    if (w === 0) return
    const d = flowDense.length > 0 && step < steps && from < flowK && to < flowK ? (step * flowK + from) * (flowK + 2) + to + 2 : -1
    const cached = d >= 0 ? flowDense[d]! - 1 : -1
    if (cached >= 0) {
      flowWeight[cached] = flowWeight[cached]! + w
      return
    }
    const a = from * 16 + step
    const b = to + 2
    const slot = flowSlots.get(a, b)
    if (slot >= 0) {
      flowWeight[slot] = flowWeight[slot]! + w
      if (d >= 0) flowDense[d] = slot + 1
    } else {
      if (d >= 0) flowDense[d] = flowWeight.length + 1
      flowSlots.add(a, b, flowWeight.length)
      flowStep.push(step)
      flowFrom.push(from)
      flowTo.push(to)
      flowWeight.push(0 + w)
    }
  }

  const addIndexed = (
    path: ArrayLike<number>,
    n: number,
    c: number,
    v: number,
    u: number,
    times?: ReadonlyArray<number>,
    conversionTime?: number,
    previousConversion?: number,
  ): void => {
    reducer.addIndexed(path, n, c, v, u, times, conversionTime)
    if (n === 0) return
    after?.add(path, n, c, v, u, times, conversionTime, previousConversion)
    const w = c + u
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
    // Each sum gets the same additions in the same order (touch by touch) as one loop doing all of them; adding
    // a weight of 0 changes no sum (they start at +0 and grow by weights >= 0), so journeys without conversions skip
    // the converting sums.
    if (w > 0) {
      for (let i = 0; i < n; i++) {
        const ch = path[i]!
        touches[ch] = touches[ch]! + w
        positionSum[ch] = positionSum[ch]! + w * (i + 1)
        toEndSum[ch] = toEndSum[ch]! + w * (n - 1 - i)
        if (i > 0 && path[i - 1] === ch) repeats[ch] = repeats[ch]! + w
      }
      addRoles(roles, path, n, w)
    }
    if (c > 0) {
      for (let i = 0; i < n; i++) convTouches[path[i]!] = convTouches[path[i]!]! + c
      addRoles(convRoles, path, n, c)
      if (timed) for (let i = 0; i < n; i++) addToCounts(ttc[path[i]!]!, conversionTime - times[i]!, c)
    }
    const followed = Math.min(n, steps)
    for (let s = 0; s + 1 < followed; s++) addFlow(s, path[s]!, path[s + 1]!, w)
    addFlow(followed - 1, path[followed - 1]!, -1, c)
    addFlow(followed - 1, path[followed - 1]!, -2, u)
    if (w > 0) paths.add(path, n, c, v, u)
    if (bootstrapping) replicates.add(path, n, c, v, u, times, conversionTime, trace)
  }

  const indexes: Array<number> = []
  const add = (j: Journey): void => {
    const n = j.channels.length
    for (let i = 0; i < n; i++) indexes[i] = channelIndex(j.channels[i]!)
    addIndexed(indexes, n, j.conversions, j.value, j.nulls, j.times, j.conversionTime, typeof j.previousConversion === 'number' ? j.previousConversion : undefined)
  }

  /** The reducer absorbs an attribution partial; channels new to it get the layer's arrays. */
  const absorbAttribution = (p: ReportPartial['attribution']) => {
    const maps = base.absorbMapped(p)
    maps.channels.forEach((to, j) => {
      if (to === known) grow(p.channels[j]!)
    })
    return maps
  }

  const absorb = (p: ReportPartial): void => {
    const maps = absorbAttribution(p.attribution)
    const map = maps.channels
    const addArr = (into: Array<number>, xs: ReadonlyArray<number>) => xs.forEach((x, j) => (into[map[j]!] = into[map[j]!]! + x))
    const ch = p.channel
    addArr(touches, ch.touches)
    addArr(convTouches, ch.convertingTouches)
    addArr(positionSum, ch.positionSum)
    addArr(toEndSum, ch.toEndSum)
    addArr(repeats, ch.repeats)
    ;(['introducer', 'assister', 'closer', 'solo'] as const).forEach((k, r) => {
      addArr(roles[r]!, ch.roles[k])
      addArr(convRoles[r]!, ch.convertingRoles[k])
    })
    ch.touchToConversion.forEach((h, j) => addHistogram(ttc[map[j]!]!, h))
    for (const [s, a, b, w] of p.flow) addFlow(s, map[a]!, b < 0 ? b : map[b]!, w)
    while (lengthConv.length < p.lengths.conversions.length) {
      lengthConv.push(0)
      lengthNull.push(0)
    }
    p.lengths.conversions.forEach((x, n) => (lengthConv[n] = lengthConv[n]! + x))
    p.lengths.nulls.forEach((x, n) => (lengthNull[n] = lengthNull[n]! + x))
    addHistogram(duration, p.journeyDuration)
    totals.touches += p.totals.touches
    totals.timedConversions += p.totals.timedConversions
    paths.absorb(p.paths, map)
    replicates.absorb(p.bootstrap, maps)
    if (p.afterPurchase !== undefined) after?.absorb(p.afterPurchase, map)
  }

  const snapshot = (): ReportPartial => {
    const attribution = reducer.snapshot()
    const byRole = (arrays: Array<Array<number>>) => ({
      introducer: arrays[0]!.slice(),
      assister: arrays[1]!.slice(),
      closer: arrays[2]!.slice(),
      solo: arrays[3]!.slice(),
    })
    const flow: Array<FlowLink> = flowWeight.map((w, k) => [flowStep[k]!, flowFrom[k]!, flowTo[k]!, w])
    return {
      _tag: 'ReportPartial',
      settings,
      attribution,
      totals: { ...totals },
      channel: {
        touches: touches.slice(),
        convertingTouches: convTouches.slice(),
        roles: byRole(roles),
        convertingRoles: byRole(convRoles),
        positionSum: positionSum.slice(),
        toEndSum: toEndSum.slice(),
        touchToConversion: ttc.map((counts): Histogram => ({ counts: counts.slice() })),
        repeats: repeats.slice(),
      },
      flow,
      lengths: { conversions: lengthConv.slice(), nulls: lengthNull.slice() },
      journeyDuration: { counts: duration.slice() },
      paths: paths.snapshot(),
      bootstrap: replicates.snapshot(attribution),
      ...(after === undefined ? {} : { afterPurchase: after.snapshot() }),
    }
  }

  const accumulator: Accumulator = {
    settings: settings.attribution,
    channelIndex,
    add,
    addIndexed,
    countRows: reducer.countRows,
    absorb: (p) => {
      absorbAttribution(p)
    },
    snapshot: reducer.snapshot,
  }
  if (from !== undefined) absorb(from)
  return { settings, channelIndex, addIndexed, add, countRows: reducer.countRows, absorb, snapshot, accumulator, ...(windowMs === undefined ? {} : { afterPurchaseMs: windowMs }) }
}

/** Settings any report accumulator takes: the shape of an empty partial. */
const EMPTY_SETTINGS: ReportSettings = { attribution: DEFAULT_SETTINGS, replicates: 0, seed: '', pathCapacity: 2, flowSteps: 1 }

/**
 * From plain JavaScript, settings that are no `ReportSettings` or a `from` that is no report partial: an
 * accumulator that adds nothing, whose snapshot is what was wrong (an empty partial carrying the settings given,
 * or the `from` given), so every function that reads it answers a Left naming the problem.
 */
const inert = (settings: ReportSettings, from: ReportPartial | undefined): ReportAccumulator => {
  const nothing = () => undefined
  const snapshot = (): ReportPartial => from ?? { ...touchpointAccumulator(EMPTY_SETTINGS).snapshot(), settings }
  const attribution = (isRecord(settings) ? (settings as { readonly attribution?: unknown }).attribution : undefined) as Settings
  const accumulator: Accumulator = {
    settings: attribution,
    channelIndex: () => -1,
    add: nothing,
    addIndexed: nothing,
    countRows: nothing,
    absorb: nothing,
    snapshot: () => {
      const p = snapshot()
      return isRecord(p) && isRecord(p.attribution) ? p.attribution : { ...touchpointAccumulator(EMPTY_SETTINGS).snapshot().attribution, settings: attribution }
    },
  }
  return { settings, channelIndex: () => -1, add: nothing, addIndexed: nothing, countRows: nothing, absorb: nothing, snapshot, accumulator }
}

const addHistogram = (into: Array<number>, h: Histogram) => {
  while (into.length < h.counts.length) into.push(0)
  h.counts.forEach((x, b) => (into[b] = into[b]! + x))
}

const sameAttributionSettings = (a: Settings, b: Settings): boolean => {
  const left = attributionAccumulator(a).snapshot()
  return E.isRight(mergePartials(attributionAccumulator(b).snapshot())(left))
}

/** The models whose replicate sums a reduction keeps, as a key: which of them, not in what order or how often. */
const keptModels = (s: ReportSettings): string => (s.bootstrapModels === undefined ? '(all)' : [...new Set(s.bootstrapModels)].sort().join(','))

const sameSettings = (a: ReportSettings, b: ReportSettings): boolean =>
  a.replicates === b.replicates &&
  a.seed === b.seed &&
  a.pathCapacity === b.pathCapacity &&
  a.flowSteps === b.flowSteps &&
  keptModels(a) === keptModels(b) &&
  a.afterPurchaseWindowMs === b.afterPurchaseWindowMs &&
  sameAttributionSettings(a.attribution, b.attribution)

/**
 * Two report partials combined as if their journeys had been reduced together: the attribution partials as
 * `mergePartials` merges them, counts, histograms and the flow exactly, and the bootstrap replicates exactly (their
 * sums are integers); distinct paths too while their number stays within `pathCapacity` (beyond, both are
 * Misra–Gries summaries and so is the merge, with the errors added). `Left(InvalidInput)` when the settings differ.
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
    const bad = [...reportPartialIssues(second, 'second'), ...reportPartialIssues(first, 'first')]
    if (bad.length > 0) return E.left(invalidInput(bad))
    if (!sameSettings(first.settings, second.settings)) {
      return E.left(invalidInput([issue('settings', 'report partials reduced with the same settings (replicates, seed, path capacity, flow steps, bootstrap models, after-purchase window, attribution settings)', second.settings)]))
    }
    const acc = touchpointAccumulator(first.settings, first)
    acc.absorb(second)
    return E.right(acc.snapshot())
  }

/**
 * Reduce journeys given through the typed API into a report partial, checking each as attribution does.
 *
 * @example
 * pipe(journeys, reduceTouchpoints(reportSettings(DEFAULT_SETTINGS)), E.flatMap(buildReport({ models: ['linear'] })))
 *
 * @category report
 * @since 0.1.0
 */
export const reduceTouchpoints =
  (settings: ReportSettings) =>
  (journeys: Iterable<Journey>): E.Either<TouchpointError, ReportPartial> => {
    const bad = [
      ...reportSettingsIssues(settings, 'settings'),
      ...(isRecord(journeys) && typeof (journeys as Partial<Iterable<Journey>>)[Symbol.iterator] === 'function' ? [] : [issue('journeys', 'an iterable of journeys (an array)', journeys)]),
    ]
    if (bad.length > 0) return E.left(invalidInput(bad))
    const acc = touchpointAccumulator(settings)
    const issues: Array<Issue> = []
    let i = 0
    for (const j of journeys) {
      const bad = checkJourney(j, `[${i++}]`)
      if (bad.length > 0) issues.push(...bad)
      else {
        acc.add(j)
        acc.countRows(1)
      }
    }
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(acc.snapshot())
  }
