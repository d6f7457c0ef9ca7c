/**
 * Pieces several dialects share: literal escaping in its three forms, white space for `trim`, and number
 * formatting. Not part of the public API.
 *
 * @module
 */

/** Every character JavaScript's `String.prototype.trim` removes (the in-process decoders trim with it). */
export const WHITE_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

/**
 * The white space set as an expression of standard SQL: control characters through `chr` (readable, and no line
 * break inside a literal), the others as they are.
 */
export const whiteSpaceByChr = (chr: string): string =>
  `(${standardString(WHITE_SPACE.replace(/[\t\n\v\f\r]/g, ''))} || ${[9, 10, 11, 12, 13].map((c) => `${chr}(${c})`).join(' || ')})`

/** Standard SQL: quotes doubled, nothing else special (DuckDB, Trino, PostgreSQL with standard strings). */
export const standardString = (text: string): string => `'${text.replace(/'/g, "''")}'`

const hex2 = (c: number) => c.toString(16).padStart(2, '0')
const hex4 = (c: number) => c.toString(16).padStart(4, '0')

/**
 * Backslash-escaping dialects (BigQuery, Snowflake, Spark, ClickHouse): backslash and quote escaped, control
 * characters spelled out, so no character of `text` is read as syntax.
 */
export const backslashString =
  (control: 'x' | 'u') =>
  (text: string): string => {
    let out = "'"
    for (const ch of text) {
      const c = ch.codePointAt(0)!
      if (ch === '\\') out += '\\\\'
      else if (ch === "'") out += "\\'"
      else if (ch === '\n') out += '\\n'
      else if (ch === '\r') out += '\\r'
      else if (ch === '\t') out += '\\t'
      else if (c < 0x20 || c === 0x7f) out += control === 'x' ? `\\x${hex2(c)}` : `\\u${hex4(c)}`
      else out += ch
    }
    return `${out}'`
  }

/**
 * A string literal that means `text` whether or not the server reads backslashes as escapes (Redshift,
 * PostgreSQL with `standard_conforming_strings` off): every backslash is `CHR(92)` concatenated in.
 */
export const chrString = (chr: string) => (text: string): string =>
  text.includes('\\') ? `(${text.split('\\').map(standardString).join(` || ${chr}(92) || `)})` : standardString(text)

/** The shortest text that reads back as `x` (finite; checked by the compiler's options). */
export const numberText = (x: number): string => (Object.is(x, -0) ? '0' : String(x))

/** `"name"`: identifier quoting of the SQL standard (the name is validated: it holds no `"`). */
export const doubleQuoted = (part: string): string => `"${part}"`

/** `` `name` `` (BigQuery, Spark, ClickHouse; validated: no backtick). */
export const backQuoted = (part: string): string => `\`${part}\``

/** `CASE WHEN when THEN a ELSE b END` over two literal integer lists, for engines with array literals. */
export const pickList = (when: string, wide: string, narrow: string): string => `CASE WHEN ${when} THEN ${wide} ELSE ${narrow} END`

/**
 * An aggregate over the rows before this one (not counting it) in `partition`, ordered by `orderBy`: the one
 * window frame the window dialects share (standard SQL; every one of them spells it alike).
 */
const overRowsBefore = (aggregate: string, partition: ReadonlyArray<string>, orderBy: ReadonlyArray<string>): string =>
  `${aggregate} OVER (PARTITION BY ${partition.join(', ')} ORDER BY ${orderBy.join(', ')} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`

/** `sumBefore` and `maxBefore` of the window dialects. */
export const ROWS_BEFORE = {
  sumBefore: (x: string, partition: ReadonlyArray<string>, orderBy: ReadonlyArray<string>): string => `COALESCE(${overRowsBefore(`SUM(${x})`, partition, orderBy)}, 0)`,
  maxBefore: (x: string, partition: ReadonlyArray<string>, orderBy: ReadonlyArray<string>): string => overRowsBefore(`MAX(${x})`, partition, orderBy),
} as const
