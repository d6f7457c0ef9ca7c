/**
 * Coverage of the bootstrap intervals, by seeded simulation. A population of journey types (paths, each with an
 * expected number of journeys and a conversion probability) is sampled again and again (journeys per type
 * ~ Poisson, conversions ~ Binomial), each sample is reduced and reported with 200 double-or-nothing replicates,
 * and we count how often the 95% interval contains the population's value: the credit the model gives the
 * expected counts. For credits that are counts (first touch, linear) the estimand is exact; for Markov it is the
 * plug-in value on the population chain, which the estimator reaches as the sample grows.
 *
 * Beside it, the same samples under the Poisson bootstrap the report used before (Poisson(c) and Poisson(u)
 * weights per row and replicate, attribution reduced again per replicate). Percentile intervals of either scheme
 * cover a little under 95% at this size (about 94% on average, down to 91.5% for a statistic whose samples
 * happened to fall far from its mean: the statistics share samples, so their coverages move together), and the
 * two schemes agree statistic by statistic. A scheme with the wrong variance does not: halving it covers about
 * 83%, doubling it 99.5%.
 */
import * as E from 'fp-ts/Either'
import alea from 'seedrandom/lib/alea.js'
import { describe, expect, it } from 'vitest'
import { accumulator } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { DEFAULT_SETTINGS, type Journey, type ModelName } from '../../src/attribution/model'
import { reportSettings } from '../../src/report/accumulate'
import { buildReport, quantileSorted } from '../../src/report/build'
import { logGamma } from '../../src/report/gamma'
import { reduceBoth } from './_helpers'

/** Journey types: expected journeys (about 6 000 in all, 1 000 converting) and conversion rates. */
const TYPES: ReadonlyArray<{ readonly path: ReadonlyArray<string>; readonly mean: number; readonly rate: number }> = [
  { path: ['display'], mean: 1200, rate: 0.05 },
  { path: ['display', 'search'], mean: 1000, rate: 0.2 },
  { path: ['display', 'search', 'email'], mean: 480, rate: 0.35 },
  { path: ['search'], mean: 800, rate: 0.15 },
  { path: ['search', 'email'], mean: 600, rate: 0.3 },
  { path: ['email'], mean: 400, rate: 0.25 },
  { path: ['social', 'display', 'search'], mean: 360, rate: 0.25 },
  { path: ['social'], mean: 800, rate: 0.04 },
  { path: ['social', 'email', 'email'], mean: 240, rate: 0.4 },
  { path: ['display', 'social', 'search', 'email'], mean: 200, rate: 0.45 },
]

/**
 * One Poisson(mean) draw: inversion below 10, Hörmann's PTRS above (the sampler the report's Poisson bootstrap used).
 */
const poisson = (mean: number, uniform: () => number): number => {
  if (!(mean > 0)) return 0
  if (mean < 10) {
    let k = 0
    let p = Math.exp(-mean)
    let s = p
    const u = uniform()
    while (u > s && p > 0) {
      k++
      p *= mean / k
      s += p
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

const MODELS: ReadonlyArray<ModelName> = ['first', 'linear', 'markov']

describe('bootstrap interval coverage', () => {
  it('95% intervals contain the population credit about 95% of the time, as the Poisson bootstrap does on the same samples', () => {
    // The population's credits: every model on the expected counts.
    const acc = accumulator(DEFAULT_SETTINGS)
    for (const t of TYPES) acc.add({ channels: t.path, conversions: t.mean * t.rate, value: 0, nulls: t.mean * (1 - t.rate) })
    const population = attribute({ models: MODELS })(acc.snapshot())
    if (E.isLeft(population)) throw new Error('population')
    const truth = new Map(population.right.channels.map((c) => [c.channel, c.credits] as const))

    const samples = 300
    const replicates = 200
    const random = alea('coverage')
    const covered = new Map<string, number>()
    const coveredPoisson = new Map<string, number>()
    const count = (m: Map<string, number>, key: string, hit: boolean) => m.set(key, (m.get(key) ?? 0) + (hit ? 1 : 0))
    for (let s = 0; s < samples; s++) {
      const rows: Array<Journey> = TYPES.map((t) => {
        const n = poisson(t.mean, random)
        let c = 0
        for (let i = 0; i < n; i++) if (random() < t.rate) c++
        return { channels: t.path, conversions: c, value: 0, nulls: n - c }
      })
      const report = buildReport({ models: MODELS })(reduceBoth(rows, reportSettings(DEFAULT_SETTINGS, { replicates, seed: `sample ${s}` })))
      if (E.isLeft(report)) throw new Error('report')
      expect(report.right.bootstrap.used).toBe(replicates)
      for (const tp of report.right.touchpoints) {
        for (const m of MODELS) {
          const iv = tp.credits[m]!.interval!
          const value = truth.get(tp.channel)![m]!.conversions
          count(covered, `${m} ${tp.channel}`, iv.lower <= value && value <= iv.upper)
        }
      }
      // The Poisson bootstrap on the same sample.
      const rng = alea(`poisson ${s}`)
      const draws = new Map<string, Array<number>>()
      for (let r = 0; r < replicates; r++) {
        const a = accumulator(DEFAULT_SETTINGS)
        for (const row of rows) a.add({ ...row, conversions: poisson(row.conversions, rng), nulls: poisson(row.nulls, rng) })
        const out = attribute({ models: MODELS })(a.snapshot())
        if (E.isLeft(out)) continue
        for (const c of out.right.channels) {
          for (const m of MODELS) {
            const key = `${m} ${c.channel}`
            const xs = draws.get(key) ?? []
            xs.push(c.credits[m]!.conversions)
            draws.set(key, xs)
          }
        }
      }
      for (const [key, xs] of draws) {
        xs.sort((a, b) => a - b)
        const [m, channel] = key.split(' ') as [ModelName, string]
        const value = truth.get(channel)![m]!.conversions
        count(coveredPoisson, key, quantileSorted(0.025)(xs) <= value && value <= quantileSorted(0.975)(xs))
      }
    }
    const sd = Math.sqrt((0.95 * 0.05) / samples)
    const mean = (m: Map<string, number>) => [...m.values()].reduce((a, n) => a + n / samples, 0) / m.size
    // On average over the statistics, nominal within binomial error (the error of one share: the shares move together).
    expect(Math.abs(mean(covered) - 0.95)).toBeLessThanOrEqual(3.5 * sd)
    expect(Math.abs(mean(covered) - mean(coveredPoisson))).toBeLessThanOrEqual(sd)
    for (const [key, n] of covered) {
      // Statistic by statistic, what the Poisson bootstrap covers on the same samples (paired: they rarely disagree)...
      expect(Math.abs(n - coveredPoisson.get(key)!) / samples, key).toBeLessThanOrEqual(0.03)
      // ...and near nominal: a variance off by a factor of two moves a share by 8 to 12 points.
      expect(Math.abs(n / samples - 0.95), key).toBeLessThanOrEqual(0.05)
    }
  }, 300_000)
})
