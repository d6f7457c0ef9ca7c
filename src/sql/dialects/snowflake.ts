/**
 * Snowflake. Checked by snapshot and parser only. A simple name is written unquoted, so Snowflake resolves it
 * case-insensitively as it does for tables created without quotes (`events` finds `EVENTS`); a reserved word is
 * quoted in upper case, any other name quoted exactly.
 *
 * @module
 */
import type { Dialect } from '../dialect'
import { backslashString, doubleQuoted, numberText, ROWS_BEFORE, WHITE_SPACE } from './standard'

const string = backslashString('x')

/** Snowflake's reserved keywords (docs.snowflake.com, "Reserved & limited keywords"). */
const RESERVED = new Set(
  'ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH'.split(' '),
)

const ident = (part: string): string =>
  /^[A-Za-z_][A-Za-z0-9_$]*$/.test(part) ? (RESERVED.has(part.toUpperCase()) ? doubleQuoted(part.toUpperCase()) : part) : doubleQuoted(part)

/** @category dialect @since 0.2.0 */
export const snowflake: Dialect = {
  name: 'snowflake',
  journeys: 'windows',
  inlineSource: false,
  ident,
  table: (parts) => parts.map(ident).join('.'),
  string,
  double: (x) => `CAST(${numberText(x)} AS DOUBLE)`,
  text: (x) => `CAST(${x} AS VARCHAR)`,
  toDouble: (x) => `CAST(${x} AS DOUBLE)`,
  split: (text, separator) => `SPLIT(${text}, ${string(separator)})`,
  element: (array, i, type) => `CAST(GET(${array}, ${i} - 1) AS ${type === 'text' ? 'VARCHAR' : 'DOUBLE'})`,
  length: (array) => `ARRAY_SIZE(${array})`,
  explode: (columns, from, array, value, position) =>
    `SELECT ${columns}, CAST(tp_fl.VALUE AS VARCHAR) AS ${value}, tp_fl.INDEX + 1 AS ${position} FROM ${from}, LATERAL FLATTEN(INPUT => ${array}) AS tp_fl`,
  fanOut: (columns, from, when, wide, narrow, value) =>
    `SELECT ${columns}, CAST(tp_ff.VALUE AS INTEGER) AS ${value} FROM ${from}, LATERAL FLATTEN(INPUT => IFF(${when}, ARRAY_CONSTRUCT(${wide.join(', ')}), ARRAY_CONSTRUCT(${narrow.join(', ')}))) AS tp_ff`,
  orderedArray: (x, orderBy) => `ARRAY_AGG(${x}) WITHIN GROUP (ORDER BY ${orderBy.join(', ')})`,
  distinctSorted: (x, separator) => `LISTAGG(DISTINCT ${x}, ${separator}) WITHIN GROUP (ORDER BY ${x})`,
  trim: (x) => `TRIM(${x}, ${string(WHITE_SPACE)})`,
  lower: (x) => `LOWER(${x})`,
  ifNull: (x, fallback) => `COALESCE(${x}, ${fallback})`,
  replace: (x, from, to) => `REPLACE(${x}, ${from}, ${to})`,
  concat: (parts) => parts.join(' || '),
  pow2: (x) => `POWER(2, ${x})`,
  epochMs: (x) => `DATE_PART(EPOCH_MICROSECOND, ${x}) / 1000`,
  ...ROWS_BEFORE,
}
