/**
 * One pass over journeys for the report: a layer over attribution's accumulator, the one reducer. The reducer
 * keeps channels, totals, rule credits, channel sets and Markov counts; the layer adds, over the same channel
 * table, sets, states and edges, what only the report reads: touches, roles, positions, times, repeats, the flow,
 * path lengths (`internal/journeySums.ts`), distinct paths (`paths.ts`), the after-purchase sums and the bootstrap
 * replicates (`bootstrap.ts`). The report's transitions are the reducer's Markov counts (`channelTransitions`), not
 * counted again.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { checkJourney, mergePartials, accumulator as attributionAccumulator, tracedAccumulator, type Accumulator } from '../attribution/accumulate'
import { DEFAULT_SETTINGS, type Journey, type Settings } from '../attribution/model'
import { isRecord } from '../core/guards'
import { isReportPartial, isReportSettings, reportPartialIssues, reportSettingsIssues } from './internal/guards'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { replicateLayer } from './bootstrap'
import type { ReportPartial, ReportSettings } from './model'
import { afterPurchaseLayer, DEFAULT_AFTER_PURCHASE_WINDOW_MS } from './afterPurchase'
import { pathTable } from './paths'
import { journeySums } from './internal/journeySums'

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
  const sums = journeySums(settings.flowSteps)
  let known = 0
  const paths = pathTable(settings.pathCapacity)
  const windowMs = settings.afterPurchaseWindowMs
  const after = windowMs === undefined ? undefined : afterPurchaseLayer(windowMs)

  const grow = (name: string) => {
    sums.channel()
    after?.channel()
    replicates.channel(known, name)
    known++
  }

  const channelIndex = (name: string): number => {
    const i = reducer.channelIndex(name)
    if (i === known) grow(name)
    return i
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
    sums.add(path, n, c, u, times, conversionTime)
    if (c + u > 0) paths.add(path, n, c, v, u)
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
    sums.absorb(p, map)
    paths.absorb(p.paths, map)
    replicates.absorb(p.bootstrap, maps)
    if (p.afterPurchase !== undefined) after?.absorb(p.afterPurchase, map)
  }

  const snapshot = (): ReportPartial => {
    const attribution = reducer.snapshot()
    const layer = sums.snapshot()
    return {
      _tag: 'ReportPartial',
      settings,
      attribution,
      totals: layer.totals,
      channel: layer.channel,
      flow: layer.flow,
      lengths: layer.lengths,
      journeyDuration: layer.journeyDuration,
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
