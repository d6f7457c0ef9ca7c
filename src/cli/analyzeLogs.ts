/**
 * `touchpoint analyze --exposures FILE --events FILE --metrics FILE`: an experiment analysed from its raw logs.
 * The logs are reduced to per-arm sums (in process here; by an engine where the data lives with `--engine`), the
 * sums become each metric's sufficient statistics, and those are analysed (or printed, `--stats-only`, in the
 * JSON lines `touchpoint analyze FILE` reads).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { designedSplit } from '../assignment/designedSplit'
import { formatError } from '../core/errors'
import { analyzeStatistics, type LogAnalysisOptions } from '../experiments/analysis'
import { decodeMetrics } from '../experiments/metrics'
import type { LogSums, Metrics, MetricStatistics } from '../experiments/model'
import { buildReports, formatReports } from '../experiments/report'
import { toStatistics, type DesignedSplit } from '../experiments/statistics'
import { loadConfig, readJsonFile } from './config'
import { commandArgs, EXIT_DATA, EXIT_USAGE, say, type Io } from './io'
import { writeOutput } from './output'
import { formatSeries, sequentialSeries, type SeriesDay } from './sequentialSeries'
import { InvalidUtf8, REPLACE_HINT } from './textInput'
import { analyzeEngineFor, engineSumsSource } from './analyzeEngine'
import { UsageError as EngineUsageError } from './inputOptions'
import { analysisOptions, engineColumns, help, options, UsageError, type Values } from './analyzeLogsFlags'
import { inProcess } from './analyzeLogsInProcess'
export { analysisOptions, help, options } from './analyzeLogsFlags'

/** Designed splits of the config's experiments. */
const designsOf = (assigner: Parameters<ReturnType<typeof designedSplit>>[0], experiments: ReadonlyArray<string>): Readonly<Record<string, DesignedSplit>> => {
  const out: Record<string, DesignedSplit> = {}
  for (const key of experiments) {
    const split = designedSplit(key)(assigner) as unknown
    // designedSplit answers an array (or an Either of one, in later versions).
    const value = Array.isArray(split) ? split : (split as { _tag?: string; right?: unknown })?._tag === 'Right' ? (split as { right: DesignedSplit }).right : undefined
    if (value !== undefined) out[key] = value as DesignedSplit
  }
  return out
}

/** `touchpoint analyze --exposures ...`. */
export const runAnalyzeLogs = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('analyze', help, argv, options, io, [
    ['markdown', 'json'],
    ['stats-only', 'markdown'],
    ['unit-column', 'exposure-unit-column'],
    ['unit-column', 'event-unit-column'],
    ['time-column', 'exposure-time-column'],
    ['time-column', 'event-time-column'],
  ])
  if (typeof parsed === 'number') return parsed
  const values = parsed.values as Values
  const fail = (message: string) => {
    say(io, `touchpoint analyze: ${message}`)
    return EXIT_DATA
  }
  let analysis: LogAnalysisOptions
  let engine: Awaited<ReturnType<typeof analyzeEngineFor>>
  try {
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(parsed.positionals[0])}: with --exposures, the inputs are --exposures, --events and --metrics`)
    for (const f of ['exposures', 'events', 'metrics'] as const) if (values[f] === undefined || values[f] === '') throw new UsageError(`--${f} FILE is required`)
    for (const f of ['exposures', 'events'] as const) if (values[f] === '-') throw new UsageError(`--${f}: give a file (the logs are read more than once)`)
    if (values['time-unit'] !== undefined && !['s', 'ms', 'us', 'ns'].includes(values['time-unit'])) throw new UsageError(`--time-unit: expected s, ms, us or ns, got ${JSON.stringify(values['time-unit'])}`)
    if (values['input-format'] !== undefined && !['csv', 'jsonl', ...(values.engine === 'duckdb' ? ['parquet'] : [])].includes(values['input-format'])) throw new UsageError(`--input-format: expected csv or jsonl${values.engine === 'duckdb' ? ' or parquet' : ''}, got ${JSON.stringify(values['input-format'])}`)
    if (values.delimiter !== undefined && values.delimiter.length !== 1) throw new UsageError(`--delimiter: expected one character, got ${JSON.stringify(values.delimiter)}`)
    analysis = analysisOptions(values)
    engine = await analyzeEngineFor(values)
    if (engine === undefined && (values.url !== undefined || values['memory-limit'] !== undefined || values.threads !== undefined || values['temp-directory'] !== undefined)) {
      throw new UsageError('--url, --memory-limit, --threads and --temp-directory need --engine')
    }
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof EngineUsageError)) throw e
    say(io, `touchpoint analyze: ${e.message}`)
    return EXIT_USAGE
  }

  const json = await readJsonFile(values.metrics!, io)
  if (E.isLeft(json)) return fail(json.left)
  const decoded = decodeMetrics(json.right)
  if (E.isLeft(decoded)) return fail(`${values.metrics} is not a valid metrics file:\n${formatError(decoded.left).replace(/^/gm, '  ')}`)
  const metrics = decoded.right
  let assigner: Parameters<typeof designsOf>[0] | undefined
  if (values.config !== undefined) {
    const loaded = await loadConfig(values.config, io)
    if (E.isLeft(loaded)) return fail(loaded.left)
    assigner = loaded.right.assigner
    if (values.experiment !== undefined && !assigner.byKey.has(values.experiment)) {
      return fail(`--experiment: no experiment ${JSON.stringify(values.experiment)} in ${values.config} (it has ${[...assigner.byKey.keys()].join(', ')})`)
    }
  }

  const onEngine = engine === undefined ? undefined : engineSumsSource(engine, values, metrics, engineColumns(values))
  const source = onEngine?.source ?? inProcess(values, metrics, io)
  let today
  try {
    today = await source()
  } catch (e) {
    if (e instanceof InvalidUtf8) return fail(`${e.message}${REPLACE_HINT}`)
    if (e instanceof EngineUsageError) {
      say(io, `touchpoint analyze: ${e.message}`)
      return EXIT_USAGE
    }
    throw e
  } finally {
    await onEngine?.close()
  }
  if (E.isLeft(today)) return fail(today.left)
  const designs = assigner === undefined ? undefined : designsOf(assigner, today.right.experiments)
  const statisticsOptions = {
    ...(designs === undefined ? {} : { designs }),
    ...(values.control === undefined ? {} : { control: values.control }),
    ...(values.dimension === undefined ? {} : { dimension: values.dimension }),
  }
  const statistics = toStatistics(metrics, statisticsOptions)(today.right.sums.rows)
  if (E.isLeft(statistics)) return fail(formatError(statistics.left))
  noteControls(io, statistics.right, designs, values.control)

  if (values['stats-only'] === true) return writeOutput('analyze', values.output, io, statisticsLines(statistics.right))

  const built = pipe(
    analyzeStatistics(metrics, analysis)(statistics.right),
    E.flatMap(buildReports({ correction: analysis.correction ?? 'holm', level: analysis.level ?? 0.95, ...(analysis.srmThreshold === undefined ? {} : { srmThreshold: analysis.srmThreshold }) })),
  )
  if (E.isLeft(built)) return fail(formatError(built.left))
  const reports = built.right
  let series: ReadonlyArray<SeriesDay> | undefined
  if (values.sequential === true) {
    let s
    try {
      s = await sequentialSeries(source, today.right, metrics, statisticsOptions, analysis)
    } finally {
      await onEngine?.close()
    }
    if (E.isLeft(s)) return fail(s.left)
    series = s.right
  }
  const caps = today.right.sums.caps
  const text =
    values.json === true
      ? `${JSON.stringify({ experiments: reports, caps, ...(series === undefined ? {} : { sequential: series }) }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`
      : `${formatReports(values.markdown === true ? 'markdown' : 'text')(reports)}${capsText(metrics, caps)}${series === undefined ? '' : formatSeries(values.markdown === true ? 'markdown' : 'text', analysis.level ?? 0.95)(series)}`
  return writeOutput('analyze', values.output, io, text)
}

/** Per metric the statistics `touchpoint analyze FILE` reads, one JSON object per line. */
export const statisticsLines = (statistics: ReadonlyArray<MetricStatistics>): string => statistics.map((s) => `${JSON.stringify(s)}\n`).join('')

const noteControls = (io: Io, statistics: ReadonlyArray<MetricStatistics>, designs: Readonly<Record<string, DesignedSplit>> | undefined, control: string | undefined): void => {
  if (control !== undefined) return
  for (const experiment of [...new Set(statistics.map((s) => s.experiment))]) {
    const s = statistics.find((x) => x.experiment === experiment)!
    if (designs?.[experiment] === undefined && s.control !== 'control') say(io, `touchpoint analyze: ${experiment}: control: ${s.control} (the first variant by name; name it with --control or give --config)`)
  }
}

/** What the caps were, so a capped mean is never read as the raw one. */
const capsText = (metrics: Metrics, caps: LogSums['caps']): string => {
  const lines: Array<string> = []
  for (const c of caps) {
    c.caps.forEach((cap, i) => {
      const m = metrics.eventMetrics[i]!
      if (m.cap === undefined) return
      const how = m.cap._tag === 'quantile' ? `the ${m.cap.quantile} quantile of exposed units' values` : 'a fixed cap'
      const value = cap.value === undefined ? 'no units' : Number(cap.value.toPrecision(6)).toString()
      const covariate = cap.covariate === undefined ? '' : `; its CUPED covariate at ${Number(cap.covariate.toPrecision(6))}`
      lines.push(`${c.experiment}: ${m.name} capped at ${value} per unit (${how})${covariate}.`)
    })
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
