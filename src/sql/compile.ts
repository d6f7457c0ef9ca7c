/**
 * The SQL compiler: an `AttributionQuery` and a dialect in, one query out, whose result rows are the
 * `AttributionPartial` that `attribute` finishes (the exact Markov solve and Shapley stay in touchpoint; the
 * engine does the part that grows with rows). Pure: no connection, no I/O.
 *
 * Shape of the query (one text for every dialect; `Dialect` supplies the spelling):
 * 1. journeys, one row each (`journeys.ts`);
 * 2. touches: each journey exploded with positions, its channel array still at hand for Markov windows;
 * 3. emissions: each touch fanned out into the result sections it feeds (`channel` always, `edge` for Markov;
 *    the first touch also `set`, `start`, `exit` and `totals`), so that a single GROUP BY adds up everything in
 *    one pass, with no common table expression read twice (ClickHouse before 20.x has none);
 * 4. one row with the query's settings as JSON, so a saved result is read back with the settings it was made with.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { ModelName } from '../attribution/model'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { checkAttributionQuery } from './check'
import type { Dialect, DialectName } from './dialect'
import { DIALECTS } from './dialects'
import { eventJourneysByWindows, pathJourneys, type JourneySql } from './journeys'
import { eventJourneysByArrays } from './journeysByArrays'
import { channelDictionary, channelSetNames } from './journeysByChannelSets'
import { eventTouchJourneys, neighbours } from './journeysByTouches'
import { RESULT_COLUMNS, type AttributionQuery, type CompiledQuery, type ResultColumn } from './model'

/**
 * Sections of the result, by emission number. A `channel` row also carries, on the first touch of each journey,
 * the journey's totals (so totals need no row of their own: a rule-based query fans nothing out).
 */
const CHANNEL = 1
const EDGE = 2
const SET = 3
const START = 4
const EXIT = 5

const SET_MODELS: ReadonlyArray<ModelName> = ['participation', 'shapley', 'shapley_rate']

/**
 * The settings a result was computed with, as the `settings` row holds them.
 *
 * @category sql
 * @since 0.2.0
 */
export interface ResultSettings {
  readonly format: 1
  readonly input: 'paths' | 'events'
  readonly models: ReadonlyArray<ModelName>
  readonly order: number
  readonly position: { readonly first: number; readonly middle: number; readonly last: number }
  readonly halfLifeMs: number
  readonly direct: ReadonlyArray<string>
  readonly lookbackMs?: number
}

const resultSettings = (q: AttributionQuery): ResultSettings => ({
  format: 1,
  input: q.input._tag,
  models: [...new Set(q.models)],
  order: q.order,
  position: { first: q.position.first, middle: q.position.middle, last: q.position.last },
  halfLifeMs: q.halfLifeMs,
  direct: q.direct,
  ...(q.input._tag === 'events' && q.input.lookbackMs !== undefined ? { lookbackMs: q.input.lookbackMs } : {}),
})

/** Positional weight of touch `tp_k` of `tp_n`, as `fillPositional` computes it. */
const positional = (d: Dialect, q: AttributionQuery): string => {
  const { first, middle, last } = q.position
  const fl = first + last
  const s = first + middle + last
  const two = (k: 1 | 2) => d.double(fl > 0 ? (k === 1 ? first : last) / fl : 0.5)
  return `CASE WHEN tp_n = 1 THEN ${d.double(1)} WHEN tp_n = 2 THEN (CASE WHEN tp_k = 1 THEN ${two(1)} ELSE ${two(2)} END) WHEN tp_k = 1 THEN ${d.double(first / s)} WHEN tp_k = tp_n THEN ${d.double(last / s)} ELSE ${d.double(middle / s)} / (tp_n - 2) END`
}

/**
 * Whether event journeys stay one row per touch on `d` (`Dialect.touchesByWindows`, and no model needs channel
 * sets unless the dialect reads them as bitmasks, `Dialect.setMasks`); otherwise each journey is one row with its
 * channels in an ordered array.
 *
 * @internal
 */
export const eventsByTouch = (d: Dialect, q: AttributionQuery): boolean =>
  q.input._tag === 'events' && d.journeys === 'windows' && d.touchesByWindows === true && (d.setMasks !== undefined || !SET_MODELS.some((m) => q.models.includes(m)))

const compileWith = (d: Dialect, q: AttributionQuery): string => {
  const models = new Set(q.models)
  const markov = models.has('markov')
  const sets = SET_MODELS.some((m) => models.has(m))
  const needs = { sets, lastNonDirect: models.has('last_non_direct') }
  const byTouch = eventsByTouch(d, q)
  const j: JourneySql =
    q.input._tag === 'paths'
      ? pathJourneys(d, q, q.input, needs)
      : byTouch
        ? eventTouchJourneys(d, q, q.input, needs)
        : d.journeys === 'windows'
          ? eventJourneysByWindows(d, q, q.input, needs)
          : eventJourneysByArrays(d, q, q.input, needs)
  const perTouch = j.perTouch === true
  // Channel sets per touch are bitmasks (journeysByChannelSets.ts): grouped as integers, named in the last step.
  const masks = sets && perTouch && d.setMasks !== undefined ? d.setMasks : undefined
  const o = q.order
  const zero = d.double(0)
  // A channel `offset` places after the touch (before it, when negative): from the journey's array, or per touch
  // from its neighbour columns.
  const at = (offset: number) => (perTouch ? (offset === 0 ? 'tp_x' : offset > 0 ? `tp_x${offset}` : `tp_y${-offset}`) : d.element('tp_a', offset === 0 ? 'tp_k' : `tp_k + ${offset}`, 'text'))
  const atIndex = (i: string) => d.element('tp_a', i, 'text')
  const joined = (parts: ReadonlyArray<string>) => d.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [d.string('>'), p])))

  // Markov: a transition is made by k+1 consecutive channels not all equal (equal ones are one collapsed state).
  const gram = joined(Array.from({ length: o + 1 }, (_, i) => at(i)))
  const allEqual = Array.from({ length: o }, (_, i) => `${at(i)} = ${at(i + 1)}`).join(' AND ')
  const windowOf = (elements: (m: number) => ReadonlyArray<string>) =>
    `CASE ${Array.from({ length: o - 1 }, (_, m) => `WHEN tp_n = ${m + 1} THEN ${joined(elements(m + 1))}`).join(' ')} ELSE ${joined(elements(o))} END`
  // Per touch, the first states are read on the first touch (the channels after it), the last on the last (before it).
  const firstWindow = perTouch
    ? o === 1
      ? at(0)
      : windowOf((m) => Array.from({ length: m }, (_, i) => at(i)))
    : o === 1
      ? atIndex('1')
      : windowOf((m) => Array.from({ length: m }, (_, i) => atIndex(String(i + 1))))
  const lastWindow = perTouch
    ? o === 1
      ? at(0)
      : windowOf((m) => Array.from({ length: m }, (_, i) => at(i - (m - 1))))
    : o === 1
      ? atIndex('tp_n')
      : windowOf((m) => Array.from({ length: m }, (_, i) => atIndex(i === m - 1 ? 'tp_n' : `tp_n - ${m - 1 - i}`)))
  const weighted = 'tp_c + tp_nl > 0'
  // Which touches fan out into the journey's own sections: the first (sets, start, and exit from the array) or, per
  // touch, the first and the last (exit).
  const wideWhen = perTouch ? 'tp_k = 1 OR tp_k = tp_n' : 'tp_k = 1'
  const atFirst = perTouch ? 'tp_k = 1 AND ' : ''
  const atLast = perTouch ? 'tp_k = tp_n AND ' : ''

  const wide = [CHANNEL, ...(markov ? [EDGE] : []), ...(sets ? [SET] : []), ...(markov ? [START, EXIT] : [])]
  const narrow = [CHANNEL, ...(markov ? [EDGE] : [])]
  // Touches carry the journey's arrays only when a model reads them (copying a list per touch is not free).
  const decays = j.timed && models.has('time_decay')
  const { after, before } = neighbours(o, markov)
  const touchColumns = perTouch
    ? ['tp_ok', 'tp_c', 'tp_v', 'tp_nl', 'tp_r', 'tp_j', 'tp_n', 'tp_lnd', ...Array.from({ length: after }, (_, i) => `tp_x${i + 1}`), ...Array.from({ length: before }, (_, i) => `tp_y${i + 1}`), ...(decays ? ['tp_dw'] : []), ...(masks ? ['tp_mask'] : [])]
    : ['tp_ok', 'tp_c', 'tp_v', 'tp_nl', 'tp_r', 'tp_j', 'tp_n', 'tp_lnd', ...(sets ? ['tp_set'] : []), ...(markov ? ['tp_a'] : []), ...(decays ? ['tp_ts', 'tp_tl', 'tp_w'] : [])]
  const touches = perTouch
    ? j.from
    : `(
${d.explode(touchColumns.join(', '), j.from, 'tp_a', 'tp_x', 'tp_k')}
) AS tp_t`
  // One emission per touch (no fan-out) when neither Markov nor channel sets are asked for.
  const fanned =
    wide.length === 1
      ? `(\nSELECT ${touchColumns.join(', ')}, tp_x, tp_k, ${CHANNEL} AS tp_e FROM ${touches}\n) AS tp_f`
      : `(\n${d.fanOut(`${touchColumns.join(', ')}, tp_x, tp_k`, touches, wideWhen, wide, narrow, 'tp_e')}\n) AS tp_f`

  const section = `CASE WHEN tp_ok = 0 THEN (CASE WHEN tp_e = ${CHANNEL} AND tp_k = 1 THEN 'invalid' END) WHEN tp_e = ${CHANNEL} THEN 'channel' WHEN tp_e = ${EDGE} THEN ${markov ? `(CASE WHEN tp_k <= tp_n - ${o} AND ${weighted} AND NOT (${allEqual}) THEN 'edge' END)` : 'NULL'} WHEN tp_e = ${SET} THEN (CASE WHEN ${atFirst}${weighted} THEN 'set' END) WHEN tp_e = ${START} THEN (CASE WHEN ${atFirst}${weighted} THEN 'start' END) WHEN tp_e = ${EXIT} THEN (CASE WHEN ${atLast}${weighted} THEN 'exit' END) END`
  const channels = `CASE WHEN tp_ok = 0 THEN '' WHEN tp_e = ${CHANNEL} THEN tp_x WHEN tp_e = ${EDGE} THEN ${markov ? gram : "''"} WHEN tp_e = ${SET} THEN ${masks ? d.text('tp_mask') : sets ? 'tp_set' : "''"} WHEN tp_e = ${START} THEN ${markov ? firstWindow : "''"} WHEN tp_e = ${EXIT} THEN ${markov ? lastWindow : "''"} ELSE '' END`
  const when = (es: ReadonlyArray<number>, x: string) => `CASE WHEN tp_ok = 1 AND tp_e IN (${es.join(', ')}) THEN ${x} ELSE ${zero} END`
  const journey = `tp_e = ${CHANNEL} AND tp_k = 1`
  const orJourney = (es: ReadonlyArray<number>, x: string) => `CASE WHEN tp_ok = 1 AND (tp_e IN (${es.join(', ')}) OR ${journey}) THEN ${x} ELSE ${zero} END`
  const credit = (m: ModelName, at: string, weight: string): Record<string, string> =>
    models.has(m)
      ? { [`${m}_conversions`]: when([CHANNEL], `CASE WHEN ${at} THEN ${weight}tp_c ELSE ${zero} END`), [`${m}_value`]: when([CHANNEL], `CASE WHEN ${at} THEN ${weight}tp_v ELSE ${zero} END`) }
      : { [`${m}_conversions`]: zero, [`${m}_value`]: zero }
  const decay = perTouch ? 'tp_dw * ' : `${d.pow2(`-(tp_tl - ${d.element('tp_ts', 'tp_k', 'double')}) / ${d.double(q.halfLifeMs)}`)} / tp_w * `
  const values: Record<ResultColumn, string> = {
    section: `${section}`,
    channels,
    conversions: orJourney([EDGE, SET, START, EXIT], 'tp_c'),
    value: orJourney([SET, EXIT], 'tp_v'),
    nulls: orJourney([EDGE, SET, START, EXIT], 'tp_nl'),
    rows: `CASE WHEN ${journey} THEN tp_r ELSE ${zero} END`,
    journeys: `CASE WHEN tp_ok = 1 AND ${journey} THEN tp_j ELSE ${zero} END`,
    touches: when([CHANNEL], d.double(1)),
    ...credit('first', 'tp_k = 1', ''),
    ...credit('last', 'tp_k = tp_n', ''),
    ...credit('last_non_direct', 'tp_k = tp_lnd', ''),
    ...credit('linear', '1 = 1', `${d.double(1)} / tp_n * `),
    ...credit('position', '1 = 1', `(${positional(d, q)}) * `),
    time_decay_conversions: decays ? when([CHANNEL], `${decay}tp_c`) : zero,
    time_decay_value: decays ? when([CHANNEL], `${decay}tp_v`) : zero,
  } as Record<ResultColumn, string>
  const name = (c: ResultColumn) => d.ident(c)
  const emitted = `(
SELECT ${RESULT_COLUMNS.map((c) => `${values[c]} AS ${name(c)}`).join(',\n  ')}
FROM ${fanned}
) AS tp_emit`
  const sums = RESULT_COLUMNS.slice(2).map((c) => `SUM(${name(c)}) AS ${name(c)}`)
  const aggregated = `SELECT ${name('section')}, ${name('channels')},\n  ${sums.join(',\n  ')}
FROM ${emitted} WHERE ${name('section')} IS NOT NULL GROUP BY ${name('section')}, ${name('channels')}`
  const settingsRow = `SELECT ${d.string('settings')} AS ${name('section')}, ${d.string(JSON.stringify(resultSettings(q)))} AS ${name('channels')}, ${RESULT_COLUMNS.slice(2).map((c) => `${zero} AS ${name(c)}`).join(', ')}`
  if (masks === undefined || q.input._tag !== 'events') return `SELECT * FROM (\n${aggregated}\nUNION ALL\n${settingsRow}\n) AS tp_result ORDER BY ${name('section')}, ${name('channels')}`
  // Set rows hold a mask (as text) until here: the dictionary names them, on the few rows of the result (in the
  // outermost SELECT: one level more would pass the nesting parsers allow).
  const named = `CASE WHEN tp_result.${name('section')} = 'set' THEN ${channelSetNames(d, masks, `tp_result.${name('channels')}`)} ELSE tp_result.${name('channels')} END`
  const columns = [`tp_result.${name('section')} AS ${name('section')}`, `${named} AS ${name('channels')}`, ...RESULT_COLUMNS.slice(2).map((c) => `tp_result.${name(c)} AS ${name(c)}`)]
  return `WITH ${channelDictionary(d, masks, q, q.input)}\nSELECT ${columns.join(', ')} FROM (\n${aggregated}\nUNION ALL\n${settingsRow}\n) AS tp_result ORDER BY ${name('section')}, ${name('channels')}`
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Functions a Dialect may leave out (optional in its type): absent, the compiler takes another form. */
const OPTIONAL_FUNCTIONS: ReadonlySet<string> = new Set(['argMin'])

/** Every function (and object of functions) of `like` is one in `u` too, where `u` has that object. */
const shapedLike = (u: Record<string, unknown>, like: object): boolean =>
  Object.entries(like).every(([k, v]) => {
    if (typeof v === 'function') return typeof u[k] === 'function' || (u[k] === undefined && OPTIONAL_FUNCTIONS.has(k))
    if (!isPlainObject(v) || u[k] === undefined) return true
    const inner = u[k]
    return isPlainObject(inner) && shapedLike(inner, v)
  })

/**
 * A caller's own dialect (a built-in one changed, say, without its bitmasks or its argMin): it names a built-in
 * dialect and has that dialect's functions (the optional ones may be left out), and any optional part it carries
 * (setMasks, lists) has the functions of a built-in one.
 */
const isDialect = (u: unknown): u is Dialect => {
  if (!isPlainObject(u) || typeof u['name'] !== 'string' || !Object.hasOwn(DIALECTS, u['name'])) return false
  if (u['journeys'] !== 'windows' && u['journeys'] !== 'arrays') return false
  const builtIns = Object.values(DIALECTS) as ReadonlyArray<Dialect>
  const optional = Object.fromEntries(builtIns.flatMap((b) => Object.entries(b).filter(([, v]) => isPlainObject(v))))
  return shapedLike(u, DIALECTS[u['name'] as DialectName]) && shapedLike(u, optional)
}

/**
 * Compile an attribution query for `dialect` (a name or a `Dialect` of your own). `Left(InvalidInput)` names
 * every problem with the query (an identifier that cannot be quoted, an unknown model, ...); nothing throws.
 *
 * The result has the columns `RESULT_COLUMNS`; run it anywhere and give its rows to `decodeAttributionRows`.
 *
 * @example
 * pipe(
 *   { source: { _tag: 'table', name: 'analytics.paths' }, input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' },
 *     models: ['first', 'markov'], order: 1, position: POSITION_SHAPES.u, halfLifeMs: 7 * DAY_MS, direct: ['direct'] },
 *   compileAttribution('bigquery'),
 * ) // => right({ dialect: 'bigquery', sql: 'SELECT * FROM (\nSELECT `section`, ...', columns: [...] })
 *
 * @category sql
 * @since 0.2.0
 */
export const compileAttribution =
  (dialect: DialectName | Dialect) =>
  (query: unknown): E.Either<TouchpointError, CompiledQuery> => {
    const d = typeof dialect === 'string' ? (Object.hasOwn(DIALECTS, dialect) ? DIALECTS[dialect] : undefined) : isDialect(dialect) ? dialect : undefined
    if (d === undefined) return E.left(invalidInput([issue('dialect', `one of ${Object.keys(DIALECTS).join(', ')}, or a Dialect with the functions of the one it names`, dialect)]))
    return pipe(
      checkAttributionQuery(query),
      E.map((q) => ({ dialect: d.name, sql: compileWith(d, q), columns: RESULT_COLUMNS })),
    )
  }
