import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { formatError } from '../../src/core/errors'
import { decodeMetrics, decodeMetricsJson } from '../../src/experiments/metrics'

const ISSUE_FILE = `{
  "metrics": [
    { "name": "purchased", "kind": "binomial", "events": ["purchase"], "window": "7d" },
    { "name": "revenue", "kind": "sum", "events": ["purchase"], "value": "value", "window": "7d",
      "cap": { "quantile": 0.99 }, "cuped": { "days": 14 } },
    { "name": "orders", "kind": "count", "events": ["purchase"] },
    { "name": "revenue_per_order", "kind": "ratio", "numerator": "revenue", "denominator": "orders" }
  ]
}`

const messages = (u: unknown): string => {
  const r = decodeMetrics(u)
  if (E.isRight(r)) throw new Error('expected a Left')
  return formatError(r.left)
}

describe('decodeMetrics', () => {
  it('accepts the metrics file of issue 13 as written', () => {
    const r = decodeMetricsJson(ISSUE_FILE)
    if (E.isLeft(r)) throw new Error(formatError(r.left))
    const [purchased, revenue, orders, ratio] = r.right.metrics
    expect(purchased).toEqual({ _tag: 'event', name: 'purchased', kind: 'binomial', events: ['purchase'], windowMs: 7 * 86_400_000, delayMs: 0, guardrail: false, direction: 'increase' })
    expect(revenue).toMatchObject({ kind: 'sum', value: 'value', cap: { _tag: 'quantile', quantile: 0.99 }, cupedMs: 14 * 86_400_000 })
    expect(orders).toMatchObject({ kind: 'count' })
    expect(orders).not.toHaveProperty('windowMs')
    expect(ratio).toEqual({ _tag: 'ratio', name: 'revenue_per_order', kind: 'ratio', numerator: 'revenue', denominator: 'orders', guardrail: false, direction: 'increase' })
    expect(r.right.eventMetrics.map((m) => m.name)).toEqual(['purchased', 'revenue', 'orders'])
    expect(r.right.ratios).toEqual([{ metric: ratio, numerator: 1, denominator: 2 }])
    expect(r.right.valueColumns).toEqual(['value'])
  })

  it('names every problem by its path', () => {
    expect(
      messages({
        metrics: [
          { name: 'orders', kind: 'count', events: ['purchase'], window: '7 days' },
          { name: 'orders', kind: 'count', events: ['x'] },
          { name: 'r', kind: 'ratio', numerator: 'revnue', denominator: 'orders' },
          { name: 's', kind: 'sum', events: ['purchase'] },
          { name: 'b', kind: 'binomial', events: ['purchase'], cap: { quantile: 0.9 } },
          { name: 'c', kind: 'count', events: [], cap: { quantile: 1.5 }, delay: '-1h', colour: 'red' },
          { name: 'q', kind: 'ratio', numerator: 'r', denominator: 'orders', cuped: { days: 7 } },
          { name: 'k', kind: 'mean', events: ['purchase'] },
        ],
      }).split('\n'),
    ).toEqual([
      'metrics[0].window: expected a duration > 0 such as 7d, 36h, 90m, 30s, 500ms or 2w, got "7 days"',
      'metrics[3].value: expected a non-empty string, got nothing (the field is missing)',
      'metrics[4].cap: expected no cap (a binomial value is 0 or 1), got {"quantile":0.9}',
      'metrics[5].events: expected a non-empty array of distinct event names, got []',
      'metrics[5].delay: expected a duration such as 1h, 30m or 0s, got "-1h"',
      'metrics[5].cap.quantile: expected a number in (0, 1], got 1.5',
      'metrics[5].colour: expected no such field (known: name, kind, events, window, delay, cap, cuped, guardrail, direction), got "red"',
      'metrics[6].cuped: expected no CUPED on a ratio (touchpoint/stats has no CUPED for ratios), got {"days":7}',
      'metrics[7].kind: expected one of "binomial", "count", "sum", "ratio", got "mean"',
      'metrics[1].name: expected a name no other metric has (metrics[0] is "orders"), got "orders"',
      'metrics[2].numerator: expected the name of a binomial, count or sum metric ("orders", "s", "b", "c"), got "revnue"',
    ])
  })

  it('a ratio of a ratio, a file without metrics, JSON with a key twice', () => {
    expect(messages({ metrics: [{ name: 'a', kind: 'count', events: ['e'] }, { name: 'r', kind: 'ratio', numerator: 'a', denominator: 'a' }, { name: 's', kind: 'ratio', numerator: 'r', denominator: 'a' }] })).toBe(
      'metrics[2].numerator: expected the name of a binomial, count or sum metric ("a"), got "r"',
    )
    expect(messages({ metrics: [] })).toBe('metrics: expected a non-empty array of metrics, got []')
    expect(messages({})).toBe('metrics: expected a non-empty array of metrics, got nothing (the field is missing)')
    const twice = decodeMetricsJson('{"metrics": [], "metrics": []}')
    expect(E.isLeft(twice) && formatError(twice.left)).toMatch(/line 1, column \d+: metrics: expected .*once/)
  })

  test.prop([fc.anything()])('anything at all gives a Left or a Right, never a throw', (u) => {
    const r = decodeMetrics(u)
    expect(r._tag === 'Left' || r._tag === 'Right').toBe(true)
    if (r._tag === 'Left') expect(r.left._tag).toBe('InvalidInput')
  })

  test.prop([fc.jsonValue()])('JSON-shaped metric objects never throw either', (m) => {
    const r = decodeMetrics({ metrics: [m, { name: 'x', kind: 'count', events: ['e'] }] })
    expect(['Left', 'Right']).toContain(r._tag)
  })
})
