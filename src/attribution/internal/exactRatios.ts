/**
 * Position weights as whole numbers in the same ratio, so that positional weights are exact (rules.ts).
 *
 * @module
 */
import type { PositionWeights } from '../model'

/**
 * The same ratios as whole numbers when the weights are decimals of at most 9 places (0.2, 0.2, 0.6 ->
 * 2, 2, 6): `writePositional` (internal/weights.ts) then makes each weight one correctly rounded division of exact integers, so J-shaped
 * gives 0.75 where 0.6 / (0.2 + 0.6) gives 0.7499999999999999. Other weights are returned as given.
 */
export const exactRatios = (w: PositionWeights): PositionWeights => {
  const parts = [w.first, w.middle, w.last]
  for (let places = 0, scale = 1; places <= 9; places++, scale *= 10) {
    const whole = parts.map((x) => Math.round(x * scale))
    const fits = parts.every((x, i) => Math.abs(x * scale - whole[i]!) <= 1e-9 * Math.max(1, whole[i]!))
    if (fits && Number.isSafeInteger(whole[0]! + whole[1]! + whole[2]!)) return { first: whole[0]!, middle: whole[1]!, last: whole[2]! }
  }
  return w
}
