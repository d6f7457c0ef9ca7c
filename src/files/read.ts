/**
 * The reading pipeline over Node sources: each input's bytes (a file, a byte range of one, standard input;
 * gzip decompressed; checked as UTF-8) go through the WebAssembly lane when they may be a path CSV, through the
 * JSON lane (long records' paths read from their bytes) when they are JSON lines that may hold paths, else through
 * the reader's text route, into one reducer. Every reader of attribution inputs goes through here: the CLI's
 * `attribute` and `report`, `readAttributionFiles`, worker shards (src/files/shards.ts).
 *
 * @module
 */
import type { Readable } from 'node:stream'
import { reader, type ReadTally, type SourceReader } from '../attribution/read/reader'
import type { Reducer } from '../attribution/read/reducer'
import type { InputFormat, ReadSettings } from '../attribution/read/settings'
import { jsonLaneUsable, readJsonLane } from './jsonLane'
import { readPathLane } from './pathLane'
import { decompressed, fileBytes, InvalidUtf8, rangeBytes, utf8Checked } from './source'

/** Where a line is, in messages: `events.csv:12`, `<stdin>:3`. */
export const where = (file: string, line: number): string => `${file === '-' ? '<stdin>' : file}:${line}`

/**
 * One input: a file (`-`: standard input), optionally a byte range of it (a shard), with what is known of it.
 *
 * - `format`: from the file name (else the first line tells);
 * - `header`: for a shard, the CSV header the main thread read, and whether the range starts at the top (where
 *   that header line is).
 */
export interface Source {
  readonly path: string
  readonly format?: InputFormat
  readonly range?: { readonly start: number; readonly end: number }
  readonly header?: ReadonlyArray<string>
  /** The bytes, when they come from elsewhere than the file `path` names (a stream; tests cutting chunks). */
  readonly open?: () => AsyncIterable<Buffer>
}

/** The bytes of a source. */
const bytesOf = (s: Source, stdin: Readable | undefined): AsyncIterable<Buffer> =>
  s.open !== undefined
    ? decompressed(s.open(), s.path)
    : s.range !== undefined ? rangeBytes(s.path, s.range.start, s.range.end) : s.path === '-' ? decompressed(stdin ?? process.stdin, '-') : fileBytes(s.path)

const utf8Expected = (settings: ReadSettings) =>
  settings.invalidUtf8 === 'fail' ? 'UTF-8 text (--replace-invalid-utf8 reads such bytes as U+FFFD, counted)' : 'UTF-8 text'

/** Whether `b[i]` opens a byte-order mark (EF BB BF). */
const bomAt = (b: Buffer, i: number) => b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf

/**
 * Whether a source of unknown format looks like JSON lines: its first byte that is not blank (space, tab, line
 * break, byte-order mark) is `{`, as the reader's first line that is not blank tells (which still decides: this
 * only picks the lane). The bytes read to tell are handed on again, and an error met on the way (bytes that are
 * not UTF-8) is thrown after them, where the lane reading them can name the line.
 */
/** @internal */
export const sniffJson = async (bytes: AsyncIterable<Buffer>): Promise<{ readonly json: boolean; readonly bytes: AsyncIterable<Buffer> }> => {
  const it = bytes[Symbol.asyncIterator]()
  const seen: Array<Buffer> = []
  let json: boolean | undefined
  let done = false
  let error: { readonly e: unknown } | undefined
  try {
    while (json === undefined) {
      const next = await it.next()
      if (next.done === true) {
        done = true
        break
      }
      const b = next.value
      seen.push(b)
      let i = 0
      while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d || bomAt(b, i))) i += b[i] === 0xef ? 3 : 1
      if (i < b.length) json = b[i] === 0x7b
    }
  } catch (e) {
    error = { e }
  }
  const replay = async function* (): AsyncGenerator<Buffer> {
    try {
      yield* seen
      if (error !== undefined) throw error.e
      if (!done) for (let next = await it.next(); next.done !== true; next = await it.next()) yield next.value
    } finally {
      // A read that stops early closes the source, as a loop over it would.
      if (!done && error === undefined) await it.return?.()
    }
  }
  return { json: json === true, bytes: replay() }
}

/** One source into the reader; false when the read stopped. Read errors (a missing file, bad gzip) throw. */
const readOne = async (settings: ReadSettings, src: SourceReader, s: Source, reducer: Reducer<unknown>, stdin: Readable | undefined, lanes: boolean): Promise<boolean> => {
  let bytes: AsyncIterable<Buffer> = utf8Checked(bytesOf(s, stdin), settings.invalidUtf8, (n) => src.replaced(n))
  const lane = lanes && (settings.kind === undefined || settings.kind === 'paths') && (s.format ?? settings.format) !== 'jsonl'
  const jsonSettings = { separator: settings.paths.separator, pathColumn: settings.paths.columns.path, maxLineLength: settings.maxLineLength }
  // The reader takes the settings' format before the file's.
  const format = settings.format ?? s.format
  let jsonLane = lanes && (settings.kind === undefined || settings.kind === 'paths') && format !== 'csv' && jsonLaneUsable(jsonSettings)
  if (jsonLane && format === undefined) {
    // Standard input, or a file whose long first line left its format untold: its first bytes tell.
    const sniffed = await sniffJson(bytes)
    bytes = sniffed.bytes
    jsonLane = sniffed.json
  }
  let laneLine = 0
  try {
    if (jsonLane) {
      return await readJsonLane(bytes, src, reducer, jsonSettings, (line) => {
        laneLine = line
      })
    }
    if (lane) {
      return await readPathLane(
        bytes,
        src,
        reducer,
        { delimiter: settings.delimiter, separator: settings.paths.separator, columns: settings.paths.columns, maxLineLength: settings.maxLineLength },
        (line) => {
          laneLine = line
        },
      )
    }
    for await (const chunk of bytes) if (!src.push(chunk.toString('utf8'))) return false
    return src.end()
  } catch (e) {
    if (!(e instanceof InvalidUtf8)) throw e
    src.fail(lane || jsonLane ? laneLine + 1 : src.currentLine(), utf8Expected(settings), `invalid UTF-8 (${e.bytes})`)
    return false
  }
}

/**
 * Reads `sources` in turn, on this thread, into `reducer` (events continue from one source to the next).
 * Returns what was read; a source that cannot be read at all (missing, not gzip after all) throws an `Error`
 * naming it.
 */
export const readSources = async <P>(
  settings: ReadSettings,
  sources: ReadonlyArray<Source>,
  reducer: Reducer<P>,
  options: {
    readonly stdin?: Readable
    readonly onProgress?: (rows: number) => void
    /** false: every line through the reader's own route, never the WebAssembly lane (tests compare the two). */
    readonly lanes?: boolean
  } = {},
): Promise<ReadTally> => {
  const names = sources.map((s) => s.path)
  const read = reader(settings, reducer, {
    where: (source, line) => where(names[source] ?? '', line),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  })
  for (const s of sources) {
    const src = read.source({
      name: s.path,
      ...(s.format === undefined ? {} : { format: s.format }),
      ...(s.header === undefined ? {} : { header: s.header, headerLine: s.range === undefined || s.range.start === 0 }),
    })
    if (!(await readOne(settings, src, s, reducer as Reducer<unknown>, options.stdin, options.lanes !== false))) break
  }
  return read.finish()
}

