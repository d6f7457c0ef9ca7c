/**
 * Recognising the report's values when a plain-JavaScript caller may pass anything: settings, partials, costs,
 * histograms and reports. Either-returning exports turn these into Lefts naming the field; the others answer
 * "nothing there".
 *
 * @module
 */
import { issue, type Issue } from '../../core/errors'
import { isRecord } from '../../core/guards'
import { partialIssues, settingsIssues } from '../../attribution/internal/guards'
import { MODEL_NAMES } from '../../attribution/model'
import type { Histogram, Report, ReportPartial, ReportSettings } from '../model'

const under = (at: string, field: string) => (at === '' ? field : `${at}.${field}`)
const integer = (x: unknown, min: number, max: number) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max

/** @internal Why `s` is not `ReportSettings`, each path under `at`. */
export const reportSettingsIssues = (s: unknown, at: string): ReadonlyArray<Issue> => {
  if (!isRecord(s)) return [issue(at === '' ? 'settings' : at, 'report settings (from reportSettings)', s)]
  return [
    ...settingsIssues(s['attribution'], under(at, 'attribution')),
    ...(integer(s['replicates'], 0, 10_000) ? [] : [issue(under(at, 'replicates'), 'an integer from 0 to 10000', s['replicates'])]),
    ...(typeof s['seed'] === 'string' ? [] : [issue(under(at, 'seed'), 'a string', s['seed'])]),
    ...(integer(s['pathCapacity'], 2, Number.MAX_SAFE_INTEGER) ? [] : [issue(under(at, 'pathCapacity'), 'an integer >= 2', s['pathCapacity'])]),
    ...(integer(s['flowSteps'], 1, 12) ? [] : [issue(under(at, 'flowSteps'), 'an integer from 1 to 12', s['flowSteps'])]),
    ...(s['bootstrapModels'] === undefined || (Array.isArray(s['bootstrapModels']) && s['bootstrapModels'].every((m) => (MODEL_NAMES as ReadonlyArray<unknown>).includes(m)))
      ? []
      : [issue(under(at, 'bootstrapModels'), `absent, or a list of model names (${MODEL_NAMES.join(', ')})`, s['bootstrapModels'])]),
    ...(s['afterPurchaseWindowMs'] === undefined || (typeof s['afterPurchaseWindowMs'] === 'number' && Number.isFinite(s['afterPurchaseWindowMs']) && s['afterPurchaseWindowMs'] > 0)
      ? []
      : [issue(under(at, 'afterPurchaseWindowMs'), 'absent, or a duration in milliseconds > 0', s['afterPurchaseWindowMs'])]),
  ]
}

/** @internal */
export const isReportSettings = (s: unknown): s is ReportSettings => reportSettingsIssues(s, '').length === 0

/** @internal Why `p` is not a `ReportPartial` as the report accumulator builds it (shape, attribution partial, settings). */
export const reportPartialIssues = (p: unknown, at: string): ReadonlyArray<Issue> =>
  isRecord(p) &&
  p['_tag'] === 'ReportPartial' &&
  isRecord(p['totals']) &&
  isRecord(p['channel']) &&
  Array.isArray(p['flow']) &&
  isRecord(p['lengths']) &&
  isRecord(p['journeyDuration']) &&
  isRecord(p['paths']) &&
  isRecord(p['bootstrap']) &&
  // Absent in partials reduced before the after-purchase section.
  (p['afterPurchase'] === undefined || (isRecord(p['afterPurchase']) && isRecord(p['afterPurchase']['channel'])))
    ? [...partialIssues(p['attribution'], under(at, 'attribution')), ...reportSettingsIssues(p['settings'], under(at, 'settings'))]
    : [issue(at, 'a report partial (from reduceTouchpoints, a touchpoint accumulator or mergeReportPartials)', p)]

/** @internal */
export const isReportPartial = (p: unknown): p is ReportPartial => reportPartialIssues(p, 'partial').length === 0

/** @internal Costs as `parseCosts` returns them. */
export const costsIssues = (c: unknown, at: string): ReadonlyArray<Issue> => {
  if (!isRecord(c) || !isRecord(c['channels']) || !Array.isArray(c['periods'])) return [issue(at, 'costs (from parseCosts): { channels, periods }', c)]
  const channels = c['channels'] as Record<string, unknown>
  const bad = Object.keys(channels).find((k) => !(typeof channels[k] === 'number' && Number.isFinite(channels[k]) && (channels[k] as number) >= 0))
  return bad === undefined ? [] : [issue(`${under(at, 'channels')}[${JSON.stringify(bad)}]`, 'a cost >= 0', channels[bad])]
}

/** @internal A histogram as the accumulators build it: counts that are finite numbers >= 0. */
export const isHistogram = (h: unknown): h is Histogram =>
  isRecord(h) && Array.isArray(h['counts']) && h['counts'].every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)

/** @internal A `Report` as `buildReport` builds it (its shape; the numbers in it are the builder's). */
export const isReport = (r: unknown): r is Report =>
  isRecord(r) &&
  Array.isArray(r['models']) &&
  typeof r['referenceModel'] === 'string' &&
  isRecord(r['totals']) &&
  Array.isArray(r['touchpoints']) &&
  Array.isArray(r['stages']) &&
  Array.isArray(r['stageFlow']) &&
  isRecord(r['paths']) &&
  Array.isArray(r['flow']) &&
  isRecord(r['bootstrap']) &&
  Array.isArray(r['actions']) &&
  Array.isArray(r['opportunities'])

