/**
 * The inputs of a read, described before any is read: patterns expanded, each file's size, whether it is gzip,
 * and, from its first line when that fits in the first 64 KiB, its format, kind and CSV header; so a missing
 * file, a header that names neither kind or files of mixed kinds surface before minutes of reading. A first line
 * longer than that (a JSONL record of 65 KB and more) is told from the stream as it is read, as standard input
 * is: detection never depends on the first record's size.
 *
 * @module
 */
import { open as openFile, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { Readable } from 'node:stream'
import { constants as zlibConstants, gunzipSync } from 'node:zlib'
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { csvRecords, fieldTexts } from '../attribution/read/fields'
import { parseJsonObject } from '../attribution/read/json'
import { kindClueText, kindOfHeader, kindOfObject, type ReadTally } from '../attribution/read/reader'
import type { InputFormat, InputKind, ReadSettings } from '../attribution/read/settings'
import { formatOf } from './format'
import { expandPattern, isPattern } from './glob'
import { readSources, type Source } from './read'
import { reducerOf, type PartialOf, type ReducerSpec } from './reducers'
import { readSharded } from './shards'
import { isGzip } from './source'

/** One input, described. */
export interface InputFile {
  /** A file path, or `-` for standard input. */
  readonly path: string
  /** Bytes on disk (0 for standard input). */
  readonly size: number
  /** gzip (known for files; standard input is told as it streams). */
  readonly compressed: boolean
  /** From the extension, else from the first line when it was read. */
  readonly format?: InputFormat
  /** From the first line, when it was read and names one. */
  readonly kind?: InputKind
  /** The CSV header, trimmed, when the first line was read. */
  readonly header?: ReadonlyArray<string>
}

/**
 * Why inputs cannot be read as given: the command's message, whether the fault is the command line's (`usage`) or
 * the data's, and the same as a located error for the library.
 */
export interface InputProblem {
  readonly message: string
  readonly exit: 'data' | 'usage'
  readonly error: TouchpointError
}

const problem = (message: string, exit: 'data' | 'usage', error: TouchpointError): E.Either<InputProblem, never> => E.left({ message, exit, error })
const unreadable = (file: string, reason: string): E.Either<InputProblem, never> =>
  problem(`cannot read ${file}: ${reason}`, 'data', invalidInput([{ ...issue('', 'a readable file', reason), file }]))

// Compressed bytes inflated to find the first line: 16 KiB inflates to at most about 16 MiB.
const GZIP_SNIFF_BYTES = 16384
const HEAD_BYTES = 65536

// One sniff for every reader of files (src/files/format.ts), kept importable from here.
export { formatOf, formatOfFile, formatOfLine, startsWithParquetMagic } from './format'

/**
 * The first line of a file that is not blank, when it ends within the first 64 KiB (decompressed), and whether the
 * file is gzip.
 */
export const headOf = async (path: string): Promise<{ readonly first: string | undefined; readonly compressed: boolean }> => {
  const handle = await openFile(path, 'r')
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    let bytes = buffer.subarray(0, bytesRead)
    const compressed = isGzip(bytes)
    const whole = bytesRead < HEAD_BYTES
    if (compressed) {
      try {
        // A sync flush inflates what the prefix holds instead of failing on the cut.
        bytes = gunzipSync(bytes.subarray(0, GZIP_SNIFF_BYTES), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES)
      } catch (e) {
        throw new Error(`cannot decompress it as gzip: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    // Blank lines before the first one that holds something tell nothing of the kind (a JSON-lines file opening
    // with one was taken for CSV).
    let from = 0
    let nl = bytes.indexOf(10)
    while (nl >= 0 && bytes.toString('utf8', from, nl).replace(/^\uFEFF/, '').trim() === '') {
      from = nl + 1
      nl = bytes.indexOf(10, from)
    }
    if (nl < 0 && !(whole && !compressed)) return { first: undefined, compressed }
    const text = bytes.toString('utf8', from, nl < 0 ? bytes.length : nl).replace(/^\uFEFF/, '').replace(/\r$/, '')
    return { first: text, compressed }
  } finally {
    await handle.close()
  }
}

/** A CSV header line's fields, trimmed, read as the pipeline reads records. */
export const csvHeaderOf = (line: string, delimiter: string): ReadonlyArray<string> => {
  let header: ReadonlyArray<string> = []
  const records = csvRecords(delimiter, { record: (v) => ((header = fieldTexts(v).map((h) => h.trim())), false), problem: () => false })
  records.line(line, 0, line.length, 1)
  records.end()
  return header
}

/**
 * Every input described. Patterns (`*`, `?`, `[...]`, `**`) are expanded, `-` is standard input (once).
 */
export const describeInputs = async (patterns: ReadonlyArray<string>, settings: ReadSettings): Promise<E.Either<InputProblem, ReadonlyArray<InputFile>>> => {
  const paths: Array<string> = []
  for (const p of patterns) {
    if (p !== '-' && isPattern(p) && (await stat(p).catch(() => undefined)) === undefined) {
      const matches = await expandPattern(p)
      if (matches.length === 0) return problem(`no file matches ${p}`, 'data', invalidInput([{ ...issue('', 'a pattern that matches files', 'no file'), file: p }]))
      paths.push(...matches)
    } else paths.push(p)
  }
  if (paths.filter((p) => p === '-').length > 1) return problem('standard input ("-") can be given only once', 'usage', invalidInput([issue('files', 'standard input ("-") once at most', paths)]))
  const inputs: Array<InputFile> = []
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ path, size: 0, compressed: false, ...(settings.format === undefined ? {} : { format: settings.format }) })
      continue
    }
    let size: number
    let head: Awaited<ReturnType<typeof headOf>>
    try {
      const s = await stat(path)
      if (!s.isFile()) return unreadable(path, 'not a regular file')
      size = s.size
      head = await headOf(path)
    } catch (e) {
      return unreadable(path, e instanceof Error ? e.message : String(e))
    }
    const first = head.first
    // A blank first line tells nothing: the read looks further (undefined format), as with standard input.
    const format = formatOf(path, first, settings.format)
    let kind: InputKind | undefined
    let header: ReadonlyArray<string> | undefined
    if (first !== undefined && first.trim() !== '') {
      // A first line that is not a JSON object is left to the read, which names what is wrong with it.
      let readable = true
      if (format === 'jsonl') {
        const o = parseJsonObject(first, 1)
        readable = E.isRight(o)
        kind = E.isRight(o) ? kindOfObject(o.right, settings) : undefined
      } else {
        header = csvHeaderOf(first, settings.delimiter)
        kind = kindOfHeader(header, settings)
      }
      if (kind === undefined && settings.kind === undefined && readable) {
        return problem(
          `${path}:1: cannot tell paths from events: expected ${kindClueText(settings)}; name them with --path-column/--user-column/--time-column or give --input`,
          'data',
          invalidInput([{ ...issue('header', kindClueText(settings), first), file: path, line: 1 }]),
        )
      }
    }
    inputs.push({ path, size, compressed: head.compressed, ...(format === undefined ? {} : { format }), ...(kind === undefined ? {} : { kind }), ...(header === undefined ? {} : { header }) })
  }
  if (settings.kind === undefined) {
    const first = inputs.find((i) => i.kind !== undefined)
    const other = inputs.find((i) => i.kind !== undefined && i.kind !== first?.kind)
    if (first !== undefined && other !== undefined) {
      return problem(
        'the inputs mix aggregated paths and events; give them separately',
        'usage',
        invalidInput([{ ...issue('kind', `${first.kind}, like ${first.path}: give paths and events separately`, other.kind), file: other.path }]),
      )
    }
  }
  return E.right(inputs)
}

/** `auto` starts worker threads for path input of at least this many bytes in all, at most this many. */
const AUTO_WORKERS_MIN_BYTES = 128 * 1024 * 1024
const MAX_AUTO_THREADS = 4

/**
 * The inputs read into a reducer of `spec`: path files cut into byte-range shards over `threads` (`auto`: a
 * thread per core, at most 4, when the path files hold 128 MB or more; a worker costs about 0.2 s and 30 MB to
 * start), everything else in turn on this thread. Standard input and gzip files are never cut. When a shard sees
 * a quoted field spanning lines, the files are read again on one thread (`note` says so).
 */
export const readInputs = async <S extends ReducerSpec>(
  settings: ReadSettings,
  spec: S,
  inputs: ReadonlyArray<InputFile>,
  options: { readonly threads: number | 'auto'; readonly stdin?: Readable; readonly onProgress?: (rows: number) => void },
): Promise<{ readonly partial: PartialOf<S>; readonly tally: ReadTally; readonly names: ReadonlyArray<string>; readonly note?: string }> => {
  const kind = settings.kind ?? inputs.find((i) => i.kind !== undefined)?.kind
  const shardable = kind === 'paths' && inputs.every((i) => i.path !== '-' && !i.compressed && i.kind === 'paths' && (i.format === 'jsonl' || i.header !== undefined))
  const bytes = inputs.reduce((s, i) => s + i.size, 0)
  const threads = options.threads !== 'auto' ? options.threads : shardable && bytes >= AUTO_WORKERS_MIN_BYTES ? Math.min(MAX_AUTO_THREADS, availableParallelism()) : 1
  let note: string | undefined
  if (threads > 1 && shardable) {
    const sharded = await readSharded(settings, spec, inputs, threads)
    if (sharded !== undefined) return sharded
    note = 'quoted fields span lines; reading on one thread instead of in shards'
  }
  const reducer = reducerOf(spec)
  const sources = inputs.map((i): Source => ({ path: i.path, ...(i.format === undefined ? {} : { format: i.format }) }))
  const tally = await readSources(settings, sources, reducer, { ...(options.stdin === undefined ? {} : { stdin: options.stdin }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) })
  return { partial: reducer.snapshot(), tally, names: inputs.map((i) => i.path), ...(note === undefined ? {} : { note }) }
}
