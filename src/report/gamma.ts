/**
 * ln Γ for the bootstrap's binomial sampler (BTRS's acceptance test), without the statistics module's jstat.
 *
 * @module
 */

const EULER_GAMMA = 0.5772156649015329

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7; relative error near 1e-15), as `scipy.special.gammaln`; for x < 0.5 by
 * reflection, ln|Γ(x)|.
 *
 * **Gotchas**: `Infinity` at the poles (0, -1, -2, …), as gammaln; `NaN` for NaN or what is not a number, as
 * `Math.log` does.
 *
 * @example
 * logGamma(5) // => 3.1780538… (ln 24)
 *
 * @category bootstrap
 * @since 0.1.0
 */
export const logGamma = (x: number): number => {
  if (typeof x !== 'number') return Number.NaN
  if ((x <= 0 && Number.isInteger(x)) || x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY
  // Near 0, Γ(x) = 1/x - γ + O(x): the reflection below loses digits there (π / sin(πx) overflows below 1e-308).
  if (Math.abs(x) < 1e-8) return -Math.log(Math.abs(x)) - EULER_GAMMA * x
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0]!
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}
