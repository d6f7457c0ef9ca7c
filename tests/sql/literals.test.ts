/**
 * No user text can change a query's meaning: every literal, in every dialect, is read back by that dialect's
 * lexer (polyglot's tokenizer) as one string holding exactly the text; identifiers that could close their quotes
 * are refused with a named issue, the others quoted into one identifier. tests/engines run the same strings
 * through DuckDB, PostgreSQL and ClickHouse.
 */
import * as poly from '@polyglot-sql/sdk'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { DAY_MS, POSITION_SHAPES } from '../../src/attribution/model'
import { checkAttributionQuery } from '../../src/sql/check'
import { compileAttribution } from '../../src/sql/compile'
import type { DialectName } from '../../src/sql/dialect'
import { DIALECTS } from '../../src/sql/dialects'

const LEXER: Record<DialectName, string> = { duckdb: 'duckdb', postgres: 'postgresql', clickhouse: 'clickhouse', bigquery: 'bigquery', snowflake: 'snowflake', databricks: 'databricks', trino: 'trino', redshift: 'redshift' }

interface Token {
  readonly token_type: string
  readonly text: string
}

const tokens = (sql: string, dialect: DialectName): ReadonlyArray<Token> => {
  const r = poly.tokenize(sql, LEXER[dialect] as never) as unknown as { tokens?: ReadonlyArray<Token> }
  return r.tokens ?? []
}

/** The text a literal stands for, as the dialect's lexer reads it. */
const literalText = (dialect: DialectName, literal: string): string | undefined => {
  const ts = tokens(`SELECT ${literal} AS v`, dialect)
  const body = ts.slice(1, -2)
  if (ts[0]?.token_type !== 'SELECT' || ts.at(-2)?.token_type !== 'AS') return undefined
  if (dialect === 'redshift') {
    // ('a' || CHR(92) || 'b'): strings joined by backslashes
    const strings = body.filter((t) => t.token_type === 'STRING').map((t) => t.text)
    return body.length === 1 ? strings[0] : strings.join('\\')
  }
  if (body.length !== 1) return undefined
  const t = body[0]!
  // polyglot hands E'...' back raw: read its two escapes here (PostgreSQL runs the real thing in tests/engines).
  if (t.token_type === 'ESCAPE_STRING') return t.text.replace(/^E:/, '').replace(/\\(.)/g, '$1')
  if (t.token_type !== 'STRING') return undefined
  // Spark reads \uXXXX in a literal (ParserUtils.unescapeSQLString); polyglot's lexer leaves it as it is.
  return dialect === 'databricks' ? t.text.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : t.text
}

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000')),
  fc.constantFrom("'; DROP TABLE events; --", "\\'", "\\\\'", "a\\", "it''s", '/* x */', '\n--\n', "O'Brien \\ \"quoted\" `back`", '\u2028\u00a0\t', '$$ $tag$ $$'),
)

describe('literals', () => {
  for (const dialect of Object.keys(DIALECTS) as Array<DialectName>) {
    test.prop([nasty], { numRuns: 200 })(`${dialect}: the lexer reads back exactly the text`, (text) => {
      expect(literalText(dialect, DIALECTS[dialect].string(text))).toBe(text)
    })
  }

  it('the check can fail: a naively quoted literal is not read back', () => {
    expect(literalText('bigquery', `'${"it's"}'`)).not.toBe("it's")
    expect(literalText('duckdb', `'${"a'; DROP TABLE t; --"}'`)).not.toBe("a'; DROP TABLE t; --")
  })
})

const base = {
  models: ['first', 'markov'],
  order: 1,
  position: POSITION_SHAPES.u,
  halfLifeMs: 7 * DAY_MS,
  direct: ['direct'],
  input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' },
}

describe('identifiers', () => {
  it.each(['x"; DROP TABLE y; --', 'x`; DROP TABLE y', 'a\\b', 'line\nbreak', 'nul\u0000', '', 'a..b', '.a'])('a table name that could close its quotes is refused: %j', (name) => {
    const r = checkAttributionQuery({ ...base, source: { _tag: 'table', name } })
    expect(E.isLeft(r)).toBe(true)
    if (E.isLeft(r) && r.left._tag === 'InvalidInput') {
      expect(r.left.issues[0]!.path).toBe('source.name')
      expect(r.left.issues[0]!.actual).toBe(name)
    }
  })

  it.each(['path"x', 'p`', 'c\\', 'c\r'])('a column name that could close its quotes is refused: %j', (name) => {
    const r = checkAttributionQuery({ ...base, source: { _tag: 'table', name: 't' }, input: { ...base.input, path: name } })
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues.map((i) => i.path)).toEqual(['input.path'])
  })

  it('odd but harmless names are quoted into single identifiers in every dialect', () => {
    for (const dialect of Object.keys(DIALECTS) as Array<DialectName>) {
      const d = DIALECTS[dialect]
      for (const name of ["my col; DROP TABLE t; --", 'ünïcode', 'a-b', "it's", '$1', 'select']) {
        const ts = tokens(`SELECT ${d.ident(name)} FROM t`, dialect)
        expect({ dialect, name, n: ts.length }).toEqual({ dialect, name, n: 4 })
      }
    }
  })

  it('separator, direct channels and conversion event names go in as literals, in every dialect', () => {
    const evil = "x'); DROP TABLE events; --\\"
    for (const dialect of Object.keys(DIALECTS) as Array<DialectName>) {
      const q = {
        ...base,
        direct: [evil],
        source: { _tag: 'table', name: 'events' },
        input: { _tag: 'events', user: 'u', time: 't', channel: 'c', conversion: 'x', timeType: { _tag: 'timestamp' }, conversionEvents: { column: 'e', names: [evil, 'purchase'] } },
      }
      const sql = compileAttribution(dialect)(q)
      if (E.isLeft(sql)) throw new Error(JSON.stringify(sql.left))
      const literals = tokens(sql.right.sql, dialect).filter((t) => t.token_type === 'STRING' || t.token_type === 'ESCAPE_STRING')
      expect(literals.length).toBeGreaterThan(0)
      expect(tokens(sql.right.sql, dialect).some((t) => t.token_type === 'DROP')).toBe(false)
      const p = compileAttribution(dialect)({ ...base, source: { _tag: 'table', name: 'paths' }, input: { ...base.input, separator: evil } })
      expect(E.isRight(p) && tokens(p.right.sql, dialect).some((t) => t.token_type === 'DROP')).toBe(false)
    }
  })
})
