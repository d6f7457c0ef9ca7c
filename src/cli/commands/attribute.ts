/**
 * `touchpoint attribute FILE... --models ...`: which touchpoints earn the conversions, from aggregated paths or
 * event-level touches, streamed; optionally split over worker threads.
 *
 * @module
 */
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { accumulator, mergePartials } from '../../attribution/accumulate'
import { attribute } from '../../attribution/attribute'
import { makeSettings } from '../../attribution/decode'
import type { AttributionPartial, ModelName } from '../../attribution/model'
import { transitionMatrix } from '../../attribution/markov'
import { formatAttribution, type TableFormat } from '../../attribution/table'
import { formatError } from '../../core/errors'
import { eventBuilderOf, openRange, readInput, type ReadResult, type ReadSpec } from '../../files/attributionInput'
import { csvHeaderOf, firstLineOf } from '../../files/detect'
import { describeInputs, INPUT_OPTIONS, inputSettings, integerOption, modelsOption, UsageError, type Input, type InputSettings } from '../inputOptions'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, commandArgs, say, type Command, type Io } from '../io'
import { checkOutput, writeOutputs } from '../output'
import { emptyTally, kindProblem, progressLine, readInTurn, readSpecOf, skippedNote, tallyRead } from '../inputRun'
import { attributeWithEngine, ENGINE_HELP, ENGINE_OPTIONS, engineFor } from '../engineRun'

const DEFAULT_MODELS: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'markov', 'shapley']

const help = `Usage: touchpoint attribute FILE... [options]

Credit conversions to channels with rule-based and data-driven models. FILE is a CSV or JSON-lines file,
plain or gzip (as warehouses export them; "-" for standard input), read as a stream: memory grows with
channels and Markov states, not rows.

Inputs (detected from the header or first line, or given with --input):
  paths    aggregated paths, ChannelAttribution's format: path ("search > email > direct"),
           total_conversions, optional total_conversion_value, optional total_null. Rows need not be unique.
  events   one touch per line: user_id, timestamp (ISO 8601, no offset = UTC, or epoch ms), channel,
           conversion (1/0, true/false, yes/no), optional conversion_value. Per user in time order; a
           conversion closes a journey (its own row's channel included), the next touch opens a new one; a
           conversion with no touch in the lookback window goes to "(unattributed)".

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
      --input KIND           paths | events (default: detected)
      --input-format FORMAT  csv | jsonl (default: from the extension, else sniffed)
      --order K              Markov order, 1 to 4 (default 1)
      --half-life DURATION   time-decay half-life (default 7d); durations: 500ms, 30s, 90m, 36h, 7d, 2w
      --lookback DURATION    events: keep touches at most this long before the conversion (default: no limit)
      --position WEIGHTS     u | j | inverse_j | F,M,L (default 40,20,40)
      --direct LIST          channels last_non_direct skips (default: direct; case-insensitive)
      --separator CHAR       path separator (default ">")
      --delimiter CHAR       CSV delimiter (default ",")
      --path-column NAME, --conversions-column NAME, --value-column NAME, --null-column NAME
      --user-column NAME, --time-column NAME, --channel-column NAME, --conversion-column NAME
                             column names (defaults: ChannelAttribution's and user_id, timestamp, channel,
                             conversion, conversion_value)
      --time-unit UNIT       ms (default) | s: unit of numeric timestamps
      --grouped              events are sorted by user then time: hold one user at a time (flat memory)
      --shapley-exact N      shapley_rate: exact up to N channels per journey (default 15)
      --shapley-samples N    shapley_rate: permutations sampled beyond (default 2000)
      --seed TEXT            shapley_rate sampling seed (default "touchpoint")
      --workers N|auto       path files: split into N byte ranges reduced in worker threads; auto (default):
                             a thread per core (at most 4) when the path files hold 128 MB or more
      --on-error MODE        fail (default): stop at the first bad line, write nothing, exit 1
                             skip: skip bad lines, report how many and the first few reasons
  -q, --quiet                no progress on standard error
  -h, --help                 show this help

${ENGINE_HELP}

Example:
  touchpoint attribute examples/paths.csv --models first,last,linear,markov --format markdown
  touchpoint attribute examples/events.csv --models last,time_decay,markov --lookback 30d --half-life 7d
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

/** `--workers auto` starts worker threads for path input of at least this many bytes in all, at most this many. */
const AUTO_WORKERS_MIN_BYTES = 128 * 1024 * 1024
const MAX_AUTO_THREADS = 4

interface Shard {
  readonly spec: ReadSpec
  readonly file: string
}

/**
 * A worker for one shard. Built, the worker is `dist/attribute-worker.js` beside the CLI bundle; from source
 * (tsx, vitest) it is the .ts file, loaded through tsx's API since loader flags do not reach worker threads.
 */
const startWorker = (spec: ReadSpec): Worker => {
  const here: unknown = import.meta.url
  // The CommonJS build has no import.meta; the `touchpoint` bin is the ES module build.
  if (typeof here !== 'string') throw new Error('--workers needs the ES module build of the CLI (dist/cli.js)')
  if (!here.endsWith('.ts')) return new Worker(new URL('./attribute-worker.js', here), { workerData: spec })
  const target = fileURLToPath(new URL('../attributeWorker.ts', here))
  const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(target)})`
  return new Worker(code, { eval: true, workerData: spec })
}

const runWorker = (spec: ReadSpec): Promise<ReadResult> =>
  new Promise((resolve, reject) => {
    const worker = startWorker(spec)
    worker.once('message', (m: { ok: true; result: ReadResult } | { ok: false; error: string }) => {
      void worker.terminate()
      if (m.ok) resolve(m.result)
      else reject(new Error(m.error))
    })
    worker.once('error', reject)
  })

/** Runs tasks with at most `limit` at a time; results in task order. */
const pool = async <A>(tasks: ReadonlyArray<() => Promise<A>>, limit: number): Promise<Array<A>> => {
  const results = new Array<A>(tasks.length)
  let next = 0
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane))
  return results
}

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('attribute', help, argv, options, io)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  // Where the data lives (src/cli/engineRun.ts): --engine, --partial, and Parquet inputs go to an engine.
  let engine: Awaited<ReturnType<typeof engineFor>>
  try {
    engine = await engineFor(values, positionals)
  } catch (e) {
    say(io, `touchpoint attribute: ${e instanceof Error ? e.message : String(e)}`)
    return EXIT_USAGE
  }
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
  const { delimiter } = opts
  const settingsResult = makeSettings(opts.settingsInput)
  if (E.isLeft(settingsResult)) {
    say(io, `touchpoint attribute: ${formatError(settingsResult.left)}`)
    return EXIT_USAGE
  }
  const settings = settingsResult.right

  const unwritable = (await checkOutput('attribute', values.output, io)) ?? (await checkOutput('attribute', values.transitions, io))
  if (unwritable !== undefined) return unwritable
  const described = await describeInputs(positionals, opts, io)
  if (E.isLeft(described)) {
    say(io, `touchpoint attribute: ${described.left.message}`)
    return described.left.exit === 'usage' ? EXIT_USAGE : EXIT_DATA
  }
  const inputs = described.right
  const kind = inputs[0]!.kind
  const problem = kindProblem(kind, models, opts)
  if (problem !== undefined) {
    say(io, `touchpoint attribute: ${problem}`)
    return EXIT_USAGE
  }

  const baseSpec = (input: Input): ReadSpec => readSpecOf(input, kind, opts, settings)
  const quiet = opts.quiet
  const tally = emptyTally()
  let partial: AttributionPartial
  const failWith = (message: string) => {
    say(io, `touchpoint attribute: ${message}\nNothing was written. Use --on-error skip to skip bad lines.`)
    return EXIT_DATA
  }
  // `auto`: worker threads for path files big enough to repay starting them, a thread per core, at most 4 (each
  // worker costs about 0.2 s to start and 30 MB: on 1e6 paths (112 MB) two threads only break even).
  // Standard input and gzip files are read from the start only: no byte ranges.
  const shardable = kind === 'paths' && inputs.every((i) => i.path !== '-' && !i.compressed)
  const threads =
    workers !== 'auto' ? workers : shardable && inputs.reduce((s, i) => s + i.size, 0) >= AUTO_WORKERS_MIN_BYTES ? Math.min(MAX_AUTO_THREADS, availableParallelism()) : 1
  try {
    let sharded: ReadonlyArray<ReadResult> | undefined
    const shards: Array<Shard> = []
    if (threads > 1 && shardable) {
      // Byte-range shards of every file.
      for (const input of inputs) {
        const header = input.format === 'csv' ? csvHeaderOf(await firstLineOf(input.path), delimiter) : undefined
        const n = Math.max(1, Math.min(threads, Math.floor(input.size / 65536) || 1))
        for (let i = 0; i < n; i++) {
          const start = Math.floor((input.size * i) / n)
          const end = Math.floor((input.size * (i + 1)) / n)
          shards.push({ file: input.path, spec: { ...baseSpec(input), ...(header === undefined ? {} : { header }), start, end } })
        }
      }
      // The first shard is read here, the others in worker threads: one isolate fewer (about 35 MB) than a worker
      // per shard, and no thread idle.
      const results = await pool(
        shards.map((s, i) => () => (i === 0 ? readInput(s.spec, () => openRange(s.spec.file, s.spec.start)) : runWorker(s.spec))),
        threads,
      )
      // A quoted field spanning lines may straddle a shard boundary, and a shard cannot tell that it starts inside
      // quotes; every such field shows as a line with an odd number of quotes in some shard, so the shards'
      // results are used only when none saw one. Otherwise the files are read again, on one thread.
      if (results.every((r) => !r.multiLineRecords)) sharded = results
      else if (!quiet) say(io, 'touchpoint attribute: quoted fields span lines; reading on one thread instead of in shards')
    }
    if (sharded !== undefined) {
      const results = sharded
      let merged = accumulator(settings).snapshot()
      const lineBase = new Map<string, number>()
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!
        const file = shards[i]!.file
        const base = lineBase.get(file) ?? 0
        lineBase.set(file, base + r.lines)
        const failed = tallyRead(tally, file, r, base)
        if (failed !== undefined) return failWith(failed)
        const m = pipe(merged, mergePartials(r.partial))
        if (E.isLeft(m)) throw new Error(formatError(m.left))
        merged = m.right
      }
      partial = merged
    } else {
      const acc = accumulator(settings)
      const failed = await readInTurn(inputs, baseSpec, acc, eventBuilderOf(kind, opts), progressLine('attribute', io, quiet, started, tally), tally)
      if (failed !== undefined) return failWith(failed)
      partial = acc.snapshot()
    }
  } catch (e) {
    say(io, `touchpoint attribute: ${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
    return EXIT_DATA
  }

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
  const note = skippedNote('attribute', tally)
  if (note !== undefined) say(io, note)
  const seconds = (Date.now() - started) / 1000
  if (!quiet && seconds >= 2) {
    say(io, `touchpoint attribute: ${tally.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(tally.rows / seconds).toLocaleString('en-US')} rows/s)`)
  }
  return EXIT_OK
}

export const attributeCommand: Command = { name: 'attribute', summary: 'credit conversions to channels (rule-based, Markov, Shapley) from paths or events', help, run }
