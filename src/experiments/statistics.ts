/**
 * The finisher: per-arm sums from any engine (`LogSums`) to the sufficient statistics of each metric, in exactly
 * the form `analyze` from `touchpoint/stats` (and `touchpoint analyze FILE`) reads. Which arm is the control, in
 * which order the arms come and what split was designed are decided here, once for every engine.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { NamedArm } from '../stats/analyze'
import { fields, optionIssues } from '../stats/internal/options'
import { armSumsIssue, everyElement, isMetrics, isObject, METRICS } from './internal/guards'
import type { ArmSums, Metrics, MetricStatistics, MetricSums } from './model'

/**
 * The designed variants of an experiment and their weights (from an assignment config: `designedSplit`).
 *
 * @category statistics
 * @since 0.2.0
 */
export type DesignedSplit = ReadonlyArray<{ readonly variant: string; readonly weight: number }>

/**
 * How arms are named and ordered.
 *
 * - `designs`: per experiment, the designed split: its variants are the arms (in its order, the first being the
 *   control unless `control` says otherwise) and its weights the sample ratio check's expectation. Without one,
 *   the arms are the variants seen, with equal weights.
 * - `control`: the control's variant name, for every experiment.
 * - `dimension`: the name of the dimension the sums were split by; each metric then also comes per value.
 *
 * @category statistics
 * @since 0.2.0
 */
export interface StatisticsOptions {
  readonly designs?: Readonly<Record<string, DesignedSplit>>
  readonly control?: string
  readonly dimension?: string
}

/**
 * The arms of one experiment and how its control was chosen: named (`option`), the design's first variant
 * (`design`), the variant called `control` (`name`), or failing all that the first variant in sorted order
 * (`first`, worth a note).
 *
 * @category statistics
 * @since 0.2.0
 */
export interface ExperimentArms {
  readonly experiment: string
  readonly variants: ReadonlyArray<string>
  readonly weights: ReadonlyArray<number> | undefined
  readonly control: string
  readonly chosenBy: 'option' | 'design' | 'name' | 'first'
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const isSplit = (u: unknown): boolean =>
  Array.isArray(u) &&
  u.length > 0 &&
  everyElement(u, (d: unknown) => isObject(d) && typeof d['variant'] === 'string' && typeof d['weight'] === 'number' && Number.isFinite(d['weight']) && d['weight'] >= 0) &&
  new Set(u.map((d: { readonly variant: string }) => d.variant)).size === u.length

const OPTIONS = {
  designs: fields.custom('designed splits by experiment: { [experiment]: [{ variant, weight }] } (distinct variants, finite weights >= 0)', (u) => isObject(u) && Object.values(u).every(isSplit)),
  control: fields.custom('the control\'s variant name (text)', (u) => typeof u === 'string'),
  dimension: fields.custom('the dimension\'s name (text)', (u) => typeof u === 'string'),
} as const

/** The options and the rows of the finishers, checked: every problem named (`options.control`, `rows[3].units`). */
const inputIssues = (options: unknown, rows: unknown, metrics: Metrics | undefined): ReadonlyArray<Issue> => {
  const out: Array<Issue> = optionIssues(OPTIONS, options, 'options')
  const bad = armSumsIssue(rows, metrics)
  return bad === undefined ? out : [...out, bad]
}

/**
 * The arms of every experiment in the sums, in order of experiment name.
 *
 * @category statistics
 * @since 0.2.0
 */
export const experimentArms =
  (options: StatisticsOptions = {}) =>
  (rows: ReadonlyArray<ArmSums>): E.Either<TouchpointError, ReadonlyArray<ExperimentArms>> => {
    const bad = inputIssues(options, rows, undefined)
    return bad.length > 0 ? E.left(invalidInput(bad)) : arms(options, rows)
  }

const arms = (options: StatisticsOptions, rows: ReadonlyArray<ArmSums>): E.Either<TouchpointError, ReadonlyArray<ExperimentArms>> => {
    const experiments = [...new Set(rows.map((r) => r.experiment))].sort(byText)
    const issues: Array<Issue> = []
    const out: Array<ExperimentArms> = []
    for (const experiment of experiments) {
      const seen = [...new Set(rows.filter((r) => r.experiment === experiment && r.variant !== null).map((r) => r.variant!))].sort(byText)
      const design = options.designs !== undefined && Object.prototype.hasOwnProperty.call(options.designs, experiment) ? options.designs[experiment] : undefined
      if (design !== undefined) {
        const designed = design.map((d) => d.variant)
        const unknown = seen.filter((v) => !designed.includes(v))
        if (unknown.length > 0) {
          issues.push(issue(`exposures.variant`, `a variant of experiment ${JSON.stringify(experiment)} in the config (${designed.join(', ')})`, unknown.join(', ')))
          continue
        }
      }
      const variants = design === undefined ? seen : design.map((d) => d.variant)
      const control = options.control ?? (design !== undefined ? variants[0] : seen.includes('control') ? 'control' : variants[0])
      const chosenBy = options.control !== undefined ? 'option' : design !== undefined ? 'design' : seen.includes('control') ? 'name' : 'first'
      if (control === undefined || !variants.includes(control)) {
        issues.push(issue('control', `a variant of experiment ${JSON.stringify(experiment)} (${variants.join(', ') || 'none has a unit exposed to it alone'})`, control))
        continue
      }
      if (variants.length < 2) {
        issues.push(issue(`exposures.variant`, `at least two variants of experiment ${JSON.stringify(experiment)} with units exposed to one variant only`, variants.join(', ') || 'none'))
        continue
      }
      // The control first, then the others in the design's (or name) order.
      const ordered = [control, ...variants.filter((v) => v !== control)]
      const weights = design === undefined ? undefined : ordered.map((v) => design.find((d) => d.variant === v)!.weight)
      out.push({ experiment, variants: ordered, weights, control, chosenBy })
    }
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(out)
}

const zeroSums = (metrics: Metrics): ReadonlyArray<MetricSums> =>
  metrics.eventMetrics.map((m) => ({ sum: 0, sumSquares: 0, ...(m.cupedMs === undefined ? {} : { covariate: { sum: 0, sumSquares: 0, productSum: 0 } }) }))

/** Rows added up (an overall total from per-dimension rows). */
const addRows = (metrics: Metrics, rows: ReadonlyArray<ArmSums>): { readonly units: number; readonly metrics: ReadonlyArray<MetricSums>; readonly ratioProducts: ReadonlyArray<number> } => {
  let units = 0
  const sums = zeroSums(metrics).map((s) => ({ ...s, covariate: s.covariate === undefined ? undefined : { ...s.covariate } }))
  const products = metrics.ratios.map(() => 0)
  for (const r of rows) {
    units += r.units
    r.metrics.forEach((m, i) => {
      const s = sums[i]!
      s.sum += m.sum
      s.sumSquares += m.sumSquares
      if (s.covariate !== undefined && m.covariate !== undefined) {
        s.covariate.sum += m.covariate.sum
        s.covariate.sumSquares += m.covariate.sumSquares
        s.covariate.productSum += m.covariate.productSum
      }
    })
    r.ratioProducts.forEach((p, j) => (products[j]! += p))
  }
  return {
    units,
    metrics: sums.map((s) => (s.covariate === undefined ? { sum: s.sum, sumSquares: s.sumSquares } : { sum: s.sum, sumSquares: s.sumSquares, covariate: s.covariate })),
    ratioProducts: products,
  }
}

/** One arm of one metric, in the form `touchpoint/stats` reads. */
const armOf = (metrics: Metrics, metric: string, name: string, weight: number | undefined, total: ReturnType<typeof addRows>): NamedArm => {
  const base = { name, ...(weight === undefined ? {} : { weight }) }
  const e = metrics.eventMetrics.findIndex((m) => m.name === metric)
  if (e >= 0) {
    const m = metrics.eventMetrics[e]!
    const s = total.metrics[e]!
    if (m.kind === 'binomial' && s.covariate === undefined) return { ...base, units: total.units, conversions: s.sum }
    return { ...base, units: total.units, sum: s.sum, sumSquares: s.sumSquares, ...(s.covariate === undefined ? {} : { covariate: s.covariate }) }
  }
  const r = metrics.ratios.findIndex((x) => x.metric.name === metric)
  const ratio = metrics.ratios[r]!
  const num = total.metrics[ratio.numerator]!
  const den = total.metrics[ratio.denominator]!
  return {
    ...base,
    units: total.units,
    numeratorSum: num.sum,
    numeratorSumSquares: num.sumSquares,
    denominatorSum: den.sum,
    denominatorSumSquares: den.sumSquares,
    productSum: total.ratioProducts[r]!,
  }
}

/**
 * The sufficient statistics of every metric of every experiment in `rows`: overall and, when the sums were split
 * by a dimension, per dimension value (sorted; units whose first exposures disagree last, as `null`). Arms with
 * no units appear with zeros (a designed variant nobody saw is a finding, not an omission).
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const sum = (units: number, conversions: number) => ({ units, metrics: [{ sum: conversions, sumSquares: conversions }], ratioProducts: [] })
 * toStatistics(metrics.right)([
 *   { experiment: 'checkout', variant: 'green', ...sum(4990, 468) },
 *   { experiment: 'checkout', variant: 'control', ...sum(5012, 412) },
 *   { experiment: 'checkout', variant: null, ...sum(3, 0) },
 * ])
 * // => right([{ experiment: 'checkout', metric: 'purchased', control: 'control',
 * //             arms: [{ name: 'control', units: 5012, conversions: 412 }, { name: 'green', units: 4990, conversions: 468 }],
 * //             multipleExposures: 3 }])
 *
 * @category statistics
 * @since 0.2.0
 */
export const toStatistics =
  (metrics: Metrics, options: StatisticsOptions = {}) =>
  (rows: ReadonlyArray<ArmSums>): E.Either<TouchpointError, ReadonlyArray<MetricStatistics>> => {
    if (!isMetrics(metrics)) return E.left(invalidInput([issue('metrics', METRICS, metrics)]))
    const bad = inputIssues(options, rows, metrics)
    if (bad.length > 0) return E.left(invalidInput(bad))
    const found = arms(options, rows)
    if (E.isLeft(found)) return found
    const out: Array<MetricStatistics> = []
    for (const design of found.right) {
      const mine = rows.filter((r) => r.experiment === design.experiment)
      const slices: Array<{ readonly value: string | null | undefined; readonly rows: ReadonlyArray<ArmSums> }> = [{ value: undefined, rows: mine }]
      if (options.dimension !== undefined) {
        const values = [...new Set(mine.map((r) => r.dimension ?? null))]
        const named = values.filter((v): v is string => v !== null).sort(byText)
        for (const value of [...named, ...(values.includes(null) ? [null] : [])]) slices.push({ value, rows: mine.filter((r) => (r.dimension ?? null) === value) })
      }
      for (const metric of metrics.metrics) {
        for (const slice of slices) {
          out.push({
            experiment: design.experiment,
            metric: metric.name,
            ...(slice.value === undefined ? {} : { dimension: { name: options.dimension!, value: slice.value } }),
            control: design.control,
            arms: design.variants.map((v, i) => armOf(metrics, metric.name, v, design.weights?.[i], addRows(metrics, slice.rows.filter((r) => r.variant === v)))),
            multipleExposures: slice.rows.filter((r) => r.variant === null).reduce((n, r) => n + r.units, 0),
          })
        }
      }
    }
    return E.right(out)
  }
