/**
 * Reading an attribution query's result back into the partial result touchpoint finishes. The rows may come from
 * a driver (numbers, bigints) or from a file the user saved from a console (CSV or JSON: every cell text, column
 * names in any case); rows of several results (shards, days) add up, since every section is a sum.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { makeSettings } from '../attribution/decode'
import { MODEL_NAMES, RULE_MODELS, type AttributionPartial, type CreditSums, type ModelName, type RuleModel, type SetCount } from '../attribution/model'
import { formatError, invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { parseJson } from '../core/json'
import type { ResultSettings } from './compile'
import { RESULT_COLUMNS } from './model'

/**
 * A decoded result: the partial, the models the query computed (only these can be finished from it), the kind
 * of input, and how many input rows were left out as invalid.
 *
 * @category sql
 * @since 0.2.0
 */
export interface SqlAttribution {
  readonly partial: AttributionPartial
  readonly models: ReadonlyArray<ModelName>
  readonly input: 'paths' | 'events'
  readonly invalidRows: number
  readonly lookbackMs?: number
}

/** Channel names out of a result key: split on `>`, then `%3E` and `%25` read back. */
const channelsOf = (key: string): ReadonlyArray<string> =>
  key === '' ? [] : key.split('>').map((k) => k.replace(/%(25|3E)/gi, (m) => (m === '%25' ? '%' : '>')))

/**
 * Channel names out of a result row's `channels` key: split on `>`, then `%3E` and `%25` read back (the query
 * writes `%` as `%25` and `>` as `%3E` inside a name). `Left` naming `key` when it is not text.
 *
 * @example
 * decodeChannels('search>100%25 off%3E') // => right(['search', '100% off>'])
 *
 * @category sql
 * @since 0.2.0
 */
export const decodeChannels = (key: string): E.Either<TouchpointError, ReadonlyArray<string>> =>
  typeof key === 'string' ? E.right(channelsOf(key)) : E.left(invalidInput([issue('key', 'the text of a channels cell (names joined with >)', key)]))

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** A cell as a number: numbers and bigints as they are, text parsed, empty and null as 0. */
const numberOf = (u: unknown): number | undefined => {
  if (u === null || u === undefined) return 0
  if (typeof u === 'number') return Number.isFinite(u) ? u : undefined
  if (typeof u === 'bigint') return Number.isFinite(Number(u)) ? Number(u) : undefined
  if (typeof u === 'string') {
    const t = u.trim()
    if (t === '') return 0
    const x = Number(t)
    return Number.isFinite(x) ? x : undefined
  }
  return undefined
}

const SECTIONS = new Set(['settings', 'channel', 'set', 'start', 'exit', 'edge', 'invalid'])

/** The settings a settings row's JSON holds, or why it holds none (strict JSON: a key given twice is refused). */
const settingsOf = (json: string): ResultSettings | string | undefined => {
  const parsed = parseJson(json)
  if (E.isLeft(parsed)) return `the settings of an attribution query as JSON (${formatError(parsed.left)})`
  const s = parsed.right
  if (!isRecord(s) || s['format'] !== 1 || (s['input'] !== 'paths' && s['input'] !== 'events')) return undefined
  const models = s['models']
  if (!Array.isArray(models) || !models.every((m) => MODEL_NAMES.includes(m as ModelName))) return undefined
  return s as unknown as ResultSettings
}

/**
 * The partial result in an attribution query's rows (objects keyed by column name, as drivers and JSON give
 * them). Every bad cell is named with its row (`line` counts from `firstLine`, default 1).
 *
 * **Gotchas**: channels are listed by name (a table has no row order to take first appearance from), so the
 * channel order of `attribute`'s output differs from an in-process run over a file; the credits do not.
 *
 * @example
 * import { allRows, openDuckDb } from 'touchpoint/engines'
 * const query = { source: { _tag: 'query', sql: "SELECT * FROM 'examples/paths.parquet'" }, input: { _tag: 'paths', path: 'path', conversions: 'total_conversions', separator: '>' }, models: ['first', 'linear'], order: 1, position: POSITION_SHAPES.u, halfLifeMs: DAY_MS, direct: [] }
 * const compiled = compileAttribution('duckdb')(query)
 * const db = await openDuckDb()
 * if (E.isLeft(db)) throw new Error('DuckDB did not start')
 * const rows = E.isRight(compiled) ? await allRows(db.right, compiled.right.sql) : E.right([])
 * await db.right.close()
 * pipe(rows, E.flatMap(decodeAttributionRows()), E.flatMap(({ partial, models }) => attribute({ models })(partial)), E.map((r) => r.channels.map((c) => c.channel)))
 * // => right(['affiliate', 'direct', 'display', 'email', 'referral', 'retargeting', 'search_organic', 'search_paid', 'social_organic', 'social_paid', 'store', 'video'])
 *
 * @category sql
 * @since 0.2.0
 */
export const decodeAttributionRows =
  (options: { readonly firstLine?: number } = {}) =>
  (rows: ReadonlyArray<unknown>): E.Either<TouchpointError, SqlAttribution> => {
    if (options !== undefined && !isRecord(options)) return E.left(invalidInput([issue('options', 'an object such as { firstLine: 2 }', options)]))
    const first = options?.firstLine ?? 1
    if (!Number.isSafeInteger(first) || first < 1) return E.left(invalidInput([issue('firstLine', 'an integer >= 1 (the line of the first row)', first)]))
    if (!Array.isArray(rows)) return E.left(invalidInput([issue('rows', 'an array of result rows', rows)]))
    const issues: Array<Issue> = []
    interface Row {
      readonly section: string
      readonly key: string
      readonly get: (column: string) => number
    }
    const parsed: Array<Row> = []
    let settings: ResultSettings | undefined
    rows.forEach((raw, i) => {
      const line = first + i
      if (!isRecord(raw)) {
        issues.push({ ...issue('', 'a result row (an object)', raw), line })
        return
      }
      const cells = new Map<string, unknown>()
      for (const [k, v] of Object.entries(raw)) cells.set(k.toLowerCase(), v)
      const section = cells.get('section')
      const key = cells.get('channels') ?? ''
      if (typeof section !== 'string' || !SECTIONS.has(section)) {
        issues.push({ ...issue('section', [...SECTIONS].join(', '), section), line })
        return
      }
      if (typeof key !== 'string') {
        issues.push({ ...issue('channels', 'text', key), line })
        return
      }
      if (section === 'settings') {
        const s = settingsOf(key)
        if (typeof s === 'string') issues.push({ ...issue('channels', s, key), line })
        else if (s === undefined) issues.push({ ...issue('channels', 'the settings of an attribution query (JSON)', key), line })
        else if (settings !== undefined && JSON.stringify(settings) !== JSON.stringify(s)) issues.push({ ...issue('channels', `the same settings as the first settings row (${JSON.stringify(settings)})`, key), line })
        else settings = s
        return
      }
      // Every numeric cell is checked, read or not: a damaged file is refused whole.
      const numbers = new Map<string, number>()
      for (const column of RESULT_COLUMNS.slice(2)) {
        if (!cells.has(column)) continue
        const x = numberOf(cells.get(column))
        if (x === undefined || x < 0) issues.push({ ...issue(column, 'a number >= 0', cells.get(column)), line })
        else numbers.set(column, x)
      }
      parsed.push({ section, key, get: (column) => numbers.get(column) ?? 0 })
    })
    if (settings === undefined && issues.length === 0) issues.push(issue('section', 'a settings row (the result of an attribution query made by touchpoint)', 'none'))
    if (issues.length > 0 || settings === undefined) return E.left(invalidInput(issues))
    const s = settings
    const made = makeSettings({ order: s.order, position: s.position, halfLifeMs: s.halfLifeMs, direct: s.direct })
    if (E.isLeft(made)) return made

    const names = new Set<string>()
    for (const r of parsed) for (const c of channelsOf(r.key)) names.add(c)
    const channels = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const index = new Map(channels.map((c, i) => [c, i]))
    const n = channels.length
    const rules = Object.fromEntries(RULE_MODELS.map((m) => [m, { conversions: new Array<number>(n).fill(0), value: new Array<number>(n).fill(0) }])) as Record<RuleModel, { conversions: Array<number>; value: Array<number> }>
    const sets = new Map<string, { channels: Array<number>; conversions: number; value: number; nulls: number }>()
    const states: Array<ReadonlyArray<number>> = []
    const stateIndex = new Map<string, number>()
    const start: Array<number> = []
    const exitConv: Array<number> = []
    const exitNull: Array<number> = []
    const exitValue: Array<number> = []
    const edges = new Map<string, [number, number, number]>()
    const totals = { rows: 0, journeys: 0, conversions: 0, value: 0, nulls: 0, untimedConversions: 0 }
    let invalidRows = 0
    const order = s.order
    const stateOf = (window: ReadonlyArray<number>): number => {
      const k = window.join(',')
      let st = stateIndex.get(k)
      if (st === undefined) {
        st = states.length
        states.push(window)
        stateIndex.set(k, st)
        start.push(0)
        exitConv.push(0)
        exitNull.push(0)
        exitValue.push(0)
      }
      return st
    }
    parsed.forEach((r, i): void => {
      const ids = channelsOf(r.key).map((c) => index.get(c)!)
      const bad = (expected: string) => issues.push({ ...issue('channels', expected, r.key), line: first + i })
      switch (r.section) {
        case 'channel': {
          if (ids.length !== 1) {
            bad('one channel name')
            return
          }
          const c = ids[0]!
          for (const m of RULE_MODELS) {
            rules[m].conversions[c] = rules[m].conversions[c]! + r.get(`${m}_conversions`)
            rules[m].value[c] = rules[m].value[c]! + r.get(`${m}_value`)
          }
          // The totals of the journeys whose first touch is this channel.
          totals.rows += r.get('rows')
          totals.journeys += r.get('journeys')
          totals.conversions += r.get('conversions')
          totals.value += r.get('value')
          totals.nulls += r.get('nulls')
          return
        }
        case 'set': {
          if (ids.length === 0 || new Set(ids).size !== ids.length) {
            bad('distinct channel names')
            return
          }
          const sorted = ids.slice().sort((a, b) => a - b)
          const k = sorted.join(',')
          const e = sets.get(k) ?? { channels: sorted, conversions: 0, value: 0, nulls: 0 }
          e.conversions += r.get('conversions')
          e.value += r.get('value')
          e.nulls += r.get('nulls')
          sets.set(k, e)
          return
        }
        case 'start':
        case 'exit': {
          if (ids.length < 1 || ids.length > order) {
            bad(`a Markov state of 1 to ${order} channels`)
            return
          }
          const st = stateOf(ids)
          if (r.section === 'start') start[st] = start[st]! + r.get('conversions') + r.get('nulls')
          else {
            exitConv[st] = exitConv[st]! + r.get('conversions')
            exitNull[st] = exitNull[st]! + r.get('nulls')
            exitValue[st] = exitValue[st]! + r.get('value')
          }
          return
        }
        case 'edge': {
          if (ids.length !== order + 1) {
            bad(`a Markov transition of ${order + 1} channels`)
            return
          }
          const from = stateOf(ids.slice(0, order))
          const to = stateOf(ids.slice(1))
          const k = `${from},${to}`
          const e = edges.get(k) ?? [from, to, 0]
          e[2] += r.get('conversions') + r.get('nulls')
          edges.set(k, e)
          return
        }
        case 'invalid':
          invalidRows += r.get('rows')
          return
      }
    })
    if (issues.length > 0) return E.left(invalidInput(issues))
    if (s.input === 'paths') totals.untimedConversions = totals.conversions
    const partial: AttributionPartial = {
      _tag: 'AttributionPartial',
      settings: made.right,
      channels,
      totals,
      rules: rules as Record<RuleModel, CreditSums>,
      sets: [...sets.values()] as ReadonlyArray<SetCount>,
      markov: { order, states, start, edges: [...edges.values()], conversions: exitConv, nulls: exitNull, value: exitValue },
    }
    return E.right({ partial, models: s.models, input: s.input, invalidRows, ...(s.lookbackMs === undefined ? {} : { lookbackMs: s.lookbackMs }) })
  }
