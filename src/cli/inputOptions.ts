/**
 * What `touchpoint attribute` and `touchpoint report` share: the options that describe journey inputs, their
 * checks, and the detection of each input's format (CSV or JSONL) and kind (aggregated paths or events).
 *
 * @module
 */
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import * as E from 'fp-ts/Either'
import { Duration } from '../attribution/codec'
import type { EventColumns, PathColumns, makeSettings } from '../attribution/decode'
import { MODEL_NAMES, POSITION_SHAPES, type ModelName, type PositionWeights } from '../attribution/model'
import { DEFAULT_READ_OPTIONS, openWhole, type InputFormat, type InputKind } from '../files/attributionInput'
import { firstLineOfText, formatOf, headOf, isGzip, kindOf, kindClueText } from '../files/detect'
import { where, type Io } from './io'

/** parseArgs specs of the input options both commands take. */
export const INPUT_OPTIONS = {
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
  'on-error': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const

/** A mistake in the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** `--name N` as an integer in [min, max], or undefined when not given. */
export const integerOption = (name: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`)
  return n
}

/** `--name 7d` in milliseconds, or undefined when not given. */
export const durationOption = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const r = Duration.decode(text)
  if (E.isLeft(r)) throw new UsageError(`--${name}: expected a duration such as 7d, 36h, 90m, 30s, 500ms or 2w, got ${JSON.stringify(text)}`)
  return r.right
}

/** `--position u|j|inverse_j|F,M,L`. */
export const positionOption = (text: string | undefined): PositionWeights | undefined => {
  if (text === undefined) return undefined
  const shape = text.toLowerCase().replace('-', '_') as keyof typeof POSITION_SHAPES
  if (shape in POSITION_SHAPES) return POSITION_SHAPES[shape]
  const parts = text.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || parts[0]! + parts[1]! + parts[2]! <= 0) {
    throw new UsageError(`--position: expected u, j, inverse_j or three weights F,M,L >= 0 (e.g. 40,20,40), got ${JSON.stringify(text)}`)
  }
  return { first: parts[0]!, middle: parts[1]!, last: parts[2]! }
}

/** `--models first,last,markov`, or undefined when not given. */
export const modelsOption = (text: string | undefined): ReadonlyArray<ModelName> | undefined => {
  if (text === undefined) return undefined
  const names = text.split(',').map((m) => m.trim()).filter((m) => m !== '')
  const unknown = names.filter((m) => !(MODEL_NAMES as ReadonlyArray<string>).includes(m))
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--models: expected some of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(unknown.join(',') || text)}`)
  return names as ReadonlyArray<ModelName>
}

type InputValues = { readonly [K in keyof typeof INPUT_OPTIONS]?: (typeof INPUT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string }

/** The input options, checked. */
export interface InputSettings {
  readonly settingsInput: Parameters<typeof makeSettings>[0]
  readonly lookbackMs: number | undefined
  readonly onError: 'fail' | 'skip'
  readonly kindGiven: InputKind | undefined
  readonly formatGiven: InputFormat | undefined
  readonly timeUnit: 'ms' | 's'
  readonly delimiter: string
  readonly separator: string
  readonly pathColumns: PathColumns
  readonly eventColumns: EventColumns
  readonly grouped: boolean
  readonly quiet: boolean
}

/** Check the input options; a mistake throws `UsageError`. */
export const inputSettings = (values: InputValues, positionals: ReadonlyArray<string>): InputSettings => {
  if (positionals.length === 0) throw new UsageError('expected at least one FILE (or "-" for standard input)')
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input ("-") can be given only once')
  const order = integerOption('order', values.order, 1, 4)
  const halfLifeMs = durationOption('half-life', values['half-life'])
  if (halfLifeMs !== undefined && halfLifeMs <= 0) throw new UsageError('--half-life: expected a duration > 0')
  const position = positionOption(values.position)
  const direct = values.direct?.split(',').map((d) => d.trim()).filter((d) => d !== '')
  const onError = values['on-error'] ?? DEFAULT_READ_OPTIONS.onError
  if (onError !== 'fail' && onError !== 'skip') throw new UsageError(`--on-error: expected fail or skip, got ${JSON.stringify(onError)}`)
  const kind = values.input
  if (kind !== undefined && kind !== 'paths' && kind !== 'events') throw new UsageError(`--input: expected paths or events, got ${JSON.stringify(kind)}`)
  const format = values['input-format']
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new UsageError(`--input-format: expected csv or jsonl, got ${JSON.stringify(format)}`)
  const timeUnit = values['time-unit'] ?? DEFAULT_READ_OPTIONS.timeUnit
  if (timeUnit !== 'ms' && timeUnit !== 's') throw new UsageError(`--time-unit: expected ms or s, got ${JSON.stringify(timeUnit)}`)
  if (values.separator !== undefined && values.separator.length === 0) throw new UsageError('--separator: expected a character, got an empty string')
  if (values.delimiter !== undefined && values.delimiter.length !== 1) throw new UsageError(`--delimiter: expected one character, got ${JSON.stringify(values.delimiter)}`)
  return {
    settingsInput: { ...(order === undefined ? {} : { order }), ...(halfLifeMs === undefined ? {} : { halfLifeMs }), ...(position === undefined ? {} : { position }), ...(direct === undefined ? {} : { direct }) },
    lookbackMs: durationOption('lookback', values.lookback),
    onError,
    kindGiven: kind,
    formatGiven: format,
    timeUnit,
    delimiter: values.delimiter ?? DEFAULT_READ_OPTIONS.delimiter,
    separator: values.separator ?? DEFAULT_READ_OPTIONS.separator,
    pathColumns: {
      path: values['path-column'] ?? DEFAULT_READ_OPTIONS.pathColumns.path,
      conversions: values['conversions-column'] ?? DEFAULT_READ_OPTIONS.pathColumns.conversions,
      value: values['value-column'] ?? DEFAULT_READ_OPTIONS.pathColumns.value,
      nulls: values['null-column'] ?? DEFAULT_READ_OPTIONS.pathColumns.nulls,
    },
    eventColumns: {
      user: values['user-column'] ?? DEFAULT_READ_OPTIONS.eventColumns.user,
      time: values['time-column'] ?? DEFAULT_READ_OPTIONS.eventColumns.time,
      channel: values['channel-column'] ?? DEFAULT_READ_OPTIONS.eventColumns.channel,
      conversion: values['conversion-column'] ?? DEFAULT_READ_OPTIONS.eventColumns.conversion,
      value: values['value-column'] ?? DEFAULT_READ_OPTIONS.eventColumns.value,
    },
    grouped: values.grouped === true,
    quiet: values.quiet === true,
  }
}

/** A stream read without holding it: sniff the first chunk, then replay it and stream the rest. */
const sniff = async (input: AsyncIterable<Buffer | string>): Promise<{ head: Buffer | string; stream: () => AsyncIterable<string | Buffer> }> => {
  const iterator = input[Symbol.asyncIterator]()
  const first = await iterator.next()
  async function* replay() {
    if (!first.done) yield first.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { head: first.done ? '' : first.value, stream: () => Readable.from(replay()) }
}

/** Standard input, decompressed when it is gzip (`zcat` not needed), with its first line. */
const sniffStdin = async (io: Io): Promise<{ first: string; compressed: boolean; stream: () => AsyncIterable<string | Buffer> }> => {
  const raw = await sniff(io.stdin as AsyncIterable<Buffer | string>)
  const compressed = typeof raw.head !== 'string' && isGzip(raw.head)
  const text = compressed ? await sniff(Readable.from(raw.stream()).pipe(createGunzip({ chunkSize: 65536 }))) : raw
  return { first: firstLineOfText(String(text.head)), compressed, stream: text.stream }
}

/** One input, described before any is read. */
export interface Input {
  readonly path: string
  readonly kind: InputKind
  readonly format: InputFormat
  /** Bytes on disk (0 for standard input). */
  readonly size: number
  /** gzip, decompressed as it is read (so it cannot be cut into byte-range shards). */
  readonly compressed: boolean
  readonly open: () => AsyncIterable<string | Buffer>
}

/** Why the inputs cannot be read as given, and the exit code that says so. */
export interface InputProblem {
  readonly message: string
  readonly exit: 'data' | 'usage'
}

/**
 * Every input's format and kind, found before any is read, so a mistake surfaces before minutes of reading.
 * All inputs must be of one kind.
 */
export const describeInputs = async (paths: ReadonlyArray<string>, s: InputSettings, io: Io): Promise<E.Either<InputProblem, ReadonlyArray<Input>>> => {
  const inputs: Array<Input> = []
  for (const path of paths) {
    let first: string
    let open: () => AsyncIterable<string | Buffer>
    let size = 0
    let compressed: boolean
    try {
      if (path === '-') {
        const sniffed = await sniffStdin(io)
        first = sniffed.first
        compressed = sniffed.compressed
        open = sniffed.stream
      } else {
        size = (await stat(path)).size
        const head = await headOf(path)
        first = head.first
        compressed = head.compressed
        open = () => openWhole(path, head.compressed)
      }
    } catch (e) {
      return E.left({ message: `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, exit: 'data' })
    }
    const format = formatOf(path === '-' ? undefined : path, first, s.formatGiven)
    const kind = s.kindGiven ?? kindOf(first, format, s)
    if (kind === undefined) {
      return E.left({
        message: `${where(path, 1)}: cannot tell paths from events: expected ${kindClueText(s)}; name them with --path-column/--user-column/--time-column or give --input`,
        exit: 'data',
      })
    }
    inputs.push({ path, kind, format, size, compressed, open })
  }
  if (new Set(inputs.map((i) => i.kind)).size > 1) {
    return E.left({ message: 'the inputs mix aggregated paths and events; give them separately', exit: 'usage' })
  }
  return E.right(inputs)
}
