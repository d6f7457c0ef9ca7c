/**
 * Event journeys as one row per touch, with window functions only: the kept touches (`eventTouchesByWindows`)
 * numbered within their journey, each carrying the channels just after and before it (`LEAD`, `LAG`), the
 * journey's sums and its time-decay weight. What the per-journey form holds in arrays (`tp_a`, `tp_ts`) is read
 * from the neighbours instead: a Markov transition from the touch and the `order` after it, a journey's first
 * states from its first touch, its last states from its last.
 *
 * Why: an engine sorts and windows out of core, but an ordered list aggregate keeps every journey's list in
 * memory (DuckDB 1.5 cannot spill it: 10M events needed passes over disjoint users, each reading the source
 * again). Channel sets come as a bitmask per journey where the dialect has them (`setMasks`), else they need the
 * per-journey form (a set is an aggregate of its journey's names).
 *
 * @module
 */
import type { Dialect } from './dialect'
import { encodeSql, eventTouchesByWindows, JOURNEY, nonDirect, type JourneySql, type Needs } from './journeys'
import { channelSetMask } from './journeysByChannelSets'
import type { AttributionQuery, SqlEvents } from './model'

/** The neighbour columns a query of Markov order `order` reads: `after` channels after a touch, `before` before it. */
export const neighbours = (order: number, markov: boolean) => ({ after: markov ? order : 0, before: markov ? order - 1 : 0 })

export const eventTouchJourneys = (d: Dialect, q: AttributionQuery, e: SqlEvents, needs: Needs): JourneySql => {
  const touches = eventTouchesByWindows(d, q, e, needs)
  const partition = `PARTITION BY ${JOURNEY.join(', ')}`
  const ordered = `OVER (${partition} ORDER BY tp_rk)`
  const whole = `OVER (${partition})`
  const { after, before } = neighbours(q.order, q.models.includes('markov'))
  const x = encodeSql(d, 'tp_x')
  const weight = d.pow2(`-(tp_tl - tp_xt) / ${d.double(q.halfLifeMs)}`)
  const decays = q.models.includes('time_decay')
  const columns = [
    'tp_ok',
    `${d.toDouble('tp_jc')} AS tp_c`,
    'tp_jv AS tp_v',
    `${d.toDouble('1 - tp_jc')} AS tp_nl`,
    'tp_r',
    `${d.double(1)} AS tp_j`,
    `COUNT(*) ${whole} AS tp_n`,
    `ROW_NUMBER() ${ordered} AS tp_k`,
    // Ranks are consecutive within a journey: the last non-direct touch's position is its rank less the first's.
    `${needs.lastNonDirect ? `COALESCE(MAX(CASE WHEN ${nonDirect(d, q, 'tp_x')} THEN tp_rk END) ${whole} - MIN(tp_rk) ${whole} + 1, COUNT(*) ${whole})` : `COUNT(*) ${whole}`} AS tp_lnd`,
    `${x} AS tp_x`,
    ...Array.from({ length: after }, (_, i) => `LEAD(${x}, ${i + 1}) ${ordered} AS tp_x${i + 1}`),
    ...Array.from({ length: before }, (_, i) => `LAG(${x}, ${i + 1}) ${ordered} AS tp_y${i + 1}`),
    ...(decays ? [`${weight} / SUM(${weight}) ${whole} AS tp_dw`] : []),
    ...(needs.conversionTime === true ? ['tp_at AS tp_cvt'] : []),
    // Channel sets: the journey's set as a bitmask (journeysByChannelSets.ts).
    ...(needs.sets && d.setMasks !== undefined ? [`${channelSetMask(d.setMasks, x, whole)} AS tp_mask`] : []),
  ]
  return { from: `(\nSELECT ${columns.join(',\n  ')}\nFROM ${touches}\n) AS tp_journey`, timed: true, perTouch: true }
}
