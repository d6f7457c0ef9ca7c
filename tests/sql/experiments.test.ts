/**
 * The experiment-sums SQL of the dialects that cannot run here: file snapshots (reviewed as SQL) and a parser check
 * with @polyglot-sql/sdk, as tests/sql/dialects.test.ts does for attribution (DuckDB and PostgreSQL parsed too, as
 * controls; ClickHouse runs live only). Injection: event names and experiment keys that quote, escape and comment
 * badly reach DuckDB as literals and count exactly; column names that cannot be quoted are refused by name.
 */
import * as poly from '@polyglot-sql/sdk'
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDb } from '../../src/engines/duckdb'
import type { SqlDriver } from '../../src/engines/driver'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { Metrics } from '../../src/experiments/model'
import type { DialectName } from '../../src/sql/dialect'
import { compileExperimentSums } from '../../src/sql/experiments'
import { decodeExperimentSums } from '../../src/sql/experimentsDecode'
import type { ExperimentQuery } from '../../src/sql/experimentsModel'
import { orThrow, rowsOf } from '../_engines'
import { NASTY_TEXTS } from '../engines/_differential'

const metricsOf = (input: unknown): Metrics => {
  const m = decodeMetrics(input)
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

const ISSUE_METRICS = metricsOf({
  metrics: [
    { name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' },
    { name: 'revenue', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cap: { quantile: 0.99 }, cuped: { days: 14 } },
    { name: 'orders', kind: 'count', events: ['purchase'], cap: { value: 10 } },
    { name: 'revenue_per_order', kind: 'ratio', numerator: 'revenue', denominator: 'orders' },
  ],
})

const sample = (dimension: boolean): ExperimentQuery => ({
  exposures: { source: { _tag: 'table', name: 'analytics.exposures' }, unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp', timeType: { _tag: 'timestamp' }, ...(dimension ? { dimension: 'country' } : {}) },
  events: { source: { _tag: 'table', name: 'analytics.events' }, unit: 'unit_id', time: 'timestamp', event: 'event', timeType: { _tag: 'epoch', unit: 'us' } },
  metrics: ISSUE_METRICS,
  experiment: 'checkout-button',
})

const sqlOf = (dialect: DialectName, q: unknown): string => {
  const c = compileExperimentSums(dialect)(q)
  if (E.isLeft(c)) throw new Error(JSON.stringify(c.left))
  return c.right.sql
}

const POLYGLOT: Partial<Record<DialectName, string>> = { bigquery: 'bigquery', snowflake: 'snowflake', databricks: 'databricks', trino: 'trino', redshift: 'redshift', duckdb: 'duckdb', postgres: 'postgresql' }
// As for attribution: polyglot 0.12 reads ORDER BY inside ... WITHIN GROUP (...) as an ungrouped column.
const SEMANTIC: ReadonlySet<DialectName> = new Set(['bigquery', 'databricks', 'trino', 'duckdb', 'postgres'])

describe('experiment sums SQL per dialect', () => {
  for (const [dialect, name] of Object.entries(POLYGLOT) as Array<[DialectName, string]>) {
    for (const dimension of [false, true]) {
      const kind = dimension ? 'dimension' : 'plain'
      it(`${dialect}, ${kind}: parses (polyglot ${name}${SEMANTIC.has(dialect) ? ', semantic' : ''}) and matches its snapshot`, async () => {
        const sql = sqlOf(dialect, sample(dimension))
        const r = poly.validate(sql, name, { strictSyntax: true, semantic: SEMANTIC.has(dialect) })
        expect(r.errors.filter((e) => e.severity === 'error')).toEqual([])
        expect(r.valid).toBe(true)
        await expect(`${sql}\n`).toMatchFileSnapshot(`__snapshots__/experiments-${dialect}-${kind}.sql`)
      })
    }
  }

  it('the checker can fail on this query: a dropped GROUP BY key is rejected', () => {
    const sql = sqlOf('bigquery', sample(false))
    const broken = sql.replace('GROUP BY tp_experiment, tp_multiple, tp_variant\n', 'GROUP BY tp_experiment, tp_multiple\n')
    expect(broken).not.toBe(sql)
    expect(poly.validate(broken, 'bigquery', { strictSyntax: true, semantic: true }).valid).toBe(false)
  })

  it('bad queries are Left with every problem named, never a throw', () => {
    const q = sample(false)
    const bad = { ...q, exposures: { ...q.exposures, unit: 'unit"id', time: 'a`b' }, events: { ...q.events, event: 'e\\v' } }
    const r = compileExperimentSums('postgres')(bad)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['exposures.unit', 'exposures.time', 'events.event'])
    expect(E.isLeft(compileExperimentSums('oracle' as DialectName)(q))).toBe(true)
    for (const junk of [undefined, null, 1, 'x', [], { exposures: 1 }]) expect(E.isLeft(compileExperimentSums('duckdb')(junk))).toBe(true)
    const untimed = { ...q, exposures: { ...q.exposures, time: undefined } }
    const u = compileExperimentSums('duckdb')(JSON.parse(JSON.stringify(untimed)))
    expect(E.isLeft(u) && JSON.stringify(u.left)).toContain('exposures.time')
  })

  it('a decoded metric edited by a plain-JavaScript caller (cap null, a number, a string) is a Left on its cap, never a throw', () => {
    const q = sample(false)
    for (const cap of [null, 0, 'p99', [], { _tag: 'quantile', quantile: 2 }]) {
      const eventMetrics = q.metrics.eventMetrics.map((m, i) => (i === 1 ? { ...m, cap } : m))
      const r = compileExperimentSums('duckdb')({ ...q, metrics: { ...q.metrics, eventMetrics } })
      expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['metrics.eventMetrics[1].cap'])
    }
  })
})

describe('DuckDB: hostile names are data, never SQL', () => {
  let db: SqlDriver
  beforeAll(async () => {
    db = orThrow(await openDuckDb({ threads: 1 }))
  })
  afterAll(async () => {
    await db.close()
  })
  const exec = async (sql: string) => {
    for await (const _ of db.rows(sql)) void _
  }
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`

  it('event names and the experiment key that quote, escape and comment badly count exactly; odd column names are quoted', async () => {
    const names = NASTY_TEXTS.filter((t) => t !== '' && !t.includes('\u0000'))
    const metrics = metricsOf({ metrics: names.map((e, i) => ({ name: `m${i}`, kind: 'sum', events: [e], value: 'select' })) })
    await exec('CREATE OR REPLACE TABLE "we ird.x" ("unit id" VARCHAR, "Ëxperiment" VARCHAR, "group" VARCHAR, "from" BIGINT)')
    await exec('CREATE OR REPLACE TABLE ev ("unit id" VARCHAR, "from" BIGINT, "order" VARCHAR, "select" DOUBLE)')
    const key = "x'); DROP TABLE ev; --"
    await exec(`INSERT INTO "we ird.x" VALUES ('u1', ${lit(key)}, 'a', 0), ('u2', ${lit(key)}, 'b', 0)`)
    await exec(`INSERT INTO ev VALUES ${names.map((n, i) => `('u1', 5, ${lit(n)}, ${i + 1})`).join(', ')}, ('u2', 5, ${lit(names[0]!)}, 100)`)
    const q: ExperimentQuery = {
      exposures: { source: { _tag: 'query', sql: 'SELECT * FROM "we ird.x"' }, unit: 'unit id', experiment: 'Ëxperiment', variant: 'group', time: 'from', timeType: { _tag: 'epoch', unit: 'ms' } },
      events: { source: { _tag: 'table', name: 'ev' }, unit: 'unit id', time: 'from', event: 'order', timeType: { _tag: 'epoch', unit: 'ms' } },
      metrics,
      experiment: key,
    }
    const rows = await rowsOf(db, sqlOf('duckdb', q))
    const sums = decodeExperimentSums(metrics)(rows)
    if (E.isLeft(sums)) throw new Error(JSON.stringify(sums.left))
    const a = sums.right.rows.find((r) => r.variant === 'a')!
    expect(a.experiment).toBe(key)
    expect(a.metrics.map((m) => m.sum)).toEqual(names.map((_, i) => i + 1))
    expect(sums.right.rows.find((r) => r.variant === 'b')!.metrics[0]!.sum).toBe(100)
    expect((await rowsOf(db, 'SELECT COUNT(*) AS n FROM ev'))[0]!['n']).toBe(BigInt(names.length + 1))
  })
})

describe('decodeExperimentSums from plain JavaScript', () => {
  const metrics = metricsOf({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'] }] })
  const row = { experiment: 'checkout', multiple: 0, variant: 'green', units: 10, m0_sum: 4, m0_sum_squares: 6, invalid_exposures: 0, missing_values: 0 }
  it('options that are no object, or a dimension that is no boolean: a Left naming them (null threw)', () => {
    for (const [options, path] of [[null, 'options'], [7, 'options'], [{ dimension: 'yes' }, 'options.dimension']] as const) {
      const r = decodeExperimentSums(metrics, options as never)([row])
      expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe(path)
    }
  })
  it('a bigint sum beyond the doubles is refused, not read as Infinity', () => {
    fc.assert(
      fc.property(fc.constantFrom('units', 'm0_sum', 'm0_sum_squares'), fc.integer({ min: 309, max: 2000 }), (column, digits) => {
        const r = decodeExperimentSums(metrics)([{ ...row, [column]: 10n ** BigInt(digits) }])
        expect(E.isLeft(r) && r.left._tag === 'InvalidInput' && r.left.issues[0]!.path).toBe(`rows[0].${column}`)
      }),
    )
    expect(E.isRight(decodeExperimentSums(metrics)([{ ...row, units: 10n ** 300n }]))).toBe(true)
  })
})
