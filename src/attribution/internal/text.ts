/**
 * Character-level helpers shared by the decoders and the fast lanes for paths and events (not part of the public
 * API).
 *
 * @module
 */

/** Whitespace as `String.prototype.trim` sees it. */
export const isSpace = (c: number): boolean =>
  c < 0xa0
    ? c === 32 || (c >= 9 && c <= 13)
    : c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000

/** Powers of ten that are exact doubles. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * `Number(text.slice(start, end))` for a cell of digits with at most one `.` and 15 digits in all (`3`, `71.86`),
 * else -1. Exact: digits and power of ten are both exact doubles, and one correctly rounded division of them is
 * the correctly rounded value `Number` gives.
 */
export const plainDecimal = (text: string, start: number, end: number): number => {
  const n = end - start
  if (n === 0 || n > 16) return -1
  let digits = 0
  let x = 0
  let point = -1
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      x = x * 10 + (c - 48)
      digits++
    } else if (c === 46 && point < 0) point = i
    else return -1
  }
  if (digits === 0 || digits > 15) return -1
  return point < 0 ? x : x / POW10[end - 1 - point]!
}

/** An optional amount: blank is 0, as `OptionalAmount` reads it; else `plainDecimal`. */
export const optionalDecimal = (text: string, start: number, end: number): number => {
  let i = start
  while (i < end && isSpace(text.charCodeAt(i))) i++
  return i === end ? 0 : plainDecimal(text, start, end)
}

/**
 * Where the fields of a plain CSV line lie: `find(text, start, end)` fills `fieldStart`/`fieldEnd` for the line
 * `text[start, end)` and returns true, or returns false when the line holds a quote or has other than `width`
 * fields. Shared by the fast lanes, which read lines in place in a chunk of text. `lastHasNoDelimiter`: the last
 * field cannot hold the delimiter when read as plain, so looking for one past it is skipped.
 */
export interface PlainFields {
  readonly fieldStart: Int32Array
  readonly fieldEnd: Int32Array
  readonly find: (text: string, start: number, end: number) => boolean
}

/** A field finder for lines of `width` fields cut by `delimiter` (one character, no quote). */
export const plainFields = (width: number, delimiter: string, lastHasNoDelimiter = false): PlainFields => {
  const fieldStart = new Int32Array(width)
  const fieldEnd = new Int32Array(width)
  // The next quote at or after the last line start, in the last text seen (-1: none): found once per stretch of
  // text rather than once per line.
  let quoteText = ''
  let quoteFrom = 0
  let quoteAt = -1
  const find = (text: string, start: number, end: number): boolean => {
    if (text !== quoteText || start < quoteFrom || (quoteAt >= 0 && quoteAt < start)) {
      quoteText = text
      quoteFrom = start
      quoteAt = text.indexOf('"', start)
    }
    if (quoteAt >= 0 && quoteAt < end) return false
    // Exactly width - 1 delimiters before the end of the line.
    let from = start
    for (let f = 0; f < width - 1; f++) {
      const at = text.indexOf(delimiter, from)
      if (at < 0 || at >= end) return false
      fieldStart[f] = from
      fieldEnd[f] = at
      from = at + 1
    }
    if (!lastHasNoDelimiter) {
      // This may run on into the next line, and stops at its first delimiter: cheap on a file of short lines.
      const extra = text.indexOf(delimiter, from)
      if (extra >= 0 && extra < end) return false
    }
    fieldStart[width - 1] = from
    fieldEnd[width - 1] = end
    return true
  }
  return { fieldStart, fieldEnd, find }
}
