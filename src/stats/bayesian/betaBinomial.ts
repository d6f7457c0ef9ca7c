/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type TouchpointError } from '../../core/errors'
import { decodeTwoArms, noNaN, requireUnits } from '../codec'
import { checkFields, fields, isRecord, optionIssues } from '../internal/options'
import { betaQuantile } from '../internal/beta'
import { compareBetas, type BetaLaw } from '../internal/betaComparison'
import { rng } from '../internal/random'
import type { BinomialArm, Interval, TwoArms } from '../model'

/**
 * A Beta(alpha, beta) prior on each arm's conversion rate: Beta(1, 1) is uniform (Evan Miller), Beta(0.5, 0.5)
 * is Jeffreys' (Spotify).
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface BetaPrior {
  readonly alpha: number
  readonly beta: number
}

/**
 * Options of {@link betaBinomial}.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface BetaBinomialOptions {
  /** Default Beta(1, 1). */
  readonly prior?: BetaPrior
  /** Credible level of the intervals. Default 0.95. */
  readonly level?: number
  /** Monte Carlo draws for the lift interval (the only part not in closed form), 100 to 1e7. Default 100 000. */
  readonly draws?: number
  /** Seed of those draws. Default `"touchpoint"`. */
  readonly seed?: string
}

/**
 * One arm's posterior.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface BetaPosterior {
  readonly alpha: number
  readonly beta: number
  readonly mean: number
  /** Equal-tailed credible interval, from the exact beta quantiles. */
  readonly interval: Interval
}

/**
 * Result of {@link betaBinomial}.
 *
 * @category bayesian
 * @since 0.1.0
 */
export interface BetaBinomialResult {
  readonly control: BetaPosterior
  readonly treatment: BetaPosterior
  /** P(p_treatment > p_control), exact. */
  readonly probabilityTreatmentBetter: number
  /** Expected loss of each decision: shipping the treatment costs E[max(p_A − p_B, 0)], keeping the control E[max(p_B − p_A, 0)]. */
  readonly expectedLoss: { readonly shipTreatment: number; readonly keepControl: number }
  /** `closed-form` (Evan Miller's sum: an integer shape up to 2 000, and only where the expected loss it gives keeps its digits) or `quadrature` (otherwise, e.g. a Jeffreys prior or large counts). */
  readonly method: 'closed-form' | 'quadrature'
  /** Credible interval of the relative lift p_B / p_A − 1, by seeded Monte Carlo. */
  readonly liftInterval: Interval
  /** Monte Carlo standard error of the interval ends (from the order statistics' binomial spread). */
  readonly liftIntervalError: number
  readonly draws: number
  readonly level: number
}

/** @internal The prior, checked: `{ alpha, beta }`, both finite and > 0, and nothing else. */
export const checkPrior = (prior: unknown): E.Either<TouchpointError, BetaPrior> => {
  if (prior === undefined) return E.right({ alpha: 1, beta: 1 })
  if (!isRecord(prior)) return E.left(invalidInput([issue('prior', 'an object { alpha, beta } with both > 0', prior)]))
  const issues = optionIssues({ alpha: fields.positive, beta: fields.positive }, prior, 'prior')
  for (const k of ['alpha', 'beta'] as const) if (prior[k] === undefined) issues.push(issue(`prior.${k}`, 'a finite number > 0', undefined))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right({ alpha: prior['alpha'] as number, beta: prior['beta'] as number })
}

/** @internal The option fields shared by the Monte Carlo functions. */
export const DRAWS = fields.integerIn(100, 1e7)

/** @internal The posterior of an arm under a prior. */
export const posteriorOf = (prior: BetaPrior, arm: BinomialArm): BetaLaw => ({
  alpha: prior.alpha + arm.conversions,
  beta: prior.beta + arm.units - arm.conversions,
})

const posterior = (law: BetaLaw, level: number): BetaPosterior => {
  const tail = (1 - level) / 2
  return {
    alpha: law.alpha,
    beta: law.beta,
    mean: law.alpha / (law.alpha + law.beta),
    interval: { lower: betaQuantile(tail, law.alpha, law.beta), upper: betaQuantile(tail, law.alpha, law.beta, true) },
  }
}

/**
 * Beta–Binomial A/B analysis: each arm's posterior with exact credible intervals, the exact probability that the
 * treatment converts better (Evan Miller's closed form, accurate to 1e-8 absolute at a million units per arm;
 * jstat's beta functions are off by 1e-2 there), the expected loss of each decision (Chris Stucchio's closed
 * form) and a seeded Monte Carlo interval for the relative lift. Golden cases (50-digit mpmath sums and scipy
 * `beta.ppf`) in tests/golden/stats-bayesian.json.
 *
 * **Gotchas**: P(B > A) is not 1 − p (growthbook/growthbook#2737); decide with the expected loss as well.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 130 } }, betaBinomial())
 * // => right({ probabilityTreatmentBetter: 0.98216…, expectedLoss: { shipTreatment: 0.0000923…, keepControl: 0.03003… },
 * //          control: { mean: 0.1007…, interval: { lower: 0.08293…, upper: 0.12016… }, … }, method: 'quadrature', … })
 *
 * @see https://www.evanmiller.org/bayesian-ab-testing.html
 * @category bayesian
 * @since 0.1.0
 */
export const betaBinomial =
  (options: BetaBinomialOptions = {}) =>
  (arms: TwoArms<BinomialArm>): E.Either<TouchpointError, BetaBinomialResult> =>
    pipe(
      checkFields({ prior: fields.custom('{ alpha, beta }', () => true), level: fields.probability, draws: DRAWS, seed: fields.string })(options),
      E.flatMap((o) =>
        pipe(
          checkPrior(o['prior']),
          E.flatMap((prior) =>
            pipe(
              decodeTwoArms('binomial')(arms),
              E.flatMap(({ arms }) => requireUnits(1)(arms)),
              E.map(({ control, treatment }) => {
                const level = (o['level'] ?? 0.95) as number
                const draws = (o['draws'] ?? 100_000) as number
                const a = posteriorOf(prior, control)
                const b = posteriorOf(prior, treatment)
                const comparison = compareBetas(b, a)
                const lift = liftInterval(a, b, level, draws, (o['seed'] ?? 'touchpoint') as string)
                return {
                  control: posterior(a, level),
                  treatment: posterior(b, level),
                  probabilityTreatmentBetter: comparison.probability,
                  // Shipping the treatment loses E[(p_A − p_B)⁺]; keeping the control loses E[(p_B − p_A)⁺].
                  expectedLoss: { shipTreatment: comparison.shortfall, keepControl: comparison.excess },
                  method: comparison.method,
                  liftInterval: lift.interval,
                  liftIntervalError: lift.error,
                  draws,
                  level,
                }
              }),
            ),
          ),
        ),
      ),
      E.flatMap(noNaN('betaBinomial')),
    )

const liftInterval = (a: BetaLaw, b: BetaLaw, level: number, draws: number, seed: string): { readonly interval: Interval; readonly error: number } => {
  const r = rng(seed)
  const lifts = new Float64Array(draws)
  for (let i = 0; i < draws; i++) lifts[i] = r.beta(b.alpha, b.beta) / r.beta(a.alpha, a.beta) - 1
  lifts.sort()
  const tail = (1 - level) / 2
  const at = (q: number) => lifts[Math.min(draws - 1, Math.max(0, Math.round(q * (draws - 1))))]!
  // The q-quantile's rank has binomial spread √(q(1−q)n); its effect on the value, read off the sorted draws.
  const spread = Math.max(1, Math.round(Math.sqrt(tail * (1 - tail) * draws)))
  const error = Math.max(at(tail + spread / draws) - at(tail), at(1 - tail) - at(1 - tail - spread / draws))
  return { interval: { lower: at(tail), upper: at(1 - tail) }, error }
}
