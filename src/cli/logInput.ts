/**
 * Exposure and event logs read from files for the in-process engine: CSV or JSON lines, plain or gzip (found by
 * the magic number), streamed record by record through the UTF-8 checked text readers. The first record names
 * the columns (a CSV header, or the first object's keys); every record after it goes to `row` with its line.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { issue, type Issue } from '../core/errors'
import { parseJson } from '../core/json'
import { formatOf, headOf, startsWithParquetMagic } from '../files/inputs'
import { fileBytes } from '../files/source'
import { decodeUtf8, readCsv, readLines, isCsvProblem, type TextOptions, type TextTally } from './textInput'

/** How a log file is read. */
export interface LogReadOptions extends TextOptions {
  readonly format?: 'csv' | 'jsonl'
  readonly delimiter?: string
}

/** What is done with each record: `columns` once, then `row` per record; an issue stops the read. */
export interface LogVisitor {
  /** The columns (CSV: the header; JSON lines: the first object's fields), and the format the file was read in. */
  readonly columns: (names: ReadonlyArray<string>, format: 'csv' | 'jsonl') => Issue | undefined
  readonly row: (cells: ReadonlyArray<string> | Readonly<Record<string, unknown>>, line: number) => Issue | undefined
}

/** Counts of what a read saw. */
export interface LogReadResult {
  readonly records: number
}

const at = (file: string, i: Issue): Issue => ({ ...i, file: file === '-' ? '<stdin>' : file })

/**
 * Reads one log file through `visit`; `Left` with the first issue (its file and line set), or the count of records.
 * A file that cannot be opened or decompressed is an issue too.
 */
export const readLog = async (path: string, options: LogReadOptions, tally: TextTally, visit: LogVisitor): Promise<E.Either<Issue, LogReadResult>> => {
  let head
  try {
    head = await headOf(path)
  } catch (e) {
    return E.left(at(path, issue('', 'a readable CSV or JSON lines file, plain or gzip', e instanceof Error ? e.message : String(e))))
  }
  // Parquet starts with the magic number PAR1; read as text it would fail on a garbled header.
  if (!head.compressed && startsWithParquetMagic(head.first)) {
    return E.left(at(path, issue('', 'a CSV or JSON lines file, plain or gzip (Parquet is read through DuckDB, which this command does not use yet: export the table as CSV or JSON lines)', 'a Parquet file')))
  }
  // Given, else from the extension, else JSON lines when the first line opens an object.
  const format = formatOf(path, head.first ?? '', options.format) ?? 'csv'
  const text = decodeUtf8(fileBytes(path), path, options, tally)
  let records = 0
  let named = false
  if (format === 'csv') {
    for await (const r of readCsv(text, options.delimiter === undefined ? {} : { delimiter: options.delimiter })) {
      if (isCsvProblem(r)) return E.left(at(path, { ...issue('', 'a CSV record', r.error), line: r.line }))
      if (!named) {
        named = true
        const bad = visit.columns(r.fields.map((f) => f.trim()), format)
        if (bad !== undefined) return E.left(at(path, { ...bad, line: r.line }))
        continue
      }
      if (r.fields.length === 1 && r.fields[0]!.trim() === '') continue
      records++
      const bad = visit.row(r.fields, r.line)
      if (bad !== undefined) return E.left(at(path, bad))
    }
  } else {
    for await (const { line, text: raw } of readLines(text)) {
      const parsed = parseJson(raw)
      if (E.isLeft(parsed)) {
        const first = parsed.left._tag === 'InvalidInput' ? parsed.left.issues[0] : undefined
        return E.left(at(path, { ...issue(first?.path ?? '', first?.expected ?? 'a JSON object', first?.actual), line }))
      }
      const o = parsed.right
      if (o === null || typeof o !== 'object' || Array.isArray(o)) return E.left(at(path, { ...issue('', 'a JSON object per line', o), line }))
      if (!named) {
        named = true
        const bad = visit.columns(Object.keys(o), format)
        if (bad !== undefined) return E.left(at(path, { ...bad, line }))
      }
      records++
      const bad = visit.row(o as Readonly<Record<string, unknown>>, line)
      if (bad !== undefined) return E.left(at(path, bad))
    }
  }
  if (!named) return E.left(at(path, issue('', format === 'csv' ? 'a header row, then one record per line' : 'one JSON object per line', 'an empty file')))
  return E.right({ records })
}
