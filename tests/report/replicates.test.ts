import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import { attribute } from '../../src/attribution/attribute'
import { exactRatios } from '../../src/attribution/internal/exactRatios'
import { positionalWeights } from '../../src/attribution/internal/weights'
import type { ReportPartial } from '../../src/report/model'
import { keyOrder, replicatePartial, replicateReader, replicateShapley } from '../../src/report/replicates'
import { arbJourneys, reduceBoth, settings } from './_helpers'

const R = 7

/** The rule credits of replicate r as replicatePartial summed them before: a replicate at a time, keys in keyOrder. */
const oneReplicateRules = (p: ReportPartial, r: number) => {
  const b = p.bootstrap
  const nch = p.attribution.channels.length
  const position = exactRatios(p.attribution.settings.position)
  const ends = { first: 0, middle: 0, last: 0 }
  const out = { first: new Array<number>(nch).fill(0), last: new Array<number>(nch).fill(0), linear: new Array<number>(nch).fill(0), position: new Array<number>(nch).fill(0) }
  for (const k of keyOrder(b.touchKeys)) {
    const w = b.touches[k * b.replicates + r]!
    if (w === 0) continue
    const [ch, n, role] = b.touchKeys[k]!
    positionalWeights(position, n, ends)
    if (role === 0) out.first[ch] = out.first[ch]! + w
    if (role === 2 || n === 1) out.last[ch] = out.last[ch]! + w
    out.linear[ch] = out.linear[ch]! + w / n
    out.position[ch] = out.position[ch]! + w * (role === 0 ? ends.first : role === 2 ? ends.last : ends.middle)
  }
  return out
}

describe('replicate partials', () => {
  test.prop([arbJourneys(40), fc.integer({ min: 0, max: R - 1 })])('rule credits summed for all replicates at once are those of one replicate at a time, exactly', (journeys, r) => {
    const p = reduceBoth(journeys, settings({ replicates: R, seed: 'replicates' }))
    const rules = replicatePartial(p)(r).rules
    const want = oneReplicateRules(p, r)
    for (const m of ['first', 'last', 'linear', 'position'] as const) expect(rules[m].conversions).toEqual(want[m])
  })

  test.prop([arbJourneys(40), fc.integer({ min: 0, max: R - 1 })])('replicateShapley is shapley attributed on the replicate partial, exactly', (journeys, r) => {
    const p = reduceBoth(journeys, settings({ replicates: R, seed: 'shapley' }))
    const a = attribute({ models: ['shapley'] })(replicatePartial(p)(r))
    if (E.isLeft(a)) throw new Error('attribute failed')
    expect(replicateShapley(p)(r)).toEqual(a.right.channels.map((c) => c.credits['shapley']!.conversions))
  })

  test.prop([arbJourneys(20), fc.integer({ min: 0, max: R - 1 })])('without sets, a replicate partial is the same but for its sets', (journeys, r) => {
    const p = reduceBoth(journeys, settings({ replicates: R, seed: 'sets' }))
    expect(replicateReader(p, false)(r)).toEqual({ ...replicatePartial(p)(r), sets: [] })
  })
})
