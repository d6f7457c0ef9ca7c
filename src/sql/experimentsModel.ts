/**
 * What an experiment-sums query is compiled from: where the exposure and event rows are, which columns play
 * which role, how times are stored, and the decoded metrics. Checked by `checkExperimentQuery` before the
 * compiler trusts it: every name that reaches SQL as an identifier must be quotable in every dialect.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { Metrics } from '../experiments/model'
import { identifierIssue, tableParts } from './identifiers'
import type { SqlSource, SqlTime } from './model'

/**
 * The exposure log: one row per exposure. `time` absent: the log has no times (then no metric may have a
 * window, a delay or CUPED). `dimension`: the attribute the analysis is split by.
 *
 * @category sql
 * @since 0.2.0
 */
export interface SqlExposures {
  readonly source: SqlSource
  readonly unit: string
  readonly experiment: string
  readonly variant: string
  readonly time?: string
  readonly timeType: SqlTime
  readonly dimension?: string
}

/**
 * The event log: one row per event; the value columns come from the metrics (`"value": "amount"`).
 *
 * @category sql
 * @since 0.2.0
 */
export interface SqlEventLog {
  readonly source: SqlSource
  readonly unit: string
  readonly time: string
  readonly event: string
  readonly timeType: SqlTime
}

/**
 * Everything an experiment-sums query is compiled from. `experiment`: only this experiment's exposures;
 * `asOf`: only rows before this time (ms since 1970), as the in-process reducer's settings of the same names.
 *
 * @category sql
 * @since 0.2.0
 */
export interface ExperimentQuery {
  readonly exposures: SqlExposures
  readonly events: SqlEventLog
  readonly metrics: Metrics
  readonly experiment?: string
  readonly asOf?: number
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const sourceIssues = (path: string, source: unknown): ReadonlyArray<Issue> => {
  if (!isRecord(source)) return [issue(path, "{ _tag: 'table', name } or { _tag: 'query', sql }", source)]
  if (source['_tag'] === 'table') {
    const t = tableParts(`${path}.name`, source['name'])
    return 'issue' in t ? [t.issue] : []
  }
  if (source['_tag'] === 'query') return typeof source['sql'] === 'string' && source['sql'].trim() !== '' ? [] : [issue(`${path}.sql`, 'a SELECT query', source['sql'])]
  return [issue(`${path}._tag`, 'table or query', source['_tag'])]
}

const timeTypeIssue = (path: string, tt: unknown): Issue | undefined =>
  isRecord(tt) && (tt['_tag'] === 'timestamp' || (tt['_tag'] === 'epoch' && ['s', 'ms', 'us', 'ns'].includes(tt['unit'] as string)))
    ? undefined
    : issue(path, "{ _tag: 'timestamp' } or { _tag: 'epoch', unit: s | ms | us | ns }", tt)

const literalIssue = (path: string, text: unknown): Issue | undefined =>
  typeof text !== 'string' || text === '' ? issue(path, 'a non-empty text', text) : text.includes('\u0000') ? issue(path, 'a text without NUL characters', text) : undefined

/**
 * The query, checked: sources and column names quotable, time types known, the metrics decoded ones (their event
 * names without NUL, their value columns quotable), an untimed exposure log only with metrics that need no time.
 *
 * @example
 * checkExperimentQuery({ exposures: { source: { _tag: 'table', name: 'exposures' }, unit: 'unit"id', experiment: 'experiment', variant: 'variant', timeType: { _tag: 'timestamp' } } })
 * // => left('…exposures.unit…')
 *
 * @category sql
 * @since 0.2.0
 */
export const checkExperimentQuery = (u: unknown): E.Either<TouchpointError, ExperimentQuery> => {
  if (!isRecord(u)) return E.left(invalidInput([issue('', 'an experiment query object', u)]))
  const issues: Array<Issue> = []
  const add = (i: Issue | undefined) => {
    if (i !== undefined) issues.push(i)
  }
  const x = u['exposures']
  if (!isRecord(x)) add(issue('exposures', '{ source, unit, experiment, variant, time?, timeType, dimension? }', x))
  else {
    issues.push(...sourceIssues('exposures.source', x['source']))
    for (const f of ['unit', 'experiment', 'variant'] as const) add(identifierIssue(`exposures.${f}`, x[f]))
    for (const f of ['time', 'dimension'] as const) if (x[f] !== undefined) add(identifierIssue(`exposures.${f}`, x[f]))
    add(timeTypeIssue('exposures.timeType', x['timeType']))
  }
  const e = u['events']
  if (!isRecord(e)) add(issue('events', '{ source, unit, time, event, timeType }', e))
  else {
    issues.push(...sourceIssues('events.source', e['source']))
    for (const f of ['unit', 'time', 'event'] as const) add(identifierIssue(`events.${f}`, e[f]))
    add(timeTypeIssue('events.timeType', e['timeType']))
  }
  const m = u['metrics']
  if (!isRecord(m) || !Array.isArray(m['eventMetrics']) || !Array.isArray(m['ratios']) || !Array.isArray(m['valueColumns']) || !Array.isArray(m['metrics'])) {
    add(issue('metrics', 'decoded metrics (from decodeMetrics)', m))
  } else {
    const metrics = m as unknown as Metrics
    // Array.from throughout: the holes of a sparse array are elements missing (undefined), which forEach would skip.
    Array.from(metrics.valueColumns).forEach((c, i) => add(identifierIssue(`metrics.valueColumns[${i}]`, c)))
    Array.from(metrics.eventMetrics).forEach((em, i) => {
      if (!isRecord(em) || !Array.isArray(em.events)) return add(issue(`metrics.eventMetrics[${i}]`, 'an event metric', em))
      Array.from(em.events).forEach((name, j) => add(literalIssue(`metrics.eventMetrics[${i}].events[${j}]`, name)))
      for (const f of ['delayMs', 'windowMs', 'cupedMs'] as const) {
        const v = em[f]
        if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) add(issue(`metrics.eventMetrics[${i}].${f}`, 'a finite number of milliseconds', v))
      }
      if (em.cap !== undefined) {
        const c: Record<string, unknown> = isRecord(em.cap) ? em.cap : {}
        const ok = (c['_tag'] === 'quantile' && typeof c['quantile'] === 'number' && c['quantile'] > 0 && c['quantile'] <= 1) || (c['_tag'] === 'value' && typeof c['value'] === 'number' && Number.isFinite(c['value']))
        if (!ok) add(issue(`metrics.eventMetrics[${i}].cap`, 'a quantile in (0, 1] or a finite value', em.cap))
      }
      if (em.kind === 'sum' && (typeof em.value !== 'string' || !metrics.valueColumns.includes(em.value))) add(issue(`metrics.eventMetrics[${i}].value`, 'one of metrics.valueColumns', em.value))
      if (isRecord(x) && x['time'] === undefined && (em.windowMs !== undefined || em.delayMs !== 0 || em.cupedMs !== undefined)) {
        add(issue('exposures.time', `a time column: metric ${JSON.stringify(em.name)} has a window, a delay or CUPED, measured from each unit's first exposure`, undefined))
      }
    })
    Array.from(metrics.ratios).forEach((r, i) => {
      const n = metrics.eventMetrics.length
      if (!isRecord(r) || !Number.isInteger(r.numerator) || !Number.isInteger(r.denominator) || r.numerator < 0 || r.denominator < 0 || r.numerator >= n || r.denominator >= n) {
        add(issue(`metrics.ratios[${i}]`, 'indexes of two event metrics', r))
      }
    })
  }
  if (u['experiment'] !== undefined) add(literalIssue('experiment', u['experiment']))
  if (u['asOf'] !== undefined && !(typeof u['asOf'] === 'number' && Number.isFinite(u['asOf']))) add(issue('asOf', 'a time in ms since 1970', u['asOf']))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(u as unknown as ExperimentQuery)
}
