/**
 * The Wilson score interval, shared by the actions (conversion after a touchpoint) and the surveys (CSAT shares).
 *
 * @module
 * @internal
 */
// The bare quantile (no Either): callers check the level, so the z value is always defined.
import { normalIsf } from '../../stats/internal/normal'
import type { Estimate } from '../actions'

/** @internal Wilson score interval of `k` successes in `n` trials (weights allowed), at two-sided level. */
export const wilsonInterval = (k: number, n: number, level: number): Estimate => {
  const p = n > 0 ? k / n : 0
  if (!(n > 0)) return { value: 0, lower: 0, upper: 1 }
  const z = normalIsf((1 - level) / 2)
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  // At 0 or n successes the bound is exactly 0 or 1 (rounding would leave 1e-17 beside the rate).
  return { value: p, lower: k <= 0 ? 0 : Math.max(0, centre - half), upper: k >= n ? 1 : Math.min(1, centre + half) }
}
