/**
 * `touchpoint sql analyze --dialect D --exposures TABLE --events TABLE --metrics FILE`: print the query that
 * computes an experiment's per-arm sums in a warehouse (the same query `touchpoint analyze --engine` runs).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { formatError } from '../core/errors'
import { decodeMetrics } from '../experiments/metrics'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_EXPOSURE_COLUMNS } from '../experiments/rows'
import { DIALECT_NAMES, type DialectName } from '../sql/dialect'
import { compileExperimentSums } from '../sql/experiments'
import type { ExperimentQuery } from '../sql/experimentsModel'
import type { SqlSource, SqlTime } from '../sql/model'
import { LOG_COLUMN_OPTIONS } from './analyzeLogsFlags'
import { readJsonFile } from './config'
import { commandArgs, EXIT_DATA, EXIT_OK, EXIT_USAGE, say, type Io } from './io'
import { writeOutput } from './output'

export const sqlAnalyzeHelp = `Usage: touchpoint sql analyze --dialect DIALECT --exposures TABLE --events TABLE --metrics FILE [options]

Print the SQL that computes, per experiment, arm (and dimension value), the sums an experiment analysis is
finished from: units (and units exposed to several variants), each metric's sum and sum of squares of the
capped per-unit values, CUPED covariate sums and cross products, ratio cross products, and the caps used.
"touchpoint analyze --exposures ... --engine duckdb|postgres|clickhouse" runs the same query.

Dialects: ${DIALECT_NAMES.join(', ')} (DuckDB, PostgreSQL and ClickHouse are tested live against the
in-process reducer, the others by snapshot and parser).

Options:
  -d, --dialect DIALECT      the warehouse's SQL (required)
      --exposures TABLE      the exposure table (dotted names: project.dataset.exposures); or --exposures-query SQL
      --events TABLE         the event table; or --events-query SQL
      --metrics FILE         the metrics (JSON), as for touchpoint analyze
      --experiment KEY       only this experiment
      --dimension NAME       split by this exposure column (the unit's first exposure's value)
      --exposure-unit-column, --experiment-column, --variant-column, --exposure-time-column NAME
      --event-unit-column, --event-time-column, --event-column NAME
                             columns (defaults unit_id, experiment, variant, timestamp; unit_id, timestamp, event)
      --time-unit UNIT       s | ms | us | ns: times are numbers since 1970 in this unit (default: timestamp columns)
  -o, --output FILE          write here instead of standard output
  -h, --help                 show this help

Example:
  touchpoint sql analyze --dialect bigquery --exposures analytics.exposures --events analytics.events \\
    --metrics examples/metrics.json > experiment.sql
`

export const sqlAnalyzeOptions = {
  dialect: { type: 'string', short: 'd' },
  exposures: { type: 'string' },
  'exposures-query': { type: 'string' },
  events: { type: 'string' },
  'events-query': { type: 'string' },
  metrics: { type: 'string' },
  experiment: { type: 'string' },
  dimension: { type: 'string' },
  ...LOG_COLUMN_OPTIONS,
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const

/** `touchpoint sql analyze ...`. */
export const runSqlAnalyze = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('sql analyze', sqlAnalyzeHelp, argv, sqlAnalyzeOptions, io, [
    ['exposures', 'exposures-query'],
    ['events', 'events-query'],
  ])
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  const usage = (message: string) => {
    say(io, `touchpoint sql analyze: ${message}`)
    return EXIT_USAGE
  }
  if (positionals.length > 0) return usage(`unexpected ${JSON.stringify(positionals[0])}: the query reads --exposures and --events`)
  const d = values.dialect
  if (d === undefined || !(DIALECT_NAMES as ReadonlyArray<string>).includes(d)) return usage(`--dialect: expected one of ${DIALECT_NAMES.join(', ')}, got ${JSON.stringify(d ?? '')}`)
  const source = (table: string | undefined, query: string | undefined, flag: string): SqlSource | string =>
    table !== undefined ? { _tag: 'table', name: table } : query !== undefined ? { _tag: 'query', sql: query } : `give --${flag} TABLE or --${flag}-query SQL`
  const exposures = source(values.exposures, values['exposures-query'], 'exposures')
  if (typeof exposures === 'string') return usage(exposures)
  const events = source(values.events, values['events-query'], 'events')
  if (typeof events === 'string') return usage(events)
  if (values.metrics === undefined) return usage('--metrics FILE is required')
  const unit = values['time-unit']
  if (unit !== undefined && !['s', 'ms', 'us', 'ns'].includes(unit)) return usage(`--time-unit: expected s, ms, us or ns, got ${JSON.stringify(unit)}`)
  const timeType: SqlTime = unit === undefined ? { _tag: 'timestamp' } : { _tag: 'epoch', unit: unit as 's' | 'ms' | 'us' | 'ns' }
  const json = await readJsonFile(values.metrics, io)
  if (E.isLeft(json)) {
    say(io, `touchpoint sql analyze: ${json.left}`)
    return EXIT_DATA
  }
  const metrics = decodeMetrics(json.right)
  if (E.isLeft(metrics)) {
    say(io, `touchpoint sql analyze: ${values.metrics} is not a valid metrics file:\n${formatError(metrics.left).replace(/^/gm, '  ')}`)
    return EXIT_DATA
  }
  const query: ExperimentQuery = {
    exposures: {
      source: exposures,
      unit: values['exposure-unit-column'] ?? DEFAULT_EXPOSURE_COLUMNS.unit,
      experiment: values['experiment-column'] ?? DEFAULT_EXPOSURE_COLUMNS.experiment,
      variant: values['variant-column'] ?? DEFAULT_EXPOSURE_COLUMNS.variant,
      ...(values['exposure-time-column'] === 'none' ? {} : { time: values['exposure-time-column'] ?? DEFAULT_EXPOSURE_COLUMNS.time }),
      timeType,
      ...(values.dimension === undefined ? {} : { dimension: values.dimension }),
    },
    events: {
      source: events,
      unit: values['event-unit-column'] ?? DEFAULT_EVENT_COLUMNS.unit,
      time: values['event-time-column'] ?? DEFAULT_EVENT_COLUMNS.time,
      event: values['event-column'] ?? DEFAULT_EVENT_COLUMNS.event,
      timeType,
    },
    metrics: metrics.right,
    ...(values.experiment === undefined ? {} : { experiment: values.experiment }),
  }
  const compiled = compileExperimentSums(d as DialectName)(query)
  if (E.isLeft(compiled)) return usage(formatError(compiled.left))
  const written = await writeOutput('sql analyze', values.output, io, `${compiled.right.sql}\n`)
  return written !== 0 ? written : EXIT_OK
}
