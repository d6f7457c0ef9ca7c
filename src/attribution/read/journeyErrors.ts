/**
 * The journey builder's errors on an event's line: events not in time order (a user that may have been closed
 * already), an event before its user's previous one, a conversion time before its row's, and, grouped, a user's
 * events split by another's. Split from
 * journeys.ts.
 *
 * @module
 */
import { invalidInput, type TouchpointError } from '../../core/errors'
import { NOT_IN_TIME_ORDER } from './journeyModel'

const iso = (ms: number): string => {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString()
}

/**
 * @internal Order `any`: an event at `time` no later than `floor`, the bound below which it may belong to a user
 * already closed and dropped (the latest time seen when users were dropped was at `floorAt`).
 */
export const notInTimeOrder = (timeColumn: string, floor: number, floorAt: string, user: string, time: number, line: number): TouchpointError =>
  invalidInput([
    {
      path: timeColumn,
      expected: `a time after ${iso(floor)}: ${NOT_IN_TIME_ORDER} (they were up to ${floorAt}), and user ${JSON.stringify(user)} may have had events already closed. Sort the events by time (ORDER BY ${timeColumn}), or by user and time and pass --grouped (grouped: true)`,
      actual: iso(time),
      line,
    },
  ])

/** @internal An event earlier than the same user's previous one (at `previous`). */
export const beforePrevious = (timeColumn: string, previous: number, time: number, line: number): TouchpointError =>
  invalidInput([
    {
      path: timeColumn,
      expected: `a time not before this user's previous event (${iso(previous)}): sort events by user and time`,
      actual: iso(time),
      line,
    },
  ])

/** @internal Order `grouped`: user `id` seen again after another user's events (its events began at `beganAt`). */
export const usersInterleaved = (userColumn: string, beganAt: string, id: string, line: number): TouchpointError =>
  invalidInput([
    {
      path: userColumn,
      expected: `each user's events together (grouped: sorted by user, then time): this user's events began at ${beganAt}, and another user's came between`,
      actual: id,
      line,
    },
  ])

/**
 * @internal A conversion whose own time lies before its row's `time`: the row's touch would follow its conversion,
 * and touches more than the lookback before the row are already dropped (the readers refuse such a row first).
 */
export const conversionBeforeRow = (timeColumn: string, time: number, conversionTime: number, line: number): TouchpointError =>
  invalidInput([{ path: 'conversionTime', expected: `a conversion time not before the row's ${timeColumn} (${iso(time)})`, actual: iso(conversionTime), line }])
