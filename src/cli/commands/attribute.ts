/**
 * `touchpoint attribute FILE... --models ...`: which touchpoints earn the conversions, from aggregated paths or
 * event-level touches, streamed; optionally split over worker threads.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { attribute } from '../../attribution/attribute'
import { makeSettings } from '../../attribution/decode'
import type { ModelName } from '../../attribution/model'
import { transitionMatrix } from '../../attribution/markov'
import { formatAttribution, type TableFormat } from '../../attribution/table'
import { formatError } from '../../core/errors'
import { INPUT_HELP, INPUT_OPTIONS, inputSettings, integerOption, modelsOption, UsageError, type InputSettings } from '../inputOptions'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, commandArgs, say, type Command, type Io } from '../io'
import { checkOutput, writeOutputs } from '../output'
import { readForCommand, readNotes } from '../inputRun'
import { attributeWithEngine, ENGINE_HELP, ENGINE_OPTIONS, engineOrExit, handOverToDuckDb, handsOver } from '../engineRun'

const DEFAULT_MODELS: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'markov', 'shapley']

const help = `Usage: touchpoint attribute FILE... [options]

Credit conversions to channels with rule-based and data-driven models. FILE is a CSV or JSON-lines file,
plain or gzip (as warehouses export them; "-" for standard input; a quoted pattern such as
"exports/*.csv.gz" is expanded), read as a stream.

Inputs (detected from the header or first record, or given with --input):
  paths    aggregated paths, ChannelAttribution's format: path ("search > email > direct"),
           total_conversions, optional total_conversion_value, optional total_null. Rows need not be unique.
           Memory grows with channels, Markov states and channel sets, not rows.
  events   one row per event: user_id, timestamp (ISO 8601 with or without an offset, no offset = UTC, or
           epoch ms; --time-unit), channel, conversion (1/0, true/false, yes/no), optional
           conversion_value; or an export read with --preset ga4|segment|snowplow. A row with a channel is
           a touch; a conversion closes its user's journey (its own row's touch included) and credits the
           touches within --lookback of it; one with no touch goes to "(unattributed)". Each user's rows in
           time order; in a file in time order (ORDER BY timestamp), memory follows the users active within
           the lookback window; sorted by user then time, pass --grouped.

Models (--models, comma-separated; default ${DEFAULT_MODELS.join(',')}):
  first, last, last_non_direct, linear   touch-level, repeats counted touch by touch
  position       positional engine: --position 40,20,40 (default), u, j, inverse_j or custom F,M,L
  time_decay     2^(-age/half-life) relative to the conversion (events only), --half-life 7d
  participation  every distinct channel of a converting journey gets all of it (totals inflate)
  markov         order-k chain (--order 1..4), removal effects solved exactly (no simulation noise)
  shapley        simplified Shapley (Zhao et al. 2018): equal split over a journey's distinct channels
  shapley_rate   Shapley over conversion rates of channel sets (uses non-converting paths; exact up to
                 --shapley-exact 15 channels per journey, seeded sampling beyond)

Output: one row per channel: channel, <model>_conversions, <model>_value per model, and with markov
markov_removal_effect, markov_value_removal_effect. Every model but participation sums to the totals.

Options:
  -m, --models LIST          models to compute
  -f, --format FORMAT        csv (default) | json | markdown
  -o, --output FILE          write here (whole or not at all) instead of standard output
      --transitions FILE     also write the fitted Markov transition matrix (from,to,probability; states
                             named by their channels, "a > b" at order 2) as CSV, whole or not at all
      --order K              Markov order, 1 to 4 (default 1)
      --half-life DURATION   time-decay half-life (default 7d); durations: 500ms, 30s, 90m, 36h, 7d, 2w
      --position WEIGHTS     u | j | inverse_j | F,M,L (default 40,20,40)
      --direct LIST          channels last_non_direct skips (default: direct; case-insensitive)
      --shapley-exact N      shapley_rate: exact up to N channels per journey (default 15)
      --shapley-samples N    shapley_rate: permutations sampled beyond (default 2000)
      --seed TEXT            shapley_rate sampling seed (default "touchpoint")
      --workers N|auto       path files: split into N byte ranges reduced in worker threads; auto (default):
                             a thread per core (at most 4) when the path files hold 128 MB or more
  -q, --quiet                no progress on standard error
  -h, --help                 show this help
${INPUT_HELP}
${ENGINE_HELP}

Example:
  touchpoint attribute examples/paths.csv --models first,last,linear,markov --format markdown
  touchpoint attribute examples/events.csv --models last,time_decay,markov --lookback 30d --half-life 7d
  touchpoint attribute examples/ga4-events.csv --preset ga4 --lookback 30d --models last,markov
`

const options = {
  ...INPUT_OPTIONS,
  ...ENGINE_OPTIONS,
  models: { type: 'string', short: 'm' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  transitions: { type: 'string' },
  'shapley-exact': { type: 'string' },
  'shapley-samples': { type: 'string' },
  seed: { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('attribute', help, argv, options, io)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  // Where the data lives (src/cli/engineRun.ts): --engine, --partial, and Parquet inputs go to an engine.
  const engine = await engineOrExit('attribute', values, positionals, io)
  if (typeof engine === 'number') return engine
  if (engine !== undefined) return attributeWithEngine('attribute', engine, values, positionals, DEFAULT_MODELS, io)
  const started = Date.now()
  let opts: InputSettings
  let models: ReadonlyArray<ModelName>
  let format: TableFormat
  let workers: number | 'auto'
  let shapley: { exactLimit?: number; samples?: number; seed?: string }
  try {
    opts = inputSettings(values, positionals)
    models = modelsOption(values.models) ?? DEFAULT_MODELS
    const f = values.format ?? 'csv'
    if (f !== 'csv' && f !== 'json' && f !== 'markdown') throw new UsageError(`--format: expected csv, json or markdown, got ${JSON.stringify(f)}`)
    format = f
    workers = values.workers === undefined || values.workers === 'auto' ? 'auto' : integerOption('workers', values.workers, 1, 256)!
    const exactLimit = integerOption('shapley-exact', values['shapley-exact'], 1, 20)
    const samples = integerOption('shapley-samples', values['shapley-samples'], 1, 10_000_000)
    shapley = { ...(exactLimit === undefined ? {} : { exactLimit }), ...(samples === undefined ? {} : { samples }), ...(values.seed === undefined ? {} : { seed: values.seed }) }
  } catch (e) {
    if (e instanceof UsageError) {
      say(io, `touchpoint attribute: ${e.message}`)
      return EXIT_USAGE
    }
    throw e
  }
  const settingsResult = makeSettings(opts.settingsInput)
  if (E.isLeft(settingsResult)) {
    say(io, `touchpoint attribute: ${formatError(settingsResult.left)}`)
    return EXIT_USAGE
  }
  const settings = settingsResult.right

  const unwritable = (await checkOutput('attribute', values.output, io)) ?? (await checkOutput('attribute', values.transitions, io))
  if (unwritable !== undefined) return unwritable
  const read = await readForCommand('attribute', io, opts, positionals, { _tag: 'attribution', settings }, () => models, workers, handsOver(values))
  if (!read.ok) {
    if (read.outOfOrder === undefined) return read.exit
    return handOverToDuckDb('attribute', read.outOfOrder, values, io, () => attributeWithEngine('attribute', 'duckdb', values, positionals, DEFAULT_MODELS, io))
  }
  const { partial, tally, names } = read

  const result = attribute({ models, shapley })(partial)
  if (E.isLeft(result)) {
    say(io, `touchpoint attribute: ${formatError(result.left)}\nNothing was written.`)
    return EXIT_DATA
  }
  // Both on standard output would interleave two tables.
  if (values.transitions !== undefined && (values.transitions === '-' || values.output === undefined || values.output === '-')) {
    say(io, 'touchpoint attribute: --transitions FILE needs a file, and --output FILE beside it')
    return EXIT_USAGE
  }
  const csv = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const written = await writeOutputs('attribute', io, [
    { path: values.output, text: formatAttribution(format)(result.right) },
    ...(values.transitions === undefined ? [] : [{ path: values.transitions, text: ['from,to,probability\n', ...transitionMatrix(partial).map((t) => `${csv(t.from)},${csv(t.to)},${t.probability}\n`)] }]),
  ])
  if (written !== EXIT_OK) return written
  const note = readNotes('attribute', names, tally)
  if (note !== undefined) say(io, note)
  const seconds = (Date.now() - started) / 1000
  if (!opts.quiet && seconds >= 2) {
    say(io, `touchpoint attribute: ${tally.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(tally.rows / seconds).toLocaleString('en-US')} rows/s)`)
  }
  return EXIT_OK
}

export const attributeCommand: Command = { name: 'attribute', summary: 'credit conversions to channels (rule-based, Markov, Shapley) from paths or events', help, run }
