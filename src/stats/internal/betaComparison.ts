/**
 * P(X > Y), E[(X − Y)⁺] and E[(Y − X)⁺] for independent beta variables X and Y, each to full relative precision
 * however small (a P(B > A) of 1e-177 is an answer, not the rounding of 1 − p), in a time that does not grow with
 * the parameters:
 *
 * - Evan Miller's closed-form sum when it is short (an integer shape parameter up to 2 000), summed in the
 *   orientation that gives the smaller probability directly, never as 1 − sum;
 * - otherwise (larger counts, or no integer shape: a Jeffreys prior) the logit-scale quadrature of ./tailOverlap.
 *
 * The smaller probability and the smaller expected excess are computed directly; the larger ones follow from
 * P(Y > X) = 1 − P(X > Y) and E[(Y − X)⁺] = E[Y] − E[X] + E[(X − Y)⁺], where nothing cancels.
 *
 * @internal
 * @module
 */
import { productDifference } from './exact'
import { logitBeta } from './laws'
import { lgammaDiff } from './stirling'
import { tailOverlap } from './tailOverlap'

/** @internal A beta law by its shape parameters. */
export interface BetaLaw {
  readonly alpha: number
  readonly beta: number
}

/** @internal How the comparison was computed. */
export type ComparisonMethod = 'closed-form' | 'quadrature'

/** @internal P(X > Y) and the expected excess of each over the other. */
export interface BetaComparison {
  readonly probability: number
  /** E[max(X − Y, 0)]. */
  readonly excess: number
  /** E[max(Y − X, 0)]. */
  readonly shortfall: number
  readonly method: ComparisonMethod
}

/**
 * Longest closed-form sum. Its first term's logarithm carries an absolute rounding of about terms·log(terms)·1e-16
 * (1e-11 relative at 5 000 terms); past 2 000 the quadrature (1e-14) is used, whose cost does not grow.
 */
const MILLER_MAX = 2_000

/**
 * Σ_{i<a1} B(a2+i, b1+b2) / ((b1+i) B(1+i, b1) B(a2, b2)) = P(X > Y), X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a1 an
 * integer: every term positive. The first term is B(a2, b1+b2)/B(a2, b2), its log taken as a difference of two
 * lgammaDiff with the smaller shift (so 1e12 units do not leave 1e-5 of rounding in it); the others follow from
 * t_{i+1}/t_i = (a2+i)(b1+i) / ((a2+b1+b2+i)(1+i)), rescaled so nothing overflows.
 */
const millerSum = (a1: number, b1: number, a2: number, b2: number): number => {
  const logFirst =
    b1 <= a2 ? lgammaDiff(b2, b1) - lgammaDiff(a2 + b2, b1) : lgammaDiff(b2, a2) - lgammaDiff(b1 + b2, a2)
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

/**
 * P(U > V) and E[(U − V)⁺] by closed-form sums, or undefined when no short sum exists or the excess, a
 * difference E[U]·P(U⁺ > V) − E[V]·P(U > V⁺) (U⁺ ~ Beta(a+1, b) is U size-biased), would lose more than 1 digit.
 */
const closedForm = (U: BetaLaw, V: BetaLaw, withExcess: boolean): { readonly probability: number; readonly excess: number } | undefined => {
  const byU = Number.isInteger(U.alpha) && U.alpha + 1 <= MILLER_MAX
  const byV = Number.isInteger(V.beta) && V.beta <= MILLER_MAX
  if (!byU && !byV) return undefined
  // P(U > V) summed over U's alpha, or over V's beta (U > V ⟺ 1 − V > 1 − U), whichever is shorter.
  const greater = byU && (!byV || U.alpha + 1 <= V.beta)
    ? (u: BetaLaw, v: BetaLaw) => millerSum(u.alpha, u.beta, v.alpha, v.beta)
    : (u: BetaLaw, v: BetaLaw) => millerSum(v.beta, v.alpha, u.beta, u.alpha)
  const probability = greater(U, V)
  if (!withExcess) return { probability, excess: Number.NaN }
  const mU = U.alpha / (U.alpha + U.beta)
  const mV = V.alpha / (V.alpha + V.beta)
  const plus = mU * greater({ alpha: U.alpha + 1, beta: U.beta }, V)
  const excess = plus - mV * greater(U, { alpha: V.alpha + 1, beta: V.beta })
  return excess >= 0.1 * plus ? { probability, excess } : undefined
}

/** log(a1 b2 / (b1 a2)): the distance between two beta modes on the logit scale, without cancellation. */
const modeDistance = (a1: number, b1: number, a2: number, b2: number): number => {
  const den = b1 * a2
  const diff = productDifference(a1, b2, b1, a2)
  return Math.abs(diff) < 0.5 * den ? Math.log1p(diff / den) : Math.log(a1) - Math.log(b1) - (Math.log(a2) - Math.log(b2))
}

/**
 * @internal Compare X and Y. Without `excess` only P(X > Y) is wanted (analyze): the short closed form then serves
 * even where its expected excess would cancel, and `excess` and `shortfall` are NaN.
 */
export const compareBetas = (x: BetaLaw, y: BetaLaw, { excess = true }: { readonly excess?: boolean } = {}): BetaComparison => {
  // U is the law with the lower mode on the logit scale: P(U > V) is the smaller probability (or near 1/2).
  const xLower = productDifference(x.alpha, y.beta, y.alpha, x.beta) < 0
  const U = xLower ? x : y
  const V = xLower ? y : x
  let method: ComparisonMethod = 'closed-form'
  let small = closedForm(U, V, excess)
  if (small === undefined) {
    method = 'quadrature'
    small = tailOverlap(logitBeta(U.alpha, U.beta), logitBeta(V.alpha, V.beta), modeDistance(U.alpha, U.beta, V.alpha, V.beta))
  }
  // E[V] − E[U] from the shape parameters as one exact difference of products.
  const meanGap = productDifference(V.alpha, U.beta, U.alpha, V.beta) / ((V.alpha + V.beta) * (U.alpha + U.beta))
  const probabilityLower = Math.min(1, Math.max(0, small.probability))
  const excessLower = excess ? Math.max(0, small.excess) : Number.NaN
  const excessHigher = excess ? Math.max(0, meanGap + excessLower) : Number.NaN
  return xLower
    ? { probability: probabilityLower, excess: excessLower, shortfall: excessHigher, method }
    : { probability: 1 - probabilityLower, excess: excessHigher, shortfall: excessLower, method }
}

/** @internal P(X > Y) alone (the benchmarks compare it with jstat's sum). */
export const probabilityGreater = (x: BetaLaw, y: BetaLaw): { readonly probability: number; readonly method: ComparisonMethod } => {
  const c = compareBetas(x, y, { excess: false })
  return { probability: c.probability, method: c.method }
}

/** @internal The quadrature alone, whatever the shapes (tests hold it to the closed form where both apply). */
export const compareByQuadrature = (x: BetaLaw, y: BetaLaw): { readonly probability: number; readonly excess: number } => {
  const o = tailOverlap(logitBeta(x.alpha, x.beta), logitBeta(y.alpha, y.beta), modeDistance(x.alpha, x.beta, y.alpha, y.beta))
  return { probability: o.probability, excess: o.excess }
}
