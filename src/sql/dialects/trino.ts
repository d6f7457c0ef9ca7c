/**
 * Trino, Presto and Amazon Athena (engine v3). Checked by snapshot and parser only. Standard strings (no
 * backslash escapes), `UNNEST ... WITH ORDINALITY`.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { doubleQuoted, numberText, ROWS_BEFORE, standardString, whiteSpaceByChr } from './standard'

/** @category dialect @since 0.2.0 */
export const trino: Dialect = {
  name: 'trino',
  journeys: 'windows',
  lists: {
    map: (a, f) => `transform(${a}, tp_l -> ${f('tp_l')})`,
    some: (a, p) => `any_match(${a}, tp_l -> ${p('tp_l')})`,
    lastIndex: (a, p) => `CASE WHEN any_match(${a}, tp_l -> ${p('tp_l')}) THEN cardinality(${a}) + 1 - array_position(reverse(transform(${a}, tp_l -> ${p('tp_l')})), true) ELSE 0 END`,
    sortedDistinct: (a, separator) => `array_join(array_sort(array_distinct(${a})), ${standardString(separator)})`,
  },
  inlineSource: false,
  ident: doubleQuoted,
  table: (parts) => parts.map(doubleQuoted).join('.'),
  string: standardString,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE)`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE)`,
  split: (text, separator) => `split(${text}, ${standardString(separator)})`,
  element: (array, i) => `element_at(${array}, ${i})`,
  length: (array) => `cardinality(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, ${value}, ${position} FROM ${from} CROSS JOIN UNNEST(${array}) WITH ORDINALITY AS tp_u(${value}, ${position})`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, ${value} FROM ${from} CROSS JOIN UNNEST(IF(${when}, ARRAY[${wide.join(', ')}], ARRAY[${narrow.join(', ')}])) AS tp_f(${value})`,
  orderedArray: (x, orderBy) => `array_agg(${x} ORDER BY ${orderBy.join(', ')})`,
  distinctSorted: (x, separator) => `array_join(array_sort(array_distinct(array_agg(${x}))), ${separator})`,
  trim: (x) => `trim(BOTH ${whiteSpaceByChr('chr')} FROM ${x})`,
  lower: (x) => `lower(${x})`,
  ifNull: (x, fallback) => `coalesce(${x}, ${fallback})`,
  replace: (x, from, to) => `replace(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `power(2, ${x})`,
  epochMs: (x) => `to_unixtime(${x}) * 1000`,
  ...ROWS_BEFORE,
}
