/**
 * The report partial: the sums one pass over journeys leaves, laid over the one reducer's `AttributionPartial`,
 * plain data that merges by adding (`mergeReportPartials`). Re-exported by model.ts, where the finished `Report`
 * built from them lives.
 *
 * @module
 */
import type { AttributionPartial, ModelName, Settings } from '../attribution/model'

/**
 * What a report reduction fixes; partials merge only when these are equal.
 *
 * - `attribution`: the settings of the one reducer (its partial is `ReportPartial.attribution`).
 * - `replicates`: bootstrap replicates (0: no intervals). Every model is recomputed on each (see `BootstrapSums`).
 * - `seed`: the bootstrap seed.
 * - `pathCapacity`: distinct paths kept exactly; beyond, a Misra–Gries summary (see `PathSummary`).
 * - `flowSteps`: touches per journey the flow chart follows (default 4).
 * - `bootstrapModels` (optional): the models whose replicate sums the reduction keeps; absent, all of them (as
 *   partials reduced before this field existed). The Markov edges and states are most of a replicate's cost, so a
 *   report without `markov` that names its models reduces about a quarter faster. `buildReport` refuses a model
 *   the partial did not keep, naming the ones it did.
 * - `afterPurchaseWindowMs` (optional): the after-purchase window (`AfterPurchaseSums`); absent, the section is
 *   not measured (as partials reduced before this field existed).
 *
 * @category model
 * @since 0.1.0
 */
export interface ReportSettings {
  readonly attribution: Settings
  readonly replicates: number
  readonly seed: string
  readonly pathCapacity: number
  readonly flowSteps: number
  readonly bootstrapModels?: ReadonlyArray<ModelName>
  readonly afterPurchaseWindowMs?: number
}

/**
 * What happens after a purchase, as sums that merge by adding (event input read with users; see
 * `afterPurchase.ts`). A journey is *after a purchase* when its first touch is within the window
 * (`0 <= first touch − previous conversion <= afterPurchaseWindowMs`) after the same user's previous conversion; it
 * *repeats* when it converts within the window of that same conversion. Per channel (aligned with
 * `attribution.channels`), each journey counts once however often it touches the channel.
 *
 * - `read`: journeys handed over with their user's history (0: the input could not say; paths carry no users).
 * - `journeys`, `repeats`, `repeatValue`: over every journey after a purchase, then per channel.
 *
 * @category model
 * @since 0.1.0
 */
export interface AfterPurchaseSums {
  readonly read: number
  readonly journeys: number
  readonly repeats: number
  readonly repeatValue: number
  readonly channel: {
    readonly journeys: ReadonlyArray<number>
    readonly repeats: ReadonlyArray<number>
    readonly repeatValue: ReadonlyArray<number>
  }
}

/**
 * A histogram of durations in milliseconds with fixed log-spaced bins (see `histogram.ts`): `counts[b]` is the
 * weight in bin `b`. Fixed bins make histograms merge by adding counts.
 *
 * @category model
 * @since 0.1.0
 */
export interface Histogram {
  readonly counts: ReadonlyArray<number>
}

/**
 * Touch counts by role. Over a journey of n >= 2 touches the first is an `introducer`, the last a `closer`, the
 * ones between `assister`s; the only touch of a one-touch journey is `solo` (it both introduces and closes).
 *
 * @category model
 * @since 0.1.0
 */
export interface Roles {
  readonly introducer: number
  readonly assister: number
  readonly closer: number
  readonly solo: number
}

/**
 * Per-channel sums, aligned with `ReportPartial.attribution.channels` (the one reducer's channel table). Weights: a
 * journey counts `conversions + nulls` times (an aggregated row stands for that many journeys), a converting-only
 * sum counts `conversions`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ChannelSums {
  /** Touches (every journey). */
  readonly touches: ReadonlyArray<number>
  /** Touches on converting journeys. */
  readonly convertingTouches: ReadonlyArray<number>
  /** Roles over every journey, as four aligned arrays. */
  readonly roles: { readonly [K in keyof Roles]: ReadonlyArray<number> }
  /** Roles over converting journeys. */
  readonly convertingRoles: { readonly [K in keyof Roles]: ReadonlyArray<number> }
  /** Σ weight · position (1-based) over touches. */
  readonly positionSum: ReadonlyArray<number>
  /** Σ weight · touches left after this one (0 for the last touch). */
  readonly toEndSum: ReadonlyArray<number>
  /** Time from each touch to the conversion (converting journeys with times), weight `conversions`. */
  readonly touchToConversion: ReadonlyArray<Histogram>
  /** Σ weight over consecutive touches on this same channel (`email > email`): the transitions the chain collapses. */
  readonly repeats: ReadonlyArray<number>
}

/**
 * Touch-level transitions between channels, with `(start)` and the exits, as the report reads them: derived from
 * the one reducer's Markov counts at any order (`channelTransitions`), never counted twice. `edges` are
 * `[from, to, weight]` between different channels; repeats (`email > email`) are `ChannelSums.repeats`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TransitionSums {
  readonly start: ReadonlyArray<number>
  readonly edges: ReadonlyArray<readonly [number, number, number]>
  readonly exitConversions: ReadonlyArray<number>
  readonly exitNulls: ReadonlyArray<number>
}

/**
 * Flow along the first `flowSteps` touches: `[step, from, to, weight]`, `step` 0-based, `from` a channel index,
 * `to` a channel index (the next touch), `-1` (the journey converted after this touch) or `-2` (it ended without
 * conversion). A journey longer than `flowSteps` leaves its last followed touch for its outcome.
 *
 * @category model
 * @since 0.1.0
 */
export type FlowLink = readonly [number, number, number, number]

/**
 * One distinct path (channel indexes, touch by touch) with its sums.
 *
 * @category model
 * @since 0.1.0
 */
export interface PathCount {
  readonly channels: ReadonlyArray<number>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
}

/**
 * Distinct paths, exact while there are at most `capacity` of them. Beyond, a weighted Misra–Gries summary on
 * `conversions + nulls`: when the table reaches 2·capacity entries, the (capacity+1)-th largest weight d is
 * subtracted from every entry (scaling its conversions, value and nulls alike) and entries left at 0 dropped.
 * Every kept count is then low by at most `error` (the sum of the d's), and a path whose true weight exceeds
 * `error` is never lost (Agarwal et al., "Mergeable summaries", 2012).
 *
 * @category model
 * @since 0.1.0
 */
export interface PathSummary {
  readonly capacity: number
  readonly paths: ReadonlyArray<PathCount>
  readonly error: number
}

/**
 * Touch role of a converting journey's touch in `BootstrapSums.touchKeys`: 0 the first touch (the only one of a
 * one-touch journey), 1 a middle touch, 2 the last touch.
 *
 * @category model
 * @since 0.1.0
 */
export type TouchRole = 0 | 1 | 2

/**
 * The bootstrap replicates as sums over the one reducer's items: every array holds `replicates` numbers per
 * item, item-major (`array[item * replicates + r]`), each a Σ of weight × count over the journeys, the weight
 * being the journey's draw in replicate r (0 or 2 per journey, see `touchpointAccumulator`). A replicate's
 * attribution partial follows from them (`replicatePartial`), so every model is recomputed on every replicate
 * without reducing the journeys again. Conversions and nulls only: replicates carry no value.
 *
 * - `conversions`, `nulls`: totals, one item.
 * - `touchKeys[k] = [channel, length, role]` with `touches[k]`: touches of converting journeys (weight ×
 *   conversions × touches) by channel, journey length and `TouchRole`; first, last, linear and position credits
 *   follow from them.
 * - `lastNonDirect`, `timeDecay`: per channel of `attribution.channels`, those models' credits.
 * - `sets`: per set of `attribution.sets`, conversions and nulls.
 * - `markov`: per state of `attribution.markov.states` its starts and exits, per edge of `markov.edges` its weight.
 *
 * @category model
 * @since 0.1.0
 */
export interface BootstrapSums {
  readonly replicates: number
  readonly conversions: ReadonlyArray<number>
  readonly nulls: ReadonlyArray<number>
  readonly touchKeys: ReadonlyArray<readonly [number, number, TouchRole]>
  readonly touches: ReadonlyArray<number>
  readonly lastNonDirect: ReadonlyArray<number>
  readonly timeDecay: ReadonlyArray<number>
  readonly sets: { readonly conversions: ReadonlyArray<number>; readonly nulls: ReadonlyArray<number> }
  readonly markov: {
    readonly start: ReadonlyArray<number>
    readonly conversions: ReadonlyArray<number>
    readonly nulls: ReadonlyArray<number>
    readonly edges: ReadonlyArray<number>
  }
}

/**
 * The report's reduction of one pass over journeys: the one reducer's partial (`attribution`: channels, totals,
 * rule credits, channel sets, Markov counts) and the sums the report lays over it, every channel, set, state and
 * edge index referring to `attribution`'s lists. Memory grows with channels, distinct paths (bounded by
 * `pathCapacity`), histogram bins and bootstrap replicates, never with rows.
 *
 * Journeys, conversions, value and nulls are `attribution.totals` (a journey weighs `conversions + nulls`); the
 * report's transitions are `channelTransitions(attribution)`.
 *
 * @category model
 * @since 0.1.0
 */
export interface ReportPartial {
  readonly _tag: 'ReportPartial'
  readonly settings: ReportSettings
  readonly attribution: AttributionPartial
  readonly totals: {
    readonly touches: number
    /** Conversions whose journeys carry times (their touch-to-conversion times are in the histograms). */
    readonly timedConversions: number
  }
  readonly channel: ChannelSums
  readonly flow: ReadonlyArray<FlowLink>
  /** `lengths.conversions[n]`, `lengths.nulls[n]`: journeys of n touches. */
  readonly lengths: { readonly conversions: ReadonlyArray<number>; readonly nulls: ReadonlyArray<number> }
  /** First touch to conversion, converting journeys with times. */
  readonly journeyDuration: Histogram
  readonly paths: PathSummary
  readonly bootstrap: BootstrapSums
  /** With `settings.afterPurchaseWindowMs`: the after-purchase sums (absent in partials reduced before them). */
  readonly afterPurchase?: AfterPurchaseSums
}
