/**
 * One call from sufficient statistics to everything a team reads: the lift of each variant over the control with
 * its interval and corrected p-value, the Bayesian probability of being better, the sample ratio check and,
 * optionally, an always-valid interval. `summarize` (./summarize) renders it as text or Markdown.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as RA from 'fp-ts/ReadonlyArray'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { everyElement } from '../core/guards'
import { checkPrior, posteriorOf, type BetaPrior } from './bayesian/betaBinomial'
import { gaussianPosterior } from './bayesian/gaussianBayes'
import { decodeArm, noNaN } from './codec'
import { adjustPValues, CORRECTIONS, correctedLevel, type Correction } from './frequentist/adjustPValues'
import { cupedEstimate } from './frequentist/cuped'
import { liftOfEstimates } from './frequentist/lift'
import { sampleRatioMismatch, type SampleRatioMismatchResult } from './frequentist/sampleRatioMismatch'
import { compareBetas } from './internal/betaComparison'
import { estimateOf, type Estimate } from './internal/estimate'
import { checkFields, fields, LIFT_TYPE } from './internal/options'
import { intervalOf, pValueOf } from './internal/tests'
import type { Arm, BinomialArm, ContinuousArm, Interval, LiftType, MetricKind } from './model'
import { sequenceOf } from './sequential/confidenceSequence'

/**
 * A named arm: sufficient statistics plus a name and, optionally, its designed weight.
 *
 * @category analysis
 * @since 0.1.0
 */
export type NamedArm = Arm & { readonly name: string; readonly weight?: number }

/**
 * What {@link analyze} reads: arms (the control first unless `control` names it), and optionally the designed
 * weights (default: equal, or the arms' `weight` fields).
 *
 * @category analysis
 * @since 0.1.0
 */
export interface ExperimentData {
  readonly arms: ReadonlyArray<NamedArm>
  readonly control?: string
  readonly weights?: ReadonlyArray<number>
}

/**
 * Options of {@link analyze}.
 *
 * @category analysis
 * @since 0.1.0
 */
export interface AnalyzeOptions {
  /** Default 0.95: the confidence level across the family of comparisons (see `correction`). */
  readonly level?: number
  /** Default `relative`. */
  readonly type?: LiftType
  /**
   * Across the treatments; default `holm`. P-values are adjusted and intervals widened to agree with them, exactly
   * as {@link compareToControl} does: to 1 − (1 − level)/m with Bonferroni or Holm, to the false-coverage level
   * 1 − R(1 − level)/m with Benjamini–Hochberg.
   */
  readonly correction?: Correction
  /** Add the always-valid confidence sequence (safe to peek). Default false. */
  readonly sequential?: boolean
  /** Tuning of the confidence sequence. Default 5000. */
  readonly tuning?: number
  /** Prior of the Beta–Binomial model for conversion metrics. Default Beta(1, 1). */
  readonly prior?: BetaPrior
  /** p-value below which the split is flagged. Default 0.001. */
  readonly srmThreshold?: number
  /**
   * Use CUPED when every arm carries a covariate. Default true. Every figure is then adjusted: the lift, its
   * interval and p-value, P(better) (the Gaussian model on the CUPED estimate) and the always-valid interval.
   */
  readonly cuped?: boolean
}

/**
 * One treatment against the control.
 *
 * @category analysis
 * @since 0.1.0
 */
export interface Comparison {
  readonly name: string
  readonly control: string
  readonly estimate: number
  /** At the analysis' `intervalLevel` (the family level widened for the correction). */
  readonly interval: Interval
  /** `delta`, or `log-ratio` for a conversion rate's relative lift whose delta interval would pass −100%. */
  readonly intervalMethod: 'delta' | 'log-ratio'
  readonly pValue: number
  /** After the correction across treatments (equal to `pValue` with one treatment). */
  readonly adjustedPValue: number
  /**
   * P(treatment better than control): exact Beta–Binomial for conversions (relative accuracy 1e-9 however small),
   * GrowthBook's Gaussian model otherwise (on the CUPED estimate when CUPED is used).
   */
  readonly probabilityBetter: number
  /** The always-valid interval, at the same corrected level. */
  readonly sequentialInterval?: Interval
  readonly sequentialPValue?: number
  /** The always-valid p-value after the same correction. */
  readonly sequentialAdjustedPValue?: number
  /** Share of variance CUPED removed, when it was used. */
  readonly varianceReduction?: number
}

/**
 * Result of {@link analyze}.
 *
 * @category analysis
 * @since 0.1.0
 */
export interface Analysis {
  readonly kind: MetricKind
  readonly type: LiftType
  /** The confidence level asked for, across the family of comparisons. */
  readonly level: number
  /** The level of each comparison's interval after the correction (equal to `level` with one treatment). */
  readonly intervalLevel: number
  readonly correction: Correction
  /** The control arm, and how it was chosen: named in the data (`control`) or, failing that, the first arm. */
  readonly control: { readonly name: string; readonly chosenBy: 'name' | 'first arm' }
  readonly arms: ReadonlyArray<{ readonly name: string; readonly units: number; readonly mean: number }>
  readonly comparisons: ReadonlyArray<Comparison>
  readonly sampleRatio: SampleRatioMismatchResult
  /** Whether CUPED adjusted the figures (every one of them, see {@link AnalyzeOptions.cuped}). */
  readonly cuped: boolean
}

const meanOf = (kind: MetricKind, a: Arm): number => {
  if (kind === 'binomial') return (a as BinomialArm).conversions / a.units
  if (kind === 'continuous') return (a as ContinuousArm).sum / a.units
  const r = a as { readonly numeratorSum: number; readonly denominatorSum: number }
  return r.numeratorSum / r.denominatorSum
}

/**
 * The arms of an experiment, checked: names unique and non-empty, every arm of one kind, weights ≥ 0.
 *
 * @category analysis
 * @since 0.1.0
 */
export const decodeExperimentData = (u: unknown): E.Either<TouchpointError, { readonly kind: MetricKind; readonly data: ExperimentData }> => {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return E.left(invalidInput([issue('', 'an object { arms: [...] }', u)]))
  const o = u as Record<string, unknown>
  const issues: Array<Issue> = []
  for (const k of Object.keys(o)) if (!['arms', 'control', 'weights'].includes(k)) issues.push(issue(k, 'no such field (known: arms, control, weights)', o[k]))
  const arms = o['arms']
  if (!Array.isArray(arms) || arms.length < 2) return E.left(invalidInput([...issues, issue('arms', 'an array of at least 2 arms', arms)]))
  let kind: MetricKind | undefined
  const names = new Set<string>()
  const decoded: Array<NamedArm> = []
  // Every index, holes of a sparse array included (forEach skips them): a hole is an arm missing, not none.
  Array.from(arms as ReadonlyArray<unknown>).forEach((raw: unknown, i) => {
    if (raw === null || typeof raw !== 'object') {
      issues.push(issue(`arms[${i}]`, 'an arm object', raw))
      return
    }
    const { name, weight, ...stats } = raw as Record<string, unknown>
    if (typeof name !== 'string' || name === '') issues.push(issue(`arms[${i}].name`, 'a non-empty string', name))
    else if (names.has(name)) issues.push(issue(`arms[${i}].name`, 'a name no other arm has', name))
    else names.add(name)
    if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) issues.push(issue(`arms[${i}].weight`, 'a finite number ≥ 0', weight))
    const r = decodeArm(`arms[${i}]`, kind)(stats)
    if (E.isLeft(r)) {
      if (r.left._tag === 'InvalidInput') issues.push(...r.left.issues)
      return
    }
    kind ??= r.right.kind
    decoded.push({ ...r.right.arm, name: name as string, ...(weight === undefined ? {} : { weight: weight as number }) })
  })
  const control = o['control']
  if (control !== undefined && (typeof control !== 'string' || !names.has(control))) issues.push(issue('control', `the name of an arm (${[...names].join(', ')})`, control))
  const weights = o['weights']
  if (weights !== undefined && !(Array.isArray(weights) && weights.length === arms.length && everyElement(weights, (w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))) {
    issues.push(issue('weights', `${arms.length} finite numbers ≥ 0, one per arm`, weights))
  }
  if (issues.length > 0 || kind === undefined) return E.left(invalidInput(issues))
  return E.right({
    kind,
    data: {
      arms: decoded,
      ...(control === undefined ? {} : { control: control as string }),
      ...(weights === undefined ? {} : { weights: weights as ReadonlyArray<number> }),
    },
  })
}

/** One treatment's figures before the correction across treatments. */
interface Row {
  readonly name: string
  readonly estimate: number
  readonly standardError: number
  readonly df: number
  readonly pValue: number
  readonly probabilityBetter: number
  readonly varianceReduction: number | undefined
  /** For the relative lift of rates: the two estimates, for the log-ratio interval. */
  readonly rates: { readonly kind: MetricKind; readonly a: Estimate; readonly b: Estimate } | undefined
  readonly units: number
}

const OPTION_FIELDS = {
  level: fields.probability,
  type: LIFT_TYPE,
  correction: fields.oneOf(CORRECTIONS),
  sequential: fields.boolean,
  tuning: fields.positive,
  prior: fields.custom('{ alpha, beta }', () => true),
  srmThreshold: fields.probability,
  cuped: fields.boolean,
} as const

/**
 * Analyse an experiment from per-arm sufficient statistics: for each treatment the lift over the control (Welch t
 * with the delta method, or CUPED when covariates are present), its interval and the p-value corrected across
 * treatments (intervals widened as {@link compareToControl} widens them), the probability of being better (exact
 * Beta–Binomial for conversions, GrowthBook's Gaussian model for means and ratios), optionally the always-valid
 * interval, and the sample ratio check against the designed weights. With CUPED every one of these figures is
 * adjusted. The control is the arm `control` names, else the first arm, and the result says which
 * (`control.chosenBy`): arms built from `Object.entries` come in whatever order the object had, so name it.
 *
 * **Cost**: does not grow with the counts; 1e12 units per arm are analysed as fast as 1e3.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10050, conversions: 1123 }], control: 'A' }, analyze())
 * // => right({ comparisons: [{ name: 'B', control: 'A', estimate: 0.1174…, interval: { lower: 0.02734…, upper: 0.2074… },
 * //            pValue: 0.01061…, probabilityBetter: 0.99655…, … }], sampleRatio: { pValue: 0.7240…, mismatch: false, … }, … })
 *
 * @category analysis
 * @since 0.1.0
 */
export const analyze =
  (options: AnalyzeOptions = {}) =>
  (input: ExperimentData): E.Either<TouchpointError, Analysis> =>
    pipe(
      checkFields(OPTION_FIELDS)(options),
      E.flatMap((o) =>
        pipe(
          checkPrior(o['prior']),
          E.flatMap((prior) => E.map((d: { readonly kind: MetricKind; readonly data: ExperimentData }) => ({ o, prior, ...d }))(decodeExperimentData(input))),
        ),
      ),
      E.flatMap(({ o, prior, kind, data }) => {
        const level = (o['level'] ?? 0.95) as number
        const type = (o['type'] ?? 'relative') as LiftType
        const correction = (o['correction'] ?? 'holm') as Correction
        const controlName = data.control ?? data.arms[0]!.name
        const control = data.arms.find((a) => a.name === controlName)!
        const treatments = data.arms.filter((a) => a !== control)
        const useCuped = kind === 'continuous' && o['cuped'] !== false && data.arms.every((a) => (a as ContinuousArm).covariate !== undefined)
        const weights = data.weights ?? (data.arms.every((a) => a.weight !== undefined) ? data.arms.map((a) => a.weight!) : data.arms.map(() => 1))
        const srmThreshold = (o['srmThreshold'] ?? 0.001) as number
        const sequential = o['sequential'] === true
        const tuning = (o['tuning'] ?? 5000) as number
        const row = (t: NamedArm): E.Either<TouchpointError, Row> =>
          useCuped
            ? pipe(
                cupedEstimate(control as ContinuousArm, t as ContinuousArm, { type, test: 't' }),
                E.flatMap((c) => {
                  const se = Math.sqrt(c.variance)
                  return pipe(
                    gaussianPosterior(c.estimate, c.variance, meanOf(kind, control), { prior: 'flat', type, level, inverse: false }),
                    E.map((g) => ({
                      name: t.name,
                      estimate: c.estimate,
                      standardError: se,
                      df: c.df,
                      pValue: pValueOf(c.estimate / se, c.df, 'two-sided'),
                      probabilityBetter: g.chanceToWin,
                      varianceReduction: 1 - c.variance / (c.unadjusted.standardError * c.unadjusted.standardError),
                      rates: undefined,
                      units: c.units,
                    })),
                  )
                }),
              )
            : pipe(
                E.Do,
                E.apS('a', estimateOf(kind, 'control')(control)),
                E.apS('b', estimateOf(kind, t.name)(t)),
                E.flatMap(({ a, b }) =>
                  pipe(
                    a.n < 2 || b.n < 2 ? E.left(insufficient('a t test needs at least 2 units per arm')) : liftOfEstimates(kind, a, b, { type, test: 't', alternative: 'two-sided', level }),
                    E.flatMap((l) =>
                      pipe(
                        kind === 'binomial'
                          ? // With the expected excess asked for, the comparison leaves the closed form where it loses digits (as
                            // betaBinomial does); without it the short closed form was 2.4e-9 off at 3.3e-51 (mpmath).
                            E.right(compareBetas(posteriorOf(prior, t as BinomialArm), posteriorOf(prior, control as BinomialArm)).probability)
                          : pipe(
                              gaussianPosterior(l.estimate, l.standardError * l.standardError, a.mean, { prior: 'flat', type, level, inverse: false }),
                              E.map((g) => g.chanceToWin),
                            ),
                        E.map((probabilityBetter) => ({
                          name: t.name,
                          estimate: l.estimate,
                          standardError: l.standardError,
                          df: l.df,
                          pValue: l.pValue,
                          probabilityBetter,
                          varianceReduction: undefined,
                          rates: { kind, a, b },
                          units: a.n + b.n,
                        })),
                      ),
                    ),
                  ),
                ),
              )
        return pipe(
          E.Do,
          E.apS(
            'sampleRatio',
            sampleRatioMismatch(weights, { threshold: srmThreshold })(data.arms.map((a) => a.units)),
          ),
          E.apS('rows', pipe(treatments, RA.traverse(E.Applicative)(row))),
          E.flatMap(({ sampleRatio, rows }) =>
            pipe(
              E.Do,
              E.apS('adjusted', adjustPValues(correction)(rows.map((r) => r.pValue))),
              E.flatMap(({ adjusted }) => {
                const intervalLevel = correctedLevel(correction, level, adjusted)
                const sequences = sequential
                  ? rows.map((r) => sequenceOf(r.estimate, r.standardError, r.units, { alpha: 1 - intervalLevel, tuning, type, alternative: 'two-sided' }, r.rates))
                  : undefined
                const sequentialAdjustment: E.Either<TouchpointError, ReadonlyArray<number> | undefined> =
                  sequences === undefined ? E.right(undefined) : adjustPValues(correction)(sequences.map((s) => s.pValue))
                return pipe(
                  sequentialAdjustment,
                  E.map(
                    (sequentialAdjusted): Analysis => ({
                      kind,
                      type,
                      level,
                      intervalLevel,
                      correction,
                      control: { name: control.name, chosenBy: data.control === undefined ? 'first arm' : 'name' },
                      cuped: useCuped,
                      arms: data.arms.map((a) => ({ name: a.name, units: a.units, mean: meanOf(kind, a) })),
                      sampleRatio,
                      comparisons: rows.map((r, i) => {
                        const frequentist = intervalAt(r, intervalLevel, type)
                        return {
                          name: r.name,
                          control: control.name,
                          estimate: r.estimate,
                          interval: frequentist.interval,
                          intervalMethod: frequentist.method,
                          pValue: r.pValue,
                          adjustedPValue: adjusted[i]!,
                          probabilityBetter: r.probabilityBetter,
                          ...(sequences === undefined
                            ? {}
                            : {
                                sequentialInterval: sequences[i]!.interval,
                                sequentialPValue: sequences[i]!.pValue,
                                sequentialAdjustedPValue: sequentialAdjusted![i]!,
                              }),
                          ...(r.varianceReduction === undefined ? {} : { varianceReduction: r.varianceReduction }),
                        }
                      }),
                    }),
                  ),
                )
              }),
            ),
          ),
        )
      }),
      E.flatMap(noNaN('analyze')),
    )

const insufficient = (reason: string): TouchpointError => ({ _tag: 'InsufficientData', reason })

/** The two-sided interval of a row at `level`, in the log-ratio form for a rate's relative lift where needed. */
const intervalAt = (r: Row, level: number, type: LiftType): { readonly interval: Interval; readonly method: 'delta' | 'log-ratio' } => {
  if (r.rates !== undefined) {
    const l = liftOfEstimates(r.rates.kind, r.rates.a, r.rates.b, { type, test: 't', alternative: 'two-sided', level })
    if (E.isRight(l)) return { interval: l.right.interval, method: l.right.intervalMethod }
  }
  return { interval: intervalOf(r.estimate, r.standardError, r.df, level, 'two-sided'), method: 'delta' }
}

