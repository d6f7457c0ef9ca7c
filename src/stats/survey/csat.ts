/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { proportionsZTest, type ProportionsZTestOptions, type ProportionsZTestResult } from '../frequentist/proportionsZTest'
import { ALTERNATIVE, checkFields, fields } from '../internal/options'
import type { BinomialArm } from '../model'

/**
 * Options of {@link csat}.
 *
 * @category survey
 * @since 0.1.0
 */
export interface CsatOptions extends ProportionsZTestOptions {
  /** Lowest rating counted as satisfied, 1-based. Default 4 (top-2-box on a 1–5 scale). */
  readonly satisfiedFrom?: number
}

/**
 * Result of {@link csat}: the satisfied share of each arm and the two-proportion test between them.
 *
 * @category survey
 * @since 0.1.0
 */
export interface CsatResult extends ProportionsZTestResult {
  readonly control: BinomialArm
  readonly treatment: BinomialArm
}

/**
 * Customer satisfaction as a proportion: ratings per arm as counts per scale point (`[count of 1, count of 2,
 * …]`), the share rating at least `satisfiedFrom`, compared with {@link proportionsZTest} (statsmodels
 * `proportions_ztest`).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: [10, 20, 70, 150, 250], treatment: [8, 15, 60, 160, 257] }, csat())
 * // => right({ controlRate: 0.8, treatmentRate: 0.834, z: 1.3903…, pValue: 0.1644…, control: { units: 500, conversions: 400 }, … })
 *
 * @category survey
 * @since 0.1.0
 */
export const csat =
  (options: CsatOptions = {}) =>
  (ratings: { readonly control: ReadonlyArray<number>; readonly treatment: ReadonlyArray<number> }): E.Either<TouchpointError, CsatResult> => {
    const checked = checkFields({ satisfiedFrom: fields.integerIn(1, 1000), alternative: ALTERNATIVE, level: fields.probability })(options)
    if (E.isLeft(checked)) return checked
    const from = (checked.right['satisfiedFrom'] ?? 4) as number
    const issues: Array<Issue> = []
    if (ratings === null || typeof ratings !== 'object') return E.left(invalidInput([issue('', 'an object { control, treatment } of rating counts', ratings)]))
    for (const side of ['control', 'treatment'] as const) {
      const r = ratings[side]
      if (!Array.isArray(r) || r.length < 2) issues.push(issue(side, 'an array of counts per scale point (at least 2)', r))
      else Array.from(r).forEach((c, i) => !(typeof c === 'number' && Number.isInteger(c) && c >= 0) && issues.push(issue(`${side}[${i}]`, 'a non-negative integer', c)))
    }
    if (!(Number.isInteger(from) && from >= 1)) issues.push(issue('satisfiedFrom', 'a scale point ≥ 1', from))
    if (issues.length > 0) return E.left(invalidInput(issues))
    const toArm = (r: ReadonlyArray<number>): BinomialArm => ({
      units: r.reduce((s, c) => s + c, 0),
      conversions: r.slice(from - 1).reduce((s, c) => s + c, 0),
    })
    const control = toArm(ratings.control)
    const treatment = toArm(ratings.treatment)
    const { satisfiedFrom: _unused, ...zOptions } = checked.right
    return pipe(
      proportionsZTest(zOptions as ProportionsZTestOptions)({ control, treatment }),
      E.map((r) => ({ ...r, control, treatment })),
    )
  }
