/**
 * What both row decoders share: one cell through its io-ts codec (the error route), the width, missing and
 * repeated column issues, and header and JSON field lookup. Split from rows.ts.
 *
 * @module
 */
import * as t from 'io-ts'
import { type Issue } from '../../core/errors'
import { fieldTexts, type FieldView } from './fields'

// Success never reads the context, failure rebuilds the issue from the column name: a static context keeps the
// per-cell cost of io-ts to the validation itself.
const CONTEXT: t.Context = [{ key: '', type: t.unknown, actual: undefined }]

/** A cell through its codec; a failure adds an issue named after the column. */
export const cell = <A>(codec: t.Decoder<unknown, A>, value: unknown, column: string, line: number, issues: Array<Issue>): A | undefined => {
  const r = codec.validate(value, CONTEXT)
  if (r._tag === 'Right') return r.right
  issues.push({ path: column, expected: r.left[0]?.message ?? codec.name, actual: value, line })
  return undefined
}

/** The issue of a CSV record that does not have the header's width. */
export const widthIssue = (header: ReadonlyArray<string>, v: FieldView, line: number): Issue => ({
  path: '',
  expected: `${header.length} fields (${header.join(', ')})`,
  actual: `${v.count} field${v.count === 1 ? '' : 's'}: ${fieldTexts(v).join(',')}`,
  line,
})

/** The issue of a header that lacks a column. */
export const missingColumn = (names: ReadonlyArray<string>, header: ReadonlyArray<string>, line: number): Issue => ({
  path: 'header',
  expected: `a column named ${names.map((n) => JSON.stringify(n)).join(' or ')}`,
  actual: header.join(','),
  line,
})

/**
 * The issues of columns read that the header names twice, in header order: which copy holds the data cannot be
 * told, and taking the first without a word is how a wrong answer starts. `read` holds the columns' indexes (-1:
 * absent); `shown` is the header as the file has it (the journey readers and the costs CSV share this check).
 *
 * @internal
 */
export const repeatedColumns = (header: ReadonlyArray<string>, read: ReadonlyArray<number>, line: number, shown: string = header.join(',')): ReadonlyArray<Issue> =>
  [...new Set(read.filter((i) => i >= 0).sort((a, b) => a - b).map((i) => header[i]!))]
    .filter((name) => header.indexOf(name) !== header.lastIndexOf(name))
    .map((name) => ({ path: 'header', expected: `the column ${JSON.stringify(name)} once (it is read; rename or drop the other copy)`, actual: shown, line }))

/**
 * Where a column sits in a header: its exact name, else (a dotted name) the name with `_` for `.`, as flattened
 * exports write `collected_traffic_source.manual_source`; -1 when absent.
 *
 * @category reading
 * @since 0.2.0
 */
export const columnIndex = (header: ReadonlyArray<string>, name: string): number => {
  const i = header.indexOf(name)
  return i >= 0 || !name.includes('.') ? i : header.indexOf(name.replace(/\./g, '_'))
}

/**
 * A field of a JSON object: its own property `name`, else (a dotted name) the nested field, as BigQuery's JSON
 * export writes GA4's records (`{"collected_traffic_source": {"manual_source": "google"}}`).
 *
 * @category reading
 * @since 0.2.0
 */
export const jsonField = (o: Readonly<Record<string, unknown>>, name: string): unknown => {
  if (Object.prototype.hasOwnProperty.call(o, name)) return o[name]
  if (!name.includes('.')) return undefined
  let at: unknown = o
  for (const part of name.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, part)) return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

/**
 * The header of a CSV file, trimmed.
 *
 * @category reading
 * @since 0.2.0
 */
export const headerOf = (v: FieldView): ReadonlyArray<string> => fieldTexts(v).map((h) => h.trim())
