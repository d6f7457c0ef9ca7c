/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'

/**
 * Multiple-comparison corrections: `bonferroni` and `holm` control the family-wise error rate,
 * `benjamini-hochberg` the false discovery rate (Optimizely, GrowthBook option); `none` leaves p-values as they are.
 *
 * @category frequentist
 * @since 0.1.0
 */
export type Correction = 'none' | 'bonferroni' | 'holm' | 'benjamini-hochberg'

/**
 * Adjusted p-values, in the input order. Matches `statsmodels.stats.multitest.multipletests(p,
 * method='bonferroni' | 'holm' | 'fdr_bh')[1]` (and R's `p.adjust`); golden cases in tests/golden/frequentist.json.
 *
 * **Gotchas**: `Left(InvalidInput)` if any p-value is outside [0, 1] or not a number.
 *
 * @example
 * adjustPValues('holm')([0.01, 0.04, 0.03])
 * // => right([0.03, 0.06, 0.06])
 *
 * @category frequentist
 * @since 0.1.0
 */
export const adjustPValues =
  (method: Correction) =>
  (pValues: ReadonlyArray<number>): E.Either<TouchpointError, ReadonlyArray<number>> => {
    if (!Array.isArray(pValues)) return E.left(invalidInput([issue('', 'an array of p-values', pValues)]))
    // Array.from: a hole of a sparse array is a p-value missing (undefined), which flatMap alone would skip.
    const bad = Array.from(pValues).flatMap((p, i) => (typeof p === 'number' && p >= 0 && p <= 1 ? [] : [issue(`[${i}]`, 'a p-value in [0, 1]', p)]))
    if (bad.length > 0) return E.left(invalidInput(bad))
    const m = pValues.length
    if (method === 'none') return E.right([...pValues])
    if (method === 'bonferroni') return E.right(pValues.map((p) => Math.min(1, p * m)))
    const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i)
    const out = new Array<number>(m)
    if (method === 'holm') {
      let running = 0
      order.forEach(({ p, i }, rank) => {
        running = Math.max(running, Math.min(1, (m - rank) * p))
        out[i] = running
      })
      return E.right(out)
    }
    if (method === 'benjamini-hochberg') {
      let running = 1
      for (let rank = m - 1; rank >= 0; rank--) {
        const { p, i } = order[rank]!
        running = Math.min(running, (m / (rank + 1)) * p)
        out[i] = Math.min(1, running)
      }
      return E.right(out)
    }
    return E.left(invalidInput([issue('method', '"none", "bonferroni", "holm" or "benjamini-hochberg"', method)]))
  }

/**
 * @internal The confidence level of each interval in a family of `m` comparisons after `correction`, so that
 * intervals and adjusted p-values agree: Bonferroni and Holm (family-wise error) widen every interval to
 * 1 − (1 − level)/m, simultaneous coverage (Holm has no tighter intervals that match its step-down); Benjamini–
 * Hochberg (false discovery rate) uses Benjamini and Yekutieli's (2005) false-coverage-rate level
 * 1 − R(1 − level)/m, R the number of comparisons it declares significant (at least 1); `none` keeps `level`.
 * Shared by compareToControl and analyze.
 */
export const correctedLevel = (correction: Correction, level: number, adjusted: ReadonlyArray<number>): number => {
  const m = adjusted.length
  if (m <= 1 || correction === 'none') return level
  if (correction === 'bonferroni' || correction === 'holm') return 1 - (1 - level) / m
  const significant = adjusted.filter((p) => p <= 1 - level).length
  return 1 - (Math.max(significant, 1) * (1 - level)) / m
}

/** @internal The correction option's field. */
export const CORRECTIONS = ['none', 'bonferroni', 'holm', 'benjamini-hochberg'] as const
