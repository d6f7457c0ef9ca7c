/**
 * The WebAssembly lane of path CSV files, the one fast lane the reader keeps (on 1e6 paths it reads at 1.5x the
 * floor of splitting lines and fields, against 2.4x for the general route: see benchmarks/attribution.bench.ts).
 * Chunks of bytes are copied into the scanner (src/files/wasm/pathScan.wat), which reads every plain line
 * straight from its bytes into paths the reducer takes. A line it stops at (a quote, an unknown channel name, a
 * number in another notation, a bad line) is decoded and handed to the general route, the reader's own; once
 * the general route takes such a line as one row, the scanner learns its tokens with the channels the decoders
 * gave them, so the scanner never decides a channel name or its order. Where the scanner's memory starts and how
 * wide a line may be are read from the module's exports.
 *
 * @module
 */
import type { Reducer } from '../attribution/read/reducer'
import { lineSplitter } from '../attribution/read/lines'
import type { SourceReader } from '../attribution/read/reader'
import { PATH_SCAN_WASM } from './wasm/pathScanModule'

interface Exports {
  readonly memory: WebAssembly.Memory
  readonly configure: (width: number, pathAt: number, convAt: number, valueAt: number, nullsAt: number, delimiter: number, separatorLength: number) => void
  readonly learn: (pointer: number, length: number, channel: number) => number
  readonly scan: (position: number, end: number) => number
  readonly status: WebAssembly.Global
  readonly lines: WebAssembly.Global
  readonly records: WebAssembly.Global
  readonly sep_base: WebAssembly.Global
  readonly out_base: WebAssembly.Global
  readonly in_base: WebAssembly.Global
  readonly max_fields: WebAssembly.Global
}

const PAGE = 65_536
/** Bytes of slack after the input: the scanner's hash reads a short token's bytes eight at a time. */
const SLACK = 16

let compiled: WebAssembly.Module | undefined | null

/** The compiled module, or null where WebAssembly is unavailable (`node --jitless`). */
const wasmModule = (): WebAssembly.Module | null => {
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

/** The scanner for one file layout. */
interface PathScanner {
  /** Copies `head` (if any) and `chunk` in, one after the other; returns a view of them (valid until the next load). */
  readonly load: (head: Uint8Array | undefined, chunk: Uint8Array) => Buffer
  readonly run: (from: number, onPath: (ids: ReadonlyArray<number>, n: number, conversions: number, value: number, nulls: number) => void) => ScanStop
  /** Teaches one token (its raw bytes) and its channel. */
  readonly learn: (token: Uint8Array, channel: number) => void
  /** The loaded bytes, viewed afresh (learning may grow the memory, which detaches older views). */
  readonly view: () => Buffer
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
  const ensure = (needed: number) => {
    if (needed <= wasm.memory.buffer.byteLength) return
    wasm.memory.grow(Math.ceil((needed - wasm.memory.buffer.byteLength) / PAGE))
    bytes = new Uint8Array(wasm.memory.buffer)
    int32 = new Int32Array(wasm.memory.buffer)
    float64 = new Float64Array(wasm.memory.buffer)
  }

  const load = (head: Uint8Array | undefined, chunk: Uint8Array): Buffer => {
    const headLength = head === undefined ? 0 : head.length
    ensure(IN + headLength + chunk.length + SLACK)
    if (head !== undefined) bytes.set(head, IN)
    bytes.set(chunk, IN + headLength)
    loaded = headLength + chunk.length
    return Buffer.from(wasm.memory.buffer, IN, loaded)
  }

  const run: PathScanner['run'] = (from, onPath) => {
    let at = IN + from
    let lines = 0
    for (;;) {
      at = wasm.scan(at, IN + loaded)
      lines += wasm.lines.value as number
      const records = wasm.records.value as number
      let r = OUT
      for (let k = 0; k < records; k++) {
        const n = int32[r >> 2]!
        const ids = idsByLength[n] ?? (idsByLength[n] = new Array<number>(n).fill(0))
        const first = (r + 32) >> 2
        for (let j = 0; j < n; j++) ids[j] = int32[first + j]!
        onPath(ids, n, float64[(r + 8) >> 3]!, float64[(r + 16) >> 3]!, float64[(r + 24) >> 3]!)
        r = (r + 32 + 4 * n + 7) & ~7
      }
      const status = wasm.status.value as number
      // 2: the output region filled up; the paths are taken, go on from where it stopped.
      if (status !== 2) return { at: at - IN, status: status as 0 | 1, lines }
    }
  }

  const learn: PathScanner['learn'] = (token, channel) => {
    // Copied past the loaded input (and its slack), where the next load does not look.
    const at = IN + loaded + SLACK
    ensure(at + token.length + SLACK)
    bytes.set(token, at)
    wasm.learn(at, token.length, channel)
  }

  return { load, run, learn, view: () => Buffer.from(wasm.memory.buffer, IN, loaded) }
}

/** Lines longer than this are not loaded into the scanner: they are joined once and read by the general route. */
const LONG_LINE = 1 << 20

/**
 * Reads one source (bytes, valid UTF-8) that may be a path CSV: through the scanner where it can, the reader's
 * general route elsewhere. The first line goes to the reader as text; if it does not make a path CSV the scanner
 * can read (another kind or format, a header the scanner cannot take, no WebAssembly, a `maxLineLength` below
 * what the scanner is trusted to check), the rest is read as text from line 2 on. A line spanning chunks is kept
 * as a list of pieces until its line break arrives and joined once, so any line length costs linear time.
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
  // The bytes of the line begun in earlier chunks; once they pass LONG_LINE, that line's text instead (decoded
  // piece by piece as it arrives, joined once: no copy of the bytes, no second copy of the text).
  let pending: Array<Buffer> = []
  let pendingText: Array<string> | undefined
  let pendingBytes = 0
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  const lineEnd = (data: Uint8Array, from: number, nl: number) => (nl > from && data[nl - 1] === 13 ? nl - 1 : nl)
  let laneRows = 0
  const addPath = (ids: ReadonlyArray<number>, n: number, c: number, v: number, u: number) => {
    reducer.addIndexed(ids, n, c, v, u)
    laneRows++
  }

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

  /** A line too long for the scanner, as text (its pieces joined once) through the general route. */
  const generalText = (tail: Buffer): boolean => {
    pendingText!.push(tail.toString('utf8'))
    let text = pendingText!.join('')
    pendingText = undefined
    pending = []
    pendingBytes = 0
    line++
    onLine?.(line)
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    const end = text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length
    if (end > max) return tooLong(line)
    return source.line(text, 0, end, line)
  }

  /** Keeps a piece of the pending line (it has no line break). */
  const keep = (chunk: Buffer) => {
    pendingBytes += chunk.length
    if (pendingText !== undefined) pendingText.push(chunk.toString('utf8'))
    else {
      pending.push(chunk)
      if (pendingBytes > LONG_LINE) {
        pendingText = pending.map((b) => b.toString('utf8'))
        pending = []
      }
    }
  }

  /** After the first line: the scanner, if this source is a path CSV it can read, else text mode from here on. */
  const decide = () => {
    const lane = source.pathLane()
    scanner = lane === undefined || max < LONG_LINE ? undefined : pathScanner(lane.header, settings.columns, settings.delimiter, settings.separator)
    if (scanner === undefined) text = lineSplitter((t, s, e, n) => (onLine?.(n), source.line(t, s, e, n)), { maxLineLength: max, firstLine: line + 1 })
  }

  const toText = (data: Uint8Array): boolean => {
    const ok = text!.push(utf8.decode(data, { stream: true }))
    if (!ok && text!.tooLong() !== undefined) return tooLong(text!.tooLong()!)
    return ok
  }

  /** The pieces of the pending line and `tail`, joined once. */
  const joined = (tail: Buffer): Buffer => {
    const all = pending.length === 0 ? tail : Buffer.concat([...pending, tail])
    pending = []
    pendingBytes = 0
    return all
  }

  /** Scans `data` (loaded whole into the scanner); keeps its incomplete last line pending. */
  const scan = (head: Buffer | undefined, chunk: Buffer): boolean => {
    let data = scanner!.load(head, chunk)
    let from = 0
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
      if (!general(data, from, nl)) return false
      data = scanner!.view()
      from = nl + 1
    }
    if (from < data.length) {
      // Copied: the scanner's memory is overwritten by the next load.
      pending = [Buffer.from(data.subarray(from))]
      pendingBytes = data.length - from
    }
    return true
  }

  for await (const raw of bytes) {
    let chunk: Buffer = raw
    if (text !== undefined) {
      if (!toText(chunk)) return false
      continue
    }
    const nl = chunk.indexOf(10)
    if (nl < 0) {
      // The pending line goes on: keep the piece, copy nothing.
      keep(chunk)
      if (pendingBytes > max * 3) return tooLong(line + 1)
      continue
    }
    if (first || pendingBytes + nl > LONG_LINE) {
      // The header, or a line too long for the scanner: joined once, read by the general route.
      if (pendingText !== undefined) {
        if (!generalText(chunk.subarray(0, nl))) return false
      } else {
        const whole = joined(chunk.subarray(0, nl + 1))
        const bom = first && whole.length >= 3 && whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf ? 3 : 0
        if (!general(whole, bom, whole.length - 1)) return false
      }
      if (first) {
        first = false
        decide()
      }
      chunk = chunk.subarray(nl + 1)
      if (text !== undefined) {
        if (!toText(chunk)) return false
        continue
      }
      if (!scan(undefined, chunk)) return false
      continue
    }
    if (!scan(pending.length === 0 ? undefined : joined(Buffer.alloc(0)), chunk)) return false
  }
  if (text !== undefined) {
    const tail = utf8.decode()
    if (tail !== '' && !toText(Buffer.from(tail))) return false
    if (!text.end()) return text.tooLong() !== undefined ? tooLong(text.tooLong()!) : false
    return source.end(text.lines())
  }
  if (pendingText !== undefined) {
    // The last line, with no line break after it.
    if (!generalText(Buffer.alloc(0))) return false
  } else if (pendingBytes > 0) {
    // The last line, with no line break after it.
    const last = joined(Buffer.alloc(0))
    const bom = first && last.length >= 3 && last[0] === 0xef && last[1] === 0xbb && last[2] === 0xbf ? 3 : 0
    if (!general(last, bom, last.length)) return false
  }
  return source.end(line)
}
