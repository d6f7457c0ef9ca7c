/**
 * The Unleash client features codecs (features, strategies, variants, segments) and variant payloads as values.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { parseJson } from '../../core/json'
import type { ValueType, VariantValue } from '../model'
import { isVariantValue } from '../values'

const Override = /* @__PURE__ */ t.type({ contextName: t.string, values: /* @__PURE__ */ t.array(t.unknown) }, 'a variant override')

export const Variant = /* @__PURE__ */ t.intersection(
  [
    /* @__PURE__ */ t.type({ name: t.string, weight: t.number }),
    /* @__PURE__ */ t.partial({
      stickiness: /* @__PURE__ */ t.union([t.string, t.null]),
      overrides: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(Override), t.null]),
      payload: t.unknown,
    }),
  ],
  'a variant',
)
export type Variant = t.TypeOf<typeof Variant>

/**
 * A variant payload as a value: `string` and `csv` as the text, `number` as the number it writes, `json` parsed.
 * `undefined` for no payload or one that does not parse as its type.
 */
export const payloadValue = (payload: unknown): VariantValue | undefined => {
  if (payload === null || typeof payload !== 'object') return undefined
  const { type, value } = payload as { readonly type?: unknown; readonly value?: unknown }
  if (typeof value !== 'string') return undefined
  if (type === 'string' || type === 'csv') return value
  if (type === 'number') {
    const n = Number(value)
    return value.trim() !== '' && Number.isFinite(n) ? n : undefined
  }
  if (type !== 'json') return undefined
  // Strict: a key given twice is no JSON value here (JSON.parse would keep the last).
  const v = parseJson(value)
  return E.isRight(v) && isVariantValue(v.right) ? v.right : undefined
}

const PAYLOAD_TYPES: Readonly<Record<string, ValueType>> = { string: 'string', csv: 'string', number: 'number', json: 'json' }

/**
 * The values of an experiment's variants: each variant's payload when every variant has one of one type, `true`
 * for a toggle without variants (enabled), none otherwise.
 */
export const valuesOf = (variants: ReadonlyArray<Variant> | undefined): { readonly values: ReadonlyArray<VariantValue>; readonly valueType: ValueType } | undefined => {
  if (variants === undefined) return { values: [true], valueType: 'boolean' }
  const values = variants.map((v) => payloadValue(v.payload))
  if (values.some((v) => v === undefined)) return undefined
  // The payload's declared type decides (a json payload may parse to a string); all variants must declare one.
  const types = new Set(variants.map((v) => PAYLOAD_TYPES[String((v.payload as { type?: unknown }).type)]))
  const type = types.size === 1 ? [...types][0] : undefined
  return type === undefined ? undefined : { values: values as ReadonlyArray<VariantValue>, valueType: type }
}

export const Strategy = /* @__PURE__ */ t.intersection(
  [
    /* @__PURE__ */ t.type({ name: t.string }),
    /* @__PURE__ */ t.partial({
      parameters: /* @__PURE__ */ t.union([/* @__PURE__ */ t.record(t.string, t.unknown), t.null]),
      constraints: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(t.unknown), t.null]),
      segments: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(t.unknown), t.null]),
      variants: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(Variant), t.null]),
    }),
  ],
  'a strategy',
)
export type Strategy = t.TypeOf<typeof Strategy>

export const Feature = /* @__PURE__ */ t.intersection(
  [
    /* @__PURE__ */ t.type({ name: t.string, enabled: t.boolean, strategies: /* @__PURE__ */ t.array(Strategy) }),
    /* @__PURE__ */ t.partial({ variants: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(Variant), t.null]), dependencies: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(t.unknown), t.null]) }),
  ],
  'a feature toggle',
)
export type Feature = t.TypeOf<typeof Feature>

export const Segment = /* @__PURE__ */ t.intersection([/* @__PURE__ */ t.type({ id: /* @__PURE__ */ t.union([t.number, t.string]) }), /* @__PURE__ */ t.partial({ constraints: /* @__PURE__ */ t.union([/* @__PURE__ */ t.array(t.unknown), t.null]) })], 'a segment')

/**
 * The client features response (`{ version, features, segments? }`) or its `features` array (then without
 * segments).
 *
 * @category codecs
 * @since 0.1.0
 */
export const UnleashFeatures = /* @__PURE__ */ t.union(
  [/* @__PURE__ */ t.array(Feature), /* @__PURE__ */ t.intersection([/* @__PURE__ */ t.type({ features: /* @__PURE__ */ t.array(Feature) }), /* @__PURE__ */ t.partial({ version: t.number, segments: /* @__PURE__ */ t.array(Segment) })])],
  'Unleash client features',
)
