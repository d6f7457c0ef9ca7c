/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { insufficientData, invalidInput, issue, type TouchpointError } from '../../core/errors'
import { decodeArm } from '../codec'
import { checkFields, fields } from '../internal/options'
import { chiSquareSf } from '../internal/chiSquare'
import { productDifference } from '../internal/exact'
import type { BinomialArm } from '../model'

/**
 * Options of {@link chiSquareTest}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface ChiSquareTestOptions {
  /** Yates' continuity correction; applied only with 2 arms (df = 1), as scipy does. Default false. */
  readonly correction?: boolean
}

/**
 * Result of {@link chiSquareTest}.
 *
 * @category frequentist
 * @since 0.1.0
 */
export interface ChiSquareTestResult {
  readonly chiSquare: number
  readonly df: number
  readonly pValue: number
}

/**
 * Pearson's chi-square test that k arms share one conversion rate (a k × 2 table of conversions and
 * non-conversions). Matches `scipy.stats.chi2_contingency(table, correction=...)`; golden cases in
 * tests/golden/frequentist.json. With two arms and no correction it equals the square of the pooled z-test.
 *
 * **Gotchas**: `Left(InsufficientData)` when nobody, or everybody, converted (an expected count of 0).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe([{ units: 1000, conversions: 100 }, { units: 1000, conversions: 130 }, { units: 1000, conversions: 104 }], chiSquareTest())
 * // => right({ chiSquare: 5.3636…, df: 2, pValue: 0.06843… })
 *
 * @category frequentist
 * @since 0.1.0
 */
export const chiSquareTest =
  (options: ChiSquareTestOptions = {}) =>
  (arms: ReadonlyArray<BinomialArm>): E.Either<TouchpointError, ChiSquareTestResult> => {
    const checked = checkFields({ correction: fields.boolean })(options)
    if (E.isLeft(checked)) return checked
    if (!Array.isArray(arms) || arms.length < 2) return E.left(invalidInput([issue('', 'an array of at least 2 binomial arms', arms)]))
    return pipe(
      arms as ReadonlyArray<unknown>,
      RA.traverseWithIndex(E.Applicative)((i, a) => decodeArm(`[${i}]`, 'binomial')(a)),
      E.flatMap((decoded) => {
        const table = decoded.map((d) => d.arm as BinomialArm)
        const total = table.reduce((s, a) => s + a.units, 0)
        const converted = table.reduce((s, a) => s + a.conversions, 0)
        if (table.some((a) => a.units === 0)) return E.left(insufficientData('an arm has no units'))
        if (converted === 0 || converted === total) return E.left(insufficientData('nobody or everybody converted: nothing to compare'))
        const df = table.length - 1
        const yates = checked.right['correction'] === true && df === 1
        let chiSquare = 0
        for (const a of table) {
          // observed − expected conversions, c − n·C/N, as (c·N − n·C)/N with exact products: the plain
          // difference cancels most digits when the expected count is large. Non-conversions differ by the negative.
          let diff = Math.abs(productDifference(a.conversions, total, a.units, converted) / total)
          if (yates) diff -= Math.min(0.5, diff)
          const expectedConverted = (a.units * converted) / total
          const expectedNot = (a.units * (total - converted)) / total
          chiSquare += (diff * diff) / expectedConverted + (diff * diff) / expectedNot
        }
        return E.right({ chiSquare, df, pValue: chiSquareSf(chiSquare, df) })
      }),
    )
  }
