/**
 * log Γ, Stirling's remainder and log(1 + u) − u: the pieces every density here is built from, arranged so that
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

/**
 * @internal log Γ(x + d) − log Γ(x) for x, d > 0, written so that its size is about d·log x however large x is
 * (no difference of two huge log-gammas): d·log x + x·log1pmx(d/x) + (d − ½)·log1p(d/x) + Stirling remainders.
 */
export const lgammaDiff = (x: number, d: number): number => {
  if (x < 10) return lgamma(x + d) - lgamma(x)
  const ratio = d / x
  return d * Math.log(x) + x * log1pmx(ratio) + (d - 0.5) * Math.log1p(ratio) + stirlingError(x + d) - stirlingError(x)
}
