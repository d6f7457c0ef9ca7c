/**
 * Reducing journeys to an `AttributionPartial`, and merging partials. The accumulator is the one mutable thing
 * here, kept behind `add` and `snapshot` so the hot loop over millions of paths allocates little; what it hands
 * out is plain data.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { AttributionPartial, CreditSums, Journey, MarkovCounts, RuleModel, SetCount, Settings } from './model'
import { RULE_MODELS } from './model'
import { exactRatios } from './internal/exactRatios'
import { everyElement, isRecord, someElement } from '../core/guards'
import { isPartial, isSettings, partialIssues, settingsIssues } from './internal/guards'
import { positionalWeights, writeTimeDecay } from './internal/weights'
import { pairTable } from './internal/pairTable'

const FIRST = 0
const LAST = 1
const LAST_NON_DIRECT = 2
const LINEAR = 3
const POSITION = 4
const TIME_DECAY = 5

/** Channel sets among the first 16 channels are cached in a plain array. */
const SMALL_MASKS = 1 << 16

/** States below this index keep their edges in a dense table (order 1: one state per channel). */
const DENSE = 256

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
 * What `addIndexed` found about the journey it was last given, for a layer that keeps more sums over the same
 * structure (the report's bootstrap replicates) without looking anything up twice. Indexes refer to the lists of
 * the accumulator's partial: `sets`, `markov.states`, `markov.edges`.
 *
 * - `set`: the journey's channel set, or -1 when it weighs nothing (no conversions and no nulls: no set, no chain).
 * - `lastNonDirect`: the touch last non-direct credits (set whenever the journey has rule credit).
 * - `firstState`, `lastState`, `edges[0..edgeCount)`: the Markov states it starts and ends in and the edges it
 *   takes, in path order, repeats kept.
 *
 * @internal
 */
export interface JourneyTrace {
  set: number
  lastNonDirect: number
  firstState: number
  lastState: number
  edgeCount: number
  /** Grown by doubling (a path of millions of touches grew a plain array one slot at a time). */
  edges: Int32Array
}

/**
 * Where `absorbMapped` put a partial's channels, sets, states and edges (index in the partial -> index here).
 *
 * @internal
 */
export interface AbsorbMaps {
  readonly channels: ReadonlyArray<number>
  readonly sets: ReadonlyArray<number>
  readonly states: ReadonlyArray<number>
  readonly edges: ReadonlyArray<number>
}

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
  const isDirect: Array<boolean> = []
  const direct = new Set(settings.direct.map((d) => d.toLowerCase()))
  const conv: Array<Array<number>> = RULE_MODELS.map(() => [])
  const val: Array<Array<number>> = RULE_MODELS.map(() => [])
  const totals = { rows: 0, journeys: 0, conversions: 0, value: 0, nulls: 0, untimedConversions: 0 }
  // Channel sets by key (sorted indexes joined by commas) -> slot; per slot its channels and sums (in plain arrays of
  // doubles, unboxed, rather than objects: the hot loop adds into them for every path).
  const sets = new Map<string, number>()
  const setChannels: Array<Array<number>> = []
  const setConv: Array<number> = []
  const setValue: Array<number> = []
  const setNulls: Array<number> = []
  // A cache over `sets` by bit mask, for the hot loop: sets of the first 16 channels straight by mask (slot + 1,
  // allocated on first use), others in a Map.
  const setsByMask = new Map<number, number>()
  let smallMasks: Int32Array | undefined
  const order = settings.order
  const position = exactRatios(settings.position)
  // Markov states: windows of channel indexes. Order 1 maps a channel straight to its state.
  const states: Array<Array<number>> = []
  const stateOfChannel: Array<number> = []
  const stateIndex = new Map<string, number>()
  const stateByPacked = pairTable()
  const start: Array<number> = []
  const exitConv: Array<number> = []
  const exitNull: Array<number> = []
  const exitValue: Array<number> = []
  // Scratch buffers reused across journeys.
  const weights: Array<number> = []
  const ends = { first: 0, middle: 0, last: 0 }
  const pathStates: Array<number> = []
  const distinct: Array<number> = []

  const channelIndex = (name: string): number => {
    let i = index.get(name)
    if (i === undefined) {
      i = channels.length
      channels.push(name)
      index.set(name, i)
      isDirect.push(direct.has(name.toLowerCase()))
      for (let m = 0; m < conv.length; m++) {
        conv[m]!.push(0)
        val[m]!.push(0)
      }
      stateOfChannel.push(-1)
    }
    return i
  }

  const newState = (window: Array<number>): number => {
    const s = states.length
    states.push(window)
    start.push(0)
    exitConv.push(0)
    exitNull.push(0)
    exitValue.push(0)
    return s
  }

  /** The order-1 state of a channel, created on first sight. */
  const stateOfOne = (channel: number): number => {
    let s = stateOfChannel[channel]!
    if (s < 0) {
      s = newState([channel])
      stateOfChannel[channel] = s
    }
    return s
  }

  const stateOf = (path: ArrayLike<number>, from: number, to: number): number => {
    if (to - from === 1 && order === 1) return stateOfOne(path[from]!)
    // A window of up to 4 channels below 256 packs into 32 bits; with its length beside it ([1] and [1, 0]
    // differ) it is a pair-table key, not a string built per window.
    let packed = 0
    let small = to - from <= 4
    for (let i = from; small && i < to; i++) {
      const c = path[i]!
      if (c >= 256) small = false
      else packed = (packed << 8) | c
    }
    if (small) {
      let s = stateByPacked.get(to - from, packed)
      if (s < 0) {
        s = newState(Array.prototype.slice.call(path, from, to) as Array<number>)
        stateByPacked.add(to - from, packed, s)
      }
      return s
    }
    let key = String(path[from])
    for (let i = from + 1; i < to; i++) key += `,${path[i]}`
    let s = stateIndex.get(key)
    if (s === undefined) {
      s = newState(Array.prototype.slice.call(path, from, to) as Array<number>)
      stateIndex.set(key, s)
    }
    return s
  }

  // Every edge's weight lives in `edgeWeights` at a slot, slots in first-seen order (the order the partial lists
  // edges in). Edges between the first DENSE states find their slot through a dense table, the others through a
  // pair table.
  const edgeSlot = new Int32Array(DENSE * DENSE)
  const edgeWeights: Array<number> = []
  const edgeFrom: Array<number> = []
  const edgeTo: Array<number> = []
  const sparseEdges = pairTable()
  const newEdge = (from: number, to: number, w: number): number => {
    const slot = edgeWeights.length
    edgeWeights.push(0 + w)
    edgeFrom.push(from)
    edgeTo.push(to)
    return slot
  }
  /** Adds `w` to the edge (from, to), created on first sight; returns its slot. */
  const addEdge = (from: number, to: number, w: number): number => {
    if (from < DENSE && to < DENSE) {
      const cell = from * DENSE + to
      const slot = edgeSlot[cell]!
      if (slot > 0) {
        edgeWeights[slot - 1] = edgeWeights[slot - 1]! + w
        return slot - 1
      }
      const created = newEdge(from, to, w)
      edgeSlot[cell] = created + 1
      return created
    }
    const slot = sparseEdges.get(from, to)
    if (slot >= 0) {
      edgeWeights[slot] = edgeWeights[slot]! + w
      return slot
    }
    const created = newEdge(from, to, w)
    sparseEdges.add(from, to, created)
    return created
  }

  const addMarkov = (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    const w = c + u
    let count = 0
    if (n <= order) {
      pathStates[count++] = stateOf(path, 0, n)
    } else {
      for (let i = 0; i + order <= n; i++) {
        const s = stateOf(path, i, i + order)
        // Consecutive identical states collapse (no self-loops), as ChannelAttribution does.
        if (count === 0 || pathStates[count - 1] !== s) pathStates[count++] = s
      }
    }
    const first = pathStates[0]!
    start[first] = start[first]! + w
    const edges = count > trace.edges.length ? (trace.edges = new Int32Array(Math.max(count, 2 * trace.edges.length))) : trace.edges
    for (let i = 1; i < count; i++) edges[i - 1] = addEdge(pathStates[i - 1]!, pathStates[i]!, w)
    const last = pathStates[count - 1]!
    exitConv[last] = exitConv[last]! + c
    exitNull[last] = exitNull[last]! + u
    exitValue[last] = exitValue[last]! + v
    trace.firstState = first
    trace.lastState = last
    trace.edgeCount = count - 1
  }

  /** The slot of a channel set given by sorted channel indexes, created empty if new. */
  const setSlot = (channels: ReadonlyArray<number>): number => {
    const key = channels.join(',')
    let slot = sets.get(key)
    if (slot === undefined) {
      slot = setChannels.length
      setChannels.push(channels.slice())
      setConv.push(0)
      setValue.push(0)
      setNulls.push(0)
      sets.set(key, slot)
    }
    return slot
  }

  /**
   * A path's channel set as a bit mask while every index fits in 30 bits (the usual case: a few dozen channels at
   * most), else -1: the set is then keyed by its sorted index list.
   */
  const maskOf = (path: ArrayLike<number>, n: number): number => {
    let mask = 0
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      if (ch >= 30) return -1
      mask |= 1 << ch
    }
    return mask
  }

  const setOfMask = (mask: number): number => {
    if (mask < SMALL_MASKS) {
      smallMasks ??= new Int32Array(SMALL_MASKS)
      const cached = smallMasks[mask]!
      if (cached > 0) return cached - 1
    } else {
      const cached = setsByMask.get(mask)
      if (cached !== undefined) return cached
    }
    const members: Array<number> = []
    for (let ch = 0; ch < 30; ch++) if (mask & (1 << ch)) members.push(ch)
    const slot = setSlot(members)
    if (mask < SMALL_MASKS) smallMasks![mask] = slot + 1
    else setsByMask.set(mask, slot)
    return slot
  }

  const addToSet = (slot: number, c: number, v: number, u: number) => {
    setConv[slot] = setConv[slot]! + c
    setValue[slot] = setValue[slot]! + v
    setNulls[slot] = setNulls[slot]! + u
  }

  /**
   * `addSet` and `addMarkov` in one pass for order 1 (a state per channel); false, having changed nothing, when
   * a channel index is 30 or more (no bit mask), for the general forms to take over.
   */
  const addSetAndMarkov1 = (path: ArrayLike<number>, n: number, c: number, v: number, u: number): boolean => {
    const mask = maskOf(path, n)
    if (mask < 0) return false
    const slot = setOfMask(mask)
    addToSet(slot, c, v, u)
    trace.set = slot
    const w = c + u
    // At most n - 1 edges.
    const edges = n > trace.edges.length ? (trace.edges = new Int32Array(Math.max(n, 2 * trace.edges.length))) : trace.edges
    let count = 0
    let prev = -1
    for (let i = 0; i < n; i++) {
      const st = stateOfOne(path[i]!)
      // Consecutive identical states collapse, as in `addMarkov`.
      if (st === prev) continue
      if (prev < 0) {
        start[st] = start[st]! + w
        trace.firstState = st
      } else edges[count++] = addEdge(prev, st, w)
      prev = st
    }
    exitConv[prev] = exitConv[prev]! + c
    exitNull[prev] = exitNull[prev]! + u
    exitValue[prev] = exitValue[prev]! + v
    trace.lastState = prev
    trace.edgeCount = count
    return true
  }

  const addSet = (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    const mask = maskOf(path, n)
    let slot: number
    if (mask >= 0) slot = setOfMask(mask)
    else {
      distinct.length = 0
      for (let i = 0; i < n; i++) {
        const ch = path[i]!
        if (!distinct.includes(ch)) distinct.push(ch)
      }
      distinct.sort((a, b) => a - b)
      slot = setSlot(distinct)
    }
    addToSet(slot, c, v, u)
    trace.set = slot
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
      const first = path[0]!
      const last = path[n - 1]!
      conv[FIRST]![first] = conv[FIRST]![first]! + c
      val[FIRST]![first] = val[FIRST]![first]! + v
      conv[LAST]![last] = conv[LAST]![last]! + c
      val[LAST]![last] = val[LAST]![last]! + v
      let lnd = n - 1
      for (let i = n - 1; i >= 0; i--) {
        if (!isDirect[path[i]!]) {
          lnd = i
          break
        }
      }
      trace.lastNonDirect = lnd
      conv[LAST_NON_DIRECT]![path[lnd]!] = conv[LAST_NON_DIRECT]![path[lnd]!]! + c
      val[LAST_NON_DIRECT]![path[lnd]!] = val[LAST_NON_DIRECT]![path[lnd]!]! + v
      const lc = c / n
      const lv = v / n
      const linC = conv[LINEAR]!
      const linV = val[LINEAR]!
      // The first, middle and last weights, the same numbers `writePositional` writes touch by touch: no array
      // of weights (a path of millions of touches grew one to its length).
      positionalWeights(position, n, ends)
      const wFirst = ends.first
      const wMiddle = ends.middle
      const wLast = ends.last
      const posC = conv[POSITION]!
      const posV = val[POSITION]!
      // Linear and positional in one pass (each channel's sums still grow touch by touch, in path order).
      for (let i = 0; i < n; i++) {
        const ch = path[i]!
        const wi = i === 0 ? wFirst : i === n - 1 ? wLast : wMiddle
        linC[ch] = linC[ch]! + lc
        linV[ch] = linV[ch]! + lv
        posC[ch] = posC[ch]! + wi * c
        posV[ch] = posV[ch]! + wi * v
      }
      if (times === undefined) {
        totals.untimedConversions += c
      } else {
        writeTimeDecay(settings.halfLifeMs, times, weights)
        const tdC = conv[TIME_DECAY]!
        const tdV = val[TIME_DECAY]!
        for (let i = 0; i < n; i++) {
          tdC[path[i]!] = tdC[path[i]!]! + weights[i]! * c
          tdV[path[i]!] = tdV[path[i]!]! + weights[i]! * v
        }
      }
    }
    // A journey with neither conversions nor nulls weighs nothing in the sets or the chain.
    if (c === 0 && u === 0) return
    if (order === 1 && n > 0 && addSetAndMarkov1(path, n, c, v, u)) return
    addSet(path, n, c, v, u)
    addMarkov(path, n, c, v, u)
  }

  const indexes: Array<number> = []
  const add = (j: Journey): void => {
    const n = j.channels.length
    for (let i = 0; i < n; i++) indexes[i] = channelIndex(j.channels[i]!)
    addIndexed(indexes, n, j.conversions, j.value, j.nulls, j.times)
  }

  const snapshot = (): AttributionPartial => {
    const rules = {} as Record<RuleModel, CreditSums>
    RULE_MODELS.forEach((m, i) => {
      rules[m] = { conversions: conv[i]!.slice(), value: val[i]!.slice() }
    })
    const setList: Array<SetCount> = []
    for (const k of sets.values()) setList.push({ channels: setChannels[k]!.slice(), conversions: setConv[k]!, value: setValue[k]!, nulls: setNulls[k]! })
    const edgeList: Array<readonly [number, number, number]> = []
    for (let k = 0; k < edgeWeights.length; k++) edgeList.push([edgeFrom[k]!, edgeTo[k]!, edgeWeights[k]!])
    const markov: MarkovCounts = {
      order,
      states: states.map((s) => s.slice()),
      start: start.slice(),
      edges: edgeList,
      conversions: exitConv.slice(),
      nulls: exitNull.slice(),
      value: exitValue.slice(),
    }
    return { _tag: 'AttributionPartial', settings, channels: channels.slice(), totals: { ...totals }, rules, sets: setList, markov }
  }

  const countRows = (rows: number) => {
    totals.rows += rows
  }

  const addSetCounts = (channels: ReadonlyArray<number>, c: number, v: number, u: number): number => {
    const slot = setSlot(channels)
    addToSet(slot, c, v, u)
    return slot
  }
  const internals: Internals = { channelIndex, conv, val, totals, addSetCounts, stateOf, start, addEdge, exitConv, exitNull, exitValue }
  const absorbMapped = (p: AttributionPartial): AbsorbMaps => absorb(p, internals)
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

interface Internals {
  channelIndex: (name: string) => number
  conv: Array<Array<number>>
  val: Array<Array<number>>
  totals: { rows: number; journeys: number; conversions: number; value: number; nulls: number; untimedConversions: number }
  /** Adds counts to the set of these channels (sorted indexes); returns its slot. */
  addSetCounts: (channels: ReadonlyArray<number>, c: number, v: number, u: number) => number
  stateOf: (path: ArrayLike<number>, from: number, to: number) => number
  start: Array<number>
  addEdge: (from: number, to: number, w: number) => number
  exitConv: Array<number>
  exitNull: Array<number>
  exitValue: Array<number>
}

/** Adds a partial's sums into an accumulator's, renumbering its channels, sets, states and edges. */
const absorb = (p: AttributionPartial, a: Internals): AbsorbMaps => {
  const map = p.channels.map((name) => a.channelIndex(name))
  RULE_MODELS.forEach((m, i) => {
    const sums = p.rules[m]
    sums.conversions.forEach((x, j) => {
      a.conv[i]![map[j]!] = a.conv[i]![map[j]!]! + x
    })
    sums.value.forEach((x, j) => {
      a.val[i]![map[j]!] = a.val[i]![map[j]!]! + x
    })
  })
  a.totals.rows += p.totals.rows
  a.totals.journeys += p.totals.journeys
  a.totals.conversions += p.totals.conversions
  a.totals.value += p.totals.value
  a.totals.nulls += p.totals.nulls
  a.totals.untimedConversions += p.totals.untimedConversions
  const sets = p.sets.map((s) =>
    a.addSetCounts(
      s.channels.map((c) => map[c]!).sort((x, y) => x - y),
      s.conversions,
      s.value,
      s.nulls,
    ),
  )
  const stateMap = p.markov.states.map((w) => {
    const path = w.map((c) => map[c]!)
    return a.stateOf(path, 0, path.length)
  })
  p.markov.states.forEach((_, i) => {
    const s = stateMap[i]!
    a.start[s] = a.start[s]! + p.markov.start[i]!
    a.exitConv[s] = a.exitConv[s]! + p.markov.conversions[i]!
    a.exitNull[s] = a.exitNull[s]! + p.markov.nulls[i]!
    a.exitValue[s] = a.exitValue[s]! + p.markov.value[i]!
  })
  const edges = p.markov.edges.map(([from, to, w]) => a.addEdge(stateMap[from]!, stateMap[to]!, w))
  return { channels: map, sets, states: stateMap, edges }
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
