/**
 * What the experiments' exports check at their boundary when a plain-JavaScript caller passes something the
 * types rule out: trusted values (decoded `Metrics`, the per-arm sums, the statistics, the results and reports)
 * are checked once per call of an export, by shape, never inside the per-row loops.
 *
 * @internal
 * @module
 */
import { issue, type Issue } from '../../core/errors'
import { everyElement as everyIndex } from '../../core/guards'
import type { ArmSums, Metrics } from '../model'

/** @internal An object that is no array. */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object' && !Array.isArray(u)

const isText = (u: unknown): u is string => typeof u === 'string'
const isFinite = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u)
const isCount = (u: unknown): u is number => isFinite(u) && u >= 0
const isTime = (u: unknown): boolean => isFinite(u) && u >= 0
const isIndex = (n: number) => (u: unknown): boolean => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < n
/**
 * @internal A list whose every element passes `test`, holes included (core's `everyElement`: `Array.prototype.every`
 * skips the holes of a sparse list, `[, report]`, which the loops after the check then meet as `undefined`); what
 * is no list fails.
 */
export const everyElement = (u: unknown, test: (x: unknown) => boolean): boolean => Array.isArray(u) && everyIndex(u, test)

const isEventMetric = (u: unknown, valueColumns: ReadonlyArray<string>): boolean =>
  isObject(u) &&
  isText(u['name']) &&
  ['binomial', 'count', 'sum'].includes(u['kind'] as string) &&
  everyElement(u['events'], isText) &&
  (u['value'] === undefined || (isText(u['value']) && valueColumns.includes(u['value']))) &&
  isTime(u['delayMs']) &&
  (u['windowMs'] === undefined || (isTime(u['windowMs']) && (u['windowMs'] as number) > 0)) &&
  (u['cupedMs'] === undefined || isTime(u['cupedMs'])) &&
  (u['cap'] === undefined ||
    (isObject(u['cap']) &&
      ((u['cap']['_tag'] === 'quantile' && isFinite(u['cap']['quantile']) && u['cap']['quantile'] >= 0 && u['cap']['quantile'] <= 1) ||
        (u['cap']['_tag'] === 'value' && isFinite(u['cap']['value'])))))

/**
 * @internal Does `u` have the shape `decodeMetrics` gives (every field the reducer, the finisher and the analysis
 * read)? Checked once per call of an export.
 */
export const isMetrics = (u: unknown): u is Metrics => {
  if (!isObject(u) || !everyElement(u['valueColumns'], isText) || !Array.isArray(u['metrics'])) return false
  const columns = u['valueColumns'] as ReadonlyArray<string>
  const events = u['eventMetrics']
  if (!everyElement(events, (m) => isEventMetric(m, columns))) return false
  const n = (events as ReadonlyArray<unknown>).length
  const ratios = u['ratios']
  if (!everyElement(ratios, (r) => isObject(r) && isObject(r['metric']) && isText(r['metric']['name']) && isIndex(n)(r['numerator']) && isIndex(n)(r['denominator']))) return false
  // Every metric is one of the event metrics or one of the ratios (the finisher finds it by name in one of them).
  const names = new Set([...(events as ReadonlyArray<{ readonly name: string }>).map((m) => m.name), ...(ratios as ReadonlyArray<{ readonly metric: { readonly name: string } }>).map((r) => r.metric.name)])
  return everyElement(
    u['metrics'],
    (m) => isObject(m) && isText(m['name']) && names.has(m['name']) && ['binomial', 'count', 'sum', 'ratio'].includes(m['kind'] as string) && typeof m['guardrail'] === 'boolean' && (m['direction'] === 'increase' || m['direction'] === 'decrease'),
  )
}

/** @internal */
export const METRICS = 'decoded metrics (from decodeMetrics or decodeMetricsJson)'

const metricSumsOk = (u: unknown, covariate: boolean): boolean =>
  isObject(u) &&
  isFinite(u['sum']) &&
  isCount(u['sumSquares']) &&
  (covariate
    ? isObject(u['covariate']) && isFinite(u['covariate']['sum']) && isCount(u['covariate']['sumSquares']) && isFinite(u['covariate']['productSum'])
    : u['covariate'] === undefined || (isObject(u['covariate']) && isFinite(u['covariate']['sum']) && isCount(u['covariate']['sumSquares']) && isFinite(u['covariate']['productSum'])))

/**
 * @internal The first issue of per-arm sums (an engine's rows) against `metrics`, named `rows[i].field`. Only the
 * shape a finisher relies on: one sum per event metric (with its covariate where the metric has CUPED), one product
 * per ratio, counts that are finite and not negative.
 */
export const armSumsIssue = (rows: unknown, metrics: Metrics | undefined): Issue | undefined => {
  if (!Array.isArray(rows)) return issue('rows', 'per-arm sums: a list of { experiment, variant, units, metrics, ratioProducts }', rows)
  for (let i = 0; i < rows.length; i++) {
    const r: unknown = rows[i]
    const at = (f: string) => `rows[${i}]${f === '' ? '' : `.${f}`}`
    if (!isObject(r)) return issue(at(''), 'the sums of one arm: { experiment, variant, units, metrics, ratioProducts }', r)
    if (!isText(r['experiment'])) return issue(at('experiment'), 'an experiment key (text)', r['experiment'])
    if (r['variant'] !== null && !isText(r['variant'])) return issue(at('variant'), 'a variant name, or null (units exposed to several)', r['variant'])
    if (r['dimension'] !== undefined && r['dimension'] !== null && !isText(r['dimension'])) return issue(at('dimension'), 'a dimension value (text), null or nothing', r['dimension'])
    if (!isCount(r['units'])) return issue(at('units'), 'a number of units (finite, >= 0)', r['units'])
    const ms = r['metrics']
    if (metrics === undefined) {
      if (!Array.isArray(ms)) return issue(at('metrics'), 'the sums of each event metric (a list)', ms)
    } else {
      const n = metrics.eventMetrics.length
      if (!Array.isArray(ms) || ms.length !== n) return issue(at('metrics'), `the sums of each of the ${n} event metrics`, ms)
      const bad = ms.findIndex((m, j) => !metricSumsOk(m, metrics.eventMetrics[j]!.cupedMs !== undefined))
      if (bad >= 0) return issue(at(`metrics[${bad}]`), `{ sum, sumSquares${metrics.eventMetrics[bad]!.cupedMs !== undefined ? ', covariate: { sum, sumSquares, productSum }' : ''} } (finite numbers, squares >= 0)`, ms[bad])
      const p = r['ratioProducts']
      if (!Array.isArray(p) || p.length !== metrics.ratios.length || !everyElement(p, isFinite)) return issue(at('ratioProducts'), `one finite number per ratio metric (${metrics.ratios.length})`, p)
    }
  }
  return undefined
}

/** @internal */
export const isArmSums = (rows: unknown): rows is ReadonlyArray<ArmSums> => armSumsIssue(rows, undefined) === undefined

const isInterval = (u: unknown): boolean =>
  isObject(u) && typeof u['lower'] === 'number' && typeof u['upper'] === 'number' && !Number.isNaN(u['lower']) && !Number.isNaN(u['upper'])

const isProbability = (u: unknown): boolean => isFinite(u) && u >= 0 && u <= 1

/** @internal The statistics of one metric as the reports read them. */
export const isStatistics = (u: unknown): boolean =>
  isObject(u) &&
  isText(u['experiment']) &&
  isText(u['metric']) &&
  isText(u['control']) &&
  isCount(u['multipleExposures']) &&
  (u['dimension'] === undefined || (isObject(u['dimension']) && isText(u['dimension']['name']) && (u['dimension']['value'] === null || isText(u['dimension']['value'])))) &&
  everyElement(u['arms'], (a) => isObject(a) && isText(a['name']) && isCount(a['units']) && (a['weight'] === undefined || isCount(a['weight']))) &&
  (u['arms'] as ReadonlyArray<unknown>).length > 0

const isTreatment = (u: unknown): boolean =>
  isObject(u) &&
  isText(u['name']) &&
  isFinite(u['estimate']) &&
  isInterval(u['interval']) &&
  isProbability(u['pValue']) &&
  isProbability(u['familyPValue']) &&
  isProbability(u['probabilityBetter']) &&
  (u['sequentialInterval'] === undefined || isInterval(u['sequentialInterval'])) &&
  (u['varianceReduction'] === undefined || isFinite(u['varianceReduction'])) &&
  ['better', 'worse', 'inconclusive'].includes(u['verdict'] as string)

/** @internal One result of `analyzeStatistics`, as far as `buildReports` and `formatReports` read it. */
export const isResult = (u: unknown): boolean => {
  if (!isObject(u) || !isStatistics(u['statistics']) || typeof u['guardrail'] !== 'boolean' || !['binomial', 'count', 'sum', 'ratio'].includes(u['kind'] as string)) return false
  const o = u['outcome']
  if (!isObject(o)) return false
  if (o['_tag'] === 'NotAnalyzed') return isText(o['reason'])
  if (o['_tag'] !== 'Analyzed') return false
  const a = o['analysis']
  return (
    isObject(a) &&
    (a['type'] === 'relative' || a['type'] === 'absolute') &&
    isText(a['kind']) &&
    everyElement(a['arms'], (x) => isObject(x) && isText(x['name']) && isFinite(x['mean'])) &&
    isProbability(o['intervalLevel']) &&
    ['none', 'bonferroni', 'back-solved'].includes(o['intervalAdjustment'] as string) &&
    typeof o['familySize'] === 'number' &&
    Number.isInteger(o['familySize']) &&
    (o['familySize'] as number) >= 1 &&
    everyElement(o['treatments'], isTreatment)
  )
}

/** @internal One report of `buildReports`, as far as `formatReports` reads it. */
export const isReport = (u: unknown): boolean =>
  isObject(u) &&
  isText(u['experiment']) &&
  isText(u['control']) &&
  isText(u['correction']) &&
  isProbability(u['level']) &&
  everyElement(
    u['slices'],
    (s) =>
      isObject(s) &&
      (s['dimension'] === undefined || (isObject(s['dimension']) && isText(s['dimension']['name']) && (s['dimension']['value'] === null || isText(s['dimension']['value'])))) &&
      everyElement(s['arms'], (a) => isObject(a) && isText(a['name']) && isCount(a['units'])) &&
      isCount(s['multipleExposures']) &&
      (s['sampleRatio'] === undefined || (isObject(s['sampleRatio']) && typeof s['sampleRatio']['mismatch'] === 'boolean' && isProbability(s['sampleRatio']['pValue']))) &&
      everyElement(s['metrics'], isResult),
  )
