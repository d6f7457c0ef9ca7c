/**
 * Events cut into journeys with array functions, for engines without window functions (ClickHouse before 21.x):
 * each user's events gathered into one array in the first aggregation (on a `Distributed` table, every shard
 * gathers its part and the initiator merges them), sorted, numbered by the conversions (and, with a lookback, the gaps) before each event, then
 * regrouped per journey, where the lookback filter, `(unattributed)` and the summaries are array functions. Same
 * journeys, same columns as `eventJourneysByWindows`.
 *
 * @module
 */
import { UNATTRIBUTED } from '../attribution/model'
import type { Dialect } from './dialect'
import { encodeSql, eventFields, eventOk, nonDirect, sourceOf, type JourneySql, type Needs } from './journeys'
import type { AttributionQuery, SqlEvents } from './model'

// Positions in an event tuple: the sort order first (time, tie-break, flag, channel, value), then the conversion time.
const T = 1
const CV = 3
const CH = 4
const VAL = 5
const CT = 6

/** Field `i` of the event tuple `e`. */
const at = (e: string, i: number) => `tupleElement(${e}, ${i})`

export const eventJourneysByArrays = (d: Dialect, q: AttributionQuery, e: SqlEvents, needs: Needs): JourneySql => {
  const f = eventFields(d, e)
  const ok = eventOk(f, e)
  // Not nullable inside the arrays (ClickHouse 18.16 refuses Nullable in lambdas' results); invalid rows' values
  // are never read.
  const zero = d.double(0)
  const tuple = `(${d.ifNull(f.tp_t, zero)}, ${d.ifNull(f.tp_q, zero)}, ${d.ifNull(f.tp_cv, '0')}, ${d.ifNull(f.tp_ch, "''")}, ${d.ifNull(f.tp_val, zero)}, ${d.ifNull(f.tp_ct, zero)})`
  const users = `(
SELECT CASE WHEN ${ok} THEN 1 ELSE 0 END AS tp_ok, ${d.ifNull(`CASE WHEN ${ok} THEN ${f.tp_id} ELSE '' END`, "''")} AS tp_id, groupArray(${tuple}) AS tp_events FROM ${sourceOf(d, q)} GROUP BY tp_ok, tp_id
) AS tp_users`
  // tp_jn: conversions before each event (the cumulative count less its own), i.e. its journey.
  const conversionsBefore = 'arrayMap((tp_f, tp_s) -> tp_s - tp_f, tp_flags, arrayCumSum(tp_flags))'
  // With a lookback, the gap rule (docs/attribution.md, rule 5) also opens a journey at an event more than the
  // lookback after the last touch before it since the previous conversion: tp_tb counts the touches before each
  // event, tp_tix lists the touches' indexes, so the last touch before event i is tp_tix[tp_tb[i]].
  const gaps =
    e.lookbackMs === undefined
      ? ''
      : `,
  arrayMap(tp_e -> if(${at('tp_e', CH)} != '', 1, 0), tp_sorted) AS tp_is_touch,
  arrayFilter((tp_k, tp_f) -> tp_f = 1, arrayEnumerate(tp_sorted), tp_is_touch) AS tp_tix,
  arrayMap((tp_c, tp_f) -> tp_c - tp_f, arrayCumSum(tp_is_touch), tp_is_touch) AS tp_tb,
  ${conversionsBefore} AS tp_jc,
  arrayMap((tp_e, tp_b, tp_j, tp_ix, tp_js, tp_es) -> if(tp_b > 0 AND tp_js[tp_ix[tp_b]] = tp_j AND ${at('tp_e', T)} - ${at('tp_es[tp_ix[tp_b]]', T)} > ${d.double(e.lookbackMs)}, 1, 0), tp_sorted, tp_tb, tp_jc, replicate(tp_tix, tp_sorted), replicate(tp_jc, tp_sorted), replicate(tp_sorted, tp_sorted)) AS tp_gap`
  // The previous conversion (previousConversion.ts): the user's conversion times in order (`tp_cts`) and the
  // conversions before each event (`tp_cb`), the same for every event of a journey (a conversion ends its journey).
  const previous = needs.previousConversion === true
  const conversionTimes = previous
    ? `,
  arrayMap(tp_e -> ${at('tp_e', CT)}, arrayFilter(tp_e -> ${at('tp_e', CV)} = 1, tp_sorted)) AS tp_cts,
  ${conversionsBefore} AS tp_cbs`
    : ''
  const sorted = `(
SELECT tp_ok, tp_id, arraySort(tp_events) AS tp_sorted, arrayMap(tp_e -> ${at('tp_e', CV)}, tp_sorted) AS tp_flags${gaps}${conversionTimes} FROM ${users}
) AS tp_sorted_users`
  const journeyNumbers = e.lookbackMs === undefined ? conversionsBefore : 'arrayMap((tp_j, tp_g) -> tp_j + tp_g, tp_jc, arrayCumSum(tp_gap))'
  // An index outside a lambda (ClickHouse reads element 0 as 0: `tp_pn` says whether there is one).
  const numbered = `(
SELECT tp_ok, tp_id, tp_event, tp_jn${previous ? ', tp_cb AS tp_pn, tp_cts[tp_cb] AS tp_pv' : ''} FROM ${sorted} ARRAY JOIN tp_sorted AS tp_event, ${journeyNumbers} AS tp_jn${previous ? ', tp_cbs AS tp_cb' : ''}
) AS tp_numbered`
  const carried = previous ? ', tp_pn, tp_pv' : ''
  const journeys = `(
SELECT tp_ok, arraySort(groupArray(tp_event)) AS tp_evs${previous ? ', max(tp_pn) AS tp_pn, max(tp_pv) AS tp_pv' : ''} FROM ${numbered} GROUP BY tp_ok, tp_id, tp_jn
) AS tp_grouped`
  const anchored = `(
SELECT tp_ok, tp_evs${carried}, arrayExists(tp_e -> ${at('tp_e', CV)} = 1, tp_evs) AS tp_conv, ${at(`tp_evs[length(tp_evs)]`, CT)} AS tp_at, arrayReduce('max', arrayMap(tp_e -> ${at('tp_e', T)}, arrayFilter(tp_e -> ${at('tp_e', CH)} != '', tp_evs))) AS tp_last FROM ${journeys}
) AS tp_anchored`
  const within = e.lookbackMs === undefined ? '' : ` AND tp_y - ${at('tp_e', T)} <= ${d.double(e.lookbackMs)}`
  // Lambdas capture no column: ClickHouse 18.16 loses a captured column that the query above does not select
  // ("Unknown identifier"), so each one is passed in as an array of copies (`replicate`).
  const withAnchor = `(
SELECT tp_ok, tp_evs${carried}, tp_conv, tp_at, if(tp_conv, tp_at, tp_last) AS tp_anchor FROM ${anchored}
) AS tp_with_anchor`
  const kept = `(
SELECT tp_ok, tp_evs${carried}, tp_conv, tp_at, arrayFilter((tp_e, tp_y) -> ${at('tp_e', CH)} != ''${within}, tp_evs, replicate(tp_anchor, tp_evs)) AS tp_kept FROM ${withAnchor}
) AS tp_kept_touches`
  const unattributed = d.string(UNATTRIBUTED)
  const touches = `(
SELECT tp_ok, tp_evs${carried}, tp_conv, ${needs.conversionTime === true || previous ? 'tp_at, ' : ''}if(empty(tp_kept), [${unattributed}], arrayMap(tp_e -> ${at('tp_e', CH)}, tp_kept)) AS tp_names, if(empty(tp_kept), [tp_at], arrayMap(tp_e -> ${at('tp_e', T)}, tp_kept)) AS tp_ts FROM ${kept}
) AS tp_touches`
  const halfLife = d.double(q.halfLifeMs)
  const summary = [
    'tp_ok',
    'toFloat64(tp_conv) AS tp_c',
    `arraySum(arrayMap(tp_e -> if(${at('tp_e', CV)} = 1, ${at('tp_e', VAL)}, 0), tp_evs)) AS tp_v`,
    'toFloat64(1 - tp_conv) AS tp_nl',
    'toFloat64(length(tp_evs)) AS tp_r',
    `${d.double(1)} AS tp_j`,
    'toInt64(length(tp_names)) AS tp_n',
    `tp_n - toInt64(arrayFirstIndex(tp_x -> ${nonDirect(d, q, 'tp_x')}, arrayReverse(tp_names))) + 1 AS tp_back`,
    'if(tp_back > tp_n, tp_n, tp_back) AS tp_lnd',
    `arrayMap(tp_x -> ${encodeSql(d, 'tp_x')}, tp_names) AS tp_a`,
    `${needs.sets ? "arrayStringConcat(arraySort(arrayDistinct(tp_a)), '>')" : "''"} AS tp_set`,
    'tp_ts',
    'tp_ts[tp_n] AS tp_tl',
    `arraySum(arrayMap((tp_t, tp_y) -> ${d.pow2(`-(tp_y - tp_t) / ${halfLife}`)}, tp_ts, replicate(tp_tl, tp_ts))) AS tp_w`,
    ...(needs.conversionTime === true || previous ? ['tp_at AS tp_cvt'] : []),
    ...(previous ? ['if(tp_pn > 0, tp_pv, NULL) AS tp_pc'] : []),
  ]
  return { from: `(
SELECT ${summary.join(',\n  ')}
FROM ${touches}
) AS tp_journey`, timed: true }
}
