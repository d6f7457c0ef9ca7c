/**
 * Building journeys from event-level touches, one event at a time, for callers holding decoded events: the
 * journey builder of the reading pipeline (src/attribution/read/journeys.ts) with channel names in and `Journey`
 * values out. The rules are the pipeline's (docs/attribution.md, "Events: the exact rules"): per user in time
 * order, a conversion closes the journey and credits its touches within the lookback window, a journey with no
 * conversion ends when the user's next event comes more than the lookback after its last touch, or at the end.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { journeyOptionIssues } from './internal/guards'
import type { EventRow } from './decode'
import type { Journey } from './model'
import { UNATTRIBUTED } from './model'
import { journeyCore, UNATTRIBUTED_CHANNEL } from './read/journeys'

/**
 * @category journeys
 * @since 0.1.0
 */
export interface JourneyOptions {
  /** Lookback window in milliseconds; none by default (every touch since the previous conversion counts). */
  readonly lookbackMs?: number
  /**
   * The input is sorted by user then time: close a user's journey as soon as the next user's events start. A
   * user seen again after another user is an error.
   */
  readonly grouped?: boolean
  /** Column names used in messages (default `timestamp` and `user_id`). */
  readonly timeColumn?: string
  readonly userColumn?: string
  /**
   * Keep each user's last conversion this long (milliseconds) and set `previousConversion` on the user's later
   * journeys (NaN: none held), for the report's after-purchase section; absent: not set.
   */
  readonly afterPurchaseMs?: number
}

/**
 * A journey builder: `push` an event (with its line), get the journeys it completed; `end` closes the rest.
 *
 * @category journeys
 * @since 0.1.0
 */
export interface JourneyBuilder {
  readonly push: (row: EventRow, line: number) => E.Either<TouchpointError, ReadonlyArray<Journey>>
  readonly end: () => ReadonlyArray<Journey>
  /** Users held now (what memory grows with). */
  readonly openUsers: () => number
}

/** From plain JavaScript: why `row` is not an `EventRow` (as the decoders build it). */
const rowIssues = (row: unknown): ReadonlyArray<Issue> => {
  if (!isRecord(row)) return [issue('row', 'an event row (from decodeEventFields or decodeEventJson)', row)]
  const { user, time, channel, conversion, value } = row as Record<string, unknown>
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x)
  return [
    ...(typeof user === 'string' ? [] : [issue('row.user', 'a user id (a string)', user)]),
    ...(finite(time) ? [] : [issue('row.time', 'a finite time in milliseconds', time)]),
    ...(typeof channel === 'string' ? [] : [issue('row.channel', "a channel name ('' for none)", channel)]),
    ...(typeof conversion === 'boolean' ? [] : [issue('row.conversion', 'true or false', conversion)]),
    ...(finite(value) ? [] : [issue('row.value', 'a finite value', value)]),
  ]
}

/**
 * A new journey builder.
 *
 * @example
 * const b = journeyBuilder({ lookbackMs: 30 * DAY_MS })
 * b.push({ user: 'u', time: 0, channel: 'search', conversion: false, value: 0 }, 2) // => right([])
 * b.push({ user: 'u', time: DAY_MS, channel: 'email', conversion: true, value: 40 }, 3)
 * // => right([{ channels: ['search', 'email'], times: [0, 86400000], conversions: 1, value: 40, nulls: 0, conversionTime: 86400000 }])
 *
 * @category journeys
 * @since 0.1.0
 */
export const journeyBuilder = (options: JourneyOptions = {}): JourneyBuilder => {
  const bad = journeyOptionIssues(options)
  // Options that are none: every push answers the same Left, and nothing is built.
  if (bad.length > 0) return { push: () => E.left(invalidInput(bad)), end: () => [], openUsers: () => 0 }
  const names: Array<string> = []
  const index = new Map<string, number>()
  let done: Array<Journey> = []
  const core = journeyCore(
    {
      ...(options.lookbackMs === undefined ? {} : { lookbackMs: options.lookbackMs }),
      order: options.grouped === true ? 'grouped' : 'any',
      timeColumn: options.timeColumn ?? 'timestamp',
      userColumn: options.userColumn ?? 'user_id',
      ...(typeof options.afterPurchaseMs === 'number' && options.afterPurchaseMs > 0 ? { afterPurchaseMs: options.afterPurchaseMs } : {}),
    },
    (channels, times, n, conversions, value, nulls, conversionTime, previousConversion) => {
      const j: Journey = {
        channels: Array.from({ length: n }, (_, i) => (channels[i] === UNATTRIBUTED_CHANNEL ? UNATTRIBUTED : names[channels[i]!]!)),
        times: times.slice(0, n),
        conversions,
        value,
        nulls,
        ...(conversionTime === undefined ? {} : { conversionTime }),
        ...(previousConversion === undefined ? {} : { previousConversion }),
      }
      done.push(j)
    },
  )
  const channelOf = (name: string): number => {
    if (name === '') return -1
    let i = index.get(name)
    if (i === undefined) {
      i = names.length
      names.push(name)
      index.set(name, i)
    }
    return i
  }
  const take = (): ReadonlyArray<Journey> => {
    const out = done
    done = []
    return out
  }
  return {
    push: (row, givenLine) => {
      const notRow = rowIssues(row)
      if (notRow.length > 0) return E.left(invalidInput(notRow))
      const line = typeof givenLine === 'number' && Number.isInteger(givenLine) && givenLine > 0 ? givenLine : 0
      // As the readers refuse it: a value needs a conversion on the same row (it would be dropped without a word).
      if (!row.conversion && row.value > 0) {
        const why = issue('row.value', '0 on a row that is no conversion (a conversion value needs a conversion on the same row)', row.value)
        return E.left(invalidInput([line > 0 ? { ...why, line } : why]))
      }
      // A row that is neither a touch nor a conversion changes nothing.
      if (row.channel === '' && !row.conversion) return E.right([])
      const problem = core.push(row.user, 0, row.user.length, row.time, channelOf(row.channel), row.conversion, Number.NaN, row.value, line, 0)
      if (problem !== undefined) {
        done = []
        return E.left(problem)
      }
      return E.right(take())
    },
    end: () => {
      core.end()
      return take()
    },
    openUsers: core.openUsers,
  }
}
