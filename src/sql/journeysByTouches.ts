/**
 * Event journeys as one row per touch, with window functions only: the kept touches numbered within their journey,
 * each carrying the channels just after and before it (`LEAD`, `LAG`), the journey's sums and its time-decay
 * weight. What the per-journey form holds in arrays (`tp_a`, `tp_ts`) is read from the neighbours instead: a Markov
 * transition from the touch and the `order` after it, a journey's first states from its first touch, its last
 * states from its last.
 *
 * Why: an engine sorts and windows out of core, but an ordered list aggregate keeps every journey's list in
 * memory (DuckDB 1.5 cannot spill it: 10M events needed passes over disjoint users, each reading the source
 * again). Channel sets come as a bitmask per journey where the dialect has them (`setMasks`), else they need the
 * per-journey form (a set is an aggregate of its journey's names).
 *
 * Three window passes, each one sort (an engine sorts once per distinct PARTITION BY / ORDER BY, and once per
 * nesting level): the cut is the in-process `journeyBuilder`'s, as `eventTouchesByWindows` (journeys.ts) makes it
 * in five.
 * 1. the user's rows in order: rank, the next row's time, the latest touch so far. A row ends its journey when it
 *    converts, is the user's last, or (lookback) the next row comes more than the lookback after the latest touch
 *    (the gap rule, docs/attribution.md rule 5).
 * 2. the same rows by rank: the journey number (the ends before the row) and, read from the journey's end row (the
 *    first end at or after the row, `arg_min` by rank), its anchor (the conversion's time, or the last touch's for
 *    a journey that did not convert) and its latest touch. A touch is kept when it lies within the lookback of the
 *    anchor. Without `arg_min` (PostgreSQL) the end row is read per journey once numbered: a pass more, sorted as
 *    pass 3 is sorted, so the engine sorts for both once (`byJourneyEnd`).
 * 3. each journey by rank: its sums over all its rows, and over the kept touches (a suffix of its touches: the
 *    anchor is at or after them all, times ascend) the positions, neighbours and weights. The touches left out are
 *    dropped after this pass, but a converting journey with no touch left keeps its conversion row, as
 *    (unattributed) at the conversion's time.
 *
 * @module
 */
import { UNATTRIBUTED } from '../attribution/model'
import type { Dialect } from './dialect'
import { encodeSql, nonDirect, normalEvents, ROW_ORDER, type JourneySql, type Needs } from './journeys'
import { channelSetMask } from './journeysByChannelSets'
import type { AttributionQuery, SqlEvents } from './model'

/** The neighbour columns a query of Markov order `order` reads: `after` channels after a touch, `before` before it. */
export const neighbours = (order: number, markov: boolean) => ({ after: markov ? order : 0, before: markov ? order - 1 : 0 })

export const eventTouchJourneys = (d: Dialect, q: AttributionQuery, e: SqlEvents, needs: Needs): JourneySql => {
  const { after, before } = neighbours(q.order, q.models.includes('markov'))
  const decays = q.models.includes('time_decay')
  const lookback = e.lookbackMs
  const zero = d.double(0)
  // tp_id is '' exactly on the invalid rows (a valid row has a user), so it alone partitions by user and validity.
  // Without a tie-break column tp_q is a constant: left out of the sort key.
  const order = e.orderColumn === undefined ? ROW_ORDER.filter((c) => c !== 'tp_q') : ROW_ORDER
  const user = `PARTITION BY tp_id ORDER BY ${order.join(', ')}`
  const ranked = `(
SELECT tp_ok, tp_id, tp_t, tp_ct, tp_ch, tp_cv, tp_val, ROW_NUMBER() OVER (${user}) AS tp_rk, LEAD(tp_t) OVER (${user}) AS tp_nt, MAX(CASE WHEN tp_ch <> '' THEN tp_t END) OVER (${user} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tp_lt FROM ${normalEvents(d, q, e)}
) AS tp_ranked`
  // A valid row's time is never NULL, so only the user's last row has no next time.
  const ends = `(tp_cv = 1 OR tp_nt IS NULL${lookback === undefined ? '' : ` OR tp_nt - tp_lt > ${d.double(lookback)}`})`
  const byRank = 'PARTITION BY tp_id ORDER BY tp_rk'
  // The journey number: the ends before a row. Invalid rows are one journey (only their count is read).
  const journeyNumber = `CASE WHEN tp_ok = 0 THEN 0 ELSE COALESCE(SUM(CASE WHEN ${ends} THEN 1 ELSE 0 END) OVER (${byRank} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) END AS tp_jn`
  // Read on the journey's end row: the anchor (the conversion's time, or the last touch's for a journey that did not
  // convert) and the latest touch.
  const anchorAtEnd = 'CASE WHEN tp_cv = 1 THEN tp_ct ELSE tp_t END'
  const latestAtEnd = 'COALESCE(tp_lt, tp_t)'
  const keep = (anchor: string) => `CASE WHEN tp_ok = 0 OR (tp_ch <> ''${lookback === undefined ? '' : ` AND ${anchor} - tp_t <= ${d.double(lookback)}`}) THEN 1 ELSE 0 END AS tp_keep`
  const passed = 'tp_ok, tp_id, tp_rk, tp_t, tp_ct, tp_ch, tp_cv, tp_val'
  const pass2: Pass2 = { ends, journeyNumber, keep, anchorAtEnd, latestAtEnd, lookback: lookback !== undefined, decays, passed, ranked }
  const numbered = d.argMin !== undefined ? byEndRowAhead(d.argMin, byRank, pass2) : byJourneyEnd(pass2)

  const journey = `PARTITION BY tp_id, tp_jn ORDER BY tp_rk`
  const whole = `OVER (PARTITION BY tp_id, tp_jn)`
  const kept = `COUNT(CASE WHEN tp_keep = 1 THEN 1 END) ${whole}`
  const n = `CASE WHEN ${kept} = 0 THEN 1 ELSE ${kept} END`
  const converted = `MAX(tp_cv) ${whole}`
  const x = encodeSql(d, `CASE WHEN tp_keep = 1 THEN tp_ch END`)
  // Kept touches are consecutive: the last non-direct one's position is its rank less the first kept rank.
  const lnd = needs.lastNonDirect
    ? `COALESCE(MAX(CASE WHEN tp_keep = 1 AND ${nonDirect(d, q, 'tp_ch')} THEN tp_rk END) ${whole} - MIN(CASE WHEN tp_keep = 1 THEN tp_rk END) ${whole} + 1, ${n})`
    : n
  // Weights relative to the journey's latest touch (a kept one), as the in-process engine computes them.
  const weight = d.pow2(`-(tp_tl - tp_t) / ${d.double(q.halfLifeMs)}`)
  const columns = [
    'tp_ok',
    `${d.toDouble(converted)} AS tp_c`,
    `SUM(CASE WHEN tp_cv = 1 THEN tp_val ELSE ${zero} END) ${whole} AS tp_v`,
    `${d.toDouble(`1 - ${converted}`)} AS tp_nl`,
    `${d.toDouble(`COUNT(*) ${whole}`)} AS tp_r`,
    `${d.double(1)} AS tp_j`,
    `${n} AS tp_n`,
    `CASE WHEN ${kept} = 0 THEN 1 ELSE COUNT(CASE WHEN tp_keep = 1 THEN 1 END) OVER (${journey} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS tp_k`,
    `${lnd} AS tp_lnd`,
    `${encodeSql(d, `CASE WHEN tp_keep = 1 THEN tp_ch ELSE ${d.string(UNATTRIBUTED)} END`)} AS tp_x`,
    ...Array.from({ length: after }, (_, i) => `LEAD(${x}, ${i + 1}) OVER (${journey}) AS tp_x${i + 1}`),
    ...Array.from({ length: before }, (_, i) => `LAG(${x}, ${i + 1}) OVER (${journey}) AS tp_y${i + 1}`),
    ...(decays ? [`CASE WHEN ${kept} = 0 THEN ${d.double(1)} ELSE ${weight} / SUM(CASE WHEN tp_keep = 1 THEN ${weight} END) ${whole} END AS tp_dw`] : []),
    ...(needs.conversionTime === true ? [`MAX(CASE WHEN tp_cv = 1 THEN tp_ct END) ${whole} AS tp_cvt`] : []),
    // Channel sets: the journey's set as a bitmask over its kept touches (journeysByChannelSets.ts); a converting
    // journey with no touch kept is the set of (unattributed) alone, as its row is.
    ...(needs.sets && d.setMasks !== undefined
      ? [`CASE WHEN ${kept} = 0 THEN ${d.setMasks.bit(`(SELECT tp_dict.tp_bit FROM tp_dict WHERE tp_dict.tp_name = ${encodeSql(d, d.string(UNATTRIBUTED))})`)} ELSE ${channelSetMask(d.setMasks, x, whole)} END AS tp_mask`]
      : []),
    'tp_keep',
    `${kept} AS tp_nk`,
    'tp_cv',
  ]
  return {
    from: `(\nSELECT * FROM (\nSELECT ${columns.join(',\n  ')}\nFROM ${numbered}\n) AS tp_windowed WHERE tp_keep = 1 OR (tp_nk = 0 AND tp_cv = 1)\n) AS tp_journey`,
    timed: true,
    perTouch: true,
  }
}

/** What pass 2 is made of: SQL text from `eventTouchJourneys` (the end condition, the journey number, ...). */
interface Pass2 {
  readonly ends: string
  readonly journeyNumber: string
  /** The kept flag, given the journey's anchor. */
  readonly keep: (anchor: string) => string
  readonly anchorAtEnd: string
  readonly latestAtEnd: string
  readonly lookback: boolean
  readonly decays: boolean
  /** The columns passed through. */
  readonly passed: string
  /** Pass 1, a FROM item. */
  readonly ranked: string
}

/**
 * Pass 2 where the dialect has `argMin`: the journey's end row is the first end at or after a row, so its values
 * are the ones of least rank among the ends ahead, read in the same pass as the journey number. arg_min over the
 * frame is a segment tree (log time per row); first_value(... IGNORE NULLS) scans to the end row, quadratic in a
 * long journey (DuckDB 1.5: 2.7 s for one journey of 320k rows, arg_min 0.6 s).
 */
const byEndRowAhead = (argMin: NonNullable<Dialect['argMin']>, byRank: string, { ends, journeyNumber, keep, anchorAtEnd, latestAtEnd, decays, passed, ranked }: Pass2): string => {
  const atEnd = (x: string) => `${argMin(x, `CASE WHEN ${ends} THEN tp_rk END`)} OVER (${byRank} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)`
  return `(
SELECT ${passed},
  ${journeyNumber},
  ${keep(atEnd(anchorAtEnd))}${decays ? `,\n  ${atEnd(latestAtEnd)} AS tp_tl` : ''}
FROM ${ranked}
) AS tp_numbered`
}

/**
 * Pass 2 without `argMin` (PostgreSQL): the journey number first, then the end row's values read per journey, where
 * exactly one row is an end (the ends before a row number its journey, so the next end closes it; a user's last row
 * is an end): `MAX` over the journey of a value set on that row alone. One window pass more, and only when the
 * lookback or the weights need the end row.
 */
const byJourneyEnd = ({ ends, journeyNumber, keep, anchorAtEnd, latestAtEnd, lookback, decays, passed, ranked }: Pass2): string => {
  if (!lookback && !decays) return `(\nSELECT ${passed},\n  ${journeyNumber},\n  ${keep('')}\nFROM ${ranked}\n) AS tp_numbered`
  const endValues = [...(lookback ? [`CASE WHEN ${ends} THEN ${anchorAtEnd} END AS tp_ea`] : []), ...(decays ? [`CASE WHEN ${ends} THEN ${latestAtEnd} END AS tp_el`] : [])]
  const numbered = `(\nSELECT ${passed},\n  ${journeyNumber},\n  ${endValues.join(', ')}\nFROM ${ranked}\n) AS tp_ended`
  // The frame of pass 3's ordered journey windows, so that one sort serves both passes.
  const journey = 'OVER (PARTITION BY tp_id, tp_jn ORDER BY tp_rk ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'
  return `(
SELECT ${passed}, tp_jn,
  ${keep(`MAX(tp_ea) ${journey}`)}${decays ? `,\n  MAX(tp_el) ${journey} AS tp_tl` : ''}
FROM ${numbered}
) AS tp_numbered`
}
