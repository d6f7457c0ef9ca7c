import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { DEFAULT_SETTINGS, type Journey, type ModelName } from '../../src/attribution/model'
import type { BootstrapSums } from '../../src/report/model'
import { arbJourney, CHANNELS, diff, layerSums, reduceBoth, settings } from './_helpers'

/** Journeys of every kind the layer meets: aggregated and timed, whole and fractional counts, long paths. */
const arbLayerJourney: fc.Arbitrary<Journey> = fc.oneof(
  { weight: 6, arbitrary: arbJourney },
  // Fractional remainders go to the floats, outside the journey lane.
  { weight: 1, arbitrary: arbJourney.map((j) => ({ ...j, conversions: j.conversions + (j.conversions > 0 ? 0.25 : 0), nulls: j.nulls + 0.5 })) },
  // Rows of many units (binomial draws, numbers of many planes), and paths longer than the lane takes at once.
  { weight: 1, arbitrary: arbJourney.map((j) => ({ ...j, conversions: j.conversions * 41, nulls: j.nulls * 97, value: j.value * 41 })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...CHANNELS), { minLength: 120, maxLength: 300 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
      .map(([channels, conversions, nulls]) => ({ channels, conversions, nulls, value: conversions })),
  },
)

const bytes = (s: BootstrapSums) => JSON.stringify(s, (_, v: unknown) => (typeof v === 'number' ? Array.from(new Uint8Array(new Float64Array([v]).buffer)).join('.') : v))

describe('the replicate layer', () => {
  test.prop(
    [
      fc.array(arbLayerJourney, { minLength: 1, maxLength: 60 }),
      fc.oneof(fc.constant(200), fc.integer({ min: 1, max: 300 })),
      fc.integer({ min: 1, max: 3 }),
      fc.oneof(fc.constant(undefined), fc.subarray(['first', 'last', 'last_non_direct', 'linear', 'position', 'time_decay', 'markov'] as Array<ModelName>)),
    ],
    { numRuns: 60 },
  )(
    "on WebAssembly, many journeys' additions queued in one run (the journey lane), equals the JavaScript banks bit for bit: time decay's floats between, fractional counts, many-plane and long journeys",
    (js, R, order, models) => {
      const attribution = { ...DEFAULT_SETTINGS, order }
      expect(bytes(layerSums(js, attribution, R, 'lane', models, { wasm: true }))).toBe(bytes(layerSums(js, attribution, R, 'lane', models, { wasm: false })))
    },
  )

  test.prop([fc.array(arbLayerJourney, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 250 })], { numRuns: 60 })(
    "order 1: the exit conversions read off the touch keys (last-touch credit) equal the ones counted per journey: exactly for whole counts, to rounding for fractional ones; starts, nulls and edges unchanged",
    (js, replicates) => {
      // With the touch-key models the exits are read off the keys; with Markov alone they are counted.
      const derived = reduceBoth(js, settings({ replicates, seed: 'exits' })).bootstrap.markov
      const counted = reduceBoth(js, settings({ replicates, seed: 'exits', bootstrapModels: ['markov'] })).bootstrap.markov
      const whole = js.every((j) => Number.isInteger(j.conversions) && Number.isInteger(j.nulls))
      if (whole) expect(derived).toEqual(counted)
      else expect(diff(derived, counted, 1e-12)).toBeUndefined()
    },
  )
})
