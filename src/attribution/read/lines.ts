/**
 * Reading, stage 2 of 5 (source → **lines** → rows → journeys → reducer): text chunks of any size in, numbered
 * lines out. Each line is handed over in place, as bounds into the chunk that holds it (no string per line); a
 * line spanning chunks is joined once, from a list of its pieces, so the cost is linear in the bytes whatever the
 * line lengths (a 100 MB line is one join, not a join per chunk). A line break is `\n`; a `\r` before it is
 * dropped; a byte-order mark is dropped at the very start of a source only. Pure: the Node side decodes bytes to
 * text and feeds it here.
 *
 * @module
 */

/**
 * Receives one line: `text[start, end)` (no line break) and its 1-based number. Returning false stops the read.
 *
 * @category reading
 * @since 0.2.0
 */
export type LineSink = (text: string, start: number, end: number, line: number) => boolean

/**
 * A line splitter: `push` text, `end` at the end of the source. Both return false once the sink has stopped the
 * read or a line was longer than allowed (see `tooLong`).
 *
 * @category reading
 * @since 0.2.0
 */
export interface LineSplitter {
  readonly push: (chunk: string) => boolean
  readonly end: () => boolean
  /** Lines handed to the sink so far. */
  readonly lines: () => number
  /** The number of the line being read (the next one to be handed over). */
  readonly current: () => number
  /** The number of the line that was longer than `maxLineLength`, if one was (the read then stopped). */
  readonly tooLong: () => number | undefined
}

/**
 * The longest line accepted by default, in characters: well below the longest string V8 can hold (about 2^29),
 * and far beyond any real record (a path of several million touches).
 *
 * @category reading
 * @since 0.2.0
 */
export const DEFAULT_MAX_LINE_LENGTH = 256 * 1024 * 1024

/**
 * A new line splitter.
 *
 * @example
 * const seen: Array<string> = []
 * const lines = lineSplitter((t, s, e, n) => (seen.push(`${n}:${t.slice(s, e)}`), true))
 * lines.push('\uFEFFa,b\r\nc')
 * lines.push('d\n')
 * lines.end()
 * seen // => ['1:a,b', '2:cd']
 *
 * @category reading
 * @since 0.2.0
 */
export const lineSplitter = (sink: LineSink, options: { readonly maxLineLength?: number; readonly firstLine?: number } = {}): LineSplitter => {
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH
  let line = (options.firstLine ?? 1) - 1
  // A byte-order mark only counts at the very start of a source, not where reading resumes.
  let atStart = options.firstLine === undefined || options.firstLine === 1
  let stopped = false
  let overlong: number | undefined
  // The pieces of a line begun in an earlier chunk, and their total length.
  let pieces: Array<string> = []
  let pending = 0

  const emit = (text: string, from: number, to: number): boolean => {
    line++
    if (!sink(text, from, to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to, line)) stopped = true
    return !stopped
  }
  const tooLongAt = (length: number): boolean => {
    if (length <= max) return false
    overlong = line + 1
    stopped = true
    pieces = []
    pending = 0
    return true
  }

  const push = (input: string): boolean => {
    if (stopped) return false
    let chunk = input
    if (atStart && chunk !== '') {
      atStart = false
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    }
    let from = 0
    if (pending > 0 || pieces.length > 0) {
      const nl = chunk.indexOf('\n')
      if (nl < 0) {
        if (tooLongAt(pending + chunk.length)) return false
        pieces.push(chunk)
        pending += chunk.length
        return true
      }
      if (tooLongAt(pending + nl)) return false
      pieces.push(chunk.slice(0, nl))
      const joined = pieces.join('')
      pieces = []
      pending = 0
      from = nl + 1
      if (!emit(joined, 0, joined.length)) return false
    }
    // The bulk of each chunk is read in place from the flat string the decoder made.
    for (;;) {
      const nl = chunk.indexOf('\n', from)
      if (nl < 0) break
      if (tooLongAt(nl - from)) return false
      const lineStart = from
      from = nl + 1
      if (!emit(chunk, lineStart, nl)) return false
    }
    if (from < chunk.length) {
      if (tooLongAt(chunk.length - from)) return false
      pieces.push(from === 0 ? chunk : chunk.slice(from))
      pending += chunk.length - from
    }
    return true
  }

  const end = (): boolean => {
    if (stopped) return false
    if (pending === 0) return true
    const joined = pieces.length === 1 ? pieces[0]! : pieces.join('')
    pieces = []
    pending = 0
    return emit(joined, 0, joined.length)
  }

  return { push, end, lines: () => line, current: () => line + 1, tooLong: () => overlong }
}
