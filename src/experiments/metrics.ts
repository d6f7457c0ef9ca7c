/**
 * The metrics file: which events make which metric, in which window, capped how, with which covariate. Decoded
 * once at the boundary (io-ts, every problem named by its path), then trusted.
 *
 * ```json
 * { "metrics": [
 *   { "name": "purchased", "kind": "binomial", "events": ["purchase"], "window": "7d" },
 *   { "name": "revenue", "kind": "sum", "events": ["purchase"], "value": "value", "window": "7d",
 *     "cap": { "quantile": 0.99 }, "cuped": { "days": 14 } },
 *   { "name": "orders", "kind": "count", "events": ["purchase"] },
 *   { "name": "revenue_per_order", "kind": "ratio", "numerator": "revenue", "denominator": "orders" }
 * ] }
 * ```
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { Duration } from '../attribution/codec'
import { array, boolean, NonEmptyString, number, object, oneOf, refine } from '../core/codecs'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { parseJson } from '../core/json'
import { issuesFromErrors } from '../core/report'
import type { EventMetric, Metric, Metrics, RatioMetric } from './model'

const DAY_MS = 86_400_000

const PositiveDuration = refine(Duration as unknown as t.Type<number, number, unknown>, (ms) => ms > 0, 'a duration > 0 such as 7d, 36h, 90m, 30s, 500ms or 2w')
const Delay = refine(Duration as unknown as t.Type<number, number, unknown>, () => true, 'a duration such as 1h, 30m or 0s')

const QuantileCap = object('a quantile cap', { quantile: refine(number, (q) => q > 0 && q <= 1, 'a number in (0, 1]') }, {})
const ValueCap = object('a fixed cap', { value: refine(number, Number.isFinite, 'a finite number') }, {})
// Checks only (the codecs here return their input): the decoded cap is built by `build`.
const CapCodec = new t.Type<unknown, unknown, unknown>(
  'a cap',
  (_u): _u is unknown => true,
  (u, c) => {
    if (typeof u === 'object' && u !== null && !Array.isArray(u) && 'quantile' in u) return QuantileCap.validate(u, c)
    if (typeof u === 'object' && u !== null && !Array.isArray(u) && 'value' in u) return ValueCap.validate(u, c)
    return t.failure(u, c, 'a cap: {"quantile": q} with q in (0, 1], or {"value": x}')
  },
  t.identity,
)
const Cuped = object('a CUPED setting', { days: refine(number, (d) => Number.isFinite(d) && d > 0, 'a number of days > 0') }, {})
const Events = refine(array(NonEmptyString), (es) => es.length > 0 && new Set(es).size === es.length, 'a non-empty array of distinct event names')

const common = { guardrail: boolean, direction: oneOf(['increase', 'decrease'] as const) }

// Checks only (object() returns its input); `build` makes the trusted metric.
const EventMetricCodec = {
  binomial: object('a binomial metric', { name: NonEmptyString, kind: oneOf(['binomial'] as const), events: Events }, { window: PositiveDuration, delay: Delay, cuped: Cuped, ...common }),
  count: object('a count metric', { name: NonEmptyString, kind: oneOf(['count'] as const), events: Events }, { window: PositiveDuration, delay: Delay, cap: CapCodec, cuped: Cuped, ...common }),
  sum: object('a sum metric', { name: NonEmptyString, kind: oneOf(['sum'] as const), events: Events, value: NonEmptyString }, { window: PositiveDuration, delay: Delay, cap: CapCodec, cuped: Cuped, ...common }),
} as const
const RatioMetricCodec = object('a ratio metric', { name: NonEmptyString, kind: oneOf(['ratio'] as const), numerator: NonEmptyString, denominator: NonEmptyString }, common)

const KINDS = ['binomial', 'count', 'sum', 'ratio'] as const

/** Fields that belong to other kinds, with why: a clearer message than "no such field". */
const MISPLACED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  binomial: { cap: 'no cap (a binomial value is 0 or 1)', value: 'no value column (a binomial metric counts units with any qualifying event; use kind "sum")' },
  count: { value: 'no value column (a count metric counts events; use kind "sum" to add values)' },
  sum: {},
  ratio: {
    cuped: 'no CUPED on a ratio (touchpoint/stats has no CUPED for ratios)',
    cap: 'no cap on a ratio (cap its numerator or denominator metric)',
    window: 'no window on a ratio (its numerator and denominator metrics have their own)',
    delay: 'no delay on a ratio (its numerator and denominator metrics have their own)',
    events: 'no events on a ratio (it is made of a numerator and a denominator metric)',
  },
}

const duration = (u: unknown): number | undefined => (u === undefined ? undefined : (Duration.decode(u) as E.Right<number>).right)

const build = (kind: (typeof KINDS)[number], m: Record<string, unknown>): Metric => {
  const common = { guardrail: (m['guardrail'] as boolean | undefined) ?? false, direction: (m['direction'] as 'increase' | 'decrease' | undefined) ?? 'increase' }
  if (kind === 'ratio') return { _tag: 'ratio', name: m['name'] as string, kind, numerator: m['numerator'] as string, denominator: m['denominator'] as string, ...common }
  const cap = m['cap'] as { readonly quantile?: number; readonly value?: number } | undefined
  const cuped = m['cuped'] as { readonly days: number } | undefined
  const windowMs = duration(m['window'])
  return {
    _tag: 'event',
    name: m['name'] as string,
    kind,
    events: m['events'] as ReadonlyArray<string>,
    ...(m['value'] === undefined ? {} : { value: m['value'] as string }),
    ...(windowMs === undefined ? {} : { windowMs }),
    delayMs: duration(m['delay']) ?? 0,
    ...(cap === undefined ? {} : { cap: cap.quantile !== undefined ? { _tag: 'quantile', quantile: cap.quantile } : { _tag: 'value', value: cap.value! } }),
    ...(cuped === undefined ? {} : { cupedMs: cuped.days * DAY_MS }),
    ...common,
  }
}

/** One metric by its kind; the fields another kind would take are named as such. */
const decodeMetric = (u: unknown, path: string): E.Either<ReadonlyArray<Issue>, Metric> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return E.left([issue(path, 'a metric object { name, kind, ... }', u)])
  const m = u as Record<string, unknown>
  const kind = m['kind']
  if (kind !== 'binomial' && kind !== 'count' && kind !== 'sum' && kind !== 'ratio') {
    return E.left([issue(`${path}.kind`, `one of ${KINDS.map((k) => JSON.stringify(k)).join(', ')}`, kind)])
  }
  const misplaced = Object.entries(MISPLACED[kind]!).filter(([field]) => field in m).map(([field, why]) => issue(`${path}.${field}`, why, m[field]))
  const rest = Object.fromEntries(Object.entries(m).filter(([field]) => !(field in MISPLACED[kind]!)))
  const codec = (kind === 'ratio' ? RatioMetricCodec : EventMetricCodec[kind]) as t.Type<unknown, unknown, unknown>
  const checked = codec.validate(rest, [{ key: '', type: codec, actual: rest }])
  const issues = [...misplaced, ...(E.isLeft(checked) ? issuesFromErrors(checked.left).map((i) => ({ ...i, path: i.path === '' ? path : `${path}.${i.path}` })) : [])]
  return issues.length > 0 ? E.left(issues) : E.right(build(kind, m))
}

const MetricsFile = object('a metrics file', { metrics: refine(array(t.unknown as t.Type<unknown, unknown, unknown>), (ms) => ms.length > 0, 'a non-empty array of metrics') }, {})

/** The rules io-ts cannot say: names unique, ratios over event metrics that exist. */
const crossChecks = (raw: ReadonlyArray<unknown>, metrics: ReadonlyArray<Metric | undefined>): ReadonlyArray<Issue> => {
  const issues: Array<Issue> = []
  const first = new Map<string, number>()
  // Names from the file itself, so a duplicate is found even when the first of the two has other problems.
  raw.forEach((m, i) => {
    const name = m !== null && typeof m === 'object' ? (m as { readonly name?: unknown }).name : undefined
    if (typeof name !== 'string' || name === '') return
    const seen = first.get(name)
    if (seen !== undefined) issues.push(issue(`metrics[${i}].name`, `a name no other metric has (metrics[${seen}] is ${JSON.stringify(name)})`, name))
    else first.set(name, i)
  })
  // Event metrics by the file's own names and kinds (one that has other problems is still one).
  const eventNames = [
    ...new Set(
      raw.flatMap((m) => {
        const o = (m !== null && typeof m === 'object' ? m : {}) as { readonly name?: unknown; readonly kind?: unknown }
        return typeof o.name === 'string' && (o.kind === 'binomial' || o.kind === 'count' || o.kind === 'sum') ? [o.name] : []
      }),
    ),
  ]
  metrics.forEach((m, i) => {
    if (m === undefined || m._tag !== 'ratio') return
    for (const side of ['numerator', 'denominator'] as const) {
      if (!eventNames.includes(m[side])) {
        const known = eventNames.length === 0 ? 'none is defined' : eventNames.map((n) => JSON.stringify(n)).join(', ')
        issues.push(issue(`metrics[${i}].${side}`, `the name of a binomial, count or sum metric (${known})`, m[side]))
      }
    }
  })
  return issues
}

const assemble = (metrics: ReadonlyArray<Metric>): Metrics => {
  const eventMetrics = metrics.filter((m): m is EventMetric => m._tag === 'event')
  const index = (name: string) => eventMetrics.findIndex((m) => m.name === name)
  const ratios = metrics.filter((m): m is RatioMetric => m._tag === 'ratio').map((metric) => ({ metric, numerator: index(metric.numerator), denominator: index(metric.denominator) }))
  const valueColumns = [...new Set(eventMetrics.flatMap((m) => (m.value === undefined ? [] : [m.value])))]
  return { metrics, eventMetrics, ratios, valueColumns }
}

/**
 * A metrics definition, checked: every metric's fields by kind (`binomial`, `count`, `sum` need `events`; `sum`
 * a `value` column; `ratio` a `numerator` and `denominator` naming event metrics), windows and delays as durations
 * (`7d`, `36h`), caps (`{ "quantile": 0.99 }` or `{ "value": 1000 }`; not for binomial metrics, whose values are 0
 * or 1), CUPED (`{ "days": 14 }`; not for ratios), names unique. Every problem is an issue named by its path.
 *
 * @example
 * decodeMetrics({ metrics: [{ name: 'orders', kind: 'count', events: ['purchase'], window: '7 days' }] })
 * // => left('metrics[0].window: expected a duration > 0 such as 7d, 36h, 90m, 30s, 500ms or 2w, got "7 days"')
 *
 * @category metrics
 * @since 0.2.0
 */
export const decodeMetrics = (u: unknown): E.Either<TouchpointError, Metrics> => {
  const top = MetricsFile.validate(u, [{ key: '', type: MetricsFile, actual: u }])
  if (E.isLeft(top)) return E.left(invalidInput(issuesFromErrors(top.left)))
  const list = (u as { readonly metrics: ReadonlyArray<unknown> }).metrics
  const issues: Array<Issue> = []
  // By position in the file (undefined where a metric did not decode), so cross-checks name the right paths.
  const metrics = list.map((m, i) => {
    const r = decodeMetric(m, `metrics[${i}]`)
    if (E.isRight(r)) return r.right
    issues.push(...r.left)
    return undefined
  })
  // Names and references are checked among the metrics that decoded, so one run names every problem.
  issues.push(...crossChecks(list, metrics))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(assemble(metrics as ReadonlyArray<Metric>))
}

/**
 * A metrics file's text, read strictly (a key given twice is an error with its line) and decoded.
 *
 * @category metrics
 * @since 0.2.0
 */
export const decodeMetricsJson = (text: string): E.Either<TouchpointError, Metrics> => pipe(parseJson(text), E.flatMap(decodeMetrics))
