/**
 * Small io-ts building blocks shared by every area's codecs: refinements whose name is the phrase a user reads
 * in an error (`a number in [0, 1]`), and objects that reject unknown fields instead of dropping them silently
 * (a typo such as `weigth` must not pass as "no weight given").
 *
 * @module
 */
import * as t from 'io-ts'
import { isRight } from 'fp-ts/Either'

/**
 * `codec` narrowed by `predicate`; `expected` names it in errors.
 *
 * @category codecs
 * @since 0.1.0
 */
export const refine = <A, O>(codec: t.Type<A, O, unknown>, predicate: (a: A) => boolean, expected: string) =>
  new t.Type<A, O, unknown>(
    expected,
    (u): u is A => codec.is(u) && predicate(u),
    (u, c) => {
      const base = codec.validate(u, c)
      // A failure inside (an array element, a field) is more precise than the refinement's own name.
      if (!isRight(base)) return base
      return predicate(base.right) ? base : t.failure(u, c, expected)
    },
    codec.encode,
  )

/** @category codecs @since 0.1.0 */
export const NonEmptyString = refine(t.string, (s) => s.length > 0, 'a non-empty string')

/** @category codecs @since 0.1.0 */
export const Fraction = refine(t.number, (n) => n >= 0 && n <= 1, 'a number in [0, 1]')

/** @category codecs @since 0.1.0 */
export const FiniteNumber = refine(t.number, Number.isFinite, 'a finite number')

/** @category codecs @since 0.1.0 */
export const NonNegativeInteger = refine(t.number, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')

/**
 * An object with required and optional fields that reports any other field as an error.
 *
 * @category codecs
 * @since 0.1.0
 */
export const object = <R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) => {
  // Validated member by member with the same context (not through t.intersection, whose member indexes would
  // appear in error paths).
  const requiredCodec = t.type(required)
  const optionalCodec = t.partial(optional)
  const base = t.intersection([requiredCodec, optionalCodec], name)
  const known = new Set([...Object.keys(required), ...Object.keys(optional)])
  const knownList = [...known].join(', ')
  type A = t.TypeOf<typeof base>
  return new t.Type<A, t.OutputOf<typeof base>, unknown>(
    name,
    base.is,
    (u, c) => {
      if (u === null || typeof u !== 'object' || Array.isArray(u)) return t.failure(u, c, 'an object')
      const r = requiredCodec.validate(u, c)
      const o = optionalCodec.validate(u, c)
      const memberErrors = [...(isRight(r) ? [] : r.left), ...(isRight(o) ? [] : o.left)]
      const excess: t.Errors = Object.keys(u)
        .filter((k) => !known.has(k))
        .map((k) => {
          const value = (u as Record<string, unknown>)[k]
          return { value, context: t.appendContext(c, k, t.never, value), message: `no such field (known: ${knownList})` }
        })
      const errors = [...memberErrors, ...excess]
      if (errors.length > 0 || !isRight(r) || !isRight(o)) return t.failures(errors)
      return t.success({ ...o.right, ...r.right } as A)
    },
    base.encode,
  )
}
