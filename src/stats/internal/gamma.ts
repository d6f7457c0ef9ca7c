/**
 * log Γ and the regularized incomplete gamma functions, with Stirling's series for large arguments so that
 * differences of huge log-gammas (posteriors of a million units, Welch df of 1e9) keep their precision.
 *
 * @internal
 * @module
 */
import { jstatGammaln } from './jstat'

const HALF_LOG_2PI = 0.91893853320467274178

/**
 * @internal Stirling's remainder lgamma(x) − [(x − ½) log x − x + ½ log 2π] for x ≥ 10; below 10 from log Γ
 * (accurate to about 1e-13 absolute there).
 */
export const stirlingError = (x: number): number => {
  if (x < 10) return lgamma(x) - ((x - 0.5) * Math.log(x) - x + HALF_LOG_2PI)
  const x2 = 1 / (x * x)
  return (
    (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 * (1 / 1188 - x2 * (691 / 360360 - x2 / 156)))))) / x
  )
}

/** @internal log Γ(x) for x > 0: jstat's Lanczos below 10 (where it is accurate), Stirling's series above. */
export const lgamma = (x: number): number => {
  if (x < 10) return jstatGammaln(x)
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingError(x)
}

/** @internal log(1 + u) − u without cancellation for small u (series in r = u / (2 + u)). */
export const log1pmx = (u: number): number => {
  if (u > 0.5 || u < -0.3) return Math.log1p(u) - u
  const r = u / (2 + u)
  const y = r * r
  let term = y
  let sum = 0
  for (let k = 1; k < 200; k++) {
    const add = term / (2 * k + 1)
    sum += add
    if (Math.abs(add) <= 1e-17 * Math.abs(sum)) break
    term *= y
  }
  return 2 * r * sum - r * u
}

/** @internal log Γ(b) / Γ(a + b), accurate when b is huge and a small (Student t with df 1e9). */
export const lgammaRatio = (a: number, b: number): number => {
  if (b < 10) return lgamma(b) - lgamma(a + b)
  return -a * Math.log(a + b) - b * log1pmx(a / b) + 0.5 * Math.log1p(a / b) + stirlingError(b) - stirlingError(a + b)
}

/** @internal log(x^a e^−x / Γ(a)), the prefactor of both incomplete gamma functions. */
const logGammaPrefactor = (a: number, x: number): number => {
  if (a < 10) return a * Math.log(x) - x - lgamma(a)
  return a * log1pmx((x - a) / a) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingError(a)
}

const EPS = 1e-16
const TINY = 1e-300

/**
 * @internal The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P, each computed directly
 * (series for P below a + 1, Lentz's continued fraction for Q above), so the small one is never `1 - big`.
 * NaN if the iteration does not converge.
 */
export const incompleteGamma = (a: number, x: number): { readonly lower: number; readonly upper: number } => {
  if (x <= 0) return { lower: 0, upper: 1 }
  if (x === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 }
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
