/**
 * Reducing journeys to an `AttributionPartial`, and merging partials. The accumulator is the one mutable thing
 * here, kept behind `add` and `snapshot` so the hot loop over millions of paths allocates little; what it hands
 * out is plain data.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { AttributionPartial, CreditSums, Journey, RuleModel, Settings } from './model'
import { RULE_MODELS } from './model'
import { everyElement, isRecord, someElement } from '../core/guards'
import { isPartial, isSettings, partialIssues, settingsIssues } from './internal/guards'
import { chainCounts } from './internal/chainCounts'
import type { AbsorbMaps, JourneyTrace } from './internal/journeyTrace'
import { ruleCredits } from './internal/ruleCredits'
import { setCounts } from './internal/setCounts'

/** @internal The trace and absorb maps of `tracedAccumulator`, for the report's layer over it. */
export type { AbsorbMaps, JourneyTrace }

/**
 * A running reduction: the one reducer every reader of attribution inputs feeds, and that attribution and the
 * report consume. `add` takes a trusted journey (decoded, or checked by `checkJourney`), `countRows` counts the
 * input rows behind them; `addIndexed` takes channel indexes from `channelIndex`, the form the path reader uses to
 * avoid building arrays of strings (`conversionTime`, when known, is the journey's conversion time: attribution
 * does not need it, the report's layer does). `snapshot` returns the partial so far, as plain data.
 *
 * @category reduce
 * @since 0.1.0
 */
export interface Accumulator {
  readonly settings: Settings
  readonly add: (journey: Journey) => void
  readonly channelIndex: (channel: string) => number
  readonly addIndexed: (
    channels: ArrayLike<number>,
    n: number,
    conversions: number,
    value: number,
    nulls: number,
    times?: ReadonlyArray<number>,
    conversionTime?: number,
  ) => void
  /** Count input rows (`add` counts journeys, not rows: an event file has many rows per journey). */
  readonly countRows: (rows: number) => void
  /** Add a partial's sums (same settings, checked by the caller; `mergePartials` checks). */
  readonly absorb: (partial: AttributionPartial) => void
  readonly snapshot: () => AttributionPartial
}

/**
 * A new accumulator for `settings` (checked by the caller: see `decodeSettings`), optionally starting from a
 * partial with the same settings.
 *
 * **Gotchas**: a `from` with other settings keeps its own (its sums hold under them only). From plain JavaScript,
 * settings that are none, or a `from` that is no partial, give an accumulator that adds nothing and whose
 * snapshot every reader of partials refuses by name.
 *
 * @example
 * const acc = accumulator(DEFAULT_SETTINGS)
 * acc.add({ channels: ['search', 'email'], conversions: 1, value: 10, nulls: 0 })
 * acc.snapshot().rules.first // => { conversions: [1, 0], value: [10, 0] }
 *
 * @category reduce
 * @since 0.1.0
 */
export const accumulator = (settings: Settings, from?: AttributionPartial): Accumulator => tracedAccumulator(settings, from).accumulator

/**
 * The accumulator with what a layer over it needs: the trace of the last journey and an `absorb` that says where
 * the partial's items went. The report keeps its sums this way, over the one reducer's channel table, sets, states
 * and edges instead of copies of them.
 *
 * @internal
 */
export const tracedAccumulator = (
  settings: Settings,
  from?: AttributionPartial,
): { readonly accumulator: Accumulator; readonly trace: JourneyTrace; readonly absorbMapped: (partial: AttributionPartial) => AbsorbMaps } => {
  const trace: JourneyTrace = { set: -1, lastNonDirect: -1, firstState: -1, lastState: -1, edgeCount: 0, edges: new Int32Array(64) }
  // From plain JavaScript: settings or a `from` that are none give an accumulator that adds nothing.
  if (!isSettings(settings)) return { accumulator: inert(settings, undefined), trace, absorbMapped: absorbNothing }
  if (from !== undefined && !isPartial(from)) return { accumulator: inert(settings, from), trace, absorbMapped: absorbNothing }
  // A partial's sums hold under its own settings only: continuing it means keeping them.
  if (from !== undefined && !sameSettings(settings, from.settings)) return tracedAccumulator(from.settings, from)
  const channels: Array<string> = []
  const index = new Map<string, number>()
  const totals = { rows: 0, journeys: 0, conversions: 0, value: 0, nulls: 0, untimedConversions: 0 }
  const order = settings.order
  const rules = ruleCredits(settings, trace)
  const sets = setCounts()
  const chain = chainCounts(order, trace)

  const channelIndex = (name: string): number => {
    let i = index.get(name)
    if (i === undefined) {
      i = channels.length
      channels.push(name)
      index.set(name, i)
      rules.addChannel(name)
      chain.addChannel()
    }
    return i
  }

  const addIndexed = (
    path: ArrayLike<number>,
    n: number,
    c: number,
    v: number,
    u: number,
    times?: ReadonlyArray<number>,
  ): void => {
    totals.journeys++
    totals.conversions += c
    totals.value += v
    totals.nulls += u
    trace.set = -1
    if (c > 0 || v > 0) {
      rules.add(path, n, c, v, times)
      if (times === undefined) totals.untimedConversions += c
    }
    // A journey with neither conversions nor nulls weighs nothing in the sets or the chain.
    if (c === 0 && u === 0) return
    // Order 1 with every channel index below 30: the set by bit mask, the chain a state per channel.
    if (order === 1 && n > 0) {
      const mask = sets.maskOf(path, n)
      if (mask >= 0) {
        const slot = sets.setOfMask(mask)
        sets.addToSet(slot, c, v, u)
        trace.set = slot
        chain.addOrder1(path, n, c, v, u)
        return
      }
    }
    trace.set = sets.add(path, n, c, v, u)
    chain.add(path, n, c, v, u)
  }

  const indexes: Array<number> = []
  const add = (j: Journey): void => {
    const n = j.channels.length
    for (let i = 0; i < n; i++) indexes[i] = channelIndex(j.channels[i]!)
    addIndexed(indexes, n, j.conversions, j.value, j.nulls, j.times)
  }

  const snapshot = (): AttributionPartial => ({
    _tag: 'AttributionPartial',
    settings,
    channels: channels.slice(),
    totals: { ...totals },
    rules: rules.snapshot(),
    sets: sets.snapshot(),
    markov: chain.snapshot(),
  })

  const countRows = (rows: number) => {
    totals.rows += rows
  }

  /** Adds a partial's sums, renumbering its channels, sets, states and edges. */
  const absorbMapped = (p: AttributionPartial): AbsorbMaps => {
    const map = p.channels.map((name) => channelIndex(name))
    rules.absorb(p, map)
    totals.rows += p.totals.rows
    totals.journeys += p.totals.journeys
    totals.conversions += p.totals.conversions
    totals.value += p.totals.value
    totals.nulls += p.totals.nulls
    totals.untimedConversions += p.totals.untimedConversions
    const setSlots = sets.absorb(p, map)
    const { states, edges } = chain.absorb(p, map)
    return { channels: map, sets: setSlots, states, edges }
  }
  if (from !== undefined) absorbMapped(from)

  const acc: Accumulator = {
    settings,
    add,
    addIndexed,
    channelIndex,
    countRows,
    absorb: (p) => {
      absorbMapped(p)
    },
    snapshot,
  }
  return { accumulator: acc, trace, absorbMapped }
}

const NONE: ReadonlyArray<number> = []

const absorbNothing = (): AbsorbMaps => ({ channels: NONE, sets: NONE, states: NONE, edges: NONE })

/**
 * From plain JavaScript, settings that are no `Settings`, or a `from` that is no partial: an accumulator that adds
 * nothing, whose snapshot is what was wrong (a partial carrying the settings given, or the `from` given), so every
 * function that reads it answers a Left naming the problem.
 */
const inert = (settings: Settings, from: unknown): Accumulator => {
  const snapshot = (): AttributionPartial => from !== undefined ? (from as AttributionPartial) : ({
    _tag: 'AttributionPartial',
    settings,
    channels: [],
    totals: { rows: 0, journeys: 0, conversions: 0, value: 0, nulls: 0, untimedConversions: 0 },
    rules: Object.fromEntries(RULE_MODELS.map((m) => [m, { conversions: NONE, value: NONE }])) as Record<RuleModel, CreditSums>,
    sets: [],
    markov: { order: 0, states: [], start: [], edges: [], conversions: [], nulls: [], value: [] },
  }) as AttributionPartial
  const nothing = () => undefined
  return { settings, add: nothing, addIndexed: nothing, channelIndex: () => -1, countRows: nothing, absorb: nothing, snapshot }
}

const sameSettings = (a: Settings, b: Settings): boolean => {
  const norm = (d: ReadonlyArray<string>) => [...new Set(d.map((x) => x.toLowerCase()))].sort().join('\u0000')
  return (
    a.order === b.order &&
    a.halfLifeMs === b.halfLifeMs &&
    a.position.first === b.position.first &&
    a.position.middle === b.position.middle &&
    a.position.last === b.position.last &&
    norm(a.direct) === norm(b.direct)
  )
}

/**
 * An empty partial: the identity of `mergePartials`.
 *
 * @category reduce
 * @since 0.1.0
 */
export const emptyPartial = (settings: Settings): AttributionPartial => accumulator(settings).snapshot()

/**
 * Two partials combined as if their journeys had been reduced together (shards of one file, files of one
 * export). Channels keep `first`'s order, then `second`'s new ones. `Left(InvalidInput)` when the settings differ
 * (a different Markov order or positional weights cannot be added up).
 *
 * @example
 * pipe(shardA, mergePartials(shardB)) // => right(AttributionPartial)  (the partial of both shards)
 *
 * @category reduce
 * @since 0.1.0
 */
export const mergePartials =
  (second: AttributionPartial) =>
  (first: AttributionPartial): E.Either<TouchpointError, AttributionPartial> => {
    const bad = [...partialIssues(second, 'second'), ...partialIssues(first, 'first')]
    if (bad.length > 0) return E.left(invalidInput(bad))
    if (!sameSettings(first.settings, second.settings)) {
      return E.left(invalidInput([issue('settings', 'partials reduced with the same settings (order, position weights, half-life, direct channels)', second.settings)]))
    }
    const acc = accumulator(first.settings, first)
    acc.absorb(second)
    return E.right(acc.snapshot())
  }

/**
 * The issues of a journey given through the typed API (decoders already guarantee these): channels non-empty
 * strings, at least one touch, counts and value finite and >= 0, no value without conversions, times (when given)
 * one per touch, in order, and not after the conversion.
 *
 * @category reduce
 * @since 0.1.0
 */
export const checkJourney = (j: Journey, path = ''): ReadonlyArray<Issue> => {
  const where = typeof path === 'string' ? path : ''
  const at = (f: string) => (where === '' ? f : `${where}.${f}`)
  // From plain JavaScript: what is no journey, or has no list of channels or of times, says so.
  if (!isRecord(j)) return [issue(where === '' ? 'journey' : where, 'a journey: { channels, conversions, value, nulls }', j)]
  if (!Array.isArray(j.channels)) return [issue(at('channels'), 'a list of channel names', j.channels)]
  if (j.times !== undefined && !Array.isArray(j.times)) return [issue(at('times'), 'a list of times, one per touch', j.times)]
  const out: Array<Issue> = []
  if (j.conversionTime !== undefined && !(typeof j.conversionTime === 'number' && Number.isFinite(j.conversionTime))) out.push(issue(at('conversionTime'), 'a finite time', j.conversionTime))
  if (j.channels.length === 0) out.push(issue(at('channels'), 'at least one touch', j.channels))
  // Index loops, not forEach/some: those skip the holes of a sparse array ([, 'a'] from plain JavaScript).
  for (let i = 0; i < j.channels.length; i++) {
    const c = j.channels[i]
    if (typeof c !== 'string' || c === '') out.push(issue(`${at('channels')}[${i}]`, 'a non-empty channel name', c))
  }
  for (const f of ['conversions', 'value', 'nulls'] as const) {
    const x = j[f]
    if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) out.push(issue(at(f), 'a finite number >= 0', x))
  }
  // As the readers refuse such a row: rule-based credits would count the value, channel sets and the chain not.
  if (j.conversions === 0 && typeof j.value === 'number' && j.value > 0) out.push(issue(at('value'), '0 where conversions is 0 (a conversion value needs conversions)', j.value))
  if (j.times !== undefined) {
    if (j.times.length !== j.channels.length) out.push(issue(at('times'), `one time per touch (${j.channels.length})`, j.times))
    else if (!everyElement(j.times, (t, i) => Number.isFinite(t) && (i === 0 || (t as number) >= j.times![i - 1]!))) out.push(issue(at('times'), 'finite times in non-decreasing order', j.times))
    else if (j.conversionTime !== undefined && someElement(j.times, (t) => (t as number) > j.conversionTime!)) out.push(issue(at('times'), 'times not after the conversion time', j.times))
  }
  return out
}

/**
 * Reduce journeys given through the typed API, checking each (`Left` lists every bad journey by index).
 *
 * @example
 * pipe([{ channels: ['a', 'b'], conversions: 1, value: 5, nulls: 0 }], reduceJourneys(DEFAULT_SETTINGS))
 * // => right({ _tag: 'AttributionPartial', channels: ['a', 'b'], ... })
 *
 * @category reduce
 * @since 0.1.0
 */
export const reduceJourneys =
  (settings: Settings) =>
  (journeys: Iterable<Journey>): E.Either<TouchpointError, AttributionPartial> => {
    const bad = [
      ...settingsIssues(settings, 'settings'),
      ...(isRecord(journeys) && typeof (journeys as Partial<Iterable<Journey>>)[Symbol.iterator] === 'function' ? [] : [issue('journeys', 'an iterable of journeys (an array)', journeys)]),
    ]
    if (bad.length > 0) return E.left(invalidInput(bad))
    const acc = accumulator(settings)
    const issues: Array<Issue> = []
    let i = 0
    for (const j of journeys) {
      const bad = checkJourney(j, `[${i}]`)
      if (bad.length > 0) issues.push(...bad)
      else {
        acc.add(j)
        acc.countRows(1)
      }
      i++
    }
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(acc.snapshot())
  }
