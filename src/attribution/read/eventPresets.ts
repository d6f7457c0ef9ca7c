/**
 * The event column presets (GA4, Segment, Snowplow exports) and the default event column names.
 *
 * @module
 */
import { type EventColumnNames, type EventSemantics } from './settingsModel'

/**
 * The named presets: column names, conversion rule and time unit of common exports (docs/attribution.md shows
 * the export query for each and a sample lives in examples/).
 *
 * @category reading
 * @since 0.2.0
 */
export type Preset = 'ga4' | 'segment' | 'snowplow'

/**
 * The presets' event semantics (before any explicit option overrides them).
 *
 * - `ga4`: Google Analytics 4's BigQuery export (`events_*`), flattened or as JSON: `user_pseudo_id`,
 *   `event_timestamp` in microseconds, `event_name` (`purchase` converts), the channel from the event-level
 *   `collected_traffic_source.manual_source` / `manual_medium` (set on the event that carried the campaign
 *   parameters), the value from `ecommerce.purchase_revenue`.
 * - `segment`: Segment's warehouse `tracks` and `pages` (unioned): `anonymous_id` (the device, on every event
 *   before and after the user is identified) else `user_id`, `timestamp`, `event` (`Order Completed` converts),
 *   `context_campaign_source` / `context_campaign_medium`, `revenue`.
 * - `snowplow`: Snowplow's `atomic.events`: `domain_userid`, `derived_tstamp`, `event_name` (`transaction`
 *   converts), `mkt_source` / `mkt_medium`, `tr_total`.
 *
 * @category reading
 * @since 0.2.0
 */
export const PRESETS: Readonly<Record<Preset, Omit<EventSemantics, 'order'>>> = {
  ga4: {
    columns: {
      user: ['user_pseudo_id'],
      time: 'event_timestamp',
      channel: ['collected_traffic_source.manual_source', 'collected_traffic_source.manual_medium'],
      conversion: 'conversion',
      event: 'event_name',
      value: 'ecommerce.purchase_revenue',
    },
    conversion: { _tag: 'Events', names: ['purchase'] },
    timeUnit: 'us',
  },
  segment: {
    columns: {
      user: ['anonymous_id', 'user_id'],
      time: 'timestamp',
      channel: ['context_campaign_source', 'context_campaign_medium'],
      conversion: 'conversion',
      event: 'event',
      value: 'revenue',
    },
    conversion: { _tag: 'Events', names: ['Order Completed'] },
    timeUnit: 'ms',
  },
  snowplow: {
    columns: {
      user: ['domain_userid'],
      time: 'derived_tstamp',
      channel: ['mkt_source', 'mkt_medium'],
      conversion: 'conversion',
      event: 'event_name',
      value: 'tr_total',
    },
    conversion: { _tag: 'Events', names: ['transaction'] },
    timeUnit: 'ms',
  },
}

/**
 * The default event columns: `user_id,timestamp,channel,conversion,conversion_value`, plus `event_name` for
 * `conversionEvents`.
 *
 * @category reading
 * @since 0.2.0
 */
export const DEFAULT_EVENT_COLUMN_NAMES: EventColumnNames = {
  user: ['user_id'],
  time: 'timestamp',
  channel: ['channel'],
  conversion: 'conversion',
  event: 'event_name',
  value: 'conversion_value',
}
