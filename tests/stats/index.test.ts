/**
 * Every public function of touchpoint/stats, fed anything at all (as data and as options): a Left or a Right,
 * never a throw, and never a NaN inside a Right.
 */
import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import * as S from '../../src/stats/index'
import { arbAnything } from '../_statsArbitraries'

const hasNaN = (u: unknown): boolean =>
  typeof u === 'number' ? Number.isNaN(u) : Array.isArray(u) ? u.some(hasNaN) : u !== null && typeof u === 'object' ? Object.values(u).some(hasNaN) : false

type Curried = (options: never) => (data: never) => E.Either<unknown, unknown>
const curried: Record<string, Curried> = {
  proportionsZTest: S.proportionsZTest as Curried,
  welchTTest: S.welchTTest as Curried,
  lift: S.lift as Curried,
  compareToControl: S.compareToControl as Curried,
  adjustPValues: S.adjustPValues as Curried,
  sampleRatioMismatch: S.sampleRatioMismatch as Curried,
  chiSquareTest: S.chiSquareTest as Curried,
  fisherExact: S.fisherExact as Curried,
  cuped: S.cuped as Curried,
  betaBinomial: S.betaBinomial as Curried,
  probabilityToBeBest: S.probabilityToBeBest as Curried,
  gaussianBayes: S.gaussianBayes as Curried,
  confidenceSequence: S.confidenceSequence as Curried,
  msprt: S.msprt as Curried,
  msprtSequence: S.msprtSequence as Curried,
  sampleSize: S.sampleSize as Curried,
  detectableEffect: S.detectableEffect as Curried,
  nps: S.nps as Curried,
  csat: S.csat as Curried,
  analyze: S.analyze as Curried,
}

// Plausible shapes with broken values are more likely to get past the first check than pure noise.
const arbNumberish = fc.oneof(fc.double(), fc.integer({ min: -5, max: 2_000_000 }), fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 0, -0, '1', null))
const arbArmish = fc.oneof(
  fc.record({ units: arbNumberish, conversions: arbNumberish }),
  fc.record({ units: arbNumberish, sum: arbNumberish, sumSquares: arbNumberish }),
  fc.record({ name: fc.string(), units: arbNumberish, conversions: arbNumberish }),
  arbAnything,
)
const arbData = fc.oneof(
  arbAnything,
  fc.record({ control: arbArmish, treatment: arbArmish }),
  fc.record({ control: arbArmish, treatments: fc.array(arbArmish, { maxLength: 3 }) }),
  fc.record({ arms: fc.array(arbArmish, { maxLength: 4 }) }),
  fc.array(arbArmish, { maxLength: 4 }),
  fc.array(arbNumberish, { maxLength: 4 }),
)
const arbOptions = fc.oneof(
  fc.constant(undefined),
  arbAnything,
  fc.record({ alpha: arbNumberish, level: arbNumberish, tuning: arbNumberish, tau: arbNumberish, draws: fc.constantFrom<unknown>(100, 0, NaN) }, { requiredKeys: [] }),
)

describe('touchpoint/stats never throws and never returns NaN', () => {
  test.prop([fc.constantFrom(...Object.keys(curried)), arbOptions, arbData], { numRuns: 400 })('%s', (name, options, data) => {
    let result: E.Either<unknown, unknown> | undefined
    expect(() => {
      result = curried[name]!(options as never)(data as never)
    }).not.toThrow()
    expect(E.isLeft(result!) || E.isRight(result!)).toBe(true)
    if (E.isRight(result!)) expect(hasNaN(result.right)).toBe(false)
  })
})
