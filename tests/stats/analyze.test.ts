import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { leftTag, right } from '../_either'
import { arbAnything } from '../_statsArbitraries'
import { analyze, formatPValue, summarize } from '../../src/stats/analyze'
import { betaBinomial } from '../../src/stats/bayesian/betaBinomial'
import { lift } from '../../src/stats/frequentist/lift'
import { sampleRatioMismatch } from '../../src/stats/frequentist/sampleRatioMismatch'

const arbExperiment = fc
  .array(fc.integer({ min: 50, max: 200_000 }).chain((units) => fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 1, max: units - 1 }) })), { minLength: 2, maxLength: 4 })
  .map((arms) => ({ arms: arms.map((a, i) => ({ name: `v${i}`, ...a })) }))

describe('analyze', () => {
  test.prop([arbExperiment], { numRuns: 40 })('each comparison is the lift and exact P(better) of that pair; the SRM check is against equal weights', (data) => {
    const a = right(analyze()(data))
    const [control, ...treatments] = data.arms
    const strip = ({ name: _n, ...arm }: (typeof data.arms)[number]) => arm
    treatments.forEach((t, i) => {
      const c = a.comparisons[i]!
      const l = right(lift()({ control: strip(control!), treatment: strip(t) }))
      expect(c.name).toBe(t.name)
      expect(c.estimate).toBe(l.estimate)
      expect(c.pValue).toBe(l.pValue)
      expect(c.probabilityBetter).toBe(right(betaBinomial({ draws: 100 })({ control: strip(control!), treatment: strip(t) })).probabilityTreatmentBetter)
    })
    expect(a.sampleRatio).toEqual(right(sampleRatioMismatch(data.arms.map(() => 1))(data.arms.map((x) => x.units))))
  })

  test.prop([arbExperiment], { numRuns: 40 })('the text summary has one line per treatment naming both arms and the SRM verdict', (data) => {
    const a = right(analyze()(data))
    const lines = summarize()(a).split('\n')
    expect(lines).toHaveLength(data.arms.length - 1)
    lines.forEach((line, i) => {
      expect(line.startsWith(`v${i + 1} vs v0: `)).toBe(true)
      expect(line.includes('sample ratio OK')).toBe(!a.sampleRatio.mismatch)
    })
    const md = summarize({ format: 'markdown' })(a)
    expect(md.split('\n').filter((l) => l.startsWith('| v'))).toHaveLength(data.arms.length)
  })

  it('reads like the issue asks, and flags a sample ratio mismatch', () => {
    const data = { arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10050, conversions: 1123 }] }
    const text = pipe(data, analyze(), E.map(summarize()))
    expect(text).toEqual(E.right(expect.stringMatching(/^B vs A: \+11\.7% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), p = 0\.\d{3}, P\(B > A\) = \d+\.\d%, sample ratio OK$/)))
    const skewed = { arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 11000, conversions: 1123 }] }
    expect(pipe(skewed, analyze(), E.map(summarize()))).toEqual(E.right(expect.stringContaining('SAMPLE RATIO MISMATCH')))
    const designed = { arms: skewed.arms, weights: [10, 11] }
    expect(right(analyze()(designed)).sampleRatio.mismatch).toBe(false)
  })

  it('uses CUPED when every arm has a covariate, and the Gaussian model for means', () => {
    const arm = (n: number, m: number) => ({ units: n, sum: n * m, sumSquares: n * (m * m + 4), covariate: { sum: n * 10, sumSquares: n * 104, productSum: n * (10 * m + 3) } })
    const a = right(analyze()({ arms: [{ name: 'A', ...arm(1000, 10) }, { name: 'B', ...arm(1000, 10.4) }] }))
    expect(a.cuped).toBe(true)
    expect(a.comparisons[0]!.varianceReduction).toBeGreaterThan(0)
    expect(summarize()(a)).toContain('CUPED')
  })

  it('names the problem in bad input', () => {
    const dup = analyze()({ arms: [{ name: 'A', units: 10, conversions: 1 }, { name: 'A', units: 10, conversions: 2 }] })
    expect(E.isLeft(dup) && dup.left._tag === 'InvalidInput' && dup.left.issues[0]!.path).toBe('arms[1].name')
    const mixed = analyze()({ arms: [{ name: 'A', units: 10, conversions: 1 }, { name: 'B', units: 10, sum: 2, sumSquares: 4 }] } as never)
    expect(E.isLeft(mixed) && mixed.left._tag === 'InvalidInput' && mixed.left.issues[0]!.path).toBe('arms[1]')
    expect(leftTag(analyze()({ arms: [{ name: 'A', units: 10, conversions: 1 }, { name: 'B', units: 10, conversions: 1 }], control: 'Z' }))).toBe('InvalidInput')
    expect(leftTag(analyze()({ arms: [{ name: 'A', units: 0, conversions: 0 }, { name: 'B', units: 10, conversions: 1 }] }))).toBe('InsufficientData')
  })

  test.prop([arbAnything])('never throws', (u) => {
    expect(() => analyze()(u as never)).not.toThrow()
  })

  it('shows an absolute difference of rates in percentage points', () => {
    const a = right(analyze({ type: 'absolute' })({ arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10000, conversions: 1150 }] }))
    expect(summarize()(a)).toMatch(/^B vs A: \+1\.50 pp \(95% CI \+0\.\d\d pp to \+2\.\d\d pp\)/)
  })

  it('formats p-values by size', () => {
    expect([0.5, 0.03512, 0.0021, 3.14e-12, 0].map(formatPValue)).toEqual(['0.50', '0.035', '0.002', '3.1e-12', '< 1e-300'])
  })
})

describe('summary wording at the extremes', () => {
  it('a near-certain probability reads "P(B > A) > 99.9%", never "= > 99.9%"', () => {
    const strong = { arms: [{ name: 'A', units: 20_000, conversions: 2_000 }, { name: 'B', units: 20_000, conversions: 2_400 }] }
    const text = right(pipe(strong, analyze(), E.map(summarize())))
    expect(text).toContain('P(B > A) > 99.9%')
    expect(text).not.toContain('= >')
    const weak = { arms: [{ name: 'A', units: 20_000, conversions: 2_400 }, { name: 'B', units: 20_000, conversions: 2_000 }] }
    expect(right(pipe(weak, analyze(), E.map(summarize())))).toContain('P(B > A) < 0.1%')
  })
})
