/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { fields, isRecord } from '../internal/options'
import type { Arm } from '../model'
import { adjustPValues, correctedLevel, CORRECTIONS, type Correction } from './adjustPValues'
import { liftChecked, liftOptions, type LiftOptions, type LiftResult } from './lift'

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
  /** The confidence level asked for across the family; `level` is the level of this (widened) interval. */
  readonly familyLevel: number
}

/**
 * Several treatments against one control: each a {@link lift}, with p-values corrected across the treatments
 * (one family per metric, as growthbook/growthbook#2868 asks) and intervals widened to agree with them: to
 * 1 − (1 − level)/m with Bonferroni or Holm, to Benjamini and Yekutieli's false-coverage level 1 − R(1 − level)/m
 * with Benjamini–Hochberg (R = treatments it declares significant, at least 1). {@link analyze} widens the same way.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 1000, conversions: 100 },
 *        treatments: [{ units: 1000, conversions: 130 }, { units: 1000, conversions: 104 }] },
 *   compareToControl({ correction: 'holm' }))
 * // => right([{ estimate: 0.3, pValue: 0.06559…, adjustedPValue: 0.13119…, level: 0.975, … },
 * //           { estimate: 0.04000…, pValue: 0.7720…, adjustedPValue: 0.7720…, … }])
 *
 * @category frequentist
 * @since 0.1.0
 */
export const compareToControl =
  (options: CompareToControlOptions = {}) =>
  (input: { readonly control: Arm; readonly treatments: ReadonlyArray<Arm> }): E.Either<TouchpointError, ReadonlyArray<ComparisonResult>> =>
    pipe(
      liftOptions(options, { correction: fields.oneOf(CORRECTIONS) }),
      E.flatMap((o) => {
        if (!isRecord(input)) return E.left(invalidInput([issue('', 'an object { control, treatments }', input)]))
        const extra = Object.keys(input).filter((k) => k !== 'control' && k !== 'treatments')
        const treatments = input['treatments']
        if (extra.length > 0 || !Array.isArray(treatments) || treatments.length === 0) {
          return E.left(
            invalidInput([
              ...extra.map((k) => issue(k, 'no such field (known: control, treatments)', (input as Record<string, unknown>)[k])),
              ...(Array.isArray(treatments) && treatments.length > 0 ? [] : [issue('treatments', 'a non-empty array of arms', treatments)]),
            ]),
          )
        }
        const correction = (o.raw['correction'] ?? 'holm') as Correction
        const one = (level: number) =>
          pipe(
            treatments as ReadonlyArray<unknown>,
            RA.traverseWithIndex(E.Applicative)((i, treatment) =>
              pipe(
                liftChecked({ ...o, level })({ control: input['control'], treatment }),
                E.mapLeft((e): TouchpointError => (e._tag === 'InvalidInput' ? invalidInput(e.issues.map((x) => ({ ...x, path: x.path.replace(/^treatment/, `treatments[${i}]`) }))) : e)),
              ),
            ),
          )
        return pipe(
          one(o.level),
          E.flatMap((results) =>
            pipe(
              adjustPValues(correction)(results.map((r) => r.pValue)),
              E.flatMap((adjusted) => {
                const level = correctedLevel(correction, o.level, adjusted)
                return pipe(
                  level === o.level ? E.right(results) : one(level),
                  E.map((widened) => widened.map((r, i) => ({ ...r, adjustedPValue: adjusted[i]!, correction, familyLevel: o.level }))),
                )
              }),
            ),
          ),
        )
      }),
    )
