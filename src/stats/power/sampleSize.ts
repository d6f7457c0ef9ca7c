/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { normalCdf, normalIsf } from '../internal/normal'

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
}

/**
 * Result of {@link sampleSize}.
 *
 * @category power
 * @since 0.1.0
 */
export interface SampleSizeResult {
  /** Units per arm, rounded up. */
  readonly unitsPerArm: number
  /** The unrounded solution (what R and statsmodels print). */
  readonly exactUnitsPerArm: number
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
}

/** @internal The design, checked, with defaults and the corrected alpha. */
export const checkDesign = (d: PowerDesign): E.Either<TouchpointError, Checked> => {
  const issues: Array<Issue> = []
  const m = d?.metric as PowerMetric | undefined
  if (m === undefined || (m.type !== 'proportion' && m.type !== 'mean')) issues.push(issue('metric', '{ type: "proportion", baseline } or { type: "mean", sd }', m))
  else if (m.type === 'proportion' && !(m.baseline > 0 && m.baseline < 1)) issues.push(issue('metric.baseline', 'a rate strictly between 0 and 1', m.baseline))
  else if (m.type === 'mean') {
    if (!(m.sd > 0 && Number.isFinite(m.sd))) issues.push(issue('metric.sd', 'a finite number > 0', m.sd))
    if (m.baseline !== undefined && !(Number.isFinite(m.baseline) && m.baseline !== 0)) issues.push(issue('metric.baseline', 'a finite non-zero number', m.baseline))
  }
  const alpha = d?.alpha ?? 0.05
  const power = d?.power ?? 0.8
  const arms = d?.arms ?? 2
  if (!(alpha > 0 && alpha < 1)) issues.push(issue('alpha', 'a number strictly between 0 and 1', alpha))
  if (!(power > 0 && power < 1)) issues.push(issue('power', 'a number strictly between 0 and 1', power))
  if (!(Number.isInteger(arms) && arms >= 2)) issues.push(issue('arms', 'an integer ≥ 2', arms))
  const alternative = d?.alternative ?? 'two-sided'
  if (alternative !== 'two-sided' && alternative !== 'one-sided') issues.push(issue('alternative', '"two-sided" or "one-sided"', alternative))
  const method = d?.method ?? 'classic'
  if (method !== 'classic' && method !== 'cohen-h') issues.push(issue('method', '"classic" or "cohen-h"', method))
  const correction = d?.correction ?? 'bonferroni'
  if (correction !== 'none' && correction !== 'bonferroni') issues.push(issue('correction', '"none" or "bonferroni"', correction))
  if (d?.dailyUnits !== undefined && !(d.dailyUnits > 0 && Number.isFinite(d.dailyUnits))) issues.push(issue('dailyUnits', 'a finite number > 0', d.dailyUnits))
  if (issues.length > 0) return E.left(invalidInput(issues))
  return E.right({
    metric: m!,
    alpha: correction === 'bonferroni' ? alpha / (arms - 1) : alpha,
    power,
    sides: alternative === 'two-sided' ? 2 : 1,
    method,
    arms,
    dailyUnits: d.dailyUnits,
  })
}

/** @internal Power of the Cohen-h / normal test with n per arm and standardized effect h (both tails). */
export const normalPower = (h: number, n: number, alpha: number, sides: 1 | 2): number => {
  const crit = normalIsf(alpha / sides)
  const shift = Math.abs(h) * Math.sqrt(n / 2)
  return normalCdf(shift - crit) + (sides === 2 ? normalCdf(-shift - crit) : 0)
}

/** @internal n per arm for standardized effect h at the given power, solving normalPower = power. */
export const normalSampleSize = (h: number, alpha: number, power: number, sides: 1 | 2): number => {
  const za = normalIsf(alpha / sides)
  const zb = normalIsf(1 - power)
  // The closed form ignores the far tail's tiny contribution; Newton on the exact power from there.
  let n = (2 * (za + zb) * (za + zb)) / (h * h)
  for (let i = 0; i < 50; i++) {
    const f = normalPower(h, n, alpha, sides) - power
    const shift = Math.abs(h) * Math.sqrt(n / 2)
    const dshift = Math.abs(h) / (2 * Math.sqrt(2 * n))
    const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)
    const df = pdf(shift - za) * dshift - (sides === 2 ? pdf(-shift - za) * dshift : 0)
    const step = f / df
    n -= step
    if (Math.abs(step) < 1e-12 * n) break
  }
  return n
}

/** @internal Classic (power.prop.test, strict = FALSE) n per arm for p1 → p2. */
export const classicSampleSize = (p1: number, p2: number, alpha: number, power: number, sides: 1 | 2): number => {
  const za = normalIsf(alpha / sides)
  const zb = normalIsf(1 - power)
  const pbar = (p1 + p2) / 2
  const num = za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
  return (num * num) / ((p2 - p1) * (p2 - p1))
}

/** @internal Cohen's h for p1 → p2 (statsmodels `proportion_effectsize(p2, p1)`). */
export const cohenH = (p1: number, p2: number): number => 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1))

/**
 * Units per arm needed to detect a minimum effect (`mde`, relative to the baseline by default: 0.1 = +10%) with
 * the given power, for proportions (classic or Cohen's h, see {@link PowerMethod}) or means, with Bonferroni over
 * the comparisons when there are more than two arms, and the duration when the daily traffic is known.
 * Golden cases (statsmodels `NormalIndPower`, the power.prop.test formula with scipy) in
 * tests/golden/stats-power.json.
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
    const mde = effect?.mde
    const relative = effect?.relative ?? d.metric.baseline !== undefined
    if (!(typeof mde === 'number' && Number.isFinite(mde) && mde !== 0)) return E.left(invalidInput([issue('mde', 'a finite non-zero effect', mde)]))
    if (relative && d.metric.baseline === undefined) return E.left(invalidInput([issue('metric.baseline', 'a baseline for a relative effect', undefined)]))
    const base = d.metric.baseline ?? 0
    const absoluteEffect = relative ? mde * Math.abs(base) : mde
    let exact: number
    let method: PowerMethod | 'normal'
    if (d.metric.type === 'proportion') {
      const p2 = base + absoluteEffect
      if (!(p2 > 0 && p2 < 1)) return E.left(invalidInput([issue('mde', `an effect keeping the rate in (0, 1) (baseline ${base} + ${absoluteEffect})`, mde)]))
      method = d.method
      exact = d.method === 'classic' ? classicSampleSize(base, p2, d.alpha, d.power, d.sides) : normalSampleSize(cohenH(base, p2), d.alpha, d.power, d.sides)
    } else {
      method = 'normal'
      exact = normalSampleSize(absoluteEffect / d.metric.sd, d.alpha, d.power, d.sides)
    }
    const unitsPerArm = Math.ceil(exact - 1e-9)
    const totalUnits = unitsPerArm * d.arms
    return E.right({
      unitsPerArm,
      exactUnitsPerArm: exact,
      totalUnits,
      ...(d.dailyUnits === undefined ? {} : { days: Math.ceil(totalUnits / d.dailyUnits) }),
      absoluteEffect,
      ...(d.metric.baseline === undefined ? {} : { relativeEffect: absoluteEffect / Math.abs(d.metric.baseline) }),
      alphaPerComparison: d.alpha,
      method,
    })
  }
