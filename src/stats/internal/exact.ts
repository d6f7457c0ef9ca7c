/**
 * Error-free products, for differences of rates that are nearly equal. `c₁/n₁ − c₂/n₂` computed as two
 * divisions loses every digit the rates share (rates of 0.9999982 and 0.9999981 keep about 9 digits of their
 * difference); `(c₁n₂ − c₂n₁) / (n₁n₂)` with the products kept exact keeps all of them.
 *
 * @internal
 * @module
 */

// Veltkamp's splitter 2^27 + 1 cuts a double into two halves whose product terms are exact (Dekker 1971).
const SPLITTER = 134217729

const high = (x: number): number => {
  const c = SPLITTER * x
  return c - (c - x)
}

/** @internal The rounding error of `a * b`: `a * b` (rounded) plus this is the exact product. */
const productError = (a: number, b: number, product: number): number => {
  const aHigh = high(a)
  const aLow = a - aHigh
  const bHigh = high(b)
  const bLow = b - bHigh
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow
}

/**
 * @internal `a·b − c·d` to within a few units in the last place of the result, even when the two products
 * agree in most of their digits (where the plain expression cancels them away).
 */
export const productDifference = (a: number, b: number, c: number, d: number): number => {
  const ab = a * b
  const cd = c * d
  return ab - cd + (productError(a, b, ab) - productError(c, d, cd))
}
