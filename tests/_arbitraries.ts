/** Shared fast-check generators (io-ts's test/Arbitrary.ts habit). */
import { fc } from '@fast-check/vitest'

/** Unit ids as they come: ASCII, UUID-like, any Unicode, emoji, and raw UTF-16 with lone surrogates. */
export const arbUnitId: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.uuid(),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.array(fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 12 }).map((codes) => String.fromCharCode(...codes)),
  fc.constantFrom('😀', '👩‍👩‍👧‍👦', '🇩🇪', 'Zoë', '東京', '\ud800', 'a\udc00b'),
)

/** Weights in thousandths that sum exactly to 1. */
export const arbWeights = (min = 1, max = 5): fc.Arbitrary<ReadonlyArray<number>> =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: min, maxLength: max }).filter((a) => a.some((x) => x > 0)).map((raw) => {
    const total = raw.reduce((s, x) => s + x, 0)
    const thousandths = raw.map((x) => Math.floor((x * 1000) / total))
    thousandths[thousandths.length - 1]! += 1000 - thousandths.reduce((s, x) => s + x, 0)
    return thousandths.map((x) => x / 1000)
  })

export interface ArbExperimentOptions {
  readonly key?: string
}

/** A valid experiment config (JSON input), no layer. */
export const arbExperimentInput = fc.record({
  key: fc.string({ minLength: 1, maxLength: 12 }),
  weights: arbWeights(1, 5),
  coverage: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  salt: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
}).map(({ key, weights, coverage, salt }) => ({
  key,
  unit: 'userId',
  ...(salt === undefined ? {} : { salt }),
  coverage,
  variants: weights.map((weight, i) => ({ key: `v${i}`, weight })),
}))

/** A valid config with 1..4 experiments of distinct keys. */
export const arbConfigInput = fc
  .uniqueArray(arbExperimentInput, { minLength: 1, maxLength: 4, selector: (x) => x.key })
  .map((experiments) => ({ experiments }))
