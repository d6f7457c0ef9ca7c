/**
 * What an attribution input holds, found from its name and first line before it is read: CSV or JSON lines,
 * aggregated paths or event-level touches.
 *
 * @module
 */
import { open as openFile } from 'node:fs/promises'
import { extname } from 'node:path'
import type { EventColumns, PathColumns } from '../attribution/decode'
import { csvReader, isCsvProblem } from '../core/csv'
import type { InputFormat, InputKind } from './attributionInput'

/** The first line of a file (up to 64 KiB, without a byte-order mark or line break). */
export const firstLineOf = async (path: string): Promise<string> => {
  const handle = await openFile(path, 'r')
  try {
    const buffer = Buffer.alloc(65536)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return firstLineOfText(buffer.subarray(0, bytesRead).toString('utf8'))
  } finally {
    await handle.close()
  }
}

/** The first line of some text, without a byte-order mark or line break. */
export const firstLineOfText = (text: string): string => {
  const body = text.replace(/^\uFEFF/, '')
  const nl = body.indexOf('\n')
  return (nl < 0 ? body : body.slice(0, nl)).replace(/\r$/, '')
}

/** The format a file's extension names, if it names one. */
export const formatOfFile = (path: string): InputFormat | undefined => {
  const ext = extname(path).toLowerCase()
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
