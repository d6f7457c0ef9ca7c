/**
 * What format an input file is written in, told once for every reader: the streaming pipeline
 * (`describeInputs`), the experiment logs (`readLog`, `touchpoint analyze --exposures`) and the DuckDB file
 * source (`formatOfFiles`). Pure: the caller reads the first line or bytes.
 *
 * @module
 */
import { extname } from 'node:path'
import type { InputFormat } from '../attribution/read/settings'

/** Parquet files start (and end) with these four bytes. */
const PARQUET_MAGIC = 'PAR1'

/**
 * True when the first bytes of a file, as text (Latin-1 or UTF-8), are Parquet's magic number: read as text,
 * such a file would fail on a garbled header.
 */
export const startsWithParquetMagic = (head: string | undefined): boolean => head !== undefined && head.startsWith(PARQUET_MAGIC)

/** The format a file name says (`.csv`, `.tsv`, `.txt`; `.jsonl`, `.ndjson`, `.json`; before any `.gz`), if any. */
export const formatOfFile = (path: string): InputFormat | undefined => {
  const ext = extname(path.replace(/\.(gz|gzip)$/i, '')).toLowerCase()
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl'
  return undefined
}

/**
 * The format a first line tells: JSON lines when it opens an object (after white space and a byte order mark),
 * CSV otherwise; nothing when it is blank (the reader then looks further, as the pipeline's reader does).
 */
export const formatOfLine = (line: string): InputFormat | undefined => (/^\s*$/.test(line) ? undefined : /^\s*\{/.test(line) ? 'jsonl' : 'csv')

/**
 * The format of an input: the one `given`, else the one its name says, else the one its first line tells
 * (`undefined` when the line is not known or blank).
 */
export const formatOf = (path: string, firstLine: string | undefined, given?: InputFormat): InputFormat | undefined =>
  given ?? formatOfFile(path) ?? (firstLine === undefined ? undefined : formatOfLine(firstLine))
