/**
 * The raw-log analysis (`touchpoint analyze --exposures … --events … --json`: `{ experiments: [{ experiment,
 * control, slices: [{ metrics }] }], caps }`) read as one experiment on a touchpoint: which experiment, which
 * metric (the binomial one, a conversion, unless the entry names another), which treatment, with the numbers
 * the summary prints (the family-corrected lift and p-value).
 *
 * @module
 */
import { issue, type Issue } from '../../core/errors'
import { isRecord } from '../../core/guards'
import type { Estimate } from '../actions'

/** @internal What an experiment entry needs from a result, whatever `touchpoint analyze` mode made it. */
export interface PickedResult {
  readonly experiment?: string
  readonly metric?: string
  readonly kind: 'binomial' | 'continuous' | 'ratio'
  readonly type: 'relative' | 'absolute'
  readonly level: number
  readonly holdout: { readonly name: string; readonly units: number; readonly mean: number; readonly conversions?: number }
  readonly exposed: { readonly name: string; readonly units: number; readonly mean: number; readonly conversions?: number }
  readonly lift: Estimate
  readonly pValue: number
  /** The level the rate change's interval is taken at. */
  readonly rateLevel: number
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const level = (x: unknown): x is number => finite(x) && x > 0 && x < 1
const text = (x: unknown): x is string => typeof x === 'string'
const quoted = (xs: ReadonlyArray<string>) => xs.map((x) => JSON.stringify(x)).join(', ')

/** @internal Whether a result is the raw-log analysis' output rather than one analysis of per-arm statistics. */
export const isLogAnalysis = (u: unknown): u is Readonly<Record<string, unknown>> => isRecord(u) && !Array.isArray(u) && 'experiments' in u && !('arms' in u)

interface Metric {
  readonly at: string
  readonly name: string
  readonly kind: string
  readonly guardrail: boolean
  readonly raw: Readonly<Record<string, unknown>>
}

/**
 * @internal The experiment, metric and treatment an entry (`{ experiment?, metric?, treatment? }`) picks from a
 * raw-log analysis `result` at `at`, or the issues saying what was found instead.
 */
export const pickLogAnalysis = (at: string, entry: { readonly experiment?: unknown; readonly metric?: unknown; readonly treatment?: unknown }, result: Readonly<Record<string, unknown>>): ReadonlyArray<Issue> | PickedResult => {
  const xs = result['experiments']
  const r = `${at}.result`
  if (!(Array.isArray(xs) && xs.length > 0 && xs.every((x) => isRecord(x) && text(x['experiment']) && text(x['control']) && Array.isArray(x['slices'])))) {
    return [issue(`${r}.experiments`, 'experiments { experiment, control, slices }, at least 1 (touchpoint analyze --exposures … --json)', xs)]
  }
  const names = xs.map((x) => (x as { experiment: string }).experiment)
  const i = names.length === 1 ? 0 : names.indexOf(entry.experiment as string)
  if (i < 0) return [issue(`${at}.experiment`, `the experiment that tested the touchpoint, one of ${quoted(names)} (the result holds ${names.length})`, entry.experiment)]
  const x = xs[i] as Readonly<Record<string, unknown>>
  const xAt = `${r}.experiments[${i}]`
  const slices = x['slices'] as ReadonlyArray<unknown>
  const s = slices.findIndex((v) => isRecord(v) && v['dimension'] === undefined)
  const slice = slices[s]
  if (!(isRecord(slice) && Array.isArray(slice['metrics']))) return [issue(`${xAt}.slices`, 'a slice of the whole experiment (no dimension) with its metrics', slices)]
  const metrics: Array<Metric> = []
  for (const [j, m] of (slice['metrics'] as ReadonlyArray<unknown>).entries()) {
    const st = isRecord(m) ? m['statistics'] : undefined
    if (!(isRecord(m) && isRecord(st) && text(st['metric']) && text(m['kind']) && isRecord(m['outcome']))) return [issue(`${xAt}.slices[${s}].metrics[${j}]`, 'a metric result { statistics { metric }, kind, outcome }', m)]
    metrics.push({ at: `${xAt}.slices[${s}].metrics[${j}]`, name: st['metric'] as string, kind: m['kind'] as string, guardrail: m['guardrail'] === true, raw: m })
  }
  const found = metrics.map((m) => `${m.name} (${m.kind}${m.guardrail ? ', guardrail' : ''})`).join(', ') || 'none'
  let metric: Metric | undefined
  if (entry.metric !== undefined) {
    metric = metrics.find((m) => m.name === entry.metric)
    if (metric === undefined) return [issue(`${at}.metric`, `a metric of experiment ${JSON.stringify(names[i])}: ${found}`, entry.metric)]
  } else {
    const binomial = metrics.filter((m) => m.kind === 'binomial')
    metric = binomial.find((m) => !m.guardrail) ?? binomial[0]
    if (metric === undefined) return [issue(`${at}.metric`, `the metric that measured the touchpoint: experiment ${JSON.stringify(names[i])} has no binomial (conversion) metric to pick by itself; its metrics: ${found}`, entry.metric)]
  }
  const outcome = metric.raw['outcome'] as Readonly<Record<string, unknown>>
  if (outcome['_tag'] !== 'Analyzed') return [issue(`${metric.at}.outcome`, `an analysed metric; ${metric.name} was not analysed${text(outcome['reason']) ? ` (${outcome['reason']})` : ''}`, outcome['_tag'])]
  const analysis = outcome['analysis']
  const treatments = outcome['treatments']
  const oAt = `${metric.at}.outcome`
  const armOk = (a: unknown) => isRecord(a) && text(a['name']) && finite(a['units']) && a['units'] > 0 && finite(a['mean'])
  const tOk = (t: unknown) => isRecord(t) && text(t['name']) && finite(t['estimate']) && isRecord(t['interval']) && finite(t['interval']['lower']) && finite(t['interval']['upper']) && finite(t['familyPValue'])
  const out: Array<Issue> = []
  if (!(isRecord(analysis) && (analysis['kind'] === 'binomial' || analysis['kind'] === 'continuous' || analysis['kind'] === 'ratio') && (analysis['type'] === 'relative' || analysis['type'] === 'absolute') && level(analysis['intervalLevel']) && Array.isArray(analysis['arms']) && analysis['arms'].every(armOk))) {
    out.push(issue(`${oAt}.analysis`, '{ kind, type, intervalLevel, arms { name, units > 0, mean } }', analysis))
  }
  if (!level(outcome['intervalLevel'])) out.push(issue(`${oAt}.intervalLevel`, 'a number in (0, 1)', outcome['intervalLevel']))
  if (!(Array.isArray(treatments) && treatments.length >= 1 && treatments.every(tOk))) out.push(issue(`${oAt}.treatments`, 'treatments { name, estimate, interval { lower, upper }, familyPValue }, at least 1', treatments))
  if (out.length > 0) return out
  const a = analysis as { kind: PickedResult['kind']; type: PickedResult['type']; intervalLevel: number; arms: ReadonlyArray<{ name: string; units: number; mean: number }> }
  const ts = treatments as ReadonlyArray<{ name: string; estimate: number; interval: { lower: number; upper: number }; familyPValue: number }>
  const t = entry.treatment === undefined ? (ts.length === 1 ? ts[0] : undefined) : ts.find((v) => v.name === entry.treatment)
  if (t === undefined) return [issue(`${at}.treatment`, `${entry.treatment === undefined ? 'the arm that had the touchpoint, ' : ''}one of ${quoted(ts.map((v) => v.name))}`, entry.treatment)]
  const control = x['control'] as string
  // Exact counts where the statistics carry them (a binomial metric's conversions), not mean × units rounded.
  const counts = new Map<string, number>()
  const st = metric.raw['statistics'] as Readonly<Record<string, unknown>>
  if (Array.isArray(st['arms'])) for (const v of st['arms'] as ReadonlyArray<unknown>) if (isRecord(v) && text(v['name']) && Number.isInteger(v['conversions'])) counts.set(v['name'], v['conversions'] as number)
  const arm = (name: string) => {
    const found = a.arms.find((v) => v.name === name)
    if (found === undefined) return undefined
    const c = counts.get(name)
    return { name, units: found.units, mean: found.mean, ...(c === undefined ? {} : { conversions: c }) }
  }
  const holdout = arm(control)
  const exposed = arm(t.name)
  if (holdout === undefined || exposed === undefined) return [issue(`${oAt}.analysis.arms`, `arms named ${JSON.stringify(control)} (the holdout) and ${JSON.stringify(t.name)}`, a.arms.map((v) => v.name))]
  return {
    experiment: names[i]!,
    metric: metric.name,
    kind: a.kind,
    type: a.type,
    level: outcome['intervalLevel'] as number,
    holdout,
    exposed,
    lift: { value: t.estimate, lower: t.interval.lower, upper: t.interval.upper },
    pValue: t.familyPValue,
    // The level each comparison was analysed at: Bonferroni-widened across the family, so the rate change is
    // no less corrected than the lift beside it.
    rateLevel: a.intervalLevel,
  }
}
