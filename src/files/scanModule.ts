/**
 * The WebAssembly scanner module (src/files/wasm/pathScan.wat) as both lanes use it: its exports, the compiled
 * module (null where WebAssembly is unavailable), an instance's held input (its bytes, its memory's views and
 * their growth), room reservation for a path's output and the naming of new tokens from their bytes. Split from
 * pathLane.ts.
 *
 * @module
 */
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

/**
 * A delimiter or separator the scanner takes: 1 to 16 plain ASCII characters, no quote or line break.
 */
export const plainAscii = (s: string): boolean => s.length > 0 && s.length <= 16 && [...s].every((ch) => ch.charCodeAt(0) < 0x80) && !/["\r\n]/.test(s)

/**
 * A scanner instance's input as both lanes hold it: the bytes not read yet, appended at `in_base`, and the views
 * on its memory. The views are replaced when the memory grows (growing detaches the old buffer): read them from
 * here after any call that may grow it (`ensure`, `append`), never keep one across such a call.
 */
export interface HeldInput {
  readonly wasm: Exports
  /** Where the held bytes begin in the memory. */
  readonly IN: number
  /** How many bytes are held. */
  loaded: number
  bytes: Uint8Array
  int32: Int32Array
  float64: Float64Array
  /** Grows the memory to at least `needed` bytes (by a quarter at least: a long line arrives a chunk at a time). */
  readonly ensure: (needed: number) => void
  /** Copies `chunk` in after the bytes held (with the scanner's slack after it). */
  readonly append: (chunk: Uint8Array) => void
  /** The held bytes, viewed afresh. */
  readonly view: () => Buffer
}

/** A new instance of the scanner module, holding no bytes, with `separator` (plain ASCII) in its memory. */
export const heldInput = (module: WebAssembly.Module, separator: Uint8Array): HeldInput => {
  const wasm = new WebAssembly.Instance(module).exports as unknown as Exports
  const memory = wasm.memory
  new Uint8Array(memory.buffer).set(separator, wasm.sep_base.value as number)
  const held: HeldInput = {
    wasm,
    IN: wasm.in_base.value as number,
    loaded: 0,
    bytes: new Uint8Array(memory.buffer),
    int32: new Int32Array(memory.buffer),
    float64: new Float64Array(memory.buffer),
    ensure: (needed) => {
      const size = memory.buffer.byteLength
      if (needed <= size) return
      memory.grow(Math.ceil(Math.max(needed - size, size / 4) / PAGE))
      held.bytes = new Uint8Array(memory.buffer)
      held.int32 = new Int32Array(memory.buffer)
      held.float64 = new Float64Array(memory.buffer)
    },
    append: (chunk) => {
      held.ensure(held.IN + held.loaded + chunk.length + SLACK)
      held.bytes.set(chunk, held.IN + held.loaded)
      held.loaded += chunk.length
    },
    view: () => Buffer.from(memory.buffer, held.IN, held.loaded),
  }
  return held
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
