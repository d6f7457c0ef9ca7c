import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import golden from '../../golden/stats-cuped.json'
import { expectClose } from '../../_close'
import { leftTag, right } from '../../_either'
import { arbAnything } from '../../_statsArbitraries'
import { cuped } from '../../../src/stats/frequentist/cuped'

describe('cuped against adjusted raw rows (numpy)', () => {
  it('theta, estimate, standard error, df, p and variance reduction', () => {
    for (const c of golden.cases) {
      const label = `${c.control.units}/${c.treatment.units}`
      const a = right(cuped({ type: 'absolute' })({ control: c.control, treatment: c.treatment }))
      // Sums of squares of 20 000 rows lose about 1e-12 relative to cancellation; 1e-8 leaves room.
      expectClose('cuped.theta', a.theta, c.theta, { rel: 1e-9 }, label)
      expectClose('cuped.estimate', a.estimate, c.absolute.estimate, { rel: 1e-8, abs: 1e-12 }, label)
      expectClose('cuped.standardError', a.standardError, c.absolute.standardError, { rel: 1e-8 }, label)
      expectClose('cuped.df', a.df, c.absolute.df, { rel: 1e-8 }, label)
      expectClose('cuped.pValue', a.pValue, c.absolute.pValue, { rel: 1e-7, abs: 1e-300 }, label)
      expectClose('cuped.varianceReduction', a.varianceReduction, c.absolute.varianceReduction, { rel: 1e-8 }, label)
      const r = right(cuped({ type: 'relative' })({ control: c.control, treatment: c.treatment }))
      expectClose('cuped.estimate', r.estimate, c.relative.estimate, { rel: 1e-8, abs: 1e-12 }, label)
      expectClose('cuped.standardError', r.standardError, c.relative.standardError, { rel: 1e-8 }, label)
      expectClose('cuped.pValue', r.pValue, c.relative.pValue, { rel: 1e-7, abs: 1e-300 }, label)
    }
  })
})

const arbArm = fc
  .record({ units: fc.integer({ min: 3, max: 10_000 }), my: fc.double({ min: 1, max: 100, noNaN: true }), mx: fc.double({ min: -50, max: 50, noNaN: true }), sy: fc.double({ min: 0.5, max: 20, noNaN: true }), sx: fc.double({ min: 0.5, max: 20, noNaN: true }), r: fc.double({ min: -0.95, max: 0.95, noNaN: true }) })
  .map(({ units: n, my, mx, sy, sx, r }) => ({
    units: n,
    sum: n * my,
    sumSquares: (n - 1) * sy * sy + n * my * my,
    covariate: { sum: n * mx, sumSquares: (n - 1) * sx * sx + n * mx * mx, productSum: (n - 1) * r * sx * sy + n * mx * my },
  }))

describe('cuped properties', () => {
  test.prop([arbArm, arbArm, fc.double({ min: -100, max: 100, noNaN: true })])(
    'p in [0, 1]; shifting the covariate by a constant changes nothing (θ, estimate, standard error)',
    (control, treatment, c) => {
      const r = cuped({ type: 'absolute' })({ control, treatment })
      if (leftTag(r) !== undefined) return
      const x = right(r)
      expect(x.pValue).toBeGreaterThanOrEqual(0)
      expect(x.pValue).toBeLessThanOrEqual(1)
      const shift = (a: typeof control) => ({
        ...a,
        covariate: { sum: a.covariate.sum + a.units * c, sumSquares: a.covariate.sumSquares + 2 * c * a.covariate.sum + a.units * c * c, productSum: a.covariate.productSum + c * a.sum },
      })
      const y = right(cuped({ type: 'absolute' })({ control: shift(control), treatment: shift(treatment) }))
      expectClose('cuped shift θ', y.theta, x.theta, { rel: 1e-6, abs: 1e-9 })
      expectClose('cuped shift estimate', y.estimate, x.estimate, { rel: 1e-6, abs: 1e-7 })
      expectClose('cuped shift se', y.standardError, x.standardError, { rel: 1e-6, abs: 1e-9 })
    },
  )

  it('a strongly correlated covariate removes most of the variance; a missing covariate is a Left', () => {
    const c = golden.cases[0]!
    expect(right(cuped()({ control: c.control, treatment: c.treatment })).varianceReduction).toBeGreaterThan(0.7)
    const { covariate: _unused, ...noCov } = c.control
    expect(leftTag(cuped()({ control: noCov, treatment: c.treatment }))).toBe('InvalidInput')
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => cuped()(u as never)).not.toThrow()
  })
})
