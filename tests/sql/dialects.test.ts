/**
 * The SQL of the dialects that cannot run here (BigQuery, Snowflake, Databricks, Trino/Athena, Redshift): file
 * snapshots (tests/sql/__snapshots__/*.sql, reviewed as SQL) and a parser check with @polyglot-sql/sdk, which
 * parses every dialect touchpoint writes. DuckDB and PostgreSQL are checked too, as controls of the checker
 * (they also run live in tests/engines). ClickHouse runs live only: the checker's WebAssembly parser stops at 32
 * levels of nesting.
 *
 * Why polyglot and not node-sql-parser: node-sql-parser 5.4 rejected every query we emit, valid DuckDB and
 * PostgreSQL ones included (array subscripts, UNNEST ... WITH OFFSET, LATERAL FLATTEN, window frames), and has
 * no Spark/Databricks grammar. polyglot's semantic mode also catches columns neither grouped nor aggregated (E230),
 * the mistake a query builder makes; it is lenient about dialect-specific syntax (it accepts UNNEST WITH ORDINALITY
 * in Databricks), which the snapshots cover, and its grouping check does nothing in PostgreSQL mode (which runs live).
 */
import * as poly from '@polyglot-sql/sdk'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { DAY_MS, MODEL_NAMES, POSITION_SHAPES } from '../../src/attribution/model'
import { compileAttribution } from '../../src/sql/compile'
import type { DialectName } from '../../src/sql/dialect'
import { duckdb } from '../../src/sql/dialects'
import type { AttributionQuery } from '../../src/sql/model'

const common = { order: 2, position: POSITION_SHAPES.u, halfLifeMs: 7 * DAY_MS, direct: ['direct'] }

export const SAMPLE_QUERIES: Readonly<Record<string, AttributionQuery>> = {
  paths: {
    ...common,
    models: MODEL_NAMES.filter((m) => m !== 'time_decay'),
    source: { _tag: 'table', name: 'analytics.paths' },
    input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null', separator: ' > ' },
  },
  events: {
    ...common,
    models: [...MODEL_NAMES],
    source: { _tag: 'table', name: 'analytics.events' },
    input: {
      _tag: 'events',
      user: 'user_pseudo_id',
      time: 'event_timestamp',
      channel: 'source',
      conversion: 'conversion',
      value: 'value',
      timeType: { _tag: 'epoch', unit: 'us' },
      conversionEvents: { column: 'event_name', names: ['purchase'] },
      lookbackMs: 30 * DAY_MS,
    },
  },
}

const sqlOf = (dialect: DialectName, q: AttributionQuery): string => {
  const c = compileAttribution(dialect)(q)
  if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
  return c.right.sql
}

const POLYGLOT: Partial<Record<DialectName, string>> = { bigquery: 'bigquery', snowflake: 'snowflake', databricks: 'databricks', trino: 'trino', redshift: 'redshift', duckdb: 'duckdb', postgres: 'postgresql' }

// polyglot 0.12 reports the ORDER BY inside LISTAGG/ARRAY_AGG ... WITHIN GROUP (...) as an ungrouped column
// (a false positive): those two dialects get the strict syntax check without the semantic one.
const SEMANTIC: ReadonlySet<DialectName> = new Set(['bigquery', 'databricks', 'trino', 'duckdb', 'postgres'])

describe('dialect SQL', () => {
  for (const [dialect, name] of Object.entries(POLYGLOT) as Array<[DialectName, string]>) {
    for (const [kind, q] of Object.entries(SAMPLE_QUERIES)) {
      it(`${dialect}, ${kind}: parses (polyglot ${name}${SEMANTIC.has(dialect) ? ', semantic' : ''}) and matches its snapshot`, async () => {
        const sql = sqlOf(dialect, q)
        const r = poly.validate(sql, name, { strictSyntax: true, semantic: SEMANTIC.has(dialect) })
        expect(r.errors.filter((e) => e.severity === 'error')).toEqual([])
        expect(r.valid).toBe(true)
        await expect(`${sql}\n`).toMatchFileSnapshot(`__snapshots__/${dialect}-${kind}.sql`)
      })
    }
  }

  // Events without a channel-set model: one row per touch on DuckDB and PostgreSQL (journeysByTouches.ts), no lists.
  const byTouch: AttributionQuery = { ...SAMPLE_QUERIES['events']!, models: MODEL_NAMES.filter((m) => !['participation', 'shapley', 'shapley_rate'].includes(m)) }
  for (const dialect of ['duckdb', 'postgres'] as const) {
    it(`${dialect}, events one row per touch: parses (polyglot ${POLYGLOT[dialect]!}, semantic) and matches its snapshot`, async () => {
      const sql = sqlOf(dialect, byTouch)
      expect(sql).not.toMatch(/\b(list|array_agg)\(/)
      const r = poly.validate(sql, POLYGLOT[dialect]!, { strictSyntax: true, semantic: true })
      expect(r.errors.filter((e) => e.severity === 'error')).toEqual([])
      expect(r.valid).toBe(true)
      await expect(`${sql}\n`).toMatchFileSnapshot(`__snapshots__/${dialect}-events-touches.sql`)
    })
  }

  it("a caller's own dialect may leave out an optional function (argMin: the other pass-2 form), not a required one, and junk is a Left", () => {
    const { argMin, ...withoutArgMin } = duckdb
    expect(argMin).toBeTypeOf('function')
    const own = compileAttribution(withoutArgMin)(byTouch)
    expect(E.isRight(own) && own.right.sql).toContain('tp_jn')
    expect(E.isRight(own) && own.right.sql).not.toContain('arg_min(')
    expect(sqlOf('duckdb', byTouch)).toContain('arg_min(')
    for (const junk of [{ ...duckdb, argMin: 5 }, { ...duckdb, ident: undefined }, [], { name: 'duckdb' }, null]) {
      const r = compileAttribution(junk as never)(byTouch)
      expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['dialect'])
    }
  })

  it('the checker can fail: an ungrouped column and a broken query are rejected', () => {
    expect(poly.validate('SELECT a, b FROM t GROUP BY a', 'bigquery', { semantic: true }).valid).toBe(false)
    const broken = sqlOf('bigquery', SAMPLE_QUERIES['paths']!).replace('GROUP BY tp_valid, tp_key', 'GROUP BY tp_key')
    expect(broken).not.toBe(sqlOf('bigquery', SAMPLE_QUERIES['paths']!))
    expect(poly.validate(broken, 'bigquery', { strictSyntax: true, semantic: true }).valid).toBe(false)
    expect(poly.validate(sqlOf('bigquery', SAMPLE_QUERIES['events']!).replace(') AS tp_journey', ' AS tp_journey'), 'bigquery').valid).toBe(false)
  })

  it('each dialect spells the differences its own way', () => {
    const s = (d: DialectName) => sqlOf(d, SAMPLE_QUERIES['paths']!)
    expect(s('bigquery')).toContain('WITH OFFSET')
    expect(s('bigquery')).toContain('`analytics.paths`')
    expect(s('databricks')).toContain('LATERAL VIEW posexplode')
    expect(s('databricks')).toContain(String.raw`'\\Q > \\E'`)
    expect(s('snowflake')).toContain('LATERAL FLATTEN')
    expect(s('snowflake')).toContain('FROM analytics.paths AS tp_src')
    expect(s('trino')).toContain('WITH ORDINALITY')
    expect(s('redshift')).toContain('SPLIT_TO_ARRAY')
    expect(s('duckdb')).toContain('generate_subscripts')
    expect(s('clickhouse')).toContain('ARRAY JOIN')
    for (const d of ['bigquery', 'snowflake', 'databricks', 'trino', 'redshift', 'duckdb', 'postgres'] as const) expect(sqlOf(d, SAMPLE_QUERIES['events']!)).toContain('OVER (PARTITION BY')
    expect(sqlOf('clickhouse', SAMPLE_QUERIES['events']!)).not.toMatch(/\bOVER\s*\(/)
    expect(sqlOf('clickhouse', SAMPLE_QUERIES['events']!)).not.toMatch(/^WITH\b/)
  })
})
