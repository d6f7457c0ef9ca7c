/**
 * Growing the typed scratch arrays the replicate layer keeps per channel.
 *
 * @internal
 * @module
 */

/**
 * `a` copied into a new array of its kind with room for index `i` >= `a.length` (twice as many, so growth is
 * amortised); the new entries are 0.
 */
export const widened = <A extends Int32Array | Float64Array>(a: A, i: number): A => {
  const next = new (a.constructor as new (length: number) => A)(2 * i + 2)
  next.set(a)
  return next
}
