/**
 * The path reader's fast lane: one CSV line of an aggregated-path file read in place, from its position in the
 * chunk of text that holds it, into an accumulator. No string is built per line, per field or per channel name
 * (a new channel's name is built once); separators and delimiters are found with the native `indexOf`. It takes
 * only plain lines (no quote anywhere, plain decimal counts, the header's width, no empty channel name) and
 * declines everything else without side effects, so the reader hands those lines to the io-ts decoders, which
 * produce the very results and error messages they always do. A line it accepts, the decoders would have read to
 * the same channels, interned in the same order, and the same numbers (a property test holds the two routes
 * equal).
 *
 * @module
 */
import type { Accumulator } from './accumulate'
import type { Layout, PathColumns } from './decode'
import { isSpace, optionalDecimal, plainDecimal, plainFields } from './internal/text'

/**
 * Reads the line `text[start, end)` (no line break) into the accumulator and returns true, or returns false,
 * having changed nothing, when the line is not plain.
 *
 * @category decode
 * @since 0.1.0
 */
export type PlainPathLine = (text: string, start: number, end: number) => boolean

interface Interned {
  readonly token: string
  readonly channel: number
}

/**
 * The fast lane for a file with `layout`, or undefined when the delimiter is not one character or either the
 * delimiter or the separator holds a quote or a line break (the decoders then read every line). Channel names are
 * interned through `acc.channelIndex`, in the order the decoders would intern them.
 *
 * @example
 * const acc = accumulator(DEFAULT_SETTINGS)
 * const scan = plainPathLine(layout, ',', '>', acc)!
 * scan('search > email,1,20.5,3', 0, 23) // => true: one path added
 * scan('"search",1,2,3', 0, 14) // => false: quoted, for the decoders
 *
 * @category decode
 * @since 0.1.0
 */
export const plainPathLine = (layout: Layout<keyof PathColumns>, delimiter: string, separator: string, acc: Accumulator): PlainPathLine | undefined => {
  const plain = (s: string) => s.length > 0 && !/["\r\n]/.test(s)
  if (delimiter.length !== 1 || !plain(delimiter) || !plain(separator)) return undefined
  const width = layout.width
  const { path: pathAt, conversions: convAt, value: valueAt, nulls: nullsAt } = layout.index
  // A number cell read as plain holds only digits, a dot or spaces: when the last field is one, it cannot hold
  // another delimiter, and looking for one (which would run on into the next line) is skipped.
  const lastIsNumber = [convAt, valueAt, nullsAt].includes(width - 1) && !/[\d.\s]/.test(delimiter)
  const { fieldStart, fieldEnd, find } = plainFields(width, delimiter, lastIsNumber)
  // Per line: each token's bounds (untrimmed: the text between separators) and channel (-1: not seen yet).
  let tokenStart = new Int32Array(64)
  let tokenEnd = new Int32Array(64)
  // One channel-index array per path length, reused (the accumulator copies what it keeps).
  const idsByLength: Array<Array<number> | undefined> = []
  let scratch = new Int32Array(64)

  // Tokens are interned as they stand, spaces and all (`search ` and ` search ` are two entries for one
  // channel): a known token then costs a hash of its length and three characters and one `startsWith` at its
  // position (the exact check), with no trimming and no slice. Open addressing, kept at most half full.
  // (Measured on 1e6 paths against a character trie walked in the separator scan, and against slicing each
  // name for a Map: this is the fastest of the three.)
  let table: Array<Interned | undefined> = new Array<Interned | undefined>(64).fill(undefined)
  let mask = 63
  let size = 0
  const hashAt = (text: string, s: number, e: number): number => {
    const h = Math.imul(Math.imul(Math.imul(e - s, 0x9e3779b1) ^ text.charCodeAt(s), 0x85ebca6b) ^ text.charCodeAt(e - 1), 0xc2b2ae35) ^ text.charCodeAt((s + e) >>> 1)
    // The high bits, which every input reaches, folded into the low bits the table mask keeps.
    return h ^ (h >>> 16)
  }
  const place = (entry: Interned, hash: number) => {
    let i = hash & mask
    while (table[i] !== undefined) i = (i + 1) & mask
    table[i] = entry
  }
  /** The channel of a known token, or -1. */
  const lookup = (text: string, s: number, e: number): number => {
    const length = e - s
    for (let i = hashAt(text, s, e) & mask; ; i = (i + 1) & mask) {
      const entry = table[i]
      if (entry === undefined) return -1
      if (entry.token.length === length && text.startsWith(entry.token, s)) return entry.channel
    }
  }
  /** Registers a token (its trimmed name is not empty: checked by the caller) and returns its channel. */
  const intern = (text: string, s: number, e: number): number => {
    const known = lookup(text, s, e)
    if (known >= 0) return known
    let from = s
    let to = e
    while (from < to && isSpace(text.charCodeAt(from))) from++
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--
    const token = text.slice(s, e)
    const entry: Interned = { token, channel: acc.channelIndex(text.slice(from, to)) }
    size++
    if (size * 2 > mask + 1) {
      const old = table
      table = new Array<Interned | undefined>(old.length * 2).fill(undefined)
      mask = table.length - 1
      for (const o of old) if (o !== undefined) place(o, hashAt(o.token, 0, o.token.length))
    }
    place(entry, hashAt(text, s, e))
    return entry.channel
  }

  return (text, start, end) => {
    if (!find(text, start, end)) return false

    const conversions = plainDecimal(text, fieldStart[convAt]!, fieldEnd[convAt]!)
    if (conversions < 0) return false
    const value = valueAt < 0 ? 0 : optionalDecimal(text, fieldStart[valueAt]!, fieldEnd[valueAt]!)
    if (value < 0) return false
    const nulls = nullsAt < 0 ? 0 : optionalDecimal(text, fieldStart[nullsAt]!, fieldEnd[nullsAt]!)
    if (nulls < 0) return false

    // Tokens between separators. All are checked before any new one is registered, so a declined line
    // interns nothing, and new channels are registered in path order, as the decoders do.
    const pathEnd = fieldEnd[pathAt]!
    let count = 0
    let tokenFrom = fieldStart[pathAt]!
    for (;;) {
      let stop = text.indexOf(separator, tokenFrom)
      if (stop < 0 || stop + separator.length > pathEnd) stop = pathEnd
      if (stop === tokenFrom) return false
      if (count === tokenStart.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2)
          b.set(a)
          return b
        }
        tokenStart = grow(tokenStart)
        tokenEnd = grow(tokenEnd)
        scratch = grow(scratch)
      }
      const channel = lookup(text, tokenFrom, stop)
      if (channel < 0) {
        // A token not seen before must hold a name: something other than spaces.
        let i = tokenFrom
        while (i < stop && isSpace(text.charCodeAt(i))) i++
        if (i === stop) return false
      }
      tokenStart[count] = tokenFrom
      tokenEnd[count] = stop
      scratch[count] = channel
      count++
      if (stop === pathEnd) break
      tokenFrom = stop + separator.length
    }
    const ids = idsByLength[count] ?? (idsByLength[count] = new Array<number>(count).fill(0))
    for (let k = 0; k < count; k++) {
      const channel = scratch[k]!
      ids[k] = channel >= 0 ? channel : intern(text, tokenStart[k]!, tokenEnd[k]!)
    }
    acc.addIndexed(ids, count, conversions, value, nulls)
    return true
  }
}
