/**
 * What `touchpoint attribute` and `touchpoint report` share: the options that describe journey inputs and their
 * checks, turned into the reading pipeline's `ReadSettings` (checked by the same io-ts codec as the library's
 * options) and the model settings.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { Duration } from '../attribution/codec'
import type { makeSettings } from '../attribution/decode'
import { MODEL_NAMES, POSITION_SHAPES, type ModelName, type PositionWeights } from '../attribution/model'
import { readSettings, type ReadSettings } from '../attribution/read/settings'
import { formatError } from '../core/errors'

/** parseArgs specs of the input options both commands take. */
export const INPUT_OPTIONS = {
  input: { type: 'string' },
  'input-format': { type: 'string' },
  preset: { type: 'string' },
  order: { type: 'string' },
  'half-life': { type: 'string' },
  lookback: { type: 'string' },
  position: { type: 'string' },
  direct: { type: 'string' },
  separator: { type: 'string' },
  delimiter: { type: 'string' },
  'path-column': { type: 'string' },
  'conversions-column': { type: 'string' },
  'value-column': { type: 'string' },
  'null-column': { type: 'string' },
  'user-column': { type: 'string' },
  'time-column': { type: 'string' },
  'channel-column': { type: 'string' },
  'conversion-column': { type: 'string' },
  'event-column': { type: 'string' },
  'conversion-event': { type: 'string' },
  'conversion-on-value': { type: 'boolean' },
  'conversion-time-column': { type: 'string' },
  'time-unit': { type: 'string' },
  grouped: { type: 'boolean' },
  'on-error': { type: 'string' },
  'replace-invalid-utf8': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const

/** The help text of the reading options, shared by both commands. */
export const INPUT_HELP = `Reading:
      --input KIND           paths | events (default: detected from the header or first record)
      --input-format FORMAT  csv | jsonl (default: from the extension, else sniffed)
      --preset NAME          ga4 | segment | snowplow: the columns, conversion event and time unit of
                             those exports (events; any option below overrides the preset's)
      --separator CHAR       path separator (default ">")
      --delimiter CHAR       CSV delimiter (default ",")
      --path-column NAME, --conversions-column NAME, --value-column NAME, --null-column NAME
      --user-column NAME[,NAME...]   events: the first non-empty of these is the user
      --time-column NAME, --conversion-column NAME
      --channel-column NAME[,NAME...]  events: non-empty parts joined with " / " (source / medium)
                             (user and channel: several names are read only without --engine, by
                             the streaming reader, so not from Parquet; an engine's SQL reads one
                             column: a usage error otherwise)
                             column names (defaults: ChannelAttribution's and user_id, timestamp, channel,
                             conversion, conversion_value; a.b also reads a nested JSON field or a CSV
                             column a_b)
      --conversion-event NAME[,NAME...]  a row whose event column is one of these converts
      --event-column NAME    the event name column (default event_name)
      --conversion-on-value  a row whose value column holds a number > 0 converts
      --conversion-time-column NAME  the conversion's own time on a touch row that converts (the
                             lookback is anchored there; empty: the row's time)
      --time-unit UNIT       ms (default) | s | us | ns: unit of numeric timestamps (GA4: us)
      --lookback DURATION    events: credit touches at most this long before the conversion; a journey
                             also ends when its user is inactive this long (default: no limit)
      --grouped              events are sorted by user then time: one user held at a time; checked as
                             read (a user seen again after another is an error naming both lines)
      --on-error MODE        fail (default): stop at the first bad line, write nothing, exit 1
                             skip: skip bad lines, report how many and the first few reasons
                             (exit 1 all the same when every line was bad)
      --replace-invalid-utf8 read bytes that are not UTF-8 as U+FFFD and say how many (default: an
                             error naming the file and line)
`

/** A mistake in the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** `--name N` as an integer in [min, max], or undefined when not given. */
export const integerOption = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`)
  return n
}

/** `--name 7d` in milliseconds, or undefined when not given. */
export const durationOption = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const r = Duration.decode(text)
  if (E.isLeft(r)) throw new UsageError(`--${name}: expected a duration such as 7d, 36h, 90m, 30s, 500ms or 2w, got ${JSON.stringify(text)}`)
  return r.right
}

/** `--position u|j|inverse_j|F,M,L`. */
export const positionOption = (text: string | undefined): PositionWeights | undefined => {
  if (text === undefined) return undefined
  const shape = text.toLowerCase().replace('-', '_') as keyof typeof POSITION_SHAPES
  if (shape in POSITION_SHAPES) return POSITION_SHAPES[shape]
  const parts = text.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || parts[0]! + parts[1]! + parts[2]! <= 0) {
    throw new UsageError(`--position: expected u, j, inverse_j or three weights F,M,L >= 0 (e.g. 40,20,40), got ${JSON.stringify(text)}`)
  }
  return { first: parts[0]!, middle: parts[1]!, last: parts[2]! }
}

/** `--models first,last,markov`, or undefined when not given. */
export const modelsOption = (text: string | undefined): ReadonlyArray<ModelName> | undefined => {
  if (text === undefined) return undefined
  const names = text.split(',').map((m) => m.trim()).filter((m) => m !== '')
  const unknown = names.filter((m) => !(MODEL_NAMES as ReadonlyArray<string>).includes(m))
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--models: expected some of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(unknown.join(',') || text)}`)
  return names as ReadonlyArray<ModelName>
}

type InputValues = { readonly [K in keyof typeof INPUT_OPTIONS]?: (typeof INPUT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }

/** The input options, checked. */
export interface InputSettings {
  readonly settingsInput: Parameters<typeof makeSettings>[0]
  readonly read: ReadSettings
  readonly quiet: boolean
}

const oneOf = (flag: string, text: string | undefined, allowed: ReadonlyArray<string>): string | undefined => {
  if (text !== undefined && !allowed.includes(text)) throw new UsageError(`--${flag}: expected ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got ${JSON.stringify(text)}`)
  return text
}

const list = (text: string | undefined): ReadonlyArray<string> | undefined => {
  if (text === undefined) return undefined
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '')
  return names
}

/** Check the input options; a mistake throws `UsageError`. */
export const inputSettings = (values: InputValues, positionals: ReadonlyArray<string>): InputSettings => {
  if (positionals.length === 0) throw new UsageError('expected at least one FILE (or "-" for standard input)')
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input ("-") can be given only once')
  const order = integerOption('order', values.order, 1, 4)
  const halfLifeMs = durationOption('half-life', values['half-life'])
  if (halfLifeMs !== undefined && halfLifeMs <= 0) throw new UsageError('--half-life: expected a duration > 0')
  const position = positionOption(values.position)
  const direct = values.direct?.split(',').map((d) => d.trim()).filter((d) => d !== '')
  const kind = oneOf('input', values.input, ['paths', 'events'])
  const format = oneOf('input-format', values['input-format'], ['csv', 'jsonl'])
  const preset = oneOf('preset', values.preset, ['ga4', 'segment', 'snowplow'])
  const timeUnit = oneOf('time-unit', values['time-unit'], ['s', 'ms', 'us', 'ns'])
  const onError = oneOf('on-error', values['on-error'], ['fail', 'skip'])
  if (values.separator !== undefined && values.separator.length === 0) throw new UsageError('--separator: expected a character, got an empty string')
  if (values.delimiter !== undefined && values.delimiter.length !== 1) throw new UsageError(`--delimiter: expected one character, got ${JSON.stringify(values.delimiter)}`)
  const users = list(values['user-column'])
  const channels = list(values['channel-column'])
  const events = list(values['conversion-event'])
  if (events !== undefined && events.length === 0) throw new UsageError('--conversion-event: expected one or more event names')
  if (events !== undefined && values['conversion-on-value'] === true) throw new UsageError('--conversion-event and --conversion-on-value: give one of them')
  const pick = <K extends string>(entries: ReadonlyArray<readonly [K, unknown]>) => Object.fromEntries(entries.filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)))
  const read = readSettings({
    ...pick([
      ['preset', preset],
      ['kind', kind],
      ['format', format],
      ['delimiter', values.delimiter],
      ['separator', values.separator],
      ['timeUnit', timeUnit],
      ['lookbackMs', durationOption('lookback', values.lookback)],
      ['onError', onError],
      ['invalidUtf8', values['replace-invalid-utf8'] === true ? 'replace' : undefined],
      ['conversionEvents', events],
    ]),
    ...(values['conversion-on-value'] === true ? { conversionOnValue: true } : {}),
    ...(values.grouped === true ? { grouped: true } : {}),
    pathColumns: pick([
      ['path', values['path-column']],
      ['conversions', values['conversions-column']],
      ['value', values['value-column']],
      ['nulls', values['null-column']],
    ]),
    eventColumns: pick([
      ['user', users],
      ['time', values['time-column']],
      ['channel', channels],
      ['conversion', values['conversion-column']],
      ['event', values['event-column']],
      ['value', values['value-column']],
      ['conversionTime', values['conversion-time-column']],
    ]),
  })
  if (E.isLeft(read)) throw new UsageError(formatError(read.left))
  return {
    settingsInput: { ...(order === undefined ? {} : { order }), ...(halfLifeMs === undefined ? {} : { halfLifeMs }), ...(position === undefined ? {} : { position }), ...(direct === undefined ? {} : { direct }) },
    read: read.right,
    quiet: values.quiet === true,
  }
}
