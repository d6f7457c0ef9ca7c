/**
 * The experiment-sums query on DuckDB equals the in-process reducer on random logs: windows and delays with
 * events exactly on their edges, events before exposure, units exposed to two variants, units with no events,
 * quantile and fixed caps, CUPED, ratios, dimensions, one experiment of several, a cut-off time.
 */
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe } from 'vitest'
import { openDuckDb } from '../../src/engines/duckdb'
import type { SqlDriver } from '../../src/engines/driver'
import { orThrow } from '../_engines'
import { arbLogs, expectSameSums, type Logs, T0, DAY } from '../experiments/_logs'
import { engineSums, eventRecords, exposureRecords, inProcessSums, type SumsOptions } from './_experiments'

let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
})
afterAll(async () => {
  await db.close()
})

const exec = async (sql: string) => {
  for await (const _ of db.rows(sql)) void _
}
const lit = (v: string | number) => (typeof v === 'number' ? `CAST(${String(v)} AS DOUBLE)` : `'${v.replace(/'/g, "''")}'`)

export const loadLogs = async (logs: Logs) => {
  await exec('CREATE OR REPLACE TABLE exposures (unit_id VARCHAR, experiment VARCHAR, variant VARCHAR, "timestamp" BIGINT, country VARCHAR)')
  await exec('CREATE OR REPLACE TABLE events (unit_id VARCHAR, "timestamp" BIGINT, event VARCHAR, value DOUBLE, amount DOUBLE)')
  const xs = exposureRecords(logs)
  if (xs.length > 0) await exec(`INSERT INTO exposures VALUES ${xs.map((x) => `(${lit(x.unit_id)}, ${lit(x.experiment)}, ${lit(x.variant)}, ${x.timestamp}, ${lit(x.country)})`).join(', ')}`)
  const es = eventRecords(logs)
  if (es.length > 0) await exec(`INSERT INTO events VALUES ${es.map((e) => `(${lit(e.unit_id)}, ${e.timestamp}, ${lit(e.event)}, ${lit(e.value)}, ${lit(e.amount)})`).join(', ')}`)
}

const check = async (logs: Logs, o: SumsOptions = {}) => {
  await loadLogs(logs)
  expectSameSums(await engineSums(db, logs, o), inProcessSums(logs, o), `duckdb ${JSON.stringify(o)}: `)
}

describe('DuckDB: experiment sums equal the in-process reducer', () => {
  test.prop([arbLogs()], { numRuns: 60 })('every metric kind, windows, caps, CUPED, ratios', (logs) => check(logs))
  test.prop([arbLogs()], { numRuns: 40 })('per dimension value (disagreeing first exposures: null)', (logs) => check(logs, { dimension: true }))
  test.prop([arbLogs({ experiments: 2 }), fc.integer({ min: -2, max: 12 })], { numRuns: 30 })('one experiment, as of a cut-off', (logs, day) =>
    check(logs, { experiment: 'x1', asOf: T0 + day * DAY }),
  )
})
