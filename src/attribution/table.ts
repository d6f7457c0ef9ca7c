/**
 * Attribution results as rows and text: CSV, JSON and markdown tables with one row per channel and, per model,
 * `<model>_conversions` and `<model>_value` columns, plus `markov_removal_effect`. Also `attributePathsText`,
 * the whole pipeline over input held in memory (the README demo uses it on examples/paths.csv).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { isAttribution } from './internal/guards'
import { accumulator } from './accumulate'
import { attribute, type AttributeOptions } from './attribute'
import { makeSettings, type PathColumns } from './decode'
import type { Attribution, Settings } from './model'
import { readSettings } from './read/settings'
import { readFailure, readTextInto } from './read/text'

/**
 * One output row: `channel`, then `<model>_conversions`, `<model>_value` per model, then
 * `markov_removal_effect` and `markov_value_removal_effect` when Markov was computed.
 *
 * @category table
 * @since 0.1.0
 */
export type AttributionRow = Readonly<Record<string, string | number>>

/**
 * The column names of `attributionRows`, in order.
 *
 * @category table
 * @since 0.1.0
 */
export const attributionColumns = (a: Attribution): ReadonlyArray<string> => (isAttribution(a) ? columnsOf(a) : [])

const columnsOf = (a: Attribution): ReadonlyArray<string> => [
  'channel',
  ...a.models.flatMap((m) => [`${m}_conversions`, `${m}_value`]),
  ...(a.models.includes('markov') ? ['markov_removal_effect', 'markov_value_removal_effect'] : []),
]

/**
 * One plain row per channel.
 *
 * @example
 * attributionRows(result)[0] // => { channel: 'search', first_conversions: 3, first_value: 140, … }
 *
 * @category table
 * @since 0.1.0
 */
export const attributionRows = (a: Attribution): ReadonlyArray<AttributionRow> =>
  !isAttribution(a) ? [] : a.channels.map((c) => {
    const row: Record<string, string | number> = { channel: c.channel }
    for (const m of a.models) {
      row[`${m}_conversions`] = c.credits[m]?.conversions ?? 0
      row[`${m}_value`] = c.credits[m]?.value ?? 0
    }
    if (c.markovRemovalEffect !== undefined) row['markov_removal_effect'] = c.markovRemovalEffect
    if (c.markovValueRemovalEffect !== undefined) row['markov_value_removal_effect'] = c.markovValueRemovalEffect
    return row
  })

/** 12 significant digits: drops summation noise (502.34000000000003) without losing anything a report shows. */
const tidy = (v: string | number): string | number => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(12)) : v)

const csvCell = (v: string | number): string => {
  if (typeof v === 'number') return String(tidy(v))
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

const round = (x: number, digits: number): string => {
  const s = x.toFixed(digits)
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s
}

/**
 * Output formats: `csv` and `json` (an array of rows), numbers to 12 significant digits, `markdown` (rounded: credits to 2
 * decimals, removal effects to 4, with a totals row).
 *
 * @category table
 * @since 0.1.0
 */
export type TableFormat = 'csv' | 'json' | 'markdown'

/**
 * Attribution as text in `format`.
 *
 * @example
 * pipe(result, formatAttribution('markdown'))
 * // => '| channel | first_conversions | first_value | …\n|---|--:|…\n| search | 3.00 | 140.00 | …'
 *
 * @category table
 * @since 0.1.0
 */
export const formatAttribution =
  (format: TableFormat) =>
  (a: Attribution): string => {
    // From plain JavaScript: no table for what is not an attribution.
    if (!isAttribution(a)) return ''
    const columns = attributionColumns(a)
    const rows = attributionRows(a)
    if (format === 'json') return `${JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, tidy(v)]))), null, 2)}\n`
    if (format === 'csv') return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n'
    const cellOf = (c: string, v: string | number | undefined) =>
      typeof v === 'number' ? round(v, c.includes('removal_effect') ? 4 : 2) : (v ?? '').replace(/\|/g, '\\|')
    const totals: Record<string, string | number> = { channel: '**total**' }
    for (const c of columns.slice(1)) {
      if (!c.includes('removal_effect')) totals[c] = rows.reduce((s, r) => s + (r[c] as number), 0)
    }
    const body = [...rows, totals].map((r) => `| ${columns.map((c) => cellOf(c, r[c])).join(' | ')} |`)
    return [`| ${columns.join(' | ')} |`, `|${columns.map((_, i) => (i === 0 ? "---" : "--:")).join('|')}|`, ...body].join('\n') + '\n'
  }

/**
 * Options of `attributePathsText`: the model options, model `settings`, and any read option of `readSettings`
 * (`columns` is the old name of `pathColumns`).
 *
 * @category table
 * @since 0.1.0
 */
export interface PathsTextOptions extends AttributeOptions {
  readonly settings?: Partial<Settings>
  readonly columns?: PathColumns
  readonly separator?: string
  readonly delimiter?: string
  readonly [read: string]: unknown
}

const ATTRIBUTE_KEYS = ['models', 'shapley', 'settings', 'columns'] as const

/** From plain JavaScript: options that are no object (the read options are checked by `readSettings`, models by `attribute`). */
const textOptionIssues = (o: unknown): ReadonlyArray<Issue> => (isRecord(o) ? [] : [issue('options', "an object such as { models: ['last', 'markov'] }", o)])

/**
 * The whole pipeline over input held in memory (aggregated paths, or events with the read options): read every
 * row through the reading pipeline (`Left` lists every bad line), reduce, attribute.
 *
 * @example
 * pipe(text, attributePathsText({ models: ['last', 'linear', 'markov'] }), E.map(formatAttribution('markdown')))
 * // => right('| channel | last_conversions | ...')
 *
 * @category table
 * @since 0.1.0
 */
export const attributePathsText =
  (options: PathsTextOptions) =>
  (text: string): E.Either<TouchpointError, Attribution> => {
    const bad = textOptionIssues(options)
    if (bad.length > 0) return E.left(invalidInput(bad))
    if (typeof text !== 'string') return E.left(invalidInput([issue('text', 'the input text (a string)', text)]))
    return pipe(
      makeSettings(options.settings ?? {}),
      E.flatMap((settings) => {
        const read: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(options)) if (!(ATTRIBUTE_KEYS as ReadonlyArray<string>).includes(k) && v !== undefined) read[k] = v
        if (options.columns !== undefined) read['pathColumns'] = options.columns
        // Every bad line is listed, so the read goes on past them.
        const rs = readSettings({ ...read, onError: 'skip', maxReasons: Number.MAX_SAFE_INTEGER })
        if (E.isLeft(rs)) return rs
        const acc = accumulator(settings)
        const tally = readTextInto(rs.right, acc, text)
        if (tally.failed || tally.kind === undefined) return E.left(readFailure(['<text>'], tally)!)
        const issues = tally.bad.flatMap((b) => (b.error?._tag === 'InvalidInput' ? b.error.issues.map((i) => ({ ...i, line: b.line })) : [{ path: '', expected: 'a readable line', actual: b.message, line: b.line }]))
        if (issues.length > 0) return E.left(invalidInput(issues))
        return attribute(options)(acc.snapshot())
      }),
    )
  }
