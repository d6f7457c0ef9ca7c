/**
 * One call from sufficient statistics to everything a team reads: the lift of each variant over the control with
 * its interval and corrected p-value, the Bayesian probability of being better, the sample ratio check and,
 * optionally, an always-valid interval. `summarize` renders it as text or Markdown.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { betaBinomial, type BetaPrior } from './bayesian/betaBinomial'
import { gaussianBayes } from './bayesian/gaussianBayes'
import { checkOptions, decodeArm } from './codec'
import type { Correction } from './frequentist/adjustPValues'
import { adjustPValues } from './frequentist/adjustPValues'
import { cuped } from './frequentist/cuped'
import { lift } from './frequentist/lift'
import { sampleRatioMismatch, type SampleRatioMismatchResult } from './frequentist/sampleRatioMismatch'
import type { Arm, BinomialArm, ContinuousArm, Interval, LiftType, MetricKind } from './model'
import { confidenceSequence } from './sequential/confidenceSequence'

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
  /** Default 0.95. */
  readonly level?: number
  /** Default `relative`. */
  readonly type?: LiftType
  /** Across the treatments; default `holm`. */
  readonly correction?: Correction
  /** Add the always-valid confidence sequence (safe to peek). Default false. */
  readonly sequential?: boolean
  /** Tuning of the confidence sequence. Default 5000. */
  readonly tuning?: number
  /** Prior of the Beta–Binomial model for conversion metrics. Default Beta(1, 1). */
  readonly prior?: BetaPrior
  /** p-value below which the split is flagged. Default 0.001. */
  readonly srmThreshold?: number
  /** Use CUPED when every arm carries a covariate. Default true. */
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
  readonly interval: Interval
  readonly pValue: number
  /** After the correction across treatments (equal to `pValue` with one treatment). */
  readonly adjustedPValue: number
  /** P(treatment better than control): exact Beta–Binomial for conversions, Gaussian model otherwise. */
  readonly probabilityBetter: number
  readonly sequentialInterval?: Interval
  readonly sequentialPValue?: number
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
  readonly level: number
  readonly correction: Correction
  readonly arms: ReadonlyArray<{ readonly name: string; readonly units: number; readonly mean: number }>
  readonly comparisons: ReadonlyArray<Comparison>
  readonly sampleRatio: SampleRatioMismatchResult
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
  arms.forEach((raw: unknown, i) => {
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
  if (weights !== undefined && !(Array.isArray(weights) && weights.length === arms.length && weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))) {
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

/**
 * Analyse an experiment from per-arm sufficient statistics: for each treatment the lift over the control (Welch t
 * with the delta method, or CUPED when covariates are present), its interval, the p-value corrected across
 * treatments, the probability of being better (exact Beta–Binomial for conversions, GrowthBook's Gaussian model
 * for means and ratios), optionally the always-valid interval, and the sample ratio check against the designed
 * weights.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * pipe({ arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10050, conversions: 1123 }] }, analyze())
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
      checkOptions(options),
      E.flatMap(() => decodeExperimentData(input)),
      E.flatMap(({ kind, data }) => {
        const level = options.level ?? 0.95
        const type = options.type ?? 'relative'
        const correction = options.correction ?? 'holm'
        const controlName = data.control ?? data.arms[0]!.name
        const control = data.arms.find((a) => a.name === controlName)!
        const treatments = data.arms.filter((a) => a !== control)
        const strip = ({ name: _n, weight: _w, ...arm }: NamedArm): Arm => arm as Arm
        const useCuped = kind === 'continuous' && options.cuped !== false && data.arms.every((a) => (a as ContinuousArm).covariate !== undefined)
        const weights = data.weights ?? (data.arms.every((a) => a.weight !== undefined) ? data.arms.map((a) => a.weight!) : data.arms.map(() => 1))
        return pipe(
          E.Do,
          E.apS('sampleRatio', sampleRatioMismatch(weights, options.srmThreshold === undefined ? {} : { threshold: options.srmThreshold })(data.arms.map((a) => a.units))),
          E.apS(
            'rows',
            E.sequenceArray(
              treatments.map((t) => {
                const arms = { control: strip(control), treatment: strip(t) }
                return pipe(
                  E.Do,
                  E.apS(
                    'freq',
                    useCuped
                      ? pipe(cuped({ type, level })(arms as never), E.map((c) => ({ estimate: c.estimate, interval: c.interval, pValue: c.pValue, varianceReduction: c.varianceReduction as number | undefined })))
                      : pipe(lift({ type, level })(arms), E.map((l) => ({ estimate: l.estimate, interval: l.interval, pValue: l.pValue, varianceReduction: undefined as number | undefined }))),
                  ),
                  E.apS(
                    'probabilityBetter',
                    kind === 'binomial'
                      ? pipe(betaBinomial({ draws: 100, ...(options.prior === undefined ? {} : { prior: options.prior }) })(arms as never), E.map((b) => b.probabilityTreatmentBetter))
                      : pipe(gaussianBayes({ type })(arms), E.map((g) => g.chanceToWin)),
                  ),
                  E.apS(
                    'sequential',
                    options.sequential === true
                      ? pipe(confidenceSequence({ type, alpha: 1 - level, ...(options.tuning === undefined ? {} : { tuning: options.tuning }) })(arms), E.map((c) => c as { readonly interval: Interval; readonly pValue: number } | undefined))
                      : E.right(undefined),
                  ),
                  E.map((r) => ({ name: t.name, ...r })),
                )
              }),
            ),
          ),
          E.flatMap(({ sampleRatio, rows }) =>
            pipe(
              adjustPValues(correction)(rows.map((r) => r.freq.pValue)),
              E.map(
                (adjusted): Analysis => ({
                  kind,
                  type,
                  level,
                  correction,
                  cuped: useCuped,
                  arms: data.arms.map((a) => ({ name: a.name, units: a.units, mean: meanOf(kind, a) })),
                  sampleRatio,
                  comparisons: rows.map((r, i) => ({
                    name: r.name,
                    control: control.name,
                    estimate: r.freq.estimate,
                    interval: r.freq.interval,
                    pValue: r.freq.pValue,
                    adjustedPValue: adjusted[i]!,
                    probabilityBetter: r.probabilityBetter,
                    ...(r.sequential === undefined ? {} : { sequentialInterval: r.sequential.interval, sequentialPValue: r.sequential.pValue }),
                    ...(r.freq.varianceReduction === undefined ? {} : { varianceReduction: r.freq.varianceReduction }),
                  })),
                }),
              ),
            ),
          ),
        )
      }),
    )

const pct = (x: number, digits = 1): string => {
  const s = (x * 100).toFixed(digits)
  return `${x > 0 && Number(s) !== 0 ? '+' : x < 0 && Number(s) === 0 ? '-' : ''}${s === '-0.0' ? '0.0' : s}%`
}

const signed = (x: number): string => {
  const s = Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(3)).toString()
  return x > 0 ? `+${s}` : s
}

/**
 * A p-value as people read it: two decimals above 0.1, three above 0.001, then two significant digits in
 * scientific notation (the tails are accurate, so `p = 3.1e-12` means it).
 *
 * @category analysis
 * @since 0.1.0
 */
export const formatPValue = (p: number): string => {
  if (p >= 0.1) return p.toFixed(2)
  if (p >= 0.001) return p.toFixed(3)
  if (p === 0) return '< 1e-300'
  return p.toExponential(1)
}

const probability = (p: number): string => {
  if (p > 0.999) return '> 99.9%'
  if (p < 0.001) return '< 0.1%'
  return `${(p * 100).toFixed(1)}%`
}

/** `= 42.0%`, but `> 99.9%` rather than `= > 99.9%`. */
const withRelation = (shown: string): string => (shown.startsWith('>') || shown.startsWith('<') ? shown : `= ${shown}`)

// An absolute difference of rates reads best in percentage points.
const points = (x: number): string => {
  const s = (x * 100).toFixed(2)
  return `${x > 0 && Number(s) !== 0 ? '+' : ''}${s === '-0.00' ? '0.00' : s} pp`
}

const effect = (a: Analysis, x: number): string => (a.type === 'relative' ? pct(x) : a.kind === 'binomial' ? points(x) : signed(x))

const interval = (a: Analysis, i: Interval): string => {
  const end = (x: number) => (Number.isFinite(x) ? effect(a, x) : x > 0 ? '∞' : '−∞')
  return `${Math.round(a.level * 100)}% CI ${end(i.lower)} to ${end(i.upper)}`
}

const srmText = (s: SampleRatioMismatchResult): string =>
  s.mismatch ? `SAMPLE RATIO MISMATCH (p = ${formatPValue(s.pValue)}): check assignment before trusting these numbers` : 'sample ratio OK'

/**
 * The analysis as a person reads it at a glance, one line per treatment:
 * `B vs A: +12.3% (95% CI +4.1% to +20.9%), p = 0.003, P(B > A) = 99.6%, sample ratio OK`
 * (`text`), or a Markdown table with the same numbers (`markdown`).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as E from 'fp-ts/Either'
 * const data = { arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10050, conversions: 1123 }] }
 * pipe(data, analyze(), E.map(summarize()))
 * // => right('B vs A: +11.7% (95% CI +2.7% to +20.7%), p = 0.011, P(B > A) = 99.7%, sample ratio OK')
 *
 * @category analysis
 * @since 0.1.0
 */
export const summarize =
  (options: { readonly format?: 'text' | 'markdown' } = {}) =>
  (a: Analysis): string => {
    const multiple = a.comparisons.length > 1 && a.correction !== 'none'
    const p = (c: Comparison) => (multiple ? `p = ${formatPValue(c.adjustedPValue)} (${a.correction})` : `p = ${formatPValue(c.pValue)}`)
    if (options.format === 'markdown') {
      const head = `| Variant | Units | ${a.kind === 'binomial' ? 'Rate' : 'Mean'} | Lift | ${Math.round(a.level * 100)}% CI | p | P(better) |${a.comparisons.some((c) => c.sequentialInterval) ? ' Always-valid CI |' : ''}`
      const sep = `|---|---:|---:|---:|---|---:|---:|${a.comparisons.some((c) => c.sequentialInterval) ? '---|' : ''}`
      const mean = (m: number) => (a.kind === 'binomial' ? `${(m * 100).toFixed(2)}%` : Number(m.toPrecision(4)).toString())
      const rows = a.arms.map((arm) => {
        const c = a.comparisons.find((x) => x.name === arm.name)
        if (c === undefined) return `| ${arm.name} (control) | ${arm.units} | ${mean(arm.mean)} | | | | |${a.comparisons.some((x) => x.sequentialInterval) ? ' |' : ''}`
        const ci = interval(a, c.interval).replace(/^\d+% CI /, '')
        const seq = c.sequentialInterval === undefined ? '' : ` ${interval(a, c.sequentialInterval).replace(/^\d+% CI /, '')} |`
        return `| ${arm.name} | ${arm.units} | ${mean(arm.mean)} | ${effect(a, c.estimate)} | ${ci} | ${formatPValue(multiple ? c.adjustedPValue : c.pValue)} | ${probability(c.probabilityBetter)} |${seq}`
      })
      const notes = [srmText(a.sampleRatio), ...(a.cuped ? ['CUPED adjusted'] : []), ...(multiple ? [`p-values ${a.correction}-corrected`] : [])]
      return [head, sep, ...rows, '', notes.join('; ')].join('\n')
    }
    return a.comparisons
      .map((c) => {
        const parts = [
          `${c.name} vs ${c.control}: ${effect(a, c.estimate)} (${interval(a, c.interval)})`,
          p(c),
          `P(${c.name} > ${c.control}) ${withRelation(probability(c.probabilityBetter))}`,
          ...(c.sequentialInterval === undefined ? [] : [`always-valid ${interval(a, c.sequentialInterval)}`]),
          ...(c.varianceReduction === undefined ? [] : [`CUPED −${(c.varianceReduction * 100).toFixed(0)}% variance`]),
          srmText(a.sampleRatio),
        ]
        return parts.join(', ')
      })
      .join('\n')
  }
