/**
 * One scanner instance over path CSV bytes: chunks appended, plain lines read in batches into paths, a line its
 * batch stops at tokenized by `line`, tokens learned from the general route.
 *
 * @module
 */
import { heldInput, nameNewTokens, plainAscii, reserve, SLACK, wasmModule } from './scanModule'

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
export interface PathScanner {
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

const columnAt = (header: ReadonlyArray<string>, name: string): number => {
  const i = header.indexOf(name)
  return i >= 0 || !name.includes('.') ? i : header.indexOf(name.replace(/\./g, '_'))
}

/**
 * A scanner for a file with this header, or undefined when WebAssembly is unavailable or the file is outside what
 * the scanner reads (more fields than it keeps bounds for, a delimiter or separator that is not plain ASCII).
 */
export const pathScanner = (
  header: ReadonlyArray<string>,
  columns: { readonly path: string; readonly conversions: string; readonly value: string; readonly nulls: string },
  delimiter: string,
  separator: string,
): PathScanner | undefined => {
  if (delimiter.length !== 1 || !plainAscii(delimiter) || !plainAscii(separator)) return undefined
  const module = wasmModule()
  if (module === null) return undefined
  const separatorBytes = Buffer.from(separator, 'latin1')
  // The held bytes and the views on the memory (held.bytes, int32, float64: renewed when it grows).
  const held = heldInput(module, separatorBytes)
  const { wasm, IN, ensure } = held
  const OUT = wasm.out_base.value as number
  if (header.length > (wasm.max_fields.value as number)) return undefined
  const delimiterByte = delimiter.charCodeAt(0)
  wasm.configure(header.length, columnAt(header, columns.path), columnAt(header, columns.conversions), columnAt(header, columns.value), columnAt(header, columns.nulls), delimiterByte, separatorBytes.length)

  const idsByLength: Array<Array<number> | undefined> = []
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })

  const drop = (from: number) => {
    if (from > 0) held.bytes.copyWithin(IN, IN + from, IN + held.loaded)
    held.loaded -= from
  }

  /** The path record at `r`, handed over. */
  const hand = (r: number, onPath: OnPath): number => {
    const { int32, float64 } = held
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
      at = wasm.scan(at, IN + held.loaded)
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
    const out = (IN + held.loaded + SLACK + 7) & ~7
    if (!reserve(ensure, out, end - from, separatorBytes.length)) return false
    const known = wasm.tokens.value as number
    if (wasm.line(IN + from, IN + end, out) === 0) {
      wasm.forget(known)
      return false
    }
    if (!nameNewTokens(wasm, held.bytes, utf8, known, out, channelOf)) return false
    hand(out, onPath)
    return true
  }

  const learn: PathScanner['learn'] = (token, channel) => {
    // Copied past the held input (and its slack), where nothing is read.
    const at = IN + held.loaded + SLACK
    ensure(at + token.length + SLACK)
    held.bytes.set(token, at)
    wasm.learn(at, token.length, channel)
  }

  return { append: held.append, held: () => held.loaded, drop, run, line, learn, view: held.view }
}
