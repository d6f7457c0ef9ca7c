/**
 * Random exposure and event logs for the experiment-analysis properties, and a direct per-unit computation of
 * the per-arm sums written independently of src/experiments (plain arrays, filters and sorts, no typed arrays,
 * no streaming), against which the in-process reducer and every SQL engine are held.
 *
 * The logs are built to hit the edges: exposure times on a coarse grid (ties between a unit's exposures, first
 * exposures that disagree on the dimension), events placed exactly at window and CUPED edges of some exposure,
 * events before exposures, units with no events, units exposed to two variants, variants nobody sees alone.
 */
import { fc } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { ArmSums, EventRow, ExposureRow, LogSums, Metrics } from '../../src/experiments/model'
import { decodeMetrics } from '../../src/experiments/metrics'
import { isClose } from '../_close'

export const DAY = 86_400_000
export const T0 = Date.UTC(2026, 0, 5)

export interface Logs {
  readonly metrics: Metrics
  readonly exposures: ReadonlyArray<ExposureRow>
  readonly events: ReadonlyArray<EventRow>
}

const durations = fc.constantFrom(undefined, '1h', '1d', '2d', '7d')
const metricInput = (i: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('binomial'), window: durations, delay: fc.constantFrom(undefined, '1h'), cuped: fc.constantFrom(undefined, 1, 2) }),
    fc.record({ kind: fc.constant('count'), window: durations, delay: fc.constantFrom(undefined, '1h'), cuped: fc.constantFrom(undefined, 1, 2), cap: fc.constantFrom(undefined, { quantile: 0.5 }, { quantile: 0.9 }, { quantile: 1 }, { value: 2 }) }),
    fc.record({ kind: fc.constant('sum'), window: durations, delay: fc.constantFrom(undefined, '1h'), cuped: fc.constantFrom(undefined, 1, 2), cap: fc.constantFrom(undefined, { quantile: 0.75 }, { quantile: 0.99 }, { value: 10 }), value: fc.constantFrom('value', 'amount') }),
  ).chain((m) =>
    fc.subarray(['buy', 'view', 'refund'], { minLength: 1 }).map((events) => {
      const o: Record<string, unknown> = { name: `m${i}`, kind: m.kind, events }
      for (const [k, v] of Object.entries(m)) if (v !== undefined && k !== 'kind') o[k] = k === 'cuped' ? { days: v } : v
      return o
    }),
  )

/** 1 to 4 event metrics and up to 2 ratios over them. */
export const arbMetrics: fc.Arbitrary<Metrics> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => metricInput(i))))
  .chain((ms) =>
    fc.array(fc.tuple(fc.nat(ms.length - 1), fc.nat(ms.length - 1)), { maxLength: 2 }).map((pairs) => ({
      metrics: [...ms, ...pairs.map(([a, b], j) => ({ name: `r${j}`, kind: 'ratio', numerator: `m${a}`, denominator: `m${b}` }))],
    })),
  )
  .map((input) => {
    const r = decodeMetrics(input)
    if (r._tag === 'Left') throw new Error(`arbMetrics made an invalid metrics file: ${JSON.stringify(r.left)}`)
    return r.right
  })

const HOUR = 3_600_000
/** Offsets from an exposure that sit on the edges the metrics above can have. */
const EDGES = [0, -1, 1, HOUR, HOUR - 1, DAY, DAY + HOUR, 2 * DAY, 2 * DAY + HOUR, 7 * DAY, 7 * DAY + HOUR, -DAY, -2 * DAY, -DAY - 1, -2 * DAY - 1, 3 * DAY]

export const arbLogs = (options: { readonly maxUnits?: number; readonly experiments?: number } = {}): fc.Arbitrary<Logs> =>
  fc
    .record({
      metrics: arbMetrics,
      units: fc.integer({ min: 1, max: options.maxUnits ?? 25 }),
      variants: fc.integer({ min: 1, max: 3 }),
      seed: fc.array(fc.nat(1_000_000), { minLength: 400, maxLength: 400 }),
      experiments: fc.integer({ min: 1, max: options.experiments ?? 2 }),
    })
    .map(({ metrics, units, variants, seed, experiments }) => {
      let k = 0
      const next = () => seed[k++ % seed.length]! + k
      const exposures: Array<ExposureRow> = []
      const events: Array<EventRow> = []
      for (let u = 0; u < units; u++) {
        const unit = `u${u}`
        for (let e = 0; e < experiments; e++) {
          if (e > 0 && next() % 3 === 0) continue
          const count = 1 + (next() % 3)
          const first = next() % variants
          for (let i = 0; i < count; i++) {
            // Mostly the same variant; sometimes another (the unit is then left out).
            const variant = next() % 5 === 0 ? (first + 1) % Math.max(variants, 2) : first
            exposures.push({ unit, experiment: `x${e}`, variant: `v${variant}`, time: T0 + (next() % 4) * DAY, dimension: ['DE', 'FR', ''][next() % 3]! })
          }
        }
        const n = next() % 7
        const mine = exposures.filter((x) => x.unit === unit)
        for (let i = 0; i < n; i++) {
          const anchor = mine[next() % mine.length]?.time ?? T0
          const t = next() % 2 === 0 ? anchor + EDGES[next() % EDGES.length]! : T0 - 3 * DAY + (next() % (12 * DAY))
          const event = ['buy', 'view', 'refund', 'other'][next() % 4]!
          events.push({ unit, time: t, event, values: metrics.valueColumns.map(() => (next() % 20) - 4 + (next() % 100) / 100) })
        }
      }
      // Events of units nobody exposed, and rows in no particular order.
      events.push({ unit: 'stranger', time: T0, event: 'buy', values: metrics.valueColumns.map(() => 1) })
      const shuffle = <A>(a: Array<A>) => {
        for (let i = a.length - 1; i > 0; i--) {
          const j = next() % (i + 1)
          ;[a[i], a[j]] = [a[j]!, a[i]!]
        }
        return a
      }
      return { metrics, exposures: shuffle(exposures), events: shuffle(events) }
    })

/** PERCENTILE_CONT, as the SQL standard defines it. */
const quantile = (q: number, values: ReadonlyArray<number>): number | undefined => {
  if (values.length === 0) return undefined
  const s = [...values].sort((a, b) => a - b)
  const rn = q * (s.length - 1)
  const f = Math.floor(rn)
  const c = Math.ceil(rn)
  return f === c ? s[f]! : s[f]! + (rn - f) * (s[c]! - s[f]!)
}

/** The per-arm sums, directly from the rows. */
export const directSums = (logs: Logs, options: { readonly experiment?: string; readonly asOf?: number; readonly dimension?: boolean } = {}): LogSums => {
  const { metrics } = logs
  const asOf = options.asOf ?? Infinity
  const exposures = logs.exposures.filter((x) => (options.experiment === undefined || x.experiment === options.experiment) && (x.time ?? -Infinity) < asOf)
  const events = logs.events.filter((e) => e.time < asOf)
  const rows: Array<ArmSums> = []
  const caps: Array<LogSums['caps'][number]> = []
  for (const experiment of [...new Set(exposures.map((x) => x.experiment))]) {
    const units = [...new Set(exposures.filter((x) => x.experiment === experiment).map((x) => x.unit))].map((unit) => {
      const mine = exposures.filter((x) => x.experiment === experiment && x.unit === unit)
      const t0 = Math.min(...mine.map((x) => x.time ?? -Infinity))
      const variants = new Set(mine.map((x) => x.variant))
      const firsts = new Set(mine.filter((x) => (x.time ?? -Infinity) === t0).map((x) => x.dimension))
      const value = (m: Metrics['eventMetrics'][number], from: number, to: number) => {
        const hits = events.filter((e) => e.unit === unit && m.events.includes(e.event) && e.time >= from && e.time < to)
        if (m.kind === 'binomial') return hits.length > 0 ? 1 : 0
        if (m.kind === 'count') return hits.length
        return hits.reduce((s, e) => s + e.values[metrics.valueColumns.indexOf(m.value!)]!, 0)
      }
      return {
        variant: variants.size === 1 ? [...variants][0]! : null,
        dimension: firsts.size === 1 ? [...firsts][0]! : null,
        y: metrics.eventMetrics.map((m) => value(m, t0 + m.delayMs, m.windowMs === undefined ? Infinity : t0 + m.delayMs + m.windowMs)),
        x: metrics.eventMetrics.map((m) => (m.cupedMs === undefined ? 0 : value(m, t0 - m.cupedMs, t0))),
      }
    })
    const included = units.filter((u) => u.variant !== null)
    const capOf = (i: number, of: 'y' | 'x') => {
      const m = metrics.eventMetrics[i]!
      if (m.cap === undefined || (of === 'x' && m.cupedMs === undefined)) return undefined
      return m.cap._tag === 'value' ? m.cap.value : quantile(m.cap.quantile, included.map((u) => u[of][i]!))
    }
    const applied = metrics.eventMetrics.map((_, i) => ({ value: capOf(i, 'y'), covariate: capOf(i, 'x') }))
    caps.push({ experiment, caps: applied })
    const capped = (v: number, c: number | undefined) => (c !== undefined && v > c ? c : v)
    const keys = [...new Set(units.map((u) => JSON.stringify([u.variant, options.dimension === true ? u.dimension : 0])))]
    for (const key of keys) {
      const [variant, dimension] = JSON.parse(key) as [string | null, string | null]
      const group = units.filter((u) => JSON.stringify([u.variant, options.dimension === true ? u.dimension : 0]) === key)
      const ys = group.map((u) => u.y.map((v, i) => capped(v, applied[i]!.value)))
      const xs = group.map((u) => u.x.map((v, i) => capped(v, applied[i]!.covariate)))
      const live = variant !== null
      rows.push({
        experiment,
        variant,
        ...(options.dimension === true ? { dimension } : {}),
        units: group.length,
        metrics: metrics.eventMetrics.map((m, i) => ({
          sum: live ? ys.reduce((s, y) => s + y[i]!, 0) : 0,
          sumSquares: live ? ys.reduce((s, y) => s + y[i]! ** 2, 0) : 0,
          ...(m.cupedMs === undefined
            ? {}
            : {
                covariate: {
                  sum: live ? xs.reduce((s, x) => s + x[i]!, 0) : 0,
                  sumSquares: live ? xs.reduce((s, x) => s + x[i]! ** 2, 0) : 0,
                  productSum: live ? xs.reduce((s, x, j) => s + x[i]! * ys[j]![i]!, 0) : 0,
                },
              }),
        })),
        ratioProducts: metrics.ratios.map((r) => (live ? ys.reduce((s, y) => s + y[r.numerator]! * y[r.denominator]!, 0) : 0)),
      })
    }
  }
  return { rows, caps }
}

const keyOf = (r: ArmSums) => JSON.stringify([r.experiment, r.variant, r.dimension ?? null])

/** Two sums equal to 1e-9 relative (a little absolute slack for sums that cancel to about zero). */
export const expectSameSums = (actual: LogSums, expected: LogSums, label = ''): void => {
  const close = (a: number, b: number, what: string) => {
    if (!isClose(a, b, { rel: 1e-9, abs: 1e-9 })) expect.fail(`${label}${what}: got ${a}, expected ${b}`)
  }
  const sorted = (s: LogSums) => [...s.rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  const a = sorted(actual)
  const b = sorted(expected)
  expect(a.map(keyOf), `${label}rows`).toEqual(b.map(keyOf))
  a.forEach((r, i) => {
    const e = b[i]!
    const at = keyOf(r)
    close(r.units, e.units, `${at} units`)
    r.metrics.forEach((m, j) => {
      close(m.sum, e.metrics[j]!.sum, `${at} m${j} sum`)
      close(m.sumSquares, e.metrics[j]!.sumSquares, `${at} m${j} sumSquares`)
      expect(m.covariate === undefined, `${at} m${j} covariate present`).toBe(e.metrics[j]!.covariate === undefined)
      if (m.covariate !== undefined) {
        close(m.covariate.sum, e.metrics[j]!.covariate!.sum, `${at} m${j} covariate.sum`)
        close(m.covariate.sumSquares, e.metrics[j]!.covariate!.sumSquares, `${at} m${j} covariate.sumSquares`)
        close(m.covariate.productSum, e.metrics[j]!.covariate!.productSum, `${at} m${j} covariate.productSum`)
      }
    })
    r.ratioProducts.forEach((p, j) => close(p, e.ratioProducts[j]!, `${at} r${j} productSum`))
  })
  const capsOf = (s: LogSums) => [...s.caps].sort((x, y) => (x.experiment < y.experiment ? -1 : 1))
  capsOf(actual).forEach((c, i) => {
    const e = capsOf(expected)[i]!
    expect(c.experiment).toBe(e.experiment)
    c.caps.forEach((cap, j) => {
      for (const side of ['value', 'covariate'] as const) {
        const x = cap[side]
        const y = e.caps[j]![side]
        if (x === undefined || y === undefined) expect(x, `${label}${c.experiment} cap ${j} ${side}`).toBe(y)
        else close(x, y, `${c.experiment} cap ${j} ${side}`)
      }
    })
  })
}
