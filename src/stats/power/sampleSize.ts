/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { normalCdf, normalIsf, normalPdf } from '../internal/normal'
import { fields, isRecord, optionIssues } from '../internal/options'

/**
 * The metric being planned for: a conversion rate (its baseline), or a mean (its per-unit standard deviation and,
 * for a relative effect, its baseline).
 *
 * @category power
 * @since 0.1.0
 */
export type PowerMetric =
  | { readonly type: 'proportion'; readonly baseline: number }
  | { readonly type: 'mean'; readonly sd: number; readonly baseline?: number }

/**
 * How the sample size is computed for a proportion:
 * - `classic`: the two-proportion z-test with pooled variance under the null, as R's `power.prop.test`
 *   (Fleiss without continuity correction): n = [z_{α/2}√(2p̄q̄) + z_β√(p1q1 + p2q2)]² / (p2 − p1)².
 * - `cohen-h`: Cohen's arcsine effect size h = 2 asin√p2 − 2 asin√p1, as statsmodels `NormalIndPower` with
 *   `proportion_effectsize` (both tails counted in the power, solved numerically).
 * Means always use the normal approximation n = 2σ²(z_{α/2} + z_β)²/δ² (statsmodels `NormalIndPower`).
 *
 * @category power
 * @since 0.1.0
 */
export type PowerMethod = 'classic' | 'cohen-h'

/**
 * An experiment design.
 *
 * @category power
 * @since 0.1.0
 */
export interface PowerDesign {
  readonly metric: PowerMetric
  /** Significance level per experiment. Default 0.05. */
  readonly alpha?: number
  /** Probability of detecting the effect. Default 0.8. */
  readonly power?: number
  /** Default `two-sided`. */
  readonly alternative?: 'two-sided' | 'one-sided'
  /** Default `classic`. */
  readonly method?: PowerMethod
  /** Arms including the control. Default 2. */
  readonly arms?: number
  /** Bonferroni splits alpha over the arms − 1 comparisons with the control. Default `bonferroni`. */
  readonly correction?: 'none' | 'bonferroni'
  /** Units entering the experiment per day, all arms together; when given, the duration is computed. */
  readonly dailyUnits?: number
  /**
   * Allocation ratio: units in each treatment per unit in the control (statsmodels' `ratio` is the inverse, control
   * per treatment). Default 1. A control kept large against several treatments (ratio < 1) needs fewer units overall.
   */
  readonly ratio?: number
  /** For {@link detectableEffect}: the smallest detectable `increase` (default) or `decrease`. */
  readonly direction?: 'increase' | 'decrease'
}

/**
 * Result of {@link sampleSize}.
 *
 * @category power
 * @since 0.1.0
 */
export interface SampleSizeResult {
  /** Units in the control, rounded up (with the default ratio 1, in every arm). */
  readonly unitsPerArm: number
  /** The unrounded solution for the control (what R and statsmodels print). */
  readonly exactUnitsPerArm: number
  /** Units in each treatment: ⌈ratio × control⌉. */
  readonly treatmentUnitsPerArm: number
  readonly totalUnits: number
  /** Days to reach `totalUnits` at `dailyUnits`, rounded up (when `dailyUnits` was given). */
  readonly days?: number
  readonly absoluteEffect: number
  readonly relativeEffect?: number
  /** alpha after the multiple-arm correction. */
  readonly alphaPerComparison: number
  readonly method: PowerMethod | 'normal'
}

interface Checked {
  readonly metric: PowerMetric
  readonly alpha: number
  readonly power: number
  readonly sides: 1 | 2
  readonly method: PowerMethod
  readonly arms: number
  readonly dailyUnits: number | undefined
  readonly ratio: number
  readonly direction: 'increase' | 'decrease'
}

const DESIGN_FIELDS = {
  metric: fields.custom('{ type: "proportion", baseline } or { type: "mean", sd, baseline? }', () => true),
  alpha: fields.probability,
  power: fields.probability,
  alternative: fields.oneOf(['two-sided', 'one-sided']),
  method: fields.oneOf(['classic', 'cohen-h']),
  arms: fields.integerIn(2, 1000),
  correction: fields.oneOf(['none', 'bonferroni']),
  dailyUnits: fields.positive,
  ratio: fields.numberIn(1e-6, 1e6, 'a number in [1e-6, 1e6] (treatment units per control unit)'),
  direction: fields.oneOf(['increase', 'decrease']),
} as const

/** @internal The design, checked strictly (every field has one type; unknown fields are errors), with defaults. */
export const checkDesign = (design: unknown): E.Either<TouchpointError, Checked> => {
  const issues = optionIssues(DESIGN_FIELDS, design, '', 'design')
  if (issues.length > 0 || !isRecord(design)) return E.left(invalidInput(issues.length > 0 ? issues : [issue('design', 'an object { metric, ... }', design)]))
  const d = design
  const m = d['metric']
  if (!isRecord(m) || (m['type'] !== 'proportion' && m['type'] !== 'mean')) {
    issues.push(issue('metric', '{ type: "proportion", baseline } or { type: "mean", sd, baseline? }', m))
  } else if (m['type'] === 'proportion') {
    issues.push(...optionIssues({ type: fields.string, baseline: fields.probability }, m, 'metric'))
    if (m['baseline'] === undefined) issues.push(issue('metric.baseline', 'a rate strictly between 0 and 1', undefined))
  } else {
    issues.push(...optionIssues({ type: fields.string, sd: fields.positive, baseline: fields.custom('a finite non-zero number', (v) => typeof v === 'number' && Number.isFinite(v) && v !== 0) }, m, 'metric'))
    if (m['sd'] === undefined) issues.push(issue('metric.sd', 'a finite number > 0', undefined))
  }
  if (issues.length > 0) return E.left(invalidInput(issues))
  const alpha = (d['alpha'] ?? 0.05) as number
  const arms = (d['arms'] ?? 2) as number
  return E.right({
    metric: m as unknown as PowerMetric,
    alpha: (d['correction'] ?? 'bonferroni') === 'bonferroni' ? alpha / (arms - 1) : alpha,
    power: (d['power'] ?? 0.8) as number,
    sides: (d['alternative'] ?? 'two-sided') === 'two-sided' ? 2 : 1,
    method: (d['method'] ?? 'classic') as PowerMethod,
    arms,
    dailyUnits: d['dailyUnits'] as number | undefined,
    ratio: (d['ratio'] ?? 1) as number,
    direction: (d['direction'] ?? 'increase') as 'increase' | 'decrease',
  })
}

/**
 * @internal Power of the Cohen-h / normal test with n control units, ratio × n per treatment and standardized
 * effect h (both tails counted): the shift is |h|·√(n / (1 + 1/ratio)), statsmodels `NormalIndPower`.
 */
export const normalPower = (h: number, n: number, alpha: number, sides: 1 | 2, ratio = 1): number => {
  const crit = normalIsf(alpha / sides)
  const shift = Math.abs(h) * Math.sqrt(n / (1 + 1 / ratio))
  return normalCdf(shift - crit) + (sides === 2 ? normalCdf(-shift - crit) : 0)
}

/** @internal Control units for standardized effect h at the given power, solving normalPower = power. */
export const normalSampleSize = (h: number, alpha: number, power: number, sides: 1 | 2, ratio = 1): number => {
  const za = normalIsf(alpha / sides)
  const zb = normalIsf(1 - power)
  const k = 1 + 1 / ratio
  // The closed form ignores the far tail's tiny contribution; Newton on the exact power from there.
  let n = (k * (za + zb) * (za + zb)) / (h * h)
  for (let i = 0; i < 50; i++) {
    const f = normalPower(h, n, alpha, sides, ratio) - power
    const shift = Math.abs(h) * Math.sqrt(n / k)
    const dshift = Math.abs(h) / (2 * Math.sqrt(n * k))
    const df = normalPdf(shift - za) * dshift - (sides === 2 ? normalPdf(-shift - za) * dshift : 0)
    const step = f / df
    n -= step
    if (!(Math.abs(step) >= 1e-12 * n)) break
  }
  return n
}

/**
 * @internal Classic control units for p1 (control) → p2 (each treatment, ratio × as many units): R's
 * power.prop.test (strict = FALSE) for ratio 1; for any ratio statsmodels `samplesize_proportions_2indep_onetail`
 * (pooled variance under the null): [z_α √(p̄q̄(1 + 1/r)) + z_β √(p1q1 + p2q2/r)]² / (p2 − p1)², p̄ = (p1 + r p2)/(1 + r).
 */
export const classicSampleSize = (p1: number, p2: number, alpha: number, power: number, sides: 1 | 2, ratio = 1): number => {
  const za = normalIsf(alpha / sides)
  const zb = normalIsf(1 - power)
  const pbar = (p1 + ratio * p2) / (1 + ratio)
  const num = za * Math.sqrt(pbar * (1 - pbar) * (1 + 1 / ratio)) + zb * Math.sqrt(p1 * (1 - p1) + (p2 * (1 - p2)) / ratio)
  return (num * num) / ((p2 - p1) * (p2 - p1))
}

/** @internal Cohen's h for p1 → p2 (statsmodels `proportion_effectsize(p2, p1)`). */
export const cohenH = (p1: number, p2: number): number => 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1))

/**
 * Units needed to detect a minimum effect (`mde`, relative to the baseline by default: 0.1 = +10%, −0.1 = −10%)
 * with the given power, for proportions (classic or Cohen's h, see {@link PowerMethod}) or means, with Bonferroni
 * over the comparisons when there are more than two arms, an allocation `ratio` (treatment units per control
 * unit), and the duration when the daily traffic is known. Golden cases (statsmodels `NormalIndPower` and
 * `samplesize_proportions_2indep_onetail` with their `ratio`, the power.prop.test formula with scipy, increases
 * and decreases) in tests/golden/stats-power.json.
 *
 * @example
 * sampleSize({ metric: { type: 'proportion', baseline: 0.2 }, dailyUnits: 500 })({ mde: 0.05, relative: false })
 * // => right({ unitsPerArm: 1094, exactUnitsPerArm: 1093.73…, totalUnits: 2188, days: 5, method: 'classic', … })
 *
 * @category power
 * @since 0.1.0
 */
export const sampleSize =
  (design: PowerDesign) =>
  (effect: { readonly mde: number; readonly relative?: boolean }): E.Either<TouchpointError, SampleSizeResult> => {
    const checked = checkDesign(design)
    if (E.isLeft(checked)) return checked
    const d = checked.right
    const effectIssues = optionIssues(
      { mde: fields.custom('a finite non-zero effect (negative for a decrease)', (v) => typeof v === 'number' && Number.isFinite(v) && v !== 0), relative: fields.boolean },
      effect,
      '',
      'effect',
    )
    if (isRecord(effect) && effect['mde'] === undefined) effectIssues.push(issue('mde', 'a finite non-zero effect (negative for a decrease)', undefined))
    if (effectIssues.length > 0 || !isRecord(effect)) return E.left(invalidInput(effectIssues.length > 0 ? effectIssues : [issue('effect', 'an object { mde, relative? }', effect)]))
    const mde = effect['mde'] as number
    const relative = (effect['relative'] as boolean | undefined) ?? d.metric.baseline !== undefined
    if (relative && d.metric.baseline === undefined) return E.left(invalidInput([issue('metric.baseline', 'a baseline for a relative effect', undefined)]))
    const base = d.metric.baseline ?? 0
    const absoluteEffect = relative ? mde * Math.abs(base) : mde
    let exact: number
    let method: PowerMethod | 'normal'
    if (d.metric.type === 'proportion') {
      const p2 = base + absoluteEffect
      if (!(p2 > 0 && p2 < 1)) return E.left(invalidInput([issue('mde', `an effect keeping the rate in (0, 1) (baseline ${base} + ${absoluteEffect})`, mde)]))
      method = d.method
      exact =
        d.method === 'classic'
          ? classicSampleSize(base, p2, d.alpha, d.power, d.sides, d.ratio)
          : normalSampleSize(cohenH(base, p2), d.alpha, d.power, d.sides, d.ratio)
    } else {
      method = 'normal'
      exact = normalSampleSize(absoluteEffect / d.metric.sd, d.alpha, d.power, d.sides, d.ratio)
    }
    if (!(Number.isFinite(exact) && exact > 0 && exact < 1e15)) {
      return E.left(invalidInput([issue('mde', 'an effect large enough to need fewer than 1e15 units', mde)]))
    }
    const unitsPerArm = Math.ceil(exact - 1e-9)
    const treatmentUnitsPerArm = Math.ceil(d.ratio * exact - 1e-9)
    const totalUnits = unitsPerArm + (d.arms - 1) * treatmentUnitsPerArm
    return E.right({
      unitsPerArm,
      exactUnitsPerArm: exact,
      treatmentUnitsPerArm,
      totalUnits,
      ...(d.dailyUnits === undefined ? {} : { days: Math.ceil(totalUnits / d.dailyUnits) }),
      absoluteEffect,
      ...(d.metric.baseline === undefined ? {} : { relativeEffect: absoluteEffect / Math.abs(d.metric.baseline) }),
      alphaPerComparison: d.alpha,
      method,
    })
  }
