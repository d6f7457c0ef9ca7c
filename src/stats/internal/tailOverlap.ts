/**
 * P(U > V) and E[(U − V)⁺] for independent beta variables, where U is the lower one, to full relative precision
 * however small (1e-177 is an answer, not a rounding of 1 − p) and in a time that does not grow with the
 * parameters (the posterior of 1e12 units costs what 1e3 costs):
 *
 *   P(U > V) = ∫ f_V(z) Q_U(z) dz      E[(U − V)⁺] = ∫₀¹ Q_U(t) F_V(t) dt = ∫ Q_U(z) F_V(z) t(1 − t) dz
 *
 * on the logit scale z, where both densities are log-concave with no boundary (see ./laws). Q_U, the survival
 * function of U, is accumulated panel by panel from the right, and F_V, the distribution function of V, from the
 * left, by integrating the densities' interpolants inside each panel (./quadrature RIGHT and LEFT), so each node
 * costs two density evaluations and no incomplete beta function. Both integrands are positive, so nothing
 * cancels. The panels are found by marching out from the mode of f_U·f_V, sized by the slope and curvature of
 * whichever density matters there, until rough upper bounds of both integrands (Mills' ratio for the tails) fall
 * below 1e-20 of what has been summed.
 *
 * @internal
 * @module
 */
import type { LogitBeta } from './laws'
import { GL_NODES, GL_WEIGHTS, LEFT, NODES as NODE_COUNT, panelWidth, RIGHT, smallChange, tailIntegral } from './quadrature'

const NODES = NODE_COUNT

/** log 1e-20: mass below this share of what it feeds does not need resolving. */
const NEGLIGIBLE = -46
const MAX_PANELS = 3000

/** @internal P(U > V) and E[(U − V)⁺], or NaN for both if the march did not end. */
export interface Overlap {
  readonly probability: number
  readonly excess: number
}

/**
 * @internal The overlap of U below V. `delta` is the distance between the modes on the logit scale,
 * log(a_U/b_U) − log(a_V/b_V), computed by the caller without cancellation; offsets s below are from V's mode.
 */
export const tailOverlap = (U: LogitBeta, V: LogitBeta, delta: number): Overlap => {
  // Local copies: module bindings of other files may be getters under some loaders, and these are hot loops.
  const nodes = GL_NODES
  const weights = GL_WEIGHTS
  const right = RIGHT
  const leftCumulative = LEFT
  const logU = (s: number) => U.log(s - delta)
  const slopeU = (s: number) => U.slope(s - delta)
  const spreadU = Math.sqrt(-1 / U.curvature(0))
  const spreadV = Math.sqrt(-1 / V.curvature(0))

  /** Everything the march needs at one point, evaluated once. */
  interface Point {
    readonly s: number
    readonly lu: number
    readonly su: number
    readonly cu: number
    readonly lv: number
    readonly sv: number
    readonly cv: number
    readonly jac: number
  }
  const at = (s: number): Point => {
    const u = s - delta
    return { s, lu: U.log(u), su: U.slope(u), cu: U.curvature(u), lv: V.log(s), sv: V.slope(s), cv: V.curvature(s), jac: V.jacobian(s) }
  }
  const scale = (slope: number, curvature: number) => Math.log(Math.max(Math.abs(slope), Math.sqrt(-curvature)))
  // Rough logs of Q_U and F_V: Mills' bound f/|slope| in the tail, capped at 1 (within a factor of about 2).
  const logQ = (x: Point) => (x.s - delta <= 0 ? 0 : Math.min(0, x.lu - scale(x.su, x.cu)))
  const logF = (x: Point) => (x.s >= 0 ? 0 : Math.min(0, x.lv - scale(x.sv, x.cv)))
  const logP = (x: Point) => x.lv + logQ(x)
  const logL = (x: Point) => logQ(x) + logF(x) + Math.log(x.jac)
  // Slopes of those logs, for the "past the peak" test: the densities' slopes where the bound applies, else 0.
  const slopeQ = (x: Point) => (x.s - delta > spreadU ? x.su : 0)
  const slopeF = (x: Point) => (x.s < -spreadV ? x.sv : 0)

  // The mode of f_U·f_V: between the two modes, where the slopes cancel.
  let lo = Math.min(delta, 0)
  let hi = Math.max(delta, 0)
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2
    if (slopeU(mid) + V.slope(mid) > 0) lo = mid
    else hi = mid
  }
  const center = at((lo + hi) / 2)
  const spread = 1 / Math.sqrt(-(center.cu + center.cv))
  if (logP(center) + Math.log(spread) < -790) return { probability: 0, excess: 0 }

  const refQ = logQ(center)
  const refF = logF(center)
  const refV = center.lv
  const jacobianWidth = panelWidth(1, -0.5)

  /** Panel boundaries marching from the center in one direction. */
  const march = (direction: 1 | -1): Array<number> | undefined => {
    const edges: Array<number> = []
    let x = center
    let sumP = 0
    let sumL = 0
    let maxP = logP(center)
    let previous = { p: 1, l: Math.exp(logL(center) - refQ - refF), width: 0 }
    for (let k = 0; k < MAX_PANELS; k++) {
      const lp = logP(x)
      const ll = logL(x)
      maxP = Math.max(maxP, lp)
      const p = Math.exp(lp - refV - refQ)
      const l = Math.exp(ll - refQ - refF)
      // Rough sums (trapezoids over the panels so far): enough to judge what is negligible.
      sumP += (previous.width * (previous.p + p)) / 2
      sumL += (previous.width * (previous.l + l)) / 2
      // Done when both integrands' bounds are past their peaks in this direction and what is left is negligible.
      const slopeP = direction * (x.sv + slopeQ(x))
      const slopeL = direction * (slopeQ(x) + slopeF(x) + (1 - 2 * V.rate(x.s)))
      if (k > 0 && slopeP < 0 && slopeL < 0 && p / -slopeP <= 1e-20 * sumP && l / -slopeL <= 1e-20 * sumL) return edges
      // The widest panel every density that matters here allows: proposed from slopes and curvatures, halved
      // until each density that matters changes by little enough across it (its curvature may grow fast).
      const sU = x.s - delta
      const uMatters = (direction === 1 ? sU >= 0 : sU > 0) || x.lu - scale(x.su, x.cu) >= NEGLIGIBLE
      const vMatters = x.s <= 0 || x.lv - scale(x.sv, x.cv) >= NEGLIGIBLE || lp >= maxP - 60
      let width = jacobianWidth
      width = Math.min(width, uMatters ? panelWidth(direction * x.su, x.cu) : approach(x.lu, x.su, x.cu, direction))
      width = Math.min(width, vMatters ? panelWidth(direction * x.sv, x.cv) : approach(x.lv, x.sv, x.cv, direction))
      let next = at(x.s + direction * width)
      for (let i = 0; i < 60; i++) {
        const badU = uMatters && !smallChange(x.lu, next.lu, x.su, next.su, width)
        const badV = vMatters && !smallChange(x.lv, next.lv, x.sv, next.sv, width)
        if (!badU && !badV) break
        width /= 2
        next = at(x.s + direction * width)
      }
      if (next.s === x.s) return undefined
      previous = { p, l, width }
      edges.push(next.s)
      x = next
    }
    return undefined
  }
  const rightEdges = march(1)
  const leftEdges = march(-1)
  if (rightEdges === undefined || leftEdges === undefined) return { probability: Number.NaN, excess: Number.NaN }
  const edges = [...leftEdges.reverse(), center.s, ...rightEdges]
  const panels = edges.length - 1

  // Densities at every node, scaled so that Q_U and F_V are about 1 at the center.
  const n = panels * NODES
  const fU = new Float64Array(n)
  const fV = new Float64Array(n)
  const jac = new Float64Array(n)
  for (let k = 0; k < panels; k++) {
    const a = edges[k]!
    const b = edges[k + 1]!
    for (let i = 0; i < NODES; i++) {
      const x = (a + b) / 2 + ((b - a) / 2) * nodes[i]!
      fU[k * NODES + i] = Math.exp(logU(x) - refQ)
      fV[k * NODES + i] = Math.exp(V.log(x) - refF)
      jac[k * NODES + i] = V.jacobian(x)
    }
  }
  const q = new Float64Array(n)
  const f = new Float64Array(n)
  // Q_U from the right: what lies beyond the last edge, then each panel's interpolant integrated node by node.
  const last = edges[panels]! - delta
  let carry = Math.exp(U.log(last) - refQ) * tailIntegral(U, last, 1, U.log(last))
  for (let k = panels - 1; k >= 0; k--) {
    const half = (edges[k + 1]! - edges[k]!) / 2
    let whole = 0
    for (let i = 0; i < NODES; i++) {
      let sum = 0
      for (let j = 0; j < NODES; j++) sum += right[i * NODES + j]! * fU[k * NODES + j]!
      q[k * NODES + i] = carry + half * sum
      whole += weights[i]! * fU[k * NODES + i]!
    }
    carry += half * whole
  }
  const first = edges[0]!
  carry = Math.exp(V.log(first) - refF) * tailIntegral(V, first, -1, V.log(first))
  for (let k = 0; k < panels; k++) {
    const half = (edges[k + 1]! - edges[k]!) / 2
    let whole = 0
    for (let i = 0; i < NODES; i++) {
      let sum = 0
      for (let j = 0; j < NODES; j++) sum += leftCumulative[i * NODES + j]! * fV[k * NODES + j]!
      f[k * NODES + i] = carry + half * sum
      whole += weights[i]! * fV[k * NODES + i]!
    }
    carry += half * whole
  }
  let probability = 0
  let excess = 0
  for (let k = 0; k < panels; k++) {
    const half = (edges[k + 1]! - edges[k]!) / 2
    let p = 0
    let l = 0
    for (let i = 0; i < NODES; i++) {
      const at = k * NODES + i
      p += weights[i]! * fV[at]! * q[at]!
      l += weights[i]! * q[at]! * f[at]! * jac[at]!
    }
    probability += half * p
    excess += half * l
  }
  const logScale = refQ + refF
  return { probability: probability * Math.exp(logScale), excess: excess * Math.exp(logScale) }
}

/**
 * How far one may step toward a density that is still negligible here without jumping over the place where it
 * starts to matter: by log-concavity its log rises by at most slope·width, so stop 5 above the threshold.
 */
const approach = (log: number, slope: number, curvature: number, direction: 1 | -1): number => {
  const rise = direction * slope
  if (!(rise > 0)) return Number.POSITIVE_INFINITY
  const gap = NEGLIGIBLE - (log - Math.log(Math.max(Math.abs(slope), Math.sqrt(-curvature))))
  return (Math.max(gap, 0) + 5) / rise
}
