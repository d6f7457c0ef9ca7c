/**
 * Files as a DuckDB source: CSV, JSON lines and Parquet, plain or gzip, one file or many or a glob, read by
 * DuckDB directly (out of core, in any order). The format comes from the name, else from the first bytes.
 *
 * @module
 */
import { open } from 'node:fs/promises'
import * as E from 'fp-ts/Either'
import { duckdb } from '../sql/dialects'

/**
 * @category engines
 * @since 0.2.0
 */
export type FileFormat = 'parquet' | 'csv' | 'jsonl'

const GLOB = /[*?[]/

/** A file name or glob that names Parquet (which the streaming reader cannot read). */
export const isParquetName = (path: string): boolean => /\.parquet$/i.test(path)

/** The format a name says, if it says one. */
const formatOfName = (path: string): FileFormat | undefined => {
  const p = path.toLowerCase().replace(/\.(gz|gzip)$/, '')
  if (p.endsWith('.parquet')) return 'parquet'
  if (/\.(csv|tsv|txt)$/.test(p)) return 'csv'
  if (/\.(jsonl|ndjson|json)$/.test(p)) return 'jsonl'
  return undefined
}

/** The format from the first bytes: Parquet's magic number, else a JSON object or CSV text (gzip: not looked into). */
const sniff = async (path: string): Promise<FileFormat | undefined> => {
  const f = await open(path, 'r')
  try {
    const { bytesRead, buffer } = await f.read(Buffer.alloc(4), 0, 4, 0)
    if (bytesRead >= 4 && buffer.toString('latin1', 0, 4) === 'PAR1') return 'parquet'
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return undefined
    return buffer.toString('utf8', 0, bytesRead).trimStart().startsWith('{') ? 'jsonl' : 'csv'
  } finally {
    await f.close()
  }
}

/** True when the file starts with Parquet's magic number. */
export const hasParquetMagic = async (path: string): Promise<boolean> => {
  if (GLOB.test(path)) return isParquetName(path)
  try {
    return (await sniff(path)) === 'parquet'
  } catch {
    return false
  }
}

/**
 * The format of every input (they must share one), or a message.
 *
 * @category engines
 * @since 0.2.0
 */
export const formatOfFiles = async (paths: ReadonlyArray<string>, given?: FileFormat): Promise<E.Either<string, FileFormat>> => {
  if (given !== undefined) return E.right(given)
  const formats = new Set<FileFormat>()
  for (const p of paths) {
    let f = formatOfName(p)
    if (f === undefined && !GLOB.test(p)) {
      try {
        f = await sniff(p)
      } catch (e) {
        return E.left(`cannot read ${p}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    if (f === undefined) return E.left(`cannot tell the format of ${p}: name it .parquet, .csv or .jsonl (optionally .gz), or give --input-format`)
    formats.add(f)
  }
  if (formats.size > 1) return E.left(`the inputs mix formats (${[...formats].join(', ')}); give them separately`)
  return E.right([...formats][0]!)
}

/**
 * A DuckDB SELECT over the files. Parquet rows carry `tp_file_order` (file, then row), which breaks ties between
 * a user's events at the same time in file order, as the streaming reader does; CSV and JSON lines have no row
 * numbers in DuckDB, so ties there follow the compiler's rule.
 *
 * @category engines
 * @since 0.2.0
 */
export const duckDbFileSource = (paths: ReadonlyArray<string>, format: FileFormat, options: { readonly delimiter?: string } = {}): string => {
  const list = `[${paths.map((p) => duckdb.string(p)).join(', ')}]`
  switch (format) {
    case 'parquet':
      return `SELECT *, CAST(file_index AS DOUBLE) * 1099511627776 + CAST(file_row_number AS DOUBLE) AS tp_file_order FROM read_parquet(${list})`
    case 'csv':
      return `SELECT * FROM read_csv(${list}, header = true, delim = ${duckdb.string(options.delimiter ?? ',')}, quote = '"', escape = '"', union_by_name = true)`
    case 'jsonl':
      return `SELECT * FROM read_json(${list}, format = 'newline_delimited', union_by_name = true)`
  }
}
