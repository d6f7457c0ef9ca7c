/**
 * The bootstrap as a layer over the one reducer: each journey's structure is found once, by attribution's
 * accumulator (its channel set, Markov states and edges, last non-direct touch: the `JourneyTrace`), and the
 * journey's draws for all R replicates are added to R-wide counters of those same items at once, 32 replicates per
 * operation (`internal/sliced.ts`). A replicate's attribution partial is read off the counters
 * (`replicatePartial`), so every model is recomputed on every replicate without reducing the journeys again.
 *
 * The resampling scheme is the double-or-nothing bootstrap: in each replicate every journey counts twice or not
 * at all, with probability 1/2 each, independently across journeys and replicates (weights with mean 1 and variance
 * 1, as Poisson(1) weights have; Owen & Eckles 2012 use it for data arrays, Eckles & Kaptein 2014 for an online
 * bootstrap). An aggregated row standing for n identical journeys draws for each of them, i.e. 2·Binomial(n, 1/2);
 * a fractional count's remainder f counts 2f or 0. The draws come from the run's seed and the journey's content
 * (`internal/draws.ts`), never its position, so merged shards equal one pass exactly (the counts are integers).
 *
 * @module
 */
import { accumulator as attributionAccumulator, type AbsorbMaps, type JourneyTrace } from '../attribution/accumulate'
import type { AttributionPartial, CreditSums, Journey, ModelName, RuleModel, SetCount, Settings } from '../attribution/model'
import { exactRatios } from '../attribution/internal/exactRatios'
import { positionalWeights, writeTimeDecay } from '../attribution/internal/weights'
import { binomialHalf, finishLanes, lane1, lane2, laneHash, MASK_LIMIT, textHash, uniformSource, unitMask } from './internal/draws'
import { addAt, addMaskTo, addNumberTo, addScaledMask, addScaledNumber, addStaged, copyNumber, counterPool, countAt, lastWordMask, readSlot, setCounts, slicedCounts, slicedNumber, stage, type SlicedCounts, type SlicedNumber } from './internal/sliced'
import { isReportPartial } from './internal/guards'
import type { BootstrapSums, ReportPartial, TouchRole } from './model'

// Registers a journey's numbers are staged in (sliced.ts keeps the last one for itself).
const REG_CONV = 0
const REG_NULLS = 1
const REG_BOTH = 2

const FIRST: TouchRole = 0
const MIDDLE: TouchRole = 1
const LAST: TouchRole = 2

/**
 * A journey's draws for all R replicates: `conv` and `nulls` count, per replicate, the journey's converting and
 * non-converting units drawn (each counts twice); `fc`, `fu` are the fractional remainders of its counts and
 * `fracConv`, `fracNull` their draws (bit r set: the remainder counts twice in replicate r).
 *
 * @internal
 */
export interface JourneyDraws {
  readonly conv: SlicedNumber
  readonly nulls: SlicedNumber
  readonly fracConv: Int32Array
  readonly fracNull: Int32Array
  fc: number
  fu: number
}

/**
 * Draws journeys' weights from the run's seed and their content: channel names (registered with `channel`),
 * counts, value and times.
 *
 * @internal
 */
export interface Drawer {
  readonly draws: JourneyDraws
  readonly channel: (index: number, name: string) => void
  readonly draw: (path: ArrayLike<number>, n: number, c: number, v: number, u: number, times: ReadonlyArray<number> | undefined, conversionTime: number | undefined) => void
}

/** @internal */
export const drawer = (replicates: number, seed: string): Drawer => {
  const R = replicates
  const W = Math.max(1, Math.ceil(R / 32))
  const lastMask = lastWordMask(R)
  const [seed1, seed2] = textHash(seed)
  const nameHash = laneHash()
  const f64 = new Float64Array(3)
  const i32 = new Int32Array(f64.buffer)
  const digest = new Int32Array(2)
  const names1: Array<number> = []
  const names2: Array<number> = []
  const unit = new Int32Array(W)
  const counts = new Float64Array(R)
  const draws: JourneyDraws = { conv: slicedNumber(W), nulls: slicedNumber(W), fracConv: new Int32Array(W), fracNull: new Int32Array(W), fc: 0, fu: 0 }

  /** Draws `whole` units (a bit each, or a binomial per replicate for many) into `x`; `stream` 0 conversions, 1 nulls. */
  const drawUnits = (h1: number, h2: number, whole: number, x: SlicedNumber, stream: number) => {
    x.count = 0
    if (whole <= 0) return
    if (whole === 1) {
      unitMask(h1, h2, 2 + stream, x.planes, 0, W, lastMask)
      x.count = 1
    } else if (whole <= MASK_LIMIT) {
      for (let i = 0; i < whole; i++) {
        unitMask(h1, h2, 2 * i + 2 + stream, unit, 0, W, lastMask)
        addMaskTo(x, unit, 0)
      }
    } else {
      const uniform = uniformSource(h1, h2, -1 - stream)
      for (let r = 0; r < R; r++) counts[r] = binomialHalf(whole, uniform)
      setCounts(x, counts, R)
    }
  }

  const draw = (path: ArrayLike<number>, n: number, c: number, v: number, u: number, times: ReadonlyArray<number> | undefined, conversionTime: number | undefined) => {
    // The journey's content: channel names, counts, value, times (doubles as their two words), fed word by word
    // into both lanes as `LaneHash` does, inlined.
    let a = lane1(seed1, n)
    let b = lane2(seed2, n)
    for (let i = 0; i < n; i++) {
      const k1 = names1[path[i]!]!
      const k2 = names2[path[i]!]!
      a = lane1(lane1(a, k1), k2)
      b = lane2(lane2(b, k1), k2)
    }
    let words = 1 + 2 * n
    f64[0] = c
    f64[1] = v
    f64[2] = u
    for (let i = 0; i < 6; i++) {
      a = lane1(a, i32[i]!)
      b = lane2(b, i32[i]!)
    }
    words += 6
    if (times === undefined) {
      a = lane1(a, -1)
      b = lane2(b, -1)
      words++
    } else {
      for (let i = 0; i <= n; i++) {
        f64[0] = i < n ? times[i]! : (conversionTime ?? Number.NaN)
        a = lane1(lane1(a, i32[0]!), i32[1]!)
        b = lane2(lane2(b, i32[0]!), i32[1]!)
      }
      words += 2 * (n + 1)
    }
    finishLanes(a, b, words, digest)
    const h1 = digest[0]!
    const h2 = digest[1]!
    const nc = Math.floor(c)
    const nu = Math.floor(u)
    draws.fc = c - nc
    draws.fu = u - nu
    drawUnits(h1, h2, nc, draws.conv, 0)
    drawUnits(h1, h2, nu, draws.nulls, 1)
    if (draws.fc > 0) unitMask(h1, h2, 0, draws.fracConv, 0, W, lastMask)
    if (draws.fu > 0) unitMask(h1, h2, 1, draws.fracNull, 0, W, lastMask)
  }

  const channel = (index: number, name: string) => {
    const [x, y] = textHash(name, nameHash)
    names1[index] = x
    names2[index] = y
  }

  return { draws, channel, draw }
}

/**
 * A journey's weights in each replicate: `conversions[r]` and `nulls[r]` are its conversions and nulls as
 * replicate r counts them (2 per unit drawn, 2f for a drawn fractional remainder f). What the layer adds up, one
 * journey at a time; the tests' reference.
 *
 * @internal
 */
export const journeyWeights =
  (replicates: number, seed: string) =>
  (j: Journey): { readonly conversions: ReadonlyArray<number>; readonly nulls: ReadonlyArray<number> } => {
    const d = drawer(replicates, seed)
    const names = [...new Set(j.channels)]
    names.forEach((name, i) => d.channel(i, name))
    d.draw(j.channels.map((c) => names.indexOf(c)), j.channels.length, j.conversions, j.value, j.nulls, j.times, j.conversionTime)
    const bit = (mask: Int32Array, r: number) => (mask[r >>> 5]! >>> (r & 31)) & 1
    const x = d.draws
    const conversions = Array.from({ length: replicates }, (_, r) => 2 * countAt(x.conv, r) + (x.fc > 0 ? 2 * x.fc * bit(x.fracConv, r) : 0))
    const nulls = Array.from({ length: replicates }, (_, r) => 2 * countAt(x.nulls, r) + (x.fu > 0 ? 2 * x.fu * bit(x.fracNull, r) : 0))
    return { conversions, nulls }
  }

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
export const replicateLayer = (settings: Settings, replicates: number, seed: string, models?: ReadonlyArray<ModelName>, options: { readonly wasm?: boolean } = {}): ReplicateLayer => {
  const R = replicates
  // Counters no model asked for are not kept (their sums read 0): Markov's edges are about half of the inputs.
  const needs = replicateNeeds(models)
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
  // Touch keys by length: keyIndex[n][3 * channel + role] is the key's slot + 1 (0: none yet).
  const keyIndex: Array<Array<number>> = []
  const keyChannel: Array<number> = []
  const keyLength: Array<number> = []
  const keyRole: Array<TouchRole> = []

  // Scratch, reused journey after journey.
  let fc = 0
  let fu = 0
  const both = slicedNumber(conv.words)
  let all = REG_CONV
  const middles: Array<number> = []
  const seen: Array<number> = []
  const weights: Array<number> = []
  const decayOf: Array<number> = []

  const channel = (index: number, name: string) => {
    draws.channel(index, name)
    middles[index] = 0
    decayOf[index] = 0
  }

  const keySlot = (ch: number, n: number, role: TouchRole): number => {
    let byLength = keyIndex[n]
    if (byLength === undefined) {
      byLength = []
      keyIndex[n] = byLength
    }
    const cell = 3 * ch + role
    const found = byLength[cell]
    if (found !== undefined && found > 0) return found - 1
    const slot = keyChannel.length
    keyChannel.push(ch)
    keyLength.push(n)
    keyRole.push(role)
    byLength[cell] = slot + 1
    return slot
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
    // Staged at once (staging runs what the last journey queued): every counter input below is queued in the
    // pool and run in one call.
    stage(pool, REG_CONV, conv)
    stage(pool, REG_NULLS, nulls)
    // Conversions + nulls in one number for Markov: fewer planes to add than the two apart.
    if (!needs.markov) all = REG_CONV
    else if (nulls.count === 0) all = REG_CONV
    else if (conv.count === 0) all = REG_NULLS
    else {
      copyNumber(both, conv)
      addNumberTo(both, nulls)
      stage(pool, REG_BOTH, both)
      all = REG_BOTH
    }
    if (c > 0 && needs.touches) {
      addConv(touches, keySlot(path[0]!, n, FIRST), 1)
      if (n > 1) {
        addConv(touches, keySlot(path[n - 1]!, n, LAST), 1)
        for (let i = 1; i < n - 1; i++) {
          const ch = path[i]!
          if (middles[ch] === 0) seen.push(ch)
          middles[ch] = middles[ch]! + 1
        }
        for (const ch of seen) {
          addConv(touches, keySlot(ch, n, MIDDLE), middles[ch]!)
          middles[ch] = 0
        }
        seen.length = 0
      }
    }
    if (c > 0) {
      if (needs.lastNonDirect && trace.lastNonDirect !== n - 1) {
        addConv(lastNonDirectShift, 2 * path[trace.lastNonDirect]!, 1)
        addConv(lastNonDirectShift, 2 * path[n - 1]! + 1, 1)
      }
      if (needs.timeDecay && times !== undefined) {
        writeTimeDecay(settings.halfLifeMs, times, weights)
        for (let i = 0; i < n; i++) {
          const ch = path[i]!
          if (decayOf[ch] === 0) seen.push(ch)
          decayOf[ch] = decayOf[ch]! + weights[i]!
        }
        for (const ch of seen) {
          const a = decayOf[ch]!
          if (conv.count > 0) addScaledNumber(timeDecay, ch, conv, a)
          if (fc > 0) addScaledMask(timeDecay, ch, fracConv, 0, a * fc)
          decayOf[ch] = 0
        }
        seen.length = 0
      }
    }
    addConv(sets, 2 * trace.set, 1)
    addNulls(sets, 2 * trace.set + 1)
    if (!needs.markov) return
    // Starts follow from the exits and edges (what enters a state leaves it): not counted.
    for (let e = 0; e < trace.edgeCount; e++) addAll(edges, trace.edges[e]!)
    addConv(states, 2 * trace.lastState, 1)
    addNulls(states, 2 * trace.lastState + 1)
  }

  const absorb = (s: BootstrapSums, maps: AbsorbMaps): void => {
    if (R === 0) return
    const put = (bank: SlicedCounts, slot: number, xs: ReadonlyArray<number>, item: number) => {
      for (let r = 0; r < R; r++) {
        const x = xs[item * R + r]!
        // Stored weights are 2 × drawn units; halving is exact.
        if (x !== 0) addAt(bank, slot, r, x / 2)
      }
    }
    // Totals are the sums over sets and starts follow from exits and edges: nothing to add for them.
    s.touchKeys.forEach(([ch, n, role], k) => put(touches, keySlot(maps.channels[ch]!, n, role), s.touches, k))
    const last = lastTouch(s.touchKeys, s.touches, R, maps.channels.length)
    const shift = s.lastNonDirect.map((x, i) => x - last[i]!)
    maps.channels.forEach((to, ch) => {
      put(lastNonDirectShift, 2 * to, shift, ch)
      put(timeDecay, to, s.timeDecay, ch)
    })
    maps.sets.forEach((to, k) => {
      put(sets, 2 * to, s.sets.conversions, k)
      put(sets, 2 * to + 1, s.sets.nulls, k)
    })
    maps.states.forEach((to, k) => {
      put(states, 2 * to, s.markov.conversions, k)
      put(states, 2 * to + 1, s.markov.nulls, k)
    })
    maps.edges.forEach((to, k) => put(edges, to, s.markov.edges, k))
  }

  /** Items' R values each, item-major, as weights (2 × drawn units). `slotOf(item)` is the item's counter. */
  const read = (bank: SlicedCounts, items: number, slotOf: (item: number) => number): Array<number> => {
    const values = new Float64Array(items * R)
    for (let k = 0; k < items; k++) readSlot(bank, slotOf(k), values, k * R)
    const out = new Array<number>(values.length).fill(0)
    for (let i = 0; i < values.length; i++) out[i] = 2 * values[i]!
    return out
  }

  /** Per replicate, the sum over items of `xs` (item-major). */
  const total = (xs: ReadonlyArray<number>, items: number): Array<number> => {
    const out = new Array<number>(R).fill(0)
    for (let k = 0; k < items; k++) for (let r = 0; r < R; r++) out[r] = out[r]! + xs[k * R + r]!
    return out
  }

  const snapshot = (p: AttributionPartial): BootstrapSums => {
    const nch = p.channels.length
    const ns = p.markov.states.length
    const setConversions = read(sets, R === 0 ? 0 : p.sets.length, (k) => 2 * k)
    const setNulls = read(sets, R === 0 ? 0 : p.sets.length, (k) => 2 * k + 1)
    const touchKeys = R === 0 ? [] : keyChannel.map((ch, k) => [ch, keyLength[k]!, keyRole[k]!] as const)
    const touchWeights = read(touches, R === 0 ? 0 : keyChannel.length, (k) => k)
    const lastNonDirect = lastTouch(touchKeys, touchWeights, R, nch)
    if (R > 0) {
      const moved = read(lastNonDirectShift, nch, (k) => 2 * k)
      const taken = read(lastNonDirectShift, nch, (k) => 2 * k + 1)
      for (let i = 0; i < lastNonDirect.length; i++) lastNonDirect[i] = lastNonDirect[i]! + moved[i]! - taken[i]!
    }
    const exitConversions = read(states, R === 0 ? 0 : ns, (k) => 2 * k)
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
      touchKeys,
      touches: touchWeights,
      lastNonDirect,
      timeDecay: read(timeDecay, R === 0 ? 0 : nch, (k) => k),
      sets: { conversions: setConversions, nulls: setNulls },
      markov: { start, conversions: exitConversions, nulls: exitNulls, edges: edgeWeights },
    }
  }

  return { channel, add, absorb, snapshot }
}

/** Touch keys in a fixed order (channel, length, role), so that sums over them do not depend on arrival order. */
const keyOrder = (keys: ReadonlyArray<readonly [number, number, TouchRole]>): Array<number> =>
  keys
    .map((_, k) => k)
    .sort((x, y) => {
      const [cx, nx, rx] = keys[x]!
      const [cy, ny, ry] = keys[y]!
      return cx - cy || nx - ny || rx - ry
    })

/** Last-touch credit per channel and replicate (channel-major), from the touch keys: last touches and solo ones. */
const lastTouch = (keys: ReadonlyArray<readonly [number, number, TouchRole]>, weights: ReadonlyArray<number>, R: number, channels: number): Array<number> => {
  const out = new Array<number>(channels * R).fill(0)
  for (const k of keyOrder(keys)) {
    const [ch, n, role] = keys[k]!
    if (role !== LAST && n !== 1) continue
    for (let r = 0; r < R; r++) out[ch * R + r] = out[ch * R + r]! + weights[k * R + r]!
  }
  return out
}

/**
 * Replicate r's attribution partial, read off a report partial's replicate sums: the one reducer's channels, sets,
 * states and edges (edges of weight 0 left out), with the replicate's conversions and nulls and no value. Rule
 * credits are summed in a fixed order of touch keys, so they do not depend on the order journeys came in.
 *
 * **Gotchas**: for what is no report partial, or an r that is no replicate (an integer from 0 to replicates - 1),
 * a partial without settings, which `attribute` and the other readers of partials refuse. A partial reduced with
 * `bootstrapModels` kept only those models' sums: attribute its replicates with those models (others read 0s;
 * `buildReport` checks this).
 *
 * @example
 * const replicate = replicatePartial(partials) // the report partial of examples/events.csv, 200 replicates
 * pipe(replicate(0), attribute({ models: ['first', 'markov'] })) // => right(…)  (the credits in replicate 0)
 *
 * @category bootstrap
 * @since 0.1.0
 */
export const replicatePartial = (partial: ReportPartial): ((r: number) => AttributionPartial) => {
  // From plain JavaScript: no report partial, or no replicate r, is a partial without settings, which every reader
  // of partials refuses by name.
  const none = (): AttributionPartial => attributionAccumulator(undefined as never).snapshot()
  if (!isReportPartial(partial)) return none
  const ap = partial.attribution
  const b = partial.bootstrap
  const R = b.replicates
  const nch = ap.channels.length
  const order = keyOrder(b.touchKeys)
  // Each key's weight per touch under the positional engine (Adobe's rule, as attribution computes it).
  const ends = { first: 0, middle: 0, last: 0 }
  const position = exactRatios(ap.settings.position)
  const positionOf = b.touchKeys.map(([, n, role]) => {
    positionalWeights(position, n, ends)
    return role === FIRST ? ends.first : role === LAST ? ends.last : ends.middle
  })
  const zeros = () => new Array<number>(nch).fill(0)
  return (r) => {
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < R)) return none()
    const first = zeros()
    const last = zeros()
    const linear = zeros()
    const position = zeros()
    for (const k of order) {
      const w = b.touches[k * R + r]!
      if (w === 0) continue
      const [ch, n, role] = b.touchKeys[k]!
      if (role === FIRST) first[ch] = first[ch]! + w
      if (role === LAST || n === 1) last[ch] = last[ch]! + w
      linear[ch] = linear[ch]! + w / n
      position[ch] = position[ch]! + w * positionOf[k]!
    }
    const column = (xs: ReadonlyArray<number> | Array<number>): CreditSums => ({ conversions: xs, value: zeros() })
    const pick = (xs: ReadonlyArray<number>) => Array.from({ length: nch }, (_, ch) => xs[ch * R + r]!)
    const rules: Record<RuleModel, CreditSums> = {
      first: column(first),
      last: column(last),
      last_non_direct: column(pick(b.lastNonDirect)),
      linear: column(linear),
      position: column(position),
      time_decay: column(pick(b.timeDecay)),
    }
    const conversions = b.conversions[r]!
    const sets: Array<SetCount> = ap.sets.map((s, k) => ({ channels: s.channels, conversions: b.sets.conversions[k * R + r]!, value: 0, nulls: b.sets.nulls[k * R + r]! }))
    const ns = ap.markov.states.length
    const at = (xs: ReadonlyArray<number>) => Array.from({ length: ns }, (_, s) => xs[s * R + r]!)
    const edges: Array<readonly [number, number, number]> = []
    ap.markov.edges.forEach(([from, to], e) => {
      const w = b.markov.edges[e * R + r]!
      if (w > 0) edges.push([from, to, w])
    })
    return {
      _tag: 'AttributionPartial',
      settings: ap.settings,
      channels: ap.channels,
      totals: {
        rows: ap.totals.rows,
        journeys: ap.totals.journeys,
        conversions,
        value: 0,
        nulls: b.nulls[r]!,
        untimedConversions: ap.totals.untimedConversions > 0 ? conversions : 0,
      },
      rules,
      sets,
      markov: { order: ap.markov.order, states: ap.markov.states, start: at(b.markov.start), edges, conversions: at(b.markov.conversions), nulls: at(b.markov.nulls), value: new Array<number>(ns).fill(0) },
    }
  }
}
