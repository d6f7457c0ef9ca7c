/**
 * The optional cost file: CSV with `channel`, `cost` and optionally `period` columns (any order, other columns
 * ignored). Rows add up per channel, whatever their period: give costs for the same time span as the journeys.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { TouchpointError } from '../core/errors'
import { readSideCsv } from '../attribution/read/sideCsv'
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
  const channels: Record<string, number> = {}
  const periods: Array<string> = []
  const read = readSideCsv(
    {
      optionsExpected: 'an object such as { delimiter: ";" }',
      columns: (header, line, shown) => {
        const channel = header.indexOf('channel')
        const cost = header.indexOf('cost')
        if (channel < 0 || cost < 0) return E.left([{ path: 'header', expected: 'columns named "channel" and "cost" (and optionally "period")', actual: shown, line }])
        const period = header.indexOf('period')
        return E.right({ columns: { channel, cost, period }, named: [channel, cost, period] })
      },
      headerExpected: 'a header row with "channel" and "cost"',
      row: (fields, line, columns, issues) => {
        const channel = fields[columns.channel]!.trim()
        const costText = fields[columns.cost]!.trim()
        const cost = costText === '' ? Number.NaN : Number(costText)
        if (channel === '') issues.push({ path: 'channel', expected: 'a channel name', actual: '', line })
        if (!(Number.isFinite(cost) && cost >= 0)) issues.push({ path: 'cost', expected: 'a number >= 0', actual: costText, line })
        if (channel === '' || !(Number.isFinite(cost) && cost >= 0)) return
        channels[channel] = (channels[channel] ?? 0) + cost
        if (columns.period >= 0) {
          const p = fields[columns.period]!.trim()
          if (p !== '' && !periods.includes(p)) periods.push(p)
        }
      },
    },
    text,
    given,
  )
  return E.map(() => ({ channels, periods: [...periods].sort() }))(read)
}
