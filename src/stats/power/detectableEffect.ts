/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { checkDesign, classicSampleSize, cohenH, normalPower, type PowerDesign, type PowerMethod } from './sampleSize'
import { normalIsf } from '../internal/normal'

/**
 * Result of {@link detectableEffect}: the smallest increase detectable with the given units per arm.
 *
 * @category power
 * @since 0.1.0
 */
export interface DetectableEffectResult {
  readonly absoluteEffect: number
  readonly relativeEffect?: number
  readonly alphaPerComparison: number
  readonly method: PowerMethod | 'normal'
  /** Days to enrol those units in all arms (when `dailyUnits` was given). */
  readonly days?: number
}

/** Solve increasing f(x) = target on [lo, hi] by bisection to machine precision. */
const bisect = (f: (x: number) => number, target: number, lo: number, hi: number): number => {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (mid === lo || mid === hi) break
    if (f(mid) < target) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * The minimum detectable effect (an increase) for a number of units per arm: the inverse of {@link sampleSize},
 * with the same methods and correction. Golden cases (statsmodels `NormalIndPower.solve_power(nobs1=…)`) in
 * tests/golden/stats-power.json.
 *
 * @example
 * detectableEffect({ metric: { type: 'proportion', baseline: 0.2 } })(1094)
 * // => right({ absoluteEffect: 0.049993…, relativeEffect: 0.24996…, method: 'classic', … })
 *
 * @category power
 * @since 0.1.0
 */
export const detectableEffect =
  (design: PowerDesign) =>
  (unitsPerArm: number): E.Either<TouchpointError, DetectableEffectResult> => {
    const checked = checkDesign(design)
    if (E.isLeft(checked)) return checked
    const d = checked.right
    if (!(typeof unitsPerArm === 'number' && Number.isFinite(unitsPerArm) && unitsPerArm >= 2)) {
      return E.left(invalidInput([issue('unitsPerArm', 'a number of units ≥ 2', unitsPerArm)]))
    }
    const days = d.dailyUnits === undefined ? {} : { days: Math.ceil((unitsPerArm * d.arms) / d.dailyUnits) }
    if (d.metric.type === 'mean') {
      // Standardized effect with power(h) = target, then scaled by σ.
      const za = normalIsf(d.alpha / d.sides)
      const h0 = (za + normalIsf(1 - d.power)) / Math.sqrt(unitsPerArm / 2)
      const h = bisect((h) => normalPower(h, unitsPerArm, d.alpha, d.sides), d.power, 0, 4 * h0 + 1)
      const absoluteEffect = h * d.metric.sd
      return E.right({
        absoluteEffect,
        ...(d.metric.baseline === undefined ? {} : { relativeEffect: absoluteEffect / Math.abs(d.metric.baseline) }),
        alphaPerComparison: d.alpha,
        method: 'normal',
        ...days,
      })
    }
    const p1 = d.metric.baseline
    let p2: number
    if (d.method === 'classic') {
      // n(p2) decreases in p2 above p1: find where it falls to unitsPerArm.
      const reachable = classicSampleSize(p1, 1 - 1e-12, d.alpha, d.power, d.sides)
      if (reachable > unitsPerArm) return E.left(invalidInput([issue('unitsPerArm', `at least ${Math.ceil(reachable)} units to detect any increase from ${p1}`, unitsPerArm)]))
      p2 = bisect((x) => -classicSampleSize(p1, x, d.alpha, d.power, d.sides), -unitsPerArm, p1 + 1e-15, 1 - 1e-12)
    } else {
      const hMax = cohenH(p1, 1)
      if (normalPower(hMax, unitsPerArm, d.alpha, d.sides) < d.power) return E.left(invalidInput([issue('unitsPerArm', 'enough units to detect an increase to at most 1', unitsPerArm)]))
      const h = bisect((h) => normalPower(h, unitsPerArm, d.alpha, d.sides), d.power, 0, hMax)
      const s = Math.sin(Math.asin(Math.sqrt(p1)) + h / 2)
      p2 = s * s
    }
    return E.right({ absoluteEffect: p2 - p1, relativeEffect: (p2 - p1) / p1, alphaPerComparison: d.alpha, method: d.method, ...days })
  }
