/**
 * A journey's bootstrap draws for all R replicates at once, from the run's seed and the journey's content (channel
 * names, counts, value, times): what the replicate layer (`bootstrap.ts`) adds to its counters, and
 * `journeyWeights`, the same draws as plain weights per replicate (the tests' reference).
 *
 * @internal
 * @module
 */
import type { Journey } from '../../attribution/model'
import { binomialHalf, finishLanes, lane1, lane2, laneHash, MASK_LIMIT, textHash, uniformSource, unitMask } from './draws'
import { countAt, lastWordMask, setCounts, setMaskSum, slicedNumber, type SlicedNumber } from './slicedNumber'
import { widened } from './widened'

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
  // Int32Array: the names' hashes, mostly past the small-integer range, read as int32 words (a plain array holds
  // them as doubles).
  let names1 = new Int32Array(16)
  let names2 = new Int32Array(16)
  // A row's unit masks, unit i at i W, summed at once (setMaskSum).
  const units = new Int32Array(MASK_LIMIT * W)
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
      for (let i = 0; i < whole; i++) unitMask(h1, h2, 2 * i + 2 + stream, units, i * W, W, lastMask)
      setMaskSum(x, units, whole)
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
    if (index >= names1.length) {
      names1 = widened(names1, index)
      names2 = widened(names2, index)
    }
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
