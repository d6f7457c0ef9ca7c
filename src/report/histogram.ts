/**
 * Mergeable duration histograms with fixed log-spaced bins, and quantiles read from them.
 *
 * Bins: bin 0 holds [0, 1 s); bin b >= 1 holds [1 s · 10^((b−1)/40), 1 s · 10^(b/40)), 40 bins per decade, so
 * a bin's upper edge is 1.0593 times its lower edge. A quantile is interpolated inside its bin (geometrically;
 * linearly in bin 0), so it lies in the same bin as the exact sample quantile: within a factor 1.0593 (±6%) of it
 * for durations of 1 s or more, and within 1 s below. Fixed bins are what make histograms of shards add up to
 * the histogram of the whole.
 *
 * From plain JavaScript: a duration that is no number falls in bin 0, `binEdges` of what is no bin is [0, 0],
 * `addToCounts` adds nothing to what is no array or with a weight that is no finite number, and a histogram
 * whose counts are not finite numbers >= 0 counts as empty.
 *
 * @module
 */
import { isHistogram } from './internal/guards'
import type { DurationSummary, Histogram } from './model'

const EMPTY: Histogram = { counts: [] }
/** From plain JavaScript: a histogram that is none (counts not finite numbers >= 0) counts as empty. */
const orEmpty = (h: Histogram): Histogram => (isHistogram(h) ? h : EMPTY)

/** Bins per decade of the log scale. @category histogram @since 0.1.0 */
export const BINS_PER_DECADE = 40

/** Lower edge of bin 1, in milliseconds. @category histogram @since 0.1.0 */
export const HISTOGRAM_FLOOR_MS = 1000

/** The last bin collects everything from about 31.7 years on. @category histogram @since 0.1.0 */
export const MAX_BIN = 1 + BINS_PER_DECADE * 9

/**
 * The bin of a duration in milliseconds (>= 0).
 *
 * @example
 * binOf(500) // => 0
 * binOf(1000) // => 1
 * binOf(86_400_000) // => 198
 *
 * @category histogram
 * @since 0.1.0
 */
export const binOf = (ms: number): number => {
  if (typeof ms !== 'number' || !(ms >= HISTOGRAM_FLOOR_MS)) return 0
  const b = 1 + Math.floor(Math.log10(ms / HISTOGRAM_FLOOR_MS) * BINS_PER_DECADE + 1e-9)
  return b > MAX_BIN ? MAX_BIN : b
}

/**
 * The edges [lower, upper) of a bin, in milliseconds.
 *
 * @example
 * binEdges(0) // => [0, 1000]
 * binEdges(1) // => [1000, 1059.25…]
 *
 * @category histogram
 * @since 0.1.0
 */
export const binEdges = (b: number): readonly [number, number] =>
  !(typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= MAX_BIN) ? [0, 0] : b === 0 ? [0, HISTOGRAM_FLOOR_MS] : [HISTOGRAM_FLOOR_MS * 10 ** ((b - 1) / BINS_PER_DECADE), HISTOGRAM_FLOOR_MS * 10 ** (b / BINS_PER_DECADE)]

/**
 * Adds `weight` at `ms` into a mutable count array (grown as needed).
 *
 * @category histogram
 * @since 0.1.0
 */
export const addToCounts = (counts: Array<number>, ms: number, weight: number): void => {
  if (!Array.isArray(counts) || !(typeof weight === 'number' && Number.isFinite(weight))) return
  const b = binOf(ms)
  while (counts.length <= b) counts.push(0)
  counts[b] = counts[b]! + weight
}

/**
 * Two histograms as one: counts added bin by bin.
 *
 * @example
 * pipe({ counts: [1, 2] }, mergeHistograms({ counts: [0, 1, 4] })) // => { counts: [1, 3, 4] }
 *
 * @category histogram
 * @since 0.1.0
 */
export const mergeHistograms =
  (secondGiven: Histogram) =>
  (firstGiven: Histogram): Histogram => {
    const first = orEmpty(firstGiven)
    const second = orEmpty(secondGiven)
    const n = Math.max(first.counts.length, second.counts.length)
    const counts: Array<number> = []
    for (let i = 0; i < n; i++) counts.push((first.counts[i] ?? 0) + (second.counts[i] ?? 0))
    return { counts }
  }

/**
 * The total weight of a histogram.
 *
 * @category histogram
 * @since 0.1.0
 */
export const histogramTotal = (h: Histogram): number => orEmpty(h).counts.reduce((s, c) => s + c, 0)

/**
 * The q-quantile (0 <= q <= 1) of a histogram, interpolated inside its bin; `undefined` when it is empty.
 * The target rank is q · total weight: the duration below which that weight lies.
 *
 * @example
 * histogramQuantile(0.5)({ counts: [0, 4] }) // => 1029.2…  (geometric middle of bin 1)
 *
 * @category histogram
 * @since 0.1.0
 */
export const histogramQuantile =
  (q: number) =>
  (given: Histogram): number | undefined => {
    const h = orEmpty(given)
    const total = histogramTotal(h)
    if (!(total > 0) || !(typeof q === 'number' && Number.isFinite(q))) return undefined
    const target = Math.min(Math.max(q, 0), 1) * total
    let before = 0
    let last = -1
    for (let b = 0; b < h.counts.length; b++) {
      const c = h.counts[b]!
      if (c <= 0) continue
      last = b
      if (before + c >= target) {
        const f = (target - before) / c
        const [lo, hi] = binEdges(b)
        return b === 0 ? lo + f * (hi - lo) : lo * (hi / lo) ** f
      }
      before += c
    }
    return binEdges(last)[1]
  }

/**
 * The 10th, 25th, 50th, 75th and 90th percentiles of a histogram, with its total weight; `undefined` when empty.
 *
 * @category histogram
 * @since 0.1.0
 */
export const durationSummary = (h: Histogram): DurationSummary | undefined => {
  const count = histogramTotal(h)
  if (!(count > 0)) return undefined
  const q = (p: number) => histogramQuantile(p)(h)!
  return { count, p10: q(0.1), p25: q(0.25), median: q(0.5), p75: q(0.75), p90: q(0.9) }
}
