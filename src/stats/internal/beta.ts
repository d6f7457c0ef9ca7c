/**
 * The beta function and the regularized incomplete beta function I_x(a, b), accurate for large a + b (the
 * posterior of an experiment with a million units) where jstat's 100-iteration continued fraction fails
 * (reference notes, appendix 4): the prefactor x^a (1−x)^b / B(a, b) is formed from Stirling's series around the
 * mean (no difference of huge log-gammas), and the continued fraction runs until it converges.
 *
 * @internal
 * @module
 */
import { productDifference } from './exact'
import { lgamma, lgammaRatio, log1pmx, stirlingError } from './stirling'
import { logitBeta, type LogitBeta } from './laws'
import { normalIsf } from './normal'
import { tailIntegral } from './quadrature'

const HALF_LOG_2PI = 0.91893853320467274178

/** @internal log B(a, b) for a, b > 0. */
export const lbeta = (a: number, b: number): number => {
  const lo = Math.min(a, b)
  const hi = Math.max(a, b)
  if (lo >= 10) {
    const s = lo + hi
    return (
      HALF_LOG_2PI -
      0.5 * Math.log(s) +
      (lo - 0.5) * Math.log(lo / s) +
      hi * Math.log1p(-lo / s) -
      0.5 * Math.log(hi / s) +
      stirlingError(lo) +
      stirlingError(hi) -
      stirlingError(s)
    )
  }
  if (hi >= 10) return lgamma(lo) + lgammaRatio(lo, hi)
  return lgamma(lo) + lgamma(hi) - lgamma(lo + hi)
}

/**
 * @internal log(x^a y^b / B(a, b)) with y = 1 − x given separately (callers often know it more precisely).
 */
export const logBetaPrefactor = (x: number, y: number, a: number, b: number): number => {
  if (a >= 10 && b >= 10) {
    const s = a + b
    // u = x / x0 − 1 and v = y / y0 − 1 around the mean x0 = a / s; a·u + b·v = 0 exactly, so the large linear
    // terms cancel analytically and only the small log1pmx remainders are summed.
    const u = x <= 0.5 ? (x * s - a) / a : (b - y * s) / a
    const v = (-a * u) / b
    return (
      a * log1pmx(u) +
      b * log1pmx(v) +
      0.5 * Math.log((a * b) / s) -
      HALF_LOG_2PI -
      (stirlingError(a) + stirlingError(b) - stirlingError(s))
    )
  }
  const logx = x <= 0.5 ? Math.log(x) : Math.log1p(-y)
  const logy = y <= 0.5 ? Math.log(y) : Math.log1p(-x)
  return a * logx + b * logy - lbeta(a, b)
}

const EPS = 1e-16
const TINY = 1e-300
const MAX_ITERATIONS = 1_000_000

/** Continued fraction for I_x(a, b) (Numerical Recipes betacf, modified Lentz); converges for x < (a+1)/(a+b+2). */
const continuedFraction = (x: number, y: number, a: number, b: number): number => {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  // 1 − (a+b)x/(a+1) cancels when x is near 1 and a is huge (Student t at df 1e9): form it from y = 1 − x.
  let d = x <= 0.5 ? 1 - (qab * x) / qap : (1 - b + qab * y) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) return h
  }
  return Number.NaN
}

/**
 * @internal I_x(a, b) (`lower`) and 1 − I_x(a, b) (`upper`), each computed directly on its own side; y = 1 − x.
 * Matches scipy `special.betainc` / `betaincc`. NaN if the continued fraction does not converge.
 */
export const incompleteBeta = (x: number, y: number, a: number, b: number): { readonly lower: number; readonly upper: number } => {
  if (x <= 0) return { lower: 0, upper: 1 }
  if (y <= 0) return { lower: 1, upper: 0 }
  if (a + b >= LARGE) return logitTails(logitBeta(a, b), logitOffset(x, y, a, b))
  const front = Math.exp(logBetaPrefactor(x, y, a, b))
  if (x * (a + b + 2) < a + 1) {
    const lower = (front * continuedFraction(x, y, a, b)) / a
    return { lower, upper: 1 - lower }
  }
  const upper = (front * continuedFraction(y, x, b, a)) / b
  return { lower: 1 - upper, upper }
}

/**
 * Above this a + b the continued fraction drifts (1e-10 relative at 1e10, 3e-8 at 1e12, against 50-digit
 * quadrature), and the tails are integrated on the logit scale instead, in about 10 panels whatever the size.
 */
const LARGE = 1e5

/**
 * @internal The logit of x minus the mode log(a / b), from x and y = 1 − x without cancellation. When y was
 * rounded from 1 − x (x < 1/2), its rounding error is recovered exactly and carried: at a + b = 1e12 one ulp of
 * y moves a 30-standard-deviation tail by 1e-9.
 */
export const logitOffset = (x: number, y: number, a: number, b: number): number => {
  // y + yLow = 1 − x exactly when y is the rounded 1 − x (Fast2Sum); otherwise the caller's y stands as given.
  const yLow = y === 1 - x ? 1 - y - x : 0
  const den = y * a
  const diff = productDifference(x, b, y, a) - yLow * a
  return Math.abs(diff) < 0.5 * den ? Math.log1p(diff / den) : Math.log(x) - Math.log(y + yLow) - (Math.log(a) - Math.log(b))
}

/** @internal Lower and upper tails of a logit-scale beta at offset u: the smaller one integrated directly. */
export const logitTails = (law: LogitBeta, u: number): { readonly lower: number; readonly upper: number } => {
  const logHere = law.log(u)
  const small = logHere < -800 ? 0 : tailIntegral(law, u, u >= 0 ? 1 : -1, logHere) * Math.exp(logHere)
  return u >= 0 ? { lower: 1 - small, upper: small } : { lower: small, upper: 1 - small }
}

/**
 * @internal The offset u (from the mode, logit scale) where the lower tail (or the upper one) equals `target`
 * ≤ 1/2: Newton on the log of the tail from the normal start, kept in a bracket.
 */
export const logitQuantile = (law: LogitBeta, target: number, upper: boolean): number => {
  const sd = Math.sqrt(1 / law.a + 1 / law.b)
  let u = (upper ? 1 : -1) * normalIsf(target) * sd
  let lo = Number.NEGATIVE_INFINITY
  let hi = Number.POSITIVE_INFINITY
  const logTarget = Math.log(target)
  for (let i = 0; i < 200; i++) {
    const tails = logitTails(law, u)
    const t = upper ? tails.upper : tails.lower
    if (!(t > 0)) {
      // Underflowed: step back toward the mode.
      if (upper) hi = u
      else lo = u
      u = Number.isFinite(upper ? lo : hi) ? (lo + hi) / 2 : u / 2
      continue
    }
    const g = Math.log(t) - logTarget
    // The lower tail grows with u, the upper one falls.
    if ((g > 0) !== upper) hi = u
    else lo = u
    const slope = (Math.exp(law.log(u)) / t) * (upper ? -1 : 1)
    let next = u - g / slope
    // Converged (to the last ulp, or exactly: g = 0 leaves no room inside the bracket) before any bisection.
    if (g === 0 || Math.abs(next - u) <= 1e-15 * Math.max(Math.abs(u), sd * 1e-3)) return next
    if (!(next > lo && next < hi)) next = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : u + (next > u ? sd : -sd)
    u = next
  }
  return u
}

/** @internal The rate t at logit offset u, t = logistic(log(a/b) + u). */
export const rateAt = (law: LogitBeta, u: number): { readonly t: number; readonly oneMinusT: number } => {
  if (u <= 0) {
    const e = Math.exp(u)
    const den = law.q0 + law.p0 * e
    return { t: (law.p0 * e) / den, oneMinusT: law.q0 / den }
  }
  const e = Math.exp(-u)
  const den = law.q0 * e + law.p0
  return { t: law.p0 / den, oneMinusT: (law.q0 * e) / den }
}

/** @internal The beta density at x (y = 1 − x). */
export const betaPdf = (x: number, y: number, a: number, b: number): number =>
  x <= 0 || y <= 0 ? 0 : Math.exp(logBetaPrefactor(x, y, a, b)) / (x * y)

/**
 * @internal The x with I_x(a, b) = p (scipy `beta.ppf`), or with 1 − I_x(a, b) = q when `upper` is set.
 * Newton steps on the log of the smaller tail, kept inside a shrinking bracket (bisection when a step leaves it).
 */
export const betaQuantile = (p: number, a: number, b: number, upper = false): number => {
  if (!(p >= 0 && p <= 1)) return Number.NaN
  // Work on the smaller tail so a probability near 1 is never rounded.
  let useUpper = upper
  let target = p
  if (target > 0.5) {
    useUpper = !useUpper
    target = 1 - target
  }
  if (target === 0) return useUpper ? 1 : 0
  if (a + b >= LARGE) {
    const law = logitBeta(a, b)
    return rateAt(law, logitQuantile(law, target, useUpper)).t
  }
  const tail = (x: number): number => {
    const r = incompleteBeta(x, 1 - x, a, b)
    return useUpper ? r.upper : r.lower
  }
  let lo = 0
  let hi = 1
  const mean = a / (a + b)
  const sd = Math.sqrt((a * b) / ((a + b) * (a + b) * (a + b + 1)))
  let x = Math.min(Math.max(mean + (useUpper ? 1 : -1) * 2 * sd, 1e-3 * mean), 1 - 1e-3 * (1 - mean))
  const logTarget = Math.log(target)
  let previous = Number.NaN
  for (let i = 0; i < 400; i++) {
    const t = tail(x)
    if (!(t > 0)) {
      // Too far into the tail: step back toward the mean by bisection.
      if (useUpper) hi = x
      else lo = x
      x = (lo + hi) / 2
      continue
    }
    const g = Math.log(t) - logTarget
    // The lower tail grows with x, the upper one falls.
    if ((g > 0) !== useUpper) hi = x
    else lo = x
    const slope = (betaPdf(x, 1 - x, a, b) / t) * (useUpper ? -1 : 1)
    let next = x - g / slope
    if (!(next > lo && next < hi)) next = (lo + hi) / 2
    // Converged to the last ulp (or bouncing between two neighbours): near 1 a relative step test in x would stop
    // several ulps early, which matters there because 1 − x is what the tail depends on.
    if (next === x || next === previous || Math.abs(next - x) <= 1e-16 * Math.min(x, 1 - x)) return next
    previous = x
    x = next
  }
  return x
}
