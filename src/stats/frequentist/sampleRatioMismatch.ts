/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { insufficientData, invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { checkFields, fields } from '../internal/options'
import { chiSquareSf } from '../internal/chiSquare'

/**
 * Options of {@link sampleRatioMismatch}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface SampleRatioMismatchOptions {
  /** p-value below which the split is flagged. Default 0.001 (GrowthBook, Eppo, Fabijan et al. KDD 2019). */
  readonly threshold?: number
}

/**
 * Result of {@link sampleRatioMismatch}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface SampleRatioMismatchResult {
  readonly chiSquare: number
  readonly df: number
  readonly pValue: number
  /** `pValue < threshold`: the observed split is very unlikely under the designed weights. */
  readonly mismatch: boolean
  readonly threshold: number
  /** Units expected per arm under the designed weights. */
  readonly expected: ReadonlyArray<number>
  /** Observed share of units per arm. */
  readonly observedShares: ReadonlyArray<number>
}

/**
 * Sample ratio mismatch: Pearson's chi-square goodness of fit of the observed units per arm to the designed
 * weights (normalised to sum to 1), df = arms with a positive weight − 1. Matches `scipy.stats.chisquare(units,
 * expected)`; golden cases in tests/golden/frequentist.json. Weights come from the design, e.g.
 * `pipe(assigner, designedSplit(key), E.map((split) => split.map((s) => s.weight)))` from `touchpoint/assignment` (mozilla/experimenter#16010:
 * checking against equal shares raises false alarms on unequal designs).
 *
 * **Gotchas**: an arm with weight 0 and units in it is a mismatch (p = 0). `Left(InsufficientData)` with no units.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe([5000, 5200], sampleRatioMismatch([0.5, 0.5]))
 * // => right({ chiSquare: 3.9215…, df: 1, pValue: 0.04767…, mismatch: false, expected: [5100, 5100], … })
 *
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.chisquare.html
 * @category frequentist
 * @since 0.1.0
 */
export const sampleRatioMismatch =
  (weights: ReadonlyArray<number>, options: SampleRatioMismatchOptions = {}) =>
  (units: ReadonlyArray<number>): E.Either<TouchpointError, SampleRatioMismatchResult> => {
    const checked = checkFields({ threshold: fields.probability })(options)
    if (E.isLeft(checked)) return checked
    const issues: Array<Issue> = []
    if (!Array.isArray(weights) || weights.length < 2) issues.push(issue('weights', 'at least 2 weights', weights))
    if (!Array.isArray(units)) issues.push(issue('units', 'an array of unit counts', units))
    if (issues.length > 0) return E.left(invalidInput(issues))
    if (units.length !== weights.length) return E.left(invalidInput([issue('units', `${weights.length} counts, one per weight`, units)]))
    // Array.from: a hole of a sparse array is a weight or count missing (undefined), which forEach would skip.
    Array.from(weights).forEach((w, i) => {
      if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0)) issues.push(issue(`weights[${i}]`, 'a finite number ≥ 0', w))
    })
    Array.from(units).forEach((n, i) => {
      if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0)) issues.push(issue(`units[${i}]`, 'a non-negative integer', n))
    })
    const threshold = (checked.right['threshold'] ?? 0.001) as number
    if (issues.length > 0) return E.left(invalidInput(issues))
    const totalWeight = weights.reduce((s, w) => s + w, 0)
    if (!(totalWeight > 0)) return E.left(invalidInput([issue('weights', 'at least one positive weight', weights)]))
    const total = units.reduce((s, n) => s + n, 0)
    if (total === 0) return E.left(insufficientData('no units in any arm'))
    const expected = weights.map((w) => (total * w) / totalWeight)
    let chiSquare = 0
    let cells = 0
    let impossible = false
    units.forEach((o, i) => {
      const e = expected[i]!
      if (e > 0) {
        chiSquare += ((o - e) * (o - e)) / e
        cells++
      } else if (o > 0) impossible = true
    })
    const df = Math.max(cells - 1, 1)
    const pValue = impossible ? 0 : cells < 2 ? 1 : chiSquareSf(chiSquare, df)
    return E.right({
      chiSquare: impossible ? Number.POSITIVE_INFINITY : chiSquare,
      df,
      pValue,
      mismatch: pValue < threshold,
      threshold,
      expected,
      observedShares: units.map((n) => n / total),
    })
  }
