/**
 * Character-level helpers of the decoders (not part of the public API).
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
