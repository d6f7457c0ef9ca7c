/**
 * BigQuery (GoogleSQL). Checked by snapshot and parser only (no server installs here). Strings are
 * backslash-escaped (GoogleSQL has no doubled quote), table paths quoted whole (`project.dataset.events_*`).
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { backQuoted, backslashString, numberText, ROWS_BEFORE, WHITE_SPACE } from './standard'

const string = backslashString('x')

/** @category dialect @since 0.2.0 */
export const bigquery: Dialect = {
  name: 'bigquery',
  journeys: 'windows',
  inlineSource: false,
  ident: backQuoted,
  table: (parts) => backQuoted(parts.join('.')),
  string,
  double: (x) => `CAST(${numberText(x)} AS FLOAT64)`,
  text: (x) => `CAST(${x} AS STRING)`,
  toDouble: (x) => `CAST(${x} AS FLOAT64)`,
  split: (text, separator) => `SPLIT(${text}, ${string(separator)})`,
  element: (array, i) => `${array}[SAFE_ORDINAL(${i})]`,
  length: (array) => `ARRAY_LENGTH(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, ${value}, ${position}_0 + 1 AS ${position} FROM ${from} CROSS JOIN UNNEST(${array}) AS ${value} WITH OFFSET AS ${position}_0`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, ${value} FROM ${from} CROSS JOIN UNNEST(IF(${when}, [${wide.join(', ')}], [${narrow.join(', ')}])) AS ${value}`,
  orderedArray: (x, orderBy) => `ARRAY_AGG(${x} ORDER BY ${orderBy.join(', ')})`,
  distinctSorted: (x, separator) => `STRING_AGG(DISTINCT ${x}, ${separator} ORDER BY ${x})`,
  trim: (x) => `TRIM(${x}, ${string(WHITE_SPACE)})`,
  lower: (x) => `LOWER(${x})`,
  ifNull: (x, fallback) => `COALESCE(${x}, ${fallback})`,
  replace: (x, from, to) => `REPLACE(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `POW(2, ${x})`,
  epochMs: (x) => `UNIX_MICROS(${x}) / 1000`,
  ...ROWS_BEFORE,
}
