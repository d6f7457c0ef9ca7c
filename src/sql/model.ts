/**
 * What an attribution query is compiled from: where the rows are, what they hold (aggregated paths or events,
 * and in which columns), the models and the settings `attribute` takes. Plain data, checked by
 * `checkAttributionQuery` before the compiler trusts it.
 *
 * @module
 */
import type { ModelName, PositionWeights } from '../attribution/model'

/**
 * Where the rows come from: a table (dotted names such as `project.dataset.events` are split and each part
 * quoted), or a query of the caller's own, used as a subquery (it is the caller's SQL: it is not checked).
 *
 * @category sql
 * @since 0.2.0
 */
export type SqlSource = { readonly _tag: 'table'; readonly name: string } | { readonly _tag: 'query'; readonly sql: string }

/**
 * Aggregated paths (ChannelAttribution's format): a path string of channel names between `separator`, its
 * conversions, and optional value and null columns (absent: 0).
 *
 * @category sql
 * @since 0.2.0
 */
export interface SqlPaths {
  readonly _tag: 'paths'
  readonly path: string
  readonly conversions: string
  readonly value?: string
  readonly nulls?: string
  readonly separator: string
}

/**
 * How event times are stored: a timestamp column (read as UTC), or a number since 1970 in `unit`.
 *
 * @category sql
 * @since 0.2.0
 */
export type SqlTime = { readonly _tag: 'timestamp' } | { readonly _tag: 'epoch'; readonly unit: 's' | 'ms' | 'us' | 'ns' }

/**
 * Event rows, one touch (or conversion) per row, as `attribute` reads them.
 *
 * - `conversion`: a marker column (1/0, true/false, yes/no, empty), unless `conversionEvents` is given: then a
 *   row whose `eventColumn` is one of those names is a conversion.
 * - `conversionTime`: a column with the conversion's own time, when a conversion is flagged on a touch row; the
 *   lookback window is anchored there (default: the row's time).
 * - `orderColumn`: breaks ties between a user's rows at the same time (a line or sequence number). Without it,
 *   rows at the same instant go touches first, then by channel name.
 * - `lookbackMs`: touches older than this before the conversion are dropped (none: every touch since the
 *   previous conversion counts).
 *
 * @category sql
 * @since 0.2.0
 */
export interface SqlEvents {
  readonly _tag: 'events'
  readonly user: string
  readonly time: string
  readonly channel: string
  readonly conversion: string
  readonly value?: string
  readonly timeType: SqlTime
  readonly conversionTime?: string
  readonly conversionEvents?: { readonly column: string; readonly names: ReadonlyArray<string> }
  readonly orderColumn?: string
  readonly lookbackMs?: number
}

/**
 * Everything an attribution query is compiled from.
 *
 * @category sql
 * @since 0.2.0
 */
export interface AttributionQuery {
  readonly source: SqlSource
  readonly input: SqlPaths | SqlEvents
  readonly models: ReadonlyArray<ModelName>
  readonly order: number
  readonly position: PositionWeights
  readonly halfLifeMs: number
  readonly direct: ReadonlyArray<string>
}

/**
 * A compiled query: its text, the dialect it is written in, and the columns of its result (every result row is
 * one `section` of the partial result; `decodeAttributionRows` reads them).
 *
 * @category sql
 * @since 0.2.0
 */
export interface CompiledQuery {
  readonly dialect: string
  readonly sql: string
  readonly columns: ReadonlyArray<string>
}

/**
 * The columns of an attribution query's result, in order.
 *
 * - `section`: `settings` (the query's settings as JSON in `channels`), `channel` (per channel: touches, the
 *   rule-based credits, and the rows, journeys, conversions, value and nulls of the journeys that start there, which
 *   add up to the totals), `set` (a distinct channel set), `start`, `exit` (Markov states a journey starts and ends
 *   in), `edge` (a Markov transition as the k+1 channels that make it), `invalid` (rows left out).
 * - `channels`: channel names, each with `%` and `>` written `%25` and `%3E`, joined by `>`.
 *
 * @category sql
 * @since 0.2.0
 */
export const RESULT_COLUMNS = [
  'section',
  'channels',
  'conversions',
  'value',
  'nulls',
  'rows',
  'journeys',
  'touches',
  'first_conversions',
  'first_value',
  'last_conversions',
  'last_value',
  'last_non_direct_conversions',
  'last_non_direct_value',
  'linear_conversions',
  'linear_value',
  'position_conversions',
  'position_value',
  'time_decay_conversions',
  'time_decay_value',
] as const

/** @category sql @since 0.2.0 */
export type ResultColumn = (typeof RESULT_COLUMNS)[number]
