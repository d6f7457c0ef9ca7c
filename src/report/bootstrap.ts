/**
 * The bootstrap as a layer over the one reducer: each journey's structure is found once, by attribution's
 * accumulator (its channel set, Markov states and edges, last non-direct touch: the `JourneyTrace`), and the
 * journey's draws for all R replicates are added to R-wide counters of those same items at once, 32 replicates per
 * operation (`internal/sliced.ts`; the draws: `internal/journeyDraws.ts`). A replicate's attribution partial is read
 * off the counters (`replicatePartial`, replicates.ts), so every model is recomputed on every replicate without
 * reducing the journeys again.
 *
 * The resampling scheme is the double-or-nothing bootstrap: in each replicate every journey counts twice or not
 * at all, with probability 1/2 each, independently across journeys and replicates (weights with mean 1 and variance
 * 1, as Poisson(1) weights have; Owen & Eckles 2012 use it for data arrays, Eckles & Kaptein 2014 for an online
 * bootstrap). An aggregated row standing for n identical journeys draws for each of them, i.e. 2·Binomial(n, 1/2);
 * a fractional count's remainder f counts 2f or 0. The draws come from the run's seed and the journey's content
 * (`internal/draws.ts`), never its position, so merged shards equal one pass exactly (the counts are integers).
 *
 * Counters other counters determine are not kept: Markov starts follow from exits and edges, and (order 1) a
 * state's exit conversions are its channel's last-touch credit, read off the touch keys.
 *
 * @module
 */
import type { AbsorbMaps, JourneyTrace } from '../attribution/accumulate'
import type { AttributionPartial, ModelName, Settings } from '../attribution/model'
import { writeTimeDecay } from '../attribution/internal/weights'
import { drawer } from './internal/journeyDraws'
import { addAt, addScaledMask, addScaledNumber, addStaged, counterPool, put, queue, queueEach, reserve, slicedCounts, stage, type SlicedCounts } from './internal/sliced'
import { readSlot } from './internal/slicedRead'
import { setSum, slicedNumber } from './internal/slicedNumber'
import { touchKeys } from './internal/touchKeys'
import { widened } from './internal/widened'
import { lastTouch } from './replicates'
import type { BootstrapSums, TouchRole } from './model'

// Registers a journey's numbers are staged in (sliced.ts keeps the last one for itself).
const REG_CONV = 0
const REG_NULLS = 1
const REG_BOTH = 2

const FIRST: TouchRole = 0
const MIDDLE: TouchRole = 1
const LAST: TouchRole = 2

/**
 * The replicate sums of one reduction. `channel` registers a channel's name (it seeds the draws of journeys that
 * touch it); `add` takes a journey with the trace attribution's accumulator left for it.
 *
 * @internal
 */
export interface ReplicateLayer {
  readonly channel: (index: number, name: string) => void
  readonly add: (
    path: ArrayLike<number>,
    n: number,
    conversions: number,
    value: number,
    nulls: number,
    times: ReadonlyArray<number> | undefined,
    conversionTime: number | undefined,
    trace: JourneyTrace,
  ) => void
  readonly absorb: (sums: BootstrapSums, maps: AbsorbMaps) => void
  readonly snapshot: (attribution: AttributionPartial) => BootstrapSums
}

/**
 * Which replicate sums the models read: touch keys the positional rules (and last non-direct, over last touch),
 * the last non-direct shift, time decay, the Markov states and edges. Channel sets are always kept: the
 * replicates' totals are their sums. `undefined`: every model.
 *
 * @internal
 */
export const replicateNeeds = (models: ReadonlyArray<ModelName> | undefined) => {
  const any = (...names: ReadonlyArray<ModelName>) => models === undefined || names.some((m) => models.includes(m))
  return {
    touches: any('first', 'last', 'last_non_direct', 'linear', 'position'),
    lastNonDirect: any('last_non_direct'),
    timeDecay: any('time_decay'),
    markov: any('markov'),
  }
}

/** @internal */
export const replicateLayer = (
  settings: Settings,
  replicates: number,
  seed: string,
  models?: ReadonlyArray<ModelName>,
  // `denseKeys`: the dense touch-key table's entries at most (the tests shrink it to reach the sparse keys).
  options: { readonly wasm?: boolean; readonly denseKeys?: number } = {},
): ReplicateLayer => {
  const R = replicates
  // Counters no model asked for are not kept (their sums read 0): Markov's edges are about half of the inputs.
  const needs = replicateNeeds(models)
  // Order 1: a state's exit conversions are its channel's last-touch credit (the journeys that end there), which the
  // touch keys already count: read off them at the snapshot instead of counted twice.
  const exitsFromTouches = needs.markov && needs.touches && settings.order === 1
  const draws = drawer(R, seed)
  const { conv, nulls, fracConv, fracNull } = draws.draws

  // Every bank in one pool (one WebAssembly memory where available); a journey's numbers are staged there once.
  const pool = counterPool(R, options)
  const touches = slicedCounts(pool)
  // Last non-direct credit is last-touch credit but for journeys whose last touch is direct: per channel, slot 2ch
  // counts what such journeys move to it, slot 2ch + 1 what they take from it.
  const lastNonDirectShift = slicedCounts(pool)
  const timeDecay = slicedCounts(pool)
  const sets = slicedCounts(pool)
  const states = slicedCounts(pool)
  const edges = slicedCounts(pool)
  // Touch keys (channel, length, role) -> their slots in `touches`.
  const keys = touchKeys(options.denseKeys)
  const keySlot = keys.slot

  // Scratch, reused journey after journey.
  let fc = 0
  let fu = 0
  const both = slicedNumber(conv.words)
  let all = REG_CONV
  let middles = new Int32Array(16)
  // A journey's touch keys (slots) and how many times each counts, for queueEach.
  let keySlots = new Int32Array(16)
  let keyTimes = new Int32Array(16)
  // Distinct channels of a journey, in first-seen order (a channel at most once: as many slots as channels).
  let seen = new Int32Array(16)
  let seenCount = 0
  const weights: Array<number> = []
  let decayOf = new Float64Array(16)

  const channel = (index: number, name: string) => {
    draws.channel(index, name)
    if (index >= seen.length) {
      seen = widened(seen, index)
      middles = widened(middles, index)
      decayOf = widened(decayOf, index)
    }
  }

  const addConv = (bank: SlicedCounts, slot: number, times: number) => {
    if (conv.count > 0) addStaged(bank, slot, REG_CONV, times)
    if (fc > 0) addScaledMask(bank, slot, fracConv, 0, fc * times)
  }
  const addNulls = (bank: SlicedCounts, slot: number) => {
    if (nulls.count > 0) addStaged(bank, slot, REG_NULLS, 1)
    if (fu > 0) addScaledMask(bank, slot, fracNull, 0, fu)
  }
  /** Conversions and nulls: what a Markov start or edge counts (as one number when the journey has both). */
  const addAll = (bank: SlicedCounts, slot: number) => {
    if (pool.staged[all]!.count > 0) addStaged(bank, slot, all, 1)
    if (fc > 0) addScaledMask(bank, slot, fracConv, 0, fc)
    if (fu > 0) addScaledMask(bank, slot, fracNull, 0, fu)
  }

  /** The middle touches of a converting journey, per distinct channel (`seen`) with their count (`middles`). */
  const countMiddles = (path: ArrayLike<number>, n: number) => {
    // Locals, not the closure's variables, in the loop.
    const counts = middles
    const order = seen
    let k = seenCount
    for (let i = 1; i < n - 1; i++) {
      const ch = path[i]!
      const m = counts[ch]!
      if (m === 0) order[k++] = ch
      counts[ch] = m + 1
    }
    seenCount = k
  }

  /** Time decay's credits of a converting journey, to the floats (scaled, so not in the counters' queue). */
  const addTimeDecay = (path: ArrayLike<number>, n: number, times: ReadonlyArray<number>) => {
    writeTimeDecay(settings.halfLifeMs, times, weights)
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      if (decayOf[ch] === 0) seen[seenCount++] = ch
      decayOf[ch] = decayOf[ch]! + weights[i]!
    }
    for (let k = 0; k < seenCount; k++) {
      const ch = seen[k]!
      const a = decayOf[ch]!
      if (conv.count > 0) addScaledNumber(timeDecay, ch, conv, a)
      if (fc > 0) addScaledMask(timeDecay, ch, fracConv, 0, a * fc)
      decayOf[ch] = 0
    }
    seenCount = 0
  }

  /**
   * A journey of whole counts through the pool's journey lane: its numbers copied once, its additions queued with
   * many other journeys' and run in one call. The same additions in the same order as `addStaged` below (so the
   * same sums bit for bit); false, having added nothing, when the lane cannot take it.
   */
  const addWhole = (path: ArrayLike<number>, n: number, c: number, times: ReadonlyArray<number> | undefined, trace: JourneyTrace): boolean => {
    const cc = conv.count
    const nc = nulls.count
    // Conversions none of whose draws count anywhere (few replicates) still make their touch keys: left to staging.
    if (c > 0 && cc === 0) return false
    let bc = 0
    if (needs.markov && cc > 0 && nc > 0) {
      setSum(both, conv, nulls)
      bc = both.count
    }
    // At most n touch keys, 2 last non-direct shifts, 2 sets, n - 1 edges, 2 exits.
    if (!reserve(pool, cc + nc + bc, 2 * n + 8)) return false
    const atConv = cc > 0 ? put(pool, conv) : 0
    const atNulls = nc > 0 ? put(pool, nulls) : 0
    const atBoth = bc > 0 ? put(pool, both) : 0
    if (c > 0) {
      if (needs.touches) {
        // The journey's touch keys and their multiplicities, queued in one call (in the order addStaged adds them).
        if (keySlots.length < n + 1) {
          keySlots = new Int32Array(2 * n + 2)
          keyTimes = new Int32Array(2 * n + 2)
        }
        keySlots[0] = keySlot(path[0]!, n, FIRST)
        keyTimes[0] = 1
        let keyCount = 1
        if (n > 1) {
          keySlots[1] = keySlot(path[n - 1]!, n, LAST)
          keyTimes[1] = 1
          keyCount = 2
          countMiddles(path, n)
          for (let k = 0; k < seenCount; k++) {
            const ch = seen[k]!
            keySlots[keyCount] = keySlot(ch, n, MIDDLE)
            keyTimes[keyCount++] = middles[ch]!
            middles[ch] = 0
          }
          seenCount = 0
        }
        queueEach(touches, keySlots, keyCount, atConv, cc, keyTimes)
      }
      if (needs.lastNonDirect && trace.lastNonDirect !== n - 1) {
        queue(lastNonDirectShift, 2 * path[trace.lastNonDirect]!, atConv, cc, 1)
        queue(lastNonDirectShift, 2 * path[n - 1]! + 1, atConv, cc, 1)
      }
    }
    if (c > 0 && needs.timeDecay && times !== undefined) addTimeDecay(path, n, times)
    if (cc > 0) queue(sets, 2 * trace.set, atConv, cc, 1)
    if (nc > 0) queue(sets, 2 * trace.set + 1, atNulls, nc, 1)
    if (!needs.markov) return true
    // Conversions and nulls as one number (`both`) where the journey has both.
    const atAll = bc > 0 ? atBoth : nc > 0 ? atNulls : atConv
    const allCount = bc > 0 ? bc : nc > 0 ? nc : cc
    if (allCount > 0) queueEach(edges, trace.edges, trace.edgeCount, atAll, allCount)
    if (cc > 0 && !exitsFromTouches) queue(states, 2 * trace.lastState, atConv, cc, 1)
    if (nc > 0) queue(states, 2 * trace.lastState + 1, atNulls, nc, 1)
    return true
  }

  const add = (
    path: ArrayLike<number>,
    n: number,
    c: number,
    v: number,
    u: number,
    times: ReadonlyArray<number> | undefined,
    conversionTime: number | undefined,
    trace: JourneyTrace,
  ): void => {
    if (R === 0 || trace.set < 0) return
    draws.draw(path, n, c, v, u, times, conversionTime)
    fc = draws.draws.fc
    fu = draws.draws.fu
    if (fc === 0 && fu === 0 && addWhole(path, n, c, times, trace)) return
    // Staged at once (staging runs what is queued): every counter input below is queued in the pool and run in
    // one call.
    stage(pool, REG_CONV, conv)
    stage(pool, REG_NULLS, nulls)
    // Conversions + nulls in one number for Markov: fewer planes to add than the two apart.
    if (!needs.markov) all = REG_CONV
    else if (nulls.count === 0) all = REG_CONV
    else if (conv.count === 0) all = REG_NULLS
    else {
      setSum(both, conv, nulls)
      stage(pool, REG_BOTH, both)
      all = REG_BOTH
    }
    if (c > 0 && needs.touches) {
      addConv(touches, keySlot(path[0]!, n, FIRST), 1)
      if (n > 1) {
        addConv(touches, keySlot(path[n - 1]!, n, LAST), 1)
        countMiddles(path, n)
        for (let k = 0; k < seenCount; k++) {
          const ch = seen[k]!
          addConv(touches, keySlot(ch, n, MIDDLE), middles[ch]!)
          middles[ch] = 0
        }
        seenCount = 0
      }
    }
    if (c > 0) {
      if (needs.lastNonDirect && trace.lastNonDirect !== n - 1) {
        addConv(lastNonDirectShift, 2 * path[trace.lastNonDirect]!, 1)
        addConv(lastNonDirectShift, 2 * path[n - 1]! + 1, 1)
      }
      if (needs.timeDecay && times !== undefined) addTimeDecay(path, n, times)
    }
    addConv(sets, 2 * trace.set, 1)
    addNulls(sets, 2 * trace.set + 1)
    if (!needs.markov) return
    // Starts follow from the exits and edges (what enters a state leaves it): not counted.
    for (let e = 0; e < trace.edgeCount; e++) addAll(edges, trace.edges[e]!)
    if (!exitsFromTouches) addConv(states, 2 * trace.lastState, 1)
    addNulls(states, 2 * trace.lastState + 1)
  }

  const absorb = (s: BootstrapSums, maps: AbsorbMaps): void => {
    if (R === 0) return
    const addWeights = (bank: SlicedCounts, slot: number, xs: ReadonlyArray<number>, item: number) => {
      for (let r = 0; r < R; r++) {
        const x = xs[item * R + r]!
        // Stored weights are 2 × drawn units; halving is exact.
        if (x !== 0) addAt(bank, slot, r, x / 2)
      }
    }
    // Totals are the sums over sets and starts follow from exits and edges: nothing to add for them.
    s.touchKeys.forEach(([ch, n, role], k) => addWeights(touches, keySlot(maps.channels[ch]!, n, role), s.touches, k))
    const last = lastTouch(s.touchKeys, s.touches, R, maps.channels.length)
    const shift = s.lastNonDirect.map((x, i) => x - last[i]!)
    maps.channels.forEach((to, ch) => {
      addWeights(lastNonDirectShift, 2 * to, shift, ch)
      addWeights(timeDecay, to, s.timeDecay, ch)
    })
    maps.sets.forEach((to, k) => {
      addWeights(sets, 2 * to, s.sets.conversions, k)
      addWeights(sets, 2 * to + 1, s.sets.nulls, k)
    })
    maps.states.forEach((to, k) => {
      // Exits read off the touch keys (absorbed above) are not counted.
      if (!exitsFromTouches) addWeights(states, 2 * to, s.markov.conversions, k)
      addWeights(states, 2 * to + 1, s.markov.nulls, k)
    })
    maps.edges.forEach((to, k) => addWeights(edges, to, s.markov.edges, k))
  }

  /** Items' R values each, item-major, as weights (2 × drawn units). `slotOf(item)` is the item's counter. */
  const read = (bank: SlicedCounts, items: number, slotOf: (item: number) => number): Array<number> => {
    // Written in place (no typed array in between: the copy was most of the snapshot), doubled as read.
    const out = new Array<number>(items * R).fill(0)
    for (let k = 0; k < items; k++) readSlot(bank, slotOf(k), out, k * R, 2)
    return out
  }

  /** Per replicate, the sum over items of `xs` (item-major). */
  const total = (xs: ReadonlyArray<number>, items: number): Array<number> => {
    const out = new Array<number>(R).fill(0)
    for (let k = 0; k < items; k++) for (let r = 0; r < R; r++) out[r] = out[r]! + xs[k * R + r]!
    return out
  }

  /**
   * Order 1: each state's exit conversions, its channel's last-touch credit. The same number for whole counts (sums
   * of integers); with fractional counts the floats are added in another order, so they agree to rounding (as the
   * starts, which follow from exits and edges, always did).
   */
  const exitsOf = (p: AttributionPartial, last: ReadonlyArray<number>): Array<number> => {
    const out = new Array<number>(R * p.markov.states.length).fill(0)
    p.markov.states.forEach(([ch], s) => {
      for (let r = 0; r < R; r++) out[s * R + r] = last[ch! * R + r]!
    })
    return out
  }

  const snapshot = (p: AttributionPartial): BootstrapSums => {
    const nch = p.channels.length
    const ns = p.markov.states.length
    const setConversions = read(sets, R === 0 ? 0 : p.sets.length, (k) => 2 * k)
    const setNulls = read(sets, R === 0 ? 0 : p.sets.length, (k) => 2 * k + 1)
    const touchKeyList = R === 0 ? [] : keys.channels.map((ch, k) => [ch, keys.lengths[k]!, keys.roles[k]!] as const)
    const touchWeights = read(touches, R === 0 ? 0 : keys.channels.length, (k) => k)
    const last = lastTouch(touchKeyList, touchWeights, R, nch)
    const lastNonDirect = last.slice()
    if (R > 0) {
      const moved = read(lastNonDirectShift, nch, (k) => 2 * k)
      const taken = read(lastNonDirectShift, nch, (k) => 2 * k + 1)
      for (let i = 0; i < lastNonDirect.length; i++) lastNonDirect[i] = lastNonDirect[i]! + moved[i]! - taken[i]!
    }
    const exitConversions = exitsFromTouches ? exitsOf(p, last) : read(states, R === 0 ? 0 : ns, (k) => 2 * k)
    const exitNulls = read(states, R === 0 ? 0 : ns, (k) => 2 * k + 1)
    const edgeWeights = read(edges, R === 0 ? 0 : p.markov.edges.length, (k) => k)
    // Starts: what leaves a state (exits, edges out) less what enters it by an edge.
    const start = exitConversions.map((x, i) => x + exitNulls[i]!)
    p.markov.edges.forEach(([from, to], e) => {
      for (let r = 0; r < R; r++) {
        start[from * R + r] = start[from * R + r]! + edgeWeights[e * R + r]!
        start[to * R + r] = start[to * R + r]! - edgeWeights[e * R + r]!
      }
    })
    // Exact for integer counts; fractional ones can leave -1e-13 where 0 is meant.
    for (let i = 0; i < start.length; i++) if (start[i]! < 0) start[i] = 0
    return {
      replicates: R,
      // Every journey that weighs anything is in exactly one set.
      conversions: total(setConversions, p.sets.length),
      nulls: total(setNulls, p.sets.length),
      touchKeys: touchKeyList,
      touches: touchWeights,
      lastNonDirect,
      timeDecay: read(timeDecay, R === 0 ? 0 : nch, (k) => k),
      sets: { conversions: setConversions, nulls: setNulls },
      markov: { start, conversions: exitConversions, nulls: exitNulls, edges: edgeWeights },
    }
  }

  return { channel, add, absorb, snapshot }
}
