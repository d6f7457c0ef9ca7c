/**
 * touchpoint/stats: time per call of each test, exact P(B > A) at 1k and 1M units per arm against Monte Carlo
 * and a jstat-based version, and the distribution functions side by side with jstat and simple-statistics.
 * Run: npm run bench -- stats   (or: npx tsx benchmarks/stats.bench.ts)
 */
import * as ss from 'simple-statistics'
import { readFileSync } from 'node:fs'
import { measure } from './_harness'
import {
  betaBinomial,
  chiSquareTest,
  confidenceSequence,
  cuped,
  fisherExact,
  gaussianBayes,
  lift,
  msprt,
  nps,
  probabilityToBeBest,
  proportionsZTest,
  sampleRatioMismatch,
  sampleSize,
  welchTTest,
  analyze,
} from '../src/stats/index'
import { normalCdf, normalQuantile, normalSf } from '../src/stats/internal/normal'
import { studentTCdf, studentTSf } from '../src/stats/internal/studentT'
import { chiSquareCdf, chiSquareSf } from '../src/stats/internal/chiSquare'
import { incompleteBeta } from '../src/stats/internal/beta'
import { probabilityGreater } from '../src/stats/internal/betaComparison'
import { jstatBetaln, jstatPeers } from '../src/stats/internal/jstat'

const binomial = { control: { units: 10_000, conversions: 1000 }, treatment: { units: 10_050, conversions: 1123 } }
const continuous = { control: { units: 3407, sum: 1396.87, sumSquares: 52377.9767 }, treatment: { units: 3461, sum: 2422.7, sumSquares: 134698.29 } }
const withCovariate = {
  control: { units: 1000, sum: 10000, sumSquares: 104000, covariate: { sum: 10000, sumSquares: 104000, productSum: 103000 } },
  treatment: { units: 1000, sum: 10400, sumSquares: 112200, covariate: { sum: 10000, sumSquares: 104000, productSum: 107200 } },
}

await measure(
  'touchpoint/stats: one call of each test (binomial 10k/arm unless noted)',
  [
    { name: 'proportionsZTest', run: () => proportionsZTest()(binomial) },
    { name: 'welchTTest', run: () => welchTTest()(continuous) },
    { name: 'lift (relative, t)', run: () => lift()(binomial) },
    { name: 'sampleRatioMismatch', run: () => sampleRatioMismatch([0.5, 0.5])([10_000, 10_050]) },
    { name: 'chiSquareTest (3 arms)', run: () => chiSquareTest()([binomial.control, binomial.treatment, binomial.control]) },
    { name: 'fisherExact (10k/arm)', run: () => fisherExact()(binomial) },
    { name: 'gaussianBayes', run: () => gaussianBayes()(binomial) },
    { name: 'confidenceSequence', run: () => confidenceSequence()(binomial) },
    { name: 'msprt', run: () => msprt({ tau: 0.02 })(binomial) },
    { name: 'cuped', run: () => cuped()(withCovariate) },
    { name: 'sampleSize (classic)', run: () => sampleSize({ metric: { type: 'proportion', baseline: 0.1 } })({ mde: 0.05 }) },
    { name: 'sampleSize (cohen-h)', run: () => sampleSize({ metric: { type: 'proportion', baseline: 0.1 }, method: 'cohen-h' })({ mde: 0.05 }) },
    { name: 'nps', run: () => nps()({ control: { promoters: 420, passives: 300, detractors: 280 }, treatment: { promoters: 470, passives: 290, detractors: 240 } }) },
    { name: 'betaBinomial (100 MC draws)', run: () => betaBinomial({ draws: 100 })(binomial) },
    { name: 'analyze (2 arms)', run: () => analyze()({ arms: [{ name: 'A', ...binomial.control }, { name: 'B', ...binomial.treatment }] }) },
  ],
  { batch: 1, baseline: 'proportionsZTest', time: 300 },
)

/** Evan Miller's sum with every term from jStat.betaln (the reference notes' "jstat-based version"). */
const jstatMiller = (a1: number, b1: number, a2: number, b2: number): number => {
  let total = 0
  for (let i = 0; i < a1; i++) total += Math.exp(jstatBetaln(a2 + i, b1 + b2) - Math.log(b1 + i) - jstatBetaln(1 + i, b1) - jstatBetaln(a2, b2))
  return total
}

const mc = (a1: number, b1: number, a2: number, b2: number, draws: number) =>
  probabilityToBeBest({ draws, seed: 'bench', prior: { alpha: 1, beta: 1 } })([
    { units: a2 + b2 - 2, conversions: a2 - 1 },
    { units: a1 + b1 - 2, conversions: a1 - 1 },
  ])

for (const [label, control, treatment] of [
  ['1k units per arm (100 vs 112 conversions)', { units: 1000, conversions: 100 }, { units: 1000, conversions: 112 }],
  ['1M units per arm (50 000 vs 50 300 conversions)', { units: 1_000_000, conversions: 50_000 }, { units: 1_000_000, conversions: 50_300 }],
] as const) {
  const b = { alpha: 1 + treatment.conversions, beta: 1 + treatment.units - treatment.conversions }
  const a = { alpha: 1 + control.conversions, beta: 1 + control.units - control.conversions }
  const exact = probabilityGreater(b, a).probability
  const viaJstat = jstatMiller(b.alpha, b.beta, a.alpha, a.beta)
  const mcResult = mc(b.alpha, b.beta, a.alpha, a.beta, 100_000)
  const mcP = mcResult._tag === 'Right' ? mcResult.right[1]!.probabilityBest : Number.NaN
  const mean = (l: { alpha: number; beta: number }) => l.alpha / (l.alpha + l.beta)
  const variance = (l: { alpha: number; beta: number }) => (l.alpha * l.beta) / ((l.alpha + l.beta) ** 2 * (l.alpha + l.beta + 1))
  const normalApprox = normalSf(-(mean(b) - mean(a)) / Math.sqrt(variance(a) + variance(b)))
  console.log(`\nP(B > A), ${label}: exact ${exact}`)
  console.log(`  |jstat-based − exact| ${Math.abs(viaJstat - exact).toExponential(2)}   |Monte Carlo 1e5 − exact| ${Math.abs(mcP - exact).toExponential(2)}   |normal approximation − exact| ${Math.abs(normalApprox - exact).toExponential(2)}`)
  await measure(
    `P(B > A), ${label}`,
    [
      { name: 'exact (touchpoint)', run: () => probabilityGreater(b, a) },
      { name: 'jstat betaln per term', run: () => jstatMiller(b.alpha, b.beta, a.alpha, a.beta) },
      { name: 'Monte Carlo 1e5 draws', run: () => mc(b.alpha, b.beta, a.alpha, a.beta, 100_000) },
      { name: 'normal approximation', run: () => normalSf(-(mean(b) - mean(a)) / Math.sqrt(variance(a) + variance(b))) },
    ],
    { batch: 1, baseline: 'exact (touchpoint)', time: label.startsWith('1M') ? 1500 : 400 },
  )
}

const xs = Array.from({ length: 64 }, (_, i) => -6 + (12 * i) / 63)
const ps = Array.from({ length: 64 }, (_, i) => (i + 0.5) / 64)
await measure(
  'normal cdf and quantile, 64 points per call (peers: jstat, simple-statistics)',
  [
    { name: 'touchpoint normalCdf', run: () => xs.reduce((s, x) => s + normalCdf(x), 0) },
    { name: 'jstat normal.cdf', run: () => xs.reduce((s, x) => s + jstatPeers.normalCdf(x), 0) },
    { name: 'ss cumulativeStdNormalProbability', run: () => xs.reduce((s, x) => s + ss.cumulativeStdNormalProbability(x), 0) },
    { name: 'touchpoint normalQuantile', run: () => ps.reduce((s, p) => s + normalQuantile(p), 0) },
    { name: 'jstat normal.inv', run: () => ps.reduce((s, p) => s + jstatPeers.normalInv(p), 0) },
    { name: 'ss probit', run: () => ps.reduce((s, p) => s + ss.probit(p), 0) },
  ],
  { batch: 64, baseline: 'touchpoint normalCdf' },
)

await measure(
  'Student t, chi-square and beta cdf (peer: jstat)',
  [
    { name: 'touchpoint t cdf (df 30)', run: () => studentTCdf(2.1, 30) },
    { name: 'jstat studentt.cdf (df 30)', run: () => jstatPeers.studentTCdf(2.1, 30) },
    { name: 'touchpoint t cdf (df 1e6)', run: () => studentTCdf(2.1, 1e6) },
    { name: 'jstat studentt.cdf (df 1e6)', run: () => jstatPeers.studentTCdf(2.1, 1e6) },
    { name: 'touchpoint chi2 cdf (df 3)', run: () => chiSquareCdf(7.5, 3) },
    { name: 'jstat chisquare.cdf (df 3)', run: () => jstatPeers.chiSquareCdf(7.5, 3) },
    { name: 'touchpoint beta cdf (241, 761)', run: () => incompleteBeta(0.25, 0.75, 241, 761).lower },
    { name: 'jstat beta.cdf (241, 761)', run: () => jstatPeers.betaCdf(0.25, 241, 761) },
    { name: 'touchpoint beta cdf (1e5, 9e5)', run: () => incompleteBeta(0.1, 0.9, 1e5, 9e5).lower },
    { name: 'jstat beta.cdf (1e5, 9e5)', run: () => jstatPeers.betaCdf(0.1, 1e5, 9e5) },
  ],
  { batch: 1, baseline: 'touchpoint t cdf (df 30)' },
)

/** Accuracy side by side: worst relative error against the golden cases (scipy, mpmath) per function. */
const golden = JSON.parse(readFileSync(new URL('../tests/golden/stats-distributions.json', import.meta.url), 'utf8')) as {
  readonly cases: ReadonlyArray<{ readonly fn: string; readonly args: ReadonlyArray<number>; readonly expected: number | string }>
}
const num = (v: number | string) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number))
const rel = (a: number, e: number) => (a === e ? 0 : e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e))
const peers: Record<string, ReadonlyArray<readonly [string, (...a: ReadonlyArray<number>) => number]>> = {
  normalCdf: [
    ['touchpoint', (x) => normalCdf(x!)],
    ['jstat', (x) => jstatPeers.normalCdf(x!)],
    ['simple-statistics', (x) => ss.cumulativeStdNormalProbability(x!)],
  ],
  normalQuantile: [
    ['touchpoint', (p) => normalQuantile(p!)],
    ['jstat', (p) => jstatPeers.normalInv(p!)],
    ['simple-statistics', (p) => ss.probit(p!)],
  ],
  studentTSf: [
    ['touchpoint', (t, df) => studentTSf(t!, df!)],
    ['jstat', (t, df) => 1 - jstatPeers.studentTCdf(t!, df!)],
  ],
  chiSquareSf: [
    ['touchpoint', (x, df) => chiSquareSf(x!, df!)],
    ['jstat', (x, df) => 1 - jstatPeers.chiSquareCdf(x!, df!)],
  ],
  incompleteBeta: [
    ['touchpoint', (x, a, b) => incompleteBeta(x!, 1 - x!, a!, b!).lower],
    ['jstat', (x, a, b) => jstatPeers.betaCdf(x!, a!, b!)],
  ],
}
console.log('\nAccuracy against the golden cases: worst relative error over all cases (and over cases with a value ≥ 1e-6); "1 − cdf" where a peer has no sf')
for (const [fn, list] of Object.entries(peers)) {
  const cases = golden.cases.filter((c) => c.fn === fn)
  const line = list.map(([name, f]) => {
    let worst = 0
    let central = 0
    for (const c of cases) {
      const v = f(...c.args)
      const e = rel(Number.isFinite(v) ? v : NaN, num(c.expected))
      const err = Number.isNaN(e) ? Infinity : e
      worst = Math.max(worst, err)
      if (Math.abs(num(c.expected)) >= 1e-6) central = Math.max(central, err)
    }
    return `${name} ${worst.toExponential(1)} (${central.toExponential(1)})`
  })
  console.log(`  ${fn.padEnd(16)} (${String(cases.length).padStart(3)} cases)  ${line.join('   ')}`)
}
