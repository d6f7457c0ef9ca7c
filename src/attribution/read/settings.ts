/**
 * How attribution inputs are read: one typed structure, checked with io-ts where it enters (CLI flags,
 * `readAttributionFiles`, the text API), then trusted by every stage of the reading pipeline. The event part,
 * `EventSemantics`, is what turns rows into touches and conversions; the SQL compiler implements the same
 * semantics (docs/attribution.md, "Events: the exact rules").
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { array, boolean, NonNegativeInteger, number, object, oneOf, refine, string } from '../../core/codecs'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { issuesFromErrors } from '../../core/report'
import { TIME_UNITS, type TimeUnit } from '../internal/time'
import { DEFAULT_MAX_LINE_LENGTH } from './lines'

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

/**
 * The named presets: column names, conversion rule and time unit of common exports (docs/attribution.md shows
 * the export query for each and a sample lives in examples/).
 *
 * @category reading
 * @since 0.2.0
 */
export type Preset = 'ga4' | 'segment' | 'snowplow'

/**
 * The presets' event semantics (before any explicit option overrides them).
 *
 * - `ga4`: Google Analytics 4's BigQuery export (`events_*`), flattened or as JSON: `user_pseudo_id`,
 *   `event_timestamp` in microseconds, `event_name` (`purchase` converts), the channel from the event-level
 *   `collected_traffic_source.manual_source` / `manual_medium` (set on the event that carried the campaign
 *   parameters), the value from `ecommerce.purchase_revenue`.
 * - `segment`: Segment's warehouse `tracks` and `pages` (unioned): `anonymous_id` (the device, on every event
 *   before and after the user is identified) else `user_id`, `timestamp`, `event` (`Order Completed` converts),
 *   `context_campaign_source` / `context_campaign_medium`, `revenue`.
 * - `snowplow`: Snowplow's `atomic.events`: `domain_userid`, `derived_tstamp`, `event_name` (`transaction`
 *   converts), `mkt_source` / `mkt_medium`, `tr_total`.
 *
 * @category reading
 * @since 0.2.0
 */
export const PRESETS: Readonly<Record<Preset, Omit<EventSemantics, 'order'>>> = {
  ga4: {
    columns: {
      user: ['user_pseudo_id'],
      time: 'event_timestamp',
      channel: ['collected_traffic_source.manual_source', 'collected_traffic_source.manual_medium'],
      conversion: 'conversion',
      event: 'event_name',
      value: 'ecommerce.purchase_revenue',
    },
    conversion: { _tag: 'Events', names: ['purchase'] },
    timeUnit: 'us',
  },
  segment: {
    columns: {
      user: ['anonymous_id', 'user_id'],
      time: 'timestamp',
      channel: ['context_campaign_source', 'context_campaign_medium'],
      conversion: 'conversion',
      event: 'event',
      value: 'revenue',
    },
    conversion: { _tag: 'Events', names: ['Order Completed'] },
    timeUnit: 'ms',
  },
  snowplow: {
    columns: {
      user: ['domain_userid'],
      time: 'derived_tstamp',
      channel: ['mkt_source', 'mkt_medium'],
      conversion: 'conversion',
      event: 'event_name',
      value: 'tr_total',
    },
    conversion: { _tag: 'Events', names: ['transaction'] },
    timeUnit: 'ms',
  },
}

/**
 * The default event columns: `user_id,timestamp,channel,conversion,conversion_value`, plus `event_name` for
 * `conversionEvents`.
 *
 * @category reading
 * @since 0.2.0
 */
export const DEFAULT_EVENT_COLUMN_NAMES: EventColumnNames = {
  user: ['user_id'],
  time: 'timestamp',
  channel: ['channel'],
  conversion: 'conversion',
  event: 'event_name',
  value: 'conversion_value',
}

/** The defaults: ChannelAttribution's paths, marker-converting events, fail at the first bad line. */
const DEFAULTS: ReadSettings = {
  delimiter: ',',
  paths: { columns: DEFAULT_PATH_COLUMNS, separator: '>' },
  events: { columns: DEFAULT_EVENT_COLUMN_NAMES, conversion: { _tag: 'Marker' }, timeUnit: 'ms', order: 'any' },
  onError: 'fail',
  maxReasons: 5,
  invalidUtf8: 'fail',
  maxLineLength: DEFAULT_MAX_LINE_LENGTH,
}

const Name = refine(string, (s) => s.trim() !== '', 'a column name')

const nameList = (u: unknown): boolean =>
  typeof u === 'string' ? u.trim() !== '' : Array.isArray(u) && u.length > 0 && u.every((x) => typeof x === 'string' && x.trim() !== '')

/** A column name, or a non-empty array of them (the first non-empty user column; channel parts). */
const ColumnNames = new t.Type<string | ReadonlyArray<string>, string | ReadonlyArray<string>, unknown>(
  'a column name or a non-empty array of column names',
  (u): u is string | ReadonlyArray<string> => nameList(u),
  (u, c) => (nameList(u) ? t.success(u as string | ReadonlyArray<string>) : t.failure(u, c, 'a column name or a non-empty array of column names')),
  t.identity,
)

const Delimiter = refine(string, (s) => s.length === 1 && s !== '"' && s !== '\n' && s !== '\r', 'one character other than a quote or a line break')
const Separator = refine(string, (s) => s !== '' && !/[\r\n]/.test(s), 'a non-empty string without line breaks')
const Milliseconds = refine(number, (n) => Number.isFinite(n) && n >= 0, 'a number of milliseconds >= 0')
const PositiveInteger = refine(number, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1')
const EventNames = refine(array(Name), (a) => a.length > 0, 'a non-empty array of event names')

/**
 * What a caller gives (every field optional), as io-ts checks it: unknown fields are errors. Column names that
 * may be several (`user`, `channel`) take a name or an array of names.
 *
 * @category reading
 * @since 0.2.0
 */
export const ReadOptions = object(
  'read options',
  {},
  {
    preset: oneOf(['ga4', 'segment', 'snowplow'] as const),
    kind: oneOf(['paths', 'events'] as const),
    format: oneOf(['csv', 'jsonl'] as const),
    delimiter: Delimiter,
    separator: Separator,
    pathColumns: object('path columns', {}, { path: Name, conversions: Name, value: Name, nulls: Name }),
    eventColumns: object(
      'event columns',
      {},
      {
        user: ColumnNames,
        time: Name,
        channel: ColumnNames,
        conversion: Name,
        event: Name,
        value: Name,
        conversionTime: Name,
      },
    ),
    conversionEvents: EventNames,
    conversionOnValue: boolean,
    timeUnit: oneOf(TIME_UNITS),
    lookbackMs: Milliseconds,
    grouped: boolean,
    onError: oneOf(['fail', 'skip'] as const),
    maxReasons: NonNegativeInteger,
    invalidUtf8: oneOf(['fail', 'replace'] as const),
    maxLineLength: PositiveInteger,
  },
)

/**
 * The options a caller gives: see `ReadOptions`.
 *
 * @category reading
 * @since 0.2.0
 */
export type ReadOptions = t.TypeOf<typeof ReadOptions>

/**
 * The defaults: ChannelAttribution's path columns, `user_id,timestamp,channel,conversion,conversion_value`
 * events converting on the marker column, numeric times in milliseconds, no lookback limit, any order, fail at
 * the first bad line, 5 reasons kept, invalid UTF-8 an error, lines up to 256 Mi characters.
 *
 * @category reading
 * @since 0.2.0
 */
export const DEFAULT_READ_SETTINGS: ReadSettings = DEFAULTS

const asList = (x: string | ReadonlyArray<string>): ReadonlyArray<string> => (typeof x === 'string' ? [x] : x)

/**
 * Read settings from options: the preset first, then each option given over it; checked, with every mistake
 * named by its field, the value seen and what was expected.
 *
 * @example
 * readSettings({ preset: 'ga4', lookbackMs: 30 * DAY_MS })
 * // => right({ kind: 'events', events: { columns: { user: ['user_pseudo_id'], time: 'event_timestamp', ... }, timeUnit: 'us', ... }, ... })
 * readSettings({ timeUnit: 'min' }) // => left('timeUnit: expected one of "s", "ms", "us", "ns", got "min"')
 *
 * @category reading
 * @since 0.2.0
 */
export const readSettings = (input: unknown): E.Either<TouchpointError, ReadSettings> =>
  pipe(
    ReadOptions.decode(input ?? {}),
    E.mapLeft((errors) => invalidInput(issuesFromErrors(errors))),
    E.flatMap((o): E.Either<TouchpointError, ReadSettings> => {
      const issues: Array<Issue> = []
      const preset = o.preset === undefined ? undefined : PRESETS[o.preset]
      const base = preset ?? DEFAULTS.events
      const given = o.eventColumns ?? {}
      if (o.conversionEvents !== undefined && o.conversionOnValue === true) {
        issues.push(issue('conversionOnValue', 'either conversionEvents or conversionOnValue, not both', true))
      }
      const conversion: ConversionRule =
        o.conversionEvents !== undefined ? { _tag: 'Events', names: o.conversionEvents.map((n) => n.trim()) } : o.conversionOnValue === true ? { _tag: 'Value' } : base.conversion
      const columns: EventColumnNames = {
        user: given.user === undefined ? base.columns.user : asList(given.user),
        time: given.time ?? base.columns.time,
        channel: given.channel === undefined ? base.columns.channel : asList(given.channel),
        conversion: given.conversion ?? base.columns.conversion,
        event: given.event ?? base.columns.event,
        value: given.value ?? base.columns.value,
        ...(given.conversionTime === undefined ? {} : { conversionTime: given.conversionTime }),
      }
      if (o.preset !== undefined && o.kind === 'paths') issues.push(issue('kind', `events (the ${o.preset} preset reads event exports)`, o.kind))
      if (issues.length > 0) return E.left(invalidInput(issues))
      const kind = o.kind ?? (o.preset === undefined ? undefined : 'events')
      return E.right({
        ...(kind === undefined ? {} : { kind }),
        ...(o.format === undefined ? {} : { format: o.format }),
        delimiter: o.delimiter ?? DEFAULTS.delimiter,
        paths: { columns: { ...DEFAULT_PATH_COLUMNS, ...o.pathColumns }, separator: o.separator ?? DEFAULTS.paths.separator },
        events: {
          columns,
          conversion,
          timeUnit: o.timeUnit ?? base.timeUnit,
          ...(o.lookbackMs === undefined ? {} : { lookbackMs: o.lookbackMs }),
          order: o.grouped === true ? 'grouped' : 'any',
        },
        onError: o.onError ?? DEFAULTS.onError,
        maxReasons: o.maxReasons ?? DEFAULTS.maxReasons,
        invalidUtf8: o.invalidUtf8 ?? DEFAULTS.invalidUtf8,
        maxLineLength: o.maxLineLength ?? DEFAULTS.maxLineLength,
      })
    }),
  )

const Names = refine(array(Name), (a) => a.length > 0, 'a non-empty array of column names')
const isConversionRule = (u: unknown): u is ConversionRule => {
  if (u === null || typeof u !== 'object') return false
  const r = u as { readonly _tag?: unknown; readonly names?: unknown }
  return r._tag === 'Marker' || r._tag === 'Value' || (r._tag === 'Events' && EventNames.is(r.names))
}
const Conversion = new t.Type<ConversionRule, ConversionRule, unknown>(
  'a conversion rule ({ _tag: "Marker" }, { _tag: "Value" } or { _tag: "Events", names: [...] })',
  isConversionRule,
  (u, c) => (isConversionRule(u) ? t.success(u) : t.failure(u, c, 'a conversion rule ({ _tag: "Marker" }, { _tag: "Value" } or { _tag: "Events", names: [...] })')),
  t.identity,
)

/** `ReadSettings` as io-ts checks them: what `readSettings` makes, field by field. */
const ReadSettingsCodec = object(
  'read settings',
  {
    delimiter: Delimiter,
    paths: object('path settings', { columns: object('path columns', { path: Name, conversions: Name, value: Name, nulls: Name }, {}), separator: Separator }, {}),
    events: object(
      'event semantics',
      {
        columns: object('event columns', { user: Names, time: Name, channel: Names, conversion: Name, event: Name, value: Name }, { conversionTime: Name }),
        conversion: Conversion,
        timeUnit: oneOf(TIME_UNITS),
        order: oneOf(['any', 'grouped'] as const),
      },
      { lookbackMs: Milliseconds },
    ),
    onError: oneOf(['fail', 'skip'] as const),
    maxReasons: NonNegativeInteger,
    invalidUtf8: oneOf(['fail', 'replace'] as const),
    maxLineLength: PositiveInteger,
  },
  { kind: oneOf(['paths', 'events'] as const), format: oneOf(['csv', 'jsonl'] as const) },
)

/**
 * What is wrong with `u` as resolved `ReadSettings` (none when it is one), each issue under `settings.`: for
 * stages that take settings from a caller who may not have made them with `readSettings`.
 *
 * @category reading
 * @since 0.2.0
 */
export const readSettingsIssues = (u: unknown): ReadonlyArray<Issue> => {
  const r = ReadSettingsCodec.decode(u)
  return r._tag === 'Right' ? [] : issuesFromErrors(r.left).map((i) => ({ ...i, path: i.path === '' ? 'settings' : `settings.${i.path}` }))
}
