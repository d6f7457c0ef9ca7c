/**
 * `touchpoint attribute --engine duckdb` (and Parquet picked up by itself), `touchpoint sql attribute` then
 * `attribute --partial`: the same table as the streaming reader prints (rows in name order), the mistakes said
 * clearly, nothing written when anything is wrong, no password shown.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SqlDriver } from '../../src/engines/driver'
import { orThrow, rowsOf } from '../_engines'
import { openDuckDb } from '../../src/engines/duckdb'
import { duckdb } from '../../src/sql/dialects'
import { cli } from '../_cli'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-engines-'))
let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
  const run = (sql: string) => rowsOf(db, sql)
  await run(`COPY (SELECT * FROM read_csv('examples/paths.csv')) TO ${duckdb.string(join(dir, 'paths.parquet'))} (FORMAT parquet)`)
  await run(`COPY (SELECT * FROM read_csv('examples/paths.csv') LIMIT 200) TO ${duckdb.string(join(dir, 'part-1.parquet'))} (FORMAT parquet)`)
  await run(`COPY (SELECT * FROM read_csv('examples/paths.csv') OFFSET 200) TO ${duckdb.string(join(dir, 'part-2.parquet'))} (FORMAT parquet)`)
  await run(`COPY (SELECT * FROM read_csv('examples/events.csv')) TO ${duckdb.string(join(dir, 'events.parquet'))} (FORMAT parquet)`)
  writeFileSync(join(dir, 'paths.csv.gz'), gzipSync(readFileSync('examples/paths.csv')))
})
afterAll(async () => {
  await db.close()
})

/** A value's text with numbers to 8 digits: the order of lists whose order follows the input's (channels by first appearance). */
const roughly = (u: unknown): string => JSON.stringify(u, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(8)) : v))
const canonical = (xs: ReadonlyArray<unknown>) => [...xs].sort((x, y) => (roughly(x) < roughly(y) ? -1 : roughly(x) > roughly(y) ? 1 : 0))

/** Every number equal to 1e-9 relative, everything else exactly; lists in any order (an engine's journeys come in no order). */
const expectClose = (a: unknown, b: unknown, path: string): void => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) throw new Error(`${path}: ${a}, want ${b}`)
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, `${path}.length`).toBe(b.length)
    const [ca, cb] = [canonical(a), canonical(b)]
    cb.forEach((x, i) => expectClose(ca[i], x, `${path}[${i}]`))
  } else if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(b)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
  } else expect(a, path).toEqual(b)
}

/** The table's rows sorted (an engine lists channels by name; the stream in order of first appearance). */
const sortedLines = (csv: string) => {
  const [head, ...rows] = csv.trim().split('\n')
  return [head, ...rows.sort()]
}

const PATH_MODELS = 'first,last,last_non_direct,linear,position,participation,markov,shapley,shapley_rate'
const EVENT_MODELS = `${PATH_MODELS},time_decay`


describe('attribute --engine duckdb', () => {
  it('paths: the same table as the streaming reader, from CSV, gzip CSV, Parquet (found by itself) and a quoted glob', async () => {
    const want = await cli(['attribute', 'examples/paths.csv', '--models', PATH_MODELS, '--order', '2'])
    expect(want.code).toBe(0)
    for (const input of [['examples/paths.csv', '--engine', 'duckdb'], [join(dir, 'paths.csv.gz'), '--engine', 'duckdb'], [join(dir, 'paths.parquet')], [join(dir, 'part-*.parquet'), '--engine', 'duckdb']]) {
      const got = await cli(['attribute', ...input, '--models', PATH_MODELS, '--order', '2'])
      expect({ input, code: got.code, stderr: got.stderr }).toEqual({ input, code: 0, stderr: '' })
      expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout))
    }
  })

  it('events with lookback and time decay: CSV (ISO 8601 text) and Parquet', async () => {
    const args = ['--models', EVENT_MODELS, '--lookback', '30d', '--half-life', '3d', '--order', '3']
    const want = await cli(['attribute', 'examples/events.csv', ...args])
    expect(want.code).toBe(0)
    for (const input of [['examples/events.csv', '--engine', 'duckdb'], [join(dir, 'events.parquet')]]) {
      const got = await cli(['attribute', ...input, ...args])
      expect({ code: got.code, stderr: got.stderr }).toEqual({ code: 0, stderr: '' })
      expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout))
    }
  })

  it('invalid rows: nothing written and exit 1 by default, left out and counted with --on-error skip', async () => {
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'path,total_conversions\na > b,1\na > > b,1\nb,2\n')
    const out = join(dir, 'bad-out.csv')
    const failed = await cli(['attribute', bad, '--engine', 'duckdb', '-o', out])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('1 input row is invalid')
    expect(existsSync(out)).toBe(false)
    const skipped = await cli(['attribute', bad, '--engine', 'duckdb', '--on-error', 'skip', '--models', 'first'])
    expect(skipped.code).toBe(0)
    expect(skipped.stderr).toContain('left out 1 invalid input row')
    expect(skipped.stdout).toBe('channel,first_conversions,first_value\na,1,0\nb,2,0\n')
  })

  it('usage mistakes are said before anything runs', async () => {
    expect((await cli(['attribute', '--engine', 'oracle', 'examples/paths.csv'])).stderr).toContain('--engine: expected auto, in-process, duckdb, postgres or clickhouse')
    const ch = await cli(['attribute', '--engine', 'clickhouse', '--table', 'paths'])
    expect({ code: ch.code, stderr: ch.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('--engine clickhouse needs --url') })
    const files = await cli(['attribute', '--engine', 'postgres', 'examples/paths.csv'])
    expect(files.code).toBe(2)
    expect(files.stderr).toContain('reads --table NAME or --query SQL')
    const missing = await cli(['attribute', 'examples/paths.csv', '--engine', 'duckdb', '--path-column', 'journey'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('cannot tell paths from events')
    expect(missing.stderr).toContain('the columns are: path, total_conversions, total_conversion_value, total_null')
    // Flags the engines' SQL does not read are refused, not ignored: DuckDB read the marker column instead of
    // --conversion-on-value, and the default columns instead of a preset's.
    const valued = join(dir, 'valued.csv')
    writeFileSync(valued, 'user_id,timestamp,channel,conversion,conversion_value\nu,1,a,0,\nu,3,,0,40\n')
    for (const flag of [['--conversion-on-value'], ['--preset', 'ga4']]) {
      for (const command of ['attribute', 'report']) {
        const r = await cli([command, valued, '--engine', 'duckdb', ...flag])
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`${flag[0]} is read by the streaming reader, not by the engines' SQL`) })
      }
    }
  })

  it('several --user-column or --channel-column names with an engine: a usage error naming the flag, not a missing column "A,B"', async () => {
    // The streaming reader reads several (the first non-empty user, the channel parts joined with " / "); the
    // engines' SQL reads one column, and once took "user_id,anon" as one column's name ("no column user_id,anon").
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
      ['--user-column', ['user_id,anon_id']],
      ['--channel-column', ['channel, medium']],
    ]
    for (const [flag, [names]] of cases) {
      for (const command of [['attribute', 'examples/events.csv', '--engine', 'duckdb'], ['report', 'examples/events.csv', '--engine', 'duckdb'], ['sql', 'attribute', '--dialect', 'duckdb', '--table', 'events', '--input', 'events']]) {
        const r = await cli([...command, flag, names!])
        expect({ command, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ command, code: 2, stdout: '', stderr: expect.stringContaining(`${flag}: several columns (${names}) are read only without --engine`) })
      }
    }
    // One name (spaces and a trailing comma as the streaming reader reads them) is still one column.
    const one = await cli(['attribute', 'examples/events.csv', '--engine', 'duckdb', '--user-column', ' user_id,', '--channel-column', 'channel'])
    const plain = await cli(['attribute', 'examples/events.csv', '--engine', 'duckdb'])
    expect({ code: one.code, stdout: one.stdout }).toEqual({ code: 0, stdout: plain.stdout })
  })

  it('report --engine duckdb: the report the streaming reader makes, every section, from paths (CSV, Parquet found by itself) and events', async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<ReadonlyArray<string>>]> = [
      [['examples/paths.csv'], [['examples/paths.csv', '--engine', 'duckdb'], [join(dir, 'paths.parquet')]]],
      [['examples/events.csv', '--lookback', '30d'], [['examples/events.csv', '--lookback', '30d', '--engine', 'duckdb'], [join(dir, 'events.parquet'), '--lookback', '30d']]],
    ]
    for (const [inProcess, engines] of cases) {
      const want = await cli(['report', ...inProcess, '--format', 'json', '--bootstrap', '50'])
      expect(want.code).toBe(0)
      for (const args of engines) {
        const got = await cli(['report', ...args, '--format', 'json', '--bootstrap', '50', '--quiet'])
        expect({ args, code: got.code, stderr: got.stderr }).toEqual({ args, code: 0, stderr: '' })
        // Every section, the after-purchase one included (the engine gives each journey its user's previous conversion).
        expectClose(JSON.parse(got.stdout), JSON.parse(want.stdout), args.join(' '))
        expect(JSON.parse(got.stdout).afterPurchase._tag).toBe(inProcess[0] === 'examples/events.csv' ? 'Measured' : 'NotMeasured')
      }
    }
    const said = await cli(['report', 'examples/paths.csv', '--engine', 'duckdb', '--format', 'markdown'])
    expect(said.stderr).toContain('journeys built by DuckDB (embedded), the report computed from them here')
  })

  it('report --partial says why a saved attribution result cannot make a report', async () => {
    const r = await cli(['report', '--partial', 'x.csv'])
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' })
    expect(r.stderr).toContain('holds attribution\'s sums only')
  })

  it('events in no streamable order: DuckDB takes them (--engine auto, the default); --engine in-process refuses, naming the line', async () => {
    const [head, ...rows] = readFileSync('examples/events.csv', 'utf8').trim().split('\n')
    const shuffled = join(dir, 'shuffled.csv')
    // A fixed permutation (reversed): users' events arrive after later users' ones.
    writeFileSync(shuffled, `${[head, ...rows.reverse()].join('\n')}\n`)
    const args = ['--models', EVENT_MODELS, '--lookback', '30d']
    const want = await cli(['attribute', 'examples/events.csv', ...args])
    const refused = await cli(['attribute', shuffled, ...args, '--engine', 'in-process'])
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 1, stdout: '' })
    expect(refused.stderr).toMatch(/shuffled\.csv:\d+: timestamp: expected a time not before this user's previous event/)
    for (const engine of [[], ['--engine', 'auto']]) {
      const got = await cli(['attribute', shuffled, ...args, ...engine])
      expect(got.code).toBe(0)
      expect(got.stderr).toMatch(/^touchpoint attribute: the events are not in an order the streaming reader takes \(.*shuffled\.csv:\d+\); DuckDB reads them instead/)
      expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout))
    }
    const report = await cli(['report', shuffled, '--lookback', '30d', '--format', 'json', '--bootstrap', '20'])
    const reportWant = await cli(['report', 'examples/events.csv', '--lookback', '30d', '--format', 'json', '--bootstrap', '20'])
    expect(report.code).toBe(0)
    expect(report.stderr).toContain('DuckDB reads them instead')
    expectClose(JSON.parse(report.stdout), JSON.parse(reportWant.stdout), 'report')
    expect(JSON.parse(report.stdout).afterPurchase._tag).toBe('Measured')
  })

  it('a password in --url is never printed', async () => {
    const r = await cli(['attribute', '--engine', 'postgres', '--url', 'postgres://ana:Secr3t-pw@127.0.0.1:1/shop', '--table', 'paths'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ana:***@127.0.0.1:1')
    expect(r.stderr).not.toContain('Secr3t-pw')
    const c = await cli(['attribute', '--engine', 'clickhouse', '--url', 'http://ana:Secr3t-pw@127.0.0.1:1/', '--table', 'paths'])
    expect(c.code).toBe(1)
    expect(c.stderr).not.toContain('Secr3t-pw')
  })
})

describe('sql attribute, then attribute --partial', () => {
  it('the printed DuckDB query, run and saved as CSV and as JSON, finishes to the streaming reader\'s table', async () => {
    await rowsOf(db, "CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv('examples/events.csv')")
    const sql = await cli(['sql', 'attribute', '--dialect', 'duckdb', '--table', 'events', '--input', 'events', '--models', EVENT_MODELS, '--lookback', '30d', '--order', '2'])
    expect(sql.code).toBe(0)
    const rows = await rowsOf(db, sql.stdout)
    const csvFile = join(dir, 'result.csv')
    await rowsOf(db, `COPY (${sql.stdout.trim()}) TO ${duckdb.string(csvFile)} (HEADER, DELIMITER ',')`)
    const jsonFile = join(dir, 'result.json')
    writeFileSync(jsonFile, JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))
    const want = await cli(['attribute', 'examples/events.csv', '--models', EVENT_MODELS, '--lookback', '30d', '--order', '2'])
    for (const f of [csvFile, jsonFile]) {
      const got = await cli(['attribute', '--partial', f])
      expect({ f, code: got.code, stderr: got.stderr }).toEqual({ f, code: 0, stderr: '' })
      expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout))
    }
    const some = await cli(['attribute', '--partial', csvFile, '--models', 'markov,shapley', '--format', 'markdown'])
    expect(some.code).toBe(0)
    expect(some.stdout.split('\n')[0]).toBe('| channel | markov_conversions | markov_value | shapley_conversions | shapley_value | markov_removal_effect | markov_value_removal_effect |')
  })

  it('a model the result was not computed for, and a damaged file, are refused with the reason and the line', async () => {
    const sql = await cli(['sql', 'attribute', '--dialect', 'duckdb', '--query', "SELECT * FROM read_csv('examples/paths.csv')", '--models', 'first'])
    const file = join(dir, 'first-only.csv')
    await rowsOf(db, `COPY (${sql.stdout.trim()}) TO ${duckdb.string(file)} (HEADER, DELIMITER ',')`)
    const r = await cli(['attribute', '--partial', file, '--models', 'first,markov'])
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('the result holds first, not markov') })
    const lines = readFileSync(file, 'utf8').split('\n')
    lines[3] = lines[3]!.replace(/,[0-9.]+,/, ',lots,')
    writeFileSync(file, lines.join('\n'))
    const d = await cli(['attribute', '--partial', file])
    expect(d.code).toBe(1)
    expect(d.stderr).toMatch(/line 4|:4/)
    expect(d.stderr).toContain('lots')
  })

  it('a saved JSON result with a key given twice is refused, not read as one of the two numbers', async () => {
    const sql = await cli(['sql', 'attribute', '--dialect', 'duckdb', '--query', "SELECT * FROM read_csv('examples/paths.csv')", '--models', 'first'])
    const rows = await rowsOf(db, sql.stdout)
    const text = JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
    // The first channel row carries its first_conversions twice: the second copy is 1e6, the first the real count.
    const damaged = text.replace(/"first_conversions":([^,}]+)/, '"first_conversions":$1,"first_conversions":1000000')
    expect(damaged).not.toBe(text)
    for (const [name, body] of [['dup.json', damaged], ['dup.jsonl', damaged.slice(1, -1).replace(/\},\{/g, '}\n{')]] as const) {
      const file = join(dir, name)
      writeFileSync(file, body)
      const r = await cli(['attribute', '--partial', file])
      expect({ name, code: r.code, stdout: r.stdout }).toEqual({ name, code: 1, stdout: '' })
      expect(r.stderr).toMatch(/first_conversions/)
    }
  })

  it('hostile names are refused before any SQL is printed', async () => {
    const r = await cli(['sql', 'attribute', '--dialect', 'snowflake', '--table', 'db.paths"; DROP TABLE x; --'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('source.name')
  })
})
