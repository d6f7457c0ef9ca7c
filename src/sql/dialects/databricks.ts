/**
 * Databricks SQL and Spark SQL (3.3 and later: `try_element_at`). Checked by snapshot and parser only. Spark's
 * `split` takes a Java regular expression, so the separator is quoted as `Pattern.quote` does; strings are
 * backslash-escaped.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { backQuoted, backslashString, numberText, ROWS_BEFORE, WHITE_SPACE } from './standard'

const string = backslashString('u')

/** A Java regular expression matching exactly `text` (java.util.regex.Pattern.quote). */
export const javaQuote = (text: string): string => `\\Q${text.split('\\E').join('\\E\\\\E\\Q')}\\E`

/** @category dialect @since 0.2.0 */
export const databricks: Dialect = {
  name: 'databricks',
  journeys: 'windows',
  lists: {
    map: (a, f) => `transform(${a}, tp_l -> ${f('tp_l')})`,
    some: (a, p) => `exists(${a}, tp_l -> ${p('tp_l')})`,
    lastIndex: (a, p) => `CASE WHEN exists(${a}, tp_l -> ${p('tp_l')}) THEN size(${a}) + 1 - array_position(reverse(transform(${a}, tp_l -> ${p('tp_l')})), true) ELSE 0 END`,
    sortedDistinct: (a, separator) => `array_join(array_sort(array_distinct(${a})), ${string(separator)})`,
  },
  inlineSource: false,
  ident: backQuoted,
  table: (parts) => parts.map(backQuoted).join('.'),
  string,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE)`,
  text: (x) => `CAST(${x} AS STRING)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE)`,
  split: (text, separator) => `split(${text}, ${string(javaQuote(separator))}, -1)`,
  element: (array, i) => `try_element_at(${array}, ${i})`,
  length: (array) => `size(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, ${value}, ${position}_0 + 1 AS ${position} FROM ${from} LATERAL VIEW posexplode(${array}) tp_pe AS ${position}_0, ${value}`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, ${value} FROM ${from} LATERAL VIEW explode(IF(${when}, array(${wide.join(', ')}), array(${narrow.join(', ')}))) tp_fe AS ${value}`,
  orderedArray: (x, orderBy) => `transform(array_sort(collect_list(named_struct('k', ${orderBy.join(', ')}, 'v', ${x}))), tp_s -> tp_s.v)`,
  distinctSorted: (x, separator) => `array_join(array_sort(collect_set(${x})), ${separator})`,
  trim: (x) => `trim(BOTH ${string(WHITE_SPACE)} FROM ${x})`,
  lower: (x) => `lower(${x})`,
  ifNull: (x, fallback) => `coalesce(${x}, ${fallback})`,
  replace: (x, from, to) => `replace(${x}, ${from}, ${to})`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  pow2: (x) => `pow(2, ${x})`,
  epochMs: (x) => `unix_micros(${x}) / 1000`,
  ...ROWS_BEFORE,
}
