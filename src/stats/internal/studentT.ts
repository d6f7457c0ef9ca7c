/**
 * Student's t distribution through the incomplete beta function, accurate at the large Welch–Satterthwaite
 * degrees of freedom of A/B tests (1e5 .. 1e9), where jstat's `studentt.cdf` drifts (reference notes, appendix 3).
 *
 * @internal
 * @module
 */
import { incompleteBeta, lbeta } from './beta'
import { normalIsf, normalPdf, normalSf } from './normal'

/**
 * Above this many degrees of freedom the incomplete-beta continued fraction for I_x(df/2, 1/2), x near 1, loses
 * digits (5e-9 relative at df = 1e9), while Hill's normalizing transformation is accurate to about 1e-12 relative
 * (checked against 50-digit quadrature for df 1e3 .. 1e12 and t up to 36).
 */
const HILL_MIN_DF = 5e4

/**
 * P(T > t) for t ≥ 0 by G. W. Hill, Algorithm 395 (CACM 13, 1970): the normal deviate y with Φ̄(y) = P(T > t)
 * from z² = (df − ½) log(1 + t²/df) and a correction of order 1/df².
 */
const hillSf = (t: number, df: number): number => {
  const a = df - 0.5
  const b = 48 * a * a
  const z2 = a * Math.log1p((t * t) / df)
  const y = (((((-0.4 * z2 - 3.3) * z2 - 24) * z2 - 85.5) / (0.8 * z2 * z2 + 100 + b) + z2 + 3) / b + 1) * Math.sqrt(z2)
  return normalSf(y)
}

/** @internal P(T > t) with `df` degrees of freedom (scipy `t.sf`); df = Infinity is the normal. */
export const studentTSf = (t: number, df: number): number => {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (df === Number.POSITIVE_INFINITY) return normalSf(t)
  if (t === Number.POSITIVE_INFINITY) return 0
  if (t === Number.NEGATIVE_INFINITY) return 1
  if (df >= HILL_MIN_DF) {
    const upper = hillSf(Math.abs(t), df)
    return t >= 0 ? upper : 1 - upper
  }
  const t2 = t * t
  if (!(t2 < 1e300)) {
    // t² overflows (or nearly): I_x(df/2, 1/2) = x^(df/2) / ((df/2) B(df/2, 1/2)) · (1 + O(x)) with x = df/t² < 1e−290,
    // in logs (x itself underflows for heavy tails, where P(T > 1e308) is still 1e−154 at df = 1/2).
    const a = df / 2
    const half = 0.5 * Math.exp(a * (Math.log(df) - 2 * Math.log(Math.abs(t))) - Math.log(a) - lbeta(a, 0.5))
    return t >= 0 ? half : 1 - half
  }
  // x = df / (df + t²) and y = 1 − x, each formed directly so neither is a rounded 1 − something.
  const x = df / (df + t2)
  const y = t2 / (df + t2)
  const half = 0.5 * incompleteBeta(x, y, df / 2, 0.5).lower
  return t >= 0 ? half : 1 - half
}

/** @internal P(T ≤ t) (scipy `t.cdf`). */
export const studentTCdf = (t: number, df: number): number => studentTSf(-t, df)

/** @internal The density of Student's t. */
export const studentTPdf = (t: number, df: number): number => (df === Number.POSITIVE_INFINITY ? normalPdf(t) : Math.exp(logStudentTPdf(t, df)))

/** The log-density at finite df: log(1 + t²/df) without forming t², which overflows long before P(T > t) underflows at small df. */
const logStudentTPdf = (t: number, df: number): number => {
  const log1pt2 = Math.abs(t) > 1e100 ? 2 * Math.log(Math.abs(t)) - Math.log(df) : Math.log1p((t * t) / df)
  return -((df + 1) / 2) * log1pt2 - 0.5 * Math.log(df) - lbeta(df / 2, 0.5)
}

/**
 * @internal The t with P(T > t) = q (scipy `t.isf`): Newton on log P(T > t) from the Cornish–Fisher start,
 * safeguarded by a bracket.
 */
export const studentTIsf = (q: number, df: number): number => {
  if (!(q >= 0 && q <= 1) || !(df > 0)) return Number.NaN
  if (df === Number.POSITIVE_INFINITY) return normalIsf(q)
  if (q > 0.5) return -studentTIsf(1 - q, df)
  if (q === 0.5) return 0
  if (q === 0) return Number.POSITIVE_INFINITY
  // Heavy tails: below P(T > largest double) the quantile is not a double.
  if (q < studentTSf(Number.MAX_VALUE, df)) return Number.POSITIVE_INFINITY
  const z = normalIsf(q)
  let t = z + (z * z * z + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
  if (!(t > 0) || !Number.isFinite(t)) t = z
  let lo = 0
  let hi = Number.POSITIVE_INFINITY
  const logQ = Math.log(q)
  for (let i = 0; i < 300; i++) {
    const s = studentTSf(t, df)
    if (!(s > 0)) {
      hi = t
      t = lo > 0 && t > 4 * lo ? Math.sqrt(lo) * Math.sqrt(t) : lo / 2 + t / 2 // halves first: lo + t overflows near the largest double
      continue
    }
    const g = Math.log(s) - logQ
    if (g > 0) lo = t
    else hi = t
    // s / density in logs: both underflow in heavy tails (t ~ 1e250 at df 1/2) while their ratio is ~ t.
    let next = t + g * Math.exp(Math.log(s) - logStudentTPdf(t, df))
    // Outside the bracket: bisect geometrically when it spans orders of magnitude (heavy tails reach 1e308).
    if (!(next > lo && next < hi)) next = hi === Number.POSITIVE_INFINITY ? Math.min(2 * t, Number.MAX_VALUE) : lo > 0 && hi > 4 * lo ? Math.sqrt(lo) * Math.sqrt(hi) : lo / 2 + hi / 2
    if (Math.abs(next - t) <= 1e-15 * t) return next
    t = next
  }
  return t
}

/** @internal The t with P(T ≤ t) = p (scipy `t.ppf`). */
export const studentTQuantile = (p: number, df: number): number => -studentTIsf(p, df)
