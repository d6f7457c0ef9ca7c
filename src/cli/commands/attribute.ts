/**
 * `touchpoint attribute FILE... --models ...`: which touchpoints earn the conversions, from aggregated paths or
 * event-level touches, streamed; optionally split over worker threads.
 *
 * @module
 */
import { open as openFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { accumulator, mergePartials } from '../../attribution/accumulate'
import { attribute } from '../../attribution/attribute'
import { Duration } from '../../attribution/codec'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_PATH_COLUMNS, makeSettings, type EventColumns, type PathColumns } from '../../attribution/decode'
import { journeyBuilder } from '../../attribution/journeys'
import { MODEL_NAMES, POSITION_SHAPES, type AttributionPartial, type ModelName, type PositionWeights } from '../../attribution/model'
import { transitionMatrix } from '../../attribution/markov'
import { formatAttribution, type TableFormat } from '../../attribution/table'
import { formatError } from '../../core/errors'
import { openRange, readInput, type InputFormat, type InputKind, type ReadResult, type ReadSpec } from '../attributionInput'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, inputStream, openOutput, parseOptions, say, where, type Command, type Io } from '../io'

const DEFAULT_MODELS: ReadonlyArray<ModelName> = ['first', 'last', 'last_non_direct', 'linear', 'position', 'markov', 'shapley']

const help = `Usage: touchpoint attribute FILE... [options]

Credit conversions to channels with rule-based and data-driven models. FILE is a CSV or JSON-lines file
(or "-" for standard input), read as a stream: memory grows with channels and Markov states, not rows.

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
      --workers N            path files: split into N byte ranges reduced in worker threads
      --on-error MODE        fail (default): stop at the first bad line, write nothing, exit 1
                             skip: skip bad lines, report how many and the first few reasons
  -q, --quiet                no progress on standard error
  -h, --help                 show this help

Example:
  touchpoint attribute examples/paths.csv --models first,last,linear,markov --format markdown
  touchpoint attribute examples/events.csv --models last,time_decay,markov --lookback 30d --half-life 7d
`

const options = {
  models: { type: 'string', short: 'm' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  transitions: { type: 'string' },
  input: { type: 'string' },
  'input-format': { type: 'string' },
  order: { type: 'string' },
  'half-life': { type: 'string' },
  lookback: { type: 'string' },
  position: { type: 'string' },
  direct: { type: 'string' },
  separator: { type: 'string' },
  delimiter: { type: 'string' },
  'path-column': { type: 'string' },
  'conversions-column': { type: 'string' },
  'value-column': { type: 'string' },
  'null-column': { type: 'string' },
  'user-column': { type: 'string' },
  'time-column': { type: 'string' },
  'channel-column': { type: 'string' },
  'conversion-column': { type: 'string' },
  'time-unit': { type: 'string' },
  grouped: { type: 'boolean' },
  'shapley-exact': { type: 'string' },
  'shapley-samples': { type: 'string' },
  seed: { type: 'string' },
  workers: { type: 'string' },
  'on-error': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const

const MAX_REASONS = 5

class UsageError extends Error {}

const positiveInt = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`)
  return n
}

const duration = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const r = Duration.decode(text)
  if (E.isLeft(r)) throw new UsageError(`--${name}: expected a duration such as 7d, 36h, 90m, 30s, 500ms or 2w, got ${JSON.stringify(text)}`)
  return r.right
}

const positionOf = (text: string | undefined): PositionWeights | undefined => {
  if (text === undefined) return undefined
  const shape = text.toLowerCase().replace('-', '_') as keyof typeof POSITION_SHAPES
  if (shape in POSITION_SHAPES) return POSITION_SHAPES[shape]
  const parts = text.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || parts[0]! + parts[1]! + parts[2]! <= 0) {
    throw new UsageError(`--position: expected u, j, inverse_j or three weights F,M,L >= 0 (e.g. 40,20,40), got ${JSON.stringify(text)}`)
  }
  return { first: parts[0]!, middle: parts[1]!, last: parts[2]! }
}

const formatOfFile = (path: string): InputFormat | undefined => {
  const ext = extname(path).toLowerCase()
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl'
  return undefined
}

/** The first line of a file (up to 64 KiB), for detecting its format and kind. */
const firstLineOf = async (path: string): Promise<string> => {
  const handle = await openFile(path, 'r')
  try {
    const buffer = Buffer.alloc(65536)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '')
    const nl = text.indexOf('\n')
    return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '')
  } finally {
    await handle.close()
  }
}

const kindOf = (first: string, format: InputFormat, delimiter: string, pathColumns: PathColumns, eventColumns: EventColumns): InputKind | undefined => {
  if (format === 'jsonl') {
    try {
      const o = JSON.parse(first) as Record<string, unknown>
      if (o !== null && typeof o === 'object') {
        if (pathColumns.path in o) return 'paths'
        if (eventColumns.user in o && eventColumns.time in o) return 'events'
      }
    } catch {
      return undefined
    }
    return undefined
  }
  const header = first.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ''))
  if (header.includes(pathColumns.path)) return 'paths'
  if (header.includes(eventColumns.user) && header.includes(eventColumns.time)) return 'events'
  return undefined
}

/** Standard input read once into memory-free replay: sniff the first chunk, then stream the rest. */
const sniffStdin = async (io: Io): Promise<{ first: string; stream: () => AsyncIterable<string | Buffer> }> => {
  const iterator = (io.stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  const head = await iterator.next()
  const firstChunk = head.done ? '' : String(head.value)
  async function* replay() {
    if (!head.done) yield head.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  const text = firstChunk.replace(/^\uFEFF/, '')
  const nl = text.indexOf('\n')
  return { first: (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, ''), stream: () => Readable.from(replay()) }
}

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
  const parsed = parseOptions(argv, options)
  if (!parsed.ok) {
    say(io, `touchpoint attribute: ${parsed.message}\n\n${help}`)
    return EXIT_USAGE
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(help)
    return EXIT_OK
  }
  const started = Date.now()
  let models: ReadonlyArray<ModelName>
  let format: TableFormat
  let settingsInput: Parameters<typeof makeSettings>[0]
  let lookbackMs: number | undefined
  let workers: number
  let onError: 'fail' | 'skip'
  let kindGiven: InputKind | undefined
  let formatGiven: InputFormat | undefined
  let timeUnit: 'ms' | 's'
  let shapley: { exactLimit?: number; samples?: number; seed?: string }
  try {
    if (positionals.length === 0) throw new UsageError('expected at least one FILE (or "-" for standard input)')
    const names = (values.models ?? DEFAULT_MODELS.join(',')).split(',').map((m) => m.trim()).filter((m) => m !== '')
    const unknown = names.filter((m) => !(MODEL_NAMES as ReadonlyArray<string>).includes(m))
    if (unknown.length > 0 || names.length === 0) throw new UsageError(`--models: expected some of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(unknown.join(',') || values.models)}`)
    models = names as ReadonlyArray<ModelName>
    const f = values.format ?? 'csv'
    if (f !== 'csv' && f !== 'json' && f !== 'markdown') throw new UsageError(`--format: expected csv, json or markdown, got ${JSON.stringify(f)}`)
    format = f
    const order = positiveInt('order', values.order, 1, 4)
    const halfLifeMs = duration('half-life', values['half-life'])
    if (halfLifeMs !== undefined && halfLifeMs <= 0) throw new UsageError('--half-life: expected a duration > 0')
    lookbackMs = duration('lookback', values.lookback)
    const position = positionOf(values.position)
    const direct = values.direct?.split(',').map((d) => d.trim()).filter((d) => d !== '')
    settingsInput = { ...(order === undefined ? {} : { order }), ...(halfLifeMs === undefined ? {} : { halfLifeMs }), ...(position === undefined ? {} : { position }), ...(direct === undefined ? {} : { direct }) }
    workers = positiveInt('workers', values.workers, 1, 256) ?? 1
    const oe = values['on-error'] ?? 'fail'
    if (oe !== 'fail' && oe !== 'skip') throw new UsageError(`--on-error: expected fail or skip, got ${JSON.stringify(oe)}`)
    onError = oe
    if (values.input !== undefined && values.input !== 'paths' && values.input !== 'events') throw new UsageError(`--input: expected paths or events, got ${JSON.stringify(values.input)}`)
    kindGiven = values.input
    const inf = values['input-format']
    if (inf !== undefined && inf !== 'csv' && inf !== 'jsonl') throw new UsageError(`--input-format: expected csv or jsonl, got ${JSON.stringify(inf)}`)
    formatGiven = inf
    const tu = values['time-unit'] ?? 'ms'
    if (tu !== 'ms' && tu !== 's') throw new UsageError(`--time-unit: expected ms or s, got ${JSON.stringify(tu)}`)
    timeUnit = tu
    const exactLimit = positiveInt('shapley-exact', values['shapley-exact'], 1, 20)
    const samples = positiveInt('shapley-samples', values['shapley-samples'], 1, 10_000_000)
    shapley = { ...(exactLimit === undefined ? {} : { exactLimit }), ...(samples === undefined ? {} : { samples }), ...(values.seed === undefined ? {} : { seed: values.seed }) }
    for (const [name, v] of [['separator', values.separator], ['delimiter', values.delimiter]] as const) {
      if (v !== undefined && v.length === 0) throw new UsageError(`--${name}: expected a character, got an empty string`)
    }
    if (values.delimiter !== undefined && values.delimiter.length !== 1) throw new UsageError(`--delimiter: expected one character, got ${JSON.stringify(values.delimiter)}`)
  } catch (e) {
    if (e instanceof UsageError) {
      say(io, `touchpoint attribute: ${e.message}`)
      return EXIT_USAGE
    }
    throw e
  }
  const settingsResult = makeSettings(settingsInput)
  if (E.isLeft(settingsResult)) {
    say(io, `touchpoint attribute: ${formatError(settingsResult.left)}`)
    return EXIT_USAGE
  }
  const settings = settingsResult.right
  const delimiter = values.delimiter ?? ','
  const separator = values.separator ?? '>'
  const pathColumns: PathColumns = {
    path: values['path-column'] ?? DEFAULT_PATH_COLUMNS.path,
    conversions: values['conversions-column'] ?? DEFAULT_PATH_COLUMNS.conversions,
    value: values['value-column'] ?? DEFAULT_PATH_COLUMNS.value,
    nulls: values['null-column'] ?? DEFAULT_PATH_COLUMNS.nulls,
  }
  const eventColumns: EventColumns = {
    user: values['user-column'] ?? DEFAULT_EVENT_COLUMNS.user,
    time: values['time-column'] ?? DEFAULT_EVENT_COLUMNS.time,
    channel: values['channel-column'] ?? DEFAULT_EVENT_COLUMNS.channel,
    conversion: values['conversion-column'] ?? DEFAULT_EVENT_COLUMNS.conversion,
    value: values['value-column'] ?? DEFAULT_EVENT_COLUMNS.value,
  }
  if (positionals.filter((p) => p === '-').length > 1) {
    say(io, 'touchpoint attribute: standard input ("-") can be given only once')
    return EXIT_USAGE
  }

  // Describe every input before reading any, so usage mistakes surface before minutes of reading.
  interface Input {
    readonly path: string
    readonly kind: InputKind
    readonly format: InputFormat
    readonly size: number
    readonly open: () => AsyncIterable<string | Buffer>
  }
  const inputs: Array<Input> = []
  for (const path of positionals) {
    let first: string
    let open: () => AsyncIterable<string | Buffer>
    let size = 0
    try {
      if (path === '-') {
        const s = await sniffStdin(io)
        first = s.first
        open = s.stream
      } else {
        size = (await stat(path)).size
        first = await firstLineOf(path)
        open = () => inputStream(path, io) as AsyncIterable<string | Buffer>
      }
    } catch (e) {
      say(io, `touchpoint attribute: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
      return EXIT_DATA
    }
    const format: InputFormat = formatGiven ?? (path === '-' ? undefined : formatOfFile(path)) ?? (/^\s*\{/.test(first) ? 'jsonl' : 'csv')
    const kind = kindGiven ?? kindOf(first, format, delimiter, pathColumns, eventColumns)
    if (kind === undefined) {
      say(
        io,
        `touchpoint attribute: ${where(path, 1)}: cannot tell paths from events: expected a "${pathColumns.path}" column (paths) or "${eventColumns.user}" and "${eventColumns.time}" columns (events); name them with --path-column/--user-column/--time-column or give --input`,
      )
      return EXIT_DATA
    }
    inputs.push({ path, kind, format, size, open })
  }
  const kinds = new Set(inputs.map((i) => i.kind))
  if (kinds.size > 1) {
    say(io, 'touchpoint attribute: the inputs mix aggregated paths and events; attribute them separately')
    return EXIT_USAGE
  }
  const kind = inputs[0]!.kind
  if (kind === 'paths' && models.includes('time_decay')) {
    say(io, 'touchpoint attribute: time_decay needs timestamps: give event-level input (aggregated paths carry no times)')
    return EXIT_USAGE
  }
  if (kind === 'paths' && lookbackMs !== undefined) {
    say(io, 'touchpoint attribute: --lookback applies to event-level input only (paths are already built)')
    return EXIT_USAGE
  }

  const baseSpec = (input: Input): ReadSpec => ({
    file: input.path,
    kind,
    format: input.format,
    delimiter,
    separator,
    pathColumns,
    eventColumns,
    timeUnit,
    ...(lookbackMs === undefined ? {} : { lookbackMs }),
    grouped: values.grouped === true,
    settings,
    maxReasons: MAX_REASONS,
    onError,
  })

  const quiet = values.quiet === true
  let lastReport = started
  let rowsBefore = 0
  const progress = (rows: number) => {
    const now = Date.now()
    if (quiet || now - lastReport < 2000) return
    lastReport = now
    const total = rowsBefore + rows
    say(io, `touchpoint attribute: ${total.toLocaleString('en-US')} rows read (${Math.round(total / ((now - started) / 1000)).toLocaleString('en-US')} rows/s)`)
  }

  const skipped: Array<string> = []
  let skippedCount = 0
  let rowsTotal = 0
  let partial: AttributionPartial
  const failWith = (message: string) => {
    say(io, `touchpoint attribute: ${message}\nNothing was written. Use --on-error skip to skip bad lines.`)
    return EXIT_DATA
  }
  try {
    if (workers > 1 && kind === 'paths' && inputs.every((i) => i.path !== '-')) {
      // Byte-range shards of every file; a quoted field spanning lines must not straddle a shard boundary.
      const shards: Array<Shard> = []
      for (const input of inputs) {
        const header = input.format === 'csv' ? (await firstLineOf(input.path)).split(delimiter).map((h) => h.trim()) : undefined
        const n = Math.max(1, Math.min(workers, Math.floor(input.size / 65536) || 1))
        for (let i = 0; i < n; i++) {
          const start = Math.floor((input.size * i) / n)
          const end = Math.floor((input.size * (i + 1)) / n)
          shards.push({ file: input.path, spec: { ...baseSpec(input), ...(header === undefined ? {} : { header }), start, end } })
        }
      }
      const results = await pool(
        shards.map((s) => () => runWorker(s.spec)),
        workers,
      )
      let merged = accumulator(settings).snapshot()
      const lineBase = new Map<string, number>()
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!
        const file = shards[i]!.file
        const base = lineBase.get(file) ?? 0
        lineBase.set(file, base + r.lines)
        if (r.failed) return failWith(`${where(file, base + r.bad[0]!.line)}: ${r.bad[0]!.message}`)
        skippedCount += r.skipped
        for (const b of r.bad) if (skipped.length < MAX_REASONS) skipped.push(`${where(file, base + b.line)}: ${b.message}`)
        rowsTotal += r.rows
        const m = pipe(merged, mergePartials(r.partial))
        if (E.isLeft(m)) throw new Error(formatError(m.left))
        merged = m.right
      }
      partial = merged
    } else {
      const acc = accumulator(settings)
      const builder = kind === 'events' ? journeyBuilder({ ...(lookbackMs === undefined ? {} : { lookbackMs }), grouped: values.grouped === true, timeColumn: eventColumns.time }) : undefined
      for (const input of inputs) {
        const r = await readInput(baseSpec(input), input.path === '-' ? input.open : () => openRange(input.path), progress, builder === undefined ? { acc } : { acc, builder })
        if (r.failed) return failWith(`${where(input.path, r.bad[0]!.line)}: ${r.bad[0]!.message}`)
        skippedCount += r.skipped
        for (const b of r.bad) if (skipped.length < MAX_REASONS) skipped.push(`${where(input.path, b.line)}: ${b.message}`)
        rowsTotal += r.rows
        rowsBefore += r.rows
      }
      if (builder !== undefined) for (const j of builder.end()) acc.add(j)
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
  const output = openOutput(values.output, io)
  const transitions = values.transitions === undefined ? undefined : openOutput(values.transitions, io)
  try {
    await output.write(formatAttribution(format)(result.right))
    if (transitions !== undefined) {
      const csv = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
      await transitions.write(`from,to,probability\n${transitionMatrix(partial).map((t) => `${csv(t.from)},${csv(t.to)},${t.probability}`).join('\n')}\n`)
      await transitions.commit()
    }
    await output.commit()
  } catch (e) {
    await output.abort()
    await transitions?.abort()
    say(io, `touchpoint attribute: ${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
    return EXIT_DATA
  }
  if (skippedCount > 0) {
    say(io, `touchpoint attribute: skipped ${skippedCount} bad line${skippedCount === 1 ? '' : 's'}; first ${skipped.length}:\n${skipped.map((s) => `  ${s}`).join('\n')}`)
  }
  const seconds = (Date.now() - started) / 1000
  if (!quiet && seconds >= 2) {
    say(io, `touchpoint attribute: ${rowsTotal.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(rowsTotal / seconds).toLocaleString('en-US')} rows/s)`)
  }
  return EXIT_OK
}

export const attributeCommand: Command = { name: 'attribute', summary: 'credit conversions to channels (rule-based, Markov, Shapley) from paths or events', help, run }
