/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { badOptions } from '../codec'
import type { Arm } from '../model'
import { adjustPValues, type Correction } from './adjustPValues'
import { lift, type LiftOptions, type LiftResult } from './lift'

/**
 * Options of {@link compareToControl}: the lift options plus the correction across the treatments.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface CompareToControlOptions extends LiftOptions {
  /** Default `holm`. */
  readonly correction?: Correction
}

/**
 * One treatment against the control, with its p-value adjusted for the number of treatments.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface ComparisonResult extends LiftResult {
  readonly adjustedPValue: number
  readonly correction: Correction
}

/**
 * Several treatments against one control: each a {@link lift}, with p-values corrected across the treatments
 * (one family per metric, as growthbook/growthbook#2868 asks). With `bonferroni` the intervals are widened to
 * level 1 − (1 − level)/m so they agree with the adjusted p-values; with `holm` and `benjamini-hochberg` only the
 * p-values are adjusted.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 1000, conversions: 100 },
 *        treatments: [{ units: 1000, conversions: 130 }, { units: 1000, conversions: 104 }] },
 *   compareToControl({ correction: 'holm' }))
 * // => right([{ estimate: 0.3, pValue: 0.06559…, adjustedPValue: 0.13119…, … }, { estimate: 0.04000…, pValue: 0.7720…, adjustedPValue: 0.7720…, … }])
 *
 * @category frequentist
 * @since 0.1.0
 */
export const compareToControl =
  (options: CompareToControlOptions = {}) =>
  (input: { readonly control: Arm; readonly treatments: ReadonlyArray<Arm> }): E.Either<TouchpointError, ReadonlyArray<ComparisonResult>> => {
    const bad = badOptions(options)
    if (bad !== undefined) return bad
    if (input === null || typeof input !== 'object' || !Array.isArray(input.treatments) || input.treatments.length === 0) {
      return E.left(invalidInput([issue('treatments', 'a non-empty array of arms', (input as { treatments?: unknown } | null)?.treatments)]))
    }
    const correction = options.correction ?? 'holm'
    const m = input.treatments.length
    const level = options.level ?? 0.95
    const liftLevel = correction === 'bonferroni' ? 1 - (1 - level) / m : level
    return pipe(
      input.treatments,
      RA.traverseWithIndex(E.Applicative)((i, treatment) =>
        pipe(
          lift({ ...options, level: liftLevel })({ control: input.control, treatment }),
          E.mapLeft((e): TouchpointError => (e._tag === 'InvalidInput' ? invalidInput(e.issues.map((x) => ({ ...x, path: x.path.replace(/^treatment/, `treatments[${i}]`) }))) : e)),
        ),
      ),
      E.flatMap((results) =>
        pipe(
          adjustPValues(correction)(results.map((r) => r.pValue)),
          E.map((adjusted) => results.map((r, i) => ({ ...r, level: liftLevel, adjustedPValue: adjusted[i]!, correction }))),
        ),
      ),
    )
  }
