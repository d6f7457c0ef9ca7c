/**
 * Reading, stage 5 (journeys → **a mergeable reducer**): what the pipeline feeds. Attribution's `accumulator`
 * is one; so is anything with the same shape (the report's combined reducer), which is how one read serves both.
 *
 * @module
 */
import type { Accumulator } from '../accumulate'

/**
 * A running reduction of journeys. `channelIndex` registers a channel name and returns its index (registration
 * order is the order channels are listed in results); `addIndexed` adds a journey given by channel indexes
 * (`times` and `conversionTime` for event input, `previousConversion` when it asks by `afterPurchaseMs`); `countRows` counts the input rows behind them; `snapshot`
 * returns the partial result so far, as plain data that merges.
 *
 * @category reading
 * @since 0.2.0
 */
export interface Reducer<P> {
  readonly channelIndex: (channel: string) => number
  /** The accumulator's `addIndexed`, plus the previous conversion (a reducer that does not ask ignores it). */
  readonly addIndexed: (...args: [...Parameters<Accumulator['addIndexed']>, previousConversion?: number]) => void
  readonly countRows: (rows: number) => void
  readonly snapshot: () => P
  /**
   * Set by a reducer that wants, with each event journey, the time of the same user's previous conversion
   * (`previousConversion`, NaN for none) kept this long in milliseconds: the report's after-purchase section.
   */
  readonly afterPurchaseMs?: number
}
