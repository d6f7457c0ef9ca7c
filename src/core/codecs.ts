/**
 * io-ts codecs for the config and input formats, built on io-ts's `Type` alone.
 *
 * Why not io-ts's own combinators (`t.type`, `t.array`, `t.union`...): they are classes created at module level
 * that bundlers cannot drop, so using a handful costs 14 KB minified in an edge bundle, while `Type` alone costs
 * 2 KB (measured with esbuild, tests/package/). These combinators produce ordinary io-ts `Type`s and `t.Errors`,
 * so they compose with io-ts and its reporters; each is named with the phrase a user reads in an error
 * (`a number in [0, 1]`), and `object` rejects unknown fields instead of dropping them silently (a typo such as
 * `weigth` must not pass as "no weight given").
 *
 * @module
 */
import * as t from 'io-ts'
import { everyElement } from './guards'

type Validate<A> = (u: unknown, c: t.Context) => t.Validation<A>

/** A codec whose output is its input (decoding only checks or narrows). */
const codec = <A>(name: string, is: (u: unknown) => u is A, validate: Validate<A>): t.Type<A, A, unknown> =>
  /* @__PURE__ */ new t.Type<A, A, unknown>(name, is, validate, t.identity)

const primitive = <A>(name: string, is: (u: unknown) => u is A) =>
  codec<A>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, name)))

const isString = (u: unknown): u is string => typeof u === 'string'
const isNumber = (u: unknown): u is number => typeof u === 'number'
const isBoolean = (u: unknown): u is boolean => typeof u === 'boolean'
const isPlainObject = (u: unknown): u is Record<string, unknown> => u !== null && typeof u === 'object' && !Array.isArray(u)

/** @category codecs @since 0.1.0 */
export const string = /* @__PURE__ */ primitive('a string', isString)
/** @category codecs @since 0.1.0 */
export const number = /* @__PURE__ */ primitive('a number', isNumber)
/** @category codecs @since 0.1.0 */
export const boolean = /* @__PURE__ */ primitive('a boolean', isBoolean)

/**
 * `base` narrowed by `predicate`; `expected` names it in errors. Failures deeper inside `base` (an array
 * element, a field) are kept: they are more precise than the refinement's own name.
 *
 * @category codecs
 * @since 0.1.0
 */
export const refine = <A>(base: t.Type<A, A, unknown>, predicate: (a: A) => boolean, expected: string): t.Type<A, A, unknown> =>
  codec<A>(
    expected,
    (u): u is A => base.is(u) && predicate(u),
    (u, c) => {
      const r = base.validate(u, c)
      if (r._tag === 'Right') return predicate(r.right) ? r : t.failure(u, c, expected)
      // Failed right here (not a string at all): name the refinement, the more helpful phrase.
      return r.left.every((e) => e.context.length === c.length) ? t.failure(u, c, expected) : r
    },
  )

/** @category codecs @since 0.1.0 */
export const NonEmptyString = /* @__PURE__ */ refine(string, (s) => s.length > 0, 'a non-empty string')
/** @category codecs @since 0.1.0 */
export const Fraction = /* @__PURE__ */ refine(number, (n) => n >= 0 && n <= 1, 'a number in [0, 1]')
/** @category codecs @since 0.1.0 */
export const FiniteNumber = /* @__PURE__ */ refine(number, (n) => Number.isFinite(n), 'a finite number') // an arrow: esbuild keeps a call reading Number.isFinite, pure or not
/** @category codecs @since 0.1.0 */
export const NonNegativeInteger = /* @__PURE__ */ refine(number, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')

/**
 * One of the given literal values (`"draft" | "running" | "stopped"`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const oneOf = <const L extends ReadonlyArray<string | number | boolean>>(values: L): t.Type<L[number], L[number], unknown> => {
  const name = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
  const is = (u: unknown): u is L[number] => values.includes(u as L[number])
  return codec<L[number]>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, name)))
}

/**
 * A string, finite number or boolean (JSON has no NaN or Infinity; from JavaScript they are refused too).
 *
 * @category codecs
 * @since 0.1.0
 */
export const scalar = /* @__PURE__ */ primitive('a string, finite number or boolean', (u): u is string | number | boolean => isString(u) || (isNumber(u) && Number.isFinite(u)) || isBoolean(u))

/**
 * A JSON array of `item`s; errors carry the element index.
 *
 * @category codecs
 * @since 0.1.0
 */
export const array = <A>(item: t.Type<A, A, unknown>, name = `an array of ${item.name}`): t.Type<ReadonlyArray<A>, ReadonlyArray<A>, unknown> =>
  codec<ReadonlyArray<A>>(
    name,
    (u): u is ReadonlyArray<A> => Array.isArray(u) && everyElement(u, item.is),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'an array')
      const errors: Array<t.ValidationError> = []
      const out: Array<A> = []
      // An index loop, not forEach: a hole of a sparse array is an element (undefined), not one to skip.
      for (let i = 0; i < u.length; i++) {
        const x: unknown = u[i]
        const r = item.validate(x, t.appendContext(c, String(i), item, x))
        if (r._tag === 'Left') errors.push(...r.left)
        else out.push(r.right)
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
  )

/**
 * An object whose every value is a `value` (a map keyed by strings).
 *
 * @category codecs
 * @since 0.1.0
 */
export const record = <A>(value: t.Type<A, A, unknown>): t.Type<Readonly<Record<string, A>>, Readonly<Record<string, A>>, unknown> =>
  codec<Readonly<Record<string, A>>>(
    `an object of ${value.name}`,
    (u): u is Readonly<Record<string, A>> => isPlainObject(u) && Object.values(u).every(value.is),
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c, 'an object')
      const errors: Array<t.ValidationError> = []
      for (const [k, v] of Object.entries(u)) {
        const r = value.validate(v, t.appendContext(c, k, value, v))
        if (r._tag === 'Left') errors.push(...r.left)
      }
      return errors.length > 0 ? t.failures(errors) : t.success(u as Readonly<Record<string, A>>)
    },
  )

/**
 * A pair `[a, b]`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const pair = <A, B>(a: t.Type<A, A, unknown>, b: t.Type<B, B, unknown>, name: string): t.Type<readonly [A, B], readonly [A, B], unknown> =>
  codec<readonly [A, B]>(
    name,
    (u): u is readonly [A, B] => Array.isArray(u) && u.length === 2 && a.is(u[0]) && b.is(u[1]),
    (u, c) => {
      if (!Array.isArray(u) || u.length !== 2) return t.failure(u, c, name)
      const ra = a.validate(u[0], t.appendContext(c, '0', a, u[0]))
      const rb = b.validate(u[1], t.appendContext(c, '1', b, u[1]))
      const errors = [...(ra._tag === 'Left' ? ra.left : []), ...(rb._tag === 'Left' ? rb.left : [])]
      return errors.length > 0 ? t.failures(errors) : t.success(u as unknown as readonly [A, B])
    },
  )

/** Stands in the error context for a field no codec knows. */
const unknownField = /* @__PURE__ */ primitive('no such field', (_: unknown): _ is never => false)

type Props = Readonly<Record<string, t.Type<any, any, unknown>>>
type Decoded<P extends Props> = { readonly [K in keyof P]: t.TypeOf<P[K]> }

/**
 * An object with required and optional fields that reports any other field as an error. An optional field may
 * be absent (not `undefined`: JSON has no undefined).
 *
 * @category codecs
 * @since 0.1.0
 */
export const object = <R extends Props, O extends Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<Decoded<R> & Partial<Decoded<O>>, Decoded<R> & Partial<Decoded<O>>, unknown> => {
  type A = Decoded<R> & Partial<Decoded<O>>
  const fields: ReadonlyArray<readonly [string, t.Type<unknown, unknown, unknown>, boolean]> = [
    ...Object.entries(required).map(([k, v]) => [k, v, true] as const),
    ...Object.entries(optional).map(([k, v]) => [k, v, false] as const),
  ]
  const known = fields.map(([k]) => k).join(', ')
  const has = (u: object, k: string) => Object.prototype.hasOwnProperty.call(u, k)
  const validate: Validate<A> = (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c, 'an object')
    const errors: Array<t.ValidationError> = []
    for (const [k, type, isRequired] of fields) {
      if (!has(u, k) && !isRequired) continue
      const v = u[k]
      const r = type.validate(v, t.appendContext(c, k, type, v))
      if (r._tag === 'Left') errors.push(...r.left)
    }
    for (const k of Object.keys(u)) {
      if (!fields.some(([f]) => f === k)) errors.push({ value: u[k], context: t.appendContext(c, k, unknownField, u[k]), message: `no such field (known: ${known})` })
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as A)
  }
  return codec<A>(name, (u): u is A => validate(u, [])._tag === 'Right', validate)
}
