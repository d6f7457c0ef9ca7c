/**
 * PostgreSQL (15 tested live; 12 and later): arrays, `string_to_array`, `unnest ... WITH ORDINALITY`. String
 * literals are `E''` strings so that they mean the same whatever `standard_conforming_strings` says. Channel sets
 * are `bit_or` over a `bigint` mask (63 channels, as on DuckDB; ClickHouse has no mask form). Measured
 * (benchmarks/postgresTouches.bench.ts, MODELS=first,participation,shapley, 1M events): 0.93x the lists' backend CPU.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { doubleQuoted, numberText, ROWS_BEFORE, whiteSpaceByChr } from './standard'

/** `E'...'`: backslash and quote escaped; the same text under either setting of standard_conforming_strings. */
const eString = (text: string): string => `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`

/** @category dialect @since 0.2.0 */
export const postgres: Dialect = {
  name: 'postgres',
  journeys: 'windows',
  // Measured (benchmarks/postgresTouches.bench.ts): one row per touch takes less of the server's time than arrays per journey.
  touchesByWindows: true,
  setMasks: {
    bitOr: (x) => `bit_or(${x})`,
    // PostgreSQL shifts a bigint by an integer only (the dictionary's bit is a bigint).
    bit: (i) => `(CAST(1 AS BIGINT) << CAST(${i} AS INTEGER))`,
    hasBit: (mask, i) => `((${mask} >> CAST(${i} AS INTEGER)) & 1) = 1`,
    // No TRY_CAST: digits only (nested CASE, which PostgreSQL evaluates in order), and within bigint's range.
    toMask: (text) =>
      `(CASE WHEN ${text} ~ ${eString('^-?[0-9]{1,19}$')} THEN (CASE WHEN CAST(${text} AS NUMERIC) BETWEEN -9223372036854775808 AND 9223372036854775807 THEN CAST(${text} AS BIGINT) END) END)`,
    // No error(): a failing cast whose message quotes the text. The sub-select keeps the planner from folding the
    // constant cast (and failing) while it plans; it is evaluated only where it is reached.
    fail: (message) => `CAST((SELECT ${eString(message)}) AS INTEGER)`,
    materialized: 'MATERIALIZED ',
  },
  inlineSource: false,
  ident: doubleQuoted,
  table: (parts) => parts.map(doubleQuoted).join('.'),
  string: eString,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE PRECISION)`,
  text: (x) => `CAST(${x} AS TEXT)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE PRECISION)`,
  split: (text, separator) => `string_to_array(${text}, ${eString(separator)})`,
  element: (array, i) => `(${array})[${i}]`,
  length: (array) => `cardinality(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, tp_e.${value}, tp_e.${position} FROM ${from} CROSS JOIN LATERAL unnest(${array}) WITH ORDINALITY AS tp_e(${value}, ${position})`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, tp_f.${value} FROM ${from} CROSS JOIN LATERAL unnest(CASE WHEN ${when} THEN ARRAY[${wide.join(', ')}] ELSE ARRAY[${narrow.join(', ')}] END) AS tp_f(${value})`,
  orderedArray: (x, orderBy) => `array_agg(${x} ORDER BY ${orderBy.join(', ')})`,
  distinctSorted: (x, separator) => `string_agg(DISTINCT ${x}, ${separator} ORDER BY ${x})`,
  trim: (x) => `btrim(${x}, ${whiteSpaceByChr('chr')})`,
  lower: (x) => `lower(${x})`,
  ifNull: (x, fallback) => `COALESCE(${x}, ${fallback})`,
  replace: (x, from, to) => `replace(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `power(CAST(2 AS DOUBLE PRECISION), ${x})`,
  epochMs: (x) => `CAST(EXTRACT(EPOCH FROM ${x}) * 1000 AS DOUBLE PRECISION)`,
  ...ROWS_BEFORE,
}
