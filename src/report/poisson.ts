/**
 * Seeded Poisson draws for the bootstrap: Poisson(1) weights per journey, and Poisson(n) for an aggregated row
 * that stands for n identical journeys (a sum of n independent Poisson(1) is Poisson(n)).
 *
 * Small means by inversion; means of 10 and more by Hörmann's transformed rejection with squeeze (PTRS, 1993),
 * the method numpy's `Generator.poisson` uses. Both are exact samplers given uniform draws.
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7; relative error near 1e-15), as `scipy.special.gammaln`.
 *
 * @example
 * logGamma(5) // => 3.1780538… (ln 24)
 *
 * @category bootstrap
 * @since 0.1.0
 */
export const logGamma = (x: number): number => {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0]!
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/**
 * One Poisson(mean) draw from a uniform source on [0, 1). Mean 0 gives 0.
 *
 * @example
 * import alea from 'seedrandom/lib/alea.js'
 * const rng = alea('seed')
 * poisson(1, rng) // => 0  (draws are 0, 1, 2, … with P(k) = e^-1 / k!)
 *
 * @category bootstrap
 * @since 0.1.0
 */
export const poisson = (mean: number, uniform: () => number): number => {
  if (!(mean > 0)) return 0
  if (mean < 10) {
    // Inversion: walk the cdf from 0.
    let k = 0
    let p = Math.exp(-mean)
    let s = p
    const u = uniform()
    while (u > s) {
      k++
      p *= mean / k
      s += p
      if (p === 0 && s < u) break // u above the representable cdf: stay at the tail reached
    }
    return k
  }
  const slam = Math.sqrt(mean)
  const loglam = Math.log(mean)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invalpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const U = uniform() - 0.5
    const V = uniform()
    const us = 0.5 - Math.abs(U)
    const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43)
    if (us >= 0.07 && V <= vr) return k
    if (k < 0 || (us < 0.013 && V > us)) continue
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logGamma(k + 1)) return k
  }
}
