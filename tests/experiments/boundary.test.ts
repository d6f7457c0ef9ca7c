/**
 * touchpoint/experiments under what plain JavaScript passes (issue 10): Lefts (or issues, for the row decoders)
 * naming the argument, setting or option, never a throw, and no NaN or infinite number where a number belongs.
 * The export-surface suite calls every export with junk; these are the silent mistakes it cannot see (a setting
 * of the wrong type that was read as another value) and the cases it found, kept as units.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { describe, expect, it } from 'vitest'
import { formatError, type TouchpointError } from '../../src/core/errors'
import { analyzeStatistics, experimentData } from '../../src/experiments/analysis'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { Metrics, MetricStatistics } from '../../src/experiments/model'
import { percentileCont } from '../../src/experiments/quantile'
import { logReducer } from '../../src/experiments/reduce'
import { buildReports, formatReports } from '../../src/experiments/report'
import { decodeEvent, decodeExposure, eventLayout, exposureLayout, isIssue, timeOf, DEFAULT_EVENT_COLUMNS, DEFAULT_EXPOSURE_COLUMNS } from '../../src/experiments/rows'
import { experimentArms, toStatistics } from '../../src/experiments/statistics'
import { orThrow } from '../_engines'
import { corrupt } from '../package/surface/values'
import { containsNaN } from '../_total'

const paths = (e: E.Either<TouchpointError, unknown>): ReadonlyArray<string> => (E.isLeft(e) && e.left._tag === 'InvalidInput' ? e.left.issues.map((i) => i.path) : [])

const M: Metrics = (() => {
  const r = decodeMetrics({ metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'] }, { name: 'spend', kind: 'sum', events: ['purchase'], value: 'amount' }] })
  if (E.isLeft(r)) throw new Error(formatError(r.left))
  return r.right
})()

const arms = [
  { name: 'control', units: 5012, conversions: 412 },
  { name: 'green', units: 4990, conversions: 480 },
]
const STATS: ReadonlyArray<MetricStatistics> = [{ experiment: 'checkout', metric: 'purchased', control: 'control', arms, multipleExposures: 3 }]

describe('settings and options of the wrong type are named, never read as another value', () => {
  it('logReducer: asOf as text dropped every row (no row is before NaN), dimension "yes" was read as false', () => {
    expect(paths(logReducer({ metrics: M, asOf: '2026-01-01' as never }))).toEqual(['settings.asOf'])
    expect(paths(logReducer({ metrics: M, dimension: 'yes' as never }))).toEqual(['settings.dimension'])
    expect(paths(logReducer({ metrics: { metrics: [] } as never }))).toEqual(['settings.metrics'])
    expect(paths(logReducer(null as never))).toEqual(['settings'])
    expect(E.isRight(logReducer({ metrics: M, asOf: Date.UTC(2026, 0, 1), dimension: true }))).toBe(true)
  })

  it('analyzeStatistics: a correction that is none fell back to uncorrected p-values under its name', () => {
    expect(paths(analyzeStatistics(M, { correction: 'hlm' as never })(STATS))).toEqual(['options.correction'])
    expect(paths(analyzeStatistics(M, { level: '0.95' as never })(STATS))).toEqual(['options.level'])
    // a metric the metrics file does not define threw a TypeError
    expect(paths(analyzeStatistics(M)([{ ...STATS[0]!, metric: 'revenue' }]))).toEqual(['statistics[0].metric'])
    expect(paths(analyzeStatistics(null as never)(STATS))).toEqual(['metrics'])
    expect(paths(analyzeStatistics(M)(null as never))).toEqual(['statistics'])
    expect(E.isRight(analyzeStatistics(M, { correction: 'bonferroni' })(STATS))).toBe(true)
  })

  it('analyzeStatistics: a NaN or infinite number in the statistics came back in the Right (found by the surface fuzz)', () => {
    // The arm was NotAnalyzed, but its result handed the statistics back, NaN and all.
    const nan = [{ ...STATS[0]!, arms: [{ ...arms[0]!, conversions: Number.NaN }, arms[1]!] }]
    expect(paths(analyzeStatistics(M)(nan))).toEqual(['statistics[0].arms[0].conversions'])
    const covariate = [{ ...STATS[0]!, metric: 'spend', arms: [{ name: 'control', units: 9, sum: 3, sumSquares: 5, covariate: { sum: 1, sumSquares: Number.POSITIVE_INFINITY, productSum: 1 } }, { name: 'green', units: 9, sum: 4, sumSquares: 6 }] }]
    expect(paths(analyzeStatistics(M)(covariate as never))).toEqual(['statistics[0].arms[0].covariate.sumSquares'])
    expect(paths(analyzeStatistics(M)([STATS[0]!, { ...STATS[0]!, extra: [Number.NaN] } as never]))).toEqual(['statistics[1].extra[0]'])
  })

  test.prop([fc.integer({ min: 0, max: 1 }), fc.constantFrom('units', 'conversions', 'weight'), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)])(
    'analyzeStatistics: no statistic with a number that is not finite gives a Right',
    (arm, field, x) => {
      const statistics = [{ ...STATS[0]!, arms: arms.map((a, i) => (i === arm ? { ...a, [field]: x } : a)) }]
      const r = analyzeStatistics(M)(statistics)
      // units and weight are checked with the statistic's shape (statistics[0]); conversions were not checked at all.
      expect(paths(r)).toEqual([field === 'conversions' ? `statistics[0].arms[${arm}].conversions` : 'statistics[0]'])
    },
  )

  it('buildReports and formatReports', () => {
    const results = orThrow(analyzeStatistics(M)(STATS))
    expect(paths(buildReports({ level: '0.95' as never })(results))).toEqual(['options.level'])
    expect(paths(buildReports({ correction: 'holmes' })(results))).toEqual(['options.correction'])
    expect(paths(buildReports()([{ ...results[0]!, outcome: { _tag: 'Analyzed' } } as never]))).toEqual(['results[0]'])
    const reports = orThrow(buildReports()(results))
    expect(formatReports('text')(reports)).toContain('purchased: green vs control +17.0%')
    expect(formatReports('html' as never)(reports)).toBe('')
    expect(formatReports('text')([{ ...reports[0]!, level: Number.NaN }])).toBe('')
    expect(formatReports('markdown')(null as never)).toBe('')
  })

  it('toStatistics and experimentArms: options and per-arm sums', () => {
    const row = { experiment: 'x', variant: 'A', units: 10, metrics: [{ sum: 1, sumSquares: 1 }, { sum: 5, sumSquares: 25 }], ratioProducts: [] }
    expect(paths(toStatistics(M, { control: 1 as never })([row]))).toEqual(['options.control'])
    expect(paths(toStatistics(M, { designs: { x: [{ variant: 'A', weight: -1 }] } })([row]))).toEqual(['options.designs'])
    expect(paths(toStatistics(M)([{ ...row, units: Number.NaN }]))).toEqual(['rows[0].units'])
    expect(paths(toStatistics(M)([{ ...row, metrics: [{ sum: 1, sumSquares: 1 }] }]))).toEqual(['rows[0].metrics'])
    expect(paths(toStatistics({} as never)([row]))).toEqual(['metrics'])
    expect(paths(experimentArms(null as never)([row]))).toEqual(['options'])
    expect(paths(experimentArms()('rows' as never))).toEqual(['rows'])
    expect(paths(toStatistics(M)([row, { ...row, variant: 'B' }]))).toEqual([])
  })
})

describe('rows', () => {
  it('layouts name names, columns and given; decoders of a layout that is none answer an issue for every record', () => {
    expect(exposureLayout(null as never, DEFAULT_EXPOSURE_COLUMNS)).toEqual({ issue: expect.objectContaining({ path: 'names' }) })
    expect(exposureLayout(['unit_id'], { ...DEFAULT_EXPOSURE_COLUMNS, unit: 7 as never })).toEqual({ issue: expect.objectContaining({ path: 'columns.unit' }) })
    expect(exposureLayout(['unit_id'], DEFAULT_EXPOSURE_COLUMNS, { time: 'yes' as never })).toEqual({ issue: expect.objectContaining({ path: 'given.time' }) })
    // an alias lookup of a column called "constructor" read Object's constructor as a list of aliases and threw
    expect(exposureLayout(['x'], { ...DEFAULT_EXPOSURE_COLUMNS, unit: 'constructor' })).toEqual({ issue: expect.objectContaining({ path: 'exposures.unit' }) })
    expect(eventLayout(['unit_id', 'timestamp', 'event'], DEFAULT_EVENT_COLUMNS, null as never)).toEqual({ issue: expect.objectContaining({ path: 'metrics' }) })
    expect(decodeExposure(null as never, 'ms')(['u', 'x', 'A', '1'], 3)).toEqual(expect.objectContaining({ path: 'layout' }))
    expect(decodeEvent({ at: { unit: 'u', time: 't', event: 'e' } }, M, 'ms')({ u: 'a', t: 1, e: 'purchase' }, 1)).toEqual(expect.objectContaining({ path: 'layout' }))
    const l = exposureLayout(['unit_id', 'experiment', 'variant', 'timestamp'], DEFAULT_EXPOSURE_COLUMNS)
    if (!('layout' in l)) throw new Error('no layout')
    expect(decodeExposure(l.layout, 'minutes' as never)(['u', 'x', 'A', '1'], 3)).toEqual(expect.objectContaining({ path: 'unit' }))
    const decode = decodeExposure(l.layout, 's')
    // 1e306 seconds is beyond the doubles in ms: an Infinity time reached the reducer
    expect(decode(['u', 'x', 'A', '1e306'], 3)).toEqual(expect.objectContaining({ path: 'timestamp', line: 3 }))
    expect(decode(null as never, 4)).toEqual(expect.objectContaining({ path: 'cells', line: 4 }))
    expect(decode(['u', 'x', 'A', 'x'], Number.NaN)).not.toHaveProperty('line')
    expect(decode(['u', 'x', 'A', '2'], 5)).toEqual({ unit: 'u', experiment: 'x', variant: 'A', time: 2000, dimension: '' })
  })

  test.prop([fc.anything(), fc.oneof(fc.constantFrom('s', 'ms', 'us', 'ns', '__proto__', 'toString'), fc.anything())])('timeOf is a finite number or undefined, whatever it is given', (u, unit) => {
    const t = timeOf(u, unit as never)
    expect(t === undefined || Number.isFinite(t)).toBe(true)
  })

  test.prop([fc.anything()])('isIssue answers anything', (u) => {
    expect(typeof isIssue(u as never)).toBe('boolean')
  })

  it('experimentData of what is no statistics has no arms (analyze then says so)', () => {
    expect(experimentData(null as never)).toEqual({ arms: [] })
  })
})

describe('percentileCont', () => {
  test.prop([fc.double(), fc.array(fc.double())])('undefined, or a value between the smallest and the largest', (q, xs) => {
    const r = percentileCont(q)(Float64Array.from(xs))
    const finite = xs.length > 0 && xs.every(Number.isFinite)
    if (!(q >= 0 && q <= 1) || !finite) expect(r).toBeUndefined()
    else {
      expect(r).toBeGreaterThanOrEqual(Math.min(...xs))
      expect(r).toBeLessThanOrEqual(Math.max(...xs))
    }
  })

  it('what is no Float64Array (a plain array sorted as text) is refused', () => {
    expect(percentileCont(0.5)([10, 9, 100] as never)).toBeUndefined()
    expect(pipe(Float64Array.from([10, 9, 100]), percentileCont(0.5))).toBe(10)
  })
})

describe('valid input with one thing broken (the surface suite calls these with junk only)', () => {
  const metrics = orThrow(
    decodeMetrics({
      metrics: [
        { name: 'bought', kind: 'binomial', events: ['buy'], window: '7d' },
        { name: 'spend', kind: 'sum', events: ['buy'], value: 'value', cuped: { days: 7 }, cap: { quantile: 0.99 } },
        { name: 'orders', kind: 'count', events: ['buy'], guardrail: true, direction: 'decrease' },
        { name: 'per_order', kind: 'ratio', numerator: 'spend', denominator: 'orders' },
      ],
    }),
  )
  const exposures = orThrow(logReducer({ metrics, dimension: true }))
  const day = (d: number) => Date.UTC(2026, 0, d)
  for (let i = 0; i < 60; i++) exposures.push({ unit: `u${i}`, experiment: 'x', variant: i % 3 === 0 ? 'control' : i % 3 === 1 ? 'B' : 'C', time: day(10), dimension: i % 2 === 0 ? 'de' : 'fr' })
  const events = exposures.done()
  for (let i = 0; i < 60; i++) for (let k = 0; k < (i % 4) + (i % 3); k++) events.push({ unit: `u${i}`, time: day(k % 2 === 0 ? 11 : 5), event: 'buy', values: [1 + ((i * 7 + k) % 13)] })
  const rows = events.done().rows
  const options = { dimension: 'country', control: 'control' }
  const statistics = orThrow(toStatistics(metrics, options)(rows))
  const results = orThrow(analyzeStatistics(metrics, { correction: 'holm', level: 0.9 })(statistics))
  const reports = orThrow(buildReports({ correction: 'holm', level: 0.9 })(results))
  const VALID = { metrics, options, rows, analysis: { correction: 'holm', level: 0.9, sequential: true }, statistics, results, report: { level: 0.9 }, reports }

  const noNaNMade = (e: E.Either<TouchpointError, unknown>, what = '') => {
    if (E.isRight(e)) expect(containsNaN(e.right), `NaN in the Right of ${what}`).toBe(false)
    else expect(['InvalidInput', 'InsufficientData', 'NumericalFailure']).toContain(e.left._tag)
  }

  it('the valid input works', () => {
    expect(formatReports('markdown')(reports)).toContain('| bought | B |')
  })

  test.prop([corrupt(fc.constant(VALID))], { numRuns: 100 })('toStatistics, experimentArms, analyzeStatistics, buildReports and formatReports never throw, and no NaN reaches a Right or the text', (v) => {
    const x = (v ?? {}) as typeof VALID
    // NaN the caller passed and is handed back (a result inside a report) is the caller's; NaN made here is not.
    const noNaN = containsNaN(v) ? (e: E.Either<TouchpointError, unknown>) => expect(E.isLeft(e) || E.isRight(e)).toBe(true) : noNaNMade
    noNaN(toStatistics(x.metrics, x.options)(x.rows), 'toStatistics')
    noNaN(experimentArms(x.options)(x.rows), 'experimentArms')
    noNaN(analyzeStatistics(x.metrics, x.analysis as never)(x.statistics), 'analyzeStatistics')
    noNaN(buildReports(x.report)(x.results), 'buildReports')
    for (const format of ['text', 'markdown'] as const) {
      const text = formatReports(format)(x.reports)
      if (!containsNaN(v)) expect(text).not.toMatch(/\bNaN\b/)
    }
  })

  /** `xs` with a hole at `at` (`delete`, as `[a, , c]` writes it): a sparse list, which Array.prototype.every skips. */
  const holed = <A>(xs: ReadonlyArray<A>, at: number): Array<A> => {
    const copy = [...xs]
    delete copy[at % copy.length]
    return copy
  }

  it('a hole in a list was skipped by the checks, then read as undefined (found by the surface fuzz)', () => {
    // Each threw a TypeError on the old code.
    expect(formatReports('text')(holed(reports, 0))).toBe('')
    expect(formatReports('markdown')([{ ...reports[0]!, slices: holed(reports[0]!.slices, 0) }])).toBe('')
    expect('issue' in exposureLayout(holed(['unit_id', 'experiment', 'variant', 'timestamp'], 3), DEFAULT_EXPOSURE_COLUMNS)).toBe(true)
    expect('issue' in eventLayout(holed(['unit_id', 'timestamp', 'event', 'value'], 1), DEFAULT_EVENT_COLUMNS, metrics)).toBe(true)
    // These answered a Right with the hole in it (an arm that is null).
    expect(paths(analyzeStatistics(metrics)([{ ...statistics[0]!, arms: holed(statistics[0]!.arms, 1) }]))).toEqual(['statistics[0]'])
    expect(paths(toStatistics(metrics)([{ ...rows[0]!, ratioProducts: holed(rows[0]!.ratioProducts, 0) }, ...rows.slice(1)]))).toEqual(['rows[0].ratioProducts'])
  })

  test.prop([fc.nat(), fc.constantFrom('reports', 'slices', 'metrics', 'arms', 'results', 'statistics arms', 'designs')])('a hole anywhere in a list: no throw, a Left or nothing written', (at, where) => {
    const r0 = reports[0]!
    const s0 = r0.slices[0]!
    const formatted = (rs: ReadonlyArray<unknown>) => (['text', 'markdown'] as const).map((f) => formatReports(f)(rs as never))
    if (where === 'reports') expect(formatted(holed(reports, at))).toEqual(['', ''])
    if (where === 'slices') expect(formatted([{ ...r0, slices: holed(r0.slices, at) }])).toEqual(['', ''])
    if (where === 'metrics') expect(formatted([{ ...r0, slices: [{ ...s0, metrics: holed(s0.metrics, at) }] }])).toEqual(['', ''])
    if (where === 'arms') expect(formatted([{ ...r0, slices: [{ ...s0, arms: holed(s0.arms, at) }] }])).toEqual(['', ''])
    if (where === 'results') expect(E.isLeft(buildReports()(holed(results, at)))).toBe(true)
    if (where === 'statistics arms') expect(E.isLeft(analyzeStatistics(metrics)([{ ...statistics[0]!, arms: holed(statistics[0]!.arms, at) }]))).toBe(true)
    if (where === 'designs') expect(E.isLeft(toStatistics(metrics, { control: 'control', designs: { x: holed([{ variant: 'control', weight: 1 }, { variant: 'B', weight: 1 }, { variant: 'C', weight: 1 }], at) } })(rows))).toBe(true)
  })

  test.prop([corrupt(fc.constant({ names: ['unit_id', 'experiment', 'variant', 'timestamp', 'country'], columns: { ...DEFAULT_EXPOSURE_COLUMNS, dimension: 'country' }, cells: ['u1', 'x', 'B', '1767225600', 'de'], unit: 's', line: 2 }))], { numRuns: 300 })(
    'exposure layouts and decoding never throw, and a row has a finite time',
    (v) => {
      const x = (v ?? {}) as { names: ReadonlyArray<string>; columns: typeof DEFAULT_EXPOSURE_COLUMNS; cells: ReadonlyArray<string>; unit: 's'; line: number }
      const l = exposureLayout(x.names, x.columns)
      if (!('layout' in l)) return
      const r = decodeExposure(l.layout, x.unit)(x.cells, x.line)
      if (!isIssue(r)) expect(r.time === undefined || Number.isFinite(r.time)).toBe(true)
    },
  )
})
