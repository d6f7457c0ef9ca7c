/**
 * The experiment-sums query held against the in-process reducer on real engines: random logs (tests/experiments/
 * _logs.ts) loaded as tables, the sums computed by the engine and by `logReducer`, and compared to 1e-9 relative
 * (unit counts exactly).
 */
import { orThrow } from '../_engines'
import { experimentSumsWithDriver, type EngineExperimentOptions } from '../../src/engines/experiments'
import type { SqlDriver } from '../../src/engines/driver'
import type { LogSums } from '../../src/experiments/model'
import { logReducer } from '../../src/experiments/reduce'
import type { Logs } from '../experiments/_logs'

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
export const inProcessSums = (logs: Logs, o: SumsOptions = {}): LogSums => {
  const r = logReducer({ metrics: logs.metrics, ...(o.experiment === undefined ? {} : { experiment: o.experiment }), ...(o.asOf === undefined ? {} : { asOf: o.asOf }), dimension: o.dimension === true })
  const exposures = orThrow(r)
  for (const x of logs.exposures) exposures.push(x)
  const events = exposures.done()
  for (const e of logs.events) events.push(e)
  return events.done()
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
