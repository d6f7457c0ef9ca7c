import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { expectClose } from '../_close'
import { leftTag, right } from '../_either'
import { arbAnything } from '../_statsArbitraries'
import tails from '../golden/stats-tails.json'
import { analyze } from '../../src/stats/analyze'
import { formatPValue, summarize } from '../../src/stats/summarize'
import { betaBinomial } from '../../src/stats/bayesian/betaBinomial'
import { compareToControl } from '../../src/stats/frequentist/compareToControl'
import { cuped } from '../../src/stats/frequentist/cuped'
import { lift } from '../../src/stats/frequentist/lift'
import { sampleRatioMismatch } from '../../src/stats/frequentist/sampleRatioMismatch'
import { normalCdf } from '../../src/stats/internal/normal'
import { confidenceSequence } from '../../src/stats/sequential/confidenceSequence'

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
      // The same exact P(B > A) to the 1e-9 relative the docs promise. analyze took the short closed form where
      // betaBinomial integrates: seed -1484718594 (5,369/6,401 against 21,054/27,926) gave 3.3419734472e-51 against
      // 3.3419734551e-51, 2.4e-9 apart; mpmath at 45 digits: 3.3419734551e-51, betaBinomial's.
      const p = right(betaBinomial({ draws: 100 })({ control: strip(control!), treatment: strip(t) })).probabilityTreatmentBetter
      expectClose('analyze P(better)', Math.min(c.probabilityBetter, 1 - c.probabilityBetter), Math.min(p, 1 - p), { rel: 1e-9, abs: 1e-300 })
    })
    expect(a.sampleRatio).toEqual(right(sampleRatioMismatch(data.arms.map(() => 1))(data.arms.map((x) => x.units))))
  })

  test.prop([arbExperiment, fc.constantFrom('none' as const, 'bonferroni' as const, 'holm' as const, 'benjamini-hochberg' as const), fc.constantFrom('relative' as const, 'absolute' as const)], { numRuns: 40 })(
    'corrections adjust p-values and widen intervals exactly as compareToControl does',
    (data, correction, type) => {
      const a = right(analyze({ correction, type })(data))
      const [control, ...treatments] = data.arms.map(({ name: _n, ...arm }) => arm)
      const c = right(compareToControl({ correction, type })({ control: control!, treatments }))
      expect(a.comparisons.map((x) => x.adjustedPValue)).toEqual(c.map((x) => x.adjustedPValue))
      expect(a.comparisons.map((x) => x.interval)).toEqual(c.map((x) => x.interval))
      expect(a.intervalLevel).toBe(c[0]!.level)
    },
  )

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

  it('with CUPED every figure is adjusted: the estimate, P(better) and the always-valid interval', () => {
    const arm = (n: number, m: number, c: number) => ({ units: n, sum: n * m, sumSquares: n * (m * m + 4), covariate: { sum: n * c, sumSquares: n * (c * c + 4), productSum: n * (c * m + 3) } })
    const control = arm(2000, 10, 10)
    const treatment = arm(2000, 10.3, 10.1)
    const a = right(analyze({ sequential: true })({ arms: [{ name: 'A', ...control }, { name: 'B', ...treatment }] }))
    const c = right(cuped()({ control, treatment }))
    const cmp = a.comparisons[0]!
    expect(cmp.estimate).toBe(c.estimate)
    expect(cmp.pValue).toBe(c.pValue)
    // P(better) is the Gaussian model's (flat prior) on the CUPED estimate: Φ(estimate / se).
    expectClose('CUPED P(better)', cmp.probabilityBetter, normalCdf(c.estimate / c.standardError), { rel: 1e-12 })
    // The always-valid interval is centred on the CUPED estimate with the multiplier the unadjusted sequence uses.
    const raw = right(confidenceSequence()({ control: { units: 2000, sum: control.sum, sumSquares: control.sumSquares }, treatment: { units: 2000, sum: treatment.sum, sumSquares: treatment.sumSquares } }))
    const multiplier = (raw.interval.upper - raw.interval.lower) / (2 * raw.standardError)
    expectClose('CUPED sequence centre', (cmp.sequentialInterval!.lower + cmp.sequentialInterval!.upper) / 2, c.estimate, { rel: 1e-12 })
    expectClose('CUPED sequence width', (cmp.sequentialInterval!.upper - cmp.sequentialInterval!.lower) / 2, multiplier * c.standardError, { rel: 1e-12 })
  })

  it('names the control: the one the data names, else the first arm, and says which', () => {
    const arms = [{ name: 'treatment', units: 1000, conversions: 130 }, { name: 'control', units: 1000, conversions: 100 }]
    const named = right(analyze()({ arms, control: 'control' }))
    expect(named.control).toEqual({ name: 'control', chosenBy: 'name' })
    expect(named.comparisons[0]!.name).toBe('treatment')
    expect(named.comparisons[0]!.estimate).toBeGreaterThan(0)
    const first = right(analyze()({ arms }))
    expect(first.control).toEqual({ name: 'treatment', chosenBy: 'first arm' })
  })

  it('answers at 1e12 units per arm, P(better) exact to 1e-9 (mpmath, tests/golden/stats-tails.json)', () => {
    const c = tails.betaComparisons.find((x) => x.probability < 1e-170 && x.x[1]! > 9e11)!
    const arm = (name: string, [a, b]: ReadonlyArray<number>) => ({ name, units: a! + b! - 2, conversions: a! - 1 })
    const r = right(analyze({ sequential: true })({ arms: [arm('A', c.y), arm('B', c.x)], control: 'A' }))
    expectClose('analyze 1e12', r.comparisons[0]!.probabilityBetter, c.probability, { rel: 1e-9 })
  })

  it('options are strict and named: srmThreshold (not threshold), correction (not method), booleans are booleans', () => {
    const data = { arms: [{ name: 'A', units: 100, conversions: 10 }, { name: 'B', units: 100, conversions: 20 }] }
    const paths = (o: unknown) => {
      const r = analyze(o as never)(data)
      return r._tag === 'Left' && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path).sort() : []
    }
    expect(paths({ srmThreshold: 2 })).toEqual(['srmThreshold'])
    expect(paths({ correction: 'yes' })).toEqual(['correction'])
    expect(paths({ sequential: 'true', cuped: 'false' })).toEqual(['cuped', 'sequential'])
    expect(paths({ level: '0.95', tunning: 10 })).toEqual(['level', 'tunning'])
    expect(paths({ prior: { alpha: 1 } })).toEqual(['prior.beta'])
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
    expect([0.5, 0.03512, 0.0021, 3.14e-12, 0, 1e-305].map(formatPValue)).toEqual(['0.50', '0.035', '0.002', '3.1e-12', '< 1e-300', '< 1e-300'])
    expect([Number.NaN, -1, 2, '0.5' as never].map(formatPValue)).toEqual(['n/a', 'n/a', 'n/a', 'n/a'])
  })

  it('a p-value beyond double precision reads "p < 1e-300", never "p = < 1e-300"', () => {
    const huge = { arms: [{ name: 'A', units: 1_000_000, conversions: 100_000 }, { name: 'B', units: 1_000_000, conversions: 200_000 }] }
    const text = right(pipe(huge, analyze(), E.map(summarize())))
    expect(text).toContain('p < 1e-300')
    expect(text).not.toContain('= <')
    expect(right(pipe(huge, analyze(), E.map(summarize({ format: 'markdown' }))))).toContain('| < 1e-300 |')
  })

  it('summarize says so, rather than throwing, when given something that is not an analysis', () => {
    expect(summarize()(null as never)).toMatch(/^not an analysis/)
    expect(summarize({ format: 'markdown' })({ comparisons: [{}] } as never)).toMatch(/^not an analysis/)
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
