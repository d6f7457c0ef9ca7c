/**
 * The experiment-sums query on PostgreSQL (started by the harness on a loopback port) equals the in-process
 * reducer on random logs: windows with events on their edges, caps (PERCENTILE_CONT), CUPED, ratios, units in
 * two variants, dimensions, one experiment as of a cut-off.
 */
import { fc } from '@fast-check/vitest'
import { expect, it } from 'vitest'
import { arbLogs, DAY, T0, type Logs } from '../experiments/_logs'
import { arbEventFlaw, arbFlaw, engineVerdict, flawedEventCount, refusedEventCount, withQualifyingNulls, eventRecords, expectSameRun, expectSameVerdict, exposureRecords, flawedRecords, inProcessVerdict, refusalReason, shiftedLogs, unitInTwoExperiments, type EventRecord, type ExposureRecord, type SumsOptions } from './_experiments'
import { postgresSuite } from './_services'

postgresSuite('PostgreSQL: experiment sums', (server) => {
  const db = () => server.value()!

  const load = async (logs: Logs) => loadRecords({ exposures: exposureRecords(logs), events: eventRecords(logs) })
  const loadRecords = async (records: { readonly exposures: ReadonlyArray<ExposureRecord>; readonly events: ReadonlyArray<EventRecord> }) => {
    await db().loader.query('DROP TABLE IF EXISTS exposures; CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, "timestamp" BIGINT, country TEXT)')
    await db().loader.query('DROP TABLE IF EXISTS events; CREATE TABLE events (unit_id TEXT, "timestamp" BIGINT, event TEXT, value DOUBLE PRECISION, amount DOUBLE PRECISION)')
    await db().insert('exposures', 'unit_id, experiment, variant, "timestamp", country', records.exposures.map((x) => [x.unit_id, x.experiment, x.variant, x.timestamp, x.country]))
    await db().insert('events', 'unit_id, "timestamp", event, value, amount', records.events.map((e) => [e.unit_id, e.timestamp, e.event, e.value, e.amount]))
  }
  const check = async (logs: Logs, o: SumsOptions = {}) => {
    await load(logs)
    await expectSameRun(db().driver, logs, o, `postgres ${JSON.stringify(o)}: `)
  }

  it('equals the in-process reducer: every metric kind, windows, caps, CUPED, ratios', async (ctx) => {
    server.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(logs)), { numRuns: 40 })
  }, 240_000)
  it('per dimension value', async (ctx) => {
    server.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(logs, { dimension: true })), { numRuns: 25 })
  }, 240_000)
  it('one experiment, as of a cut-off', async (ctx) => {
    server.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs({ experiments: 2 }), fc.integer({ min: -2, max: 12 }), (logs, day) => check(logs, { experiment: 'x1', asOf: T0 + day * DAY })), { numRuns: 20 })
  }, 240_000)
  it('refuses exactly the rows the in-process reader refuses (blank and NULL ids, missing times and values, of any unit and experiment), skips NULL event names', async (ctx) => {
    server.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbLogs({ experiments: 2 }), fc.array(arbFlaw(true, true), { maxLength: 2 }), fc.array(fc.nat(10_000), { maxLength: 1 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY }), async (logs, flaws, picks, o) => {
        const records = withQualifyingNulls(logs, flawedRecords(logs, flaws), picks)
        await loadRecords(records)
        expectSameVerdict(await engineVerdict(db().driver, logs, o), inProcessVerdict(logs, records, o), `postgres ${JSON.stringify({ flaws, picks, o })}: `)
      }),
      { numRuns: 30 },
    )
  }, 240_000)
  it('the refusal counts the flawed qualifying events exactly (each once, of any unit, exposed or not)', async (ctx) => {
    server.get(ctx)
    await fc.assert(
      fc.asyncProperty(arbLogs({ experiments: 2 }), fc.array(arbEventFlaw(true), { maxLength: 3 }), fc.array(fc.nat(10_000), { maxLength: 2 }), fc.constantFrom<SumsOptions>({}, { experiment: 'x1' }, { experiment: 'x0', asOf: T0 + DAY }), async (logs, flaws, picks, o) => {
        const records = withQualifyingNulls(logs, flawedRecords(logs, flaws), picks)
        await loadRecords(records)
        expect(await refusedEventCount(db().driver, logs, o)).toBe(flawedEventCount(logs, records))
      }),
      { numRuns: 20 },
    )
  }, 240_000)
  it('before 1970 (negative epoch times)', async (ctx) => {
    server.get(ctx)
    await fc.assert(fc.asyncProperty(arbLogs(), (logs) => check(shiftedLogs(logs, -T0 - 30 * DAY))), { numRuns: 10 })
  }, 240_000)
  it('a unit in two experiments: the refusal counts each event without a value once', async (ctx) => {
    server.get(ctx)
    const { logs, records } = unitInTwoExperiments(2)
    await loadRecords(records)
    expect(await refusalReason(db().driver, logs)).toMatch(/^2 qualifying event row\(s\) have no/)
    expect(await refusalReason(db().driver, logs, { experiment: 'x1' })).toMatch(/^2 qualifying event row\(s\) have no/)
  }, 60_000)
})
