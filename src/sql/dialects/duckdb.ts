/**
 * DuckDB (1.x): lists, `string_split`, and select-list `unnest` with `generate_subscripts` for positions (on
 * DuckDB 1.5 about ten times faster than `UNNEST ... WITH ORDINALITY`, see shared/reference/engines.md).
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { doubleQuoted, numberText, pickList, ROWS_BEFORE, standardString, whiteSpaceByChr } from './standard'

const ASCII_SPACE = `(' ' || ${[9, 10, 11, 12, 13].map((c) => `chr(${c})`).join(' || ')})`

/** @category dialect @since 0.2.0 */
export const duckdb: Dialect = {
  name: 'duckdb',
  journeys: 'windows',
  touchesByWindows: true,
  argMin: (x, key) => `arg_min(${x}, ${key})`,
  setMasks: {
    bitOr: (x) => `bit_or(${x})`,
    bit: (i) => `(CAST(1 AS BIGINT) << ${i})`,
    hasBit: (mask, i) => `((${mask} >> ${i}) & 1) = 1`,
    toMask: (text) => `TRY_CAST(${text} AS BIGINT)`,
    fail: (message) => `error(${standardString(message)})`,
    materialized: 'MATERIALIZED ',
  },
  lists: {
    map: (a, f) => `list_transform(${a}, tp_l -> ${f('tp_l')})`,
    some: (a, p) => `list_bool_or(list_transform(${a}, tp_l -> ${p('tp_l')}))`,
    lastIndex: (a, p) => `coalesce(len(${a}) + 1 - nullif(list_position(list_reverse(list_transform(${a}, tp_l -> ${p('tp_l')})), true), 0), 0)`,
    sortedDistinct: (a, separator) => `array_to_string(list_sort(list_distinct(${a})), ${standardString(separator)})`,
  },
  inlineSource: false,
  ident: doubleQuoted,
  table: (parts) => parts.map(doubleQuoted).join('.'),
  string: standardString,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE)`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE)`,
  split: (text, separator) => `string_split(${text}, ${standardString(separator)})`,
  element: (array, i) => `${array}[${i}]`,
  length: (array) => `len(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, unnest(${array}) AS ${value}, generate_subscripts(${array}, 1) AS ${position} FROM ${from}`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, unnest(${pickList(when, `[${wide.join(', ')}]`, `[${narrow.join(', ')}]`)}) AS ${value} FROM ${from}`,
  orderedArray: (x, orderBy) => `list(${x} ORDER BY ${orderBy.join(', ')})`,
  distinctSorted: (x, separator) => `array_to_string(list_sort(list_distinct(list(${x}))), ${separator})`,
  // DuckDB's trim with a set of multi-byte characters is about ten times slower than with single bytes: ASCII-only
  // text (byte length = character length) is trimmed of the ASCII white space, the rest of the whole set.
  trim: (x) => `(CASE WHEN strlen(${x}) = length(${x}) THEN trim(${x}, ${ASCII_SPACE}) ELSE trim(${x}, ${whiteSpaceByChr('chr')}) END)`,
  lower: (x) => `lower(${x})`,
  ifNull: (x, fallback) => `COALESCE(${x}, ${fallback})`,
  replace: (x, from, to) => `replace(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `pow(2, ${x})`,
  epochMs: (x) => `CAST(epoch_us(${x}) AS DOUBLE) / 1000`,
  ...ROWS_BEFORE,
}
