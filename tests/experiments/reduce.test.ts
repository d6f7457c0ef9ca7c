import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { decodeMetrics } from '../../src/experiments/metrics'
import type { LogSums } from '../../src/experiments/model'
import { logReducer, type ReduceSettings } from '../../src/experiments/reduce'
import { arbLogs, DAY, directSums, expectSameSums, T0, type Logs } from './_logs'
import { orThrow } from '../_engines'

const reduce = (logs: Logs, settings: Omit<ReduceSettings, 'metrics'> = {}): LogSums => {
  const r = orThrow(logReducer({ metrics: logs.metrics, ...settings }))
  for (const x of logs.exposures) r.push(x)
  const e = r.done()
  for (const x of logs.events) e.push(x)
  return e.done()
}

describe('logReducer', () => {
  test.prop([arbLogs()], { numRuns: 300 })('equals a direct per-unit computation (windows, delays, caps, CUPED, ratios, several variants)', (logs) => {
    expectSameSums(reduce(logs), directSums(logs))
  })

  test.prop([arbLogs()], { numRuns: 200 })('per dimension value, the first exposure deciding (disagreeing first exposures: null)', (logs) => {
    expectSameSums(reduce(logs, { dimension: true }), directSums(logs, { dimension: true }))
  })

  test.prop([arbLogs(), fc.integer({ min: -2, max: 12 })], { numRuns: 200 })('as of a cut-off: only rows before it', (logs, day) => {
    const asOf = T0 + day * DAY
    const direct = directSums(logs, { asOf })
    if (direct.rows.length === 0) return
    expectSameSums(reduce(logs, { asOf }), direct)
  })

  test.prop([arbLogs({ experiments: 2 })], { numRuns: 100 })('one experiment of several', (logs) => {
    expectSameSums(reduce(logs, { experiment: 'x1' }), directSums(logs, { experiment: 'x1' }))
  })

  test.prop([arbLogs(), fc.nat()], { numRuns: 100 })('the order of rows does not matter', (logs, seed) => {
    const rotate = <A>(a: ReadonlyArray<A>) => (a.length === 0 ? [] : [...a.slice(seed % a.length), ...a.slice(0, seed % a.length)].reverse())
    expectSameSums(reduce({ ...logs, exposures: rotate(logs.exposures), events: rotate(logs.events) }), reduce(logs))
  })

  it('window edges: t0 + delay counts, t0 + delay + window does not; the CUPED day before t0 is [t0 − 1d, t0)', () => {
    const m = decodeMetrics({ metrics: [{ name: 'n', kind: 'count', events: ['e'], window: '1d', delay: '1h', cuped: { days: 1 } }] })
    if (m._tag === 'Left') throw new Error('metrics')
    const r = orThrow(logReducer({ metrics: m.right }))
    r.push({ unit: 'a', experiment: 'x', variant: 'A', time: T0, dimension: '' })
    r.push({ unit: 'b', experiment: 'x', variant: 'B', time: T0, dimension: '' })
    const e = r.done()
    const H = 3_600_000
    for (const t of [T0 + H - 1, T0 + H, T0 + H + DAY - 1, T0 + H + DAY, T0 - DAY - 1, T0 - DAY, T0 - 1, T0]) e.push({ unit: 'a', time: t, event: 'e', values: [] })
    const sums = e.done()
    const a = sums.rows.find((x) => x.variant === 'A')!
    // In the window: T0 + H and T0 + H + DAY − 1. Pre-period: T0 − DAY and T0 − 1. T0 itself is in neither.
    expect(a.metrics[0]).toEqual({ sum: 2, sumSquares: 4, covariate: { sum: 2, sumSquares: 4, productSum: 4 } })
  })

  it('a unit seen in two variants is counted apart and left out of every metric; its events count nowhere', () => {
    const m = decodeMetrics({ metrics: [{ name: 'n', kind: 'count', events: ['e'] }] })
    if (m._tag === 'Left') throw new Error('metrics')
    const r = orThrow(logReducer({ metrics: m.right }))
    r.push({ unit: 'a', experiment: 'x', variant: 'A', time: T0 + DAY, dimension: '' })
    r.push({ unit: 'a', experiment: 'x', variant: 'B', time: T0, dimension: '' })
    r.push({ unit: 'b', experiment: 'x', variant: 'A', time: T0, dimension: '' })
    const e = r.done()
    e.push({ unit: 'a', time: T0 + 2 * DAY, event: 'e', values: [] })
    const sums = e.done()
    expect(sums.rows).toEqual([
      { experiment: 'x', variant: 'A', units: 1, metrics: [{ sum: 0, sumSquares: 0 }], ratioProducts: [] },
      { experiment: 'x', variant: null, units: 1, metrics: [{ sum: 0, sumSquares: 0 }], ratioProducts: [] },
    ])
  })

  it('pushing exposures after done() changes nothing; span covers the first exposure and the last row', () => {
    const m = decodeMetrics({ metrics: [{ name: 'n', kind: 'count', events: ['e'] }] })
    if (m._tag === 'Left') throw new Error('metrics')
    const r = orThrow(logReducer({ metrics: m.right }))
    r.push({ unit: 'a', experiment: 'x', variant: 'A', time: T0 + DAY, dimension: '' })
    const e = r.done()
    r.push({ unit: 'b', experiment: 'x', variant: 'B', time: T0, dimension: '' })
    e.push({ unit: 'a', time: T0 + 5 * DAY, event: 'e', values: [] })
    expect(e.done().rows.map((x) => x.units)).toEqual([1])
    expect(e.span()).toEqual({ firstExposure: T0 + DAY, last: T0 + 5 * DAY })
  })
})
