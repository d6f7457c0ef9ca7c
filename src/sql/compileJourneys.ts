/**
 * The journeys themselves, compiled: one row per journey as the in-process reader cuts it (the first half of the
 * attribution query, `journeys.ts`), for readers that need more than attribution's partial result. The report
 * is one: its bootstrap draws per journey from the journey's content, and its histograms read times, so an
 * engine builds the journeys (the order-dependent work: sorting a user's events, the lookback) and touchpoint
 * reduces them exactly as it reduces its own.
 *
 * Result columns: `ok` (0: the row stands for invalid input rows, counted in `rows`), `conversions`, `value`,
 * `nulls`, `rows` (input rows), `channels` (the journey's channel names, `%` and `>` written `%25` and `%3E`),
 * and for events `times` (ms since 1970, one per touch) and `conversion_time` (read only when it converted).
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { checkAttributionQuery } from './check'
import type { DialectName } from './dialect'
import { DIALECTS } from './dialects'
import { eventJourneysByWindows, pathJourneys } from './journeys'
import { eventJourneysByArrays } from './journeysByArrays'
import type { CompiledQuery } from './model'

/** @internal */
export const JOURNEY_COLUMNS = ['ok', 'conversions', 'value', 'nulls', 'rows', 'channels', 'times', 'conversion_time', 'previous_conversion'] as const

/** @internal What `compileJourneys` adds to the journeys. */
export interface JourneyOptions {
  /** Events: `previous_conversion`, the user's conversion before the journey (NULL: none; previousConversion.ts). */
  readonly previousConversion?: boolean
}

/**
 * The journeys of `query`'s input (its models and settings other than the input's are not read, but checked).
 *
 * @internal
 */
export const compileJourneys =
  (dialect: DialectName, options: JourneyOptions = {}) =>
  (query: unknown): E.Either<TouchpointError, CompiledQuery> => {
    const d = Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined
    if (d === undefined) return E.left(invalidInput([issue('dialect', `one of ${Object.keys(DIALECTS).join(', ')}`, dialect)]))
    return pipe(
      checkAttributionQuery(query),
      E.map((q) => {
        const input = q.input
        const needs = { sets: false, lastNonDirect: false, conversionTime: true, previousConversion: options.previousConversion === true && input._tag === 'events' }
        const j = input._tag === 'paths' ? pathJourneys(d, q, input, needs) : d.journeys === 'windows' ? eventJourneysByWindows(d, q, input, needs) : eventJourneysByArrays(d, q, input, needs)
        const timed = j.timed ? `, tp_ts AS times, tp_cvt AS conversion_time${needs.previousConversion ? ', tp_pc AS previous_conversion' : ''}` : ''
        const columns = j.timed ? JOURNEY_COLUMNS.slice(0, needs.previousConversion ? 9 : 8) : JOURNEY_COLUMNS.slice(0, 6)
        return { dialect: d.name, sql: `SELECT tp_ok AS ok, tp_c AS conversions, tp_v AS value, tp_nl AS nulls, tp_r AS ${d.ident('rows')}, tp_a AS channels${timed}\nFROM ${j.from}`, columns }
      }),
    )
  }
