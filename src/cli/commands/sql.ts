/**
 * `touchpoint sql attribute --dialect D --table NAME [options]`: print the query that computes attribution's
 * partial result in a warehouse. Run it there (a console, a dbt model, a scheduled query), save the result as
 * CSV or JSON, and finish with `touchpoint attribute --partial FILE`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName } from '../../attribution/model'
import { formatError } from '../../core/errors'
import { compileAttribution } from '../../sql/compile'
import { DIALECT_NAMES, type Dialect, type DialectName } from '../../sql/dialect'
import { DIALECTS } from '../../sql/dialects'
import { MASK_CHANNELS, withoutSetMasks } from '../../sql/journeysByChannelSets'
import type { AttributionQuery, SqlEvents, SqlPaths } from '../../sql/model'
import { engineOptions, ENGINE_OPTIONS } from '../engineRun'
import { INPUT_OPTIONS, UsageError } from '../inputOptions'
import { commandArgs, EXIT_OK, EXIT_USAGE, say, type Command, type Io } from '../io'
import { writeOutput } from '../output'
import { runSqlAnalyze } from '../sqlAnalyze'

const DEFAULT_MODELS: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'markov', 'shapley']

/** The dialects whose channel sets may be bitmasks (`Dialect.setMasks`). */
const MASK_DIALECTS = DIALECT_NAMES.filter((d) => DIALECTS[d].setMasks !== undefined)

const help = `Usage: touchpoint sql attribute --dialect DIALECT (--table NAME | --query SQL) [options]
       touchpoint sql analyze --dialect DIALECT --exposures TABLE --events TABLE --metrics FILE (see --help there)

Print the SQL that computes attribution's partial result where the data lives: per-channel rule-based
credits, channel sets, Markov transition counts and totals, one row per section. Run it in the warehouse,
save the result as CSV or JSON, then finish (exact Markov removal effects, Shapley):

  touchpoint attribute --partial result.csv --format markdown

Dialects: ${DIALECT_NAMES.join(', ')} (DuckDB, PostgreSQL and ClickHouse are tested live, the
others by snapshot and parser). The result carries its settings, so --partial needs no other flag.

Options:
  -d, --dialect DIALECT      the warehouse's SQL (required)
      --table NAME           the table or view (dotted names: project.dataset.events); quoted per dialect
      --query SQL            or a query of yours whose rows are the input
      --input KIND           paths (default) | events
  -m, --models LIST          models the result must serve (default ${DEFAULT_MODELS.join(',')})
      --order K, --half-life DURATION, --position WEIGHTS, --direct LIST, --separator TEXT, --lookback DURATION
      --path-column, --conversions-column, --value-column, --null-column NAME (none: no such column)
      --user-column, --time-column, --channel-column, --conversion-column NAME
      --time-unit s|ms|us|ns numeric event times (default: a timestamp column, read as UTC)
      --conversion-event NAME[,NAME...], --event-column NAME (default event_name)
      --conversion-time-column NAME, --order-column NAME
      --set-form masks|lists channel sets of event journeys (participation, shapley, shapley_rate):
                             masks (the default where the dialect has them: ${MASK_DIALECTS.join(', ')}) number the
                             channels and keep one row per touch, but the query fails with
                             "more than ${MASK_CHANNELS} channels" on data with more: print it again with
                             --set-form lists (the default elsewhere), which builds each journey's list of
                             channels: no channel limit, more memory
  -o, --output FILE          write here instead of standard output
  -h, --help                 show this help

Example:
  touchpoint sql attribute --dialect bigquery --table analytics.paths --models first,last,markov > attribution.sql
`

const options = {
  ...INPUT_OPTIONS,
  ...ENGINE_OPTIONS,
  dialect: { type: 'string', short: 'd' },
  'set-form': { type: 'string' },
  models: { type: 'string', short: 'm' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const

/**
 * The dialect with the channel sets' form asked for: as it is (masks where it has them), or without masks (lists,
 * which every dialect has and which hold any number of channels).
 */
const setForm = (d: Dialect, form: string | undefined): Dialect => {
  if (form === undefined) return d
  if (form === 'lists') return withoutSetMasks(d)
  if (form !== 'masks') throw new UsageError(`--set-form: expected masks or lists, got ${JSON.stringify(form)}`)
  if (d.setMasks === undefined) throw new UsageError(`--set-form masks: the ${d.name} query has no bitmask form (${MASK_DIALECTS.join(', ')} only); use --set-form lists (its default): channel sets as lists, with no channel limit`)
  return d
}

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const [what, ...rest] = argv
  if (what === undefined || what === '--help' || what === '-h') {
    ;(what === undefined ? io.stderr : io.stdout).write(help)
    return what === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (what === 'analyze') return runSqlAnalyze(rest, io)
  if (what !== 'attribute') {
    say(io, `touchpoint sql: expected "attribute" or "analyze", got ${JSON.stringify(what)}\n\n${help}`)
    return EXIT_USAGE
  }
  const parsed = commandArgs('sql attribute', help, rest, options, io)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  let query: AttributionQuery
  let dialect: Dialect
  try {
    if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}: the query reads --table or --query`)
    const d = values.dialect
    if (d === undefined || !(DIALECT_NAMES as ReadonlyArray<string>).includes(d)) throw new UsageError(`--dialect: expected one of ${DIALECT_NAMES.join(', ')}, got ${JSON.stringify(d ?? '')}`)
    dialect = setForm(DIALECTS[d as DialectName], values['set-form'])
    if ((values.table === undefined) === (values.query === undefined)) throw new UsageError('give --table NAME or --query SQL (one of them)')
    const o = engineOptions(values, DEFAULT_MODELS)
    const none = (name: string) => (name === 'none' || name === '' ? undefined : name)
    const kind = o.kind ?? 'paths'
    const input: SqlPaths | SqlEvents =
      kind === 'paths'
        ? {
            _tag: 'paths',
            path: o.pathColumns.path,
            conversions: o.pathColumns.conversions,
            ...(none(o.pathColumns.value) === undefined ? {} : { value: o.pathColumns.value }),
            ...(none(o.pathColumns.nulls) === undefined ? {} : { nulls: o.pathColumns.nulls }),
            separator: o.separator,
          }
        : {
            _tag: 'events',
            user: o.eventColumns.user,
            time: o.eventColumns.time,
            channel: o.eventColumns.channel,
            conversion: o.eventColumns.conversion,
            ...(none(o.eventColumns.value) === undefined ? {} : { value: o.eventColumns.value }),
            timeType: o.timeUnit === undefined ? { _tag: 'timestamp' } : { _tag: 'epoch', unit: o.timeUnit },
            ...(o.conversionTimeColumn === undefined ? {} : { conversionTime: o.conversionTimeColumn }),
            ...(o.conversionEvents === undefined ? {} : { conversionEvents: o.conversionEvents }),
            ...(o.orderColumn === undefined ? {} : { orderColumn: o.orderColumn }),
            ...(o.lookbackMs === undefined ? {} : { lookbackMs: o.lookbackMs }),
          }
    if (kind === 'paths' && o.lookbackMs !== undefined) throw new UsageError('--lookback applies to event-level input only (paths are already built)')
    query = {
      source: values.table !== undefined ? { _tag: 'table', name: values.table } : { _tag: 'query', sql: values.query! },
      input,
      models: o.models,
      order: o.order,
      position: o.position,
      halfLifeMs: o.halfLifeMs,
      direct: o.direct,
    }
  } catch (e) {
    if (e instanceof UsageError) {
      say(io, `touchpoint sql attribute: ${e.message}`)
      return EXIT_USAGE
    }
    throw e
  }
  const compiled = compileAttribution(dialect)(query)
  if (E.isLeft(compiled)) {
    say(io, `touchpoint sql attribute: ${formatError(compiled.left)}`)
    return EXIT_USAGE
  }
  const written = await writeOutput('sql attribute', values.output, io, `${compiled.right.sql}\n`)
  if (written !== 0) return written
  return EXIT_OK
}

export const sqlCommand: Command = { name: 'sql', summary: 'print the SQL that computes attribution or experiment sums where the data lives (8 dialects)', help, run }
