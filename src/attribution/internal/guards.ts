/**
 * Recognising attribution's values when a plain-JavaScript caller may pass anything: settings, partials, results
 * and layouts. Each check names the field that is wrong, for the Lefts of the exports that take them; the
 * exports without an error channel answer "nothing there" instead.
 *
 * @module
 */
import { issue, type Issue } from '../../core/errors'
import { everyElement, isRecord } from '../../core/guards'
import type { Attribution, AttributionPartial, Settings } from '../model'

const under = (at: string, field: string) => (at === '' ? field : `${at}.${field}`)

/** @internal Why `s` is not `Settings` (the rules of `makeSettings`), each issue's path under `at`. */
export const settingsIssues = (s: unknown, at: string): ReadonlyArray<Issue> => {
  if (!isRecord(s)) return [issue(at, 'settings: { order, position, halfLifeMs, direct } (see makeSettings)', s)]
  const out: Array<Issue> = []
  const { order, position, halfLifeMs, direct } = s as Record<string, unknown>
  if (!(typeof order === 'number' && Number.isInteger(order) && order >= 1 && order <= 4)) out.push(issue(under(at, 'order'), 'an integer from 1 to 4', order))
  const weights = isRecord(position) ? [position['first'], position['middle'], position['last']] : []
  const finite = weights.length === 3 && weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)
  if (!finite || !((weights as Array<number>).reduce((a, b) => a + b, 0) > 0)) out.push(issue(under(at, 'position'), 'first, middle and last weights >= 0, not all 0', position))
  if (!(typeof halfLifeMs === 'number' && Number.isFinite(halfLifeMs) && halfLifeMs > 0)) out.push(issue(under(at, 'halfLifeMs'), 'a half-life > 0', halfLifeMs))
  if (!Array.isArray(direct)) out.push(issue(under(at, 'direct'), 'a list of channel names', direct))
  // An index loop, not forEach: that skips the holes of a sparse array ([, 'direct'] from plain JavaScript).
  else for (let i = 0; i < direct.length; i++) {
    const d: unknown = direct[i]
    if (typeof d !== 'string' || d.trim() === '') out.push(issue(`${under(at, 'direct')}[${i}]`, 'a non-empty channel name', d))
  }
  return out
}

/** @internal */
export const isSettings = (s: unknown): s is Settings => settingsIssues(s, '').length === 0

/** @internal Why `p` is not an `AttributionPartial` as the accumulator builds it (shape, then settings). */
export const partialIssues = (p: unknown, at: string): ReadonlyArray<Issue> =>
  isRecord(p) && p['_tag'] === 'AttributionPartial' && Array.isArray(p['channels']) && isRecord(p['totals']) && isRecord(p['rules']) && Array.isArray(p['sets']) && isRecord(p['markov'])
    ? settingsIssues(p['settings'], under(at, 'settings'))
    : [issue(at, "an attribution partial (from reduceJourneys, an accumulator's snapshot or mergePartials)", p)]

/** @internal */
export const isPartial = (p: unknown): p is AttributionPartial => partialIssues(p, 'partial').length === 0

/** @internal An `Attribution` as `attribute` builds it. */
export const isAttribution = (a: unknown): a is Attribution =>
  isRecord(a) && Array.isArray(a['models']) && everyElement(a['models'], (m) => typeof m === 'string') && Array.isArray(a['channels']) && everyElement(a['channels'], (c) => isRecord(c) && typeof c['channel'] === 'string' && isRecord(c['credits'])) && isRecord(a['totals'])

/** @internal A 1-based line number, or `undefined` for anything else (a caller's junk must not reach an issue). */
export const lineOf = (line: unknown): number | undefined => (typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : undefined)

/** @internal A separator of channel names: a non-empty string. */
export const separatorIssues = (separator: unknown, at: string): ReadonlyArray<Issue> =>
  typeof separator === 'string' && separator !== '' ? [] : [issue(at, 'a separator of channel names (a non-empty string)', separator)]

/** Sampling is bounded so one call cannot run for hours. */
const MAX_SAMPLES = 10_000_000 // the CLI's --shapley-samples bound

/**
 * @internal Why `options` are not `ShapleyRateOptions`, each path under `at` (`attribute` reports them as
 * `shapley.samples`).
 */
export const shapleyOptionIssues = (options: unknown, at: string): ReadonlyArray<Issue> => {
  const under = (f: string) => (at === '' ? f : `${at}.${f}`)
  if (!isRecord(options)) return [issue(at === '' ? 'options' : at, 'an object such as { samples: 2000 }', options)]
  const { exactLimit, samples, seed } = options as Record<string, unknown>
  const integer = (x: unknown, min: number, max: number) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max
  return [
    ...(exactLimit === undefined || integer(exactLimit, 0, 24) ? [] : [issue(under('exactLimit'), 'an integer from 0 to 24', exactLimit)]),
    ...(samples === undefined || integer(samples, 1, MAX_SAMPLES) ? [] : [issue(under('samples'), `an integer from 1 to ${MAX_SAMPLES}`, samples)]),
    ...(seed === undefined || typeof seed === 'string' ? [] : [issue(under('seed'), 'a string', seed)]),
  ]
}

/** @internal From plain JavaScript: why the options are not `JourneyOptions`. */
export const journeyOptionIssues = (o: unknown): ReadonlyArray<Issue> => {
  if (!isRecord(o)) return [issue('options', 'an object such as { lookbackMs: 2592000000 }', o)]
  const { lookbackMs, grouped, timeColumn, userColumn } = o as Record<string, unknown>
  return [
    ...(lookbackMs === undefined || (typeof lookbackMs === 'number' && lookbackMs >= 0) ? [] : [issue('options.lookbackMs', 'a number of milliseconds >= 0', lookbackMs)]),
    ...(grouped === undefined || typeof grouped === 'boolean' ? [] : [issue('options.grouped', 'true or false', grouped)]),
    ...(timeColumn === undefined || typeof timeColumn === 'string' ? [] : [issue('options.timeColumn', 'a column name', timeColumn)]),
    ...(userColumn === undefined || typeof userColumn === 'string' ? [] : [issue('options.userColumn', 'a column name', userColumn)]),
  ]
}
