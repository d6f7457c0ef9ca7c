/**
 * The data of attribution: journeys (ordered touches ending in conversions or not), the settings a run fixes,
 * and the mergeable partial results every model reduces to.
 *
 * A partial result is plain data (arrays and numbers, JSON- and structured-clone-safe), so shards of a file can be
 * reduced in worker threads or on other machines and combined with `mergePartials`.
 *
 * @module
 */

/**
 * One journey: touches in time order and what it ended in. Aggregated rows (ChannelAttribution's format) are
 * journeys too, standing for `conversions + nulls` identical journeys.
 *
 * - `channels`: touch by touch, repeats kept (`['search', 'email', 'search']`); never empty.
 * - `conversions`, `value`: conversions closing the path and their total value.
 * - `nulls`: journeys along this path that did not convert (ChannelAttribution's `total_null`).
 * - `times`, `conversionTime`: epoch milliseconds, when known (event-level input); time decay needs them.
 *
 * @category model
 * @since 0.1.0
 */
export interface Journey {
  readonly channels: ReadonlyArray<string>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
  readonly times?: ReadonlyArray<number>
  readonly conversionTime?: number
  /** Set by a journey builder asked for it (`afterPurchaseMs`): the user's previous conversion time, NaN for none. */
  readonly previousConversion?: number
}

/**
 * The channel that receives conversions left with no touch (every touch fell outside the lookback window), so
 * that totals still add up.
 *
 * @category model
 * @since 0.1.0
 */
export const UNATTRIBUTED = '(unattributed)'

/**
 * The names of the chain's implicit states, one name each wherever a state is shown (attribution's transition
 * matrix, the report's flow, stage flow and transitions): every journey starts in `(start)` and ends in
 * `(conversion)` or in `(null)`, ChannelAttribution's name for the end of a journey that did not convert (the
 * `nulls` of a journey, `total_null` of a path row).
 *
 * @category model
 * @since 0.1.0
 */
export const START_STATE = '(start)'

/** @category model @since 0.1.0 */
export const CONVERSION_STATE = '(conversion)'

/** @category model @since 0.1.0 */
export const NULL_STATE = '(null)'

/**
 * The rule-based models whose credits are per-channel sums.
 *
 * @category model
 * @since 0.1.0
 */
export type RuleModel = 'first' | 'last' | 'last_non_direct' | 'linear' | 'position' | 'time_decay'

/**
 * @category model
 * @since 0.1.0
 */
export const RULE_MODELS: ReadonlyArray<RuleModel> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'time_decay']

/**
 * Every model `attribute` can report, in output column order.
 *
 * - `participation`: each distinct channel of a converting journey gets all of it (totals inflate, as in Adobe).
 * - `markov`: removal effects of an order-k Markov chain, solved exactly.
 * - `shapley`: the simplified set form of Zhao et al. (2018): each journey splits its credit equally among its
 *   distinct channels.
 * - `shapley_rate`: Shapley values over each converting channel set with v(S) = conversion rate of journeys whose
 *   channel set is exactly S, normalised within the set (uses non-converting journeys).
 *
 * @category model
 * @since 0.1.0
 */
export type ModelName = RuleModel | 'participation' | 'markov' | 'shapley' | 'shapley_rate'

/**
 * @category model
 * @since 0.1.0
 */
export const MODEL_NAMES: ReadonlyArray<ModelName> = [...RULE_MODELS, 'participation', 'markov', 'shapley', 'shapley_rate']

/**
 * First/middle/last weights of the positional engine (Adobe's "Custom" rule). They need not sum to 1:
 * with n >= 3 touches the first gets first/S, the last last/S and each middle touch middle/S/(n-2), S the sum;
 * with two touches the middle weight is ignored (first/(first+last), last/(first+last)), which gives U-shaped
 * .5/.5, J-shaped .25/.75 and inverse-J .75/.25; if first + last is 0 two touches split linearly.
 *
 * @category model
 * @since 0.1.0
 */
export interface PositionWeights {
  readonly first: number
  readonly middle: number
  readonly last: number
}

/**
 * Named shapes of the positional engine: U (40/20/40, Google and Adobe's position-based), J (20/20/60) and
 * inverse J (60/20/20), as Adobe defines them.
 *
 * @category model
 * @since 0.1.0
 */
export const POSITION_SHAPES: Readonly<Record<'u' | 'j' | 'inverse_j', PositionWeights>> = {
  u: { first: 0.4, middle: 0.2, last: 0.4 },
  j: { first: 0.2, middle: 0.2, last: 0.6 },
  inverse_j: { first: 0.6, middle: 0.2, last: 0.2 },
}

/** Milliseconds in a day. @category model @since 0.1.0 */
export const DAY_MS = 86_400_000

/**
 * What a reduction fixes: partial results can only be merged when their settings are equal.
 *
 * - `order`: Markov order k, 1 to 4.
 * - `position`: weights of the positional engine.
 * - `halfLifeMs`: time-decay half-life (default 7 days).
 * - `direct`: channels that last non-direct skips (compared case-insensitively; default `direct`).
 *
 * @category model
 * @since 0.1.0
 */
export interface Settings {
  readonly order: number
  readonly position: PositionWeights
  readonly halfLifeMs: number
  readonly direct: ReadonlyArray<string>
}

/**
 * Defaults: order 1, U-shaped 40/20/40, 7-day half-life, `direct` as the direct channel.
 *
 * @category model
 * @since 0.1.0
 */
export const DEFAULT_SETTINGS: Settings = { order: 1, position: POSITION_SHAPES.u, halfLifeMs: 7 * DAY_MS, direct: ['direct'] }

/**
 * Per-channel sums of one rule-based model, aligned with `AttributionPartial.channels`.
 *
 * @category model
 * @since 0.1.0
 */
export interface CreditSums {
  readonly conversions: ReadonlyArray<number>
  readonly value: ReadonlyArray<number>
}

/**
 * Conversions, value and nulls of the journeys whose DISTINCT channel set is exactly `channels` (indexes into
 * `AttributionPartial.channels`, ascending). Participation and both Shapley models reduce to these.
 *
 * @category model
 * @since 0.1.0
 */
export interface SetCount {
  readonly channels: ReadonlyArray<number>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
}

/**
 * Transition counts of the order-k chain. `states[i]` is a window of 1..k channel indexes; `(start)`,
 * `(conversion)` and `(null)` are implicit. Weights are ChannelAttribution's: conversions + nulls of a path on
 * each of its transitions, conversions into `(conversion)` and nulls into `(null)` from its last state.
 *
 * - `start[i]`: weight of `(start) -> states[i]`.
 * - `edges`: `[from, to, weight]` between states.
 * - `conversions[i]`, `nulls[i]`, `value[i]`: exits from `states[i]`, and the conversion value of paths ending there.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarkovCounts {
  readonly order: number
  readonly states: ReadonlyArray<ReadonlyArray<number>>
  readonly start: ReadonlyArray<number>
  readonly edges: ReadonlyArray<readonly [number, number, number]>
  readonly conversions: ReadonlyArray<number>
  readonly nulls: ReadonlyArray<number>
  readonly value: ReadonlyArray<number>
}

/**
 * Totals over the reduced journeys.
 *
 * - `rows`: input rows (paths or events) reduced.
 * - `journeys`: journeys (path rows, or journeys built from events).
 * - `untimedConversions`: conversions on journeys without timestamps; time decay is defined only when 0.
 *
 * @category model
 * @since 0.1.0
 */
export interface Totals {
  readonly rows: number
  readonly journeys: number
  readonly conversions: number
  readonly value: number
  readonly nulls: number
  readonly untimedConversions: number
}

/**
 * Everything every model needs, as sums that merge: memory grows with channels, Markov states and distinct
 * channel sets, never with rows.
 *
 * @category model
 * @since 0.1.0
 */
export interface AttributionPartial {
  readonly _tag: 'AttributionPartial'
  readonly settings: Settings
  /** Channels in order of first appearance. */
  readonly channels: ReadonlyArray<string>
  readonly totals: Totals
  readonly rules: Readonly<Record<RuleModel, CreditSums>>
  readonly sets: ReadonlyArray<SetCount>
  readonly markov: MarkovCounts
}

/**
 * Conversions and value credited to one channel by one model.
 *
 * @category model
 * @since 0.1.0
 */
export interface Credit {
  readonly conversions: number
  readonly value: number
}

/**
 * One row per channel: credits per model requested, and the Markov removal effects when Markov was requested.
 *
 * @category model
 * @since 0.1.0
 */
export interface ChannelResult {
  readonly channel: string
  readonly credits: Readonly<Partial<Record<ModelName, Credit>>>
  readonly markovRemovalEffect?: number
  readonly markovValueRemovalEffect?: number
}

/**
 * The answer of `attribute`: rows in channel order, the models computed, and the totals credits add up to.
 *
 * @category model
 * @since 0.1.0
 */
export interface Attribution {
  readonly models: ReadonlyArray<ModelName>
  readonly channels: ReadonlyArray<ChannelResult>
  readonly totals: Totals
  /** P(conversion) from `(start)` in the fitted chain, when Markov was requested. */
  readonly markovConversionProbability?: number
  /** Shapley sets evaluated by seeded sampling instead of exactly (more channels than `exactLimit`). */
  readonly sampledSets?: number
}
