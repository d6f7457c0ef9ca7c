/**
 * The experiment-sums query held against the in-process reducer on real engines: random logs (tests/experiments/
 * _logs.ts) loaded as tables, the sums computed by the engine and by `logReducer`, and compared to 1e-9 relative
 * (unit counts exactly).
 */
import { fc } from '@fast-check/vitest'
import { orThrow } from '../_engines'
import { experimentSumsWithDriver, type EngineExperimentOptions } from '../../src/engines/experiments'
import type { SqlDriver } from '../../src/engines/driver'
import type { EventRow, ExposureRow, LogSums } from '../../src/experiments/model'
import { logReducer, type Span } from '../../src/experiments/reduce'
import { decodeEvent, decodeExposure, DEFAULT_EVENT_COLUMNS, DEFAULT_EXPOSURE_COLUMNS, eventLayout, exposureLayout, isIssue } from '../../src/experiments/rows'
import { decodeMetrics } from '../../src/experiments/metrics'
import { DAY, expectSameSums, T0, type Logs } from '../experiments/_logs'

/** Exposure rows as a loader writes them (the dimension in `country`). */
export const exposureRecords = (logs: Logs) =>
  logs.exposures.map((x) => ({ unit_id: x.unit, experiment: x.experiment, variant: x.variant, timestamp: x.time!, country: x.dimension }))

/** Event rows: both value columns the random metrics may read (`value`, `amount`). */
export const eventRecords = (logs: Logs) =>
  logs.events.map((e) => {
    const at = (c: string) => {
      const i = logs.metrics.valueColumns.indexOf(c)
      return i < 0 ? 0 : e.values[i]!
    }
    return { unit_id: e.unit, timestamp: e.time, event: e.event, value: at('value'), amount: at('amount') }
  })

export interface SumsOptions {
  readonly experiment?: string
  readonly asOf?: number
  readonly dimension?: boolean
}

/** The reducer's sums over the same rows. */
export const inProcessSums = (logs: Logs, o: SumsOptions = {}): LogSums => inProcessRun(logs, o).sums

/** The reducer's sums and time span over the same rows. */
export const inProcessRun = (logs: Logs, o: SumsOptions = {}): Outcome => {
  const r = logReducer({ metrics: logs.metrics, ...(o.experiment === undefined ? {} : { experiment: o.experiment }), ...(o.asOf === undefined ? {} : { asOf: o.asOf }), dimension: o.dimension === true })
  const exposures = orThrow(r)
  for (const x of logs.exposures) exposures.push(x)
  const events = exposures.done()
  for (const e of logs.events) events.push(e)
  return { sums: events.done(), span: events.span() }
}

/** Sums and the logs' time span, as the reducer and the engine runs give them. */
export interface Outcome {
  readonly sums: LogSums
  readonly span: Span
}

export const engineOptions = (logs: Logs, o: SumsOptions = {}): EngineExperimentOptions => ({
  metrics: logs.metrics,
  exposureColumns: { unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp', ...(o.dimension === true ? { dimension: 'country' } : {}) },
  eventColumns: { unit: 'unit_id', time: 'timestamp', event: 'event' },
  ...(o.experiment === undefined ? {} : { experiment: o.experiment }),
  ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
})

/** The engine's sums over tables `exposures` and `events` (already loaded). */
export const engineSums = async (driver: SqlDriver, logs: Logs, o: SumsOptions = {}, tables = { exposures: 'exposures', events: 'events' }): Promise<LogSums> => {
  const r = await experimentSumsWithDriver(driver, { exposures: { _tag: 'table', name: tables.exposures }, events: { _tag: 'table', name: tables.events } }, engineOptions(logs, o))
  return orThrow(r).sums
}

/** Exposure and event records as loaded (the dirty ones may hold blanks and nulls). */
export type ExposureRecord = { -readonly [K in keyof ReturnType<typeof exposureRecords>[number]]: ReturnType<typeof exposureRecords>[number][K] | null }
export type EventRecord = { -readonly [K in keyof ReturnType<typeof eventRecords>[number]]: ReturnType<typeof eventRecords>[number][K] | null }

/** Texts that are no id: empty, or nothing but white space as JavaScript's `trim` sees it. */
export const BLANKS = ['', ' ', '\t', '  \u00a0', '\u3000', '\ufeff', ' \u2028 ']

/**
 * One flaw put into the loaded rows: a blank unit, experiment or variant in an exposure (of any experiment), a
 * blank unit in an event (qualifying or not, exposed unit or not), or (where columns are nullable) a missing
 * exposure time, event time or event value; with `nullIds` also a missing unit, experiment or variant in an
 * exposure, a missing unit in an event, or a missing event name (a row the in-process reader skips).
 */
export type Flaw =
  | { readonly log: 'exposures'; readonly field: 'unit_id' | 'experiment' | 'variant'; readonly at: number; readonly text: string | null }
  | { readonly log: 'events'; readonly field: 'unit_id'; readonly at: number; readonly text: string | null }
  | { readonly log: 'exposures'; readonly field: 'timestamp'; readonly at: number; readonly text: null }
  | { readonly log: 'events'; readonly field: 'timestamp' | 'value' | 'amount' | 'event'; readonly at: number; readonly text: null }

export const arbFlaw = (nullable: boolean, nullIds = false): fc.Arbitrary<Flaw> => {
  const blank = fc.constantFrom(...BLANKS)
  const at = fc.nat(10_000)
  const texts: Array<fc.Arbitrary<Flaw>> = [
    fc.record({ log: fc.constant('exposures' as const), field: fc.constantFrom('unit_id' as const, 'experiment' as const, 'variant' as const), at, text: blank }),
    fc.record({ log: fc.constant('events' as const), field: fc.constant('unit_id' as const), at, text: blank }),
  ]
  const nulls: Array<fc.Arbitrary<Flaw>> = [
    fc.record({ log: fc.constant('exposures' as const), field: fc.constant('timestamp' as const), at, text: fc.constant(null) }),
    fc.record({ log: fc.constant('events' as const), field: fc.constantFrom('timestamp' as const, 'value' as const, 'amount' as const), at, text: fc.constant(null) }),
  ]
  const nullIdFlaws: Array<fc.Arbitrary<Flaw>> = [
    fc.record({ log: fc.constant('exposures' as const), field: fc.constantFrom('unit_id' as const, 'experiment' as const, 'variant' as const), at, text: fc.constant(null) }),
    fc.record({ log: fc.constant('events' as const), field: fc.constantFrom('unit_id' as const, 'event' as const), at, text: fc.constant(null) }),
  ]
  return fc.oneof(...texts, ...(nullable ? nulls : []), ...(nullable && nullIds ? nullIdFlaws : []))
}

/** The records of `logs` with `flaws` put in. */
export const flawedRecords = (logs: Logs, flaws: ReadonlyArray<Flaw>): { readonly exposures: Array<ExposureRecord>; readonly events: Array<EventRecord> } => {
  const exposures: Array<ExposureRecord> = exposureRecords(logs).map((x) => ({ ...x }))
  const events: Array<EventRecord> = eventRecords(logs).map((e) => ({ ...e }))
  for (const f of flaws) {
    if (f.log === 'exposures') (exposures[f.at % exposures.length] as Record<string, unknown>)[f.field] = f.text
    else (events[f.at % events.length] as Record<string, unknown>)[f.field] = f.text
  }
  return { exposures, events }
}

/**
 * `records` with the value dropped (NULL) at `picks` among the (event, value column) pairs a sum metric adds up:
 * a random flaw lands on such a pair rarely, and a dropped check for it would go unseen.
 */
export const withQualifyingNulls = (logs: Logs, records: ReturnType<typeof flawedRecords>, picks: ReadonlyArray<number>): ReturnType<typeof flawedRecords> => {
  const slots = records.events.flatMap((e, i) =>
    logs.metrics.valueColumns.filter((c) => logs.metrics.eventMetrics.some((m) => m.kind === 'sum' && m.value === c && m.events.includes(String(e.event)))).map((c) => [i, c] as const),
  )
  if (slots.length === 0) return records
  const events = records.events.map((e) => ({ ...e }))
  for (const p of picks) {
    const [i, c] = slots[p % slots.length]!
    ;(events[i] as Record<string, unknown>)[c] = null
  }
  return { exposures: records.exposures, events }
}

/** What the in-process reader makes of the records: refused (a line it stops at), or the reducer's sums. */
export const inProcessVerdict = (logs: Logs, records: ReturnType<typeof flawedRecords>, o: SumsOptions = {}): 'refused' | Outcome => {
  const xl = exposureLayout(['unit_id', 'experiment', 'variant', 'timestamp', 'country'], { ...DEFAULT_EXPOSURE_COLUMNS, ...(o.dimension === true ? { dimension: 'country' } : {}) })
  const el = eventLayout(['unit_id', 'timestamp', 'event', 'value', 'amount'], DEFAULT_EVENT_COLUMNS, logs.metrics)
  if ('issue' in xl || 'issue' in el) throw new Error('the test layouts do not decode')
  const decodeX = decodeExposure(xl.layout, 'ms')
  const decodeE = decodeEvent(el.layout, logs.metrics, 'ms')
  const xs: Array<ExposureRow> = []
  for (const [i, r] of records.exposures.entries()) {
    const x = decodeX(r, i + 2)
    if (isIssue(x)) return 'refused'
    xs.push(x)
  }
  const es: Array<EventRow> = []
  for (const [i, r] of records.events.entries()) {
    const e = decodeE(r, i + 2)
    if (e === undefined) continue
    if (isIssue(e)) return 'refused'
    es.push(e)
  }
  return inProcessRun({ metrics: logs.metrics, exposures: xs, events: es }, o)
}

/** The engine's answer over loaded flawed records: refused (InsufficientData, naming what is missing) or sums. */
export const engineVerdict = async (driver: SqlDriver, logs: Logs, o: SumsOptions = {}): Promise<'refused' | Outcome> => {
  const r = await experimentSumsWithDriver(driver, { exposures: { _tag: 'table', name: 'exposures' }, events: { _tag: 'table', name: 'events' } }, engineOptions(logs, o))
  if (r._tag === 'Left' && r.left._tag === 'InsufficientData') return 'refused'
  const { sums, span } = orThrow(r)
  return { sums, span }
}

/** The engine refuses exactly what the in-process reader refuses, and otherwise computes the same sums. */
export const expectSameVerdict = (engine: 'refused' | Outcome, inProcess: 'refused' | Outcome, label: string): void => {
  if (engine === 'refused' || inProcess === 'refused') {
    if (engine !== inProcess) throw new Error(`${label}the engine ${engine === 'refused' ? 'refused' : 'computed sums'}, the in-process reader ${inProcess === 'refused' ? 'refused' : 'computed sums'}`)
    return
  }
  expectSameSums(engine.sums, inProcess.sums, label)
  expectSameSpan(engine.span, inProcess.span, label)
}

/** The same time span (times are whole milliseconds here: exactly equal). */
export const expectSameSpan = (engine: Span, inProcess: Span, label: string): void => {
  if (engine.firstExposure !== inProcess.firstExposure || engine.last !== inProcess.last) throw new Error(`${label}span ${JSON.stringify(engine)} on the engine, ${JSON.stringify(inProcess)} in process`)
}

/** The engine's sums and span over tables `exposures` and `events` equal the reducer's over the same rows. */
export const expectSameRun = async (driver: SqlDriver, logs: Logs, o: SumsOptions, label: string): Promise<void> => {
  const r = await experimentSumsWithDriver(driver, { exposures: { _tag: 'table', name: 'exposures' }, events: { _tag: 'table', name: 'events' } }, engineOptions(logs, o))
  const { sums, span } = orThrow(r)
  const expected = inProcessRun(logs, o)
  expectSameSums(sums, expected.sums, label)
  expectSameSpan(span, expected.span, label)
}

/**
 * Unit `u1` exposed in two experiments (and `u2` in one), with `missing` purchases that have no value for the sum
 * metric: the engine joins each event with every experiment of its unit, and must still count each row once.
 */
export const unitInTwoExperiments = (missing: number): { readonly logs: Logs; readonly records: ReturnType<typeof flawedRecords> } => {
  const metrics = decodeMetrics({ metrics: [{ name: 'revenue', kind: 'sum', events: ['buy'], value: 'value' }, { name: 'orders', kind: 'count', events: ['buy'] }] })
  if (metrics._tag === 'Left') throw new Error('the test metrics do not decode')
  const exposures: Array<ExposureRow> = [
    { unit: 'u1', experiment: 'x0', variant: 'v0', time: T0, dimension: '' },
    { unit: 'u1', experiment: 'x1', variant: 'v1', time: T0 + DAY, dimension: '' },
    { unit: 'u2', experiment: 'x0', variant: 'v1', time: T0, dimension: '' },
  ]
  const events: Array<EventRow> = [
    ...Array.from({ length: missing }, (_, i) => ({ unit: 'u1', time: T0 + 2 * DAY + i, event: 'buy', values: [0] })),
    { unit: 'u1', time: T0 + 3 * DAY, event: 'buy', values: [5] },
    { unit: 'u2', time: T0 + DAY, event: 'buy', values: [7] },
  ]
  const logs: Logs = { metrics: metrics.right, exposures, events }
  const records = flawedRecords(logs, [])
  records.events.forEach((e, i) => {
    if (i < missing) e.value = null
  })
  return { logs, records }
}

/** The reason an engine gives for refusing, or what it computed instead (for a failing expectation to show). */
export const refusalReason = async (driver: SqlDriver, logs: Logs, o: SumsOptions = {}): Promise<string> => {
  const r = await experimentSumsWithDriver(driver, { exposures: { _tag: 'table', name: 'exposures' }, events: { _tag: 'table', name: 'events' } }, engineOptions(logs, o))
  return r._tag === 'Left' && r.left._tag === 'InsufficientData' ? r.left.reason : `not refused: ${JSON.stringify(r)}`
}

/** The logs moved by `ms` (before 1970 when negative): the sums do not depend on where the clock starts. */
export const shiftedLogs = (logs: Logs, ms: number): Logs => ({
  metrics: logs.metrics,
  exposures: logs.exposures.map((x) => ({ ...x, time: x.time === undefined ? undefined : x.time + ms })),
  events: logs.events.map((e) => ({ ...e, time: e.time + ms })),
})

/**
 * The qualifying event rows of `records` the in-process reader refuses, counted directly (not by the reader, which
 * stops at the first): a blank or missing unit id, a missing time, or a missing value a sum metric adds up.
 */
export const flawedEventCount = (logs: Logs, records: ReturnType<typeof flawedRecords>): number => {
  const qualifying = new Set(logs.metrics.eventMetrics.flatMap((m) => m.events))
  return records.events.filter((e) => {
    if (e.event === null || !qualifying.has(e.event)) return false
    const valueMissing = logs.metrics.eventMetrics.some((m) => m.kind === 'sum' && m.value !== undefined && m.events.includes(e.event!) && (e as Record<string, unknown>)[m.value] === null)
    return e.unit_id === null || e.unit_id.trim() === '' || e.timestamp === null || valueMissing
  }).length
}

/** Flaws in the event log only (so the refusal, if any, names the events and their number). */
export const arbEventFlaw = (nullIds: boolean): fc.Arbitrary<Flaw> => arbFlaw(true, nullIds).filter((f) => f.log === 'events')

/** The number a refusal gives for the flawed qualifying events, 0 when the engine computed sums. */
export const refusedEventCount = async (driver: SqlDriver, logs: Logs, o: SumsOptions = {}): Promise<number> => {
  const reason = await refusalReason(driver, logs, o)
  if (reason.startsWith('not refused')) return 0
  const n = /^(\d+) qualifying event row\(s\) have no/.exec(reason)
  if (n === null) throw new Error(`an unexpected refusal: ${reason}`)
  return Number(n[1])
}
