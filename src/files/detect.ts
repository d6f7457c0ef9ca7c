/**
 * What an attribution input holds, found from its name and first line before it is read: CSV or JSON lines,
 * aggregated paths or event-level touches.
 *
 * @module
 */
import { open as openFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { constants as zlibConstants, gunzipSync } from 'node:zlib'
import type { EventColumns, PathColumns } from '../attribution/decode'
import { csvReader, isCsvProblem } from '../core/csv'
import type { InputFormat, InputKind } from './attributionInput'

/** gzip's magic number opens the data: warehouse exports (Snowflake, BigQuery, Redshift UNLOAD) often come so. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

/** What the start of a file says: its first line (decompressed if need be) and whether it is gzip. */
export interface FileHead {
  readonly first: string
  readonly compressed: boolean
}

// Compressed bytes inflated to find the first line: a header row is far shorter, and 16 KiB inflates to at most
// about 16 MiB (deflate's ratio is bounded near 1032:1).
const GZIP_SNIFF_BYTES = 16384

/** The first line of a file (up to 64 KiB, without a byte-order mark or line break), and whether it is gzip. */
export const headOf = async (path: string): Promise<FileHead> => {
  const handle = await openFile(path, 'r')
  try {
    const buffer = Buffer.alloc(65536)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const bytes = buffer.subarray(0, bytesRead)
    if (!isGzip(bytes)) return { first: firstLineOfText(bytes.toString('utf8')), compressed: false }
    // A sync flush inflates what the prefix holds instead of failing on the cut.
    let text: Buffer
    try {
      text = gunzipSync(bytes.subarray(0, GZIP_SNIFF_BYTES), { finishFlush: zlibConstants.Z_SYNC_FLUSH })
    } catch (e) {
      throw new Error(`cannot decompress it as gzip: ${e instanceof Error ? e.message : String(e)}`)
    }
    return { first: firstLineOfText(text.subarray(0, 65536).toString('utf8')), compressed: true }
  } finally {
    await handle.close()
  }
}

/** The first line of a file (decompressed if it is gzip). */
export const firstLineOf = async (path: string): Promise<string> => (await headOf(path)).first

/** The first line of some text, without a byte-order mark or line break. */
export const firstLineOfText = (text: string): string => {
  const body = text.replace(/^\uFEFF/, '')
  const nl = body.indexOf('\n')
  return (nl < 0 ? body : body.slice(0, nl)).replace(/\r$/, '')
}

/** The format a file's extension names (`paths.csv.gz` names CSV), if it names one. */
export const formatOfFile = (path: string): InputFormat | undefined => {
  const ext = extname(path.replace(/\.(gz|gzip)$/i, '')).toLowerCase()
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl'
  return undefined
}

/** The format of an input: given, else from the extension, else JSON lines when the first line opens an object. */
export const formatOf = (path: string | undefined, first: string, given?: InputFormat): InputFormat =>
  given ?? (path === undefined ? undefined : formatOfFile(path)) ?? (/^\s*\{/.test(first) ? 'jsonl' : 'csv')

/** What the columns are called and how CSV fields are cut: what kind detection looks for. */
export interface KindClues {
  readonly delimiter: string
  readonly pathColumns: PathColumns
  readonly eventColumns: EventColumns
}

/** Paths when the first line has the path column; events when it has the user and time columns; else undefined. */
export const kindOf = (first: string, format: InputFormat, clues: KindClues): InputKind | undefined => {
  if (format === 'jsonl') {
    let o: unknown
    try {
      o = JSON.parse(first)
    } catch {
      return undefined
    }
    if (o === null || typeof o !== 'object') return undefined
    if (Object.prototype.hasOwnProperty.call(o, clues.pathColumns.path)) return 'paths'
    if (Object.prototype.hasOwnProperty.call(o, clues.eventColumns.user) && Object.prototype.hasOwnProperty.call(o, clues.eventColumns.time)) return 'events'
    return undefined
  }
  const header = csvHeaderOf(first, clues.delimiter)
  if (header.includes(clues.pathColumns.path)) return 'paths'
  if (header.includes(clues.eventColumns.user) && header.includes(clues.eventColumns.time)) return 'events'
  return undefined
}

/**
 * The column names of a CSV header line, read by the same CSV reader as the rows (so a quoted name reads the same
 * on one thread and in shards), trimmed. A header the reader rejects falls back to a plain split.
 */
export const csvHeaderOf = (first: string, delimiter: string): ReadonlyArray<string> => {
  const reader = csvReader({ delimiter })
  const records = [...reader.push(first), ...reader.end()]
  const head = records[0]
  const fields = head !== undefined && !isCsvProblem(head) ? head.fields : first.split(delimiter)
  return fields.map((h) => h.trim())
}

/** What kind detection looks for in the first line, for the message when it finds neither. */
export const kindClueText = (clues: KindClues): string =>
  `a "${clues.pathColumns.path}" column (paths) or "${clues.eventColumns.user}" and "${clues.eventColumns.time}" columns (events)`
