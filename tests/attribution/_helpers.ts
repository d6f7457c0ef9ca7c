/** Shared generators and helpers for the attribution tests. */
import { fc } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { accumulator } from '../../src/attribution/accumulate'
import type { AttributionPartial, Journey, Settings } from '../../src/attribution/model'
import { DEFAULT_SETTINGS } from '../../src/attribution/model'

export const CHANNELS = ['search', 'display', 'email', 'social', 'direct', 'affiliate', 'video', 'store'] as const

/** Aggregated path rows: 1..8 touches over a small alphabet (so repeats and shared sets occur), integer counts. */
export const arbPath = (alphabet: ReadonlyArray<string> = CHANNELS): fc.Arbitrary<Journey> =>
  fc
    .record({
      channels: fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 8 }),
      conversions: fc.integer({ min: 0, max: 5 }),
      nulls: fc.integer({ min: 0, max: 8 }),
      unitValue: fc.integer({ min: 0, max: 200 }),
    })
    .map(({ channels, conversions, nulls, unitValue }) => ({ channels, conversions, nulls, value: conversions * unitValue }))

/** Paths with at least one conversion among them. */
export const arbPaths = (alphabet: ReadonlyArray<string> = CHANNELS, maxLength = 40): fc.Arbitrary<ReadonlyArray<Journey>> =>
  fc.array(arbPath(alphabet), { minLength: 1, maxLength }).filter((ps) => ps.some((p) => p.conversions > 0))

/** Timed journeys: touches spread over up to 60 days before the conversion. */
export const arbTimedPath: fc.Arbitrary<Journey> = fc
  .record({
    touches: fc.array(fc.record({ channel: fc.constantFrom(...CHANNELS), gap: fc.integer({ min: 0, max: 60 * 86_400_000 }) }), { minLength: 1, maxLength: 8 }),
    conversions: fc.integer({ min: 1, max: 3 }),
    value: fc.integer({ min: 0, max: 500 }),
  })
  .map(({ touches, conversions, value }) => {
    const T = 1_800_000_000_000
    const sorted = [...touches].sort((a, b) => b.gap - a.gap)
    return { channels: sorted.map((t) => t.channel), times: sorted.map((t) => T - t.gap), conversionTime: T, conversions, value, nulls: 0 }
  })

export const reduce = (journeys: ReadonlyArray<Journey>, settings: Settings = DEFAULT_SETTINGS): AttributionPartial => {
  const acc = accumulator(settings)
  for (const j of journeys) {
    acc.add(j)
    acc.countRows(1)
  }
  return acc.snapshot()
}

export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

/** |a - b| <= tol * max(1, |b|). */
export const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))

export const sum = (xs: ReadonlyArray<number>): number => xs.reduce((s, x) => s + x, 0)
