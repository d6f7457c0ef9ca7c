import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { arbJourney, CHANNELS, layerSums } from './_helpers'

/** Short journeys and long ones (keys past a small dense table). */
const arbKeyJourney: fc.Arbitrary<Journey> = fc.oneof(
  { weight: 4, arbitrary: arbJourney },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...CHANNELS), { minLength: 60, maxLength: 200 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }))
      .map(([channels, conversions, nulls]) => ({ channels, conversions, nulls, value: conversions })),
  },
)

describe('the replicate layer’s touch keys', () => {
  test.prop([fc.array(arbKeyJourney, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 250 }), fc.constantFrom(0, 3 * 16 * 64, 3 * 16 * 128)], { numRuns: 40 })(
    'keys past the dense table (kept by length apart) give the same slots, in the same order, as one dense table',
    (js, R, denseKeys) => {
      expect(layerSums(js, DEFAULT_SETTINGS, R, 'keys', undefined, { denseKeys })).toEqual(layerSums(js, DEFAULT_SETTINGS, R, 'keys', undefined))
    },
  )
})
