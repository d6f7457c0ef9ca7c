/** Generators for the statistics tests: arms of every kind, valid and malformed. */
import { fc } from '@fast-check/vitest'

export const arbBinomialArm = fc
  .integer({ min: 1, max: 2_000_000 })
  .chain((units) => fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 0, max: units }) }))

/** Binomial arms with some variation (not all 0 / all 1 in both arms). */
export const arbBinomialPair = fc
  .record({ control: arbBinomialArm, treatment: arbBinomialArm })
  .filter(({ control: a, treatment: b }) => {
    const c = a.conversions + b.conversions
    return c > 0 && c < a.units + b.units
  })

/** A continuous arm built from a mean and a standard deviation, so the variance is never negative. */
export const arbContinuousArm = fc
  .record({
    units: fc.integer({ min: 2, max: 1_000_000 }),
    mean: fc.double({ min: -1000, max: 1000, noNaN: true }),
    sd: fc.double({ min: 0.01, max: 500, noNaN: true }),
  })
  .map(({ units, mean, sd }) => ({ units, sum: units * mean, sumSquares: (units - 1) * sd * sd + units * mean * mean }))

/** Values that must never be accepted as a number in an arm. */
export const arbBadNumber = fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1.5, '3', null, undefined, {})

/** Anything at all, for "never throws" properties. */
export const arbAnything = fc.anything({ withBigInt: false, withDate: true, withMap: true, withSet: true, withTypedArray: true })

/**
 * Binomial pairs whose rates are close to each other and to 0 or 1 (a handful of non-conversions or
 * conversions among millions): where a difference of rates cancels most of its digits.
 */
export const arbNearlyEqualPair = fc
  .record({
    unitsA: fc.integer({ min: 1_000, max: 50_000_000 }),
    unitsB: fc.integer({ min: 1_000, max: 50_000_000 }),
    rareA: fc.integer({ min: 0, max: 20 }),
    rareB: fc.integer({ min: 0, max: 20 }),
    nearOne: fc.boolean(),
  })
  .filter(({ rareA, rareB }) => rareA + rareB > 0)
  .map(({ unitsA, unitsB, rareA, rareB, nearOne }) => ({
    control: { units: unitsA, conversions: nearOne ? unitsA - rareA : rareA },
    treatment: { units: unitsB, conversions: nearOne ? unitsB - rareB : rareB },
  }))
