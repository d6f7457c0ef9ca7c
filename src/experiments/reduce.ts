/**
 * The in-process engine: exposures, then events, streamed row by row into state per exposed unit (never per
 * event), finished into the per-arm sums every engine produces (`LogSums`).
 *
 * Two passes, so that the order of rows within and between the logs never matters: all exposures first (a unit's
 * first exposure may come last in the file), then all events (an event may precede its unit's exposure in the
 * file). Per unit and experiment it keeps the first exposure time t0, the variant (or "several"), the dimension
 * value of the first exposure, and one number per event metric (plus one per CUPED covariate). Memory grows with
 * exposed units and metrics, not with events.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { fields, optionIssues } from '../stats/internal/options'
import { isMetrics, METRICS } from './internal/guards'
import type { ArmSums, EventRow, ExposureRow, LogSums, MetricSums, Metrics } from './model'
import { percentileCont } from './quantile'

/**
 * What a reduction computes.
 *
 * - `experiment`: only this experiment's exposures (default: every experiment in the log).
 * - `asOf`: only rows before this time (ms since 1970): the analysis as it stood then (the sequential series).
 * - `dimension`: keep each unit's dimension value (its first exposure's), so the sums come per value.
 *
 * @category reducer
 * @since 0.2.0
 */
export interface ReduceSettings {
  readonly metrics: Metrics
  readonly experiment?: string
  readonly asOf?: number
  readonly dimension?: boolean
}

/** A unit seen in two or more variants. */
const SEVERAL = -1
/** A unit whose first exposures (at the same instant) disagree on the dimension. */
const MIXED = -1

/** Units of one experiment, column by column, grown by doubling. */
interface Units {
  readonly key: string
  readonly slots: Map<string, number>
  count: number
  t0: Float64Array
  variant: Int32Array
  dimension: Int32Array
  readonly variants: Array<string>
  readonly variantIndex: Map<string, number>
  readonly dimensions: Array<string>
  readonly dimensionIndex: Map<string, number>
}

const newUnits = (key: string): Units => ({
  key,
  slots: new Map(),
  count: 0,
  t0: new Float64Array(1024),
  variant: new Int32Array(1024),
  dimension: new Int32Array(1024),
  variants: [],
  variantIndex: new Map(),
  dimensions: [],
  dimensionIndex: new Map(),
})

const grow = <A extends Float64Array | Int32Array>(a: A, size: number): A => {
  if (size <= a.length) return a
  const b = new (a.constructor as new (n: number) => A)(Math.max(size, a.length * 2))
  b.set(a)
  return b
}

const indexOf = (names: Array<string>, index: Map<string, number>, name: string): number => {
  let i = index.get(name)
  if (i === undefined) {
    i = names.length
    names.push(name)
    index.set(name, i)
  }
  return i
}

/**
 * The first and last times seen (ms since 1970): the earliest first exposure and the latest row of either log.
 *
 * @category reducer
 * @since 0.2.0
 */
export interface Span {
  readonly firstExposure: number | undefined
  readonly last: number | undefined
}

/**
 * The second pass: events into the units' metric values.
 *
 * @category reducer
 * @since 0.2.0
 */
export interface EventReducer {
  readonly push: (row: EventRow) => void
  /** The per-arm sums, caps applied. */
  readonly done: () => LogSums
  /** Experiments found in the exposures (after `experiment`), in order of first appearance. */
  readonly experiments: ReadonlyArray<string>
  readonly span: () => Span
}

/**
 * The first pass: exposures into units.
 *
 * @category reducer
 * @since 0.2.0
 */
export interface ExposureReducer {
  readonly push: (row: ExposureRow) => void
  /** Ends the exposures; the events go to the reducer this returns. */
  readonly done: () => EventReducer
}

const SETTINGS = {
  metrics: fields.custom(METRICS, isMetrics),
  experiment: fields.string,
  asOf: fields.custom('a time in ms since 1970 (a number, not NaN)', (u) => typeof u === 'number' && !Number.isNaN(u)),
  dimension: fields.boolean,
} as const

/**
 * A reduction of exposure and event logs to per-arm sums. Push every exposure, call `done`, push every event,
 * call `done` again. An `InvalidInput` Left names the setting that is wrong (`settings.metrics`,
 * `settings.asOf`: strict, a string is no time).
 *
 * **Gotchas**: `push` takes decoded rows (`decodeExposure`, `decodeEvent`): it runs once per row and checks
 * nothing.
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7d' }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const reducer = logReducer({ metrics: metrics.right })
 * if (E.isLeft(reducer)) throw new Error('bad settings')
 * const exposures = reducer.right
 * exposures.push({ unit: 'u1', experiment: 'checkout', variant: 'green', time: Date.UTC(2026, 0, 1), dimension: '' })
 * exposures.push({ unit: 'u2', experiment: 'checkout', variant: 'control', time: Date.UTC(2026, 0, 1), dimension: '' })
 * const events = exposures.done()
 * events.push({ unit: 'u1', time: Date.UTC(2026, 0, 2), event: 'purchase', values: [] })
 * events.push({ unit: 'u1', time: Date.UTC(2026, 0, 9), event: 'purchase', values: [] }) // after its 7-day window
 * events.done().rows
 * // => [{ experiment: 'checkout', variant: 'green', units: 1, metrics: [{ sum: 1, sumSquares: 1 }], ratioProducts: [] },
 * //     { experiment: 'checkout', variant: 'control', units: 1, metrics: [{ sum: 0, sumSquares: 0 }], ratioProducts: [] }]
 *
 * @category reducer
 * @since 0.2.0
 */
export const logReducer = (settings: ReduceSettings): E.Either<TouchpointError, ExposureReducer> => {
  const bad = settings === undefined || settings === null ? [issue('settings', 'reduce settings: { metrics, experiment?, asOf?, dimension? }', settings)] : optionIssues(SETTINGS, settings, 'settings')
  if (bad.length === 0 && settings.metrics === undefined) bad.push(issue('settings.metrics', METRICS, undefined))
  return bad.length > 0 ? E.left(invalidInput(bad)) : E.right(reducer(settings))
}

const reducer = (settings: ReduceSettings): ExposureReducer => {
  const byExperiment = new Map<string, Units>()
  const asOf = settings.asOf ?? Number.POSITIVE_INFINITY
  const keepDimension = settings.dimension === true
  let last = Number.NEGATIVE_INFINITY
  let finished = false

  const pushExposure = (row: ExposureRow): void => {
    if (finished) return
    if (settings.experiment !== undefined && row.experiment !== settings.experiment) return
    const time = row.time ?? Number.NEGATIVE_INFINITY
    if (!(time < asOf)) return
    if (time > last) last = time
    let units = byExperiment.get(row.experiment)
    if (units === undefined) {
      units = newUnits(row.experiment)
      byExperiment.set(row.experiment, units)
    }
    const v = indexOf(units.variants, units.variantIndex, row.variant)
    const d = keepDimension ? indexOf(units.dimensions, units.dimensionIndex, row.dimension) : 0
    const slot = units.slots.get(row.unit)
    if (slot === undefined) {
      const s = units.count++
      if (s >= units.t0.length) {
        units.t0 = grow(units.t0, s + 1)
        units.variant = grow(units.variant, s + 1)
        units.dimension = grow(units.dimension, s + 1)
      }
      units.slots.set(row.unit, s)
      units.t0[s] = time
      units.variant[s] = v
      units.dimension[s] = d
      return
    }
    if (units.variant[slot] !== v) units.variant[slot] = SEVERAL
    const t0 = units.t0[slot]!
    if (time < t0) {
      units.t0[slot] = time
      units.dimension[slot] = d
    } else if (time === t0 && units.dimension[slot] !== d) units.dimension[slot] = MIXED
  }

  const events = (): EventReducer => {
    finished = true
    const metrics = settings.metrics.eventMetrics
    const all = [...byExperiment.values()]
    const values = all.map((u) => metrics.map(() => new Float64Array(u.count)))
    const covariates = all.map((u) => metrics.map((m) => (m.cupedMs === undefined ? undefined : new Float64Array(u.count))))
    // For each event name, the metrics it feeds; the value column each reads (-1: none).
    const byEvent = new Map<string, Array<number>>()
    metrics.forEach((m, i) => {
      for (const e of m.events) {
        const list = byEvent.get(e) ?? []
        list.push(i)
        byEvent.set(e, list)
      }
    })
    const valueColumn = metrics.map((m) => (m.value === undefined ? -1 : settings.metrics.valueColumns.indexOf(m.value)))
    const starts = metrics.map((m) => m.delayMs)
    const ends = metrics.map((m) => m.delayMs + (m.windowMs ?? Number.POSITIVE_INFINITY))
    const kinds = metrics.map((m) => (m.kind === 'binomial' ? 0 : m.kind === 'count' ? 1 : 2))
    const cuped = metrics.map((m) => m.cupedMs ?? 0)
    let firstExposure = Number.POSITIVE_INFINITY
    for (const u of all) for (let s = 0; s < u.count; s++) if (u.t0[s]! < firstExposure) firstExposure = u.t0[s]!

    const contribution = (k: number, row: EventRow, column: number): number => (k === 0 || k === 1 ? 1 : (row.values[column] ?? 0))

    const push = (row: EventRow): void => {
      const feeds = byEvent.get(row.event)
      if (feeds === undefined) return
      const t = row.time
      if (!(t < asOf)) return
      if (t > last) last = t
      for (let e = 0; e < all.length; e++) {
        const units = all[e]!
        const slot = units.slots.get(row.unit)
        if (slot === undefined) continue
        const t0 = units.t0[slot]!
        for (const i of feeds) {
          const k = kinds[i]!
          // The window [t0 + delay, t0 + delay + window), and the CUPED pre-period [t0 − days, t0).
          // No window: to the end of the data (also when exposures have no times, t0 = −∞).
          if (t >= t0 + starts[i]! && (ends[i] === Number.POSITIVE_INFINITY || t < t0 + ends[i]!)) {
            const v = values[e]![i]!
            if (k === 0) v[slot] = 1
            else v[slot] = v[slot]! + contribution(k, row, valueColumn[i]!)
          } else if (cuped[i]! > 0 && t < t0 && t >= t0 - cuped[i]!) {
            const c = covariates[e]![i]!
            if (k === 0) c[slot] = 1
            else c[slot] = c[slot]! + contribution(k, row, valueColumn[i]!)
          }
        }
      }
    }

    const done = (): LogSums => {
      const rows: Array<ArmSums> = []
      const caps = all.map((units, e) => {
        const included = (s: number) => units.variant[s]! !== SEVERAL
        const capOf = (i: number, column: Float64Array | undefined): number | undefined => {
          const cap = metrics[i]!.cap
          if (cap === undefined || column === undefined) return undefined
          if (cap._tag === 'value') return cap.value
          const pool = new Float64Array(units.count)
          let n = 0
          for (let s = 0; s < units.count; s++) if (included(s)) pool[n++] = column[s]!
          return percentileCont(cap.quantile)(pool.subarray(0, n))
        }
        const applied = metrics.map((_, i) => ({ value: capOf(i, values[e]![i]), covariate: capOf(i, covariates[e]![i]) }))
        rows.push(...sumsOf(units, settings.metrics, values[e]!, covariates[e]!, applied, keepDimension))
        return { experiment: units.key, caps: applied }
      })
      return { rows, caps }
    }

    return {
      push,
      done,
      experiments: all.map((u) => u.key),
      span: () => ({
        firstExposure: Number.isFinite(firstExposure) ? firstExposure : undefined,
        last: Number.isFinite(last) ? last : undefined,
      }),
    }
  }

  return { push: pushExposure, done: events }
}

/** The sums of one experiment's units by arm and dimension value. */
const sumsOf = (
  units: Units,
  metrics: Metrics,
  values: ReadonlyArray<Float64Array>,
  covariates: ReadonlyArray<Float64Array | undefined>,
  caps: ReadonlyArray<{ readonly value: number | undefined; readonly covariate: number | undefined }>,
  keepDimension: boolean,
): ReadonlyArray<ArmSums> => {
  const m = metrics.eventMetrics.length
  const r = metrics.ratios.length
  const dims = keepDimension ? units.dimensions.length + 1 : 1 // + 1: mixed
  const arms = units.variants.length + 1 // + 1: several
  const cells = arms * dims
  // Per cell: units, then per metric Σy, Σy², Σx, Σx², Σxy, then per ratio Σyz.
  const width = 1 + 5 * m + r
  const acc = new Float64Array(cells * width)
  const y = new Float64Array(m)
  for (let s = 0; s < units.count; s++) {
    const v = units.variant[s]!
    const d = keepDimension ? (units.dimension[s] === MIXED ? dims - 1 : units.dimension[s]!) : 0
    const cell = ((v === SEVERAL ? arms - 1 : v) * dims + d) * width
    acc[cell] = acc[cell]! + 1
    if (v === SEVERAL) continue
    for (let i = 0; i < m; i++) {
      const capY = caps[i]!.value
      const raw = values[i]![s]!
      const yi = capY !== undefined && raw > capY ? capY : raw
      y[i] = yi
      const at = cell + 1 + 5 * i
      acc[at] = acc[at]! + yi
      acc[at + 1] = acc[at + 1]! + yi * yi
      const c = covariates[i]
      if (c !== undefined) {
        const capX = caps[i]!.covariate
        const xi = capX !== undefined && c[s]! > capX ? capX : c[s]!
        acc[at + 2] = acc[at + 2]! + xi
        acc[at + 3] = acc[at + 3]! + xi * xi
        acc[at + 4] = acc[at + 4]! + xi * yi
      }
    }
    for (let j = 0; j < r; j++) {
      const ratio = metrics.ratios[j]!
      const at = cell + 1 + 5 * m + j
      acc[at] = acc[at]! + y[ratio.numerator]! * y[ratio.denominator]!
    }
  }
  const rows: Array<ArmSums> = []
  for (let a = 0; a < arms; a++) {
    for (let d = 0; d < dims; d++) {
      const cell = (a * dims + d) * width
      if (acc[cell] === 0) continue
      const sums: Array<MetricSums> = metrics.eventMetrics.map((metric, i) => {
        const at = cell + 1 + 5 * i
        return {
          sum: acc[at]!,
          sumSquares: acc[at + 1]!,
          ...(metric.cupedMs === undefined ? {} : { covariate: { sum: acc[at + 2]!, sumSquares: acc[at + 3]!, productSum: acc[at + 4]! } }),
        }
      })
      rows.push({
        experiment: units.key,
        variant: a === arms - 1 ? null : units.variants[a]!,
        ...(keepDimension ? { dimension: d === dims - 1 ? null : units.dimensions[d]! } : {}),
        units: acc[cell]!,
        metrics: sums,
        ratioProducts: metrics.ratios.map((_, j) => acc[cell + 1 + 5 * m + j]!),
      })
    }
  }
  return rows
}
