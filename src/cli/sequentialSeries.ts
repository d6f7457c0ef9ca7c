/**
 * The sequential series of `touchpoint analyze --exposures ... --sequential`: the always-valid intervals as they
 * stood at the end of each day (UTC), each computed from the rows logged before that day ended, so a team that
 * looked every day sees what it would have seen, and may stop at any of them.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import { analyzeStatistics, type LogAnalysisOptions } from '../experiments/analysis'
import type { LogSums, Metrics } from '../experiments/model'
import type { Span } from '../experiments/reduce'
import { toStatistics, type StatisticsOptions } from '../experiments/statistics'
import type { Interval } from '../stats/model'

const DAY_MS = 86_400_000

/** What an engine computes from the logs, as they stood at `asOf` (all of them without). */
export type SumsSource = (asOf?: number) => Promise<E.Either<string, { readonly sums: LogSums; readonly span: Span; readonly experiments: ReadonlyArray<string> }>>

/** One day of the series: per experiment the units per arm and each treatment's always-valid interval. */
export interface SeriesDay {
  readonly day: string
  /** The cut-off: rows before this time (the next midnight, UTC). */
  readonly asOf: number
  readonly experiments: ReadonlyArray<{
    readonly experiment: string
    readonly arms: ReadonlyArray<{ readonly name: string; readonly units: number }>
    readonly metrics: ReadonlyArray<{
      readonly metric: string
      /** The intervals' level (widened for the correction across metrics, as today's always-valid intervals). */
      readonly level?: number
      readonly treatments?: ReadonlyArray<{ readonly name: string; readonly estimate: number; readonly interval: Interval }>
      readonly reason?: string
    }>
  }>
}

/** At most this many days are recomputed (each is a pass over the logs). */
const MAX_DAYS = 366

/** The series from the first exposure's day to the day of the last row; the last day is today's analysis. */
export const sequentialSeries = async (
  source: SumsSource,
  today: { readonly sums: LogSums; readonly span: Span },
  metrics: Metrics,
  statisticsOptions: StatisticsOptions,
  analysis: LogAnalysisOptions,
): Promise<E.Either<string, ReadonlyArray<SeriesDay>>> => {
  const { firstExposure, last } = today.span
  if (firstExposure === undefined || last === undefined) return E.left('--sequential: the exposures have no times')
  const first = Math.floor(firstExposure / DAY_MS) * DAY_MS
  const days = Math.floor(last / DAY_MS) * DAY_MS
  if ((days - first) / DAY_MS + 1 > MAX_DAYS) return E.left(`--sequential: the logs span ${(days - first) / DAY_MS + 1} days; at most ${MAX_DAYS} are recomputed`)
  const { dimension: _, ...overall } = statisticsOptions
  const out: Array<SeriesDay> = []
  for (let start = first; start <= days; start += DAY_MS) {
    const asOf = start + DAY_MS
    const sums = asOf > last ? E.right(today.sums) : E.map((r: { readonly sums: LogSums }) => r.sums)(await source(asOf))
    if (E.isLeft(sums)) {
      // A day before every experiment had an exposure: nothing to show yet.
      if (/no exposure rows/.test(sums.left)) continue
      return sums
    }
    const statistics = toStatistics(metrics, overall)(sums.right.rows)
    const day = new Date(start).toISOString().slice(0, 10)
    if (E.isLeft(statistics)) {
      out.push({ day, asOf, experiments: [{ experiment: '', arms: [], metrics: [{ metric: '', reason: formatError(statistics.left) }] }] })
      continue
    }
    const analysed = analyzeStatistics(metrics, { ...analysis, sequential: true })(statistics.right)
    if (E.isLeft(analysed)) {
      out.push({ day, asOf, experiments: [{ experiment: '', arms: [], metrics: [{ metric: '', reason: formatError(analysed.left) }] }] })
      continue
    }
    const results = analysed.right
    const experiments = [...new Set(statistics.right.map((s) => s.experiment))].map((experiment) => {
      const mine = results.filter((r) => r.statistics.experiment === experiment)
      return {
        experiment,
        arms: mine[0]!.statistics.arms.map((a) => ({ name: a.name, units: a.units })),
        metrics: mine.map((r) =>
          r.outcome._tag === 'Analyzed'
            ? { metric: r.statistics.metric, level: r.outcome.sequentialLevel, treatments: r.outcome.treatments.map((t) => ({ name: t.name, estimate: t.estimate, interval: t.sequentialInterval! })) }
            : { metric: r.statistics.metric, reason: r.outcome.reason },
        ),
      }
    })
    out.push({ day, asOf, experiments })
  }
  return E.right(out)
}

const percent = (x: number) => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : x > 0 ? '∞' : '-∞')
const signed = (x: number) => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${Number(x.toPrecision(3))}` : x > 0 ? '∞' : '-∞')

/** The series as text lines or a Markdown table per experiment. */
export const formatSeries =
  (format: 'text' | 'markdown', level: number, type: 'relative' | 'absolute' = 'relative') =>
  (series: ReadonlyArray<SeriesDay>): string => {
    const show = type === 'relative' ? percent : signed
    const experiments = [...new Set(series.flatMap((d) => d.experiments.map((e) => e.experiment)))].filter((e) => e !== '')
    const out: Array<string> = []
    for (const experiment of experiments) {
      const rows = series.flatMap((d) => d.experiments.filter((e) => e.experiment === experiment).map((e) => ({ day: d.day, e })))
      const pct = (l: number) => `${Math.round(l * 1000) / 10}%`
      const label = (m: SeriesDay['experiments'][number]['metrics'][number], t: { readonly name: string }) => `${m.metric}: ${t.name}${m.level === undefined || m.level === level ? '' : ` (${pct(m.level)})`}`
      const columns = [...new Set(rows.flatMap(({ e }) => e.metrics.flatMap((m) => (m.treatments ?? []).map((t) => label(m, t)))))]
      const cell = (e: SeriesDay['experiments'][number], column: string) => {
        for (const m of e.metrics) for (const t of m.treatments ?? []) if (label(m, t) === column) return `${show(t.estimate)} (${show(t.interval.lower)} to ${show(t.interval.upper)})`
        return '—'
      }
      const widened = columns.some((c) => c.endsWith('%)'))
      const title = `${experiment}: always-valid ${pct(level)} intervals as they stood at the end of each day (UTC)${widened ? ', widened where marked for the correction across metrics' : ''}; safe to stop on any of them`
      if (format === 'markdown') {
        out.push(`### ${title}`, '', `| Day | Units | ${columns.join(' | ')} |`, `|---|--:|${columns.map(() => '---|').join('')}`)
        for (const { day, e } of rows) out.push(`| ${day} | ${e.arms.reduce((n, a) => n + a.units, 0)} | ${columns.map((c) => cell(e, c)).join(' | ')} |`)
        out.push('')
      } else {
        out.push(`${title}:`)
        for (const { day, e } of rows) out.push(`  ${day}  ${String(e.arms.reduce((n, a) => n + a.units, 0)).padStart(7)} units  ${columns.map((c) => `${c} ${cell(e, c)}`).join('; ')}`)
        out.push('')
      }
    }
    return out.join('\n')
  }
