/**
 * Events cut into journeys with array functions, for engines without window functions (ClickHouse before 21.x).
 *
 * @module
 */
import type { Dialect } from './dialect'
import type { JourneySql } from './journeys'
import type { AttributionQuery, SqlEvents } from './model'

export const eventJourneysByArrays = (_d: Dialect, _q: AttributionQuery, _e: SqlEvents): JourneySql => {
  throw new Error('not yet')
}
