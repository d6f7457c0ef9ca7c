import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { chiSquareGof, chiSquareIndependence } from '../_chiSquare'
import { logGamma } from '../../src/report/gamma'
import { binomialHalf, laneHash, textHash, uniformSource, unitMask } from '../../src/report/internal/draws'
import { drawer, journeyWeights } from '../../src/report/internal/journeyDraws'
import { countAt, lastWordMask } from '../../src/report/internal/slicedNumber'

const bit = (words: Int32Array, r: number) => (words[r >>> 5]! >>> (r & 31)) & 1

/** P(K = k) for K ~ Binomial(n, 1/2), in log space. */
const binomialPmf = (n: number, k: number): number => Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) - n * Math.LN2)

describe('bootstrap draws', () => {
  it('logGamma matches ln((n-1)!) and ln Γ(1/2) = ln √π', () => {
    let f = 0
    for (let n = 1; n < 60; n++) {
      expect(Math.abs(logGamma(n) - f)).toBeLessThanOrEqual(1e-12 * Math.max(1, f))
      f += Math.log(n)
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
  })

  it('unit masks: fair bits, independent across replicates, units and journeys (chi-square)', () => {
    const R = 200
    const W = 7
    const out = new Int32Array(W)
    const ones = new Array<number>(R).fill(0)
    // 2x2 tables: neighbouring replicates of one unit, the same replicate of neighbouring units and journeys.
    const pairs = [0, 1, 2].map(() => [
      [0, 0],
      [0, 0],
    ])
    const prev = new Int32Array(W)
    const N = 6000
    for (let j = 0; j < N; j++) {
      const h1 = Math.imul(j, 0x9e3779b1) | 0
      unitMask(h1, j, 2, out, 0, W, lastWordMask(R))
      for (let r = 0; r < R; r++) ones[r]! += bit(out, r)
      for (let r = 0; r + 1 < R; r += 2) pairs[0]![bit(out, r)]![bit(out, r + 1)]!++
      unitMask(h1, j, 3, prev, 0, W, lastWordMask(R))
      for (let r = 0; r < R; r += 3) pairs[1]![bit(out, r)]![bit(prev, r)]!++
      const next = new Int32Array(W)
      unitMask(Math.imul(j + 1, 0x9e3779b1) | 0, j + 1, 2, next, 0, W, lastWordMask(R))
      for (let r = 1; r < R; r += 3) pairs[2]![bit(out, r)]![bit(next, r)]!++
      // Nothing past the last replicate.
      expect(out[W - 1]! & ~lastWordMask(R)).toBe(0)
    }
    // Every replicate's bit is fair over the journeys.
    const total = ones.reduce((a, b) => a + b, 0)
    expect(chiSquareGof([total, R * N - total], [0.5, 0.5])).toBeGreaterThan(1e-4)
    for (const r of [0, 31, 32, 100, 199]) expect(Math.abs(ones[r]! - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4))
    for (const t of pairs) expect(chiSquareIndependence(t)).toBeGreaterThan(1e-4)
  })

  for (const n of [65, 100, 1000, 1e6]) {
    it(`binomialHalf(${n}) follows Binomial(n, 1/2) (chi-square goodness of fit, 20 000 seeded draws)`, () => {
      const uniform = uniformSource(n, 7, -1)
      const draws = Array.from({ length: 20_000 }, () => binomialHalf(n, uniform))
      const mean = n / 2
      const sd = Math.sqrt(n / 4)
      const lo = Math.floor(mean - 3 * sd)
      const hi = Math.ceil(mean + 3 * sd)
      // Cells: below lo, [lo, hi] in about 30 bins, above hi.
      const width = Math.max(1, Math.ceil((hi - lo + 1) / 30))
      const cells = Math.ceil((hi - lo + 1) / width)
      const observed = new Array<number>(cells + 2).fill(0)
      for (const d of draws) observed[d < lo ? 0 : d > hi ? cells + 1 : 1 + Math.floor((d - lo) / width)]!++
      const shares = new Array<number>(cells + 2).fill(0)
      for (let k = Math.max(0, lo - 10 * Math.ceil(sd)); k <= Math.min(n, hi + 10 * Math.ceil(sd)); k++) {
        const cell = k < lo ? 0 : k > hi ? cells + 1 : 1 + Math.floor((k - lo) / width)
        shares[cell]! += binomialPmf(n, k)
      }
      expect(chiSquareGof(observed, shares)).toBeGreaterThan(1e-4)
      expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= n)).toBe(true)
      const m = draws.reduce((s, x) => s + x, 0) / draws.length
      expect(Math.abs(m - mean)).toBeLessThan(5 * sd / Math.sqrt(draws.length))
    })
  }

  it('uniform sources lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = uniformSource(1, 2, 3)
    const xs = Array.from({ length: 50_000 }, u)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const m = xs.reduce((a, b) => a + b, 0) / xs.length
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / xs.length))
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.002)
  })

  test.prop([fc.array(fc.integer(), { minLength: 2, maxLength: 20 }), fc.nat()])(
    'the journey hash tells word sequences apart, order included (draws differ for different journeys)',
    (words, at) => {
      const digest = (ws: ReadonlyArray<number>) => {
        const h = laneHash()
        h.reset(1, 2)
        for (const w of ws) h.word(w)
        h.digest()
        return [h.h1, h.h2]
      }
      const i = at % (words.length - 1)
      fc.pre(words[i] !== words[i + 1])
      const swapped = [...words]
      swapped[i] = words[i + 1]!
      swapped[i + 1] = words[i]!
      expect(digest(swapped)).not.toEqual(digest(words))
      expect(digest(words.slice(1))).not.toEqual(digest(words))
      expect(digest(words)).toEqual(digest([...words]))
      expect(textHash('search')).not.toEqual(textHash('searcH'))
    },
  )

  // Draws are seeded by channel names, not indexes: a drawer that registered many channels (its name tables grown
  // past their first 16) draws a journey as one that registered only the journey's own.
  const pool = Array.from({ length: 40 }, (_, i) => `channel-${i}`)
  test.prop([fc.shuffledSubarray(pool, { minLength: 40, maxLength: 40 }), fc.array(fc.nat(39), { minLength: 1, maxLength: 6 }), fc.nat(3), fc.nat(2)], { numRuns: 60 })(
    'a journey draws the same whatever the channels registered before it',
    (order, picks, conversions, nulls) => {
      const R = 70
      const channels = picks.map((i) => pool[i]!)
      const d = drawer(R, 'seed')
      order.forEach((name, i) => d.channel(i, name))
      d.draw(channels.map((c) => order.indexOf(c)), channels.length, conversions, 0, nulls, undefined, undefined)
      const alone = journeyWeights(R, 'seed')({ channels, conversions, value: 0, nulls })
      expect(Array.from({ length: R }, (_, r) => 2 * countAt(d.draws.conv, r))).toEqual(alone.conversions)
      expect(Array.from({ length: R }, (_, r) => 2 * countAt(d.draws.nulls, r))).toEqual(alone.nulls)
    },
  )
})
