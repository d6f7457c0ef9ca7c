/**
 * Numeric summaries of the report: the quantile of sorted numbers (public, as `numpy.quantile`'s default), the
 * percentile interval and standard deviation of bootstrap replicates, and a ratio that is 0 over nothing.
 *
 * @module
 */
import { everyElement } from '../core/guards'
import type { Interval } from './model'

/**
 * The q-quantile of sorted numbers with linear interpolation between order statistics, as `numpy.quantile`'s
 * default (`method='linear'`, Hyndman & Fan type 7).
 *
 * **Gotchas**: `NaN` for an empty list (the quantile of nothing), for a `q` outside [0, 1] (numpy refuses it), and,
 * as `Math` functions do, for a `q` or a list that is not numbers.
 *
 * @example
 * quantileSorted(0.5)([1, 2, 3, 4]) // => 2.5
 *
 * @category report
 * @since 0.1.0
 */
export const quantileSorted =
  (q: number) =>
  (sorted: ReadonlyArray<number>): number => {
    if (!Array.isArray(sorted) || typeof q !== 'number' || !(q >= 0 && q <= 1) || !everyElement(sorted, (x) => typeof x === 'number')) return Number.NaN
    const n = sorted.length
    if (n === 0) return Number.NaN
    const h = (n - 1) * q
    const lo = Math.floor(h)
    const hi = Math.min(lo + 1, n - 1)
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
  }

/** @internal */
export const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0)

/** @internal */
export const percentileInterval = (xs: Array<number>, level: number): Interval => {
  const sorted = xs.slice().sort((a, b) => a - b)
  return { lower: quantileSorted((1 - level) / 2)(sorted), upper: quantileSorted(1 - (1 - level) / 2)(sorted) }
}

/** @internal */
export const sd = (xs: ReadonlyArray<number>): number => {
  if (xs.length < 2) return 0
  const m = xs.reduce((s, x) => s + x, 0) / xs.length
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1))
}
