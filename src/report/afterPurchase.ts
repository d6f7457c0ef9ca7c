/**
 * After the purchase: for users who converted, the journeys that began within a window after the conversion, and
 * whether they converted again within it, per touchpoint of those journeys. Observational: a touchpoint seen
 * before repeat purchases is not shown to cause them (loyal customers open more emails); only an experiment says.
 *
 * The journey builder hands each event journey over with the time of its user's previous conversion
 * (`Reducer.afterPurchaseMs`); `afterPurchaseLayer` keeps mergeable sums of them (`AfterPurchaseSums`), and
 * `afterPurchaseSection` turns the sums into the report's section with Wilson intervals.
 *
 * @module
 */
import { isRecord } from '../core/guards'
import { wilsonInterval } from './internal/wilson'
import { isReportPartial } from './internal/guards'
import { STAGES, UNMAPPED, type AfterPurchase, type AfterPurchaseRow, type AfterPurchaseSums, type ReportPartial, type StageOrUnmapped } from './model'

/**
 * The default after-purchase window: 30 days.
 *
 * @category report
 * @since 0.1.0
 */
export const DEFAULT_AFTER_PURCHASE_WINDOW_MS = 30 * 86_400_000

/**
 * Why the section is empty for input without users and times.
 *
 * @category report
 * @since 0.1.0
 */
export const AFTER_PURCHASE_NEEDS_EVENTS =
  "needs event input read with its users (user, time), as touchpoint report reads it: aggregated paths, and journeys handed over one by one (reduceTouchpoints), carry no user history, so a purchase cannot be linked to the same user's later touches"

/** @internal The sums' running form, over the reducer's channel table. */
export interface AfterPurchaseLayer {
  readonly channel: () => void
  readonly add: (
    path: ArrayLike<number>,
    n: number,
    conversions: number,
    value: number,
    nulls: number,
    times: ReadonlyArray<number> | undefined,
    conversionTime: number | undefined,
    previousConversion: number | undefined,
  ) => void
  readonly absorb: (sums: AfterPurchaseSums, map: ReadonlyArray<number>) => void
  readonly snapshot: () => AfterPurchaseSums
}

/**
 * Whether a journey that began at `start` is after the purchase at `previous` (within `windowMs`, both edges
 * included), and whether its conversion at `conversionTime` repeats within the same window.
 *
 * @internal
 */
export const afterPurchaseOf = (windowMs: number, previous: number, start: number, conversionTime: number | undefined): { readonly after: boolean; readonly repeat: boolean } => {
  const since = start - previous
  const after = since >= 0 && since <= windowMs
  return { after, repeat: after && conversionTime !== undefined && conversionTime - previous <= windowMs }
}

/** @internal A new layer for `windowMs`. */
export const afterPurchaseLayer = (windowMs: number): AfterPurchaseLayer => {
  const journeys: Array<number> = []
  const repeats: Array<number> = []
  const repeatValue: Array<number> = []
  // The journey last counted on each channel: a journey counts once per channel.
  const stamp: Array<number> = []
  let counted = 0
  const totals = { read: 0, journeys: 0, repeats: 0, repeatValue: 0 }
  const channel = () => {
    journeys.push(0)
    repeats.push(0)
    repeatValue.push(0)
    stamp.push(-1)
  }
  const add: AfterPurchaseLayer['add'] = (path, n, c, v, u, times, conversionTime, previous) => {
    if (previous === undefined) return
    const w = c + u
    totals.read += w
    if (Number.isNaN(previous) || times === undefined || n === 0 || w === 0) return
    const { after, repeat } = afterPurchaseOf(windowMs, previous, times[0]!, c > 0 ? conversionTime : undefined)
    if (!after) return
    const r = repeat ? c : 0
    const rv = repeat ? v : 0
    totals.journeys += w
    totals.repeats += r
    totals.repeatValue += rv
    counted++
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      if (stamp[ch] === counted) continue
      stamp[ch] = counted
      journeys[ch] = journeys[ch]! + w
      repeats[ch] = repeats[ch]! + r
      repeatValue[ch] = repeatValue[ch]! + rv
    }
  }
  const absorb: AfterPurchaseLayer['absorb'] = (sums, map) => {
    totals.read += sums.read
    totals.journeys += sums.journeys
    totals.repeats += sums.repeats
    totals.repeatValue += sums.repeatValue
    const into = (to: Array<number>, xs: ReadonlyArray<number>) => xs.forEach((x, j) => (to[map[j]!] = to[map[j]!]! + x))
    into(journeys, sums.channel.journeys)
    into(repeats, sums.channel.repeats)
    into(repeatValue, sums.channel.repeatValue)
  }
  const snapshot = (): AfterPurchaseSums => ({
    ...totals,
    channel: { journeys: journeys.slice(), repeats: repeats.slice(), repeatValue: repeatValue.slice() },
  })
  return { channel, add, absorb, snapshot }
}

/**
 * The after-purchase section of a partial: per channel with journeys after a purchase, the repeat rate with its
 * Wilson interval at `level`. `NotMeasured` with the reason when the partial has no window or the input had no users.
 *
 * @example
 * const acc = touchpointAccumulator(reportSettings(DEFAULT_SETTINGS, { replicates: 0 }))
 * // As the event reader hands it over: an email journey starting 10 days after the user's purchase at 0, converting on day 12.
 * acc.addIndexed([acc.channelIndex('email')], 1, 1, 40, 0, [10 * 86_400_000], 12 * 86_400_000, 0)
 * const s = afterPurchaseSection(acc.snapshot(), 0.95, stageOf({}))
 * s._tag === 'Measured' ? [s.total.journeys, s.total.repeats, s.touchpoints[0]!.repeatValue] : s.reason // => [1, 1, 40]
 *
 * @category report
 * @since 0.1.0
 */
export const afterPurchaseSection = (partial: ReportPartial, givenLevel: number, givenStage: (channel: string) => StageOrUnmapped): AfterPurchase => {
  // From plain JavaScript: what is no partial is said so, never thrown on; a bad level or stage function falls back.
  if (!isReportPartial(partial)) return { _tag: 'NotMeasured', reason: 'not measured: the value given is no report partial' }
  const level = typeof givenLevel === 'number' && givenLevel > 0 && givenLevel < 1 ? givenLevel : 0.95
  const stage = (channel: string): StageOrUnmapped => {
    const s: unknown = typeof givenStage === 'function' ? givenStage(channel) : UNMAPPED
    // A plain-JavaScript stage function may answer anything: what is no stage reads as unmapped.
    return (STAGES as ReadonlyArray<unknown>).includes(s) ? (s as StageOrUnmapped) : UNMAPPED
  }
  const windowMs = partial.settings.afterPurchaseWindowMs
  const sums = partial.afterPurchase
  if (windowMs === undefined || !isRecord(sums) || !isRecord(sums.channel) || !Array.isArray(sums.channel.journeys)) return { _tag: 'NotMeasured', reason: 'not measured: the partial was reduced without an after-purchase window' }
  if (sums.read === 0) return { _tag: 'NotMeasured', reason: AFTER_PURCHASE_NEEDS_EVENTS }
  const names = partial.attribution.channels
  const touchpoints = names
    .map((channel, i): AfterPurchaseRow => {
      const j = sums.channel.journeys[i] ?? 0
      const r = sums.channel.repeats[i] ?? 0
      return { channel, stage: stage(channel), journeys: j, repeats: r, repeatRate: wilsonInterval(r, j, level), repeatValue: sums.channel.repeatValue[i] ?? 0 }
    })
    .filter((row) => row.journeys > 0)
    .sort((a, b) => b.journeys - a.journeys || b.repeats - a.repeats || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
  return {
    _tag: 'Measured',
    windowMs,
    read: sums.read,
    total: { journeys: sums.journeys, repeats: sums.repeats, repeatRate: wilsonInterval(sums.repeats, sums.journeys, level), repeatValue: sums.repeatValue },
    touchpoints,
    observational: true,
  }
}
