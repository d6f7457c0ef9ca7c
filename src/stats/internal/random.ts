/**
 * Seeded random draws for Monte Carlo: Alea (seedrandom's 1.6 KB generator, never the main entry that autoseeds
 * from crypto), Marsaglia–Tsang gamma variates and beta variates as ratios of gammas. Each call builds its own
 * generator from the seed, so results are reproducible and nothing is shared between calls.
 *
 * @internal
 * @module
 */
/// <reference path="./vendor.d.ts" />
import alea from 'seedrandom/lib/alea.js'

/** @internal A stream of uniforms in (0, 1), standard normals and gamma/beta variates. */
export interface Rng {
  readonly uniform: () => number
  readonly normal: () => number
  readonly gamma: (shape: number) => number
  readonly beta: (a: number, b: number) => number
}

/** @internal A generator seeded by `seed` (any string). */
export const rng = (seed: string): Rng => {
  const prng = alea(seed)
  // double() has 53 random bits; reject the exact 0 so logs stay finite.
  const uniform = (): number => {
    let u = prng.double()
    while (u === 0) u = prng.double()
    return u
  }
  let spare = Number.NaN
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const s = spare
      spare = Number.NaN
      return s
    }
    // Marsaglia's polar method: two normals per accepted pair.
    for (;;) {
      const u = 2 * uniform() - 1
      const v = 2 * uniform() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s)
        spare = v * f
        return u * f
      }
    }
  }
  const gamma = (shape: number): number => {
    if (shape < 1) {
      // Boost to shape + 1 and scale back (Marsaglia & Tsang 2000, section 6).
      return gamma(shape + 1) * Math.pow(uniform(), 1 / shape)
    }
    const d = shape - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    for (;;) {
      let x: number
      let v: number
      do {
        x = normal()
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const u = uniform()
      if (u < 1 - 0.0331 * x * x * x * x) return d * v
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
    }
  }
  const beta = (a: number, b: number): number => {
    const x = gamma(a)
    const y = gamma(b)
    return x / (x + y)
  }
  return { uniform, normal, gamma, beta }
}
