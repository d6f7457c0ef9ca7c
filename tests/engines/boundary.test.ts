/**
 * The engines' exports under what plain JavaScript passes (issue 10): Lefts naming the argument or option, never a
 * throw or a rejection, and no connection that waits forever. The export-surface suite calls them with junk; these
 * are the cases it found, kept as units, and the timeouts it cannot see.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import type { TouchpointError } from '../../src/core/errors'
import { describeSource, attributeWithDriver } from '../../src/engines/attribute'
import { openClickHouse } from '../../src/engines/clickhouse'
import { allRows } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { planExperimentQuery } from '../../src/engines/experiments'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { Metrics } from '../../src/experiments/model'
import { duckDbFileSource, formatOfFiles, hasParquetMagic, isParquetName } from '../../src/engines/files'
import { planInput, typeCategory } from '../../src/engines/plan'
import { openPostgres } from '../../src/engines/postgres'
import { orThrow } from '../_engines'

const paths = (e: E.Either<TouchpointError, unknown>): ReadonlyArray<string> => (E.isLeft(e) && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path) : [])
const tag = (e: E.Either<TouchpointError, unknown>): string => (E.isLeft(e) ? e.left._tag : 'Right')

/** A TCP server that accepts connections and never says a word: a database behind a black hole. */
let silent: Server
let silentPort = 0
const sockets = new Set<Socket>()
beforeAll(async () => {
  silent = createServer((s) => void sockets.add(s))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentPort = (silent.address() as { port: number }).port
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise((resolve) => silent.close(resolve))
})

const PLAN_OPTIONS = { pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>' }

describe('opening an engine', () => {
  it('options of the wrong type are named, before anything starts (strict: a string is no number)', async () => {
    expect(paths(await openDuckDb({ threads: '2' } as never))).toEqual(['threads'])
    expect(paths(await openDuckDb({ memoryLimit: 512 } as never))).toEqual(['memoryLimit'])
    expect(paths(await openDuckDb({ memoryLimit: 'lots' }))).toEqual(['memoryLimit'])
    expect(paths(await openDuckDb({ thread: 2 } as never))).toEqual(['thread'])
    expect(paths(await openDuckDb(null as never))).toEqual(['options'])
    expect(paths(await openPostgres({ url: 'not a url' }))).toEqual(['url'])
    expect(paths(await openPostgres({ url: 'http://127.0.0.1:5432/db' }))).toEqual(['url'])
    expect(paths(await openPostgres({ url: 'postgres://u@127.0.0.1:99999/db' }))).toEqual(['url'])
    expect(paths(await openPostgres({ connectTimeoutMs: -1 }))).toEqual(['connectTimeoutMs'])
    expect(paths(await openClickHouse(undefined as never))).toEqual(['options'])
    expect(paths(await openClickHouse({} as never))).toEqual(['url'])
    expect(paths(await openClickHouse({ url: 'http://%zz@127.0.0.1:8123/' }))).toEqual(['url'])
    expect(paths(await openClickHouse({ url: 'ftp://127.0.0.1/' }))).toEqual(['url'])
  })

  it('a server that is not there is an EngineFailure naming it, without its password', async () => {
    const pg = await openPostgres({ url: 'postgres://analyst:s3cret@127.0.0.1:1/warehouse' })
    expect(tag(pg)).toBe('EngineFailure')
    expect(E.isLeft(pg) && pg.left._tag === 'EngineFailure' ? pg.left.reason : '').toMatch(/^PostgreSQL at postgres:\/\/analyst:\*\*\*@127\.0\.0\.1:1\/warehouse: /)
    const ch = await openClickHouse({ url: 'http://default:s3cret@127.0.0.1:1/' })
    expect(tag(ch)).toBe('EngineFailure')
    expect(JSON.stringify(ch)).not.toContain('s3cret')
  })

  it('a server that never answers is given up after connectTimeoutMs (pg and fetch would wait for ever)', async () => {
    const pg = await openPostgres({ url: `postgres://u:p@127.0.0.1:${silentPort}/db`, connectTimeoutMs: 300 })
    expect(tag(pg)).toBe('EngineFailure')
    const ch = await openClickHouse({ url: `http://u:p@127.0.0.1:${silentPort}/`, connectTimeoutMs: 300 })
    expect(E.isLeft(ch) && ch.left._tag === 'EngineFailure' ? ch.left.reason : '').toContain('no answer within 300 ms')
  }, 10_000)

  it('DuckDB: a query the engine refuses is an EngineFailure, a driver that is none is named', async () => {
    const db = orThrow(await openDuckDb({ threads: 1 }))
    try {
      expect(await allRows(db, 'SELECT 42 AS answer')).toEqual(E.right([{ answer: 42 }]))
      const refused = await allRows(db, 'SELECT * FROM no_such_table')
      expect(tag(refused)).toBe('EngineFailure')
      expect(tag(await describeSource(db, { _tag: 'table', name: 'no_such_table' }))).toBe('EngineFailure')
      expect(paths(await describeSource(db, { _tag: 'table', name: '' }))).toEqual(['source.name'])
      expect(paths(await attributeWithDriver(db, { _tag: 'query', sql: "SELECT 'a > b' AS path, 1 AS total_conversions" }, { ...PLAN_OPTIONS, models: ['firts'] } as never))).toContain('options.models[0]')
    } finally {
      await db.close()
    }
    expect(paths(await allRows(null as never, 'SELECT 1'))).toEqual(['driver'])
    expect(paths(await allRows({ dialect: 'duckdb', rows: () => [], columns: () => [] } as never, 42 as never))).toEqual(['sql'])
    expect(paths(await attributeWithDriver({} as never, { _tag: 'table', name: 't' }, PLAN_OPTIONS as never))).toEqual(['driver'])
  })
})

describe('files', () => {
  it('formats: no files, a format that is none, a file that cannot be read are Lefts naming them', async () => {
    // Right(undefined) and Right('xml') before: the format was trusted and the empty list had none.
    expect(paths(await formatOfFiles([]))).toEqual(['paths'])
    expect(paths(await formatOfFiles(['a.csv'], 'xml' as never))).toEqual(['given'])
    expect(paths(await formatOfFiles(['/no/such/file']))).toEqual(['paths[0]'])
    expect(paths(await formatOfFiles(['a.csv', 'b.parquet']))).toEqual(['paths'])
    expect(await formatOfFiles(['a.csv.gz', 'b.tsv'])).toEqual(E.right('csv'))
    expect(paths(duckDbFileSource([], 'csv'))).toEqual(['paths'])
    expect(paths(duckDbFileSource(['a.csv'], 'csv', { delimiter: ';;' }))).toEqual(['options.delimiter'])
    expect(paths(duckDbFileSource(['a.csv'], 'xml' as never))).toEqual(['format'])
    expect(E.isRight(duckDbFileSource(["it's.csv"], 'csv', { delimiter: ';' }))).toBe(true)
  })

  test.prop([fc.anything()])('isParquetName, hasParquetMagic and typeCategory answer anything', async (u) => {
    expect(typeof isParquetName(u as never)).toBe('boolean')
    expect(typeof (await hasParquetMagic(u as never))).toBe('boolean')
    expect(['number', 'timestamp', 'text', 'list', 'other']).toContain(typeCategory(u as never))
  })
})

describe('planInput', () => {
  it('names the option whose column the source lacks, and the option of the wrong type', () => {
    const columns = [{ name: 'path', type: 'text' }, { name: 'n', type: 'number' }] as const
    expect(paths(planInput(columns, PLAN_OPTIONS))).toEqual(['options.pathColumns.conversions'])
    expect(paths(planInput(columns, { ...PLAN_OPTIONS, pathColumns: { ...DEFAULT_PATH_COLUMNS, conversions: 'n' } }))).toEqual([])
    expect(paths(planInput(columns, { ...PLAN_OPTIONS, separator: '' }))).toEqual(['options.separator'])
    expect(paths(planInput(columns, { ...PLAN_OPTIONS, lookbackMs: Number.NaN }))).toEqual(['options.lookbackMs'])
    expect(paths(planInput(columns, { ...PLAN_OPTIONS, timeUnit: 'minutes' as never }))).toEqual(['options.timeUnit'])
    expect(paths(planInput([{ name: 'path', type: 'string' }] as never, PLAN_OPTIONS))).toEqual(['columns[0]'])
    expect(paths(planInput(columns, null as never))).toEqual(['options'])
    expect(paths(planInput([{ name: 'x', type: 'text' }], PLAN_OPTIONS))).toEqual(['options.kind'])
  })
})

describe('planExperimentQuery', () => {
  const metrics = orThrow(decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7d' }] }))
  const sources = {
    exposures: { _tag: 'query' as const, sql: "SELECT 'u1' AS unit_id, 'checkout' AS experiment, 'a' AS variant, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS timestamp" },
    events: { _tag: 'query' as const, sql: "SELECT 'u1' AS unit_id, TIMESTAMPTZ '2024-01-02 00:00:00+00' AS timestamp, 'purchase' AS event" },
  }
  const options = (m: unknown) => ({ metrics: m as Metrics, exposureColumns: { unit: 'unit_id', experiment: 'experiment', variant: 'variant' }, eventColumns: { unit: 'unit_id', time: 'timestamp', event: 'event' } })

  // It checked only metrics.valueColumns and handed the rest on in the planned query: { valueColumns: [] } planned.
  it('checks options.metrics whole, as the experiments exports do: a Left naming the field, the value and what was expected', async () => {
    const db = orThrow(await openDuckDb({ threads: 1 }))
    try {
      expect(E.isRight(await planExperimentQuery(db, sources, options(metrics)))).toBe(true)
      const broken = [{ valueColumns: [] }, { ...metrics, eventMetrics: [{ ...metrics.eventMetrics[0]!, windowMs: -1 }] }, { ...metrics, ratios: [{ numerator: 0, denominator: 3 }] }, { ...metrics, metrics: [, ...metrics.metrics] }]
      for (const m of broken) {
        const r = await planExperimentQuery(db, sources, options(m))
        expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : r).toEqual([{ path: 'options.metrics', expected: 'decoded metrics (from decodeMetrics or decodeMetricsJson)', actual: m }])
      }
    } finally {
      await db.close()
    }
  })
})
