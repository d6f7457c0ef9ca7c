/**
 * Experiment analysis compiled to SQL: exposure and event tables (or files, through DuckDB) in, one row per
 * experiment, arm and dimension value out, holding exactly the sums the in-process reducer (`logReducer`)
 * computes, so that the same finisher (`toStatistics`, then `touchpoint/stats`) runs on either. Pure: text in,
 * text out, no connection. The dialect table of attribution (`DIALECTS`) spells it; the few things only this
 * query needs (an exact interpolated quantile, an integer cast, CTEs or not) sit in `EXTRAS` below.
 *
 * Shape of the query (one text for every dialect):
 * 1. units: per experiment and unit, the first exposure time t0, whether it saw more than one variant, the
 *    dimension value at t0 (`mixed` when the exposures at t0 disagree) and whether any of its rows was invalid;
 * 2. per-unit values: the qualifying events joined with the units of their unit id (units on the right: the
 *    build side of a hash join, far smaller than the events; a full join, so that flawed events of no exposed unit
 *    are counted too; a flawed event joins no unit, so it is counted once however many experiments its unit is
 *    in), each metric's value in its window and its CUPED covariate over the days before t0;
 * 3. caps: per experiment the `PERCENTILE_CONT` of the included units' values (a literal for fixed caps);
 * 4. per experiment, arm and dimension value: units, Σy, Σy², Σx, Σx², Σxy and each ratio's Σ numerator × denominator
 *    of the capped values.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import type { EventMetric } from '../experiments/model'
import type { Dialect, DialectName } from './dialect'
import { DIALECTS } from './dialects'
import { checkExperimentQuery, type ExperimentQuery } from './experimentsModel'
import type { CompiledQuery, SqlSource, SqlTime } from './model'

/** What only this query needs from a dialect. */
interface Extras {
  /** An exact quantile with linear interpolation (`PERCENTILE_CONT`) as an aggregate, where the engine has one. */
  readonly quantile?: (x: string, q: string) => string
  /** `CAST(x AS <integer>)`, for array positions (the dialects that compute the quantile from a sorted array). */
  readonly integer: (x: string) => string
  /** Common table expressions (ClickHouse before 20.x has none: a subquery read twice is written twice). */
  readonly ctes: boolean
  /** How a left join keeping every unit is spelled (ClickHouse 18.16 wants the strictness). */
  readonly leftJoin: string
  /**
   * How the units meet the events: a full join, so that events of no exposed unit still reach the checks (the
   * in-process reader refuses a qualifying event without a unit id, time or value, whoever it belongs to).
   * `on`: joined by `ON` on the events' own unit column (unmatched events then group under a NULL unit, as one
   * row); else `USING` on a key column (ClickHouse 18.16, where unmatched rows hold defaults: '' for the experiment,
   * 0 for times and flags).
   */
  readonly fullJoin: { readonly spelled: string; readonly on: boolean }
  /**
   * A cheap test every blank text passes (its first character is white space), so that trimming runs on few rows:
   * the blank check runs on every event.
   */
  readonly mayBeBlank?: (text: string) => string
  /** An aggregate carrying a value equal on every row of the group (MIN where there is nothing cheaper). */
  readonly carry?: (x: string) => string
  /** `AS MATERIALIZED` where the engine takes it: the per-unit values are read twice (caps, sums), computed once. */
  readonly materialized?: boolean
}

const percentileCont = (x: string, q: string) => `PERCENTILE_CONT(${q}) WITHIN GROUP (ORDER BY ${x})`
const fullJoin = { spelled: 'FULL JOIN', on: true }
const standard: Extras = { quantile: percentileCont, integer: (x) => `CAST(${x} AS BIGINT)`, ctes: true, leftJoin: 'LEFT JOIN', fullJoin }

const EXTRAS: Readonly<Record<DialectName, Extras>> = {
  duckdb: { ...standard, quantile: (x, q) => `quantile_cont(${x}, ${q})`, materialized: true, carry: (x) => `any_value(${x})`,
    // JavaScript's white space is U+0009-U+000D, U+0020 and code points from U+00A0 on: 21M events, 16 s -> 3 s.
    mayBeBlank: (t) => `(ascii(${t}) <= 32 OR ascii(${t}) >= 160)` },
  postgres: { ...standard, materialized: true },
  snowflake: standard,
  redshift: standard,
  // Spark's `percentile` is exact and interpolates as PERCENTILE_CONT does.
  databricks: { ...standard, quantile: (x, q) => `percentile(${x}, ${q})` },
  // BigQuery's PERCENTILE_CONT is analytic only and Trino has none: both interpolate over a sorted array.
  bigquery: { integer: (x) => `CAST(${x} AS INT64)`, ctes: true, leftJoin: 'LEFT JOIN', fullJoin },
  trino: { integer: (x) => `CAST(${x} AS BIGINT)`, ctes: true, leftJoin: 'LEFT JOIN', fullJoin },
  clickhouse: { integer: (x) => `toInt64(${x})`, ctes: false, leftJoin: 'ALL LEFT JOIN', fullJoin: { spelled: 'ALL FULL JOIN', on: false } },
}

/** Columns of the result, in order, for `metrics` (positional names: no user text becomes an identifier). */
export const experimentColumns = (q: Pick<ExperimentQuery, 'metrics'> & { readonly dimension: boolean; readonly timed: boolean }): ReadonlyArray<string> => [
  'experiment',
  'multiple',
  'variant',
  ...(q.dimension ? ['mixed', 'dimension'] : []),
  'units',
  ...q.metrics.eventMetrics.flatMap((m, i) => [
    `m${i}_sum`,
    `m${i}_sum_squares`,
    ...(m.cupedMs === undefined ? [] : [`m${i}_covariate_sum`, `m${i}_covariate_sum_squares`, `m${i}_product_sum`]),
    ...(m.cap === undefined ? [] : [`m${i}_cap`, ...(m.cupedMs === undefined ? [] : [`m${i}_covariate_cap`])]),
  ]),
  ...q.metrics.ratios.map((_, j) => `r${j}_product_sum`),
  'invalid_exposures',
  'missing_values',
  ...(q.timed ? ['first_exposure', 'last_exposure'] : []),
  'last_event',
]

const sourceSql = (d: Dialect, s: SqlSource, alias: string): string => (s._tag === 'table' ? `${d.table(s.name.split('.'))} AS ${alias}` : `(\n${s.sql}\n) AS ${alias}`)

/** Milliseconds since 1970 as a double, computed as the in-process decoder does (`x * factor`). */
const timeMs = (d: Dialect, t: SqlTime, column: string): string => {
  if (t._tag === 'timestamp') return d.epochMs(column)
  const x = d.toDouble(column)
  return t.unit === 'ms' ? x : `${x} * ${d.double({ s: 1000, us: 1e-3, ns: 1e-6 }[t.unit])}`
}

const compileWith = (d: Dialect, x: Extras, q: ExperimentQuery): string => {
  const ex = q.exposures
  const ev = q.events
  const metrics = q.metrics.eventMetrics
  const dimension = ex.dimension !== undefined
  const col = (name: string) => d.ident(name)
  const zero = d.double(0)
  const one = d.double(1)
  const timed = ex.time !== undefined
  const xTime = timed ? timeMs(d, ex.timeType, col(ex.time!)) : zero
  // No id, as the in-process reader sees it: nothing, or only white space (JavaScript's trim).
  const blank = (c: string) =>
    x.mayBeBlank === undefined ? `${c} IS NULL OR ${d.trim(d.text(c))} = ''` : `${c} IS NULL OR ${d.text(c)} = '' OR (${x.mayBeBlank(d.text(c))} AND ${d.trim(d.text(c))} = '')`
  const xFlawed = [blank(col(ex.unit)), blank(col(ex.experiment)), blank(col(ex.variant)), ...(timed ? [`${col(ex.time!)} IS NULL`] : [])].join(' OR ')
  const bad = `CASE WHEN ${xFlawed} THEN 1 ELSE 0 END`
  const dimText = dimension ? d.ifNull(d.text(col(ex.dimension!)), "''") : "''"
  const xWhere = [
    ...(q.experiment === undefined ? [] : [`${d.text(col(ex.experiment))} = ${d.string(q.experiment)}`]),
    ...(q.asOf === undefined || !timed ? [] : [`${xTime} < ${d.double(q.asOf)}`]),
  ]
  // Flawed rows of any experiment and time stay in, to be counted: the in-process reader stops at every one.
  const where = (conditions: ReadonlyArray<string>) => (conditions.length === 0 ? '' : ` WHERE (${conditions.join(' AND ')}) OR ${xFlawed}`)
  const agreed = (min: string, max: string, flag: string, value: string) =>
    `CASE WHEN ${min} = ${max} THEN 0 ELSE 1 END AS ${flag}, CASE WHEN ${min} = ${max} THEN ${min} ELSE '' END AS ${value}`

  // 1. Units.
  let units: string
  if (d.journeys === 'windows') {
    const normalized = `SELECT ${d.text(col(ex.unit))} AS tp_xu, ${d.text(col(ex.experiment))} AS tp_xe, ${d.text(col(ex.variant))} AS tp_xv, ${xTime} AS tp_xt, ${dimText} AS tp_xd, ${bad} AS tp_xbad FROM ${sourceSql(d, ex.source, 'tp_xs')}${where(xWhere)}`
    const first = dimension
      ? `SELECT tp_xu, tp_xe, tp_xv, tp_xt, tp_xbad, CASE WHEN tp_xt = MIN(tp_xt) OVER (PARTITION BY tp_xe, tp_xu) THEN tp_xd END AS tp_xf FROM (\n${normalized}\n) AS tp_xn`
      : normalized
    units = `SELECT tp_xe AS tp_experiment, tp_xu AS tp_unit, MIN(tp_xt) AS tp_t0, MAX(tp_xt) AS tp_xlast, ${agreed('MIN(tp_xv)', 'MAX(tp_xv)', 'tp_multiple', 'tp_variant')}${
      dimension ? `, ${agreed('MIN(tp_xf)', 'MAX(tp_xf)', 'tp_mixed', 'tp_dimension')}` : ''
    }, MAX(tp_xbad) AS tp_bad FROM (\n${first}\n) AS tp_xw GROUP BY tp_xe, tp_xu`
  } else {
    // No window functions: per unit and time first (on every shard of a Distributed table), then argMin over times.
    // The join key is never NULL: a NULL key matches nothing in ClickHouse's join, and FULL JOIN drops the row, so a
    // unit without an id (flagged tp_bad) would vanish instead of being counted. '' and NULL both become ' '.
    const unitKey = d.ifNull('tp_yu', "''")
    const perTime = `SELECT ${d.text(col(ex.experiment))} AS tp_ye, ${d.text(col(ex.unit))} AS tp_yu, ${xTime} AS tp_yt, min(${d.text(col(ex.variant))}) AS tp_yvmin, max(${d.text(col(ex.variant))}) AS tp_yvmax, min(${dimText}) AS tp_ydmin, max(${dimText}) AS tp_ydmax, max(${bad}) AS tp_ybad FROM ${sourceSql(d, ex.source, 'tp_xs')}${where(xWhere)} GROUP BY tp_ye, tp_yu, tp_yt`
    units = `SELECT tp_ye AS tp_experiment, tp_yu AS tp_unit, min(tp_yt) AS tp_t0, max(tp_yt) AS tp_xlast, ${agreed('min(tp_yvmin)', 'max(tp_yvmax)', 'tp_multiple', 'tp_variant')}${
      dimension ? `, ${agreed('argMin(tp_ydmin, tp_yt)', 'argMin(tp_ydmax, tp_yt)', 'tp_mixed', 'tp_dimension')}` : ''
    }, max(tp_ybad) AS tp_bad, CASE WHEN ${unitKey} = '' THEN ' ' ELSE ${unitKey} END AS tp_key FROM (\n${perTime}\n) AS tp_y GROUP BY tp_ye, tp_yu`
  }

  // 2. Per-unit values.
  const names = [...new Set(metrics.flatMap((m) => m.events))]
  const inList = (es: ReadonlyArray<string>) => `tp_ee IN (${es.map((e) => d.string(e)).join(', ')})`
  const valueIndex = (m: EventMetric) => q.metrics.valueColumns.indexOf(m.value!)
  const evTime = timeMs(d, ev.timeType, col(ev.time))
  // A qualifying event the in-process reader refuses: no unit id, no time, or no value where a sum metric adds it up.
  const eventName = d.text(col(ev.event))
  const eFlawed = [
    blank(col(ev.unit)),
    `${col(ev.time)} IS NULL`,
    ...q.metrics.valueColumns.map((c) => {
      const feeding = [...new Set(metrics.filter((m) => m.value === c).flatMap((m) => m.events))]
      return `(${eventName} IN (${feeding.map((e) => d.string(e)).join(', ')}) AND ${col(c)} IS NULL)`
    }),
  ].join(' OR ')
  // A flawed event joins no unit (its key is one no unit has: NULL, or '' on ClickHouse, whose unit keys are never
  // ''), so it reaches the result once, in the row of events without a unit, however many experiments its unit is in.
  // Where keys may be NULL, that key is the only trace of the flaw: no per-event flag rides through the join and the
  // grouping (they cost a sixth of the query); ClickHouse, without NULLs in its join, keeps the flag tp_eb.
  const eKey = x.fullJoin.on ? 'tp_eu' : 'tp_key'
  const valueNames = q.metrics.valueColumns.map((_, k) => `, tp_ev${k}`).join('')
  const flagOrKey = x.fullJoin.on ? `CASE WHEN ${eFlawed} THEN NULL ELSE ${d.text(col(ev.unit))} END AS tp_eu` : `${d.text(col(ev.unit))} AS tp_eid`
  const read = `SELECT ${flagOrKey}, ${evTime} AS tp_et, ${eventName} AS tp_ee${q.metrics.valueColumns
    .map((c, k) => `, ${d.toDouble(col(c))} AS tp_ev${k}`)
    .join('')}${x.fullJoin.on ? '' : `, CASE WHEN ${eFlawed} THEN 1 ELSE 0 END AS tp_eb`} FROM ${sourceSql(d, ev.source, 'tp_es')} WHERE ${eventName} IN (${names.map((e) => d.string(e)).join(', ')})${q.asOf === undefined ? '' : ` AND (${evTime} < ${d.double(q.asOf)} OR ${eFlawed})`}`
  // ClickHouse's tp_eh: 1 on every event row, 0 (the default) for a unit without events, whose time reads 0 there.
  // On ClickHouse both join keys are plain String (never NULL, see tp_key): keys of different types break its join.
  const events = x.fullJoin.on
    ? read
    : `SELECT ${d.ifNull("CASE WHEN tp_eb = 1 THEN '' ELSE tp_eid END", "''")} AS ${eKey}, tp_et, tp_ee${valueNames}, tp_eb, 1 AS tp_eh FROM (\n${read}\n) AS tp_er`
  const after = (ms: number) => (ms === 0 ? 'tp_t0' : `tp_t0 + ${d.double(ms)}`)
  const inWindow = (m: EventMetric) =>
    !timed ? '1 = 1' : `tp_et >= ${after(m.delayMs)}${m.windowMs === undefined ? '' : ` AND tp_et < ${after(m.delayMs + m.windowMs)}`}`
  const contribution = (m: EventMetric) => (m.kind === 'sum' ? `COALESCE(tp_ev${valueIndex(m)}, ${zero})` : one)
  const aggregate = (m: EventMetric, body: string) => (m.kind === 'binomial' ? `MAX(${body})` : `SUM(${body})`)
  const perUnit = metrics.flatMap((m, i) => {
    const qualifies = inList(m.events)
    const y = `${aggregate(m, `CASE WHEN ${qualifies} AND ${inWindow(m)} THEN ${contribution(m)} ELSE ${zero} END`)} AS tp_y${i}`
    if (m.cupedMs === undefined) return [y]
    // As the reducer: an event in the window is never also in the pre-period.
    const covariate = `${aggregate(m, `CASE WHEN ${qualifies} AND ${inWindow(m)} THEN ${zero} WHEN ${qualifies} AND tp_et < tp_t0 AND tp_et >= ${after(-m.cupedMs)} THEN ${contribution(m)} ELSE ${zero} END`)} AS tp_x${i}`
    return [y, covariate]
  })
  // Flawed events: event rows (their name is never NULL) without a key; 0 in a unit's group, where every event has
  // its key, and for a unit without events (no name). The latest event (ClickHouse fills the event columns of a unit
  // without events with defaults: time 0, flag 0).
  const missing = x.fullJoin.on
    ? 'COUNT(CASE WHEN tp_eu IS NULL THEN tp_ee END) AS tp_missing, MAX(tp_et) AS tp_elast'
    : 'SUM(CASE WHEN tp_eb = 1 THEN 1 ELSE 0 END) AS tp_missing, MAX(CASE WHEN tp_eh = 1 THEN tp_et END) AS tp_elast'
  const keys = ['tp_experiment', 'tp_unit', 'tp_t0', 'tp_xlast', 'tp_multiple', 'tp_variant', ...(dimension ? ['tp_mixed', 'tp_dimension'] : []), 'tp_bad']
  // The rest of a unit's columns depend on (experiment, unit): carried by MIN rather than hashed as keys (ClickHouse
  // keeps them as keys: an alias equal to its argument's name is cyclic there).
  const carried = x.ctes ? keys.slice(2) : []
  const groupKeys = keys.filter((k) => !carried.includes(k))
  const carry = x.carry ?? ((c: string) => `MIN(${c})`)
  const selected = [...groupKeys, ...carried.map((k) => `${carry(k)} AS ${k}`)]
  const cells = ['tp_experiment', 'tp_multiple', 'tp_variant', ...(dimension ? ['tp_mixed', 'tp_dimension'] : [])]
  const unitValues = `SELECT ${selected.join(', ')}, ${perUnit.join(', ')}, ${missing}
FROM (
${events}
) AS tp_e ${x.fullJoin.spelled} (
${units}
) AS tp_u ${x.fullJoin.on ? `ON tp_u.tp_unit = tp_e.${eKey}` : 'USING (tp_key)'}
GROUP BY ${groupKeys.join(', ')}`
  // Where a CTE is computed once (MATERIALIZED), the units are numbered and the 20M-row grouping keys on that number
  // alone: no unit columns carried through it (they join back on the 1M sums after).
  const sumNames = perUnit.map((c) => c.slice(c.lastIndexOf(' AS ') + 4))
  const numbered = `tp_units AS MATERIALIZED (
SELECT tp_un.*, ROW_NUMBER() OVER () AS tp_uid FROM (
${units}
) AS tp_un
), tp_sums AS (
SELECT tp_uid, ${perUnit.join(', ')}, ${missing}
FROM (
${events}
) AS tp_e ${x.fullJoin.spelled} (SELECT tp_uid, tp_unit, tp_t0 FROM tp_units) AS tp_u ON tp_u.tp_unit = tp_e.${eKey}
GROUP BY tp_uid
), tp_values AS MATERIALIZED (
SELECT ${[...keys.filter((k) => k !== 'tp_unit'), ...[...sumNames, 'tp_missing', 'tp_elast'].map((k) => `tp_s.${k}`)].join(', ')}
FROM tp_sums AS tp_s LEFT JOIN tp_units AS tp_uu ON tp_uu.tp_uid = tp_s.tp_uid
)`

  // 3. Caps, over the units (not the row of events no unit was exposed before: no experiment, or '' on ClickHouse).
  const matched = x.fullJoin.on ? 'tp_experiment IS NOT NULL' : "tp_experiment <> ''"
  const quantiles = metrics.flatMap((m, i) => (m.cap?._tag === 'quantile' ? [{ i, q: m.cap.quantile, cuped: m.cupedMs !== undefined }] : []))
  const unitsRef = (alias: string) => (x.ctes ? `tp_values AS ${alias}` : `(\n${unitValues}\n) AS ${alias}`)
  let caps = ''
  if (quantiles.length > 0) {
    const columns = quantiles.flatMap(({ i, cuped }) => [[`tp_y${i}`, `tp_ky${i}`], ...(cuped ? [[`tp_x${i}`, `tp_kx${i}`]] : [])] as Array<[string, string]>)
    const quantileOf = (i: number) => d.double(quantiles.find((c) => c.i === i)!.q)
    const qOf = (column: string) => quantileOf(Number(column.replace(/^tp_[yx]/, '')))
    if (x.quantile !== undefined) {
      caps = `SELECT tp_experiment, ${columns.map(([v, k]) => `${x.quantile!(v, qOf(v))} AS ${k}`).join(', ')} FROM ${unitsRef('tp_cu')} WHERE tp_multiple = 0 AND ${matched} GROUP BY tp_experiment`
    } else {
      // Position q·(n − 1) in the sorted values, interpolated between its neighbours, as `percentileCont`.
      const sorted = `SELECT tp_experiment, ${columns.map(([v], c) => `${d.orderedArray(v, [v])} AS tp_a${c}`).join(', ')} FROM ${unitsRef('tp_cu')} WHERE tp_multiple = 0 AND ${matched} GROUP BY tp_experiment`
      const interpolated = columns.map(([v, k], c) => {
        const a = `tp_a${c}`
        const n = d.length(a)
        const position = `${qOf(v)} * (${n} - 1)`
        const lower = x.integer(`FLOOR(${position})`)
        const at = (offset: number) => d.element(a, `${lower} + ${offset}`, 'double')
        return `CASE WHEN ${n} = 0 THEN NULL WHEN ${lower} + 1 >= ${n} THEN ${at(1)} ELSE ${at(1)} + (${position} - ${lower}) * (${at(2)} - ${at(1)}) END AS ${k}`
      })
      caps = `SELECT tp_experiment, ${interpolated.join(', ')} FROM (\n${sorted}\n) AS tp_ca`
    }
  }

  // 4. Capped values, then the sums per cell.
  const capOf = (m: EventMetric, i: number, side: 'y' | 'x'): string | undefined =>
    m.cap === undefined ? undefined : m.cap._tag === 'value' ? d.double(m.cap.value) : `tp_k${side}${i}`
  const capped = (v: string, cap: string | undefined) => (cap === undefined ? v : `CASE WHEN ${v} > ${cap} THEN ${cap} ELSE ${v} END`)
  const cappedColumns = metrics.flatMap((m, i) => {
    const out = [`${capped(`tp_y${i}`, capOf(m, i, 'y'))} AS tp_cy${i}`]
    if (m.cupedMs !== undefined) out.push(`${capped(`tp_x${i}`, capOf(m, i, 'x'))} AS tp_cx${i}`)
    if (m.cap !== undefined) {
      out.push(`${capOf(m, i, 'y')} AS tp_cap${i}`)
      if (m.cupedMs !== undefined) out.push(`${capOf(m, i, 'x')} AS tp_capx${i}`)
    }
    return out
  })
  const cappedSql = `SELECT ${[...cells, 'tp_bad', 'tp_missing', 'tp_t0', 'tp_xlast', 'tp_elast', ...cappedColumns].join(', ')} FROM ${unitsRef('tp_v')}${caps === '' ? '' : ` ${x.leftJoin} (\n${caps}\n) AS tp_c USING (tp_experiment)`}`
  const name = (c: string) => d.ident(c)
  const sums = [
    `${d.toDouble('COUNT(*)')} AS ${name('units')}`,
    ...metrics.flatMap((m, i) => [
      `SUM(tp_cy${i}) AS ${name(`m${i}_sum`)}`,
      `SUM(tp_cy${i} * tp_cy${i}) AS ${name(`m${i}_sum_squares`)}`,
      ...(m.cupedMs === undefined
        ? []
        : [`SUM(tp_cx${i}) AS ${name(`m${i}_covariate_sum`)}`, `SUM(tp_cx${i} * tp_cx${i}) AS ${name(`m${i}_covariate_sum_squares`)}`, `SUM(tp_cx${i} * tp_cy${i}) AS ${name(`m${i}_product_sum`)}`]),
      ...(m.cap === undefined ? [] : [`MAX(tp_cap${i}) AS ${name(`m${i}_cap`)}`, ...(m.cupedMs === undefined ? [] : [`MAX(tp_capx${i}) AS ${name(`m${i}_covariate_cap`)}`])]),
    ]),
    ...q.metrics.ratios.map((r, j) => `SUM(tp_cy${r.numerator} * tp_cy${r.denominator}) AS ${name(`r${j}_product_sum`)}`),
    `${d.toDouble('SUM(tp_bad)')} AS ${name('invalid_exposures')}`,
    `${d.toDouble('SUM(tp_missing)')} AS ${name('missing_values')}`,
    // The logs' time span, for the sequential series (as the reducer's `span`).
    ...(timed ? [`MIN(tp_t0) AS ${name('first_exposure')}`, `MAX(tp_xlast) AS ${name('last_exposure')}`] : []),
    `MAX(tp_elast) AS ${name('last_event')}`,
  ]
  const outCells = cells.map((c) => `${c} AS ${name(c.replace(/^tp_/, ''))}`)
  const final = `SELECT ${outCells.join(', ')},
  ${sums.join(',\n  ')}
FROM (
${cappedSql}
) AS tp_capped
GROUP BY ${cells.join(', ')}
ORDER BY ${cells.map((c) => name(c.replace(/^tp_/, ''))).join(', ')}`
  if (x.materialized === true) return `WITH ${numbered}\n${final}`
  return x.ctes ? `WITH tp_values AS (\n${unitValues}\n)\n${final}` : final
}

/**
 * Compile the per-arm sums of an experiment analysis for `dialect`. `Left(InvalidInput)` names every problem
 * with the query (a name that cannot be quoted, an unknown dialect, windows on an untimed exposure log); nothing
 * throws. Run the SQL anywhere and give its rows to `decodeExperimentSums`: the result is the `LogSums` the
 * in-process `logReducer` computes from the same rows, ready for `toStatistics`.
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7d' }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * pipe(
 *   { exposures: { source: { _tag: 'table', name: 'analytics.exposures' }, unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp', timeType: { _tag: 'timestamp' } },
 *     events: { source: { _tag: 'table', name: 'analytics.events' }, unit: 'unit_id', time: 'timestamp', event: 'event', timeType: { _tag: 'timestamp' } },
 *     metrics: metrics.right },
 *   compileExperimentSums('bigquery'),
 *   E.map((c) => c.columns),
 * ) // => right(['experiment', 'multiple', 'variant', 'units', 'm0_sum', 'm0_sum_squares', 'invalid_exposures', 'missing_values', 'first_exposure', 'last_exposure', 'last_event'])
 *
 * @category sql
 * @since 0.2.0
 */
export const compileExperimentSums =
  (dialect: DialectName) =>
  (query: unknown): E.Either<TouchpointError, CompiledQuery> => {
    const d = typeof dialect === 'string' && Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined
    if (d === undefined) return E.left(invalidInput([issue('dialect', `one of ${Object.keys(DIALECTS).join(', ')}`, dialect)]))
    return pipe(
      checkExperimentQuery(query),
      E.map((q) => ({ dialect: d.name, sql: compileWith(d, EXTRAS[d.name], q), columns: experimentColumns({ metrics: q.metrics, dimension: q.exposures.dimension !== undefined, timed: q.exposures.time !== undefined }) })),
    )
  }
