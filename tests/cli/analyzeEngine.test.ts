/**
 * `touchpoint analyze --exposures --events --metrics --engine ...` and `touchpoint sql analyze`: the engine's
 * statistics equal the in-process run's on the example logs (CSV with ISO times, and the same logs as Parquet,
 * which pick DuckDB by themselves); mistakes are messages with exit codes; passwords never appear.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDb } from '../../src/engines/duckdb'
import { orThrow, rowsOf } from '../_engines'
import { DIALECT_NAMES } from '../../src/sql/dialect'
import { isClose } from '../_close'
import { cli } from '../_cli'

const LOGS = ['--exposures', 'examples/experiment-exposures.csv', '--events', 'examples/experiment-events.csv.gz', '--metrics', 'examples/metrics.json', '--config', 'examples/experiments.json']

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-analyze-engine-'))
  const db = orThrow(await openDuckDb({ threads: 1 }))
  await rowsOf(db, `COPY (SELECT * FROM read_csv('examples/experiment-exposures.csv')) TO '${join(dir, 'exposures.parquet')}' (FORMAT parquet)`)
  await rowsOf(db, `COPY (SELECT * FROM read_csv('examples/experiment-events.csv.gz')) TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`)
  await db.close()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every number of two JSON values equal to 1e-9 relative; everything else exactly. */
const expectClose = (a: unknown, b: unknown, at = ''): void => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!isClose(a, b, { rel: 1e-9, abs: 1e-9 })) expect.fail(`${at}: ${a} != ${b}`)
    return
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    expect(Object.keys(a).sort(), at).toEqual(Object.keys(b).sort())
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`)
    return
  }
  expect(a, at).toEqual(b)
}
const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as unknown)

describe('touchpoint analyze --engine duckdb', () => {
  it('--stats-only equals the in-process run (CSV, ISO times, gzip)', async () => {
    const inProcess = await cli(['analyze', ...LOGS, '--stats-only'])
    expect(inProcess.stderr).toBe('')
    const engine = await cli(['analyze', ...LOGS, '--stats-only', '--engine', 'duckdb'])
    expect(engine.stderr).toBe('')
    expect(engine.code).toBe(0)
    expect(lines(engine.stdout).length).toBe(5)
    expectClose(lines(engine.stdout), lines(inProcess.stdout))
  }, 60_000)

  it('Parquet logs go to DuckDB by themselves and give the same statistics, per dimension value too', async () => {
    const parquet = ['--exposures', join(dir, 'exposures.parquet'), '--events', join(dir, 'events.parquet'), '--metrics', 'examples/metrics.json', '--config', 'examples/experiments.json', '--stats-only', '--dimension', 'country']
    const inProcess = await cli(['analyze', ...LOGS, '--stats-only', '--dimension', 'country'])
    const engine = await cli(['analyze', ...parquet])
    expect(engine.stderr).toBe('')
    expectClose(lines(engine.stdout), lines(inProcess.stdout))
  }, 60_000)

  it('the analysis itself prints from the engine sums', async () => {
    const r = await cli(['analyze', ...LOGS, '--engine', 'duckdb'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('checkout-button')
    expect(r.stdout).toContain('revenue capped at')
  }, 60_000)

  it('a missing column is named with the columns there are; nothing written', async () => {
    const r = await cli(['analyze', ...LOGS, '--engine', 'duckdb', '--event-column', 'kind'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('--event-column: expected a column of the events')
    expect(r.stderr).toContain('"kind"')
    expect(r.stderr).toContain('unit_id, timestamp, event, value')
  }, 60_000)

  it('no exposure rows for the experiment: an error', async () => {
    const r = await cli(['analyze', ...LOGS.slice(0, 6), '--engine', 'duckdb', '--experiment', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('no exposure rows for experiment "nope"')
  }, 60_000)

  it('--sequential: the day-by-day series equals the in-process one (the query returns the logs\' time span)', async () => {
    // One case: each day is the query again (the span's start and end, the cut-offs, are what is new here; the
    // engine properties in tests/engines hold the span equal on random logs).
    const inProcess = await cli(['analyze', ...LOGS, '--sequential', '--json'])
    expect(inProcess.code, inProcess.stderr).toBe(0)
    const engine = await cli(['analyze', ...LOGS, '--sequential', '--json', '--engine', 'duckdb'])
    expect(engine.stderr).toBe('')
    expect(engine.code).toBe(0)
    const series = (JSON.parse(engine.stdout) as { sequential?: ReadonlyArray<unknown> }).sequential
    expect(series?.length).toBeGreaterThan(7)
    expectClose(JSON.parse(engine.stdout), JSON.parse(inProcess.stdout))
  }, 240_000)

  it('usage mistakes: an unknown engine, --url without one', async () => {
    expect((await cli(['analyze', ...LOGS, '--engine', 'spark'])).stderr).toContain('--engine: expected duckdb, postgres or clickhouse')
    expect((await cli(['analyze', ...LOGS, '--url', 'postgres://x@y/z'])).stderr).toContain('need --engine')
  })

  it('a PostgreSQL that is not there: the message names it without its password', async () => {
    const r = await cli(['analyze', '--exposures', 'exposures', '--events', 'events', '--metrics', 'examples/metrics.json', '--engine', 'postgres', '--url', 'postgres://ana:pw-s3cret@127.0.0.1:9/shop'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('postgres://ana:***@127.0.0.1:9/shop')
    expect(r.stderr).not.toContain('pw-s3cret')
  }, 60_000)
})

describe('touchpoint sql analyze', () => {
  it('prints the query for every dialect; tables are quoted per dialect', async () => {
    for (const d of DIALECT_NAMES) {
      const r = await cli(['sql', 'analyze', '--dialect', d, '--exposures', 'analytics.exposures', '--events', 'analytics.events', '--metrics', 'examples/metrics.json', '--time-unit', 'ms'])
      expect(r.stderr, d).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^(WITH|SELECT) /)
      expect(r.stdout).toContain('m1_covariate_sum')
    }
  })

  it('mistakes: no dialect, an unquotable table, a bad metrics file', async () => {
    expect((await cli(['sql', 'analyze', '--exposures', 'x', '--events', 'e', '--metrics', 'examples/metrics.json'])).code).toBe(2)
    const bad = await cli(['sql', 'analyze', '--dialect', 'duckdb', '--exposures', 'x"; DROP TABLE y; --', '--events', 'e', '--metrics', 'examples/metrics.json'])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('exposures.source.name')
    expect((await cli(['sql', 'analyze', '--dialect', 'duckdb', '--exposures', 'x', '--events', 'e', '--metrics', 'examples/experiments.json'])).code).toBe(1)
  })
})
