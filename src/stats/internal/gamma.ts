/**
 * The regularized incomplete gamma functions P(a, x) and Q(a, x): series and continued fraction for moderate
 * shapes, the log-scale density integrated in panels for large ones (so the cost does not grow with a).
 *
 * @internal
 * @module
 */
import { lgamma, log1pmx, stirlingError } from './stirling'
import { logGamma } from './laws'
import { normalQuantile as normalQuantileLower } from './normal'
import { tailIntegral } from './quadrature'

/** @internal log(x^a e^−x / Γ(a)), the prefactor of both incomplete gamma functions. */
const logGammaPrefactor = (a: number, x: number): number => {
  if (a < 10) return a * Math.log(x) - x - lgamma(a)
  // Far below the mode (x − a)/a is within rounding of −1, and log1p of it loses 1 + t's digits (log1p(−1) = −∞
  // once x/a < 1e−16): log(x/a) keeps them.
  const t = (x - a) / a
  const logTerm = x < 0.5 * a ? Math.log(x / a) - t : log1pmx(t)
  return a * logTerm + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingError(a)
}

const EPS = 1e-16
const TINY = 1e-300
/** From this shape on, the series and continued fraction need O(√a) terms; the log-scale density is integrated. */
const LARGE_SHAPE = 1e5

/**
 * @internal The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P, each computed directly
 * (series for P below a + 1, Lentz's continued fraction for Q above), so the small one is never `1 - big`.
 * NaN if the iteration does not converge.
 */
export const incompleteGamma = (a: number, x: number): { readonly lower: number; readonly upper: number } => {
  if (x <= 0) return { lower: 0, upper: 1 }
  if (x === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 }
  if (a >= LARGE_SHAPE) {
    // log(x/a) without the rounding of x/a − 1 near the mode.
    const u = Math.abs(x - a) < 0.5 * a ? Math.log1p((x - a) / a) : Math.log(x) - Math.log(a)
    const law = logGamma(a)
    const logHere = law.log(u)
    const small = logHere < -800 ? 0 : tailIntegral(law, u, u >= 0 ? 1 : -1, logHere) * Math.exp(logHere)
    return u >= 0 ? { lower: 1 - small, upper: small } : { lower: small, upper: 1 - small }
  }
  const front = Math.exp(logGammaPrefactor(a, x))
  if (x < a + 1) {
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n)
      sum += term
      if (term < sum * EPS) {
        const lower = front * sum
        return { lower, upper: 1 - lower }
      }
    }
    return { lower: Number.NaN, upper: Number.NaN }
  }
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) {
      const upper = front * h
      return { lower: 1 - upper, upper }
    }
  }
  return { lower: Number.NaN, upper: Number.NaN }
}

/** @internal log of the density of log X, X ~ Gamma(a), at offset u = log(x/a) (see ./laws). */
const logScaleDensity = (a: number) => logGamma(a)

/**
 * @internal The x with P(a, x) = p (`upper` false) or Q(a, x) = p (`upper` true), p ≤ 1/2 on the side asked:
 * Newton on log of the tail in u = log(x/a), from the Wilson–Hilferty start, kept in a bracket. scipy
 * `gamma.ppf` / `gamma.isf` (standard scale).
 */
export const gammaQuantile = (p: number, a: number, upper: boolean): number => {
  if (!(p >= 0 && p <= 1) || !(a > 0)) return Number.NaN
  let useUpper = upper
  let target = p
  if (target > 0.5) {
    useUpper = !useUpper
    target = 1 - target
  }
  if (target === 0) return useUpper ? Number.POSITIVE_INFINITY : 0
  const law = logScaleDensity(a)
  const tail = (u: number): number => {
    const t = incompleteGamma(a, a * Math.exp(u))
    return useUpper ? t.upper : t.lower
  }
  // Wilson–Hilferty: X/a ≈ (1 − 1/(9a) + z/√(9a))³.
  const z = (useUpper ? 1 : -1) * -normalQuantileLower(target)
  const cube = 1 - 1 / (9 * a) + z / Math.sqrt(9 * a)
  let u = cube > 0 ? 3 * Math.log(cube) : useUpper ? 1 : -1
  let lo = Number.NEGATIVE_INFINITY
  let hi = Number.POSITIVE_INFINITY
  const logTarget = Math.log(target)
  for (let i = 0; i < 300; i++) {
    const t = tail(u)
    if (!(t > 0)) {
      // Underflowed: toward the mode.
      if (useUpper) hi = u
      else lo = u
      u = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : u / 2
      continue
    }
    const g = Math.log(t) - logTarget
    // The lower tail grows with u, the upper one falls.
    if ((g > 0) !== useUpper) hi = u
    else lo = u
    const slope = (Math.exp(law.log(u)) / t) * (useUpper ? -1 : 1)
    let next = u - g / slope
    // Converged (to the last ulp, or exactly: g = 0 leaves no room inside the bracket) before any bisection.
    if (g === 0 || Math.abs(next - u) <= 1e-16 * Math.max(1e-3, Math.abs(u))) return a * Math.exp(next)
    if (!(next > lo && next < hi)) {
      next = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : Number.isFinite(lo) ? lo + Math.max(1, Math.abs(lo)) : hi - Math.max(1, Math.abs(hi))
    }
    u = next
  }
  return a * Math.exp(u)
}
