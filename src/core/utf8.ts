/**
 * UTF-8 checks on raw bytes, for readers that decode streams chunk by chunk: where a chunk may be cut without
 * splitting a character, and where (and how many) invalid sequences a chunk holds, counted exactly as the WHATWG
 * decoder (`TextDecoder`) replaces them with U+FFFD. No I/O: the CLI feeds it the bytes it reads.
 *
 * @module
 */

/**
 * How many bytes at the end of `bytes` begin a multi-byte character that the next chunk may complete (0 to 3).
 * Decoding `bytes` without them, and then them in front of the next chunk, gives what decoding the whole gives.
 *
 * @example
 * incompleteTail(new Uint8Array([0x61, 0xe2, 0x82])) // => 2 (the first two bytes of "€")
 * incompleteTail(new Uint8Array([0x61, 0xe2, 0x82, 0xac])) // => 0
 *
 * @category utf8
 * @since 0.1.0
 * @internal
 */
export const incompleteTail = (bytes: Uint8Array): number => {
  for (let k = 1; k <= 3 && k <= bytes.length; k++) {
    const b = bytes[bytes.length - k]!
    if (b < 0x80) return 0
    if (b >= 0xc2 && b <= 0xf4) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k ? k : 0
    if (b >= 0xc0) return 0 // 0xc0, 0xc1, 0xf5-0xff start nothing
  }
  return 0
}

/**
 * The invalid sequences in `bytes`, taken as a whole input: how many U+FFFD a decoder puts in their place
 * (the WHATWG rule: a maximal valid prefix of a sequence is one replacement) and the offset of the first
 * (-1 when the bytes are valid UTF-8).
 *
 * @example
 * scanUtf8(new Uint8Array([0x62, 0xff, 0xfe])) // => { invalid: 2, first: 1 }
 * scanUtf8(new Uint8Array([0xe2, 0x82])) // => { invalid: 1, first: 0 } (cut short)
 *
 * @category utf8
 * @since 0.1.0
 * @internal
 */
export const scanUtf8 = (bytes: Uint8Array): { readonly invalid: number; readonly first: number } => {
  let invalid = 0
  let first = -1
  let needed = 0
  let seen = 0
  let lower = 0x80
  let upper = 0xbf
  let start = 0
  const error = (at: number) => {
    invalid++
    if (first < 0) first = at
  }
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (needed === 0) {
      if (b <= 0x7f) continue
      start = i
      if (b >= 0xc2 && b <= 0xdf) needed = 1
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0
        if (b === 0xed) upper = 0x9f
        needed = 2
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90
        if (b === 0xf4) upper = 0x8f
        needed = 3
      } else error(i)
      continue
    }
    if (b < lower || b > upper) {
      // The sequence so far is one replacement; this byte starts afresh.
      error(start)
      needed = seen = 0
      lower = 0x80
      upper = 0xbf
      i--
      continue
    }
    lower = 0x80
    upper = 0xbf
    if (++seen === needed) needed = seen = 0
  }
  if (needed !== 0) error(start)
  return { invalid, first }
}
