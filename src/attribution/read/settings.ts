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
import { everyElement } from '../../core/guards'
import { issuesFromErrors } from '../../core/report'
import { TIME_UNITS } from '../internal/time'
import { DEFAULT_MAX_LINE_LENGTH } from './lines'
import { type ConversionRule, DEFAULT_PATH_COLUMNS, type EventColumnNames, type ReadSettings } from './settingsModel'
import { DEFAULT_EVENT_COLUMN_NAMES, PRESETS } from './eventPresets'
export { type ConversionRule, DEFAULT_PATH_COLUMNS, type EventColumnNames, type EventSemantics, type InputFormat, type InputKind, type PathColumns, type ReadSettings } from './settingsModel'
export { DEFAULT_EVENT_COLUMN_NAMES, type Preset, PRESETS } from './eventPresets'

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
  typeof u === 'string' ? u.trim() !== '' : Array.isArray(u) && u.length > 0 && everyElement(u, (x) => typeof x === 'string' && x.trim() !== '')

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
