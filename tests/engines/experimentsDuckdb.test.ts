/**
 * The experiment-sums query on DuckDB equals the in-process reducer on random logs: windows and delays with
 * events exactly on their edges, events before exposure, units exposed to two variants, units with no events,
 * quantile and fixed caps, CUPED, ratios, dimensions, one experiment of several, a cut-off time.
 */
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDb } from '../../src/engines/duckdb'
import type { SqlDriver } from '../../src/engines/driver'
import { execute, orThrow } from '../_engines'
import { arbLogs, type Logs, T0, DAY } from '../experiments/_logs'
import { arbEventFlaw, arbFlaw, engineVerdict, flawedEventCount, refusedEventCount, withQualifyingNulls, expectSameRun, eventRecords, expectSameVerdict, exposureRecords, flawedRecords, inProcessVerdict, refusalReason, shiftedLogs, unitInTwoExperiments, type EventRecord, type ExposureRecord, type SumsOptions } from './_experiments'

let db: SqlDriver
beforeAll(async () => {
  db = orThrow(await openDuckDb({ threads: 2 }))
})
afterAll(async () => {
  await db.close()
})

const exec = (sql: string) => execute(db, sql)
const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? `CAST(${String(v)} AS DOUBLE)` : `'${v.replace(/'/g, "''")}'`)

export const loadLogs = async (logs: Logs) => loadRecords({ exposures: exposureRecords(logs), events: eventRecords(logs) })

const loadRecords = async (records: { readonly exposures: ReadonlyArray<ExposureRecord>; readonly events: ReadonlyArray<EventRecord> }) => {
  await exec('CREATE OR REPLACE TABLE exposures (unit_id VARCHAR, experiment VARCHAR, variant VARCHAR, "timestamp" BIGINT, country VARCHAR)')
  await exec('CREATE OR REPLACE TABLE events (unit_id VARCHAR, "timestamp" BIGINT, event VARCHAR, value DOUBLE, amount DOUBLE)')
  const xs = records.exposures
  if (xs.length > 0) await exec(`INSERT INTO exposures VALUES ${xs.map((x) => `(${lit(x.unit_id)}, ${lit(x.experiment)}, ${lit(x.variant)}, ${x.timestamp ?? 'NULL'}, ${lit(x.country)})`).join(', ')}`)
  const es = records.events
  if (es.length > 0) await exec(`INSERT INTO events VALUES ${es.map((e) => `(${lit(e.unit_id)}, ${e.timestamp ?? 'NULL'}, ${lit(e.event)}, ${lit(e.value)}, ${lit(e.amount)})`).join(', ')}`)
}

const check = async (logs: Logs, o: SumsOptions = {}) => {
  await loadLogs(logs)
  await expectSameRun(db, logs, o, `duckdb ${JSON.stringify(o)}: `)
}

describe('DuckDB: experiment sums equal the in-process reducer', () => {
  test.prop([arbLogs()], { numRuns: 60 })('every metric kind, windows, caps, CUPED, ratios', (logs) => check(logs))
  test.prop([arbLogs()], { numRuns: 40 })('per dimension value (disagreeing first exposures: null)', (logs) => check(logs, { dimension: true }))
  test.prop([arbLogs({ experiments: 2 }), fc.integer({ min: -2, max: 12 })], { numRuns: 30 })('one experiment, as of a cut-off', (logs, day) =>
    check(logs, { experiment: 'x1', asOf: T0 + day * DAY }),
  )
  test.prop([arbLogs({ experiments: 2 }), fc.array(arbFlaw(true, true), { minLength: 0, maxLength: 2 }), fc.array(fc.nat(10_000), { maxLength: 1 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY })], { numRuns: 60 })(
    'refuses exactly the rows the in-process reader refuses (blank and NULL ids, missing times and values, of any unit and experiment), skips NULL event names',
    async (logs, flaws, picks, o) => {
      const records = withQualifyingNulls(logs, flawedRecords(logs, flaws), picks)
      await loadRecords(records)
      expectSameVerdict(await engineVerdict(db, logs, o), inProcessVerdict(logs, records, o), `duckdb ${JSON.stringify({ flaws, picks, o })}: `)
    },
  )
  test.prop([arbLogs({ experiments: 2 }), fc.array(arbEventFlaw(true), { maxLength: 3 }), fc.array(fc.nat(10_000), { maxLength: 2 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY })], { numRuns: 40 })(
    'the refusal counts the flawed qualifying events exactly (each once, of any unit, exposed or not)',
    async (logs, flaws, picks, o) => {
      const records = withQualifyingNulls(logs, flawedRecords(logs, flaws), picks)
      await loadRecords(records)
      expect(await refusedEventCount(db, logs, o)).toBe(flawedEventCount(logs, records))
    },
  )
  // Characters around the edges of the cheap pre-check (first character U+0020 or U+0021, U+009F or U+00A0, DEL; no
  // NUL, which the loader's SQL literals cannot hold).
  const EDGES = ['\u0001', '\t', '\u001f', ' ', '!', 'a', '\u007f', '\u0080', '\u009f', '\u00a0', '\u00a1', '\u1680', '\u2028', '\u3000', '\ufeff', '\ud83d\ude00']
  const edgy = fc.array(fc.constantFrom(...EDGES), { maxLength: 3 }).map((cs) => cs.join(''))
  it('a unit id is blank exactly when JavaScript trims it to nothing: every edge character alone, before and after a space or a letter', async () => {
    const { logs, records } = unitInTwoExperiments(0)
    for (const text of EDGES.flatMap((c) => [c, `${c} `, ` ${c}`, `${c}a`])) {
      for (const log of ['exposures', 'events'] as const) {
        const edited = { exposures: records.exposures.map((x) => ({ ...x })), events: records.events.map((e) => ({ ...e })) }
        edited[log][0]!.unit_id = text
        await loadRecords(edited)
        expectSameVerdict(await engineVerdict(db, logs), inProcessVerdict(logs, edited), `duckdb ${JSON.stringify({ text, log })}: `)
      }
    }
  }, 60_000)
  test.prop([arbLogs(), fc.oneof(edgy, fc.string({ unit: 'binary', maxLength: 3 }).filter((t) => !t.includes('\u0000'))), fc.nat(10_000), fc.constantFrom<'exposures' | 'events'>('exposures', 'events')], { numRuns: 60 })(
    'a unit id is blank exactly when JavaScript trims it to nothing (exposures and events)',
    async (logs, text, at, log) => {
      const records = flawedRecords(logs, [{ log, field: 'unit_id', at, text } as const])
      await loadRecords(records)
      expectSameVerdict(await engineVerdict(db, logs), inProcessVerdict(logs, records), `duckdb ${JSON.stringify({ text, log })}: `)
    },
  )
  test.prop([arbLogs()], { numRuns: 20 })('before 1970 (negative epoch times)', (logs) => check(shiftedLogs(logs, -T0 - 30 * DAY)))
  it('a unit in two experiments: the refusal counts each event without a value once', async () => {
    const { logs, records } = unitInTwoExperiments(2)
    await loadRecords(records)
    expect(await refusalReason(db, logs)).toMatch(/^2 qualifying event row\(s\) have no/)
    expect(await refusalReason(db, logs, { experiment: 'x1' })).toMatch(/^2 qualifying event row\(s\) have no/)
  })
})
