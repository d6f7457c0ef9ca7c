/**
 * Today's summary of experiments analysed from their logs: per experiment and dimension value the units per arm,
 * the units left out for seeing several variants, the sample ratio check against the designed split, and per
 * metric the lift of each treatment with its interval, corrected p-value, probability of being better and verdict.
 * Rendered as text (one line per metric), Markdown (a table), or kept as data for JSON.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { CORRECTIONS } from '../stats/frequentist/adjustPValues'
import { fields, optionIssues } from '../stats/internal/options'
import { formatPValue } from '../stats/summarize'
import { sampleRatioMismatch, type SampleRatioMismatchResult } from '../stats/frequentist/sampleRatioMismatch'
import type { Interval } from '../stats/model'
import type { MetricResult } from './analysis'
import { everyElement, isReport, isResult } from './internal/guards'

/**
 * One experiment, or one dimension value of it.
 *
 * @category report
 * @since 0.2.0
 */
export interface SliceReport {
  readonly dimension?: { readonly name: string; readonly value: string | null }
  readonly arms: ReadonlyArray<{ readonly name: string; readonly units: number }>
  readonly multipleExposures: number
  /** Undefined when there are fewer than two arms with a designed weight above 0. */
  readonly sampleRatio: SampleRatioMismatchResult | undefined
  readonly metrics: ReadonlyArray<MetricResult>
}

/**
 * @category report
 * @since 0.2.0
 */
export interface ExperimentReport {
  readonly experiment: string
  readonly control: string
  readonly correction: string
  readonly level: number
  readonly slices: ReadonlyArray<SliceReport>
}

/**
 * The results grouped by experiment and slice (the whole experiment first, then each dimension value), with the
 * sample ratio check of each slice against the arms' designed weights (equal when none are given). An
 * `InvalidInput` Left names the option (`options.level`) or the result (`results[2]`) that is wrong.
 *
 * @category report
 * @since 0.2.0
 */
export const buildReports =
  (options: { readonly correction?: string; readonly level?: number; readonly srmThreshold?: number } = {}) =>
  (results: ReadonlyArray<MetricResult>): E.Either<TouchpointError, ReadonlyArray<ExperimentReport>> => {
    const bad = optionIssues(REPORT_OPTIONS, options, 'options')
    const list: unknown = results
    if (!Array.isArray(list)) bad.push(issue('results', 'the results of analyzeStatistics (a list)', list))
    else {
      const i = list.findIndex((r) => !isResult(r))
      if (i >= 0) bad.push(issue(`results[${i}]`, 'a result of analyzeStatistics', list[i]))
    }
    return bad.length > 0 ? E.left(invalidInput(bad)) : E.right(build(options, results))
  }

const isReportList = (u: unknown): boolean => everyElement(u, isReport)

const REPORT_OPTIONS = { correction: fields.oneOf(CORRECTIONS), level: fields.probability, srmThreshold: fields.probability } as const

const build = (options: { readonly correction?: string; readonly level?: number; readonly srmThreshold?: number }, results: ReadonlyArray<MetricResult>): ReadonlyArray<ExperimentReport> => {
    const reports: Array<ExperimentReport> = []
    const key = (r: MetricResult) => JSON.stringify([r.statistics.experiment, r.statistics.dimension?.value])
    for (const experiment of [...new Set(results.map((r) => r.statistics.experiment))]) {
      const mine = results.filter((r) => r.statistics.experiment === experiment)
      const slices: Array<SliceReport> = []
      for (const k of [...new Set(mine.map(key))]) {
        const metrics = mine.filter((r) => key(r) === k)
        const s = metrics[0]!.statistics
        const weights = s.arms.map((a) => a.weight ?? 1)
        const srm = sampleRatioMismatch(weights, options.srmThreshold === undefined ? {} : { threshold: options.srmThreshold })(s.arms.map((a) => a.units))
        slices.push({
          ...(s.dimension === undefined ? {} : { dimension: s.dimension }),
          arms: s.arms.map((a) => ({ name: a.name, units: a.units })),
          multipleExposures: s.multipleExposures,
          sampleRatio: E.isRight(srm) ? srm.right : undefined,
          metrics,
        })
      }
      reports.push({ experiment, control: mine[0]!.statistics.control, correction: options.correction ?? 'holm', level: options.level ?? 0.95, slices })
    }
    return reports
}

const count = (n: number) => n.toLocaleString('en-US')

const percent = (x: number) => {
  const s = (x * 100).toFixed(1)
  return `${x > 0 && Number(s) !== 0 ? '+' : ''}${s === '-0.0' ? '0.0' : s}%`
}

const signed = (x: number) => {
  const s = Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(3)).toString()
  return x > 0 ? `+${s}` : s
}

const effect = (r: MetricResult, x: number) => {
  if (r.outcome._tag !== 'Analyzed') return ''
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞'
  return r.outcome.analysis.type === 'relative' ? percent(x) : signed(x)
}

const interval = (r: MetricResult, i: Interval) => `${effect(r, i.lower)} to ${effect(r, i.upper)}`

const probability = (p: number) => (p > 0.999 ? '> 99.9%' : p < 0.001 ? '< 0.1%' : `${(p * 100).toFixed(1)}%`)

const mean = (r: MetricResult, m: number) => (r.kind === 'binomial' && r.outcome._tag === 'Analyzed' && r.outcome.analysis.kind === 'binomial' ? `${(m * 100).toFixed(2)}%` : Number(m.toPrecision(4)).toString())

const VERDICT = { better: 'BETTER', worse: 'WORSE', inconclusive: 'inconclusive' } as const

const sliceTitle = (report: ExperimentReport, slice: SliceReport) =>
  slice.dimension === undefined ? report.experiment : `${report.experiment}, ${slice.dimension.name} = ${slice.dimension.value ?? '(mixed: first exposures disagree)'}`

const srmText = (s: SampleRatioMismatchResult | undefined) =>
  s === undefined ? 'sample ratio not checked' : s.mismatch ? `SAMPLE RATIO MISMATCH (p = ${formatPValue(s.pValue)}): check assignment before trusting these numbers` : `sample ratio OK (p = ${formatPValue(s.pValue)})`

const headline = (report: ExperimentReport, slice: SliceReport) => {
  const total = slice.arms.reduce((n, a) => n + a.units, 0)
  const arms = slice.arms.map((a) => `${a.name} ${count(a.units)}`).join(', ')
  const multiple = slice.multipleExposures === 0 ? '' : `; ${count(slice.multipleExposures)} exposed to several variants, left out`
  return `${sliceTitle(report, slice)}: ${count(total)} units (${arms})${multiple}; ${srmText(slice.sampleRatio)}`
}

const metricLines = (report: ExperimentReport, r: MetricResult): ReadonlyArray<string> => {
  const name = `${r.statistics.metric}${r.guardrail ? ' (guardrail)' : ''}`
  if (r.outcome._tag === 'NotAnalyzed') return [`  ${name}: not analysed: ${r.outcome.reason}`]
  const outcome = r.outcome
  const level = ciLabel(report, outcome)
  return outcome.treatments.map((t) => {
    const p = outcome.familySize === 1 ? `p = ${formatPValue(t.pValue)}` : `p = ${formatPValue(t.familyPValue)} (${report.correction})`
    const parts = [
      `  ${name}: ${t.name} vs ${report.control} ${effect(r, t.estimate)} (${level} ${interval(r, t.interval)})`,
      p,
      `P(better) ${probability(t.probabilityBetter)}`,
      ...(t.sequentialInterval === undefined ? [] : [`always-valid CI ${interval(r, t.sequentialInterval)}`]),
      ...(t.varianceReduction === undefined ? [] : [`CUPED -${Math.round(t.varianceReduction * 100)}% variance`]),
    ]
    return `${parts.join(', ')}: ${VERDICT[t.verdict]}`
  })
}

/** `95% CI`, `98.8% CI` (Bonferroni), `95% CI holm-adjusted` (back-solved). */
const ciLabel = (report: ExperimentReport, o: { readonly intervalLevel: number; readonly intervalAdjustment: string }) =>
  `${Math.round(o.intervalLevel * 1000) / 10}% CI${o.intervalAdjustment === 'back-solved' ? ` ${report.correction}-adjusted` : ''}`

const markdownRows = (report: ExperimentReport, slice: SliceReport, sequential: boolean): ReadonlyArray<string> =>
  slice.metrics.flatMap((r) => {
    const name = `${r.statistics.metric}${r.guardrail ? ' (guardrail)' : ''}`
    if (r.outcome._tag === 'NotAnalyzed') return [`| ${name} | | | | | | |${sequential ? ' |' : ''} not analysed: ${r.outcome.reason.replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`]
    const control = r.outcome.analysis.arms.find((a) => a.name === report.control)
    return r.outcome.treatments.map((t) => {
      const arm = r.outcome._tag === 'Analyzed' ? r.outcome.analysis.arms.find((a) => a.name === t.name) : undefined
      const p = t.familyPValue
      const seq = sequential ? ` ${t.sequentialInterval === undefined ? '' : interval(r, t.sequentialInterval)} |` : ''
      return `| ${name} | ${t.name} | ${control === undefined ? '' : mean(r, control.mean)} | ${arm === undefined ? '' : mean(r, arm.mean)} | ${effect(r, t.estimate)} | ${interval(r, t.interval)} | ${formatPValue(p)} | ${probability(t.probabilityBetter)} |${seq} ${VERDICT[t.verdict]} |`
    })
  })

/**
 * The reports as a person reads them: `text`, one line per metric and treatment under a headline per
 * experiment and slice; or `markdown`, a table per slice. `''` (nothing written) for a format that is neither or
 * for what is no list of reports from `buildReports`.
 *
 * @example
 * const metrics = decodeMetrics({ metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'] }] })
 * if (E.isLeft(metrics)) throw new Error('not a metrics file')
 * const arms = [{ name: 'control', units: 5012, conversions: 412 }, { name: 'green', units: 4990, conversions: 480 }]
 * const results = analyzeStatistics(metrics.right)([{ experiment: 'checkout', metric: 'purchased', control: 'control', arms, multipleExposures: 3 }])
 * pipe(results, E.flatMap(buildReports()), E.map(formatReports('text')))
 * // => right('checkout: 10,002 units (control 5,012, green 4,990); 3 exposed to several variants, left out; sample ratio OK (p = 0.83)\n  purchased: green vs control +17.0% (95% CI +2.3% to +31.7%), p = 0.023, P(better) 99.3%: BETTER\n')
 *
 * @category report
 * @since 0.2.0
 */
export const formatReports =
  (format: 'text' | 'markdown') =>
  (reports: ReadonlyArray<ExperimentReport>): string => {
    if ((format !== 'text' && format !== 'markdown') || !isReportList(reports)) return ''
    const out: Array<string> = []
    for (const report of reports) {
      for (const slice of report.slices) {
        if (format === 'text') {
          out.push(headline(report, slice), ...slice.metrics.flatMap((r) => metricLines(report, r)), '')
          continue
        }
        const sequential = slice.metrics.some((r) => r.outcome._tag === 'Analyzed' && r.outcome.treatments.some((t) => t.sequentialInterval !== undefined))
        const labels = [...new Set(slice.metrics.flatMap((r) => (r.outcome._tag === 'Analyzed' && !r.guardrail ? [ciLabel(report, r.outcome)] : [])))]
        out.push(
          `### ${sliceTitle(report, slice)}`,
          '',
          headline(report, slice).slice(sliceTitle(report, slice).length + 2).replace(/^./, (c) => c.toUpperCase()),
          '',
          `| Metric | Variant | ${report.control} | Variant mean | Lift | CI | p | P(better) |${sequential ? ' Always-valid CI |' : ''} Verdict |`,
          `|---|---|--:|--:|--:|---|--:|--:|${sequential ? '---|' : ''}---|`,
          ...markdownRows(report, slice, sequential),
          '',
          `Intervals: ${labels.join(', ') || `${report.level * 100}% CI`}${report.correction === 'none' ? '' : `, made to agree with the ${report.correction}-corrected p-values across metrics and treatments${slice.dimension === undefined ? '' : ` and ${slice.dimension.name} values`}; guardrails at ${report.level * 100}%, uncorrected`}.`,
          '',
        )
      }
    }
    return out.join('\n').replace(/\n+$/, '\n')
  }
