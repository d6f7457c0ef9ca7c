/**
 * What a read is told: the input kind and format, the path columns, the event columns and what converts, and
 * `ReadSettings` that hold them. Split from settings.ts.
 *
 * @module
 */
import { type TimeUnit } from '../internal/time'

/**
 * What a file holds: aggregated paths or event-level rows.
 *
 * @category reading
 * @since 0.1.0
 */
export type InputKind = 'paths' | 'events'

/**
 * How a file is written: CSV (any one-character delimiter) or JSON lines.
 *
 * @category reading
 * @since 0.1.0
 */
export type InputFormat = 'csv' | 'jsonl'

/**
 * Column names of an aggregated-path file; defaults are ChannelAttribution's. Value and null columns are
 * optional in the file.
 *
 * @category reading
 * @since 0.1.0
 */
export interface PathColumns {
  readonly path: string
  readonly conversions: string
  readonly value: string
  readonly nulls: string
}

/**
 * ChannelAttribution's column names.
 *
 * @category reading
 * @since 0.1.0
 */
export const DEFAULT_PATH_COLUMNS: PathColumns = { path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null' }

/**
 * Which rows are conversions.
 *
 * - `Marker`: the conversion column holds a marker (`1/0`, `true/false`, `yes/no`, empty = no).
 * - `Events`: the event column holds one of `names` (`purchase`; compared after trimming, case-sensitive).
 * - `Value`: the value column holds a number > 0 (a transaction total that is empty on other rows).
 *
 * @category reading
 * @since 0.2.0
 */
export type ConversionRule =
  | { readonly _tag: 'Marker' }
  | { readonly _tag: 'Events'; readonly names: ReadonlyArray<string> }
  | { readonly _tag: 'Value' }

/**
 * Column names of an event file, resolved. `user` and `channel` may name several columns: the user is the first
 * of them that is not empty (Segment's `user_id`, then `anonymous_id`), the channel the non-empty ones joined
 * with `" / "` (GA4's `source / medium`). A dotted name (`collected_traffic_source.manual_source`) reads a nested
 * field in JSON lines, and in CSV the column of that name or of the name with `_` for `.`.
 *
 * @category reading
 * @since 0.2.0
 */
export interface EventColumnNames {
  readonly user: ReadonlyArray<string>
  readonly time: string
  readonly channel: ReadonlyArray<string>
  readonly conversion: string
  readonly event: string
  readonly value: string
  /** The conversion's own time, when a touch row carries the conversion (else the row's time is the conversion's). */
  readonly conversionTime?: string
}

/**
 * How event rows become touches and conversions. Each row is a touch when its channel is not empty, a
 * conversion when `conversion` says so, both, or neither (then it is counted as ignored). Journeys are built per
 * user in time order (docs/attribution.md states every rule: the lookback anchor, ties, conversions with no
 * touch, the inactivity gap, units).
 *
 * @category reading
 * @since 0.2.0
 */
export interface EventSemantics {
  readonly columns: EventColumnNames
  readonly conversion: ConversionRule
  /** Unit of numeric timestamps (ISO 8601 text is read as such whatever the unit). */
  readonly timeUnit: TimeUnit
  /** A conversion credits touches at most this many milliseconds before it (inclusive); absent: no limit. */
  readonly lookbackMs?: number
  /**
   * `any`: each user's rows in time order, users interleaved in any way (a file in time order is read with memory
   * bounded by the users active within the lookback window). `grouped`: sorted by user then time, checked as it is
   * read; one user is held at a time.
   */
  readonly order: 'any' | 'grouped'
}

/**
 * Everything the reading pipeline needs, resolved and checked (`readSettings` makes one).
 *
 * @category reading
 * @since 0.2.0
 */
export interface ReadSettings {
  /** Absent: told from each file's header or first record. */
  readonly kind?: InputKind
  /** Absent: from the file name, else JSON lines when the first line opens an object. */
  readonly format?: InputFormat
  readonly delimiter: string
  readonly paths: { readonly columns: PathColumns; readonly separator: string }
  readonly events: EventSemantics
  readonly onError: 'fail' | 'skip'
  /** Bad lines kept with their reasons (`skip`). */
  readonly maxReasons: number
  /** `fail`: a byte sequence that is not UTF-8 is an error naming the file and line; `replace`: U+FFFD, counted. */
  readonly invalidUtf8: 'fail' | 'replace'
  /** The longest line read, in characters; a longer one is an error naming its line. */
  readonly maxLineLength: number
}
