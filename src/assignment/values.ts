/**
 * Variant values: what a flag serves (`true`, `"blue"`, `42`, a JSON payload), one type per experiment.
 *
 * @module
 */
import { everyElement } from '../core/guards'
import type { ValueType, VariantValue } from './model'

const MAX_DEPTH = 64

/**
 * Whether `u` is a JSON value touchpoint can carry: null, a boolean, a finite number, a string, or arrays and
 * plain objects of those (at most 64 deep, so a cycle is refused rather than followed).
 *
 * @internal
 */
export const isVariantValue = (u: unknown, depth = 0): u is VariantValue => {
  if (u === null || typeof u === 'boolean' || typeof u === 'string') return true
  if (typeof u === 'number') return Number.isFinite(u)
  if (typeof u !== 'object' || depth >= MAX_DEPTH) return false
  if (Array.isArray(u)) return everyElement(u, (x) => isVariantValue(x, depth + 1))
  const proto = Object.getPrototypeOf(u)
  return (proto === Object.prototype || proto === null) && Object.values(u).every((x) => isVariantValue(x, depth + 1))
}

/** The type of one value: its primitive type, else `json`. @internal */
export const typeOfValue = (v: VariantValue): ValueType =>
  typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'json'

/**
 * The one type values share: the primitive type when all have it, `json` when all are objects, arrays or null,
 * `undefined` when primitives of different types (or primitives and objects) are mixed.
 *
 * @internal
 */
export const sharedType = (values: ReadonlyArray<VariantValue>): ValueType | undefined => {
  const types = new Set(values.map(typeOfValue))
  return types.size === 1 ? [...types][0] : undefined
}

/**
 * Values an importer found, with their type: mixed types become `json` (every value is JSON); `undefined` when
 * any is not a JSON value (a function, `undefined`, NaN), so nothing is served that the source could not.
 *
 * @internal
 */
export const importedValues = (raw: ReadonlyArray<unknown>): { readonly values: ReadonlyArray<VariantValue>; readonly valueType: ValueType } | undefined => {
  if (!everyElement(raw, (v) => isVariantValue(v))) return undefined
  const values = raw as ReadonlyArray<VariantValue>
  return { values, valueType: sharedType(values) ?? 'json' }
}

/** Whether a value has the type: `json` takes any value. @internal */
export const hasType = (v: VariantValue, type: ValueType): boolean => type === 'json' || typeOfValue(v) === type
