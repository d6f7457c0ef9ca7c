import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { tracedAccumulator } from '../../src/attribution/accumulate'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { replicateLayer } from '../../src/report/bootstrap'
import type { BootstrapSums } from '../../src/report/model'
import { arbJourney, CHANNELS } from './_helpers'

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

const layerSums = (js: ReadonlyArray<Journey>, R: number, denseKeys: number | undefined): BootstrapSums => {
  const base = tracedAccumulator(DEFAULT_SETTINGS)
  const layer = replicateLayer(DEFAULT_SETTINGS, R, 'keys', undefined, denseKeys === undefined ? {} : { denseKeys })
  let known = 0
  const path: Array<number> = []
  for (const j of js) {
    j.channels.forEach((name, i) => {
      path[i] = base.accumulator.channelIndex(name)
      if (path[i] === known) layer.channel(known++, name)
    })
    base.accumulator.addIndexed(path, j.channels.length, j.conversions, j.value, j.nulls, j.times, j.conversionTime)
    layer.add(path, j.channels.length, j.conversions, j.value, j.nulls, j.times, j.conversionTime, base.trace)
  }
  return layer.snapshot(base.accumulator.snapshot())
}

describe('the replicate layer’s touch keys', () => {
  test.prop([fc.array(arbKeyJourney, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 250 }), fc.constantFrom(0, 3 * 16 * 64, 3 * 16 * 128)], { numRuns: 40 })(
    'keys past the dense table (kept by length apart) give the same slots, in the same order, as one dense table',
    (js, R, denseKeys) => {
      expect(layerSums(js, R, denseKeys)).toEqual(layerSums(js, R, undefined))
    },
  )
})
