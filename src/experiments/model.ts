/**
 * What an experiment analysis from raw logs is made of: metric definitions (checked by `decodeMetrics`), the rows
 * of the exposure and event logs once decoded, and the per-arm sums every engine produces (in process, DuckDB,
 * PostgreSQL, ClickHouse), from which `toStatistics` builds the sufficient statistics `touchpoint/stats` reads.
 *
 * @module
 */
import type { NamedArm } from '../stats/analyze'

/**
 * The kinds of metric. `binomial`: 1 when the unit has any qualifying event, else 0. `count`: the number of
 * qualifying events. `sum`: the sum of their values (0 when there are none). `ratio`: one metric over another,
 * per unit summed and divided (revenue per order), analysed with the delta method.
 *
 * @category model
 * @since 0.2.0
 */
export type MetricKindName = 'binomial' | 'count' | 'sum' | 'ratio'

/**
 * Per-unit values above this cap are replaced by it: a quantile of every exposed unit's value (linear
 * interpolation between order statistics, as SQL's `PERCENTILE_CONT`), or a fixed value.
 *
 * @category model
 * @since 0.2.0
 */
export type Cap = { readonly _tag: 'quantile'; readonly quantile: number } | { readonly _tag: 'value'; readonly value: number }

/**
 * Which way a metric should move. Guardrails are flagged when they move the other way.
 *
 * @category model
 * @since 0.2.0
 */
export type Direction = 'increase' | 'decrease'

/**
 * A metric computed from events: which events qualify, in which window after the first exposure, and how the
 * per-unit value is made.
 *
 * - `windowMs`: events at `t0 + delay <= t < t0 + delay + window` count (`undefined`: to the end of the data).
 * - `value`: the event column summed (`sum` only).
 * - `cupedMs`: the covariate is this metric over `[t0 − cuped, t0)`.
 *
 * @category model
 * @since 0.2.0
 */
export interface EventMetric {
  readonly _tag: 'event'
  readonly name: string
  readonly kind: 'binomial' | 'count' | 'sum'
  readonly events: ReadonlyArray<string>
  readonly value?: string
  readonly windowMs?: number
  readonly delayMs: number
  readonly cap?: Cap
  readonly cupedMs?: number
  readonly guardrail: boolean
  readonly direction: Direction
}

/**
 * A ratio of two event metrics, per unit: Σ numerator / Σ denominator over the units of an arm. The components
 * are used exactly as they are defined (their windows and caps).
 *
 * @category model
 * @since 0.2.0
 */
export interface RatioMetric {
  readonly _tag: 'ratio'
  readonly name: string
  readonly kind: 'ratio'
  readonly numerator: string
  readonly denominator: string
  readonly guardrail: boolean
  readonly direction: Direction
}

/**
 * @category model
 * @since 0.2.0
 */
export type Metric = EventMetric | RatioMetric

/**
 * A decoded metrics file: the metrics in file order, plus the event metrics (the ones an engine computes per
 * unit) and, for each ratio, the indexes of its components among them.
 *
 * @category model
 * @since 0.2.0
 */
export interface Metrics {
  readonly metrics: ReadonlyArray<Metric>
  readonly eventMetrics: ReadonlyArray<EventMetric>
  readonly ratios: ReadonlyArray<{ readonly metric: RatioMetric; readonly numerator: number; readonly denominator: number }>
  /** The event columns the `sum` metrics read, without repeats, in order of first use. */
  readonly valueColumns: ReadonlyArray<string>
}

/**
 * One exposure, decoded: the unit, the experiment, the variant it saw, when (ms since 1970; `undefined` when
 * the log has no times), and the value of the dimension attribute (`''` when absent).
 *
 * @category model
 * @since 0.2.0
 */
export interface ExposureRow {
  readonly unit: string
  readonly experiment: string
  readonly variant: string
  readonly time: number | undefined
  readonly dimension: string
}

/**
 * One event, decoded: the unit, when (ms since 1970), its name, and its values in the columns `valueColumns`
 * lists (`undefined` where the row has none).
 *
 * @category model
 * @since 0.2.0
 */
export interface EventRow {
  readonly unit: string
  readonly time: number
  readonly event: string
  readonly values: ReadonlyArray<number | undefined>
}

/**
 * Sums of one event metric over the units of one arm: Σy and Σy² of the capped per-unit values and, with CUPED,
 * Σx, Σx² and Σxy of the capped covariate.
 *
 * @category model
 * @since 0.2.0
 */
export interface MetricSums {
  readonly sum: number
  readonly sumSquares: number
  readonly covariate?: { readonly sum: number; readonly sumSquares: number; readonly productSum: number }
}

/**
 * What every engine computes, one row per experiment, arm and dimension value: the units, each event metric's
 * sums (by the index in `Metrics.eventMetrics`) and each ratio's Σ numerator × denominator (by the index in
 * `Metrics.ratios`). `variant: null` holds the units exposed to two or more variants (left out of every metric).
 * `dimension` (when a dimension is asked for) is the value at the unit's first exposure, `null` when its earliest
 * exposures, at the same instant, disagree.
 *
 * @category model
 * @since 0.2.0
 */
export interface ArmSums {
  readonly experiment: string
  readonly variant: string | null
  readonly dimension?: string | null
  readonly units: number
  readonly metrics: ReadonlyArray<MetricSums>
  readonly ratioProducts: ReadonlyArray<number>
}

/**
 * The caps an engine applied, per experiment and event metric (`undefined`: not capped), for the covariate too.
 *
 * @category model
 * @since 0.2.0
 */
export interface AppliedCaps {
  readonly experiment: string
  readonly caps: ReadonlyArray<{ readonly value: number | undefined; readonly covariate: number | undefined }>
}

/**
 * Per-arm sums from any engine, with the caps it used: the partial result every engine produces and
 * `toStatistics` finishes.
 *
 * @category model
 * @since 0.2.0
 */
export interface LogSums {
  readonly rows: ReadonlyArray<ArmSums>
  readonly caps: ReadonlyArray<AppliedCaps>
}

/**
 * The sufficient statistics of one metric (and dimension value) of one experiment, in exactly the form
 * `touchpoint analyze FILE` and `analyze` from `touchpoint/stats` read, with what identifies them.
 *
 * @category model
 * @since 0.2.0
 */
export interface MetricStatistics {
  readonly experiment: string
  readonly metric: string
  readonly dimension?: { readonly name: string; readonly value: string | null }
  readonly control: string
  readonly arms: ReadonlyArray<NamedArm>
  readonly multipleExposures: number
}
