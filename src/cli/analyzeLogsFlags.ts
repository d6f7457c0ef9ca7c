/**
 * `touchpoint analyze --exposures ...`'s flags: the help text, the option table, and what the flags mean (analysis
 * options, column roles, the columns an engine reads, why untimed logs cannot serve a metric). Split from
 * analyzeLogs.ts.
 *
 * @module
 */
import { type LogAnalysisOptions } from '../experiments/analysis'
import type { Metrics } from '../experiments/model'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_EXPOSURE_COLUMNS, type EventColumns, type ExposureColumns } from '../experiments/rows'
import type { Correction } from '../stats/frequentist/adjustPValues'

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

/**
 * The flags naming the exposure and event logs' columns (and their time unit): the same for `touchpoint sql
 * analyze`, which prints the query `--engine` runs over them.
 */
export const LOG_COLUMN_OPTIONS = {
  'exposure-unit-column': { type: 'string' },
  'experiment-column': { type: 'string' },
  'variant-column': { type: 'string' },
  'exposure-time-column': { type: 'string' },
  'event-unit-column': { type: 'string' },
  'event-time-column': { type: 'string' },
  'event-column': { type: 'string' },
  'time-unit': { type: 'string' },
} as const

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
  ...LOG_COLUMN_OPTIONS,
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
export class UsageError extends Error {}

export type Values = { readonly [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string }

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
export const columnsOf = (values: Values) => {
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

/** The columns an engine reads: as the in-process reader's, the exposure time only when named. */
export const engineColumns = (values: Values) => {
  const { exposure, event, given } = columnsOf(values)
  return {
    exposureColumns: { unit: exposure.unit, experiment: exposure.experiment, variant: exposure.variant, ...(given.exposure.time ? { time: exposure.time } : {}), ...(exposure.dimension === undefined ? {} : { dimension: exposure.dimension }) },
    eventColumns: event,
  }
}

/** Why a log without times cannot serve these metrics, or undefined. */
export const untimedProblem = (metrics: Metrics, values: Values): string | undefined => {
  const timed = metrics.eventMetrics.filter((m) => m.windowMs !== undefined || m.delayMs > 0 || m.cupedMs !== undefined).map((m) => m.name)
  if (timed.length > 0) return `a time column: the metrics ${timed.map((n) => JSON.stringify(n)).join(', ')} have windows, delays or CUPED, measured from each unit's first exposure (name the column with --exposure-time-column)`
  if (values.sequential === true) return 'a time column: --sequential needs to know when units were exposed'
  return undefined
}
