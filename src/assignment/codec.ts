/**
 * The JSON config format, as io-ts codecs. `decodeConfig` (decode.ts) adds the rules that span fields.
 *
 * @module
 */
import * as t from 'io-ts'
import { FiniteNumber, Fraction, NonEmptyString, NonNegativeInteger, object, refine } from '../core/codecs'

const Scalar = t.union([t.string, t.number, t.boolean], 'a string, number or boolean')

const NonEmptyScalars = refine(t.array(Scalar), (a) => a.length > 0, 'a non-empty array of strings, numbers or booleans')

/** Numeric bounds of a `range` condition. @category codecs @since 0.1.0 */
export const RangeInput = object('range', {}, { gte: FiniteNumber, gt: FiniteNumber, lte: FiniteNumber, lt: FiniteNumber })

/**
 * A targeting condition: `attribute` and exactly one of `equals`, `in`, `notIn`, `range`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ConditionInput = object(
  'condition',
  { attribute: NonEmptyString },
  { equals: Scalar, in: NonEmptyScalars, notIn: NonEmptyScalars, range: RangeInput },
)
/** @category codecs @since 0.1.0 */
export type ConditionInput = t.TypeOf<typeof ConditionInput>

/** @category codecs @since 0.1.0 */
export const VariantInput = object('variant', { key: NonEmptyString }, { weight: Fraction, description: t.string })
/** @category codecs @since 0.1.0 */
export type VariantInput = t.TypeOf<typeof VariantInput>

/** `[start, end)` as shares of a layer's bucket space. @category codecs @since 0.1.0 */
export const LayerRangeInput = t.tuple([Fraction, Fraction], 'a [start, end] pair of numbers in [0, 1]')

/** @category codecs @since 0.1.0 */
export const LayerAllocationInput = object('layer allocation', { key: NonEmptyString, ranges: t.array(LayerRangeInput) }, {})

/** @category codecs @since 0.1.0 */
export const HoldoutInput = object('holdout', { share: Fraction }, { salt: NonEmptyString, unit: NonEmptyString })
/** @category codecs @since 0.1.0 */
export type HoldoutInput = t.TypeOf<typeof HoldoutInput>

/** @category codecs @since 0.1.0 */
export const LayerInput = object(
  'layer',
  { key: NonEmptyString },
  { salt: NonEmptyString, unit: NonEmptyString, holdout: HoldoutInput, description: t.string },
)
/** @category codecs @since 0.1.0 */
export type LayerInput = t.TypeOf<typeof LayerInput>

/** @category codecs @since 0.1.0 */
export const StatusInput = t.keyof({ draft: null, running: null, stopped: null })

/** @category codecs @since 0.1.0 */
export const ExperimentInput = object(
  'experiment',
  { key: NonEmptyString, variants: refine(t.array(VariantInput), (a) => a.length > 0, 'a non-empty array of variants') },
  {
    status: StatusInput,
    unit: NonEmptyString,
    salt: NonEmptyString,
    coverage: Fraction,
    targeting: t.array(ConditionInput),
    overrides: t.record(t.string, NonEmptyString),
    layer: LayerAllocationInput,
    bucketVersion: NonNegativeInteger,
    description: t.string,
  },
)
/** @category codecs @since 0.1.0 */
export type ExperimentInput = t.TypeOf<typeof ExperimentInput>

/**
 * The whole config file.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ConfigInput = object(
  'config',
  { experiments: t.array(ExperimentInput) },
  { version: t.string, layers: t.array(LayerInput), holdout: HoldoutInput, $schema: t.string },
)
/** @category codecs @since 0.1.0 */
export type ConfigInput = t.TypeOf<typeof ConfigInput>
