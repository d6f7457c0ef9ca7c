/**
 * Tails of the hypergeometric distribution (the top-left cell of a 2 × 2 table given its margins) to full
 * relative precision, in a time that does not grow with the counts:
 *
 * - the log-probability of a cell value from Loader's saddle-point form (each binomial factor as
 *   ½ log(n / 2πx(n−x)) − bd0(x, np) − bd0(n−x, nq) + Stirling remainders, no difference of huge log-gammas),
 *   so 1e12 units lose nothing;
 * - a tail whose terms shrink quickly is summed term by term (the ratio of neighbours is exact);
 * - a tail whose terms change slowly (near the mode of a large table) is the Euler–Maclaurin sum: the integral of
 *   the continuous extension by log-concave Gauss–Legendre panels, plus f/2 and the derivative corrections up to
 *   f⁽⁵⁾ (their remainder is below 1e-12 of the tail once a step changes the terms by less than e^0.25).
 *
 * @internal
 * @module
 */
import { log1pmx, stirlingError } from './stirling'
import { tailIntegral, type LogConcave } from './quadrature'

const HALF_LOG_2PI = 0.91893853320467274178

/**
 * bd0(x, M) = x log(x/M) + M − x ≥ 0 from M and d = x − M (given separately: x = base + offset loses the offset's
 * low bits when the base is large), as M·((1 + v) log(1 + v) − v) with v = d/M.
 */
const bd0 = (M: number, d: number): number => {
  const v = d / M
  if (Math.abs(v) < 0.5) return M * (v * v + (1 + v) * log1pmx(v))
  return (M + d) * Math.log1p(v) - d
}

/** log of C(n, x) pᵡ qⁿ⁻ˣ at x = base + offset, 0 ≤ x ≤ n real, base an integer (Loader 2000). */
const logBinomial = (base: number, offset: number, n: number, p: number, q: number): number => {
  if (offset === 0 && base === 0) return n * Math.log(q)
  if (offset === 0 && base === n) return n * Math.log(p)
  const x = base + offset
  const rest = n - base - offset
  if (!(x > 0 && rest > 0)) return Number.NEGATIVE_INFINITY
  return (
    0.5 * Math.log(n / (x * rest)) -
    HALF_LOG_2PI -
    bd0(n * p, base - n * p + offset) -
    bd0(n * q, n - base - n * q - offset) +
    stirlingError(n) -
    stirlingError(x) -
    stirlingError(rest)
  )
}

/** @internal A hypergeometric law: `draws` balls from `total`, of which `white` are white; k = white drawn. */
export interface Hypergeometric {
  readonly draws: number
  readonly white: number
  readonly total: number
}

/** @internal log P(K = base + offset), base an integer, offset small and real (−∞ outside the support). */
export const logHypergeometricAt = (h: Hypergeometric, base: number, offset: number): number => {
  const p = h.draws / h.total
  const q = (h.total - h.draws) / h.total
  return (
    logBinomial(base, offset, h.white, p, q) +
    logBinomial(h.draws - base, -offset, h.total - h.white, p, q) -
    logBinomial(h.draws, 0, h.total, p, q)
  )
}

/** @internal log P(K = k) for an integer k. */
export const logHypergeometric = (h: Hypergeometric, k: number): number => logHypergeometricAt(h, k, 0)

/** Support of the law. */
export const supportOf = (h: Hypergeometric): { readonly lo: number; readonly hi: number } => ({
  lo: Math.max(0, h.draws + h.white - h.total),
  hi: Math.min(h.draws, h.white),
})

/** P(K = k + 1) / P(K = k), exact to rounding. */
const ratioUp = (h: Hypergeometric, k: number): number =>
  ((h.white - k) * (h.draws - k)) / ((k + 1) * (h.total - h.white - h.draws + k + 1))

// Asymptotic polygamma functions for the large arguments where Euler–Maclaurin is used (x ≥ 50: error < 1e-14).
const digamma = (x: number): number => {
  const r = 1 / (x * x)
  return Math.log(x) - 0.5 / x - r * (1 / 12 - r * (1 / 120 - r / 252))
}
const trigamma = (x: number): number => {
  const r = 1 / x
  return r + 0.5 * r * r + (r * r * r) / 6 - (r * r * r * r * r) / 30
}
const tetragamma = (x: number): number => {
  const r = 1 / x
  return -r * r - r * r * r - 0.5 * r ** 4 + r ** 6 / 6
}

/** The continuous extension of the log-probability at offsets s from the integer `base`, log-concave in s. */
const continuous = (h: Hypergeometric, base: number): LogConcave & { readonly third: (s: number) => number } => {
  const rest = h.total - h.white - h.draws
  return {
    log: (s) => logHypergeometricAt(h, base, s),
    slope: (s) => {
      const k = base + s
      return digamma(h.white - k + 1) - digamma(k + 1) + digamma(h.draws - k + 1) - digamma(rest + k + 1)
    },
    curvature: (s) => {
      const k = base + s
      return -(trigamma(k + 1) + trigamma(h.white - k + 1) + trigamma(h.draws - k + 1) + trigamma(rest + k + 1))
    },
    third: (s) => {
      const k = base + s
      return -tetragamma(k + 1) + tetragamma(h.white - k + 1) + tetragamma(h.draws - k + 1) - tetragamma(rest + k + 1)
    },
  }
}

/** @internal The mode ⌊(n + 1)(K + 1)/(N + 2)⌋, clamped to the support. */
export const modeOf = (h: Hypergeometric): number => {
  const { lo, hi } = supportOf(h)
  return Math.min(hi, Math.max(lo, Math.floor(((h.draws + 1) * (h.white + 1)) / (h.total + 2))))
}

/** The law of the other colour: draws − K, so P(K ≤ x) = P(draws − K ≥ draws − x). */
const reflected = (h: Hypergeometric): Hypergeometric => ({ draws: h.draws, white: h.total - h.white, total: h.total })

/**
 * @internal P(K ≥ x), directly (the smaller tail is never 1 − the larger one): from the mode on, term by term
 * while the terms fall by e^0.25 or more per step (or the law is narrow), else by Euler–Maclaurin.
 */
export const upperTail = (h: Hypergeometric, x: number): number => {
  const { lo, hi } = supportOf(h)
  if (x <= lo) return 1
  if (x > hi) return 0
  if (x < modeOf(h)) return 1 - upperTail(reflected(h), h.draws - x + 1)
  const n = h.draws
  const variance = (n * h.white * (h.total - h.white) * (h.total - n)) / (h.total * h.total * (h.total - 1))
  if (variance >= 2500 && Math.log(ratioUp(h, x)) > -0.25) return eulerMaclaurin(h, x)
  const logAt = logHypergeometric(h, x)
  let term = 1
  let sum = 0
  for (let k = x; k <= hi; k++) {
    sum += term
    term *= ratioUp(h, k)
    if (term <= 1e-20 * sum) break
  }
  return Math.exp(logAt) * sum
}

/** @internal P(K ≤ x), directly. */
export const lowerTail = (h: Hypergeometric, x: number): number => upperTail(reflected(h), h.draws - x)

/** Σ_{k ≥ a} P(K = k) for a large law near its mode: ∫_a^∞ f + f(a)/2 − f'(a)/12 + f'''(a)/720 − f⁽⁵⁾(a)/30240. */
const eulerMaclaurin = (h: Hypergeometric, a: number): number => {
  const law = continuous(h, a)
  const logA = law.log(0)
  const g1 = law.slope(0)
  const g2 = law.curvature(0)
  const g3 = law.third(0)
  const d1 = g1
  const d3 = g3 + 3 * g1 * g2 + g1 ** 3
  // f⁽⁵⁾/f to the order that matters here (higher derivatives of g are O(σ⁻⁶)).
  const d5 = g1 ** 5 + 10 * g1 ** 3 * g2 + 15 * g1 * g2 * g2 + 10 * g1 * g1 * g3 + 10 * g2 * g3
  const integral = tailIntegral(law, 0, 1, logA)
  return Math.exp(logA) * (integral + 0.5 - d1 / 12 + d3 / 720 - d5 / 30240)
}
