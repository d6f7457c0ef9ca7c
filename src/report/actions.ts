/**
 * The actions the touchpoint report recommends (the top of the page): what to scale up, what to cut or
 * renegotiate, which experience to fix, what to test. Each action carries the numbers that justify it and their
 * uncertainty; `decideActions` (decide.ts) lists an action only when its evidence is beyond noise.
 *
 * @module
 */
import type { ModelName } from '../attribution/model'

/**
 * A point estimate with its interval (bootstrap percentiles for credits, Wilson for rates).
 *
 * @category actions
 * @since 0.1.0
 */
export interface Estimate {
  readonly value: number
  readonly lower: number
  readonly upper: number
}

/**
 * Cost evidence of a paid touchpoint: its cost, the conversions the reference model credits to it (bootstrap
 * interval) and the cost per attributed conversion that follows (cost / credit), against `benchmark`, the paid
 * touchpoints' cost per attributed conversion (Σ cost / Σ credited conversions over paid touchpoints).
 *
 * **Gotchas**: where the credit (or an end of its interval) is 0, the cost per conversion there is `Infinity`
 * (the interval is open above; JSON writes it `null`): a cost with no conversion to show for it.
 *
 * @category actions
 * @since 0.1.0
 */
export interface CostEvidence {
  readonly channel: string
  readonly model: ModelName
  readonly cost: number
  readonly conversions: Estimate
  readonly costPerConversion: Estimate
  readonly benchmark: number
  /** Credited value / cost by the reference model. */
  readonly returnOnSpend: number
  /**
   * The experiment whose measured conversions replace the model's credit in `conversions` (journeys reached ×
   * the change in conversion rate its holdout measured), when one tested this touchpoint.
   */
  readonly experiment?: string
}

/**
 * Satisfaction measured at a touchpoint (NPS in [−100, 100] or CSAT as a share in [0, 1]) with its interval.
 *
 * @category actions
 * @since 0.1.0
 */
export interface Satisfaction {
  readonly measure: 'nps' | 'csat'
  readonly score: number
  readonly lower: number
  readonly upper: number
  readonly responses: number
  /** The rating scale surveyed (`0-10` for NPS, `1-5` for CSAT, ...), where known. */
  readonly scale?: string
  /** This touchpoint against the other touchpoints surveyed with the same measure pooled (`parseSurveys`). */
  readonly versusOthers?: SurveyComparison
}

/**
 * A touchpoint's satisfaction against the other surveyed touchpoints' responses pooled: the difference (this −
 * others, on the score's scale) with its interval and the two-sided p-value, from `nps` (NPS) or
 * `proportionsZTest` (CSAT) of touchpoint/stats.
 *
 * @category actions
 * @since 0.1.0
 */
export interface SurveyComparison {
  readonly difference: number
  readonly lower: number
  readonly upper: number
  readonly pValue: number
  /** Responses of the other touchpoints pooled. */
  readonly others: number
}

/**
 * The sample size of a holdout test that tells the disagreeing models apart (`sampleSize` of touchpoint/stats,
 * classic two-proportion design): journeys reaching the touchpoint per arm, for an absolute change of
 * `effect` in their conversion rate from `baseline`.
 *
 * @category actions
 * @since 0.1.0
 */
export interface TestPlan {
  readonly baseline: number
  readonly effect: number
  readonly alpha: number
  readonly power: number
  readonly unitsPerArm: number
  readonly totalUnits: number
}

/**
 * One recommended action, tagged by what to do:
 * - `Scale`: a paid touchpoint whose cost per attributed conversion is below the paid benchmark across its whole
 *   interval.
 * - `Cut`: a paid touchpoint whose cost per attributed conversion is above the benchmark across its whole interval
 *   (cut it or renegotiate its price).
 * - `Fix`: a touchpoint whose journeys convert below the average touchpoint's rate across the whole interval of
 *   its rate (`reason: 'conversion'`), or whose satisfaction is below the surveyed touchpoints' average across its
 *   whole interval (`reason: 'satisfaction'`).
 * - `Test`: the models disagree on the touchpoint beyond resampling noise: only an experiment settles it.
 *
 * @category actions
 * @since 0.1.0
 */
export type Action =
  | ({ readonly _tag: 'Scale' } & CostEvidence)
  | ({ readonly _tag: 'Cut' } & CostEvidence)
  | {
      readonly _tag: 'Fix'
      readonly reason: 'conversion'
      readonly channel: string
      readonly journeys: number
      readonly convertingJourneys: number
      readonly rate: Estimate
      readonly baseRate: number
      /** Conversions short of the base rate over the journeys reached: journeys × (base rate − rate). */
      readonly shortfall: number
    }
  | {
      readonly _tag: 'Fix'
      readonly reason: 'satisfaction'
      readonly channel: string
      readonly satisfaction: Satisfaction
      readonly benchmark: number
    }
  | {
      readonly _tag: 'Test'
      readonly channel: string
      readonly lowestModel: ModelName
      readonly lowest: number
      readonly highestModel: ModelName
      readonly highest: number
      readonly spread: Estimate
      readonly journeys: number
      /** Absent when no design fits (an effect that would take the rate out of (0, 1)). */
      readonly plan?: TestPlan
    }

/**
 * The kinds of action in the order the report lists them.
 *
 * @category actions
 * @since 0.1.0
 */
export const ACTION_KINDS: ReadonlyArray<Action['_tag']> = ['Scale', 'Cut', 'Fix', 'Test']
