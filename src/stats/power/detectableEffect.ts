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
  /** Days to enrol those units in all arms, treatments at `ratio` × the control (when `dailyUnits` was given). */
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
 * The minimum detectable effect for a number of control units (each treatment gets `ratio` times as many): the
 * inverse of {@link sampleSize}, with the same methods, correction and allocation ratio. `direction: 'decrease'`
 * gives the smallest detectable decrease (a negative effect; for a rate it differs from the increase). Golden cases
 * (statsmodels `NormalIndPower.power` and the classic formula solved with scipy brentq, both directions, with
 * ratios) in tests/golden/stats-power.json.
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
    if (!(typeof unitsPerArm === 'number' && Number.isFinite(unitsPerArm) && unitsPerArm >= 2 && unitsPerArm <= 1e15)) {
      return E.left(invalidInput([issue('unitsPerArm', 'a number of control units in [2, 1e15]', unitsPerArm)]))
    }
    const sign = d.direction === 'decrease' ? -1 : 1
    const total = unitsPerArm + (d.arms - 1) * d.ratio * unitsPerArm
    const days = d.dailyUnits === undefined ? {} : { days: Math.ceil(total / d.dailyUnits) }
    if (d.metric.type === 'mean') {
      // Standardized effect with power(h) = target, then scaled by σ.
      const za = normalIsf(d.alpha / d.sides)
      const h0 = (za + normalIsf(1 - d.power)) / Math.sqrt(unitsPerArm / (1 + 1 / d.ratio))
      const h = bisect((h) => normalPower(h, unitsPerArm, d.alpha, d.sides, d.ratio), d.power, 0, 4 * h0 + 1)
      const absoluteEffect = sign * h * d.metric.sd
      return E.right({
        absoluteEffect,
        ...(d.metric.baseline === undefined ? {} : { relativeEffect: absoluteEffect / Math.abs(d.metric.baseline) }),
        alphaPerComparison: d.alpha,
        method: 'normal',
        ...days,
      })
    }
    const p1 = d.metric.baseline
    // The farthest rate there is room for in the chosen direction.
    const edge = sign > 0 ? 1 - 1e-12 : 1e-12
    let p2: number
    if (d.method === 'classic') {
      // n(p2) falls as p2 moves away from p1: find where it reaches unitsPerArm.
      const reachable = classicSampleSize(p1, edge, d.alpha, d.power, d.sides, d.ratio)
      if (!(reachable <= unitsPerArm)) {
        return E.left(invalidInput([issue('unitsPerArm', `at least ${Math.ceil(reachable)} units to detect any ${d.direction} from ${p1}`, unitsPerArm)]))
      }
      const distance = bisect((x) => -classicSampleSize(p1, p1 + sign * x, d.alpha, d.power, d.sides, d.ratio), -unitsPerArm, 1e-15, Math.abs(edge - p1))
      p2 = p1 + sign * distance
    } else {
      const hMax = Math.abs(cohenH(p1, sign > 0 ? 1 : 0))
      if (normalPower(hMax, unitsPerArm, d.alpha, d.sides, d.ratio) < d.power) {
        return E.left(invalidInput([issue('unitsPerArm', `enough units to detect an ${d.direction} within (0, 1)`, unitsPerArm)]))
      }
      const h = bisect((h) => normalPower(h, unitsPerArm, d.alpha, d.sides, d.ratio), d.power, 0, hMax)
      const s = Math.sin(Math.asin(Math.sqrt(p1)) + (sign * h) / 2)
      p2 = s * s
    }
    return E.right({ absoluteEffect: p2 - p1, relativeEffect: (p2 - p1) / p1, alphaPerComparison: d.alpha, method: d.method, ...days })
  }
