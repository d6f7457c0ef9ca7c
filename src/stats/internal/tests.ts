/**
 * The pieces every test shares: a p-value from a statistic and the interval around an estimate, for either
 * alternative, on the normal or Student t scale.
 *
 * @internal
 * @module
 */
import type { Alternative, Interval } from '../model'
import { normalIsf, normalSf } from './normal'
import { studentTIsf, studentTSf } from './studentT'

/** @internal P(X > x) of the reference distribution: the normal (df = Infinity) or Student t. */
export const upperTail = (x: number, df: number): number => (df === Number.POSITIVE_INFINITY ? normalSf(x) : studentTSf(x, df))

/** @internal The x with P(X > x) = q. */
export const upperQuantile = (q: number, df: number): number => (df === Number.POSITIVE_INFINITY ? normalIsf(q) : studentTIsf(q, df))

/** @internal The p-value of `statistic` (treatment − control scale) under `alternative`. */
export const pValueOf = (statistic: number, df: number, alternative: Alternative): number => {
  switch (alternative) {
    case 'two-sided':
      return Math.min(1, 2 * upperTail(Math.abs(statistic), df))
    case 'greater':
      return upperTail(statistic, df)
    case 'less':
      return upperTail(-statistic, df)
  }
}

/** @internal The interval at `level` around `estimate` with standard error `se`. */
export const intervalOf = (estimate: number, se: number, df: number, level: number, alternative: Alternative): Interval => {
  const alpha = 1 - level
  if (alternative === 'two-sided') {
    const w = upperQuantile(alpha / 2, df) * se
    return { lower: estimate - w, upper: estimate + w }
  }
  const w = upperQuantile(alpha, df) * se
  return alternative === 'greater' ? { lower: estimate - w, upper: Number.POSITIVE_INFINITY } : { lower: Number.NEGATIVE_INFINITY, upper: estimate + w }
}

/** @internal Welch–Satterthwaite degrees of freedom from the two variances of the means. */
export const welchDf = (vA: number, nA: number, vB: number, nB: number): number =>
  ((vA + vB) * (vA + vB)) / ((vA * vA) / (nA - 1) + (vB * vB) / (nB - 1))
