/**
 * The journey builder's contract: the sink that receives finished journeys, its options, the builder's interface,
 * and the words of its ordering errors (which the CLI matches). Split from journeys.ts.
 *
 * @module
 */
import { type TouchpointError } from '../../core/errors'

/**
 * Receives a finished journey: channels `channels[0, n)` (the caller's channel indexes; `UNATTRIBUTED_CHANNEL`
 * for a conversion with no touch) at `times[0, n)`. The arrays are reused: consume them before returning.
 *
 * @category reading
 * @since 0.2.0
 */
export type JourneySink = (
  channels: ReadonlyArray<number>,
  times: ReadonlyArray<number>,
  n: number,
  conversions: number,
  value: number,
  nulls: number,
  conversionTime: number | undefined,
  /**
   * Only with `afterPurchaseMs`: the time of this user's previous conversion (the conversion that closed the
   * journey before), NaN when the user has none held; undefined without the option.
   */
  previousConversion?: number,
) => void

/**
 * The channel index a conversion with no touch is handed over with: the caller names it `(unattributed)`.
 *
 * @category reading
 * @since 0.2.0
 */
export const UNATTRIBUTED_CHANNEL = -1

/**
 * The words of the error for events in no order the reader can stream (a user's event after that user may have
 * been closed): the CLI finds them to hand the input to an engine that sorts (`--engine auto`).
 *
 * @internal
 */
export const NOT_IN_TIME_ORDER = 'the events are not in time order'

/** The words of the errors for a user's events out of time order, or not together with --grouped. @internal */
export const USER_OUT_OF_ORDER = ['sort events by user and time', "each user's events together"] as const

/**
 * @category reading
 * @since 0.2.0
 */
export interface JourneyCoreOptions {
  /** Lookback window in milliseconds; absent: no limit (and nothing can be closed before the end). */
  readonly lookbackMs?: number
  readonly order: 'any' | 'grouped'
  /** Column names, for messages. */
  readonly timeColumn: string
  readonly userColumn: string
  /** How far out of time order a file may be and still be read as time-ordered, in milliseconds (one day). */
  readonly slackMs?: number
  /** Where line `line` of source `source` is, for messages (`events.csv:12`). */
  readonly where?: (source: number, line: number) => string
  /** Users are looked over after at least this many events (and as many as are held): 65 536. */
  readonly passEvery?: number
  /**
   * Keep each user's last conversion for this long (milliseconds) and hand it on with the user's later journeys
   * (`JourneySink`'s `previousConversion`); absent: not kept, not handed on.
   */
  readonly afterPurchaseMs?: number
}

/**
 * A journey builder over channel indexes (see the module notes).
 *
 * @category reading
 * @since 0.2.0
 */
export interface JourneyCore {
  /**
   * One event of the user whose id is `user.slice(userStart, userEnd)` (read in place: a row's id is not cut out
   * of its line): `channel` is -1 for a row that is no touch; `conversionTime` NaN for the row's own time, else not
   * before `time`. Returns the error that refuses the event (the state is then unchanged), or undefined.
   */
  readonly push: (
    user: string,
    userStart: number,
    userEnd: number,
    time: number,
    channel: number,
    conversion: boolean,
    conversionTime: number,
    value: number,
    line: number,
    source: number,
  ) => TouchpointError | undefined
  /** Closes every open journey (the end of the input). */
  readonly end: () => void
  /** Users held now, and at most so far. */
  readonly openUsers: () => number
  readonly peakOpenUsers: () => number
  /** Whether the input has been in time order so far (within the slack), so that users could be dropped. */
  readonly timeOrdered: () => boolean
}
