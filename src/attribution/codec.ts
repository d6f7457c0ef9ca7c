/**
 * io-ts codecs for what attribution reads: cells of path and event files (CSV strings or JSON values),
 * durations (`7d`), timestamps, and settings. Each codec's name is the phrase a user reads in an error.
 *
 * @module
 */
import * as t from 'io-ts'
import { everyElement } from '../core/guards'
import { epochMs, isoByPattern, isoFast, TIME_UNITS, unitToMs, type TimeUnit } from './internal/time'
import { DAY_MS } from './model'

const isNumberLike = (u: unknown): u is string | number => typeof u === 'string' || typeof u === 'number'

const toNumber = (u: string | number): number => {
  if (typeof u === 'number') return u
  // Number('') and Number('  ') are 0: an empty cell must not pass as a count.
  const x = Number(u)
  return x === 0 && u.trim() === '' ? Number.NaN : x
}

/**
 * A count or amount >= 0: a JSON number or a CSV cell holding one (`3`, `1.5`, `2e3`). Unlike
 * ChannelAttribution, which casts counts to unsigned integers (1.7 becomes 1), fractional counts are kept:
 * exports of data-driven tools carry fractional conversions.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Amount = new t.Type<number, number, unknown>(
  'a number >= 0',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  (u, c) => {
    if (!isNumberLike(u)) return t.failure(u, c, 'a number >= 0')
    const x = toNumber(u)
    return Number.isFinite(x) && x >= 0 ? t.success(x) : t.failure(u, c, 'a number >= 0')
  },
  t.identity,
)

/**
 * Like `Amount`, with an empty cell (or JSON null) read as 0: optional value and null columns.
 *
 * @category codecs
 * @since 0.1.0
 */
export const OptionalAmount = new t.Type<number, number, unknown>(
  'a number >= 0 or an empty cell',
  Amount.is,
  (u, c) => (u === '' || u === null || u === undefined || (typeof u === 'string' && u.trim() === '') ? t.success(0) : Amount.validate(u, c)),
  t.identity,
)

/** A codec that decodes nothing: built from a separator that is none (from plain JavaScript). */
const refusing = <A, O>(expected: string, encode: (a: A) => O) =>
  new t.Type<A, O, unknown>(expected, (_): _ is A => false, (u, c) => t.failure(u, c, expected), encode)

/**
 * A path: channel names separated by `separator` (one character or more), each trimmed of surrounding spaces
 * (inner spaces kept: `" paid search >b"` is `paid search`, `b`), or a JSON array of names. No empty path, no
 * empty name between separators.
 *
 * @example
 * PathCodec('>').decode('search > email > direct') // => right(['search', 'email', 'direct'])
 *
 * @category codecs
 * @since 0.1.0
 */
export const PathCodec = (separator: string) => {
  if (typeof separator !== 'string' || separator === '') return refusing<ReadonlyArray<string>, string>('a path (the separator given is no non-empty string)', (a) => a.join(' > '))
  const expected = `channel names separated by ${JSON.stringify(separator)} (none empty)`
  return new t.Type<ReadonlyArray<string>, string, unknown>(
    expected,
    (u): u is ReadonlyArray<string> => Array.isArray(u) && u.length > 0 && everyElement(u, (x) => typeof x === 'string' && x !== ''),
    (u, c) => {
      let parts: Array<string>
      if (typeof u === 'string') parts = u.split(separator)
      else if (Array.isArray(u) && everyElement(u, (x) => typeof x === 'string')) parts = u.slice() as Array<string>
      else return t.failure(u, c, expected)
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!.trim()
        if (p === '') return t.failure(u, c, expected)
        parts[i] = p
      }
      return t.success(parts)
    },
    (a) => a.join(` ${separator} `),
  )
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }

/**
 * A duration such as `7d`, `36h`, `90m`, `30s`, `500ms` or `2w` (decimals allowed: `1.5d`), in milliseconds.
 *
 * @example
 * Duration.decode('7d') // => right(604800000)
 *
 * @category codecs
 * @since 0.1.0
 */
export const Duration = new t.Type<number, string, unknown>(
  'a duration such as 7d, 36h, 90m, 30s, 500ms or 2w',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(u)
    if (m === null) return t.failure(u, c)
    return t.success(Number(m[1]) * UNIT_MS[m[2]!]!)
  },
  (ms) => `${ms}ms`,
)

/**
 * Milliseconds since the epoch from an ISO 8601 date or date-time. A date-time without an offset is read as UTC
 * (never as the machine's local time, so results do not depend on where they run). `undefined` when not a date.
 *
 * @example
 * parseTimestamp('2026-11-23T10:00:00+01:00') // => 1795424400000
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseTimestamp = (text: string): number | undefined => {
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  const fast = isoFast(trimmed)
  return fast === null ? isoByPattern(trimmed) : fast
}

const UNIT_NAMES: Readonly<Record<TimeUnit, string>> = { s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds' }

/**
 * A timestamp: an ISO 8601 date-time (no offset means UTC; `Z`, `UTC` or `+01:00` name the zone), or a number of
 * `unit`s since the epoch (milliseconds by default; seconds, microseconds as GA4 writes them, or nanoseconds), as a
 * JSON number or a CSV cell. Decoded to milliseconds.
 *
 * @example
 * Timestamp('us').decode('1767312000123456') // => right(1767312000123.456)
 *
 * @category codecs
 * @since 0.1.0
 */
export const Timestamp = (unit: TimeUnit = 'ms') => {
  // From plain JavaScript: a unit that is none decodes nothing (a string-keyed lookup of an object threw).
  if (!(TIME_UNITS as ReadonlyArray<unknown>).includes(unit)) return refusing<number, number>(`a time (the unit given is none of ${TIME_UNITS.join(', ')})`, (a) => a)
  const expected = `an ISO 8601 date-time or a number of ${UNIT_NAMES[unit]} since 1970`
  return new t.Type<number, number, unknown>(
    expected,
    (u): u is number => typeof u === 'number' && Number.isFinite(u),
    (u, c) => {
      if (typeof u === 'number') return Number.isFinite(u) ? t.success(unitToMs(u, unit)) : t.failure(u, c, expected)
      if (typeof u !== 'string') return t.failure(u, c, expected)
      const text = u.trim()
      const epoch = epochMs(text, 0, text.length, unit)
      if (!Number.isNaN(epoch)) return t.success(epoch)
      const ms = parseTimestamp(text)
      return ms === undefined ? t.failure(u, c, expected) : t.success(ms)
    },
    t.identity,
  )
}

const TRUE = new Set(['1', 'true', 'yes', 'y', 't'])
const FALSE = new Set(['0', 'false', 'no', 'n', 'f', ''])

/**
 * A conversion marker: true/false, 1/0, yes/no (any case), an empty cell or null meaning no conversion.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ConversionMarker = new t.Type<boolean, boolean, unknown>(
  'a conversion marker: 1/0, true/false, yes/no or empty',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (typeof u === 'boolean') return t.success(u)
    if (u === null || u === undefined) return t.success(false)
    if (u === 0 || u === 1) return t.success(u === 1)
    if (typeof u === 'string') {
      const s = u.trim().toLowerCase()
      if (TRUE.has(s)) return t.success(true)
      if (FALSE.has(s)) return t.success(false)
    }
    return t.failure(u, c)
  },
  t.identity,
)

/**
 * A user or journey id: a non-empty string, or a number (kept as its decimal text).
 *
 * @category codecs
 * @since 0.1.0
 */
export const UserId = new t.Type<string, string, unknown>(
  'a non-empty id',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u.trim()) : typeof u === 'number' && Number.isFinite(u) ? t.success(String(u)) : t.failure(u, c)),
  t.identity,
)

/**
 * A channel cell of an event: a name, or empty (null) for a conversion hit that is not itself a touch.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ChannelCell = new t.Type<string, string, unknown>(
  'a channel name (or empty on a conversion row)',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u.trim()) : u === null || u === undefined ? t.success('') : t.failure(u, c)),
  t.identity,
)
