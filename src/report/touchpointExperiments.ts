/**
 * The experiment file of the report (`--experiments`): results of `touchpoint analyze --json`, each attached to the
 * touchpoint it tested. A holdout test of a touchpoint measures what attribution can only model: the conversions
 * it adds. The report shows each on its touchpoint's card, and the actions use it in place of the model's credit.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { proportionsZTest } from '../stats/frequentist/proportionsZTest'
import type { Estimate } from './actions'
import { isLogAnalysis, pickLogAnalysis, type PickedResult } from './internal/logAnalysis'

/**
 * One experiment on a touchpoint: the holdout arm (the analysis' control: the touchpoint withheld) against the arm
 * that had it, the lift as analysed (`type`, at the analysis' interval level, corrected p-value) and, for a
 * conversion metric, `rateChange`: the change in conversion rate the touchpoint makes (exposed − holdout) with its
 * Wald interval (touchpoint/stats' `proportionsZTest` on the arms).
 *
 * @category experiments
 * @since 0.1.0
 */
export interface TouchpointExperiment {
  readonly touchpoint: string
  readonly name: string
  /** The metric of a raw-log analysis the experiment is judged on. */
  readonly metric?: string
  readonly kind: 'binomial' | 'continuous' | 'ratio'
  readonly type: 'relative' | 'absolute'
  readonly level: number
  readonly holdout: { readonly name: string; readonly units: number; readonly mean: number }
  readonly exposed: { readonly name: string; readonly units: number; readonly mean: number }
  readonly lift: Estimate
  readonly pValue: number
  readonly rateChange?: Estimate
  /** The level of `rateChange`'s interval: `level`, or for a raw-log analysis the family's Bonferroni level. */
  readonly rateChangeLevel?: number
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

const perArmIssues = (at: string, treatment: unknown, result: Readonly<Record<string, unknown>>): ReadonlyArray<Issue> | PickedResult => {
  const out: Array<Issue> = []
  const { kind, type, intervalLevel, control, arms, comparisons } = result
  if (kind !== 'binomial' && kind !== 'continuous' && kind !== 'ratio') out.push(issue(`${at}.result.kind`, 'binomial, continuous or ratio', kind))
  if (type !== 'relative' && type !== 'absolute') out.push(issue(`${at}.result.type`, 'relative or absolute', type))
  if (!(finite(intervalLevel) && intervalLevel > 0 && intervalLevel < 1)) out.push(issue(`${at}.result.intervalLevel`, 'a number in (0, 1)', intervalLevel))
  const armOk = (a: unknown) => isRecord(a) && typeof a['name'] === 'string' && finite(a['units']) && a['units'] > 0 && finite(a['mean'])
  if (!(Array.isArray(arms) && arms.length >= 2 && arms.every(armOk))) out.push(issue(`${at}.result.arms`, 'arms { name, units > 0, mean }, at least 2', arms))
  if (!(isRecord(control) && typeof control['name'] === 'string')) out.push(issue(`${at}.result.control`, '{ name } of the holdout arm', control))
  const cmpOk = (c: unknown) => isRecord(c) && typeof c['name'] === 'string' && finite(c['estimate']) && isRecord(c['interval']) && finite(c['interval']['lower']) && finite(c['interval']['upper']) && finite(c['adjustedPValue'])
  if (!(Array.isArray(comparisons) && comparisons.length >= 1 && comparisons.every(cmpOk))) out.push(issue(`${at}.result.comparisons`, 'comparisons { name, estimate, interval { lower, upper }, adjustedPValue }, at least 1', comparisons))
  if (out.length > 0) return out
  const cs = comparisons as ReadonlyArray<{ name: string; estimate: number; interval: { lower: number; upper: number }; adjustedPValue: number }>
  const as = arms as ReadonlyArray<{ name: string; units: number; mean: number }>
  // Which arm had the touchpoint: the one comparison, or the one `treatment` names.
  const c = treatment === undefined ? (cs.length === 1 ? cs[0] : undefined) : cs.find((x) => x.name === treatment)
  if (c === undefined) {
    return [issue(`${at}.treatment`, treatment === undefined ? `the arm that had the touchpoint, one of ${cs.map((x) => JSON.stringify(x.name)).join(', ')} (the result compares ${cs.length} arms with the holdout)` : `one of ${cs.map((x) => JSON.stringify(x.name)).join(', ')}`, treatment)]
  }
  const holdout = as.find((a) => a.name === (control as { name: string }).name)
  const exposed = as.find((a) => a.name === c.name)
  if (holdout === undefined || exposed === undefined) return [issue(`${at}.result.arms`, `arms named ${JSON.stringify((control as { name: string }).name)} (the holdout) and ${JSON.stringify(c.name)}`, as.map((a) => a.name))]
  return {
    kind: kind as PickedResult['kind'],
    type: type as PickedResult['type'],
    level: intervalLevel as number,
    holdout: { name: holdout.name, units: holdout.units, mean: holdout.mean },
    exposed: { name: exposed.name, units: exposed.units, mean: exposed.mean },
    lift: { value: c.estimate, lower: c.interval.lower, upper: c.interval.upper },
    pValue: c.adjustedPValue,
    rateLevel: intervalLevel as number,
  }
}

const entryIssues = (at: string, u: unknown): ReadonlyArray<Issue> | TouchpointExperiment => {
  if (!isRecord(u)) return [issue(at, 'an object { "touchpoint": "email", "result": <touchpoint analyze --json> }', u)]
  const out: Array<Issue> = []
  const { touchpoint, experiment, treatment, metric, result } = u
  if (!(typeof touchpoint === 'string' && touchpoint.trim() !== '')) out.push(issue(`${at}.touchpoint`, 'the name of the touchpoint the experiment tested', touchpoint))
  if (experiment !== undefined && typeof experiment !== 'string') out.push(issue(`${at}.experiment`, 'a name (text)', experiment))
  if (treatment !== undefined && typeof treatment !== 'string') out.push(issue(`${at}.treatment`, 'the name of the arm that had the touchpoint', treatment))
  if (metric !== undefined && typeof metric !== 'string') out.push(issue(`${at}.metric`, 'the name of a metric of the result (text)', metric))
  if (!isRecord(result)) return [...out, issue(`${at}.result`, 'the output of touchpoint analyze --json', result)]
  // Two shapes: one analysis of per-arm statistics, or the raw-log analysis of exposures and events.
  const picked = isLogAnalysis(result) ? (out.length > 0 ? [] : pickLogAnalysis(at, { experiment, metric, treatment }, result)) : perArmIssues(at, treatment, result)
  if (Array.isArray(picked)) return [...out, ...(picked as ReadonlyArray<Issue>)]
  if (out.length > 0) return out
  const p = picked as PickedResult
  if (metric !== undefined && !isLogAnalysis(result)) return [issue(`${at}.metric`, 'nothing: a result of per-arm statistics has one metric (metric names one of the raw-log analysis)', metric)]
  let rateChange: Estimate | undefined
  if (p.kind === 'binomial') {
    const { holdout, exposed } = p
    if (!(holdout.mean >= 0 && holdout.mean <= 1 && exposed.mean >= 0 && exposed.mean <= 1)) return [issue(`${at}.result`, 'conversion rates in [0, 1] in the arms', [holdout.mean, exposed.mean])]
    const arm = (a: PickedResult['holdout']) => ({ units: a.units, conversions: a.conversions ?? Math.round(a.mean * a.units) })
    const z = proportionsZTest({ level: p.rateLevel })({ control: arm(holdout), treatment: arm(exposed) })
    if (E.isRight(z)) rateChange = { value: z.right.difference, lower: z.right.interval.lower, upper: z.right.interval.upper }
  }
  const name = typeof touchpoint === 'string' ? touchpoint.trim() : ''
  const armOf = (a: PickedResult['holdout']) => ({ name: a.name, units: a.units, mean: a.mean })
  return {
    touchpoint: name,
    name: typeof experiment === 'string' && experiment.trim() !== '' ? experiment.trim() : (p.experiment ?? `${name} holdout`),
    ...(p.metric === undefined ? {} : { metric: p.metric }),
    kind: p.kind,
    type: p.type,
    level: p.level,
    holdout: armOf(p.holdout),
    exposed: armOf(p.exposed),
    lift: p.lift,
    pValue: p.pValue,
    ...(rateChange === undefined ? {} : { rateChange, rateChangeLevel: p.rateLevel }),
  }
}

/**
 * Experiments attached to touchpoints from parsed JSON: one entry or a list of entries `{ "touchpoint": "email",
 * "experiment": "email holdout, October", "result": <touchpoint analyze --json> }`. The analysis' control is the
 * holdout (the touchpoint withheld: `touchpoint analyze --control holdout`); with more than one treatment,
 * `"treatment"` names the arm that had the touchpoint. One experiment per touchpoint.
 *
 * The result may also be the raw-log analysis (`touchpoint analyze --exposures … --events … --json`): its
 * experiment (`"experiment"` names it when the output holds several), its whole-experiment slice, the metric
 * `"metric"` names or else its first binomial metric that is no guardrail, with the family-corrected lift and
 * p-value the summary prints; the rate change's interval is at the level each comparison was analysed at
 * (Bonferroni-widened across the family).
 *
 * `Left` names every problem by its path (`[1].result.comparisons`): a missing touchpoint, a result that is no
 * analysis, an arm, comparison, experiment or metric not found (listing those there are), a touchpoint given twice.
 *
 * @example
 * import { analyze } from 'touchpoint/stats'
 * const arms = [{ name: 'holdout', units: 12000, conversions: 1020 }, { name: 'exposed', units: 12000, conversions: 1104 }]
 * pipe(analyze()({ control: 'holdout', arms }), E.flatMap((result) => parseTouchpointExperiments({ touchpoint: 'display', result })), E.map((xs) => xs[0]?.rateChange))
 * // => right({ value: 0.007, lower: -0.00018603…, upper: 0.014186… })
 *
 * @category experiments
 * @since 0.1.0
 */
export const parseTouchpointExperiments = (json: unknown): E.Either<TouchpointError, ReadonlyArray<TouchpointExperiment>> => {
  const list = Array.isArray(json) ? json : [json]
  const issues: Array<Issue> = []
  const out: Array<TouchpointExperiment> = []
  const seen = new Map<string, number>()
  list.forEach((u, i) => {
    const at = Array.isArray(json) ? `[${i}]` : '(the entry)'
    const r = entryIssues(at, u)
    if (Array.isArray(r)) return void issues.push(...r)
    const e = r as TouchpointExperiment
    const first = seen.get(e.touchpoint)
    if (first !== undefined) return void issues.push(issue(`${at}.touchpoint`, `one experiment per touchpoint ([${first}] tested it too)`, e.touchpoint))
    seen.set(e.touchpoint, i)
    out.push(e)
  })
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(out.sort((a, b) => (a.touchpoint < b.touchpoint ? -1 : a.touchpoint > b.touchpoint ? 1 : 0)))
}
