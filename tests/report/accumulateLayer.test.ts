import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import type { Journey } from '../../src/attribution/model'
import { addToCounts } from '../../src/report/histogram'
import type { FlowLink, ReportPartial } from '../../src/report/model'
import { arbJourney, reduceBoth, settings } from './_helpers'

/**
 * Journeys over `width` channels (up to 80: past the flow's dense table of 64, and at the sizes it grows at) with
 * fractional and zero counts.
 */
const arbWideJourney = (width: number): fc.Arbitrary<Journey> => fc.record({
  channels: fc.array(fc.integer({ min: 0, max: width - 1 }).map((k) => `c${k}`), { minLength: 1, maxLength: 9 }),
  conversions: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 4, noNaN: true })),
  value: fc.double({ min: 0, max: 100, noNaN: true }),
  nulls: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 4, noNaN: true })),
})

/**
 * The report layer's per-channel sums and flow as one loop over each journey's touches computes them (the layer
 * before it split the loop by sum, cached flow links and skipped weights of 0), in the partial's channel order.
 */
const reference = (journeys: ReadonlyArray<Journey>, p: ReportPartial, steps: number) => {
  const names = p.attribution.channels
  const zeros = () => names.map(() => 0)
  const touches = zeros()
  const convTouches = zeros()
  const positionSum = zeros()
  const toEndSum = zeros()
  const repeats = zeros()
  const roles = [zeros(), zeros(), zeros(), zeros()]
  const convRoles = [zeros(), zeros(), zeros(), zeros()]
  const ttc: Array<Array<number>> = names.map(() => [])
  const flow: Array<[number, number, number, number]> = []
  const addFlow = (step: number, from: number, to: number, w: number) => {
    if (w === 0) return
    const link = flow.find(([s, a, b]) => s === step && a === from && b === to)
    if (link !== undefined) link[3] = link[3] + w
    else flow.push([step, from, to, 0 + w])
  }
  for (const j of journeys) {
    const path = j.channels.map((c) => names.indexOf(c))
    const n = path.length
    const c = j.conversions
    const w = c + j.nulls
    const timed = c > 0 && j.times !== undefined && j.conversionTime !== undefined
    for (let i = 0; i < n; i++) {
      const ch = path[i]!
      touches[ch] = touches[ch]! + w
      convTouches[ch] = convTouches[ch]! + c
      positionSum[ch] = positionSum[ch]! + w * (i + 1)
      toEndSum[ch] = toEndSum[ch]! + w * (n - 1 - i)
      const role = n === 1 ? 3 : i === 0 ? 0 : i === n - 1 ? 2 : 1
      roles[role]![ch] = roles[role]![ch]! + w
      convRoles[role]![ch] = convRoles[role]![ch]! + c
      if (timed) addToCounts(ttc[ch]!, j.conversionTime! - j.times![i]!, c)
      if (i > 0 && path[i - 1] === ch) repeats[ch] = repeats[ch]! + w
    }
    const followed = Math.min(n, steps)
    for (let s = 0; s + 1 < followed; s++) addFlow(s, path[s]!, path[s + 1]!, w)
    addFlow(followed - 1, path[followed - 1]!, -1, c)
    addFlow(followed - 1, path[followed - 1]!, -2, j.nulls)
  }
  const byRole = (r: Array<Array<number>>) => ({ introducer: r[0], assister: r[1], closer: r[2], solo: r[3] })
  return {
    channel: {
      touches,
      convertingTouches: convTouches,
      roles: byRole(roles),
      convertingRoles: byRole(convRoles),
      positionSum,
      toEndSum,
      touchToConversion: ttc.map((counts) => ({ counts })),
      repeats,
    },
    flow: flow as Array<FlowLink>,
  }
}

describe('the report layer', () => {
  const arbJourneys = fc
    .oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(7, 8, 9, 15, 16, 17, 63, 64, 65))
    .chain((width) => fc.array(fc.oneof({ weight: 1, arbitrary: arbJourney }, { weight: 3, arbitrary: arbWideJourney(width) }), { minLength: 1, maxLength: 80 }))
  test.prop([arbJourneys, fc.integer({ min: 1, max: 12 })], { numRuns: 150 })(
    'per-channel sums and flow equal one loop over the touches bit for bit (fractional and zero counts, timed journeys, more channels than the flow cache holds)',
    (journeys, steps) => {
      const p = reduceBoth(journeys, settings({ flowSteps: steps }))
      const expected = reference(journeys, p, steps)
      expect(p.channel).toEqual(expected.channel)
      expect(p.flow).toEqual(expected.flow)
    },
  )
})
