/**
 * `touchpoint sql attribute`: the channel sets' form (`--set-form masks|lists`) and what the help says about
 * column lists, which the engines' SQL cannot read. DuckDB stands in for the warehouse console.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SqlDriver } from '../../src/engines/driver'
import { allRows } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { DIALECTS, duckdb } from '../../src/sql/dialects'
import { DIALECT_NAMES } from '../../src/sql/dialect'
import { cli } from '../_cli'
import { failureText, orThrow, rowsOf } from '../_engines'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-sql-cli-'))
let db: SqlDriver
/** 70 channels (past a mask's 63), 12 users, conversions every 7th touch: the same rows in a table and a CSV file. */
const WIDE = join(dir, 'wide.csv')
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
  await rowsOf(
    db,
    `CREATE TABLE wide AS SELECT 'u' || (i % 12) AS user_id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i) AS timestamp,
       'ch' || lpad(CAST(i % 70 AS VARCHAR), 2, '0') AS channel, CASE WHEN i % 7 = 6 THEN 1 ELSE 0 END AS conversion,
       CASE WHEN i % 7 = 6 THEN 1.5 * (i % 11) ELSE 0 END AS conversion_value
     FROM range(400) AS t(i)`,
  )
  await rowsOf(db, `COPY (SELECT user_id, strftime(timestamp, '%Y-%m-%dT%H:%M:%SZ') AS timestamp, channel, conversion, conversion_value FROM wide ORDER BY timestamp) TO ${duckdb.string(WIDE)} (HEADER, DELIMITER ',')`)
})
afterAll(async () => {
  await db.close()
})

const sortedLines = (csv: string) => {
  const [head, ...rows] = csv.trim().split('\n')
  return [head, ...rows.sort()]
}

const MODELS = 'first,participation,shapley'
const printed = (...more: ReadonlyArray<string>) => cli(['sql', 'attribute', '--dialect', 'duckdb', '--table', 'wide', '--input', 'events', '--models', MODELS, ...more])

describe('sql attribute --set-form', () => {
  it('past 63 channels the default (masks) fails when run, saying so; --set-form lists runs and finishes to the in-process table', async () => {
    const masks = await printed()
    expect({ code: masks.code, stderr: masks.stderr }).toEqual({ code: 0, stderr: '' })
    expect(masks.stdout).toContain('tp_dict')
    const failure = failureText(await allRows(db, masks.stdout))
    expect(failure).toContain('more than 63 channels')
    expect(failure).toContain('print the query again with --set-form lists')
    const explicit = await printed('--set-form', 'masks')
    expect(explicit.stdout).toBe(masks.stdout)

    const lists = await printed('--set-form', 'lists')
    expect({ code: lists.code, stderr: lists.stderr }).toEqual({ code: 0, stderr: '' })
    expect(lists.stdout).not.toContain('tp_dict')
    const rows = await rowsOf(db, lists.stdout)
    const file = join(dir, 'wide-result.json')
    writeFileSync(file, JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))
    const got = await cli(['attribute', '--partial', file])
    const want = await cli(['attribute', WIDE, '--input', 'events', '--models', MODELS])
    expect({ code: got.code, stderr: got.stderr, wantCode: want.code }).toEqual({ code: 0, stderr: '', wantCode: 0 })
    expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout))
    expect(got.stdout.trim().split('\n')).toHaveLength(1 + 70) // header, 70 channels
  })

  it('lists are the only form where the dialect has no masks: the default prints them, masks is refused naming --set-form lists', async () => {
    const listsOnly = DIALECT_NAMES.filter((d) => DIALECTS[d].setMasks === undefined)
    expect(listsOnly).toEqual(['clickhouse', 'bigquery', 'snowflake', 'databricks', 'trino', 'redshift'])
    for (const dialect of listsOnly) {
      const base = ['sql', 'attribute', '--dialect', dialect, '--table', 'events', '--input', 'events', '--models', MODELS]
      const dflt = await cli(base)
      const lists = await cli([...base, '--set-form', 'lists'])
      expect({ dialect, code: lists.code, same: lists.stdout === dflt.stdout }).toEqual({ dialect, code: 0, same: true })
      const masks = await cli([...base, '--set-form', 'masks'])
      expect({ dialect, code: masks.code, stdout: masks.stdout }).toEqual({ dialect, code: 2, stdout: '' })
      expect(masks.stderr).toContain(`--set-form masks: the ${dialect} query has no bitmask form (duckdb, postgres only); use --set-form lists (its default)`)
    }
  })

  it('PostgreSQL has both forms: masks by default (bit_or over a bigint), --set-form lists builds arrays', async () => {
    const base = ['sql', 'attribute', '--dialect', 'postgres', '--table', 'events', '--input', 'events', '--models', MODELS]
    const dflt = await cli(base)
    const masks = await cli([...base, '--set-form', 'masks'])
    const lists = await cli([...base, '--set-form', 'lists'])
    expect([dflt.code, masks.code, lists.code, masks.stdout === dflt.stdout]).toEqual([0, 0, 0, true])
    expect([/\bbit_or\(/.test(dflt.stdout), /\barray_agg\(/.test(dflt.stdout)]).toEqual([true, false])
    expect([/\bbit_or\(/.test(lists.stdout), /\barray_agg\(/.test(lists.stdout)]).toEqual([false, true])
    expect(dflt.stdout).toContain('more than 63 channels: channel sets as 63-bit masks cannot hold them; print the query again with --set-form lists')
  })

  it('an unknown form is a usage error naming the value; the help documents the flag', async () => {
    const r = await printed('--set-form', 'bits')
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' })
    expect(r.stderr).toContain('--set-form: expected masks or lists, got "bits"')
    const help = await cli(['sql', 'attribute', '--help'])
    expect(help.stdout).toMatch(/--set-form masks\|lists/)
    expect(help.stdout).toContain('more than 63 channels')
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('masks (the default where the dialect has them: duckdb, postgres)')
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('print it again with --set-form lists')
  })
})

describe('several column names', () => {
  it('the help of attribute and report says they are read only without --engine', async () => {
    for (const command of ['attribute', 'report']) {
      const help = await cli([command, '--help'])
      expect({ command, code: help.code }).toEqual({ command, code: 0 })
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('several names are read only without --engine')
    }
  })

  it('with --engine they are a usage error, for the user and the channel column alike', async () => {
    for (const flag of ['--user-column', '--channel-column']) {
      const r = await cli(['attribute', WIDE, '--input', 'events', '--engine', 'duckdb', flag, 'a,b'])
      expect({ flag, code: r.code, stdout: r.stdout }).toEqual({ flag, code: 2, stdout: '' })
      expect(r.stderr).toContain('are read only without --engine')
    }
  })
})
