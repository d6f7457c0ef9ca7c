/**
 * The WebAssembly lane of path CSV files, the reader's fast lane (on 1e6 paths it reads at 1.5x the
 * floor of splitting lines and fields, against 2.4x for the general route: see benchmarks/attribution.bench.ts).
 * Chunks of bytes are copied into the scanner (src/files/wasm/pathScan.wat), which reads every plain line
 * straight from its bytes into paths the reducer takes. A line its batch stops at (a token it has not seen, a
 * path too long for its output region, a line of any length) goes to its `line`, which tokenizes it in the
 * module's memory and hands back channel ids; a token it has not seen is named here once, from its bytes, as
 * the decoders name it, and registered only when the whole line is good, in path order. A line `line` declines
 * too (a quote, a number in another notation, a bad line) is decoded and handed to the general route, the
 * reader's own; once the general route takes such a line as one row, the scanner learns its tokens with the
 * channels the decoders gave them. So the scanner never decides a channel name or its order, and no line is
 * decoded to text unless the decoders read it: a 100 MB line costs one copy of its bytes into the module and
 * one pass. Where the scanner's memory starts, how wide a line may be and where a new token's bytes lie are read
 * from the module's exports.
 *
 * @module
 */
import type { Reducer } from '../attribution/read/reducer'
import { DEFAULT_MAX_LINE_LENGTH, lineSplitter } from '../attribution/read/lines'
import type { SourceReader } from '../attribution/read/reader'
import { type PathScanner, pathScanner } from './pathScanner'

/** A UTF-8 byte-order mark: a source that is one and nothing else has no line (as on the general route). */
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * Below this `maxLineLength` (characters) the scanner is not used: it measures lines in bytes, and a line of up
 * to this many bytes can be checked by the decoders as text at no great cost. Nor above the default (256 Mi):
 * the scanner holds a line's bytes (up to 3 per character) and its record in 4 GiB of module memory.
 */
const LONG_LINE = 1 << 20

/** A held line of this many bytes or more is read by the scanner's `line` without trying its batch first. */
const LONG_HELD = 1 << 16

/** A header line longer than this is decoded piece by piece as it arrives (no copy of its bytes kept). */
const LONG_HEADER = 1 << 20

/**
 * Reads one source (bytes, valid UTF-8) that may be a path CSV: through the scanner where it can, the reader's
 * general route elsewhere. The first line goes to the reader as text; if it does not make a path CSV the scanner
 * can read (another kind or format, a header the scanner cannot take, no WebAssembly, a `maxLineLength` below
 * what the scanner is trusted to check), the rest is read as text from line 2 on. Otherwise the scanner holds
 * the bytes from the start of the line being read: a line is scanned once its line break arrives, whatever its
 * length (one copy of its bytes, no text), and a line the scanner's batch declines (a token it does not know, a
 * line too long for its output region) is read by its `line`, which names new tokens from their bytes; only a
 * line that is the decoders' after all (a quote, a bad cell or width, an empty name) is decoded for them.
 * Returns false when the read stopped; `onLine` hears the number of the last line read.
 */
export const readPathLane = async (
  bytes: AsyncIterable<Buffer>,
  source: SourceReader,
  reducer: Reducer<unknown>,
  settings: { readonly delimiter: string; readonly separator: string; readonly columns: { readonly path: string; readonly conversions: string; readonly value: string; readonly nulls: string }; readonly maxLineLength: number },
  onLine?: (line: number) => void,
): Promise<boolean> => {
  const max = settings.maxLineLength
  const tooLong = (line: number): false => {
    source.fail(line, `a line of at most ${max} characters (maxLineLength)`, 'a longer line')
    return false
  }
  let line = 0
  let first = true
  let scanner: PathScanner | undefined
  // Text mode: the lane declined the source; the rest goes through a line splitter numbering on.
  let text: ReturnType<typeof lineSplitter> | undefined
  // The header's bytes begun in earlier chunks; once they pass LONG_HEADER, its text instead (decoded piece by
  // piece as it arrives, joined once).
  let pending: Array<Buffer> = []
  let pendingText: Array<string> | undefined
  let pendingBytes = 0
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  const lineEnd = (data: Uint8Array, from: number, nl: number) => (nl > from && data[nl - 1] === 13 ? nl - 1 : nl)
  let laneRows = 0
  const addPath = (ids: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    reducer.addIndexed(ids, n, c, v, u)
    laneRows++
  }
  const channelOf = (name: string) => reducer.channelIndex(name)

  /** One line through the general route, then (when it made one row) its tokens taught to the scanner. */
  const general = (data: Uint8Array, from: number, nl: number): boolean => {
    line++
    onLine?.(line)
    const end = lineEnd(data, from, nl)
    const rowsBefore = source.rows()
    const busyBefore = source.busy()
    const decoded = utf8.decode(data.subarray(from, end))
    if (decoded.length > max) return tooLong(line)
    if (!source.line(decoded, 0, decoded.length, line)) return false
    // Taught from lines of ordinary length: a path of millions of touches would teach the same tokens millions
    // of times (its names come again on shorter lines, or those lines go to the general route).
    if (scanner !== undefined && end - from < 65_536 && !busyBefore && !source.busy() && source.rows() === rowsBefore + 1) {
      source.pathLane()?.eachToken((token, channel) => scanner!.learn(Buffer.from(token, 'utf8'), channel))
    }
    return true
  }

  /** One line the scanner's batch declined: the scanner's `line` if it takes it, else the general route. */
  const single = (data: Uint8Array, from: number, nl: number): boolean => {
    const end = lineEnd(data, from, nl)
    // Longer in bytes than `max` characters may be: the decoders measure it.
    if (end - from <= max && scanner!.line(from, end, addPath, channelOf)) {
      line++
      onLine?.(line)
      source.laneRows(laneRows)
      laneRows = 0
      return true
    }
    return general(scanner!.view(), from, nl)
  }

  /** The header when it is too long to keep as bytes, as text (its pieces joined once) through the general route. */
  const generalText = (tail: Buffer): boolean => {
    pendingText!.push(tail.toString('utf8'))
    let text = pendingText!.join('')
    pendingText = undefined
    pending = []
    pendingBytes = 0
    line++
    onLine?.(line)
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    const end = text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length
    if (end > max) return tooLong(line)
    return source.line(text, 0, end, line)
  }

  /** Keeps a piece of the header (it has no line break). */
  const keep = (chunk: Buffer) => {
    pendingBytes += chunk.length
    if (pendingText !== undefined) pendingText.push(chunk.toString('utf8'))
    else {
      pending.push(chunk)
      if (pendingBytes > LONG_HEADER) {
        pendingText = pending.map((b) => b.toString('utf8'))
        pending = []
      }
    }
  }

  /** The header, joined once, through the general route. */
  const header = (tail: Buffer): boolean => {
    if (pendingText !== undefined) return generalText(tail)
    const whole = pending.length === 0 ? tail : Buffer.concat([...pending, tail])
    pending = []
    pendingBytes = 0
    const bom = whole.length >= 3 && whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? 3 : 0
    const nl = whole.length > 0 && whole[whole.length - 1] === 10 ? whole.length - 1 : whole.length
    return general(whole, bom, nl)
  }

  /** After the first line: the scanner, if this source is a path CSV it can read, else text mode from here on. */
  const decide = () => {
    const lane = source.pathLane()
    scanner = lane === undefined || max < LONG_LINE || max > DEFAULT_MAX_LINE_LENGTH ? undefined : pathScanner(lane.header, settings.columns, settings.delimiter, settings.separator)
    if (scanner === undefined) text = lineSplitter((t, s, e, n) => (onLine?.(n), source.line(t, s, e, n)), { maxLineLength: max, firstLine: line + 1 })
  }

  const toText = (data: Uint8Array): boolean => {
    const ok = text!.push(utf8.decode(data, { stream: true }))
    if (!ok && text!.tooLong() !== undefined) return tooLong(text!.tooLong()!)
    return ok
  }

  /** Scans the held bytes from `start` up to their incomplete last line, which stays held. */
  const scan = (start: number): boolean => {
    let data = scanner!.view()
    let from = start
    for (;;) {
      if (source.busy()) {
        // Inside a quoted field spanning lines: the general route takes lines until it closes.
        const nl = data.indexOf(10, from)
        if (nl < 0) break
        if (!general(data, from, nl)) return false
        data = scanner!.view()
        from = nl + 1
        continue
      }
      const stop = scanner!.run(from, addPath)
      if (laneRows > 0) {
        source.laneRows(laneRows)
        laneRows = 0
      }
      if (stop.lines > 0) {
        line += stop.lines
        onLine?.(line)
      }
      from = stop.at
      if (stop.status === 0) break
      const nl = data.indexOf(10, from)
      // Stopped at a quote in the incomplete last line: it waits for the rest of its line.
      if (nl < 0) break
      if (!single(data, from, nl)) return false
      data = scanner!.view()
      from = nl + 1
    }
    scanner!.drop(from)
    return true
  }

  /** A chunk after the header, into the scanner; scanned when it ends a line. */
  const feed = (chunk: Buffer): boolean => {
    const before = scanner!.held()
    scanner!.append(chunk)
    const nl = chunk.indexOf(10)
    // The held line goes on (its bytes are at most 3 per character).
    if (nl < 0) return scanner!.held() > max * 3 ? tooLong(line + 1) : true
    if (before < LONG_HELD || source.busy()) return scan(0)
    // A long held line ends here: straight to `line` (the batch would only go through it to find it too long).
    return single(scanner!.view(), 0, before + nl) && scan(before + nl + 1)
  }

  for await (const raw of bytes) {
    let chunk: Buffer = raw
    if (text !== undefined) {
      if (!toText(chunk)) return false
      continue
    }
    if (first) {
      const nl = chunk.indexOf(10)
      if (nl < 0) {
        keep(chunk)
        if (pendingBytes > max * 3) return tooLong(line + 1)
        continue
      }
      if (!header(chunk.subarray(0, nl + 1))) return false
      first = false
      decide()
      chunk = chunk.subarray(nl + 1)
      if (text !== undefined) {
        if (!toText(chunk)) return false
        continue
      }
    }
    if (!feed(chunk)) return false
  }
  if (text !== undefined) {
    const tail = utf8.decode()
    if (tail !== '' && !toText(Buffer.from(tail))) return false
    if (!text.end()) return text.tooLong() !== undefined ? tooLong(text.tooLong()!) : false
    return source.end(text.lines())
  }
  if (first) {
    // A header with no line break after it; a byte-order mark alone is no line, as on the general route.
    const onlyBom = pendingBytes === 3 && pendingText === undefined && Buffer.concat(pending).equals(BYTE_ORDER_MARK)
    if (pendingBytes > 0 && !onlyBom && !header(Buffer.alloc(0))) return false
  } else if (scanner!.held() > 0) {
    // The last line, with no line break after it.
    const data = scanner!.view()
    if (!(source.busy() ? general(data, 0, data.length) : single(data, 0, data.length))) return false
  }
  return source.end(line)
}
