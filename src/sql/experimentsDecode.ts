/**
 * The rows of `compileExperimentSums`'s query, from any engine (numbers as numbers, numeric text or bigints), back
 * into the `LogSums` the in-process reducer produces, so one finisher (`toStatistics`) serves both.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { insufficientData, invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { everyElement } from '../core/guards'
import type { AppliedCaps, ArmSums, LogSums, Metrics, MetricSums } from '../experiments/model'

/** The query's row of events no exposed unit has: no experiment (ClickHouse, without NULLs: ''). */
const isEventsOnly = (row: Readonly<Record<string, unknown>>): boolean => row['experiment'] === null || row['experiment'] === ''

const numberOf = (u: unknown): number | undefined => {
  if (typeof u === 'number') return Number.isFinite(u) ? u : undefined
  if (typeof u === 'bigint') {
    // A sum beyond the doubles' range would read as Infinity.
    const x = Number(u)
    return Number.isFinite(x) ? x : undefined
  }
  if (typeof u === 'string' && u.trim() !== '') {
    const x = Number(u)
    return Number.isFinite(x) ? x : undefined
  }
  return undefined
}

/**
 * Per-arm sums from the result rows of `compileExperimentSums` for `metrics` (`dimension`: the query split by
 * one). `Left(InvalidInput)` names a row or column that is not what the query returns; `Left(InsufficientData)`
 * when the engine found exposure rows without a unit, experiment, variant or time, or qualifying events without
 * a unit, a time or a value a `sum` metric adds up (the in-process reader refuses those lines too). A row without
 * an experiment (`null`, or `''` from ClickHouse) holds only those counts: the events no exposed unit has.
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'] }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * decodeExperimentSums(metrics.right)([
 *   { experiment: 'checkout', multiple: 0, variant: 'green', units: 10, m0_sum: 4, m0_sum_squares: 6, invalid_exposures: 0, missing_values: 0 },
 * ])
 * // => right({ rows: [{ experiment: 'checkout', variant: 'green', units: 10, metrics: [{ sum: 4, sumSquares: 6 }], ratioProducts: [] }], caps: [{ experiment: 'checkout', caps: [{ value: undefined, covariate: undefined }] }] })
 *
 * @category sql
 * @since 0.2.0
 */
export const decodeExperimentSums =
  (metrics: Metrics, options: { readonly dimension?: boolean } = {}) =>
  (rows: unknown): E.Either<TouchpointError, LogSums> => {
    const m = metrics as unknown as Record<string, unknown> | null
    if (typeof m !== 'object' || m === null || !Array.isArray(m['eventMetrics']) || !Array.isArray(m['ratios']) || !everyElement(m['eventMetrics'] as ReadonlyArray<unknown>, (x) => typeof x === 'object' && x !== null)) {
      return E.left(invalidInput([issue('metrics', 'decoded metrics (from decodeMetrics)', metrics)]))
    }
    const o = options as unknown
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return E.left(invalidInput([issue('options', 'an object ({ dimension?: boolean })', options)]))
    const dimension = (o as Record<string, unknown>)['dimension']
    if (dimension !== undefined && typeof dimension !== 'boolean') return E.left(invalidInput([issue('options.dimension', 'true, false or absent', dimension)]))
    if (!Array.isArray(rows)) return E.left(invalidInput([issue('rows', 'an array of result rows', rows)]))
    const issues: Array<Issue> = []
    const out: Array<ArmSums> = []
    const capsSeen = new Map<string, Array<{ value: number | undefined; covariate: number | undefined }>>()
    const order: Array<string> = []
    let invalid = 0
    let missing = 0
    rows.forEach((u: unknown, r) => {
      if (typeof u !== 'object' || u === null) return void issues.push(issue(`rows[${r}]`, 'a result row', u))
      const row = u as Record<string, unknown>
      if (isEventsOnly(row)) {
        // The row of qualifying events no exposed unit has (and of flawed exposures without an experiment): counts only.
        invalid += numberOf(row['invalid_exposures']) ?? 0
        missing += numberOf(row['missing_values']) ?? 0
        return
      }
      const num = (column: string): number => {
        const x = numberOf(row[column])
        if (x === undefined) {
          issues.push(issue(`rows[${r}].${column}`, 'a finite number', row[column]))
          return 0
        }
        return x
      }
      const text = (column: string): string => {
        const x = row[column]
        if (typeof x !== 'string') issues.push(issue(`rows[${r}].${column}`, 'a text', x))
        return typeof x === 'string' ? x : ''
      }
      const experiment = text('experiment')
      const multiple = num('multiple') !== 0
      const variant = text('variant')
      const armDimension = dimension === true ? (num('mixed') !== 0 ? null : text('dimension')) : undefined
      const units = num('units')
      invalid += num('invalid_exposures')
      missing += num('missing_values')
      const sums: Array<MetricSums> = metrics.eventMetrics.map((m, i) => {
        const sum = num(`m${i}_sum`)
        const sumSquares = num(`m${i}_sum_squares`)
        const covariate = m.cupedMs === undefined ? undefined : { sum: num(`m${i}_covariate_sum`), sumSquares: num(`m${i}_covariate_sum_squares`), productSum: num(`m${i}_product_sum`) }
        // Units seen in several variants are left out of every metric, as in the reducer.
        if (multiple) return { sum: 0, sumSquares: 0, ...(covariate === undefined ? {} : { covariate: { sum: 0, sumSquares: 0, productSum: 0 } }) }
        return { sum, sumSquares, ...(covariate === undefined ? {} : { covariate }) }
      })
      const products = metrics.ratios.map((_, j) => (multiple ? 0 : num(`r${j}_product_sum`)))
      if (!capsSeen.has(experiment)) {
        order.push(experiment)
        capsSeen.set(experiment, metrics.eventMetrics.map((m) => ({ value: m.cap?._tag === 'value' ? m.cap.value : undefined, covariate: m.cap?._tag === 'value' && m.cupedMs !== undefined ? m.cap.value : undefined })))
      }
      if (!multiple) {
        // Quantile caps come from the included units: an experiment with none has no cap.
        const caps = capsSeen.get(experiment)!
        metrics.eventMetrics.forEach((m, i) => {
          if (m.cap?._tag !== 'quantile') return
          caps[i] = { value: num(`m${i}_cap`), covariate: m.cupedMs === undefined ? undefined : num(`m${i}_covariate_cap`) }
        })
      }
      out.push({ experiment, variant: multiple ? null : variant, ...(armDimension === undefined ? {} : { dimension: armDimension }), units, metrics: sums, ratioProducts: products })
    })
    if (issues.length > 0) return E.left(invalidInput(issues))
    if (invalid > 0) return E.left(insufficientData(`${invalid} exposed unit(s) have exposure rows without a unit id, experiment, variant or time: the engine cannot say which arm they belong to (the in-process reader stops at such a line)`))
    if (missing > 0) return E.left(insufficientData(`${missing} qualifying event row(s) have no unit id, no time, or no value where a sum metric adds it up (a missing amount is never read as 0; the in-process reader stops at such a line)`))
    const caps: Array<AppliedCaps> = order.map((experiment) => ({ experiment, caps: capsSeen.get(experiment)! }))
    return E.right({ rows: out, caps })
  }

/**
 * The logs' time span from the rows of `compileExperimentSums`'s query, as the in-process reducer's `span`: the
 * earliest first exposure, and the latest exposure or qualifying event (undefined where there is none, or the
 * exposures have no times). For the sequential series, which recomputes the sums day by day over this span.
 */
export const experimentSpan = (rows: ReadonlyArray<unknown>): { readonly firstExposure: number | undefined; readonly last: number | undefined } => {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const u of rows) {
    if (typeof u !== 'object' || u === null) continue
    const row = u as Record<string, unknown>
    const at = (column: string) => numberOf(row[column])
    if (!isEventsOnly(row)) {
      first = Math.min(first, at('first_exposure') ?? Number.POSITIVE_INFINITY)
      last = Math.max(last, at('last_exposure') ?? Number.NEGATIVE_INFINITY)
    }
    last = Math.max(last, at('last_event') ?? Number.NEGATIVE_INFINITY)
  }
  return { firstExposure: Number.isFinite(first) ? first : undefined, last: Number.isFinite(last) ? last : undefined }
}
