/**
 * The standard normal distribution, accurate in the far tails: the cdf and survival function by W. J. Cody's
 * rational Chebyshev approximations (Math. Comp. 1969, as in R's `pnorm`), each tail computed directly rather than
 * as `1 - cdf`, and the quantile by Wichura's AS 241 (PPND16, about 1e-16 relative).
 * jstat computes `0.5 (1 + erf)`, which loses everything below about 1e-9 (reference notes, appendix 1 and 2).
 *
 * @internal
 * @module
 */

const SQRT_32 = 5.656854249492380195206754896838
const INV_SQRT_2PI = 0.398942280401432677939946059934
const THRESHOLD = 0.67448975

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113] as const
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const

/** exp(-y²/2) · factor without the rounding error of squaring y: y is split into a 1/16 grid point and the rest. */
const gaussTail = (y: number, factor: number): number => {
  const ysq = Math.trunc(y * 16) / 16
  const del = (y - ysq) * (y + ysq)
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5) * factor
}

/** The smaller tail, P(Z > |x|), to full relative precision down to the underflow near |x| = 38.5. */
const smallerTail = (x: number): number => {
  const y = Math.abs(x)
  if (y <= THRESHOLD) {
    const xsq = x * x
    let num = A[4] * xsq
    let den = xsq
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq
      den = (den + B[i]!) * xsq
    }
    return 0.5 - (y * (num + A[3])) / (den + B[3])
  }
  if (y <= SQRT_32) {
    let num = C[8] * y
    let den = y
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y
      den = (den + D[i]!) * y
    }
    return gaussTail(y, (num + C[7]) / (den + D[7]))
  }
  if (y >= 38.5) return 0
  const xsq = 1 / (y * y)
  let num = P[5] * xsq
  let den = xsq
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * xsq
    den = (den + Q[i]!) * xsq
  }
  const r = (xsq * (num + P[4])) / (den + Q[4])
  return gaussTail(y, (INV_SQRT_2PI - r) / y)
}

/** @internal P(Z ≤ x). */
export const normalCdf = (x: number): number => {
  if (Number.isNaN(x)) return Number.NaN
  return x <= 0 ? smallerTail(x) : 1 - smallerTail(x)
}

/** @internal P(Z > x), accurate where `1 - normalCdf(x)` would round to 0. */
export const normalSf = (x: number): number => {
  if (Number.isNaN(x)) return Number.NaN
  return x >= 0 ? smallerTail(x) : 1 - smallerTail(x)
}

/** @internal Standard normal density. */
export const normalPdf = (x: number): number => gaussTail(Math.abs(x), INV_SQRT_2PI)

const AQ = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const
const BQ = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561] as const
const CQ = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const
const DQ = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9] as const
const EQ = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const
const FQ = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15] as const

const poly = (c: ReadonlyArray<number>, x: number): number => {
  let s = 0
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i]!
  return s
}

/** The quantile of the lower tail `p` when `p ≤ 0.5` (so the result is ≤ 0), AS 241. */
const lowerQuantile = (p: number): number => {
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (q * poly(AQ, r)) / poly(BQ, r)
  }
  if (p <= 0) return Number.NEGATIVE_INFINITY
  let r = Math.sqrt(-Math.log(p))
  if (r <= 5) {
    r -= 1.6
    return -poly(CQ, r) / poly(DQ, r)
  }
  r -= 5
  return -poly(EQ, r) / poly(FQ, r)
}

/**
 * @internal The z with P(Z ≤ z) = p (scipy `norm.ppf`). For an upper-tail probability close to 0 call
 * `normalIsf`, which does not lose it to `1 - p`.
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 1) return Number.POSITIVE_INFINITY
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p)
}

/** @internal The z with P(Z > z) = q (scipy `norm.isf`). */
export const normalIsf = (q: number): number => -normalQuantile(q)
