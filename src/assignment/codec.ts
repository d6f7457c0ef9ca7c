/**
 * The JSON config format, as io-ts codecs. `decodeConfig` (decode.ts) adds the rules that span fields.
 *
 * @module
 */
import * as t from 'io-ts'
import { isVariantValue } from './values'
import type { VariantValue } from './model'
import { array, FiniteNumber, Fraction, NonEmptyString, NonNegativeInteger, object, oneOf, pair, record, refine, scalar, string } from '../core/codecs'

const NonEmptyScalars = /* @__PURE__ */ refine(/* @__PURE__ */ array(scalar), (a) => a.length > 0, 'a non-empty array of strings, numbers or booleans')

/** Numeric bounds of a `range` condition. @category codecs @since 0.1.0 */
export const RangeInput = /* @__PURE__ */ object('range', {}, { gte: FiniteNumber, gt: FiniteNumber, lte: FiniteNumber, lt: FiniteNumber })

/**
 * A targeting condition: `attribute` and exactly one of `equals`, `in`, `notIn`, `range`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const ConditionInput = /* @__PURE__ */ object(
  'condition',
  { attribute: NonEmptyString },
  { equals: scalar, in: NonEmptyScalars, notIn: NonEmptyScalars, range: RangeInput },
)
/** @category codecs @since 0.1.0 */
export type ConditionInput = t.TypeOf<typeof ConditionInput>

const JSON_VALUE = 'a JSON value (null, a boolean, a finite number, a string, or arrays and objects of those)'

/** A variant's value: any JSON value (finite numbers, at most 64 deep). @category codecs @since 0.1.0 */
export const VariantValueInput = /* @__PURE__ */ new t.Type<VariantValue, VariantValue, unknown>(
  JSON_VALUE,
  (u): u is VariantValue => isVariantValue(u),
  (u, c) => (isVariantValue(u) ? t.success(u) : t.failure(u, c, JSON_VALUE)),
  t.identity,
)

/** @category codecs @since 0.1.0 */
export const ValueTypeInput = /* @__PURE__ */ oneOf(['boolean', 'number', 'string', 'json'])

/** @category codecs @since 0.1.0 */
export const VariantInput = /* @__PURE__ */ object('variant', { key: NonEmptyString }, { weight: Fraction, value: VariantValueInput, description: string })
/** @category codecs @since 0.1.0 */
export type VariantInput = t.TypeOf<typeof VariantInput>

/** `[start, end)` as shares of a layer's bucket space. @category codecs @since 0.1.0 */
export const LayerRangeInput = /* @__PURE__ */ pair(Fraction, Fraction, 'a [start, end] pair of numbers in [0, 1]')

/** @category codecs @since 0.1.0 */
export const LayerAllocationInput = /* @__PURE__ */ object('layer allocation', { key: NonEmptyString, ranges: /* @__PURE__ */ array(LayerRangeInput) }, {})

/** @category codecs @since 0.1.0 */
export const HoldoutInput = /* @__PURE__ */ object('holdout', { share: Fraction }, { salt: NonEmptyString, unit: NonEmptyString })
/** @category codecs @since 0.1.0 */
export type HoldoutInput = t.TypeOf<typeof HoldoutInput>

/** @category codecs @since 0.1.0 */
export const LayerInput = /* @__PURE__ */ object(
  'layer',
  { key: NonEmptyString },
  { salt: NonEmptyString, unit: NonEmptyString, holdout: HoldoutInput, description: string },
)
/** @category codecs @since 0.1.0 */
export type LayerInput = t.TypeOf<typeof LayerInput>

/** @category codecs @since 0.1.0 */
export const StatusInput = /* @__PURE__ */ oneOf(['draft', 'running', 'stopped'])

/** @category codecs @since 0.1.0 */
export const ExperimentInput = /* @__PURE__ */ object(
  'experiment',
  { key: NonEmptyString, variants: /* @__PURE__ */ refine(/* @__PURE__ */ array(VariantInput), (a) => a.length > 0, 'a non-empty array of variants') },
  {
    status: StatusInput,
    unit: NonEmptyString,
    salt: NonEmptyString,
    coverage: Fraction,
    targeting: /* @__PURE__ */ array(ConditionInput),
    overrides: /* @__PURE__ */ record(NonEmptyString),
    layer: LayerAllocationInput,
    bucketVersion: NonNegativeInteger,
    valueType: ValueTypeInput,
    description: string,
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
export const ConfigInput = /* @__PURE__ */ object(
  'config',
  { experiments: /* @__PURE__ */ array(ExperimentInput) },
  { version: string, layers: /* @__PURE__ */ array(LayerInput), holdout: HoldoutInput, $schema: string },
)
/** @category codecs @since 0.1.0 */
export type ConfigInput = t.TypeOf<typeof ConfigInput>
