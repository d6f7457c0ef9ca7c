/**
 * Journeys built where the data lives and handed over one by one: the engine cuts the rows into journeys (for
 * events the order-dependent work: each user's rows sorted, conversions closing journeys, the lookback), and the
 * caller reduces them in process exactly as it reduces its own (`touchpoint report --engine`). Rows stream in
 * batches, so memory follows the caller's reduction, not the journeys.
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Journey } from '../attribution/model'
import { formatError } from '../core/errors'
import { compileJourneys } from '../sql/compileJourneys'
import { decodeChannels } from '../sql/decode'
import type { SqlSource } from '../sql/model'
import type { SqlDriver } from './driver'
import { duckDbPasses, pass } from './passes'
import { planQuery, type EngineAttributionOptions } from './query'

/** What a run of `journeysWithDriver` read. @internal */
export interface EngineJourneys {
  readonly input: 'paths' | 'events'
  /** Input rows (valid and invalid). */
  readonly rows: number
  /** Input rows left out as invalid (an empty path or channel, a missing user or time, a marker that is none...). */
  readonly invalidRows: number
  readonly journeys: number
  readonly sql: string
}

const num = (u: unknown): number => (typeof u === 'number' ? u : typeof u === 'bigint' ? Number(u) : typeof u === 'string' ? Number(u) : Number.NaN)

const list = (u: unknown): ReadonlyArray<unknown> | undefined => {
  if (Array.isArray(u)) return u
  // Engines that send arrays as text (a JSON array, PostgreSQL's {a,b}) are not expected here: the drivers parse them.
  return undefined
}

/**
 * What `journeysWithDriver` asks the engine for besides the journeys.
 *
 * @internal
 */
export interface EngineJourneyOptions {
  /**
   * Events: each journey with its user's previous conversion (`previousConversion`, NaN for none), as the
   * in-process builder hands it on with `afterPurchaseMs`: the report's after-purchase section. Paths carry none.
   */
  readonly previousConversion?: boolean
}

/** A journey from one result row, or a message naming what is wrong with the row. */
const journeyOf = (row: Record<string, unknown>, timed: boolean, previous: boolean): E.Either<string, Journey> => {
  const channels = list(row['channels'])
  const conversions = num(row['conversions'])
  const value = num(row['value'])
  const nulls = num(row['nulls'])
  if (channels === undefined || channels.length === 0 || !channels.every((c) => typeof c === 'string')) return E.left(`a journey's channels are no list of names: ${JSON.stringify(row['channels'])}`)
  if (![conversions, value, nulls].every(Number.isFinite)) return E.left(`a journey's conversions, value or nulls are not numbers: ${[row['conversions'], row['value'], row['nulls']].map(String).join(', ')}`)
  const names: Array<string> = []
  for (const c of channels) {
    const decoded = decodeChannels(c as string)
    if (E.isLeft(decoded) || decoded.right.length > 1) return E.left(`a journey's channel is no encoded channel name: ${JSON.stringify(c)}`)
    names.push(decoded.right[0] ?? '')
  }
  if (!timed) return E.right({ channels: names, conversions, value, nulls })
  const times = list(row['times'])?.map(num)
  if (times === undefined || times.length !== names.length || !times.every(Number.isFinite)) return E.left(`a journey's times do not match its channels: ${JSON.stringify(row['times'])}`)
  const at = num(row['conversion_time'])
  const journey = { channels: names, conversions, value, nulls, times, ...(conversions > 0 && Number.isFinite(at) ? { conversionTime: at } : {}) }
  if (!previous) return E.right(journey)
  // NULL: the user converted before no journey of this one; NaN is how the in-process builder says it.
  const before = row['previous_conversion'] === null ? Number.NaN : num(row['previous_conversion'])
  if (!(Number.isNaN(before) ? row['previous_conversion'] === null : Number.isFinite(before))) return E.left(`a journey's previous conversion is no time: ${JSON.stringify(row['previous_conversion'])}`)
  return E.right({ ...journey, previousConversion: before })
}

/**
 * Runs the journeys of `source` on `driver` and hands each valid one to `sink`, in no particular order (with
 * `extra.previousConversion`, each event journey carries its user's previous conversion). A Left
 * says why nothing (more) can be read: the input could not be planned, or a row did not decode.
 *
 * @internal
 */
export const journeysWithDriver = async (
  driver: SqlDriver,
  source: SqlSource,
  options: EngineAttributionOptions,
  sink: (journey: Journey) => void,
  extra: EngineJourneyOptions = {},
): Promise<E.Either<string, EngineJourneys>> => {
  const query = await planQuery(driver, source, options)
  if (E.isLeft(query)) return E.left(formatError(query.left))
  const counted = await duckDbPasses(driver, query.right, true)
  if (E.isLeft(counted)) return E.left(formatError(counted.left))
  const passes = counted.right
  let rows = 0
  let invalidRows = 0
  let journeys = 0
  let sql = ''
  for (let i = 0; i < passes; i++) {
    const q = query.right.input._tag === 'events' ? pass({ ...query.right, input: query.right.input }, i, passes) : query.right
    const compiled = compileJourneys(driver.dialect, { previousConversion: extra.previousConversion === true })(q)
    if (E.isLeft(compiled)) return E.left(formatError(compiled.left))
    if (i === 0) sql = compiled.right.sql
    const timed = compiled.right.columns.includes('times')
    const previous = compiled.right.columns.includes('previous_conversion')
    for await (const batch of driver.rows(compiled.right.sql)) {
      for (const row of batch) {
        const r = num(row['rows'])
        if (!Number.isFinite(r)) return E.left(`a journey's row count is no number: ${String(row['rows'])}`)
        rows += r
        if (num(row['ok']) !== 1) {
          invalidRows += r
          continue
        }
        const j = journeyOf(row, timed, previous)
        if (E.isLeft(j)) return E.left(`the engine's journeys did not decode: ${j.left}`)
        journeys++
        sink(j.right)
      }
    }
  }
  return E.right({ input: query.right.input._tag, rows, invalidRows, journeys, sql })
}
