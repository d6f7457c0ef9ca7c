/**
 * Reading a side file (the report's costs and surveys): small CSV text read whole, one header row whose columns
 * are found by name in any letter case, then data rows. What every such file shares lives here: the options
 * check, the BOM, malformed records, blank lines, the header (required columns, none given twice) and rows of the
 * wrong width, each a located issue; the caller reads the cells of each good row.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { csvReader, isCsvProblem } from '../../core/csv'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { isRecord } from '../../core/guards'
import { repeatedColumns } from './rows'

/**
 * What a side file is: its columns and how its rows are read.
 *
 * @internal
 */
export interface SideCsv<C> {
  /** The expectation shown when the options are no object (`an object such as { delimiter: ";" }`). */
  readonly optionsExpected: string
  /** Issues of the options other than `delimiter`, reported beside its own. */
  readonly otherOptions?: (options: Readonly<Record<string, unknown>>) => ReadonlyArray<Issue>
  /**
   * The columns from the header (cells trimmed and lower-cased), with the indexes of the names that must not
   * appear twice; or the issues that refuse the header (`line` and `text` to locate them).
   */
  readonly columns: (header: ReadonlyArray<string>, line: number, text: string) => E.Either<ReadonlyArray<Issue>, { readonly columns: C; readonly named: ReadonlyArray<number> }>
  /** The expectation when the text has no header row. */
  readonly headerExpected: string
  /** One data row of the header's width: its issues go to `issues` (located by `line`). */
  readonly row: (fields: ReadonlyArray<string>, line: number, columns: C, issues: Array<Issue>) => void
}

const isDelimiter = (d: unknown): boolean => typeof d === 'string' && d.length === 1 && d !== '"' && d !== '\n' && d !== '\r'

/**
 * Read `text` as the side file `spec` describes: `Right` with its columns once every row was read without an
 * issue, else `Left` with every issue in line order (from plain JavaScript too: text or options that are none).
 *
 * @internal
 */
export const readSideCsv = <C>(spec: SideCsv<C>, text: unknown, options: unknown): E.Either<TouchpointError, C> => {
  if (typeof text !== 'string') return E.left(invalidInput([issue('text', 'CSV text (a string)', text)]))
  if (!isRecord(options)) return E.left(invalidInput([issue('options', spec.optionsExpected, options)]))
  const d = options['delimiter']
  const bad: Array<Issue> = []
  if (d !== undefined && !isDelimiter(d)) bad.push(issue('options.delimiter', 'one character other than a quote or a line break', d))
  bad.push(...(spec.otherOptions?.(options) ?? []))
  if (bad.length > 0) return E.left(invalidInput(bad))
  const reader = csvReader(typeof d === 'string' ? { delimiter: d } : {})
  const records = [...reader.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...reader.end()]
  const issues: Array<Issue> = []
  let found: { readonly columns: C; readonly width: number } | undefined
  for (const r of records) {
    if (isCsvProblem(r)) {
      issues.push({ path: '', expected: 'a well-formed CSV record', actual: r.error, line: r.line })
      continue
    }
    if (r.fields.length === 1 && r.fields[0]!.trim() === '') continue
    if (found === undefined) {
      const header = r.fields.map((h) => h.trim().toLowerCase())
      const columns = spec.columns(header, r.line, r.fields.join(','))
      if (E.isLeft(columns)) return E.left(invalidInput(columns.left))
      // A column read twice would be taken from its first copy without a word: refuse it, naming it.
      const repeated = repeatedColumns(header, columns.right.named, r.line, r.fields.join(','))
      if (repeated.length > 0) return E.left(invalidInput([...repeated]))
      found = { columns: columns.right.columns, width: header.length }
      continue
    }
    if (r.fields.length !== found.width) {
      issues.push({ path: '', expected: `${found.width} fields`, actual: r.fields.join(','), line: r.line })
      continue
    }
    spec.row(r.fields, r.line, found.columns, issues)
  }
  if (found === undefined) return E.left(invalidInput([{ path: 'header', expected: spec.headerExpected, actual: '', line: 1 }]))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(found.columns)
}
