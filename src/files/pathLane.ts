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
import { detached, hasName, trimmed } from '../attribution/read/tokens'
import { PATH_SCAN_WASM } from './wasm/pathScanModule'

/** The scanner module's exports (src/files/wasm/pathScan.wat). */
export interface Exports {
  readonly memory: WebAssembly.Memory
  readonly configure: (width: number, pathAt: number, convAt: number, valueAt: number, nullsAt: number, delimiter: number, separatorLength: number) => void
  readonly learn: (pointer: number, length: number, channel: number) => number
  readonly scan: (position: number, end: number) => number
  readonly line: (start: number, end: number, out: number) => number
  readonly token_bytes: (k: number) => number
  readonly token_length: (k: number) => number
  readonly name: (k: number, channel: number) => void
  readonly forget: (k: number) => void
  readonly resolve: (out: number) => void
  readonly string_end: (from: number, end: number) => number
  readonly path: (start: number, end: number, out: number) => number
  readonly tokens: WebAssembly.Global
  readonly status: WebAssembly.Global
  readonly lines: WebAssembly.Global
  readonly records: WebAssembly.Global
  readonly sep_base: WebAssembly.Global
  readonly out_base: WebAssembly.Global
  readonly in_base: WebAssembly.Global
  readonly max_fields: WebAssembly.Global
}

export const PAGE = 65_536
/** Bytes of slack after the input: the scanner's hash reads a short token's bytes eight at a time. */
export const SLACK = 16

let compiled: WebAssembly.Module | undefined | null

/** The compiled module, or null where WebAssembly is unavailable (`node --jitless`). */
export const wasmModule = (): WebAssembly.Module | null => {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(Buffer.from(PATH_SCAN_WASM, 'base64')) : null
    } catch {
      compiled = null
    }
  }
  return compiled
}

/** What a run of the scanner did: where it stopped (an offset into the loaded bytes) and why. */
interface ScanStop {
  readonly at: number
  /** 0: at the incomplete line ending the loaded bytes; 1: at a line for the general route. */
  readonly status: 0 | 1
  /** Lines consumed (path lines and blank ones). */
  readonly lines: number
}

/** Receives one path: channel ids in `ids[0, n)` (reused: read them before returning), conversions, value, nulls. */
type OnPath = (ids: ArrayLike<number>, n: number, conversions: number, value: number, nulls: number) => void

/**
 * The scanner for one file layout. Its memory holds the bytes not read yet (`append`ed chunks, from the start of
 * the line being read), so a line of any length is read where it lies, never decoded unless the decoders read it.
 */
interface PathScanner {
  /** Copies `chunk` in after the bytes held. */
  readonly append: (chunk: Uint8Array) => void
  /** How many bytes are held. */
  readonly held: () => number
  /** Drops the bytes before `from` (read): the rest moves to the start. */
  readonly drop: (from: number) => void
  readonly run: (from: number, onPath: OnPath) => ScanStop
  /**
   * Reads the line `[from, end)` of the held bytes (no line break in it), any length, naming the tokens it has
   * not seen with `channelOf` (their names, trimmed, in path order; none when the line is the decoders' after
   * all). False: the decoders must read it, and nothing was named.
   */
  readonly line: (from: number, end: number, onPath: OnPath, channelOf: (name: string) => number) => boolean
  /** Teaches one token (its raw bytes) and its channel. */
  readonly learn: (token: Uint8Array, channel: number) => void
  /** The held bytes, viewed afresh (growing the memory detaches older views). */
  readonly view: () => Buffer
}

/**
 * Room for a record of a path of `pathBytes` at `out`: a token per (1 + separator) bytes. False when the memory
 * cannot grow. Address space: the pages a shorter path leaves untouched are never backed by memory.
 */
export const reserve = (ensure: (needed: number) => void, out: number, pathBytes: number, separatorLength: number): boolean => {
  try {
    ensure(out + 32 + 4 * (Math.floor((pathBytes + separatorLength) / (1 + separatorLength)) + 1) + SLACK)
    return true
  } catch {
    return false
  }
}

/**
 * After a scan that added tokens from `known` on: names them as the decoders name them, all checked before any is
 * registered (in path order), and resolves the record at `out`. False (tokens forgotten): a token the decoders
 * refuse, so the line goes to the general route, which words the error.
 */
export const nameNewTokens = (wasm: Exports, bytes: Uint8Array, utf8: TextDecoder, known: number, out: number, channelOf: (name: string) => number): boolean => {
  const added = wasm.tokens.value as number
  if (added <= known) return true
  const names: Array<string> = []
  for (let k = known; k < added; k++) {
    const at = wasm.token_bytes(k)
    const token = utf8.decode(bytes.subarray(at, at + wasm.token_length(k)))
    if (!hasName(token, 0, token.length)) {
      wasm.forget(known)
      return false
    }
    names.push(detached(trimmed(token, 0, token.length)))
  }
  names.forEach((name, j) => wasm.name(known + j, channelOf(name)))
  wasm.resolve(out)
  return true
}

const columnAt = (header: ReadonlyArray<string>, name: string): number => {
  const i = header.indexOf(name)
  return i >= 0 || !name.includes('.') ? i : header.indexOf(name.replace(/\./g, '_'))
}

/**
 * A scanner for a file with this header, or undefined when WebAssembly is unavailable or the file is outside what
 * the scanner reads (more fields than it keeps bounds for, a delimiter or separator that is not plain ASCII).
 */
const pathScanner = (
  header: ReadonlyArray<string>,
  columns: { readonly path: string; readonly conversions: string; readonly value: string; readonly nulls: string },
  delimiter: string,
  separator: string,
): PathScanner | undefined => {
  const plainAscii = (s: string) => s.length > 0 && s.length <= 16 && [...s].every((ch) => ch.charCodeAt(0) < 0x80) && !/["\r\n]/.test(s)
  if (delimiter.length !== 1 || !plainAscii(delimiter) || !plainAscii(separator)) return undefined
  const module = wasmModule()
  if (module === null) return undefined
  const wasm = new WebAssembly.Instance(module).exports as unknown as Exports
  const IN = wasm.in_base.value as number
  const OUT = wasm.out_base.value as number
  if (header.length > (wasm.max_fields.value as number)) return undefined
  const delimiterByte = delimiter.charCodeAt(0)
  const separatorBytes = Buffer.from(separator, 'latin1')
  new Uint8Array(wasm.memory.buffer).set(separatorBytes, wasm.sep_base.value as number)
  wasm.configure(header.length, columnAt(header, columns.path), columnAt(header, columns.conversions), columnAt(header, columns.value), columnAt(header, columns.nulls), delimiterByte, separatorBytes.length)

  let loaded = 0
  // Views on the memory, renewed when it grows (growing detaches the old buffer).
  let bytes = new Uint8Array(wasm.memory.buffer)
  let int32 = new Int32Array(wasm.memory.buffer)
  let float64 = new Float64Array(wasm.memory.buffer)
  const idsByLength: Array<Array<number> | undefined> = []
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  const ensure = (needed: number) => {
    const size = wasm.memory.buffer.byteLength
    if (needed <= size) return
    // By a quarter at least: a long line arrives a chunk at a time.
    wasm.memory.grow(Math.ceil(Math.max(needed - size, size / 4) / PAGE))
    bytes = new Uint8Array(wasm.memory.buffer)
    int32 = new Int32Array(wasm.memory.buffer)
    float64 = new Float64Array(wasm.memory.buffer)
  }

  const append = (chunk: Uint8Array) => {
    ensure(IN + loaded + chunk.length + SLACK)
    bytes.set(chunk, IN + loaded)
    loaded += chunk.length
  }

  const drop = (from: number) => {
    if (from > 0) bytes.copyWithin(IN, IN + from, IN + loaded)
    loaded -= from
  }

  /** The path record at `r`, handed over. */
  const hand = (r: number, onPath: OnPath): number => {
    const n = int32[r >> 2]!
    const first = (r + 32) >> 2
    if (n > 4096) {
      // A path of thousands of touches is handed over where it lies (as the decoders hand theirs in an Int32Array).
      onPath(int32.subarray(first, first + n), n, float64[(r + 8) >> 3]!, float64[(r + 16) >> 3]!, float64[(r + 24) >> 3]!)
    } else {
      const ids = idsByLength[n] ?? (idsByLength[n] = new Array<number>(n).fill(0))
      for (let j = 0; j < n; j++) ids[j] = int32[first + j]!
      onPath(ids, n, float64[(r + 8) >> 3]!, float64[(r + 16) >> 3]!, float64[(r + 24) >> 3]!)
    }
    return (r + 32 + 4 * n + 7) & ~7
  }

  const run: PathScanner['run'] = (from, onPath) => {
    let at = IN + from
    let lines = 0
    for (;;) {
      at = wasm.scan(at, IN + loaded)
      lines += wasm.lines.value as number
      const records = wasm.records.value as number
      let r = OUT
      for (let k = 0; k < records; k++) r = hand(r, onPath)
      const status = wasm.status.value as number
      // 2: the output region filled up; the paths are taken, go on from where it stopped.
      if (status !== 2) return { at: at - IN, status: status as 0 | 1, lines }
    }
  }

  const line: PathScanner['line'] = (from, end, onPath, channelOf) => {
    // The record goes after the held bytes, with room for a token per (1 + separator) bytes.
    const out = (IN + loaded + SLACK + 7) & ~7
    if (!reserve(ensure, out, end - from, separatorBytes.length)) return false
    const known = wasm.tokens.value as number
    if (wasm.line(IN + from, IN + end, out) === 0) {
      wasm.forget(known)
      return false
    }
    if (!nameNewTokens(wasm, bytes, utf8, known, out, channelOf)) return false
    hand(out, onPath)
    return true
  }

  const learn: PathScanner['learn'] = (token, channel) => {
    // Copied past the held input (and its slack), where nothing is read.
    const at = IN + loaded + SLACK
    ensure(at + token.length + SLACK)
    bytes.set(token, at)
    wasm.learn(at, token.length, channel)
  }

  return { append, held: () => loaded, drop, run, line, learn, view: () => Buffer.from(wasm.memory.buffer, IN, loaded) }
}

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
    // A header with no line break after it.
    if (pendingBytes > 0 && !header(Buffer.alloc(0))) return false
  } else if (scanner!.held() > 0) {
    // The last line, with no line break after it.
    const data = scanner!.view()
    if (!(source.busy() ? general(data, 0, data.length) : single(data, 0, data.length))) return false
  }
  return source.end(line)
}
