/**
 * The WebAssembly lane of long JSON lines of paths (issue 11: a 100 MB record under 2 s). Lines shorter than
 * 64 KiB are decoded a chunk at a time and read by the reader's own route, as before. A longer line's bytes are
 * held in the path scanner's memory (src/files/wasm/pathScan.wat); its record's path string is found in them
 * (`findPath`: the top-level member named as the path column, a string with no escape), the rest of the line
 * (the record with that string emptied) is decoded and parsed by the strict parser, and the scanner tokenizes the
 * path where it lies, as the CSV lane's `line` does a path cell. So the path never becomes a JS string, and it is
 * read once. Any line the lane cannot vouch for (an escape or control character in the path, the path column
 * missing or not a string, the emptied record not JSON, a bad amount or token, a full token table) is decoded
 * whole and read by the general route, which words its error: the lane only ever takes a line the general route
 * would read as the same good row, so results and errors are the general route's.
 *
 * @module
 */
import { parseJsonObject } from '../attribution/read/json'
import { DEFAULT_MAX_LINE_LENGTH, lineSplitter, type LineSplitter } from '../attribution/read/lines'
import type { SourceReader } from '../attribution/read/reader'
import type { Reducer } from '../attribution/read/reducer'
import { heldInput, nameNewTokens, plainAscii, reserve, SLACK, wasmModule } from './scanModule'

/** A line of this many bytes or more is held in the scanner and read by the lane. */
const LONG_HELD = 1 << 16

/** Below this `maxLineLength` the lane is not used (as for the CSV lane: lines are measured in bytes here). */
const LONG_LINE = 1 << 20

/**
 * Whether the lane can read JSON lines under these settings: WebAssembly available, a separator the scanner
 * takes, a path column that JSON writes without escapes, a `maxLineLength` the lane is trusted to check.
 */
export const jsonLaneUsable = (s: { readonly separator: string; readonly pathColumn: string; readonly maxLineLength: number }): boolean =>
  plainAscii(s.separator) &&
  s.pathColumn.length > 0 &&
  !/["\\\u0000-\u001f]/.test(s.pathColumn) &&
  s.maxLineLength >= LONG_LINE &&
  s.maxLineLength <= DEFAULT_MAX_LINE_LENGTH &&
  wasmModule() !== null

/** The scanner holding one long line's bytes at its input, and tokenizing a path among them. */
interface JsonScanner {
  readonly append: (chunk: Uint8Array) => void
  readonly held: () => number
  readonly reset: () => void
  /** The held bytes, viewed afresh (growing the memory detaches older views). */
  readonly view: () => Buffer
  /** The first byte at or after `from` (held bytes) ending a JSON string's plain content, or `end`. */
  readonly stringEnd: (from: number, end: number) => number
  /** The path held at `[start, end)` as channel ids, new tokens named with `channelOf`; undefined: the decoders' line. */
  readonly pathIds: (start: number, end: number, channelOf: (name: string) => number) => { readonly ids: ArrayLike<number>; readonly n: number } | undefined
}

const jsonScanner = (separator: string): JsonScanner | undefined => {
  const module = wasmModule()
  if (module === null) return undefined
  const separatorBytes = Buffer.from(separator, 'latin1')
  const held = heldInput(module, separatorBytes)
  const { wasm, IN, ensure } = held
  // Only the separator matters to `path`; the CSV layout is unused.
  wasm.configure(0, 0, 0, -1, -1, 44, separatorBytes.length)
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  const idsByLength: Array<Array<number> | undefined> = []
  const pathIds: JsonScanner['pathIds'] = (start, end, channelOf) => {
    const out = (IN + held.loaded + SLACK + 7) & ~7
    if (!reserve(ensure, out, end - start, separatorBytes.length)) return undefined
    const known = wasm.tokens.value as number
    if (wasm.path(IN + start, IN + end, out) === 0) {
      wasm.forget(known)
      return undefined
    }
    if (!nameNewTokens(wasm, held.bytes, utf8, known, out, channelOf)) return undefined
    const int32 = held.int32
    const n = int32[out >> 2]!
    const first = (out + 32) >> 2
    // Thousands of touches are handed over where they lie (as the decoders hand theirs in an Int32Array).
    if (n > 4096) return { ids: int32.subarray(first, first + n), n }
    const ids = idsByLength[n] ?? (idsByLength[n] = new Array<number>(n).fill(0))
    for (let j = 0; j < n; j++) ids[j] = int32[first + j]!
    return { ids, n }
  }
  return {
    append: held.append,
    held: () => held.loaded,
    reset: () => {
      held.loaded = 0
    },
    view: held.view,
    stringEnd: (from, end) => wasm.string_end(IN + from, IN + end) - IN,
    pathIds,
  }
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const skipSpace = (b: Uint8Array, i: number, end: number): number => {
  while (i < end && isSpace(b[i])) i++
  return i
}

/** The closing quote of the string whose content starts at `from` (escapes stepped over), or -1. */
const closingQuote = (b: Uint8Array, from: number, end: number, stringEnd: JsonScanner['stringEnd']): number => {
  for (let i = from; ; ) {
    const e = stringEnd(i, end)
    if (e >= end || b[e]! < 0x20) return -1
    if (b[e] === 0x22) return e
    i = e + 2
  }
}

/** The end of the value starting at `i` (strings lexed, brackets counted; checked by the parser later), or -1. */
const valueEnd = (b: Uint8Array, i: number, end: number, stringEnd: JsonScanner['stringEnd']): number => {
  const c = b[i]
  if (c === 0x22) {
    const q = closingQuote(b, i + 1, end, stringEnd)
    return q < 0 ? -1 : q + 1
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0
    for (let j = i; j < end; j++) {
      const d = b[j]
      if (d === 0x22) {
        j = closingQuote(b, j + 1, end, stringEnd)
        if (j < 0) return -1
      } else if (d === 0x7b || d === 0x5b) depth++
      else if (d === 0x7d || d === 0x5d) {
        depth--
        if (depth === 0) return j + 1
      }
    }
    return -1
  }
  let j = i
  while (j < end && !isSpace(b[j]) && b[j] !== 0x2c && b[j] !== 0x7d && b[j] !== 0x5d) j++
  return j === i ? -1 : j
}

/**
 * Where the path string of the record on the line `[start, end)` lies: the content (between its quotes) of the
 * top-level member whose key's bytes are `key`, when it is a string with no escape or control character;
 * undefined otherwise (the line is then the general route's). Valid JSON is lexed as the parser lexes it, so when
 * the parser reads the line with this string emptied, the member found is the one it reads.
 */
export const findPath = (b: Uint8Array, start: number, end: number, key: Uint8Array, stringEnd: JsonScanner['stringEnd']): readonly [number, number] | undefined => {
  // Before the brace, only what the reader's format detection skips (a line opening with a carriage return is CSV
  // to it, when the format is not told).
  let i = start
  while (i < end && (b[i] === 0x20 || b[i] === 0x09)) i++
  if (b[i] !== 0x7b) return undefined
  i = skipSpace(b, i + 1, end)
  for (;;) {
    if (i >= end || b[i] !== 0x22) return undefined
    const q = closingQuote(b, i + 1, end, stringEnd)
    if (q < 0) return undefined
    let named = q - (i + 1) === key.length
    for (let k = 0; named && k < key.length; k++) named = b[i + 1 + k] === key[k]
    i = skipSpace(b, q + 1, end)
    if (b[i] !== 0x3a) return undefined
    i = skipSpace(b, i + 1, end)
    if (named) {
      if (b[i] !== 0x22) return undefined
      const e = stringEnd(i + 1, end)
      return e < end && b[e] === 0x22 ? [i + 1, e] : undefined
    }
    i = valueEnd(b, i, end, stringEnd)
    if (i < 0) return undefined
    i = skipSpace(b, i, end)
    if (b[i] !== 0x2c) return undefined
    i = skipSpace(b, i + 1, end)
  }
}

/**
 * Reads one source of JSON lines (bytes, valid UTF-8) into the reader: short lines as text through the reader's
 * route, long ones through the lane (see the module's header). Returns false when the read stopped; `onLine`
 * hears the number of the last line read (for a message about bytes that are not UTF-8).
 */
export const readJsonLane = async (
  bytes: AsyncIterable<Buffer>,
  source: SourceReader,
  reducer: Reducer<unknown>,
  settings: { readonly separator: string; readonly pathColumn: string; readonly maxLineLength: number },
  onLine?: (line: number) => void,
): Promise<boolean> => {
  const max = settings.maxLineLength
  const key = Buffer.from(settings.pathColumn, 'utf8')
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  const channelOf = (name: string) => reducer.channelIndex(name)
  let line = 0
  const tooLong = (at: number): false => {
    source.fail(at, `a line of at most ${max} characters (maxLineLength)`, 'a longer line')
    return false
  }
  // Whole lines as text; numbering goes on after a long line with a splitter of its own (no byte-order mark then).
  const splitter = (firstLine: number): LineSplitter =>
    lineSplitter(
      (t, s, e, n) => {
        line = n
        onLine?.(n)
        return source.line(t, s, e, n)
      },
      { maxLineLength: max, firstLine },
    )
  let split = splitter(1)
  const pushText = (text: string): boolean => {
    const ok = split.push(text)
    if (!ok && split.tooLong() !== undefined) return tooLong(split.tooLong()!)
    return ok
  }
  // The incomplete last line, while it is short: its pieces.
  let tail: Array<Buffer> = []
  let tailBytes = 0
  let scanner: JsonScanner | undefined
  let holding = false

  /** The held long line, line `n`, through the lane or else the general route. */
  const longLine = (): boolean => {
    const n = line + 1
    line = n
    onLine?.(n)
    const data = scanner!.view()
    // The byte-order mark opening a source, dropped as the splitter drops it.
    const start = n === 1 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0
    const nl = data.length
    const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl
    let taken: boolean | undefined
    // At most `max` bytes is at most `max` characters; a longer line is measured by the general route.
    const at = nl - start <= max ? findPath(data, start, end, key, scanner!.stringEnd) : undefined
    if (at !== undefined) {
      const [ps, pe] = at
      const rest = parseJsonObject(utf8.decode(data.subarray(start, ps)) + utf8.decode(data.subarray(pe, end)), n)
      if (rest._tag === 'Right') taken = source.jsonPath(rest.right, n, () => scanner!.pathIds(ps, pe, channelOf))
    }
    if (taken === undefined) {
      const text = utf8.decode(scanner!.view().subarray(start, nl))
      if (text.length > max) return tooLong(n)
      taken = source.line(text, 0, text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length, n)
    }
    scanner!.reset()
    holding = false
    split = splitter(n + 1)
    return taken
  }

  /** Complete lines (`body` ends with a line break) after the incomplete line held as `tail`, through the splitter. */
  const flushText = (body: Buffer): boolean => {
    const text = utf8.decode(tailBytes === 0 ? body : Buffer.concat([...tail, body]))
    tail = []
    tailBytes = 0
    return pushText(text)
  }
  /** The beginning of a long line (after `tail`, its own beginning) into the scanner. */
  const hold = (piece: Buffer): boolean => {
    scanner ??= jsonScanner(settings.separator)
    holding = true
    for (const t of tail) scanner!.append(t)
    scanner!.append(piece)
    tail = []
    tailBytes = 0
    return scanner!.held() > max * 3 ? tooLong(line + 1) : true
  }

  const feed = (chunk: Buffer): boolean => {
    let from = 0
    if (holding) {
      const nl = chunk.indexOf(10)
      if (nl < 0) {
        scanner!.append(chunk)
        return scanner!.held() > max * 3 ? tooLong(line + 1) : true
      }
      scanner!.append(chunk.subarray(0, nl))
      if (!longLine()) return false
      from = nl + 1
    }
    // A chunk larger than LONG_HELD may hold whole long lines: a line break in each LONG_HELD bytes from a line's
    // start means none starts there (one native search per window, none for the 64 KiB chunks of a file).
    for (let p = from; chunk.length - p > LONG_HELD; ) {
      const w = chunk.lastIndexOf(10, p + LONG_HELD - 1)
      if (w >= p) {
        p = w + 1
        continue
      }
      // The line at p is long (with the tail, when p is where this chunk's bytes begin).
      if (p > from && !flushText(chunk.subarray(from, p))) return false
      const nl = chunk.indexOf(10, p)
      if (nl < 0) return hold(chunk.subarray(p))
      if (!hold(chunk.subarray(p, nl)) || !longLine()) return false
      from = p = nl + 1
    }
    const last = chunk.lastIndexOf(10)
    if (last >= from) {
      if (!flushText(chunk.subarray(from, last + 1))) return false
      from = last + 1
    }
    if (from === chunk.length) return true
    const rest = chunk.subarray(from)
    if (tailBytes + rest.length < LONG_HELD) {
      tail.push(rest)
      tailBytes += rest.length
      return true
    }
    // A long line begins: its bytes go to the scanner as they come.
    return hold(rest)
  }

  for await (const chunk of bytes) if (!feed(chunk)) return false
  if (holding) {
    // The last line, with no line break after it.
    if (!longLine()) return false
  } else if (tailBytes > 0) {
    // A source that is a byte-order mark and nothing else has no line, as on the general route.
    const text = utf8.decode(Buffer.concat(tail))
    if (!(line === 0 && text === '\uFEFF') && !pushText(text)) return false
  }
  if (!split.end()) return split.tooLong() !== undefined ? tooLong(split.tooLong()!) : false
  return source.end(line)
}
