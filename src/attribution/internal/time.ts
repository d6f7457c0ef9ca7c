/**
 * Reading ISO 8601 timestamps (not part of the public API: `parseTimestamp` in codec.ts is). Event files hold
 * millions of them, nearly all in one shape (`2026-09-22T09:57:49.116Z`); that shape is read digit by digit with
 * the calendar done in integers, anything else by the general pattern with `Date.UTC`. A property test holds the
 * two to the same result on every string the fast reader takes.
 *
 * @module
 */

// `UTC` as a zone: BigQuery, Snowflake and Redshift write exported timestamps as `2026-09-22 09:57:49.116 UTC`.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/

/** Milliseconds since the epoch by the general pattern (date, date-time, fractions to 9 digits, offsets). */
export const isoByPattern = (text: string): number | undefined => {
  const m = ISO.exec(text)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h ?? 0)
  const minute = Number(mi ?? 0)
  const second = Number(s ?? 0)
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined
  const ms = frac === undefined ? 0 : Number(`0.${frac}`) * 1000
  let time = Date.UTC(Number(y), month - 1, day, hour, minute, second) + ms
  if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return undefined
  if (zone !== undefined && zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')
    time -= sign * offset * 60_000
  }
  return time
}

const DAY_MS = 86_400_000

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in integers. */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/** Two decimal digits at `at`, or -1. */
const twoDigits = (text: string, at: number): number => {
  const a = text.charCodeAt(at) - 48
  const b = text.charCodeAt(at + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * Milliseconds since the epoch for `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z]` (at most three fraction digits, year 100
 * or later, nothing around it); `undefined` for an impossible date or time in that shape, as `isoByPattern` says;
 * `null` for any other shape (the caller then uses `isoByPattern`).
 */
export const isoFast = (text: string, start = 0, end = text.length): number | undefined | null => {
  // Read in place (`start`, `end`): the event decoder parses the cell inside its line without slicing it out.
  const n = end - start
  const s = start
  if (n < 16 || n > 24) return null
  if (text.charCodeAt(s + 4) !== 45 || text.charCodeAt(s + 7) !== 45 || text.charCodeAt(s + 13) !== 58) return null
  const sep = text.charCodeAt(s + 10)
  if (sep !== 84 && sep !== 32) return null
  const century = twoDigits(text, s)
  const yy = twoDigits(text, s + 2)
  const month = twoDigits(text, s + 5)
  const day = twoDigits(text, s + 8)
  const hour = twoDigits(text, s + 11)
  const minute = twoDigits(text, s + 14)
  if (century < 0 || yy < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return null
  // Years before 100 are left to the pattern, whose Date.UTC reads them as 19xx.
  const year = century * 100 + yy
  if (year < 100) return null
  let at = s + 16
  let second = 0
  let ms = 0
  if (at < end && text.charCodeAt(at) === 58) {
    second = twoDigits(text, at + 1)
    if (second < 0 || at + 3 > end) return null
    at += 3
    const mark = text.charCodeAt(at)
    if (at < end && (mark === 46 || mark === 44)) {
      // One to three fraction digits, scaled to milliseconds (exactly what Number(`0.${f}`) * 1000 gives).
      at++
      let digits = 0
      while (at < end && digits < 4) {
        const c = text.charCodeAt(at) - 48
        if (c < 0 || c > 9) break
        ms = ms * 10 + c
        digits++
        at++
      }
      if (digits === 0 || digits > 3) return null
      ms *= digits === 1 ? 100 : digits === 2 ? 10 : 1
    }
  }
  if (at < end) {
    const z = text.charCodeAt(at)
    if ((z !== 90 && z !== 122) || at + 1 !== end) return null
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined
  if (day > daysInMonth(year, month)) return undefined
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
}

/**
 * Units of numeric timestamps: seconds, milliseconds, microseconds (GA4's `event_timestamp`) or nanoseconds.
 */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns'

/** The time units, for option checks. */
export const TIME_UNITS: ReadonlyArray<TimeUnit> = ['s', 'ms', 'us', 'ns']

/** Milliseconds from a number of `unit`s (a division for the small units: exact to the last bit below 2^53). */
export const unitToMs = (x: number, unit: TimeUnit): number => (unit === 'ms' ? x : unit === 's' ? x * 1000 : unit === 'us' ? x / 1000 : x / 1_000_000)

/**
 * Epoch digits `-?\d+(\.\d+)?` at `text[start, end)` in milliseconds, or NaN for any other shape. Whole numbers
 * are read digit by digit; an integer of more than 15 digits (microseconds are 16, nanoseconds 19) is cut into
 * a head and its last six digits, so nanoseconds keep their precision where one double could not hold them.
 */
export const epochMs = (text: string, start: number, end: number, unit: TimeUnit): number => {
  let i = start
  const negative = i < end && text.charCodeAt(i) === 45
  if (negative) i++
  const digitsFrom = i
  let point = -1
  for (; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) continue
    if (c === 46 && point < 0 && i > digitsFrom) {
      point = i
      continue
    }
    return Number.NaN
  }
  if (i === digitsFrom || point === end - 1) return Number.NaN
  const intEnd = point < 0 ? end : point
  if (point < 0 && !negative && intEnd - digitsFrom <= 15) {
    let x = 0
    for (let k = digitsFrom; k < intEnd; k++) x = x * 10 + (text.charCodeAt(k) - 48)
    return unitToMs(x, unit)
  }
  if (point < 0 && unit === 'ns' && intEnd - digitsFrom > 15) {
    const head = Number(text.slice(digitsFrom, intEnd - 6))
    const tail = Number(text.slice(intEnd - 6, intEnd))
    const ms = head + tail / 1_000_000
    return negative ? -ms : ms
  }
  return unitToMs(Number(text.slice(start, end)), unit)
}
