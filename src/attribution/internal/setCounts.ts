/**
 * The accumulator's channel sets: per set of channels a journey touched, its conversions, value and nulls (what
 * Shapley values are computed from). One of the accumulator's parts (with `ruleCredits` and `chainCounts`).
 *
 * @internal
 * @module
 */
import type { AttributionPartial, SetCount } from '../model'

/** Channel sets among the first 16 channels are cached in a plain array. */
const SMALL_MASKS = 1 << 16

/** @internal */
export interface SetCounts {
  /**
   * A path's channel set as a bit mask while every index fits in 30 bits (the usual case: a few dozen channels at
   * most), else -1: the set is then keyed by its sorted index list.
   */
  readonly maskOf: (path: ArrayLike<number>, n: number) => number
  /** The slot of the set a (non-negative) mask stands for, created empty if new. */
  readonly setOfMask: (mask: number) => number
  /** Adds counts to a slot. */
  readonly addToSet: (slot: number, c: number, v: number, u: number) => void
  /** Adds a journey's counts to the set of the channels of `path[0..n)`; returns its slot. */
  readonly add: (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => number
  /** Adds a partial's sets, its channel `j` being channel `map[j]` here; returns where each set went. */
  readonly absorb: (p: AttributionPartial, map: ReadonlyArray<number>) => ReadonlyArray<number>
  readonly snapshot: () => Array<SetCount>
}

/** @internal Empty set counts. */
export const setCounts = (): SetCounts => {
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
  // Scratch buffer reused across journeys.
  const distinct: Array<number> = []

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

  const add = (path: ArrayLike<number>, n: number, c: number, v: number, u: number): number => {
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
    return slot
  }

  const absorb = (p: AttributionPartial, map: ReadonlyArray<number>): ReadonlyArray<number> =>
    p.sets.map((s) => {
      const slot = setSlot(s.channels.map((c) => map[c]!).sort((x, y) => x - y))
      addToSet(slot, s.conversions, s.value, s.nulls)
      return slot
    })

  const snapshot = (): Array<SetCount> => {
    const setList: Array<SetCount> = []
    for (const k of sets.values()) setList.push({ channels: setChannels[k]!.slice(), conversions: setConv[k]!, value: setValue[k]!, nulls: setNulls[k]! })
    return setList
  }

  return { maskOf, setOfMask, addToSet, add, absorb, snapshot }
}
