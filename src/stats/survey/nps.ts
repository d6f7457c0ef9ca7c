/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { insufficientData, invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { checkOptions, intervalEnds, noNaN } from '../codec'
import { intervalOf, pValueOf } from '../internal/tests'
import type { Alternative, Interval } from '../model'

/**
 * Net Promoter Score responses of one arm: counts of promoters (9–10), passives (7–8) and detractors (0–6).
 *
 * @category survey
 * @since 0.1.0
 */
export interface NpsArm {
  readonly promoters: number
  readonly passives: number
  readonly detractors: number
}

/**
 * One arm's NPS.
 *
 * @category survey
 * @since 0.1.0
 */
export interface NpsScore {
  readonly responses: number
  /** (promoters − detractors) / responses, in [−1, 1]; multiply by 100 for the usual −100..100 scale. */
  readonly score: number
  /** Per-response variance p₊ + p₋ − (p₊ − p₋)² (each response is +1, 0 or −1). */
  readonly variance: number
  readonly standardError: number
  readonly interval: Interval
}

/**
 * Result of {@link nps}.
 *
 * @category survey
 * @since 0.1.0
 */
export interface NpsResult {
  readonly control: NpsScore
  readonly treatment: NpsScore
  readonly difference: number
  readonly standardError: number
  readonly interval: Interval
  readonly z: number
  readonly pValue: number
  readonly alternative: Alternative
  readonly level: number
}

const checkArm = (path: string, u: unknown): ReadonlyArray<Issue> => {
  if (u === null || typeof u !== 'object') return [issue(path, 'an object { promoters, passives, detractors }', u)]
  const o = u as Record<string, unknown>
  const out: Array<Issue> = []
  for (const k of ['promoters', 'passives', 'detractors']) {
    const v = o[k]
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) out.push(issue(`${path}.${k}`, 'a non-negative integer', v))
  }
  for (const k of Object.keys(o)) if (!['promoters', 'passives', 'detractors'].includes(k)) out.push(issue(`${path}.${k}`, 'no such field (known: promoters, passives, detractors)', o[k]))
  return out
}

const score = (a: NpsArm, level: number): NpsScore => {
  const n = a.promoters + a.passives + a.detractors
  const pp = a.promoters / n
  const pd = a.detractors / n
  const s = pp - pd
  const variance = Math.max(0, pp + pd - s * s)
  const standardError = Math.sqrt(variance / n)
  return { responses: n, score: s, variance, standardError, interval: intervalOf(s, standardError, Number.POSITIVE_INFINITY, level, 'two-sided') }
}

/**
 * Net Promoter Score of each arm with its variance and Wald interval, and a z-test of the difference between
 * variants (each response scored +1, 0, −1; variances of a multinomial). Golden cases (numpy on the expanded
 * responses, scipy `norm`) in tests/golden/stats-survey.json.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { promoters: 420, passives: 300, detractors: 280 }, treatment: { promoters: 470, passives: 290, detractors: 240 } }, nps())
 * // => right({ control: { score: 0.14000…, variance: 0.6804, … }, treatment: { score: 0.23000…, … }, difference: 0.09000…, z: 2.4609…,
 * //            pValue: 0.01385…, … })
 *
 * @category survey
 * @since 0.1.0
 */
export const nps =
  (options: { readonly alternative?: Alternative; readonly level?: number } = {}) =>
  (arms: { readonly control: NpsArm; readonly treatment: NpsArm }): E.Either<TouchpointError, NpsResult> =>
    pipe(
      checkOptions(options),
      E.flatMap(({ alternative }) => {
        if (arms === null || typeof arms !== 'object') return E.left(invalidInput([issue('', 'an object { control, treatment }', arms)]))
        const issues = [...checkArm('control', arms.control), ...checkArm('treatment', arms.treatment)]
        if (issues.length > 0) return E.left(invalidInput(issues))
        const level = options.level ?? 0.95
        for (const side of ['control', 'treatment'] as const) {
          const a = arms[side]
          if (a.promoters + a.passives + a.detractors === 0) return E.left(insufficientData(`the ${side} has no responses`))
        }
        const a = score(arms.control, level)
        const b = score(arms.treatment, level)
        const se = Math.sqrt(a.standardError ** 2 + b.standardError ** 2)
        if (!(se > 0)) return E.left(insufficientData('every response in both arms is the same'))
        const difference = b.score - a.score
        const z = difference / se
        return E.right({
          control: a,
          treatment: b,
          difference,
          standardError: se,
          interval: intervalOf(difference, se, Number.POSITIVE_INFINITY, level, alternative),
          z,
          pValue: pValueOf(z, Number.POSITIVE_INFINITY, alternative),
          alternative,
          level,
        })
      }),
      E.flatMap(noNaN('nps', intervalEnds)),
    )
