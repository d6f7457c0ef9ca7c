/**
 * Checking the arguments of the distribution functions: the parameters (strictly, by name) and the point or
 * probability (a number; a probability in [0, 1]).
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
// Named, not E.Either: the declaration bundler renames this module's E (another E is in stats.d.cts) in imports
// but not inside the conditional type below, which left `Cannot find namespace 'E'` in dist (tests/package/types.test.ts).
import type { Either } from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { checkFields, isRecord, type Field } from '../internal/options'

/**
 * A distribution function: parameters first, then the point (or probability); `Left` for bad arguments.
 *
 * @category distributions
 * @since 0.1.0
 */
export type Distributed<P> = undefined extends P
  ? (parameters?: P) => (x: number) => Either<TouchpointError, number>
  : (parameters: P) => (x: number) => Either<TouchpointError, number>

/**
 * @internal Parameters checked against `spec` (every required one present), then `f` of the point `x`: any number
 * but NaN (±Infinity give the limits).
 */
export const atPoint =
  <P>(spec: Readonly<Record<string, Field>>, required: ReadonlyArray<string>, defaults: (o: Readonly<Record<string, unknown>>) => P, f: (p: P, x: number) => number) =>
  (params: unknown) =>
  (x: number): E.Either<TouchpointError, number> =>
    withParams(spec, required, defaults, params, (p) =>
      typeof x === 'number' && !Number.isNaN(x) ? finite(f(p, x)) : E.left(invalidInput([issue('x', 'a number (not NaN)', x)])),
    )

/** @internal Parameters checked, then `f` of a probability in [0, 1] (named `name`). */
export const atProbability =
  <P>(
    spec: Readonly<Record<string, Field>>,
    required: ReadonlyArray<string>,
    defaults: (o: Readonly<Record<string, unknown>>) => P,
    name: 'p' | 'q',
    f: (p: P, prob: number) => number,
  ) =>
  (params: unknown) =>
  (prob: number): E.Either<TouchpointError, number> =>
    withParams(spec, required, defaults, params, (p) =>
      typeof prob === 'number' && prob >= 0 && prob <= 1 ? finite(f(p, prob), true) : E.left(invalidInput([issue(name, 'a probability in [0, 1]', prob)])),
    )

const withParams = <P>(
  spec: Readonly<Record<string, Field>>,
  required: ReadonlyArray<string>,
  defaults: (o: Readonly<Record<string, unknown>>) => P,
  params: unknown,
  then: (p: P) => E.Either<TouchpointError, number>,
): E.Either<TouchpointError, number> => {
  const checked = checkFields(spec, 'parameters')(params)
  if (E.isLeft(checked)) return checked
  const missing = required.filter((k) => !isRecord(params) || params[k] === undefined)
  if (missing.length > 0) return E.left(invalidInput(missing.map((k) => issue(k, spec[k]!.expected, undefined))))
  return then(defaults(checked.right))
}

/** A NaN here is a failure of the method, never an answer; an infinite quantile (p = 0 or 1) is one. */
const finite = (v: number, infiniteAllowed = false): E.Either<TouchpointError, number> =>
  Number.isNaN(v) || (!infiniteAllowed && !Number.isFinite(v))
    ? E.left({ _tag: 'NumericalFailure', reason: 'the computation did not converge for these parameters' })
    : E.right(v)
