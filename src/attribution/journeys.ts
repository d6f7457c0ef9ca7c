/**
 * Building journeys from event-level touches: a state machine fed one event at a time, in file order.
 *
 * Rules (MAM's `create_journey_id_based_on_conversion`, with a lookback window):
 * - Per user, events must come in time order (ties keep file order). An event earlier than the same user's
 *   previous one is reported on its line: sort the export by user and time (or by time).
 * - A conversion closes the user's journey; the conversion hit belongs to it (a touch on the same row is its last
 *   touch); the next touch opens a new journey.
 * - Lookback `L`: a converting journey keeps touch i iff 0 <= T - τ_i <= L. A conversion left with no touch is
 *   credited to `(unattributed)` so totals still add up.
 * - A non-converting tail becomes a null path at the end of input (or, in `grouped` mode, when the next user's
 *   events start). It has no conversion time: its window is anchored at its last touch.
 *
 * Memory: one entry per user seen (pending touches and the last time, to check order); with `grouped: true` (the file is sorted by user, then
 * time: `ORDER BY user_id, ts`) only the current user's, so memory stays flat however long the file. In grouped
 * mode a user whose events are not contiguous is not detected: each run of their events is its own history.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, type TouchpointError } from '../core/errors'
import type { EventRow } from './decode'
import type { Journey } from './model'
import { UNATTRIBUTED } from './model'

/**
 * @category journeys
 * @since 0.1.0
 */
export interface JourneyOptions {
  /** Lookback window in milliseconds; none by default (every touch since the previous conversion counts). */
  readonly lookbackMs?: number
  /** The input is sorted by user then time: close a user's journey as soon as the next user's events start. */
  readonly grouped?: boolean
  /** Column name used in the out-of-order issue (default `timestamp`). */
  readonly timeColumn?: string
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

interface Open {
  channels: Array<string>
  times: Array<number>
  lastTime: number
}

const NONE: ReadonlyArray<Journey> = []

const iso = (ms: number) => {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString()
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
  const lookback = options.lookbackMs ?? Infinity
  const grouped = options.grouped === true
  const timeColumn = options.timeColumn ?? 'timestamp'
  const open = new Map<string, Open>()
  let current: string | undefined

  const window = (o: Open, anchor: number): { channels: Array<string>; times: Array<number> } => {
    let from = 0
    while (from < o.times.length && anchor - o.times[from]! > lookback) from++
    return from === 0 ? { channels: o.channels, times: o.times } : { channels: o.channels.slice(from), times: o.times.slice(from) }
  }

  const close = (o: Open): Journey | undefined => {
    if (o.channels.length === 0) return undefined
    const w = window(o, o.times[o.times.length - 1]!)
    return { channels: w.channels, times: w.times, conversions: 0, value: 0, nulls: 1 }
  }

  const push = (row: EventRow, line: number): E.Either<TouchpointError, ReadonlyArray<Journey>> => {
    let done: Array<Journey> | undefined
    if (grouped && current !== row.user) {
      if (current !== undefined) {
        const prev = open.get(current)
        open.delete(current)
        const j = prev === undefined ? undefined : close(prev)
        if (j !== undefined) done = [j]
      }
      current = row.user
    }
    let o = open.get(row.user)
    if (o !== undefined && row.time < o.lastTime) {
      return E.left(
        invalidInput([
          {
            path: timeColumn,
            expected: `a time not before this user's previous event (${iso(o.lastTime)}): sort events by user and time`,
            actual: iso(row.time),
            line,
          },
        ]),
      )
    }
    if (o === undefined) {
      o = { channels: [], times: [], lastTime: row.time }
      open.set(row.user, o)
    }
    o.lastTime = row.time
    if (row.channel !== '') {
      o.channels.push(row.channel)
      o.times.push(row.time)
    }
    if (row.conversion) {
      const w = window(o, row.time)
      const j: Journey =
        w.channels.length === 0
          ? { channels: [UNATTRIBUTED], times: [row.time], conversions: 1, value: row.value, nulls: 0, conversionTime: row.time }
          : { channels: w.channels, times: w.times, conversions: 1, value: row.value, nulls: 0, conversionTime: row.time }
      o.channels = []
      o.times = []
      ;(done ??= []).push(j)
    }
    return E.right(done ?? NONE)
  }

  const end = (): ReadonlyArray<Journey> => {
    const out: Array<Journey> = []
    for (const o of open.values()) {
      const j = close(o)
      if (j !== undefined) out.push(j)
    }
    open.clear()
    current = undefined
    return out
  }

  return { push, end, openUsers: () => open.size }
}
