/**
 * Checking an `AttributionQuery` before it is compiled: what a plain-JavaScript caller passes may be anything,
 * so every field is checked and every problem named (`Left(InvalidInput)`), never thrown.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { MODEL_NAMES, type ModelName } from '../attribution/model'
import { identifierIssue, tableParts } from './identifiers'
import type { AttributionQuery } from './model'

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Text that enters the query as a literal: any characters but NUL (which PostgreSQL text cannot hold). */
const literalIssue = (path: string, text: unknown): Issue | undefined =>
  typeof text !== 'string' || text === '' ? issue(path, 'a non-empty text', text) : text.includes('\u0000') ? issue(path, 'a text without NUL characters', text) : undefined

const finite = (x: unknown, min: number): boolean => typeof x === 'number' && Number.isFinite(x) && x >= min

/**
 * The query, checked: names are identifiers every dialect can quote, literals hold no NUL, models known, order an
 * integer 1 to 4, weights and half-life sensible, `time_decay` only with events.
 *
 * @example
 * const input = { _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' }
 * checkAttributionQuery({ source: { _tag: 'table', name: 'x"; DROP TABLE y' }, input, models: ['first'], order: 1, position: POSITION_SHAPES.u, halfLifeMs: DAY_MS, direct: [] })
 * // => left('…source.name…')
 *
 * @category sql
 * @since 0.2.0
 */
export const checkAttributionQuery = (u: unknown): E.Either<TouchpointError, AttributionQuery> => {
  if (!isRecord(u)) return E.left(invalidInput([issue('', 'an attribution query object', u)]))
  const issues: Array<Issue> = []
  const add = (i: Issue | undefined) => {
    if (i !== undefined) issues.push(i)
  }
  const source = u['source']
  if (!isRecord(source)) add(issue('source', "{ _tag: 'table', name } or { _tag: 'query', sql }", source))
  else if (source['_tag'] === 'table') {
    const t = tableParts('source.name', source['name'])
    if ('issue' in t) add(t.issue)
  } else if (source['_tag'] === 'query') {
    if (typeof source['sql'] !== 'string' || source['sql'].trim() === '') add(issue('source.sql', 'a SELECT query', source['sql']))
  } else add(issue('source._tag', 'table or query', source['_tag']))

  const input = u['input']
  const column = (path: string, name: unknown, optional = false) => {
    if (optional && name === undefined) return
    add(identifierIssue(path, name))
  }
  if (!isRecord(input)) add(issue('input', "{ _tag: 'paths', ... } or { _tag: 'events', ... }", input))
  else if (input['_tag'] === 'paths') {
    column('input.path', input['path'])
    column('input.conversions', input['conversions'])
    column('input.value', input['value'], true)
    column('input.nulls', input['nulls'], true)
    add(literalIssue('input.separator', input['separator']))
  } else if (input['_tag'] === 'events') {
    for (const f of ['user', 'time', 'channel', 'conversion'] as const) column(`input.${f}`, input[f])
    column('input.value', input['value'], true)
    column('input.conversionTime', input['conversionTime'], true)
    column('input.orderColumn', input['orderColumn'], true)
    const tt = input['timeType']
    if (!isRecord(tt) || !(tt['_tag'] === 'timestamp' || (tt['_tag'] === 'epoch' && ['s', 'ms', 'us', 'ns'].includes(tt['unit'] as string)))) {
      add(issue('input.timeType', "{ _tag: 'timestamp' } or { _tag: 'epoch', unit: s | ms | us | ns }", tt))
    }
    const ce = input['conversionEvents']
    if (ce !== undefined) {
      if (!isRecord(ce) || !Array.isArray(ce['names']) || ce['names'].length === 0) add(issue('input.conversionEvents', '{ column, names: [at least one event name] }', ce))
      else {
        column('input.conversionEvents.column', ce['column'])
        ;(ce['names'] as ReadonlyArray<unknown>).forEach((n, i) => add(literalIssue(`input.conversionEvents.names[${i}]`, n)))
      }
    }
    if (input['lookbackMs'] !== undefined && !finite(input['lookbackMs'], 0)) add(issue('input.lookbackMs', 'a duration >= 0 in milliseconds', input['lookbackMs']))
  } else add(issue('input._tag', 'paths or events', isRecord(input) ? input['_tag'] : input))

  const models = u['models']
  if (!Array.isArray(models) || models.length === 0) add(issue('models', `some of ${MODEL_NAMES.join(', ')}`, models))
  else {
    models.forEach((m, i) => {
      if (!MODEL_NAMES.includes(m as ModelName)) add(issue(`models[${i}]`, `one of ${MODEL_NAMES.join(', ')}`, m))
    })
    if (models.includes('time_decay') && isRecord(input) && input['_tag'] === 'paths') add(issue('models', 'time_decay only with event input (paths carry no times)', models))
  }
  const order = u['order']
  if (!(typeof order === 'number' && Number.isInteger(order) && order >= 1 && order <= 4)) add(issue('order', 'an integer from 1 to 4', order))
  const position = u['position']
  if (!isRecord(position) || !['first', 'middle', 'last'].every((k) => finite(position[k], 0)) || !((position['first'] as number) + (position['middle'] as number) + (position['last'] as number) > 0)) {
    add(issue('position', 'first, middle and last weights >= 0, not all 0', position))
  }
  if (!(finite(u['halfLifeMs'], 0) && (u['halfLifeMs'] as number) > 0)) add(issue('halfLifeMs', 'a half-life > 0 in milliseconds', u['halfLifeMs']))
  const direct = u['direct']
  if (!Array.isArray(direct)) add(issue('direct', 'a list of channel names', direct))
  else direct.forEach((d, i) => add(literalIssue(`direct[${i}]`, d)))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(u as unknown as AttributionQuery)
}
