/**
 * The first half of the attribution query: from the source rows to one row per journey, the relation every
 * later step reads (`JourneySql`). Aggregated paths are grouped by path text and split; event rows are cut into
 * journeys exactly as the in-process `journeyBuilder` cuts them (a conversion closes a journey and its own row's
 * touch belongs to it; touches outside the lookback window of the conversion are dropped; a conversion with no
 * touch left goes to `(unattributed)`; a tail with no conversion is a null journey anchored at its last touch).
 *
 * Row columns of a journey (all names start with `tp_`, so no source column can clash):
 * `tp_ok` 1, or 0 for the rows left out as invalid (counted, never attributed); `tp_c`, `tp_v`, `tp_nl` its
 * conversions, value and nulls; `tp_r` input rows; `tp_j` journeys it stands for; `tp_n` touches;
 * `tp_lnd` position of the touch last non-direct credits; `tp_set` its distinct channels (encoded, sorted,
 * joined); `tp_a` the array of its channels (trimmed and encoded); for events `tp_ts` their times, `tp_tl` the latest and `tp_w` the
 * sum of time-decay weights.
 *
 * @module
 */
import { UNATTRIBUTED } from '../attribution/model'
import type { Dialect } from './dialect'
import type { AttributionQuery, SqlEvents, SqlPaths } from './model'
import { previousConversionByWindows } from './previousConversion'

/** Which summaries the models need (the others are constants: no work for the engine). */
export interface Needs {
  readonly sets: boolean
  readonly lastNonDirect: boolean
  /** Events: the conversion's own time as `tp_cvt` (the report's time to conversion; attribution never reads it). */
  readonly conversionTime?: boolean
  /**
   * Events: the time of the user's conversion before the journey (NULL: none) as `tp_pc`, as the in-process
   * builder hands it on with `afterPurchaseMs` (the report's after-purchase section; previousConversion.ts).
   */
  readonly previousConversion?: boolean
}

/** The journey relation and how to read its channel array. */
export interface JourneySql {
  /** A FROM item (a parenthesised subquery) with the journey columns. */
  readonly from: string
  readonly timed: boolean
  /**
   * One row per touch rather than per journey (`touchesByWindows`): besides the journey columns (less `tp_set`,
   * `tp_a`, `tp_ts`, `tp_tl`, `tp_w`), `tp_x` the encoded channel, `tp_k` its position, `tp_x1..` the channels
   * after it and `tp_y1..` those before it (NULL past either end), `tp_dw` its time-decay weight.
   */
  readonly perTouch?: true
}

/** The encoding of result keys, in JavaScript: `%` then `>` replaced, as `encodeSql` does in SQL. */
export const encodeJs = (name: string): string => name.replace(/%/g, '%25').replace(/>/g, '%3E')

/** Channel names in result keys: `%` and `>` written `%25` and `%3E`, so `>` can join them. */
export const encodeSql = (d: Dialect, x: string): string =>
  d.replace(d.replace(x, d.string('%'), d.string('%25')), d.string('>'), d.string('%3E'))

/** A condition: `x` (a lower-cased channel name) is not one of the direct channels. */
export const nonDirect = (d: Dialect, q: AttributionQuery, x: string): string => {
  const direct = [...new Set(q.direct.map((c) => c.toLowerCase()))]
  return direct.length === 0 ? '1 = 1' : `${d.lower(x)} NOT IN (${direct.map(d.string).join(', ')})`
}

export const sourceOf = (d: Dialect, q: AttributionQuery): string =>
  q.source._tag === 'table' ? `${d.table(q.source.name.split('.'))} AS tp_src` : `(\n${q.source.sql.trim().replace(/;+\s*$/, '')}\n
) AS tp_src`

const col = (d: Dialect, name: string) => `tp_src.${d.ident(name)}`

/** The paths' journey relation: rows grouped by path text, split, checked for empty names, and summarised. */
export const pathJourneys = (d: Dialect, q: AttributionQuery, p: SqlPaths, needs: Needs): JourneySql => {
  const amount = (name: string | undefined) => (name === undefined ? d.double(0) : `COALESCE(${d.toDouble(col(d, name))}, ${d.double(0)})`)
  const fields = {
    tp_p: d.text(col(d, p.path)),
    tp_c: d.toDouble(col(d, p.conversions)),
    tp_v: amount(p.value),
    tp_nl: amount(p.nulls),
  }
  // A value on a row without conversions is invalid, as the in-process reader refuses it (rows.ts says why).
  const amountsOk = (f: typeof fields) => `${f.tp_c} IS NOT NULL AND ${f.tp_c} >= 0 AND ${f.tp_v} >= 0 AND ${f.tp_nl} >= 0 AND (${f.tp_c} > 0 OR ${f.tp_v} = 0)`
  const okIf = (f: typeof fields) => `${f.tp_p} IS NOT NULL AND ${d.trim(f.tp_p)} <> '' AND ${amountsOk(f)}`
  // Invalid rows become one group with a one-element stand-in path, so they are counted through the same steps.
  const valid = (f: typeof fields) => `CASE WHEN ${okIf(f)} THEN 1 ELSE 0 END`
  const key = (f: typeof fields) => d.ifNull(`CASE WHEN ${okIf(f)} THEN ${f.tp_p} ELSE '-' END`, "'-'")
  const sums = (f: typeof fields) => `SUM(${f.tp_c}) AS tp_c, SUM(${f.tp_v}) AS tp_v, SUM(${f.tp_nl}) AS tp_nl, ${d.toDouble('COUNT(*)')} AS tp_r`
  const names = { tp_p: 'tp_p', tp_c: 'tp_c', tp_v: 'tp_v', tp_nl: 'tp_nl' }
  const normal = `(
SELECT ${Object.entries(fields).map(([k, x]) => `${x} AS ${k}`).join(', ')} FROM ${sourceOf(d, q)}
) AS tp_norm`
  const checked = `(
SELECT ${valid(names)} AS tp_valid, ${key(names)} AS tp_key, tp_c, tp_v, tp_nl FROM ${normal}
) AS tp_checked`
  // Inline (ClickHouse): one SELECT reads the source and aggregates, so a Distributed table aggregates on its shards.
  const grouped = d.inlineSource
    ? `(
SELECT ${valid(fields)} AS tp_valid, ${key(fields)} AS tp_p, ${sums(fields)} FROM ${sourceOf(d, q)} GROUP BY tp_valid, tp_p
) AS tp_grouped`
    : `(
SELECT tp_valid, tp_key AS tp_p, ${sums(names)} FROM ${checked} GROUP BY tp_valid, tp_key
) AS tp_grouped`
  const lists = d.lists
  if (lists !== undefined) {
    // Row by row from the split path: no regrouping (each row is a journey; duplicates need not be merged). An empty
    // or blank path splits into one empty name, so the emptiness check covers it; names are trimmed and encoded in
    // one pass, and the direct channels compared in their encoded form.
    const rowOk = (f: typeof fields) => `${f.tp_p} IS NOT NULL AND ${amountsOk(f)}`
    const from = d.inlineSource ? sourceOf(d, q) : normal
    const f = d.inlineSource ? fields : names
    const checkedRows = `(\nSELECT CASE WHEN ${rowOk(f)} THEN 1 ELSE 0 END AS tp_valid, ${d.ifNull(`CASE WHEN ${rowOk(f)} THEN ${f.tp_p} ELSE '-' END`, "'-'")} AS tp_p, ${f.tp_c} AS tp_c, ${f.tp_v} AS tp_v, ${f.tp_nl} AS tp_nl FROM ${from}\n) AS tp_checked`
    const named = `(\nSELECT tp_valid, tp_c, tp_v, tp_nl, ${lists.map(d.split('tp_p', p.separator), (x) => encodeSql(d, d.trim(x)))} AS tp_a FROM ${checkedRows}\n) AS tp_named`
    const direct = [...new Set(q.direct.map((c) => encodeJs(c).toLowerCase()))]
    const encodedNonDirect = (x: string) => (direct.length === 0 ? '1 = 1' : `${d.lower(x)} NOT IN (${direct.map(d.string).join(', ')})`)
    const summary = [
      `CASE WHEN tp_valid = 1 AND NOT ${lists.some('tp_a', (x) => `${x} = ''`)} THEN 1 ELSE 0 END AS tp_ok`,
      'tp_c, tp_v, tp_nl',
      `${d.double(1)} AS tp_r, ${d.double(1)} AS tp_j`,
      `${d.length('tp_a')} AS tp_n`,
      `${needs.lastNonDirect ? lists.lastIndex('tp_a', encodedNonDirect) : '0'} AS tp_last_non_direct`,
      `${needs.sets ? lists.sortedDistinct('tp_a', '>') : "''"} AS tp_set`,
      'tp_a',
    ]
    const rows = `(\nSELECT ${summary.join(',\n  ')}\nFROM ${named}\n) AS tp_rows`
    return { from: `(\nSELECT tp_ok, tp_c, tp_v, tp_nl, tp_r, tp_j, tp_n, CASE WHEN tp_last_non_direct = 0 THEN tp_n ELSE tp_last_non_direct END AS tp_lnd, tp_set, tp_a FROM ${rows}\n) AS tp_journey`, timed: false }
  }
  const split = `(
SELECT tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r, ${d.split('tp_p', p.separator)} AS tp_a FROM ${grouped}
) AS tp_split`
  const exploded = `(
${d.explode('tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r', split, 'tp_a', 'tp_x', 'tp_k')}
) AS tp_exploded`
  const touches = `(
SELECT tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r, tp_k, ${d.trim('tp_x')} AS tp_x FROM ${exploded}
) AS tp_touch`
  const summary = [
    `CASE WHEN tp_valid = 1 AND MIN(CASE WHEN tp_x = '' THEN 0 ELSE 1 END) = 1 THEN 1 ELSE 0 END AS tp_ok`,
    'tp_c, tp_v, tp_nl, tp_r, tp_r AS tp_j',
    'COUNT(*) AS tp_n',
    `${needs.lastNonDirect ? `COALESCE(MAX(CASE WHEN ${nonDirect(d, q, 'tp_x')} THEN tp_k END), COUNT(*))` : 'COUNT(*)'} AS tp_lnd`,
    `${needs.sets ? d.distinctSorted(encodeSql(d, 'tp_x'), d.string('>')) : "''"} AS tp_set`,
    `${d.orderedArray(encodeSql(d, 'tp_x'), ['tp_k'])} AS tp_a`,
  ]
  return { from: `(
SELECT ${summary.join(',\n  ')}
FROM ${touches} GROUP BY tp_valid, tp_p, tp_c, tp_v, tp_nl, tp_r
) AS tp_journey`, timed: false }
}

/** Event time in milliseconds since 1970, as a double. */
const timeMs = (d: Dialect, e: SqlEvents, name: string): string => {
  const c = col(d, name)
  if (e.timeType._tag === 'timestamp') return d.epochMs(c)
  const x = d.toDouble(c)
  switch (e.timeType.unit) {
    case 's':
      return `${x} * ${d.double(1000)}`
    case 'ms':
      return x
    case 'us':
      return `${x} / ${d.double(1000)}`
    case 'ns':
      return `${x} / ${d.double(1_000_000)}`
  }
}

/** 1 for a conversion row, 0 for a touch, NULL for a marker that is neither (the row is invalid). */
const conversionFlag = (d: Dialect, e: SqlEvents): string => {
  if (e.conversionEvents !== undefined) {
    const names = e.conversionEvents.names.map(d.string).join(', ')
    return `CASE WHEN ${d.trim(d.text(col(d, e.conversionEvents.column)))} IN (${names}) THEN 1 ELSE 0 END`
  }
  const m = d.lower(d.trim(d.text(col(d, e.conversion))))
  const yes = ['1', 'true', 'yes', 'y', 't'].map(d.string).join(', ')
  const no = ['0', 'false', 'no', 'n', 'f', ''].map(d.string).join(', ')
  return `CASE WHEN ${col(d, e.conversion)} IS NULL THEN 0 WHEN ${m} IN (${yes}) THEN 1 WHEN ${m} IN (${no}) THEN 0 END`
}

/** The normalised columns of an event row, as expressions over the source. */
export const eventFields = (d: Dialect, e: SqlEvents) => ({
  tp_id: d.trim(d.text(col(d, e.user))),
  tp_t: timeMs(d, e, e.time),
  // An empty conversion time is the row's own (as the in-process reader reads it).
  tp_ct: e.conversionTime === undefined ? timeMs(d, e, e.time) : `COALESCE(${timeMs(d, e, e.conversionTime)}, ${timeMs(d, e, e.time)})`,
  tp_q: e.orderColumn === undefined ? d.double(0) : d.toDouble(col(d, e.orderColumn)),
  tp_ch: `COALESCE(${d.trim(d.text(col(d, e.channel)))}, '')`,
  tp_cv: conversionFlag(d, e),
  tp_val: e.value === undefined ? d.double(0) : `COALESCE(${d.toDouble(col(d, e.value))}, ${d.double(0)})`,
})

/**
 * A valid event row: a user, a time, a conversion marker that is one, a channel unless it converts, a value >= 0,
 * a conversion time not before the row's (the row's own touch would follow its conversion; an empty one is the row's),
 * and under the marker no value unless it converts (the in-process reader refuses such a row; under conversion
 * events a value on another event is that event's own and is never summed: rows.ts eventDecoder).
 */
export const eventOk = (f: Record<keyof ReturnType<typeof eventFields>, string>, e: SqlEvents): string =>
  `${f.tp_id} IS NOT NULL AND ${f.tp_id} <> '' AND ${f.tp_t} IS NOT NULL AND ${f.tp_cv} IS NOT NULL AND (${f.tp_ch} <> '' OR ${f.tp_cv} = 1) AND ${f.tp_val} >= 0 AND (${f.tp_cv} = 0 OR ${f.tp_ct} >= ${f.tp_t})${
    e.conversionEvents === undefined ? ` AND (${f.tp_cv} = 1 OR ${f.tp_val} = 0)` : ''
  }`

/** Event rows normalised: user, time, conversion time, tie-break, channel, conversion flag, value; and valid or not. */
export const normalEvents = (d: Dialect, q: AttributionQuery, e: SqlEvents): string => {
  const fields = eventFields(d, e)
  const names = Object.fromEntries(Object.keys(fields).map((k) => [k, k])) as Record<keyof typeof fields, string>
  const ok = eventOk(names, e)
  return `(
SELECT CASE WHEN ${ok} THEN 1 ELSE 0 END AS tp_ok, CASE WHEN ${ok} THEN tp_id ELSE '' END AS tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val FROM (SELECT ${Object.entries(fields).map(([k, x]) => `${x} AS ${k}`).join(', ')} FROM ${sourceOf(d, q)}) AS tp_norm
) AS tp_event`
}

/** The order of a user's rows: time, then the tie-break column, touches before a conversion at the same instant. */
export const ROW_ORDER = ['tp_t', 'tp_q', 'tp_cv', 'tp_ch', 'tp_val']

/**
 * The gap rule (docs/attribution.md, rule 5): a journey with no conversion ends when its user's next row comes more
 * than the lookback after its last touch, so a row that far after the user's last touch opens a journey; `tp_jn`
 * counts the conversions before a row and such gaps up to it. When the last touch lies before the previous
 * conversion, the row is the first of its journey anyway (rows after a conversion and before a touch are
 * conversions, which close journeys), and the extra count only renumbers: no row changes journey.
 */
const gapJourneys = (d: Dialect, columns: string, user: ReadonlyArray<string>, rank: string, events: string, lookbackMs: number): string => {
  const gaps = `(
SELECT ${columns}, ${d.sumBefore('tp_cv', user, ROW_ORDER)} AS tp_jc, ${rank}, CASE WHEN tp_t - ${d.maxBefore("CASE WHEN tp_ch <> '' THEN tp_t END", user, ROW_ORDER)} > ${d.double(lookbackMs)} THEN 1 ELSE 0 END AS tp_gap FROM ${events}
) AS tp_gaps`
  return `(
SELECT ${columns}, tp_jc + ${d.sumBefore('tp_gap', user, ROW_ORDER)} + tp_gap AS tp_jn, tp_rk FROM ${gaps}
) AS tp_numbered`
}

/** The window partition of a journey's rows. */
export const JOURNEY = ['tp_ok', 'tp_id', 'tp_jn']

/**
 * The kept touches of event journeys, one row each, cut with window functions: `tp_ok, tp_id, tp_jn` the journey,
 * `tp_rk` the rank (consecutive within a journey), `tp_jc, tp_jv, tp_r` its conversion flag, value and input rows,
 * `tp_x` the channel (raw), `tp_xt` its time, `tp_tl` the journey's latest time (and `tp_at` its conversion time
 * when `needs.conversionTime`).
 */
export const eventTouchesByWindows = (d: Dialect, q: AttributionQuery, e: SqlEvents, needs: Needs): string => {
  const user = ['tp_ok', 'tp_id']
  const journey = JOURNEY
  const over = (cols: ReadonlyArray<string>) => `OVER (PARTITION BY ${cols.join(', ')})`
  // tp_jn: which of the user's journeys a row belongs to (the conversions before it, and with a lookback the gaps
  // up to it); tp_rk: its rank.
  const columns = 'tp_ok, tp_id, tp_t, tp_ct, tp_q, tp_ch, tp_cv, tp_val'
  const rank = `ROW_NUMBER() OVER (PARTITION BY ${user.join(', ')} ORDER BY ${ROW_ORDER.join(', ')}) AS tp_rk`
  const numbered =
    e.lookbackMs === undefined
      ? `(
SELECT ${columns}, ${d.sumBefore('tp_cv', user, ROW_ORDER)} AS tp_jn, ${rank} FROM ${normalEvents(d, q, e)}
) AS tp_numbered`
      : gapJourneys(d, columns, user, rank, normalEvents(d, q, e), e.lookbackMs)
  // The anchor: the conversion's time, or the last touch's for a journey that did not convert.
  const anchored = `(
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_t, tp_ch, tp_cv, tp_val, MAX(CASE WHEN tp_cv = 1 THEN tp_ct END) ${over(journey)} AS tp_at, MAX(tp_cv) ${over(journey)} AS tp_jc, SUM(CASE WHEN tp_cv = 1 THEN tp_val ELSE ${d.double(0)} END) ${over(journey)} AS tp_jv, MAX(CASE WHEN tp_ch <> '' THEN tp_t END) ${over(journey)} AS tp_tl, ${d.toDouble(`COUNT(*) ${over(journey)}`)} AS tp_r FROM ${numbered}
) AS tp_anchored`
  const within = e.lookbackMs === undefined ? '' : ` AND COALESCE(tp_at, tp_tl) - tp_t <= ${d.double(e.lookbackMs)}`
  // Kept: a touch within the window. Counted in the same select (one level less: engines and parsers limit nesting).
  const keep = `CASE WHEN tp_ch <> ''${within} THEN 1 ELSE 0 END`
  const counted = `(
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_t, tp_ch, tp_cv, tp_jc, tp_jv, tp_at, tp_tl, tp_r, ${keep} AS tp_keep, SUM(${keep}) ${over(journey)} AS tp_nk FROM ${anchored}
) AS tp_counted`
  // A converting journey with no touch left keeps its conversion row, as (unattributed) at the conversion's time.
  const unattributed = d.string(UNATTRIBUTED)
  const touches = `(
SELECT tp_ok, tp_id, tp_jn, tp_rk, tp_jc, tp_jv, tp_r, ${needs.conversionTime === true || needs.previousConversion === true ? 'tp_at, ' : ''}CASE WHEN tp_keep = 1 THEN tp_ch ELSE ${unattributed} END AS tp_x, CASE WHEN tp_keep = 1 THEN tp_t ELSE tp_at END AS tp_xt, CASE WHEN tp_nk = 0 THEN tp_at ELSE tp_tl END AS tp_tl FROM ${counted} WHERE tp_ok = 0 OR tp_keep = 1 OR (tp_cv = 1 AND tp_nk = 0)
) AS tp_touch`
  return touches
}

/** The columns of a window-form event journey (`tp_cvt` with `needs.conversionTime`). */
const JOURNEY_SUMMARY = ['tp_ok', 'tp_c', 'tp_v', 'tp_nl', 'tp_r', 'tp_j', 'tp_n', 'tp_lnd', 'tp_set', 'tp_a', 'tp_ts', 'tp_tl', 'tp_w', 'tp_cvt'] as const

/** Events cut into journeys with window functions (every dialect but ClickHouse before 21.x). */
export const eventJourneysByWindows = (d: Dialect, q: AttributionQuery, e: SqlEvents, needs: Needs): JourneySql => {
  const touches = eventTouchesByWindows(d, q, e, needs)
  // Kept touches are consecutive in the user's order, so a touch's position in its journey is its rank less the first's.
  const halfLife = d.double(q.halfLifeMs)
  const summary = [
    'tp_ok',
    `${d.toDouble('MAX(tp_jc)')} AS tp_c`,
    'MAX(tp_jv) AS tp_v',
    `${d.toDouble('1 - MAX(tp_jc)')} AS tp_nl`,
    'MAX(tp_r) AS tp_r',
    `${d.double(1)} AS tp_j`,
    'COUNT(*) AS tp_n',
    `${needs.lastNonDirect ? `COALESCE(MAX(CASE WHEN ${nonDirect(d, q, 'tp_x')} THEN tp_rk END) - MIN(tp_rk) + 1, COUNT(*))` : 'COUNT(*)'} AS tp_lnd`,
    `${needs.sets ? d.distinctSorted(encodeSql(d, 'tp_x'), d.string('>')) : "''"} AS tp_set`,
    `${d.orderedArray(encodeSql(d, 'tp_x'), ['tp_rk'])} AS tp_a`,
    `${d.orderedArray('tp_xt', ['tp_rk'])} AS tp_ts`,
    'MAX(tp_tl) AS tp_tl',
    `SUM(${d.pow2(`-(tp_tl - tp_xt) / ${halfLife}`)}) AS tp_w`,
    ...(needs.conversionTime === true || needs.previousConversion === true ? ['MAX(tp_at) AS tp_cvt'] : []),
    ...(needs.previousConversion === true ? ['tp_id AS tp_uid', 'tp_jn'] : []),
  ]
  const from = `(
SELECT ${summary.join(',\n  ')}
FROM ${touches} GROUP BY tp_ok, tp_id, tp_jn
) AS tp_journey`
  return { from: needs.previousConversion === true ? previousConversionByWindows(from, JOURNEY_SUMMARY) : from, timed: true }
}
