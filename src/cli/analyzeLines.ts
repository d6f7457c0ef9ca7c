/**
 * `touchpoint analyze FILE` where FILE holds JSON lines of per-metric statistics, as `touchpoint analyze
 * --exposures ... --stats-only` prints them (`{"experiment", "metric", "dimension"?, "control", "arms",
 * "multipleExposures"}`): each line is analysed as a file of arms would be, under a heading that names it.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import { parseJson } from '../core/json'
import { analyze, type AnalyzeOptions } from '../stats/analyze'
import { summarize } from '../stats/summarize'
import { jsonProblem } from './config'
import { EXIT_DATA, say, type Io } from './io'
import { writeOutput } from './output'

/** Marks the parsed input of `readArms` as statistics lines rather than one document of arms. */
export interface StatisticsLines {
  readonly statisticsLines: ReadonlyArray<{ readonly line: number; readonly value: Readonly<Record<string, unknown>> }>
}

/** True for the parsed value `statisticsLinesOf` made. */
export const isStatisticsLines = (u: unknown): u is StatisticsLines => u !== null && typeof u === 'object' && 'statisticsLines' in u

const IDENTIFYING = ['experiment', 'metric', 'dimension', 'multipleExposures'] as const

/**
 * The lines of `text` when it is statistics lines (its first line is a whole JSON object with `metric` and
 * `arms`), with a message naming the line of the first that is not; `undefined` when it is something else.
 */
export const statisticsLinesOf = (path: string, text: string): E.Either<string, StatisticsLines> | undefined => {
  const rows = text.split('\n').map((t, i) => ({ line: i + 1, text: t.replace(/\r$/, '') })).filter((r) => r.text.trim() !== '')
  const first = rows[0] === undefined ? undefined : parseJson(rows[0].text)
  if (first === undefined || E.isLeft(first)) return undefined
  const o = first.right as Record<string, unknown> | null
  if (o === null || typeof o !== 'object' || !('metric' in o) || !('arms' in o)) return undefined
  const out: Array<{ line: number; value: Readonly<Record<string, unknown>> }> = []
  for (const r of rows) {
    const parsed = parseJson(r.text)
    if (E.isLeft(parsed)) return E.left(jsonProblem(path, parsed.left._tag === 'InvalidInput' ? { ...parsed.left, issues: parsed.left.issues.map((i) => ({ ...i, line: r.line })) } : parsed.left))
    const v = parsed.right
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return E.left(`${path === '-' ? '<stdin>' : path}:${r.line}: expected one JSON object of statistics per line`)
    out.push({ line: r.line, value: v as Readonly<Record<string, unknown>> })
  }
  return E.right({ statisticsLines: out })
}

const title = (v: Readonly<Record<string, unknown>>): string => {
  const d = v['dimension'] as { readonly name?: unknown; readonly value?: unknown } | undefined
  const multiple = typeof v['multipleExposures'] === 'number' && v['multipleExposures'] > 0 ? `; ${v['multipleExposures']} exposed to several variants, left out` : ''
  return `${String(v['experiment'] ?? '')} / ${String(v['metric'] ?? '')}${d === undefined ? '' : `, ${String(d.name)} = ${d.value === null ? '(mixed)' : String(d.value)}`}${multiple}`
}

/**
 * Analyses every line (the flags' `control` and `weights` override each line's) and writes the summaries, or the
 * analyses as JSON; a line that does not analyse stops the run with its line number, and nothing is written.
 */
export const analyzeLines = async (
  path: string,
  input: StatisticsLines,
  options: AnalyzeOptions,
  overrides: { readonly control?: string; readonly weights?: ReadonlyArray<number> },
  format: 'text' | 'markdown' | 'json',
  output: string | undefined,
  io: Io,
): Promise<number> => {
  const results: Array<{ readonly identity: Readonly<Record<string, unknown>>; readonly analysis: unknown }> = []
  const texts: Array<string> = []
  for (const { line, value } of input.statisticsLines) {
    const data: Record<string, unknown> = { ...value, ...overrides }
    const identity: Record<string, unknown> = {}
    for (const k of IDENTIFYING) {
      if (k in data) identity[k] = data[k]
      delete data[k]
    }
    const r = analyze(options)(data as never)
    if (E.isLeft(r)) {
      say(io, `touchpoint analyze: ${path === '-' ? '<stdin>' : path}:${line} (${title(value)}):\n${formatError(r.left).replace(/^/gm, '  ')}`)
      return EXIT_DATA
    }
    results.push({ identity, analysis: r.right })
    if (format === 'markdown') texts.push(`### ${title(value)}\n\n${summarize({ format: 'markdown' })(r.right)}\n`)
    else if (format === 'text') texts.push(`${title(value)}:\n${summarize()(r.right).replace(/^/gm, '  ')}\n`)
  }
  const finite = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)
  const text = format === 'json' ? `${JSON.stringify(results.map((r) => ({ ...r.identity, analysis: r.analysis })), finite, 2)}\n` : texts.join(format === 'markdown' ? '\n' : '')
  return writeOutput('analyze', output, io, text)
}
