/**
 * Amazon Redshift. Checked by snapshot and parser only. Arrays are SUPER (`SPLIT_TO_ARRAY`, PartiQL unnesting
 * with `AT` for the position); Redshift has no ordered array aggregate, so a journey's array is an ordered
 * `LISTAGG` split again (encoded channel names and times never contain `>`; a journey longer than LISTAGG's
 * 64 KB fails). Backslashes in literals are `CHR(92)`, whatever the server reads them as.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { chrString, doubleQuoted, numberText, ROWS_BEFORE, whiteSpaceByChr } from './standard'

const string = chrString('CHR')

/** @category dialect @since 0.2.0 */
export const redshift: Dialect = {
  name: 'redshift',
  journeys: 'windows',
  inlineSource: false,
  ident: doubleQuoted,
  table: (parts) => parts.map(doubleQuoted).join('.'),
  string,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE PRECISION)`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE PRECISION)`,
  split: (text, separator) => `SPLIT_TO_ARRAY(${text}, ${string(separator)})`,
  element: (array, i, type) => `CAST(${array}[${i} - 1] AS ${type === 'text' ? 'VARCHAR' : 'DOUBLE PRECISION'})`,
  length: (array) => `GET_ARRAY_LENGTH(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, CAST(tp_ux AS VARCHAR) AS ${value}, tp_ui + 1 AS ${position} FROM (SELECT * FROM ${from}) AS tp_rs, tp_rs.${array} AS tp_ux AT tp_ui`,
  fanOut: (columns, from, when, wide, narrow, value) => {
    const all = [...new Set([...wide, ...narrow])].sort((a, b) => a - b)
    return `SELECT ${columns}, tp_fan.${value} FROM ${from} CROSS JOIN (${all.map((e) => `SELECT ${e} AS ${value}`).join(' UNION ALL ')}) AS tp_fan WHERE (${when} AND tp_fan.${value} IN (${wide.join(', ')})) OR (NOT (${when}) AND tp_fan.${value} IN (${narrow.join(', ')}))`
  },
  orderedArray: (x, orderBy) => `SPLIT_TO_ARRAY(LISTAGG(CAST(${x} AS VARCHAR), '>') WITHIN GROUP (ORDER BY ${orderBy.join(', ')}), '>')`,
  distinctSorted: (x, separator) => `LISTAGG(DISTINCT ${x}, ${separator}) WITHIN GROUP (ORDER BY ${x})`,
  trim: (x) => `BTRIM(${x}, ${whiteSpaceByChr('CHR')})`,
  lower: (x) => `LOWER(${x})`,
  ifNull: (x, fallback) => `COALESCE(${x}, ${fallback})`,
  replace: (x, from, to) => `REPLACE(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `POWER(2, ${x})`,
  epochMs: (x) => `CAST(DATEDIFF(microsecond, TIMESTAMP '1970-01-01 00:00:00', ${x}) AS DOUBLE PRECISION) / 1000`,
  ...ROWS_BEFORE,
}
