/**
 * What the statistics engine reads: sufficient statistics per arm, so a warehouse query over any number of rows
 * (a `COUNT`, a `SUM` and a `SUM` of squares) feeds every test without the raw data.
 *
 * @module
 */

/**
 * A conversion metric: how many units were exposed, how many converted.
 *
 * @category model
 * @since 0.1.0
 */
export interface BinomialArm {
  readonly units: number
  readonly conversions: number
}

/**
 * Pre-period sums of a covariate x for CUPED, over the same units as the metric y: Σx, Σx² and Σxy.
 *
 * @category model
 * @since 0.1.0
 */
export interface CovariateSums {
  readonly sum: number
  readonly sumSquares: number
  readonly productSum: number
}

/**
 * A continuous metric (revenue per user, time on page): units, Σy and Σy²; optionally the CUPED covariate.
 *
 * @category model
 * @since 0.1.0
 */
export interface ContinuousArm {
  readonly units: number
  readonly sum: number
  readonly sumSquares: number
  readonly covariate?: CovariateSums
}

/**
 * A ratio metric Σy / Σz whose analysis unit differs from the randomisation unit (revenue per order, clicks per
 * view): per randomised unit the numerator y and denominator z, summed, squared and multiplied.
 *
 * @category model
 * @since 0.1.0
 */
export interface RatioArm {
  readonly units: number
  readonly numeratorSum: number
  readonly numeratorSumSquares: number
  readonly denominatorSum: number
  readonly denominatorSumSquares: number
  readonly productSum: number
}

/**
 * Any arm; the kind follows from the fields (`conversions`, `sum`, `numeratorSum`).
 *
 * @category model
 * @since 0.1.0
 */
export type Arm = BinomialArm | ContinuousArm | RatioArm

/**
 * The metric kinds.
 *
 * @category model
 * @since 0.1.0
 */
export type MetricKind = 'binomial' | 'continuous' | 'ratio'

/**
 * A control and a treatment of the same kind.
 *
 * @category model
 * @since 0.1.0
 */
export interface TwoArms<A extends Arm = Arm> {
  readonly control: A
  readonly treatment: A
}

/**
 * The alternative hypothesis about treatment − control: `greater` means the treatment is better (larger).
 *
 * @category model
 * @since 0.1.0
 */
export type Alternative = 'two-sided' | 'greater' | 'less'

/**
 * A confidence or credible interval; one-sided intervals have an infinite end.
 *
 * @category model
 * @since 0.1.0
 */
export interface Interval {
  readonly lower: number
  readonly upper: number
}

/**
 * Absolute (treatment − control) or relative ((treatment − control) / |control|) lift.
 *
 * @category model
 * @since 0.1.0
 */
export type LiftType = 'absolute' | 'relative'
