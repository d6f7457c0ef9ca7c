/**
 * Differences of rates from the counts, exactly (the z-test has done so since session 3): lift, the Gaussian model
 * and mSPRT take the difference of two binomial means as (c_B·n_A − c_A·n_B)/(n_A·n_B) with exact products, so
 * near a rate of 1 (a handful of failures among millions) they keep every digit. Held to exact rationals in BigInt.
 */
import { describe } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { expectClose } from '../../_close'
import { arbBinomialPair, arbNearlyEqualPair } from '../../_statsArbitraries'
import { gaussianBayes } from '../../../src/stats/bayesian/gaussianBayes'
import { lift } from '../../../src/stats/frequentist/lift'
import { msprt } from '../../../src/stats/sequential/msprt'

type Pair = { readonly control: { readonly units: number; readonly conversions: number }; readonly treatment: { readonly units: number; readonly conversions: number } }

/** D = c_B·n_A − c_A·n_B in BigInt, and the exact differences D/(n_A n_B) and D/(c_A n_B) rounded once each. */
const exact = ({ control: a, treatment: b }: Pair) => {
  const [nA, cA, nB, cB] = [a.units, a.conversions, b.units, b.conversions].map(BigInt) as [bigint, bigint, bigint, bigint]
  const d = cB * nA - cA * nB
  return { absolute: Number(d) / Number(nA * nB), relative: cA === 0n ? Number.NaN : Number(d) / Number(cA * nB) }
}

// Two roundings of the exact rational plus the product-difference's few ulps.
const TIGHT = { rel: 8 * Number.EPSILON, abs: 1e-300 }

describe('differences of rates keep every digit (against exact rationals)', () => {
  test.prop([fc.oneof(arbBinomialPair, arbNearlyEqualPair)])('lift: absolute and relative estimates', (arms) => {
    const e = exact(arms)
    const label = JSON.stringify(arms)
    const a = lift({ type: 'absolute', test: 'z' })(arms)
    if (a._tag === 'Right') expectClose('lift absolute exact', a.right.estimate, e.absolute, TIGHT, label)
    const r = lift({ type: 'relative', test: 'z' })(arms)
    if (r._tag === 'Right') expectClose('lift relative exact', r.right.estimate, e.relative, TIGHT, label)
  })

  test.prop([fc.oneof(arbBinomialPair, arbNearlyEqualPair)])('gaussianBayes (flat prior): the posterior mean is the estimate', (arms) => {
    const a = gaussianBayes({ type: 'absolute' })(arms)
    if (a._tag === 'Right') expectClose('gaussianBayes absolute exact', a.right.mean, exact(arms).absolute, TIGHT, JSON.stringify(arms))
  })

  test.prop([fc.oneof(arbBinomialPair, arbNearlyEqualPair)])('msprt: the difference', (arms) => {
    const m = msprt({ tau: 0.01 })(arms)
    if (m._tag === 'Right') expectClose('msprt exact', m.right.difference, exact(arms).absolute, TIGHT, JSON.stringify(arms))
  })

})
