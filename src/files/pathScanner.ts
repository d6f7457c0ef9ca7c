/**
 * The WebAssembly lane of the path reader: a chunk of an aggregated-path CSV is copied into the scanner
 * (src/files/wasm/pathScan.wat), which reads every plain line straight from its bytes, and the reader takes the
 * paths it found into the accumulator. Lines the scanner stops at are the io-ts decoders' (the caller's); once
 * the decoders accept such a line, `learn` teaches the scanner its tokens with the channels the decoders gave
 * them, so the scanner never decides a channel name or its order. JavaScript cannot look at a file's characters
 * cheaply enough: on 1e6 paths, confirming each channel name costs more than reading the whole file natively.
 *
 * @module
 */
import { PATH_SCAN_WASM } from './wasm/pathScanModule'

/** Where the scanner's output and input regions start (see pathScan.wat). */
const OUT = 196_608
const IN = 458_752
const PAGE = 65_536
/** Fields a line may have for the scanner (it keeps the bounds of 32). */
const MAX_WIDTH = 32

interface Exports {
  readonly memory: WebAssembly.Memory
  readonly configure: (width: number, pathAt: number, convAt: number, valueAt: number, nullsAt: number, delimiter: number, separatorLength: number) => void
  readonly learn: (pointer: number, length: number, channel: number) => number
  readonly scan: (position: number, end: number) => number
  readonly status: WebAssembly.Global
  readonly lines: WebAssembly.Global
  readonly records: WebAssembly.Global
}

/** What a run of the scanner did: where it stopped (an offset into the loaded bytes) and why. */
export interface ScanStop {
  readonly at: number
  /** 0: at the incomplete line ending the loaded bytes (or their end); 1: at a line for the decoders. */
  readonly status: 0 | 1
  /** Lines consumed (path lines and blank ones). */
  readonly lines: number
}

/** The scanner for one file layout. */
export interface PathScanner {
  /**
   * Copies `head` (if any) and `chunk` in, one after the other, and returns a view of them (valid until the next
   * load); offsets passed to `run` and `learn` are into that view.
   */
  readonly load: (head: Uint8Array | undefined, chunk: Uint8Array) => Buffer
  /** Reads lines from `from`, handing each path to `onPath` (ids valid during the call only). */
  readonly run: (from: number, onPath: (ids: ReadonlyArray<number>, n: number, conversions: number, value: number, nulls: number) => void) => ScanStop
  /** Teaches the tokens of the line at `[start, end)` (no line break), which the decoders accepted. */
  readonly learn: (start: number, end: number) => void
}

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

/**
 * A scanner for a file whose header gave `layout` (field indexes, -1 for absent optional columns), or undefined
 * when WebAssembly is unavailable or the file is outside what the scanner reads (more than 32 fields, a
 * delimiter or separator that is not ASCII, or holds a quote or a line break). `channelIndex` is the
 * accumulator's: it returns the channel of a name the decoders have registered.
 */
export const pathScanner = (
  layout: { readonly width: number; readonly path: number; readonly conversions: number; readonly value: number; readonly nulls: number },
  delimiter: string,
  separator: string,
  channelIndex: (name: string) => number,
): PathScanner | undefined => {
  const plainAscii = (s: string) => s.length > 0 && s.length <= 16 && [...s].every((ch) => ch.charCodeAt(0) < 0x80) && !/["\r\n]/.test(s)
  if (layout.width > MAX_WIDTH || delimiter.length !== 1 || !plainAscii(delimiter) || !plainAscii(separator)) return undefined
  const module = wasmModule()
  if (module === null) return undefined
  const wasm = new WebAssembly.Instance(module).exports as unknown as Exports
  const delimiterByte = delimiter.charCodeAt(0)
  const separatorBytes = Buffer.from(separator, 'latin1')
  new Uint8Array(wasm.memory.buffer).set(separatorBytes, 0)
  wasm.configure(layout.width, layout.path, layout.conversions, layout.value, layout.nulls, delimiterByte, separatorBytes.length)

  let loaded = 0
  // Views on the memory, renewed when it grows (growing detaches the old buffer).
  let bytes = new Uint8Array(wasm.memory.buffer)
  let int32 = new Int32Array(wasm.memory.buffer)
  let float64 = new Float64Array(wasm.memory.buffer)
  const idsByLength: Array<Array<number> | undefined> = []

  const load = (head: Uint8Array | undefined, chunk: Uint8Array): Buffer => {
    const headLength = head === undefined ? 0 : head.length
    // 16 bytes of slack: the scanner's hash reads a short token's bytes eight at a time.
    const needed = IN + headLength + chunk.length + 16
    if (needed > wasm.memory.buffer.byteLength) {
      wasm.memory.grow(Math.ceil((needed - wasm.memory.buffer.byteLength) / PAGE))
      bytes = new Uint8Array(wasm.memory.buffer)
      int32 = new Int32Array(wasm.memory.buffer)
      float64 = new Float64Array(wasm.memory.buffer)
    }
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

  const learn: PathScanner['learn'] = (start, end) => {
    const line = bytes.subarray(IN + start, IN + end)
    if (line.includes(0x22)) return
    // The path field's bounds, then its tokens between separators.
    let field = 0
    let from = 0
    let pathStart = -1
    let pathEnd = -1
    for (let i = 0; i <= line.length; i++) {
      if (i === line.length || line[i] === delimiterByte) {
        if (field === layout.path) {
          pathStart = from
          pathEnd = i
        }
        field++
        from = i + 1
      }
    }
    if (field !== layout.width) return
    let tokenStart = pathStart
    for (let i = pathStart; i <= pathEnd; i++) {
      const cut = i === pathEnd || (line[i] === separatorBytes[0] && i + separatorBytes.length <= pathEnd && separatorBytes.every((b, k) => line[i + k] === b))
      if (!cut) continue
      // The decoders' name: the token's text, trimmed (learning is rare: once per token).
      const name = Buffer.from(line.buffer, line.byteOffset + tokenStart, i - tokenStart)
        .toString('utf8')
        .trim()
      // Accepted by the decoders, so every name is registered; the index is theirs.
      if (name !== '') wasm.learn(IN + start + tokenStart, i - tokenStart, channelIndex(name))
      if (i === pathEnd) break
      i += separatorBytes.length - 1
      tokenStart = i + 1
    }
  }

  return { load, run, learn }
}
