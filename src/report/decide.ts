/**
 * From the report's numbers to a short list of actions, each listed only when its evidence is beyond noise:
 * scale up, cut or renegotiate, fix the experience, test it. Pure: no clock, no randomness; the same touchpoints
 * in any order give the same list.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName } from '../attribution/model'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { sampleSize } from '../stats/power/sampleSize'
import { ACTION_KINDS, type Action, type Satisfaction, type TestPlan } from './actions'
import { wilsonInterval } from './internal/wilson'
import type { Touchpoint } from './model'
import type { TouchpointExperiment } from './touchpointExperiments'

/**
 * What `decideActions` reads of a touchpoint (a report's `Touchpoint` has all of it).
 *
 * @category actions
 * @since 0.1.0
 */
export type DecisionTouchpoint = Pick<Touchpoint, 'channel' | 'journeys' | 'convertingJourneys' | 'credits'> & Partial<Pick<Touchpoint, 'disagreement' | 'cost'>>

/**
 * The evidence the actions are decided on.
 *
 * - `referenceModel`: the model whose credit (and bootstrap interval) cost decisions use.
 * - `level`: the interval level of the credits; the conversion-rate intervals use the same.
 * - `satisfaction`: survey scores by touchpoint, where surveyed.
 * - `experiments`: holdout experiments on touchpoints (`parseTouchpointExperiments`); what they measured takes
 *   precedence over the model's credit.
 *
 * @category actions
 * @since 0.1.0
 */
export interface DecisionInput {
  readonly referenceModel: ModelName
  readonly level: number
  readonly touchpoints: ReadonlyArray<DecisionTouchpoint>
  readonly satisfaction?: Readonly<Record<string, Satisfaction>>
  readonly experiments?: ReadonlyArray<Pick<TouchpointExperiment, 'touchpoint' | 'name' | 'rateChange'>>
}

/**
 * The design of the suggested tests: significance level (default 0.05) and power (default 0.8).
 *
 * @category actions
 * @since 0.1.0
 */
export interface DecisionOptions {
  readonly alpha?: number
  readonly power?: number
}

const inputIssues = (input: unknown, options: unknown): ReadonlyArray<Issue> => {
  const out: Array<Issue> = []
  if (!isRecord(options)) out.push(issue('options', 'an object such as { alpha: 0.05, power: 0.8 }', options))
  else {
    const { alpha, power } = options
    if (alpha !== undefined && !(typeof alpha === 'number' && alpha > 0 && alpha < 1)) out.push(issue('alpha', 'a number in (0, 1)', alpha))
    if (power !== undefined && !(typeof power === 'number' && power > 0 && power < 1)) out.push(issue('power', 'a number in (0, 1)', power))
  }
  if (!isRecord(input)) return [...out, issue('input', 'an object { referenceModel, level, touchpoints }', input)]
  const { referenceModel, level, touchpoints, satisfaction, experiments } = input
  if (experiments !== undefined) {
    if (!Array.isArray(experiments)) out.push(issue('experiments', 'a list of experiments on touchpoints', experiments))
    else
      experiments.forEach((x: unknown, i) => {
        const rc = isRecord(x) ? x['rateChange'] : undefined
        const ok = isRecord(x) && typeof x['touchpoint'] === 'string' && typeof x['name'] === 'string' && (rc === undefined || (isRecord(rc) && ['value', 'lower', 'upper'].every((f) => typeof rc[f] === 'number' && Number.isFinite(rc[f]))))
        if (!ok) out.push(issue(`experiments[${i}]`, '{ touchpoint, name, rateChange?: { value, lower, upper } }', x))
      })
  }
  if (typeof referenceModel !== 'string') out.push(issue('referenceModel', 'a model name', referenceModel))
  if (!(typeof level === 'number' && level > 0 && level < 1)) out.push(issue('level', 'a number in (0, 1)', level))
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0
  if (!Array.isArray(touchpoints)) out.push(issue('touchpoints', 'a list of touchpoints', touchpoints))
  else
    touchpoints.forEach((t: unknown, i) => {
      if (!isRecord(t) || typeof t['channel'] !== 'string') out.push(issue(`touchpoints[${i}]`, 'a touchpoint { channel, journeys, convertingJourneys, credits }', t))
      else {
        if (!finite(t['journeys'])) out.push(issue(`touchpoints[${i}].journeys`, 'a finite number >= 0', t['journeys']))
        if (!finite(t['convertingJourneys'])) out.push(issue(`touchpoints[${i}].convertingJourneys`, 'a finite number >= 0', t['convertingJourneys']))
        if (!isRecord(t['credits'])) out.push(issue(`touchpoints[${i}].credits`, 'credits by model', t['credits']))
      }
    })
  if (satisfaction !== undefined) {
    if (!isRecord(satisfaction)) out.push(issue('satisfaction', 'scores by touchpoint', satisfaction))
    else
      for (const [k, s] of Object.entries(satisfaction)) {
        const ok = isRecord(s) && (s['measure'] === 'nps' || s['measure'] === 'csat') && ['score', 'lower', 'upper', 'responses'].every((f) => typeof s[f] === 'number' && Number.isFinite(s[f]))
        if (!ok) out.push(issue(`satisfaction.${k}`, '{ measure: "nps" | "csat", score, lower, upper, responses }', s))
      }
  }
  return out
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : a > 0 ? Infinity : 0)

const testPlan = (journeys: number, converting: number, spread: number, alpha: number, power: number): TestPlan | undefined => {
  if (!(journeys > 0 && spread > 0)) return undefined
  const baseline = converting / journeys
  const effect = spread / journeys
  // A holdout lowers the rate by the touchpoint's effect; when that cannot fit below the baseline, plan the raise.
  for (const mde of [-effect, effect]) {
    const r = sampleSize({ metric: { type: 'proportion', baseline }, alpha, power })({ mde, relative: false })
    if (E.isRight(r)) return { baseline, effect: mde, alpha, power, unitsPerArm: r.right.unitsPerArm, totalUnits: r.right.totalUnits }
  }
  return undefined
}

const fixOrder = (a: Action) => (a._tag === 'Fix' && a.reason === 'satisfaction' ? 1 : 0)

/**
 * The actions the evidence supports, grouped by kind (scale up, cut or renegotiate, fix, test) and, within a
 * kind, by touchpoint name: a list, not a ranking. Rules, each strict so that an action is listed only beyond
 * noise:
 * - **Scale up**: a paid touchpoint (cost > 0) whose cost per attributed conversion, over the whole bootstrap
 *   interval of its reference-model credit, is below the paid touchpoints' cost per attributed conversion.
 * - **Cut or renegotiate**: the same interval entirely above it.
 * - **Fix the experience**: journeys reaching the touchpoint convert below the average touchpoint's rate
 *   (Σ converting journeys / Σ journeys over touchpoints) across the whole Wilson interval of its rate; or its
 *   satisfaction interval lies below the response-weighted average of the touchpoints surveyed with the same
 *   measure (NPS against NPS, CSAT against CSAT).
 * - **Test it**: the models' spread on the touchpoint is beyond resampling noise (its bootstrap interval excludes
 *   0), with the sample size of a holdout test (`sampleSize`) that detects a change of spread / journeys reached in
 *   their conversion rate.
 * Free touchpoints (no cost, or 0) are never scaled or cut: only what applies to them (fix, test). Without
 * bootstrap intervals there is no evidence beyond noise for credits, so no cost action and no test.
 *
 * An experiment on a touchpoint takes precedence over the models: a paid touchpoint's conversions are then the
 * journeys reaching it × the change in conversion rate its holdout measured (with that interval, negative ends
 * read as 0), against the same benchmark; and it gets no *test it* (the experiment is that test).
 *
 * @example
 * pipe({ referenceModel: 'markov', level: 0.95, touchpoints: report.touchpoints }, decideActions())
 * // => right([{ _tag: 'Scale', channel: 'affiliate', model: 'markov', cost: 1330, costPerConversion: { value: 196.86…, lower: 144.82…, upper: 291.09… }, benchmark: 379.60…, … }, …])
 *
 * @category actions
 * @since 0.1.0
 */
export const decideActions =
  (options: DecisionOptions = {}) =>
  (input: DecisionInput): E.Either<TouchpointError, ReadonlyArray<Action>> => {
    const bad = inputIssues(input, options)
    if (bad.length > 0) return E.left(invalidInput(bad))
    const alpha = options.alpha ?? 0.05
    const power = options.power ?? 0.8
    const { referenceModel: model, level } = input
    // Sums in one order whatever the input's, so a permutation cannot move a result by a rounding.
    const touchpoints = input.touchpoints.slice().sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
    const actions: Array<Action> = []
    const creditOf = (t: DecisionTouchpoint) => t.credits[model]
    const measured = new Map((input.experiments ?? []).map((x) => [x.touchpoint, x] as const))
    const spendOf = (t: DecisionTouchpoint) => t.cost?.cost ?? 0

    // Cost: the paid touchpoints' own average is the benchmark (free ones' credit would flatter it).
    const paid = touchpoints.filter((t) => spendOf(t) > 0 && creditOf(t) !== undefined)
    const paidCost = paid.reduce((s, t) => s + spendOf(t), 0)
    const paidCredit = paid.reduce((s, t) => s + creditOf(t)!.conversions, 0)
    if (paidCredit > 0) {
      const benchmark = paidCost / paidCredit
      for (const t of paid) {
        const c = creditOf(t)!
        const cost = spendOf(t)
        // A holdout measured the conversions the touchpoint adds: that, not the model's credit, is what it buys.
        const x = measured.get(t.channel)
        const conversions =
          x?.rateChange !== undefined
            ? { value: Math.max(0, t.journeys * x.rateChange.value), lower: Math.max(0, t.journeys * x.rateChange.lower), upper: Math.max(0, t.journeys * x.rateChange.upper) }
            : c.interval === undefined
              ? undefined
              : { value: c.conversions, lower: c.interval.lower, upper: c.interval.upper }
        if (conversions === undefined) continue
        const evidence = {
          channel: t.channel,
          model,
          cost,
          conversions,
          costPerConversion: { value: ratio(cost, conversions.value), lower: ratio(cost, conversions.upper), upper: ratio(cost, conversions.lower) },
          benchmark,
          returnOnSpend: c.value / cost,
          ...(x?.rateChange === undefined ? {} : { experiment: x.name }),
        }
        if (evidence.costPerConversion.upper < benchmark) actions.push({ _tag: 'Scale', ...evidence })
        else if (evidence.costPerConversion.lower > benchmark) actions.push({ _tag: 'Cut', ...evidence })
      }
    }

    // Conversion after the touchpoint, against the average touchpoint's.
    const reached = touchpoints.reduce((s, t) => s + t.journeys, 0)
    const baseRate = reached > 0 ? touchpoints.reduce((s, t) => s + t.convertingJourneys, 0) / reached : 0
    for (const t of touchpoints) {
      if (!(t.journeys > 0)) continue
      const rate = wilsonInterval(Math.min(t.convertingJourneys, t.journeys), t.journeys, level)
      if (rate.upper < baseRate) {
        actions.push({ _tag: 'Fix', reason: 'conversion', channel: t.channel, journeys: t.journeys, convertingJourneys: t.convertingJourneys, rate, baseRate, shortfall: t.journeys * (baseRate - rate.value) })
      }
    }

    // Satisfaction, against the surveyed touchpoints' average.
    const surveyed = touchpoints.flatMap((t) => {
      const s = input.satisfaction?.[t.channel]
      return s === undefined || !(s.responses > 0) ? [] : [[t.channel, s] as const]
    })
    // NPS and CSAT are on different scales: each touchpoint against those surveyed with its own measure.
    for (const measure of ['nps', 'csat'] as const) {
      const same = surveyed.filter(([, s]) => s.measure === measure)
      const responses = same.reduce((n, [, s]) => n + s.responses, 0)
      if (!(same.length >= 2 && responses > 0)) continue
      const benchmark = same.reduce((n, [, s]) => n + s.score * s.responses, 0) / responses
      for (const [channel, s] of same) if (s.upper < benchmark) actions.push({ _tag: 'Fix', reason: 'satisfaction', channel, satisfaction: s, benchmark })
    }

    // Model disagreement beyond noise: an experiment settles it.
    for (const t of touchpoints) {
      const d = t.disagreement
      // An experiment on it is the answer a test would give.
      if (d?.clear !== true || d.spreadInterval === undefined || measured.has(t.channel)) continue
      const plan = testPlan(t.journeys, t.convertingJourneys, d.spread, alpha, power)
      actions.push({
        _tag: 'Test',
        channel: t.channel,
        lowestModel: d.lowestModel,
        lowest: d.lowest,
        highestModel: d.highestModel,
        highest: d.highest,
        spread: { value: d.spread, lower: d.spreadInterval.lower, upper: d.spreadInterval.upper },
        journeys: t.journeys,
        ...(plan === undefined ? {} : { plan }),
      })
    }

    return E.right(
      actions.sort((a, b) => ACTION_KINDS.indexOf(a._tag) - ACTION_KINDS.indexOf(b._tag) || fixOrder(a) - fixOrder(b) || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0)),
    )
  }
