/**
 * Two distributions in the coordinates where they are log-concave and have no boundary, with their log-densities
 * written around the mode so that nothing cancels however large the parameters (the posterior of an experiment
 * with 1e12 units):
 *
 * - Beta(a, b) through the logit z = log(t / (1 − t)): density t^a (1 − t)^b / B(a, b), log-concave for every
 *   a, b > 0 (its second derivative is −(a + b) t (1 − t)), mode z0 = log(a / b).
 * - Gamma(k) through y = log x: density exp(k y − e^y) / Γ(k), log-concave, mode y0 = log k.
 *
 * At an offset u from the mode the logarithm is logPeak − a·φ(r) − b·φ(s) (beta; r = t/p0 − 1, s = (1−t)/q0 − 1,
 * φ(x) = x − log(1 + x) ≥ 0, and a·r + b·s = 0 exactly, so the large linear terms never appear) or
 * logPeak − k·(e^u − 1 − u) (gamma); logPeak comes from Stirling's series without any difference of log-gammas.
 *
 * @internal
 * @module
 */
import { log1pmx, stirlingError } from './stirling'
import type { LogConcave } from './quadrature'

const HALF_LOG_2PI = 0.91893853320467274178

/** @internal e^u − 1 − u without cancellation for small u. */
export const expm1mx = (u: number): number => {
  if (Math.abs(u) >= 0.5) return Math.expm1(u) - u
  let term = (u * u) / 2
  let sum = term
  for (let n = 3; n < 40; n++) {
    term *= u / n
    sum += term
    if (Math.abs(term) <= 1e-17 * sum) break
  }
  return sum
}

/** x − log(1 + x) ≥ 0, given log(1 + x) computed stably by the caller for |x| ≥ 1/2. */
const phi = (x: number, log1pX: number): number => (Math.abs(x) < 0.5 ? -log1pmx(x) : x - log1pX)

/** @internal Beta(a, b) in logit coordinates. */
export interface LogitBeta extends LogConcave {
  readonly a: number
  readonly b: number
  /** a / (a + b) and b / (a + b). */
  readonly p0: number
  readonly q0: number
  /** log of the density at the mode. */
  readonly logPeak: number
  /** t(1 − t) at offset u, where t = logistic(z0 + u): the Jacobian back to the rate scale. */
  readonly jacobian: (u: number) => number
  /** t = logistic(z0 + u). */
  readonly rate: (u: number) => number
}

/** r = t/p0 − 1 at offset u (then s = −(p0/q0)·r); the denominators are divided by e^u for u > 0. */
const rOffset = (p0: number, q0: number, u: number): number =>
  u <= 0 ? (q0 * Math.expm1(u)) / (q0 + p0 * Math.exp(u)) : (-q0 * Math.expm1(-u)) / (q0 * Math.exp(-u) + p0)

/** @internal The logit-scale Beta(a, b); offsets u are from its mode log(a / b). */
export const logitBeta = (a: number, b: number): LogitBeta => {
  const p0 = a / (a + b)
  const q0 = b / (a + b)
  const h = (a * b) / (a + b)
  const logPeak = 0.5 * Math.log(h) - HALF_LOG_2PI - (stirlingError(a) + stirlingError(b) - stirlingError(a + b))
  return {
    a,
    b,
    p0,
    q0,
    logPeak,
    log: (u) => {
      // r, s and log(1 + r), log(1 + s), written out here: this is the hot path of every comparison.
      let r: number
      let s: number
      let logR: number
      let logS: number
      if (u <= 0) {
        const e = Math.expm1(u)
        const den = q0 + p0 * Math.exp(u)
        const logDen = Math.log(den)
        r = (q0 * e) / den
        s = (-p0 * e) / den
        logR = u - logDen
        logS = -logDen
      } else {
        const e = -Math.expm1(-u)
        const den = q0 * Math.exp(-u) + p0
        const logDen = Math.log(den)
        r = (q0 * e) / den
        s = (-p0 * e) / den
        logR = -logDen
        logS = -u - logDen
      }
      return logPeak - a * phi(r, logR) - b * phi(s, logS)
    },
    slope: (u) => -a * rOffset(p0, q0, u),
    curvature: (u) => {
      const r = rOffset(p0, q0, u)
      return -h * (1 + r) * (1 - (p0 / q0) * r)
    },
    jacobian: (u) => {
      const r = rOffset(p0, q0, u)
      return p0 * (1 + r) * (q0 - p0 * r)
    },
    rate: (u) => p0 * (1 + rOffset(p0, q0, u)),
  }
}

/** @internal Gamma(k) in log coordinates; offsets u are from its mode log k. */
export const logGamma = (k: number): LogConcave => {
  const logPeak = 0.5 * Math.log(k) - HALF_LOG_2PI - stirlingError(k)
  return {
    log: (u) => logPeak - k * expm1mx(u),
    slope: (u) => -k * Math.expm1(u),
    curvature: (u) => -k * Math.exp(u),
  }
}
