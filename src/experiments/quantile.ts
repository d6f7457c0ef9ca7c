/**
 * @module
 */

/**
 * The `q` quantile of `values` by linear interpolation between order statistics, exactly as SQL's
 * `PERCENTILE_CONT(q) WITHIN GROUP (ORDER BY x)` (PostgreSQL, Snowflake, Redshift) and DuckDB's `quantile_cont`
 * compute it: position `q·(n − 1)` in the sorted values, interpolated between its neighbours. Sorts `values` in
 * place. `undefined` for no values, for values that are not all finite (NaN, ±∞), for what is no `Float64Array`, and for a `q`
 * outside [0, 1].
 *
 * @example
 * percentileCont(0.5)(Float64Array.from([4, 1, 3, 2])) // => 2.5
 * percentileCont(0.99)(Float64Array.from([0, 0, 10])) // => 9.8
 *
 * @category metrics
 * @since 0.2.0
 */
export const percentileCont =
  (q: number) =>
  (values: Float64Array): number | undefined => {
    if (!(typeof q === 'number' && q >= 0 && q <= 1) || !(values instanceof Float64Array)) return undefined
    const n = values.length
    if (n === 0) return undefined
    values.sort()
    // Sorting puts -∞ first, +∞ and NaN last: two looks say whether every value is finite.
    if (!Number.isFinite(values[0]!) || !Number.isFinite(values[n - 1]!)) return undefined
    const position = q * (n - 1)
    const lower = Math.floor(position)
    const below = values[lower]!
    if (lower + 1 >= n) return below
    return below + (position - lower) * (values[lower + 1]! - below)
  }
