/**
 * The report's per-journey sums, over the reducer's channel table: touches, roles, positions, times to conversion,
 * repeats, the flow, path lengths and journey durations (what only the report reads; `touchpointAccumulator` wires
 * them beside the reducer, the distinct paths, the replicates and the after-purchase sums).
 *
 * @internal
 * @module
 */
import { pairTable } from '../../attribution/internal/pairTable'
import { addToCounts } from '../histogram'
import type { FlowLink, Histogram, ReportPartial } from '../model'

/** @internal */
export interface JourneySums {
  /** The reducer's table got a channel (the next index). */
  readonly channel: () => void
  readonly add: (path: ArrayLike<number>, n: number, c: number, u: number, times?: ReadonlyArray<number>, conversionTime?: number) => void
  /** Adds a partial's sums, renumbering channels by `map`. */
  readonly absorb: (p: ReportPartial, map: ReadonlyArray<number>) => void
  readonly snapshot: () => Pick<ReportPartial, 'totals' | 'channel' | 'flow' | 'lengths' | 'journeyDuration'>
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

const addHistogram = (into: Array<number>, h: Histogram) => {
  while (into.length < h.counts.length) into.push(0)
  h.counts.forEach((x, b) => (into[b] = into[b]! + x))
}

/** @internal */
export const journeySums = (steps: number): JourneySums => {
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
  const [introducer, assister, closer, solo] = roles as [Array<number>, Array<number>, Array<number>, Array<number>]
  const [convIntroducer, convAssister, convCloser, convSolo] = convRoles as [Array<number>, Array<number>, Array<number>, Array<number>]
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

  // In front of `flowSlots` while there are at most FLOW_DENSE channels: slot + 1 of [step, from, to] at
  // (step * flowK + from) * (flowK + 2) + to + 2 (0: not cached), so a journey's flow links are array reads, not
  // hash lookups. Emptied when it grows; refilled from `flowSlots`.
  let flowK = 0
  let flowDense = new Int32Array(0)

  const channel = () => {
    if (known + 1 > flowK) {
      flowK = Math.max(8, 2 * flowK)
      flowDense = flowK <= FLOW_DENSE ? new Int32Array(steps * flowK * (flowK + 2)) : new Int32Array(0)
    }
    for (const a of perChannel) a.push(0)
    ttc.push([])
    known++
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

  const add = (path: ArrayLike<number>, n: number, c: number, u: number, times?: ReadonlyArray<number>, conversionTime?: number): void => {
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
    // One loop over the touches for all of them: each array still gets its additions in touch order.
    if (w > 0 && n === 1) {
      const ch = path[0]!
      touches[ch] = touches[ch]! + w
      positionSum[ch] = positionSum[ch]! + w * 1
      toEndSum[ch] = toEndSum[ch]! + w * 0
      solo[ch] = solo[ch]! + w
      if (c > 0) {
        convTouches[ch] = convTouches[ch]! + c
        convSolo[ch] = convSolo[ch]! + c
      }
    } else if (w > 0) {
      const converting = c > 0
      for (let i = 0; i < n; i++) {
        const ch = path[i]!
        touches[ch] = touches[ch]! + w
        positionSum[ch] = positionSum[ch]! + w * (i + 1)
        toEndSum[ch] = toEndSum[ch]! + w * (n - 1 - i)
        if (i > 0 && path[i - 1] === ch) repeats[ch] = repeats[ch]! + w
        const role = i === 0 ? introducer : i === n - 1 ? closer : assister
        role[ch] = role[ch]! + w
        if (converting) {
          convTouches[ch] = convTouches[ch]! + c
          const convRole = i === 0 ? convIntroducer : i === n - 1 ? convCloser : convAssister
          convRole[ch] = convRole[ch]! + c
        }
      }
    } else if (c > 0) {
      // c > 0 with w = c + u not > 0: only from plain JavaScript (negative nulls); as before, converting sums alone.
      for (let i = 0; i < n; i++) convTouches[path[i]!] = convTouches[path[i]!]! + c
      addRoles(convRoles, path, n, c)
    }
    if (timed) for (let i = 0; i < n; i++) addToCounts(ttc[path[i]!]!, conversionTime - times[i]!, c)
    const followed = Math.min(n, steps)
    for (let s = 0; s + 1 < followed; s++) addFlow(s, path[s]!, path[s + 1]!, w)
    addFlow(followed - 1, path[followed - 1]!, -1, c)
    addFlow(followed - 1, path[followed - 1]!, -2, u)
  }

  const absorb = (p: ReportPartial, map: ReadonlyArray<number>): void => {
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
  }

  const snapshot = () => {
    const byRole = (arrays: Array<Array<number>>) => ({
      introducer: arrays[0]!.slice(),
      assister: arrays[1]!.slice(),
      closer: arrays[2]!.slice(),
      solo: arrays[3]!.slice(),
    })
    const flow: Array<FlowLink> = flowWeight.map((w, k) => [flowStep[k]!, flowFrom[k]!, flowTo[k]!, w])
    return {
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
    }
  }

  return { channel, add, absorb, snapshot }
}
