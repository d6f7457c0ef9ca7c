/**
 * The reason sequential tests exist, shown by simulation: A/A experiments (no true difference), looked at after
 * every batch, stopped at the first "significant" look. The fixed-horizon z-test then declares far more than
 * alpha of them significant; the confidence sequence and the mSPRT stay at or under alpha.
 * Seeded, so the numbers are the same on every run; sized to take a fraction of a second.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { rng } from '../../../src/stats/internal/random'
import { proportionsZTest } from '../../../src/stats/frequentist/proportionsZTest'
import { confidenceSequence } from '../../../src/stats/sequential/confidenceSequence'
import { msprt } from '../../../src/stats/sequential/msprt'

const ALPHA = 0.05
const EXPERIMENTS = 600
const LOOKS = 20
const BATCH = 250 // units per arm per look
const RATE = 0.1

describe('peeking after every batch (A/A simulation, seed "peeking")', () => {
  it('inflates the fixed-horizon false-positive rate but not the sequential ones', () => {
    const r = rng('peeking')
    let fixed = 0
    let sequence = 0
    let mixture = 0
    for (let e = 0; e < EXPERIMENTS; e++) {
      let ca = 0
      let cb = 0
      let seenFixed = false
      let seenSequence = false
      let seenMixture = false
      for (let look = 1; look <= LOOKS; look++) {
        for (let i = 0; i < BATCH; i++) {
          if (r.uniform() < RATE) ca++
          if (r.uniform() < RATE) cb++
        }
        const n = look * BATCH
        const arms = { control: { units: n, conversions: ca }, treatment: { units: n, conversions: cb } }
        const z = proportionsZTest()(arms)
        if (E.isRight(z) && z.right.pValue < ALPHA) seenFixed = true
        const cs = confidenceSequence({ type: 'absolute', alpha: ALPHA })(arms)
        if (E.isRight(cs) && (cs.right.interval.lower > 0 || cs.right.interval.upper < 0)) seenSequence = true
        const m = msprt({ tau: 0.01, alpha: ALPHA })(arms)
        if (E.isRight(m) && m.right.reject) seenMixture = true
      }
      if (seenFixed) fixed++
      if (seenSequence) sequence++
      if (seenMixture) mixture++
    }
    const rates = { fixed: fixed / EXPERIMENTS, sequence: sequence / EXPERIMENTS, mixture: mixture / EXPERIMENTS }
    // Peeking 20 times roughly quadruples the fixed-horizon error rate (Johari et al. 2017 report the same shape).
    expect(rates.fixed).toBeGreaterThan(2 * ALPHA)
    expect(rates.sequence).toBeLessThanOrEqual(ALPHA)
    expect(rates.mixture).toBeLessThanOrEqual(ALPHA)
  })
})
