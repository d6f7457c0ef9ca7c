/**
 * Files as a DuckDB source: CSV, JSON lines and Parquet, plain or gzip, one file or many or a glob, read by
 * DuckDB directly (out of core, in any order). The format comes from the name, else from the first bytes.
 *
 * @module
 */
import { open } from 'node:fs/promises'
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { formatOfFile, formatOfLine, startsWithParquetMagic } from '../files/format'
import { duckdb } from '../sql/dialects'

/**
 * @category engines
 * @since 0.2.0
 */
export type FileFormat = 'parquet' | 'csv' | 'jsonl'

const GLOB = /[*?[]/

const FORMATS: ReadonlyArray<string> = ['parquet', 'csv', 'jsonl']
const FORMAT_EXPECTED = '"parquet", "csv" or "jsonl"'

/** A file name or glob that names Parquet (which the streaming reader cannot read); false for what is no text. */
export const isParquetName = (path: string): boolean => typeof path === 'string' && /\.parquet$/i.test(path)

/** The format a name says, if it says one. */
const formatOfName = (path: string): FileFormat | undefined => {
  const p = path.toLowerCase().replace(/\.(gz|gzip)$/, '')
  if (p.endsWith('.parquet')) return 'parquet'
  return formatOfFile(path)
}

/** The format from the first bytes: Parquet's magic number, else a JSON object or CSV text (gzip: not looked into). */
const sniff = async (path: string): Promise<FileFormat | undefined> => {
  const f = await open(path, 'r')
  try {
    const { bytesRead, buffer } = await f.read(Buffer.alloc(4), 0, 4, 0)
    if (startsWithParquetMagic(buffer.toString('latin1', 0, bytesRead))) return 'parquet'
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return undefined
    return formatOfLine(buffer.toString('utf8', 0, bytesRead)) ?? 'csv'
  } finally {
    await f.close()
  }
}

/** True when the file starts with Parquet's magic number; false for what is no file name or cannot be read. */
export const hasParquetMagic = async (path: string): Promise<boolean> => {
  if (typeof path !== 'string' || path === '') return false
  if (GLOB.test(path)) return isParquetName(path)
  try {
    return (await sniff(path)) === 'parquet'
  } catch {
    return false
  }
}

const pathsIssues = (paths: unknown): ReadonlyArray<Issue> => {
  if (!Array.isArray(paths) || paths.length === 0) return [issue('paths', 'one file name or glob or more (a non-empty list of texts)', paths)]
  const i = paths.findIndex((p: unknown) => typeof p !== 'string' || p === '' || p.includes('\u0000'))
  return i < 0 ? [] : [issue(`paths[${i}]`, 'a file name or glob (non-empty text)', paths[i])]
}

/**
 * The format of every input (they must share one), or an `InvalidInput` Left naming the path it cannot read or
 * tell, or `paths` when they mix formats. `given` (the CLI's --input-format) wins when present.
 *
 * @category engines
 * @since 0.2.0
 */
export const formatOfFiles = async (paths: ReadonlyArray<string>, given?: FileFormat): Promise<E.Either<TouchpointError, FileFormat>> => {
  if (given !== undefined && !FORMATS.includes(given)) return E.left(invalidInput([issue('given', FORMAT_EXPECTED, given)]))
  const bad = pathsIssues(paths)
  if (bad.length > 0) return E.left(invalidInput(bad))
  if (given !== undefined) return E.right(given)
  const formats = new Set<FileFormat>()
  for (const [i, p] of paths.entries()) {
    let f = formatOfName(p)
    if (f === undefined && !GLOB.test(p)) {
      try {
        f = await sniff(p)
      } catch (e) {
        const code = (e as { readonly code?: unknown }).code
        return E.left(invalidInput([issue(`paths[${i}]`, `a file that can be read (${typeof code === 'string' ? code : e instanceof Error ? e.message : 'unreadable'})`, p)]))
      }
    }
    if (f === undefined) return E.left(invalidInput([issue(`paths[${i}]`, 'a name that tells the format: .parquet, .csv or .jsonl (optionally .gz), or give --input-format', p)]))
    formats.add(f)
  }
  if (formats.size > 1) return E.left(invalidInput([issue('paths', `files of one format (give them separately); these mix ${[...formats].join(', ')}`, paths)]))
  return E.right([...formats][0]!)
}

/**
 * A DuckDB SELECT over the files, or an `InvalidInput` Left naming `paths`, `format` or `options.delimiter`.
 * Parquet rows carry `tp_file_order` (file, then row), which breaks ties between a user's events at the same time
 * in file order, as the streaming reader does; CSV and JSON lines have no row numbers in DuckDB, so ties there
 * follow the compiler's rule.
 *
 * @example
 * duckDbFileSource(['examples/paths.parquet'], 'parquet')
 * // => right("SELECT *, CAST(file_index AS DOUBLE) * 1099511627776 + CAST(file_row_number AS DOUBLE) AS tp_file_order FROM read_parquet(['examples/paths.parquet'])")
 *
 * @category engines
 * @since 0.2.0
 */
export const duckDbFileSource = (paths: ReadonlyArray<string>, format: FileFormat, options: { readonly delimiter?: string } = {}): E.Either<TouchpointError, string> => {
  const bad = [...pathsIssues(paths)]
  if (!FORMATS.includes(format)) bad.push(issue('format', FORMAT_EXPECTED, format))
  if (!isRecord(options) || Array.isArray(options)) bad.push(issue('options', 'options: { delimiter }', options))
  else if (options.delimiter !== undefined && !(typeof options.delimiter === 'string' && [...options.delimiter].length === 1 && options.delimiter !== '\u0000'))
    bad.push(issue('options.delimiter', 'one character', options.delimiter))
  if (bad.length > 0) return E.left(invalidInput(bad))
  const list = `[${paths.map((p) => duckdb.string(p)).join(', ')}]`
  // Columns matched by name across files; one file has nothing to match, and the option only costs time there.
  const byName = paths.length > 1 ? ', union_by_name = true' : ''
  switch (format) {
    case 'parquet':
      return E.right(`SELECT *, CAST(file_index AS DOUBLE) * 1099511627776 + CAST(file_row_number AS DOUBLE) AS tp_file_order FROM read_parquet(${list})`)
    case 'csv':
      return E.right(`SELECT * FROM read_csv(${list}, header = true, delim = ${duckdb.string(options.delimiter ?? ',')}, quote = '"', escape = '"'${byName})`)
    case 'jsonl':
      return E.right(`SELECT * FROM read_json(${list}, format = 'newline_delimited'${byName})`)
  }
}
