import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-distributions.json'
import { expectClose } from '../../_close'
import { normalCdf, normalIsf, normalQuantile, normalSf } from '../../../src/stats/internal/normal'
import { studentTCdf, studentTIsf, studentTSf } from '../../../src/stats/internal/studentT'
import { chiSquareCdf, chiSquareSf } from '../../../src/stats/internal/chiSquare'
import { betaPdf, betaQuantile, incompleteBeta, lbeta } from '../../../src/stats/internal/beta'
import { lgamma } from '../../../src/stats/internal/stirling'

type Fn = (...args: ReadonlyArray<number>) => number
const fns: Record<string, Fn> = {
  normalSf: (x) => normalSf(x!),
  normalCdf: (x) => normalCdf(x!),
  normalQuantile: (p) => normalQuantile(p!),
  normalIsf: (q) => normalIsf(q!),
  studentTSf: (t, df) => studentTSf(t!, df!),
  studentTIsf: (q, df) => studentTIsf(q!, df!),
  chiSquareSf: (x, df) => chiSquareSf(x!, df!),
  chiSquareCdf: (x, df) => chiSquareCdf(x!, df!),
  incompleteBeta: (x, a, b) => incompleteBeta(x!, 1 - x!, a!, b!).lower,
  incompleteBetaUpper: (x, a, b) => incompleteBeta(x!, 1 - x!, a!, b!).upper,
  betaQuantile: (p, a, b) => betaQuantile(p!, a!, b!),
  lgamma: (x) => lgamma(x!),
  lbeta: (a, b) => lbeta(a!, b!),
}

// Closed forms: 1e-9 relative. lgamma near its roots (x = 1, 2) is compared absolutely.
const tolerance = (fn: string) => (fn === 'lgamma' || fn === 'lbeta' ? { rel: 1e-12, abs: 1e-13 } : { rel: 1e-9, abs: 1e-300 })

describe('distributions against scipy (tests/golden/stats-distributions.json)', () => {
  it.each(Object.keys(fns))('%s', (name) => {
    const cases = golden.cases.filter((c) => c.fn === name)
    expect(cases.length).toBeGreaterThan(0)
    for (const c of cases) expectClose(name, fns[name]!(...c.args), c.expected, tolerance(name), JSON.stringify(c.args))
  })
})

describe('p-values stay accurate in the far tail', () => {
  it('normal tails down to 1e-300 equal the asymptotic series (independent of scipy)', () => {
    // Φ̄(x) = φ(x)/x · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸ …); at x ≥ 20 the truncation error is below 1e-11.
    for (const x of [20, 25, 30, 35, 37]) {
      const phi = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)
      const series = (phi / x) * (1 - 1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6 + 105 / x ** 8 - 945 / x ** 10)
      expectClose('normalSf (asymptotic)', normalSf(x), series, { rel: 1e-9 }, `x=${x}`)
    }
  })
})

describe('distribution properties', () => {
  test.prop([fc.double({ min: -40, max: 40, noNaN: true })])('cdf + sf = 1 and both lie in [0, 1]', (x) => {
    const c = normalCdf(x)
    const s = normalSf(x)
    expect(c).toBeGreaterThanOrEqual(0)
    expect(s).toBeLessThanOrEqual(1)
    expect(Math.abs(c + s - 1)).toBeLessThan(1e-15)
    expect(normalSf(-x)).toBe(c)
  })

  test.prop([fc.double({ min: 1e-300, max: 0.5, noNaN: true })])('quantile inverts the tail', (q) => {
    const z = normalIsf(q)
    expectClose('normalIsf round trip', normalSf(z), q, { rel: 1e-12 })
  })

  test.prop([fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.5, max: 1e10, noNaN: true })])(
    'Student t: symmetric, cdf + sf = 1, monotone in t',
    (t, df) => {
      const s = studentTSf(t, df)
      expect(s).toBeGreaterThanOrEqual(0)
      expect(s).toBeLessThanOrEqual(1)
      expect(Math.abs(studentTCdf(-t, df) - s)).toBeLessThanOrEqual(1e-15)
      expect(studentTSf(t + 0.5, df)).toBeLessThanOrEqual(s)
    },
  )

  test.prop([fc.double({ min: 1e-12, max: 0.5, noNaN: true }), fc.double({ min: 1, max: 1e9, noNaN: true })])('t quantile inverts the tail', (q, df) => {
    expectClose('studentTIsf round trip', studentTSf(studentTIsf(q, df), df), q, { rel: 1e-10 })
  })

  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 1e6, noNaN: true }), fc.double({ min: 0.1, max: 1e6, noNaN: true })])(
    'incomplete beta: lower + upper = 1, both in [0, 1]',
    (x, a, b) => {
      const r = incompleteBeta(x, 1 - x, a, b)
      expect(r.lower).toBeGreaterThanOrEqual(0)
      expect(r.upper).toBeGreaterThanOrEqual(0)
      expect(Math.abs(r.lower + r.upper - 1)).toBeLessThan(1e-12)
    },
  )

  test.prop([fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 })])(
    'beta quantile inverts the cdf',
    (p, a, b) => {
      const x = betaQuantile(p, a, b)
      const r = incompleteBeta(x, 1 - x, a, b)
      // x itself is rounded to a double: allow what one ulp of x moves the cdf by (the problem's conditioning).
      const conditioning = betaPdf(x, 1 - x, a, b) * 4 * Number.EPSILON * x
      expectClose('betaQuantile round trip', p <= 0.5 ? r.lower : r.upper, p <= 0.5 ? p : 1 - p, { rel: 1e-9, abs: 1e-14 + conditioning })
    },
  )

  test.prop([fc.double({ min: 0, max: 2000, noNaN: true }), fc.integer({ min: 1, max: 60 })])('chi-square cdf + sf = 1', (x, df) => {
    expect(Math.abs(chiSquareCdf(x, df) + chiSquareSf(x, df) - 1)).toBeLessThan(1e-14)
  })
})
