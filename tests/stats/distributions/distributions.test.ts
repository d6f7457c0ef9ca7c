/**
 * The exported distribution functions (touchpoint/stats): against mpmath and scipy (tests/golden/stats-distributions.json
 * `public`, and the large-parameter tails of tests/golden/stats-tails.json), round trips, and their Lefts.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-distributions.json'
import tails from '../../golden/stats-tails.json'
import { expectClose } from '../../_close'
import * as S from '../../../src/stats/index'
import type { TouchpointError } from '../../../src/core/errors'
import type * as E from 'fp-ts/Either'

type Fn = (params: never) => (x: number) => E.Either<TouchpointError, number>
const fns: Record<string, Fn> = {
  normalCdf: S.normalCdf as Fn,
  normalSf: S.normalSf as Fn,
  normalQuantile: S.normalQuantile as Fn,
  normalIsf: S.normalIsf as Fn,
  studentTCdf: S.studentTCdf as Fn,
  studentTSf: S.studentTSf as Fn,
  studentTQuantile: S.studentTQuantile as Fn,
  studentTIsf: S.studentTIsf as Fn,
  chiSquareCdf: S.chiSquareCdf as Fn,
  chiSquareSf: S.chiSquareSf as Fn,
  chiSquareQuantile: S.chiSquareQuantile as Fn,
  chiSquareIsf: S.chiSquareIsf as Fn,
  betaCdf: S.betaCdf as Fn,
  betaSf: S.betaSf as Fn,
  betaQuantile: S.betaQuantile as Fn,
  betaIsf: S.betaIsf as Fn,
  gammaCdf: S.gammaCdf as Fn,
  gammaSf: S.gammaSf as Fn,
  gammaQuantile: S.gammaQuantile as Fn,
  gammaIsf: S.gammaIsf as Fn,
}

// log B(1/4, 1/2) = log Γ(1/4) + log Γ(1/2) − log Γ(3/4), mpmath.
const lbetaQuarterHalf = 1.6571065161914822

const value = (e: E.Either<TouchpointError, number>): number => {
  if (e._tag === 'Left') throw new Error(`expected a Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('the exported distribution functions against mpmath and scipy', () => {
  it.each(Object.keys(fns))('%s', (name) => {
    const cases = golden.public.filter((c) => c.fn === name)
    expect(cases.length).toBeGreaterThan(5)
    for (const c of cases) {
      expectClose(name, value(fns[name]!(c.params as never)(c.at)), c.expected, { rel: 1e-11, abs: 1e-300 }, JSON.stringify([c.params, c.at]))
    }
  })

  it('large parameters (a + b or the shape up to 1e12), far tails included, to 1e-11 (stats-tails.json)', () => {
    for (const c of tails.incomplete) {
      const [x, a, b] = c.args as [number, number, number]
      const got =
        c.fn === 'incompleteBeta'
          ? S.betaCdf({ alpha: a, beta: b })(x)
          : c.fn === 'incompleteBetaUpper'
            ? S.betaSf({ alpha: a, beta: b })(x)
            : c.fn === 'gammaCdf'
              ? S.gammaCdf({ shape: a })(x)
              : S.gammaSf({ shape: a })(x)
      expectClose(`public ${c.fn}`, value(got), c.expected, { rel: 1e-11 }, JSON.stringify(c.args))
    }
  })
})

describe('distribution round trips and limits', () => {
  test.prop([fc.double({ min: 1e-280, max: 0.5, noNaN: true }), fc.double({ min: 0.05, max: 1e6, noNaN: true })])('chi-square and gamma: the quantile inverts the tail it names', (q, shape) => {
    for (const upper of [false, true]) {
      const x = value((upper ? S.gammaIsf : S.gammaQuantile)({ shape })(q))
      if (!(x > 0 && x < Number.POSITIVE_INFINITY && x > 1e-300)) continue
      const back = value((upper ? S.gammaSf : S.gammaCdf)({ shape })(x))
      // x is a double: allow what one ulp of it moves the tail by (the problem's conditioning, shape·log-slope).
      expectClose('gamma round trip', back, q, { rel: 1e-9 + 1e-15 * (1 + Math.abs(shape - x)) * Math.max(1, x) })
    }
  })

  test.prop([fc.double({ min: 1e-200, max: 0.5, noNaN: true }), fc.double({ min: 0.5, max: 1e7, noNaN: true })])('Student t: quantile and isf invert the cdf and sf', (q, df) => {
    const upper = value(S.studentTIsf({ df })(q))
    const lower = value(S.studentTQuantile({ df })(q))
    expect(lower).toBe(-upper)
    // Heavy tails: at df 0.5 the 1e-200 quantile is ~1e400, beyond a double, and Infinity is the right answer.
    if (!Number.isFinite(upper)) return
    expectClose('t round trip', value(S.studentTSf({ df })(upper)), q, { rel: 1e-9 })
    expectClose('t round trip', value(S.studentTCdf({ df })(lower)), q, { rel: 1e-9 })
  })

  it('limits: ±Infinity points give 0 and 1; the quantiles of 0 and 1 are the ends of the support', () => {
    expect(value(S.normalCdf()(Number.NEGATIVE_INFINITY))).toBe(0)
    expect(value(S.normalSf()(Number.NEGATIVE_INFINITY))).toBe(1)
    expect(value(S.normalQuantile()(0))).toBe(Number.NEGATIVE_INFINITY)
    expect(value(S.normalIsf()(0))).toBe(Number.POSITIVE_INFINITY)
    expect(value(S.chiSquareQuantile({ df: 3 })(0))).toBe(0)
    expect(value(S.chiSquareQuantile({ df: 3 })(1))).toBe(Number.POSITIVE_INFINITY)
    expect(value(S.betaQuantile({ alpha: 2, beta: 3 })(1))).toBe(1)
    expect(value(S.gammaCdf({ shape: 2 })(-5))).toBe(0)
    expect(value(S.studentTCdf({ df: Number.POSITIVE_INFINITY })(1.96))).toBe(value(S.normalCdf()(1.96)))
  })

  it('shrunk cases of the round trips: heavy t tails past the largest double, far lower gamma tails', () => {
    // P(T > t) ~ t^(-df) at df 1/2: the 1e-200 quantile is ~1e400, not a double; the sf of 1e300 is ~1e-150, not 0.
    expect(value(S.studentTIsf({ df: 0.5 })(1e-200))).toBe(Number.POSITIVE_INFINITY)
    expectClose('t sf at 1e300', value(S.studentTSf({ df: 0.5 })(1e300)), 0.5 * Math.exp(0.25 * (Math.log(0.5) - 2 * Math.log(1e300)) - Math.log(0.25) - lbetaQuarterHalf), { rel: 1e-12 })
    const q = value(S.studentTIsf({ df: 0.5000000000000003 })(2.3918971474668717e-155))
    expectClose('t isf near the largest double', value(S.studentTSf({ df: 0.5000000000000003 })(q)), 2.3918971474668717e-155, { rel: 1e-9 })
    // P(a, x) at x/a below 1e-16 was 0 (log1p(-1)): x^10/10! for the 1e-280 quantile of shape 10.
    const x = value(S.gammaQuantile({ shape: 10 })(1e-280))
    expectClose('gamma 1e-280 quantile', x, Math.exp((Math.log(1e-280) + Math.log(3628800)) / 10), { rel: 1e-12 })
  })

  it('bad arguments are Lefts naming them: strict parameters, the point, the probability', () => {
    const paths = (e: E.Either<TouchpointError, number>) => (e._tag === 'Left' && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path).sort() : e)
    expect(paths(S.studentTCdf({ df: '3' } as never)(1))).toEqual(['df'])
    expect(paths(S.studentTCdf({} as never)(1))).toEqual(['df'])
    expect(paths(S.betaCdf({ alpha: 1, beta: 2, gamma: 3 } as never)(0.5))).toEqual(['gamma'])
    expect(paths(S.gammaCdf({ shape: 2, scale: -1 })(0.5))).toEqual(['scale'])
    expect(paths(S.normalCdf({ sd: 0 })(0))).toEqual(['sd'])
    expect(paths(S.normalCdf()(Number.NaN))).toEqual(['x'])
    expect(paths(S.normalCdf()('1' as never))).toEqual(['x'])
    expect(paths(S.normalQuantile()(1.5))).toEqual(['p'])
    expect(paths(S.chiSquareIsf({ df: 2 })(-0.1))).toEqual(['q'])
    expect(paths(S.normalCdf(null as never)(0))).toEqual(['parameters'])
  })
})
