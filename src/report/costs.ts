/**
 * The optional cost file: CSV with `channel`, `cost` and optionally `period` columns (any order, other columns
 * ignored). Rows add up per channel, whatever their period: give costs for the same time span as the journeys.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { csvReader, isCsvProblem } from '../core/csv'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { repeatedColumns } from '../attribution/read/rows'
import type { Costs } from './model'

/**
 * Costs from CSV text. `Left` lists every bad line (a missing column, a cost that is not a number >= 0, an
 * empty channel, a malformed record) with its line number; a `channel`, `cost` or `period` column given twice
 * in the header is an error naming it.
 *
 * @example
 * parseCosts('channel,cost,period\ndisplay,1200,2026-10\ndisplay,800,2026-11\nemail,150,2026-10\n')
 * // => right({ channels: { display: 2000, email: 150 }, periods: ['2026-10', '2026-11'] })
 *
 * @category costs
 * @since 0.1.0
 */
export const parseCosts = (text: string, given: { readonly delimiter?: string } = {}): E.Either<TouchpointError, Costs> => {
  // From plain JavaScript: text that is none, or options that are none or name no one-character delimiter.
  if (typeof text !== 'string') return E.left(invalidInput([issue('text', 'CSV text (a string)', text)]))
  if (!isRecord(given)) return E.left(invalidInput([issue('options', 'an object such as { delimiter: ";" }', given)]))
  const options = given as { readonly delimiter?: unknown }
  const d = options.delimiter
  if (d !== undefined && !(typeof d === 'string' && d.length === 1 && d !== '"' && d !== '\n' && d !== '\r')) {
    return E.left(invalidInput([issue('options.delimiter', 'one character other than a quote or a line break', d)]))
  }
  const reader = csvReader(typeof d === 'string' ? { delimiter: d } : {})
  const records = [...reader.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...reader.end()]
  const issues: Array<Issue> = []
  const channels: Record<string, number> = {}
  const periods: Array<string> = []
  let columns: { channel: number; cost: number; period: number; width: number } | undefined
  for (const r of records) {
    if (isCsvProblem(r)) {
      issues.push({ path: '', expected: 'a well-formed CSV record', actual: r.error, line: r.line })
      continue
    }
    if (r.fields.length === 1 && r.fields[0]!.trim() === '') continue
    if (columns === undefined) {
      const header = r.fields.map((h) => h.trim().toLowerCase())
      const channel = header.indexOf('channel')
      const cost = header.indexOf('cost')
      if (channel < 0 || cost < 0) {
        return E.left(invalidInput([{ path: 'header', expected: 'columns named "channel" and "cost" (and optionally "period")', actual: r.fields.join(','), line: r.line }]))
      }
      const period = header.indexOf('period')
      const repeated = repeatedColumns(header, [channel, cost, period], r.line, r.fields.join(','))
      if (repeated.length > 0) return E.left(invalidInput([...repeated]))
      columns = { channel, cost, period, width: header.length }
      continue
    }
    if (r.fields.length !== columns.width) {
      issues.push({ path: '', expected: `${columns.width} fields`, actual: r.fields.join(','), line: r.line })
      continue
    }
    const channel = r.fields[columns.channel]!.trim()
    const costText = r.fields[columns.cost]!.trim()
    const cost = costText === '' ? Number.NaN : Number(costText)
    if (channel === '') issues.push({ path: 'channel', expected: 'a channel name', actual: '', line: r.line })
    if (!(Number.isFinite(cost) && cost >= 0)) issues.push({ path: 'cost', expected: 'a number >= 0', actual: costText, line: r.line })
    if (channel === '' || !(Number.isFinite(cost) && cost >= 0)) continue
    channels[channel] = (channels[channel] ?? 0) + cost
    if (columns.period >= 0) {
      const p = r.fields[columns.period]!.trim()
      if (p !== '' && !periods.includes(p)) periods.push(p)
    }
  }
  if (columns === undefined) return E.left(invalidInput([{ path: 'header', expected: 'a header row with "channel" and "cost"', actual: '', line: 1 }]))
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right({ channels, periods: [...periods].sort() })
}
