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
import { formatError, formatIssue, type Issue } from '../core/errors'
import { analyzeStatistics, type LogAnalysisOptions } from '../experiments/analysis'
import { decodeMetrics } from '../experiments/metrics'
import type { LogSums, Metrics, MetricStatistics } from '../experiments/model'
import { logReducer } from '../experiments/reduce'
import { buildReports, formatReports } from '../experiments/report'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_EXPOSURE_COLUMNS, decodeEvent, decodeExposure, eventLayout, exposureLayout, isIssue, type EventColumns, type ExposureColumns, type TimeUnit } from '../experiments/rows'
import { toStatistics, type DesignedSplit } from '../experiments/statistics'
import type { Correction } from '../stats/frequentist/adjustPValues'
import { loadConfig, readJsonFile } from './config'
import { commandArgs, EXIT_DATA, EXIT_USAGE, say, type Io } from './io'
import { readLog, type LogReadOptions } from './logInput'
import { writeOutput } from './output'
import { formatSeries, sequentialSeries, type SeriesDay, type SumsSource } from './sequentialSeries'
import { InvalidUtf8, REPLACE_HINT, replacedNote, textTally } from './textInput'
import { analyzeEngineFor, engineSumsSource } from './analyzeEngine'
import { UsageError as EngineUsageError } from './inputOptions'

export const help = `Usage: touchpoint analyze --exposures FILE --events FILE --metrics FILE [options]

Analyse experiments from their raw logs: per unit the first exposure sets the variant and the start time t0
(units exposed to two or more variants are left out and counted), each metric counts the unit's events in
its window after t0, values are capped and CUPED covariates taken from the days before t0, as the metrics
file says. Prints, per experiment and metric, each treatment's lift against the control with its interval,
the p-value corrected across metrics, dimension values and treatments, P(better), and a verdict; the sample
ratio is checked against the designed split (--config) or an equal one; guardrails are flagged when they
move the wrong way.

Inputs (CSV or JSON lines, plain or gzip):
  --exposures FILE       one row per exposure: unit_id, experiment, variant, timestamp, and any attributes.
                         "touchpoint assign" output and the adapters' exposure records read as they are.
  --events FILE          one row per event: unit_id, timestamp, event, and the value columns metrics name
  --metrics FILE         the metrics (JSON): {"metrics": [{"name": "purchased", "kind": "binomial",
                         "events": ["purchase"], "window": "7d"}, ...]}; kinds binomial, count, sum, ratio

Options:
  --config FILE          the assignment config: designed split for the sample ratio check, variant order
  --experiment KEY       only this experiment (default: every experiment in the exposures)
  --control NAME         the control variant (default: the config's first variant, else "control", else the
                         first by name, with a note)
  --dimension NAME       also analyse per value of this exposure attribute (the unit's first exposure's)
  --sequential           always-valid intervals (safe to peek), today and as they stood at the end of each day
  --stats-only           print per metric the sufficient statistics as JSON lines, in the form
                         "touchpoint analyze FILE" reads (so the two halves compose), instead of the analysis
  --markdown             Markdown tables instead of text
  --json                 the whole analysis as JSON (with --stats-only: the JSON lines)
  -o, --output FILE      write here (whole or not at all) instead of standard output
  --level L              confidence level (default 0.95)
  --lift TYPE            relative (default) | absolute
  --correction METHOD    holm (default) | bonferroni | benjamini-hochberg | none
  --srm-threshold P      flag the split below this p-value (default 0.001)
  --tuning N             tuning of the always-valid interval (default 5000 total units)
  --prior A,B            Beta prior for binomial metrics (default 1,1)
  --no-cuped             ignore the CUPED covariates

Columns (defaults in brackets; --unit-column and --time-column set both logs'):
  --exposure-unit-column [unit_id, else unitId]   --experiment-column [experiment]
  --variant-column [variant]                      --exposure-time-column [timestamp, else time; none: no times]
  --event-unit-column [unit_id, else unitId]      --event-time-column [timestamp, else time]
  --event-column [event]
  --time-unit UNIT       s | ms (default) | us | ns: how numeric times count (text times are ISO 8601, UTC
                         unless they carry an offset)
  --input-format FORMAT  csv | jsonl (default: by extension, else by the first line)
  --delimiter C          CSV field delimiter (default ",")
  --replace-invalid-utf8 read bytes that are not UTF-8 as U+FFFD and count them (default: an error)
  -h, --help             show this help

Where the data lives (the engine computes the per-arm sums; the same finisher turns them into statistics):
  --engine NAME          duckdb (embedded: CSV, JSON lines or Parquet files, plain or gzip; picked by itself for
                         Parquet logs) | postgres | clickhouse (--exposures and --events then name tables)
  --url URL              postgres://user:password@host/db or http://user:password@host:8123/?database=db;
                         default: TOUCHPOINT_POSTGRES_URL (else the PG* variables) or TOUCHPOINT_CLICKHOUSE_URL.
                         Passwords are never printed.
  --memory-limit SIZE    DuckDB's memory limit (default 512MB; it spills to disk beyond)
  --threads N            DuckDB's threads (default: one per core)
  --temp-directory DIR   DuckDB spills into a directory of its own made in DIR (default: the system's
                         temporary directory), removed when it ends; DIR must exist and be writable
  "touchpoint sql analyze --dialect D" prints the query for a warehouse.

Example:
  touchpoint analyze --exposures examples/experiment-exposures.csv --events examples/experiment-events.csv.gz \\
    --metrics examples/metrics.json --config examples/experiments.json
`

export const options = {
  exposures: { type: 'string' },
  events: { type: 'string' },
  metrics: { type: 'string' },
  config: { type: 'string' },
  experiment: { type: 'string' },
  control: { type: 'string' },
  dimension: { type: 'string' },
  sequential: { type: 'boolean' },
  'stats-only': { type: 'boolean' },
  markdown: { type: 'boolean' },
  json: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  level: { type: 'string' },
  lift: { type: 'string' },
  correction: { type: 'string' },
  'srm-threshold': { type: 'string' },
  tuning: { type: 'string' },
  prior: { type: 'string' },
  'no-cuped': { type: 'boolean' },
  'unit-column': { type: 'string' },
  'time-column': { type: 'string' },
  'exposure-unit-column': { type: 'string' },
  'experiment-column': { type: 'string' },
  'variant-column': { type: 'string' },
  'exposure-time-column': { type: 'string' },
  'event-unit-column': { type: 'string' },
  'event-time-column': { type: 'string' },
  'event-column': { type: 'string' },
  'time-unit': { type: 'string' },
  'input-format': { type: 'string' },
  delimiter: { type: 'string' },
  'replace-invalid-utf8': { type: 'boolean' },
  engine: { type: 'string' },
  url: { type: 'string' },
  'memory-limit': { type: 'string' },
  threads: { type: 'string' },
  'temp-directory': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** A mistake in the flags: exit 2 with the message. */
class UsageError extends Error {}

type Values = { readonly [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string }

const numberFlag = (name: string, raw: string | undefined, ok: (n: number) => boolean, expected: string): number | undefined => {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name}: expected ${expected}, got ${JSON.stringify(raw)}`)
  return n
}

/** The analysis options from the flags (shared with `touchpoint analyze FILE`'s meaning of them). */
export const analysisOptions = (values: Values): LogAnalysisOptions => {
  const lift = values.lift ?? 'relative'
  if (lift !== 'relative' && lift !== 'absolute') throw new UsageError(`--lift: expected relative or absolute, got ${JSON.stringify(lift)}`)
  const correction = values.correction ?? 'holm'
  if (!['holm', 'bonferroni', 'benjamini-hochberg', 'none'].includes(correction)) throw new UsageError(`--correction: expected holm, bonferroni, benjamini-hochberg or none, got ${JSON.stringify(correction)}`)
  const level = numberFlag('level', values.level, (n) => n > 0 && n < 1, 'a number strictly between 0 and 1')
  const srm = numberFlag('srm-threshold', values['srm-threshold'], (n) => n > 0 && n < 1, 'a number strictly between 0 and 1')
  const tuning = numberFlag('tuning', values.tuning, (n) => n > 0, 'a positive number')
  let prior: { alpha: number; beta: number } | undefined
  if (values.prior !== undefined) {
    const [a, b, ...rest] = values.prior.split(',').map((x) => Number(x.trim()))
    if (rest.length > 0 || !(a! > 0 && b! > 0 && Number.isFinite(a) && Number.isFinite(b))) throw new UsageError(`--prior: expected A,B with A, B > 0, got ${JSON.stringify(values.prior)}`)
    prior = { alpha: a!, beta: b! }
  }
  return {
    type: lift,
    correction: correction as Correction,
    ...(level === undefined ? {} : { level }),
    ...(srm === undefined ? {} : { srmThreshold: srm }),
    ...(tuning === undefined ? {} : { tuning }),
    ...(values.sequential === true ? { sequential: true } : {}),
    ...(prior === undefined ? {} : { prior }),
    ...(values['no-cuped'] === true ? { cuped: false } : {}),
  }
}

/** Which column plays which role, from the flags. */
const columnsOf = (values: Values) => {
  const exposure: ExposureColumns = {
    unit: values['exposure-unit-column'] ?? values['unit-column'] ?? DEFAULT_EXPOSURE_COLUMNS.unit,
    experiment: values['experiment-column'] ?? DEFAULT_EXPOSURE_COLUMNS.experiment,
    variant: values['variant-column'] ?? DEFAULT_EXPOSURE_COLUMNS.variant,
    time: values['exposure-time-column'] ?? values['time-column'] ?? DEFAULT_EXPOSURE_COLUMNS.time,
    ...(values.dimension === undefined ? {} : { dimension: values.dimension }),
  }
  const event: EventColumns = {
    unit: values['event-unit-column'] ?? values['unit-column'] ?? DEFAULT_EVENT_COLUMNS.unit,
    time: values['event-time-column'] ?? values['time-column'] ?? DEFAULT_EVENT_COLUMNS.time,
    event: values['event-column'] ?? DEFAULT_EVENT_COLUMNS.event,
  }
  const given = {
    exposure: { unit: (values['exposure-unit-column'] ?? values['unit-column']) !== undefined, time: (values['exposure-time-column'] ?? values['time-column']) !== undefined },
    event: { unit: (values['event-unit-column'] ?? values['unit-column']) !== undefined, time: (values['event-time-column'] ?? values['time-column']) !== undefined, event: values['event-column'] !== undefined },
  }
  return { exposure, event, given }
}

const issueText = (i: Issue): string => {
  const { file, line, ...rest } = i
  return `${file === undefined ? '' : file}${line === undefined ? '' : `:${line}`}${file === undefined && line === undefined ? '' : ': '}${formatIssue(rest)}`
}

/** The in-process engine: both files streamed (exposures first) into the reducer. */
const inProcess = (values: Values, metrics: Metrics, io: Io): SumsSource => {
  const read: LogReadOptions = {
    ...(values['input-format'] === undefined ? {} : { format: values['input-format'] as 'csv' | 'jsonl' }),
    ...(values.delimiter === undefined ? {} : { delimiter: values.delimiter }),
    ...(values['replace-invalid-utf8'] === true ? { replaceInvalid: true } : {}),
  }
  const unit = (values['time-unit'] ?? 'ms') as TimeUnit
  const columns = columnsOf(values)
  let notified = false
  return async (asOf) => {
    const made = logReducer({ metrics, ...(values.experiment === undefined ? {} : { experiment: values.experiment }), ...(asOf === undefined ? {} : { asOf }), dimension: values.dimension !== undefined })
    if (E.isLeft(made)) return E.left(formatError(made.left))
    const reducer = made.right
    const tally = textTally()
    let timed = true
    let decodeX: ReturnType<typeof decodeExposure> | undefined
    const exposures = await readLog(values.exposures!, read, tally, {
      columns: (names) => {
        const l = exposureLayout(names, columns.exposure, columns.given.exposure)
        if ('issue' in l) return l.issue
        timed = l.layout.at.time !== undefined
        const untimed = timed ? undefined : untimedProblem(metrics, values)
        if (untimed !== undefined) return { path: columns.exposure.time, expected: untimed, actual: undefined }
        decodeX = decodeExposure(l.layout, unit)
        return undefined
      },
      row: (cells, line) => {
        const r = decodeX!(cells, line)
        if (isIssue(r)) return r
        reducer.push(r)
        return undefined
      },
    })
    if (E.isLeft(exposures)) return E.left(issueText(exposures.left))
    const events = reducer.done()
    if (events.experiments.length === 0) {
      return E.left(
        values.experiment === undefined
          ? `${values.exposures}: no exposure rows${asOf === undefined ? '' : ' before the cut-off'}`
          : `${values.exposures}: no exposure rows for experiment ${JSON.stringify(values.experiment)}${asOf === undefined ? '' : ' before the cut-off'}`,
      )
    }
    let decodeE: ReturnType<typeof decodeEvent> | undefined
    const read2 = await readLog(values.events!, read, tally, {
      columns: (names, format) => {
        const l = eventLayout(names, columns.event, metrics, columns.given.event, { checkValues: format !== 'jsonl' })
        if ('issue' in l) return l.issue
        decodeE = decodeEvent(l.layout, metrics, unit)
        return undefined
      },
      row: (cells, line) => {
        const r = decodeE!(cells, line)
        if (r === undefined) return undefined
        if (isIssue(r)) return r
        events.push(r)
        return undefined
      },
    })
    if (E.isLeft(read2)) return E.left(issueText(read2.left))
    if (!notified) {
      notified = true
      for (const [file] of [[values.exposures!], [values.events!]]) {
        const note = replacedNote('analyze', file!, tally)
        if (note !== undefined) say(io, note)
      }
    }
    return E.right({ sums: events.done(), span: events.span(), experiments: events.experiments })
  }
}

/** The columns an engine reads: as the in-process reader's, the exposure time only when named. */
const engineColumns = (values: Values) => {
  const { exposure, event, given } = columnsOf(values)
  return {
    exposureColumns: { unit: exposure.unit, experiment: exposure.experiment, variant: exposure.variant, ...(given.exposure.time ? { time: exposure.time } : {}), ...(exposure.dimension === undefined ? {} : { dimension: exposure.dimension }) },
    eventColumns: event,
  }
}

/** Why a log without times cannot serve these metrics, or undefined. */
const untimedProblem = (metrics: Metrics, values: Values): string | undefined => {
  const timed = metrics.eventMetrics.filter((m) => m.windowMs !== undefined || m.delayMs > 0 || m.cupedMs !== undefined).map((m) => m.name)
  if (timed.length > 0) return `a time column: the metrics ${timed.map((n) => JSON.stringify(n)).join(', ')} have windows, delays or CUPED, measured from each unit's first exposure (name the column with --exposure-time-column)`
  if (values.sequential === true) return 'a time column: --sequential needs to know when units were exposed'
  return undefined
}

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
