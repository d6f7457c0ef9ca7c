/**
 * P(X > Y) and E[max(X − Y, 0)] for independent beta variables, exactly: Evan Miller's closed-form sum when one
 * shape parameter is an integer (O(that parameter) time, terms by an exact recurrence, rescaled so nothing
 * underflows), and Gauss–Legendre quadrature between quantile breakpoints of both laws otherwise (half-integer
 * posteriors from a Jeffreys prior).
 *
 * @internal
 * @module
 */
import { betaPdf, betaQuantile, incompleteBeta, lbeta } from './beta'

/** @internal A beta law by its shape parameters. */
export interface BetaLaw {
  readonly alpha: number
  readonly beta: number
}

/**
 * Σ_{i<a1} B(a2+i, b1+b2) / ((b1+i) B(1+i, b1) B(a2, b2)) = P(X > Y), X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a1 an
 * integer. The first term is exp(lbeta(a2, b1+b2) − lbeta(a2, b2)); the others follow from
 * t_{i+1}/t_i = (a2+i)(b1+i) / ((a2+b1+b2+i)(1+i)).
 */
const millerSum = (a1: number, b1: number, a2: number, b2: number): number => {
  const logFirst = lbeta(a2, b1 + b2) - lbeta(a2, b2)
  let term = 1
  let sum = 0
  let logScale = 0
  const c = a2 + b1 + b2
  for (let i = 0; i < a1; i++) {
    sum += term
    term *= ((a2 + i) * (b1 + i)) / ((c + i) * (1 + i))
    if (term > 1e280) {
      term *= 1e-280
      sum *= 1e-280
      logScale += 280 * Math.LN10
    }
  }
  return sum * Math.exp(logFirst + logScale)
}

/** Gauss–Legendre nodes and weights on [−1, 1], 20 points (Newton on the Legendre recurrence, computed once). */
const GL = (() => {
  const n = 20
  const nodes: Array<number> = []
  const weights: Array<number> = []
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5))
    let dp = 0
    for (let it = 0; it < 100; it++) {
      let p0 = 1
      let p1 = x
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
        p0 = p1
        p1 = p2
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1)
      const dx = p1 / dp
      x -= dx
      if (Math.abs(dx) < 1e-16) break
    }
    nodes.push(x)
    weights.push(2 / ((1 - x * x) * dp * dp))
  }
  return { nodes, weights }
})()

const BREAK_PROBABILITIES = [1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.15, 0.3, 0.5]

const breakpoints = (law: BetaLaw): Array<number> => {
  const out: Array<number> = []
  for (const p of BREAK_PROBABILITIES) {
    out.push(betaQuantile(p, law.alpha, law.beta))
    if (p < 0.5) out.push(betaQuantile(p, law.alpha, law.beta, true))
  }
  return out
}

/** @internal P(X > Y) = ∫ f_Y(y) P(X > y) dy by quadrature on panels between the quantiles of both laws. */
export const quadrature = (x: BetaLaw, y: BetaLaw): number => {
  const points = [...breakpoints(y), ...breakpoints(x)].filter((p) => p > 0 && p < 1)
  const ys = [...new Set(points)].sort((p, q) => p - q)
  // Y's mass outside its extreme quantiles is 2e-15; integrating only between them is exact to that.
  const lo = betaQuantile(1e-15, y.alpha, y.beta)
  const hi = betaQuantile(1e-15, y.alpha, y.beta, true)
  const edges = [lo, ...ys.filter((p) => p > lo && p < hi), hi]
  let total = 0
  const panel = (a: number, b: number): void => {
    const mid = (a + b) / 2
    const half = (b - a) / 2
    for (let i = 0; i < GL.nodes.length; i++) {
      const t = mid + half * GL.nodes[i]!
      total += half * GL.weights[i]! * betaPdf(t, 1 - t, y.alpha, y.beta) * incompleteBeta(t, 1 - t, x.alpha, x.beta).upper
    }
  }
  for (let k = 0; k + 1 < edges.length; k++) {
    let a = edges[k]!
    const b = edges[k + 1]!
    // The densities are analytic except at 0 and 1 (y^(α−1) with α not an integer): keep each panel no longer than
    // its distance to either point (length ≤ a and ≤ 1 − right end), so 20-point Gauss–Legendre converges fast.
    while (b > a) {
      const next = Math.min(b, a + Math.min(a, (1 - a) / 2))
      panel(a, next)
      a = next
    }
  }
  return Math.min(1, Math.max(0, total))
}

/** @internal How P(X > Y) is computed for these laws. */
export type ComparisonMethod = 'closed-form' | 'quadrature'

/** @internal P(X > Y) for independent X ~ x, Y ~ y, and the method used. */
export const probabilityGreater = (x: BetaLaw, y: BetaLaw): { readonly probability: number; readonly method: ComparisonMethod } => {
  // Four equivalent sums (X > Y, 1 − [Y > X], and the same for 1 − p); take the shortest with an integer bound.
  const options: Array<{ readonly count: number; readonly run: () => number }> = []
  if (Number.isInteger(x.alpha)) options.push({ count: x.alpha, run: () => millerSum(x.alpha, x.beta, y.alpha, y.beta) })
  if (Number.isInteger(y.alpha)) options.push({ count: y.alpha, run: () => 1 - millerSum(y.alpha, y.beta, x.alpha, x.beta) })
  // X > Y ⟺ 1 − Y > 1 − X, with 1 − Y ~ Beta(b2, a2) and 1 − X ~ Beta(b1, a1).
  if (Number.isInteger(y.beta)) options.push({ count: y.beta, run: () => millerSum(y.beta, y.alpha, x.beta, x.alpha) })
  if (Number.isInteger(x.beta)) options.push({ count: x.beta, run: () => 1 - millerSum(x.beta, x.alpha, y.beta, y.alpha) })
  if (options.length === 0) return { probability: quadrature(x, y), method: 'quadrature' }
  options.sort((a, b) => a.count - b.count)
  const p = options[0]!.run()
  return { probability: Math.min(1, Math.max(0, p)), method: 'closed-form' }
}

/**
 * @internal E[max(X − Y, 0)] = E[X]·P(X⁺ > Y) − E[Y]·P(X > Y⁺), where X⁺ ~ Beta(a1 + 1, b1) is X size-biased
 * (x f_X(x) = E[X] f_{X⁺}(x)); Chris Stucchio's expected loss.
 */
export const expectedExcess = (x: BetaLaw, y: BetaLaw): number => {
  const mx = x.alpha / (x.alpha + x.beta)
  const my = y.alpha / (y.alpha + y.beta)
  const a = probabilityGreater({ alpha: x.alpha + 1, beta: x.beta }, y).probability
  const b = probabilityGreater(x, { alpha: y.alpha + 1, beta: y.beta }).probability
  return Math.max(0, mx * a - my * b)
}
