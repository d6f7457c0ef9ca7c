/**
 * The data of the touchpoint report: the mergeable sums one pass over journeys leaves (`ReportPartial`: the one
 * reducer's `AttributionPartial` and the report's sums laid over it), and the finished `Report` built from them.
 *
 * Like attribution's partial, a report partial is plain data (arrays and numbers), so shards reduced in worker
 * threads or on other machines combine with `mergeReportPartials`.
 *
 * @module
 */
import type { ModelName } from '../attribution/model'
import type { Action, Estimate, Satisfaction } from './actions'
import type { Roles } from './partialModel'
import type { TouchpointExperiment } from './touchpointExperiments'

export * from './partialModel'

/**
 * Journey stages, in funnel order.
 *
 * @category model
 * @since 0.1.0
 */
export type Stage = 'awareness' | 'consideration' | 'decision' | 'purchase' | 'loyalty'

/**
 * @category model
 * @since 0.1.0
 */
export const STAGES: ReadonlyArray<Stage> = ['awareness', 'consideration', 'decision', 'purchase', 'loyalty']

/**
 * The stage given to a channel no mapping and no default rule covers. Unmapped channels are listed but stay out
 * of the funnel.
 *
 * @category model
 * @since 0.1.0
 */
export const UNMAPPED = '(unmapped)'

/**
 * A channel's stage, or `(unmapped)`.
 *
 * @category model
 * @since 0.1.0
 */
export type StageOrUnmapped = Stage | typeof UNMAPPED

/**
 * One touchpoint after the purchase: journeys after a purchase that touched it, those that converted again within
 * the window (`repeats`, rate with its Wilson interval) and their value.
 *
 * @category report
 * @since 0.1.0
 */
export interface AfterPurchaseRow {
  readonly channel: string
  readonly stage: StageOrUnmapped
  readonly journeys: number
  readonly repeats: number
  readonly repeatRate: Estimate
  readonly repeatValue: number
}

/**
 * The report's after-purchase section: measured (rows by journeys, most first; `total` over every journey after a
 * purchase, the baseline each row compares with) or, when the input cannot give it, why not.
 *
 * @category report
 * @since 0.1.0
 */
export type AfterPurchase =
  | {
      readonly _tag: 'Measured'
      readonly windowMs: number
      /** Journeys read with their user's history. */
      readonly read: number
      readonly total: Omit<AfterPurchaseRow, 'channel' | 'stage'>
      readonly touchpoints: ReadonlyArray<AfterPurchaseRow>
      /** Always true: these are associations, not effects. */
      readonly observational: true
    }
  | { readonly _tag: 'NotMeasured'; readonly reason: string }

/**
 * Quantiles of a duration distribution, in milliseconds, estimated from a `Histogram`.
 *
 * @category model
 * @since 0.1.0
 */
export interface DurationSummary {
  readonly count: number
  readonly p10: number
  readonly p25: number
  readonly median: number
  readonly p75: number
  readonly p90: number
}

/**
 * An interval from the bootstrap percentiles.
 *
 * @category model
 * @since 0.1.0
 */
export interface Interval {
  readonly lower: number
  readonly upper: number
}

/**
 * One model's credit to one touchpoint: conversions, value, share of all credited conversions, and the bootstrap
 * interval of the conversions when replicates were drawn.
 *
 * @category model
 * @since 0.1.0
 */
export interface ModelCredit {
  readonly conversions: number
  readonly value: number
  readonly share: number
  readonly interval?: Interval
  readonly standardError?: number
}

/**
 * How much the models (participation left out: it inflates totals) disagree on one touchpoint: the lowest and
 * highest credit, their spread, the coefficient of variation across models, and, with replicates, the interval of
 * (highest − lowest model) over the same resamples: `clear` when it excludes 0, i.e. the disagreement is more than
 * resampling noise.
 *
 * @category model
 * @since 0.1.0
 */
export interface Disagreement {
  readonly lowestModel: ModelName
  readonly lowest: number
  readonly highestModel: ModelName
  readonly highest: number
  readonly spread: number
  readonly coefficientOfVariation: number
  readonly spreadInterval?: Interval
  readonly clear?: boolean
}

/**
 * Cost of one touchpoint and, per model, cost per attributed conversion and return on spend (credited value /
 * cost). Undefined ratios (no credit, no cost) are `null`.
 *
 * @category model
 * @since 0.1.0
 */
export interface TouchpointCost {
  readonly cost: number
  readonly costPerConversion: Readonly<Partial<Record<ModelName, number | null>>>
  readonly returnOnSpend: Readonly<Partial<Record<ModelName, number | null>>>
}

/**
 * One row of the report per touchpoint (channel).
 *
 * @category model
 * @since 0.1.0
 */
export interface Touchpoint {
  readonly channel: string
  readonly stage: StageOrUnmapped
  /** Online or offline as the stages file sets it (`ReportOptions.media`); absent: the map reads the name. */
  readonly medium?: 'online' | 'offline'
  readonly touches: number
  /** Journeys with at least one touch here. */
  readonly journeys: number
  /** Converting journeys among them. */
  readonly convertingJourneys: number
  readonly conversionRate: number
  /** Roles on converting journeys (counts) and their shares of this channel's converting touches. */
  readonly roles: Roles
  readonly roleShares: Roles
  /** Roles over every journey. */
  readonly rolesAllJourneys: Roles
  /** Mean 1-based position of its touches, and mean touches after it. */
  readonly averagePosition: number
  readonly averageTouchesAfter: number
  readonly timeToConversion?: DurationSummary
  readonly credits: Readonly<Partial<Record<ModelName, ModelCredit>>>
  readonly disagreement?: Disagreement
  readonly markovRemovalEffect?: number
  readonly cost?: TouchpointCost
}

/**
 * One stage: its channels, touches, journeys reaching it, how far journeys get (the funnel: journeys whose
 * furthest stage is this one or a later one) and where they stall (`dropOff`: journeys whose last touch is in this
 * stage and that did not convert).
 *
 * @category model
 * @since 0.1.0
 */
export interface StageRow {
  readonly stage: StageOrUnmapped
  readonly channels: ReadonlyArray<string>
  readonly touches: number
  readonly journeys: number
  readonly convertingJourneys: number
  readonly conversionRate: number
  readonly reachedOrBeyond: number
  readonly convertingReachedOrBeyond: number
  readonly dropOff: number
  readonly dropOffRate: number
  readonly closes: number
}

/**
 * A weighted link between two named nodes.
 *
 * @category model
 * @since 0.1.0
 */
export interface Link {
  readonly from: string
  readonly to: string
  readonly weight: number
  /** Share of the journeys leaving `from`. */
  readonly share: number
}

/**
 * A path with its journeys.
 *
 * @category model
 * @since 0.1.0
 */
export interface PathRow {
  readonly path: ReadonlyArray<string>
  readonly conversions: number
  readonly value: number
  readonly nulls: number
  readonly conversionRate: number
}

/**
 * A ranked improvement candidate. Signals (each 0 when it does not apply):
 * - `conversionGap`: journeys reached × (base rate − this channel's conversion rate), counted only when the
 *   shortfall is beyond binomial noise (z = (base − rate) / √(base(1 − base)/reached) > 1.96): conversions missing
 *   against the average touchpoint. The base rate is Σ converting journeys / Σ journeys reached over touchpoints
 *   (the journeys' own rate would flag every channel of long journeys).
 * - `excessSpend`: cost − credited conversions × overall cost per conversion, when positive.
 * - `underfunded`: share of removal effect (or credit) − share of spend, when positive.
 * `score` sums each signal divided by its largest value over channels, so each weighs at most 1.
 *
 * @category model
 * @since 0.1.0
 */
export interface Opportunity {
  readonly channel: string
  readonly score: number
  readonly conversionGap: number
  readonly excessSpend: number
  readonly underfunded: number
  readonly reasons: ReadonlyArray<string>
}

/**
 * Costs by channel (summed over periods) and the periods the file covers.
 *
 * @category model
 * @since 0.1.0
 */
export interface Costs {
  readonly channels: Readonly<Record<string, number>>
  readonly periods: ReadonlyArray<string>
}

/**
 * The finished report.
 *
 * @category model
 * @since 0.1.0
 */
export interface Report {
  readonly models: ReadonlyArray<ModelName>
  /** The model cost ranking and the single-model charts use (Markov when computed, else linear, else the first). */
  readonly referenceModel: ModelName
  readonly totals: {
    readonly journeys: number
    readonly conversions: number
    readonly value: number
    readonly nulls: number
    readonly touches: number
    readonly conversionRate: number
    readonly channels: number
    readonly cost?: number
  }
  readonly touchpoints: ReadonlyArray<Touchpoint>
  readonly stages: ReadonlyArray<StageRow>
  readonly stageFlow: ReadonlyArray<Link>
  readonly paths: {
    readonly topConverting: ReadonlyArray<PathRow>
    readonly topNonConverting: ReadonlyArray<PathRow>
    readonly exact: boolean
    readonly countError: number
    readonly lengths: ReadonlyArray<{ readonly length: number; readonly conversions: number; readonly nulls: number }>
    readonly timeToConversion?: DurationSummary
    readonly timeToConversionBins: ReadonlyArray<{ readonly from: number; readonly to: number; readonly conversions: number }>
    readonly transitions: ReadonlyArray<Link>
  }
  readonly flow: ReadonlyArray<{ readonly step: number; readonly from: string; readonly to: string; readonly weight: number }>
  readonly flowSteps: number
  readonly costs?: {
    readonly total: number
    readonly periods: ReadonlyArray<string>
    readonly unmatched: ReadonlyArray<string>
    readonly costPerConversion: number | null
    readonly returnOnSpend: number | null
  }
  /** Survey scores by touchpoint, when surveys were given (`parseSurveys`). */
  readonly satisfaction?: Readonly<Record<string, Satisfaction>>
  /** Experiments on touchpoints, when given (`parseTouchpointExperiments`). */
  readonly experiments?: ReadonlyArray<TouchpointExperiment>
  /** After the purchase: repeat conversion per post-purchase touchpoint (observational), or why it is not measured. */
  readonly afterPurchase?: AfterPurchase
  /** What to do, with the evidence (see `decideActions`): grouped by kind, then by touchpoint name; not a ranking. */
  readonly actions: ReadonlyArray<Action>
  /** The earlier scored ranking, kept for the CSV table `opportunities`; the page shows `actions`. */
  readonly opportunities: ReadonlyArray<Opportunity>
  readonly bootstrap: { readonly replicates: number; readonly used: number; readonly seed: string; readonly level: number }
}
