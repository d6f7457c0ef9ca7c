/**
 * `touchpoint attribute` where the data lives: `--engine duckdb|postgres|clickhouse` (DuckDB is also picked by
 * itself for Parquet inputs), and `--partial FILE` to finish from a saved result of `touchpoint sql attribute`.
 * The engine computes the partial result; touchpoint finishes it exactly as it finishes its own.
 *
 * The hook for the streaming reader: `engineFor(values, positionals)` says whether a run belongs here; a reader
 * that finds event input in no streamable order can call `attributeWithEngine` with `engine: 'duckdb'`.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { attribute } from '../attribution/attribute'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_PATH_COLUMNS, makeSettings } from '../attribution/decode'
import { transitionMatrix } from '../attribution/markov'
import type { ModelName } from '../attribution/model'
import { formatAttribution, type TableFormat } from '../attribution/table'
import { formatError, type TouchpointError } from '../core/errors'
import { attributeWithDriver, type EngineAttributionOptions } from '../engines/attribute'
import type { SqlDriver } from '../engines/driver'
import { DEFAULT_DUCKDB_MEMORY_LIMIT } from '../engines/duckdb'
import { duckDbFileSource, formatOfFiles, hasParquetMagic, type FileFormat } from '../engines/files'
import type { SqlAttribution } from '../sql/decode'
import { decodeAttributionRows } from '../sql/decode'
import type { SqlSource } from '../sql/model'
import { durationOption, integerOption, modelsOption, positionOption, UsageError } from './inputOptions'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, say, type Io } from './io'
import { checkOutput, writeOutputs } from './output'
import { readResultFile } from './resultFile'

/** parseArgs specs of the engine options (`attribute` spreads them into its own). */
export const ENGINE_OPTIONS = {
  engine: { type: 'string' },
  url: { type: 'string' },
  table: { type: 'string' },
  query: { type: 'string' },
  partial: { type: 'string' },
  'memory-limit': { type: 'string' },
  threads: { type: 'string' },
  'temp-directory': { type: 'string' },
  'event-column': { type: 'string' },
  'conversion-event': { type: 'string' },
  'conversion-time-column': { type: 'string' },
  'order-column': { type: 'string' },
} as const

/** The engine lines of `attribute --help`. */
export const ENGINE_HELP = `
Where the data lives (the engine computes the partial result, touchpoint finishes it; channels are listed by
name, since a table has no row order):
      --engine NAME          auto (default: the streaming reader; DuckDB for Parquet, and for events in no order
                             the reader can stream, when @duckdb/node-api is installed) | in-process (the
                             streaming reader only) | duckdb | postgres | clickhouse
      --url URL              postgres://user:password@host/db or http://user:password@host:8123/?database=db;
                             default: TOUCHPOINT_POSTGRES_URL (else the PG* variables) or TOUCHPOINT_CLICKHOUSE_URL.
                             Passwords are never printed.
      --table NAME           read this table (schema.table, project.dataset.table) instead of FILEs
      --query SQL            or the rows of this query
      --memory-limit SIZE    DuckDB's memory limit (default ${DEFAULT_DUCKDB_MEMORY_LIMIT}; it spills to disk beyond)
      --threads N            DuckDB's threads (default: one per core)
      --temp-directory DIR   DuckDB spills into a directory of its own made in DIR (default: the system's
                             temporary directory), removed when it ends; DIR must exist and be writable
      --partial FILE         finish from the result of "touchpoint sql attribute" saved as CSV or JSON
      --event-column NAME, --conversion-event NAME[,NAME...]
                             events: a row whose event column (default event_name) is one of these converts
      --conversion-time-column NAME
                             events: the conversion's own time on a converting row (anchors the lookback)
      --order-column NAME    events: breaks ties between a user's rows at the same time (Parquet: file order;
                             otherwise touches go before a conversion at the same instant, then by channel name)
      --time-unit UNIT       s | ms (default) | us | ns, for numeric times`

/**
 * Why `report --partial` cannot be: a saved attribution result holds attribution's sums only, and the report
 * also reads journeys (roles, positions, times, paths, flows, bootstrap draws per journey).
 */
export const REPORT_PARTIAL_NOTE =
  'a saved attribution result ("touchpoint sql attribute", --partial) holds attribution\'s sums only; the report also reads the journeys (roles, positions, times to conversion, distinct paths, flows, bootstrap replicates drawn per journey). Run "touchpoint report --engine duckdb|postgres|clickhouse", which has the engine build the journeys and reduces them here, or "touchpoint attribute --partial FILE" for the credits.'

export type Values = { readonly [k: string]: string | boolean | undefined }

const str = (values: Values, name: string): string | undefined => {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

/**
 * Whether a streaming read that finds events in no streamable order hands them to DuckDB: with `--engine auto`
 * (the default), not with `--engine in-process`.
 */
export const handsOver = (values: Values): boolean => {
  const e = str(values, 'engine')
  return e === undefined || e === 'auto'
}

/**
 * Events the streaming reader cannot take in their order (`message` names the line): DuckDB sorts them, when
 * installed; otherwise the message says how to get a result. Returns the exit code.
 */
export const handOverToDuckDb = async (command: string, message: string, values: Values, io: Io, run: () => Promise<number>): Promise<number> => {
  const { duckDbInstalled } = await import('../engines/installed')
  if (!(await duckDbInstalled())) {
    say(io, `touchpoint ${command}: ${message}\nNothing was written. DuckDB sorts events in any order: npm install @duckdb/node-api, and this command hands them to it (or give --engine duckdb).`)
    return EXIT_DATA
  }
  if (values['quiet'] !== true) say(io, `touchpoint ${command}: the events are not in an order the streaming reader takes (${message.split(':').slice(0, 2).join(':')}); DuckDB reads them instead (--engine auto; --engine in-process refuses such input)`)
  return run()
}

/** `duckdb`, `postgres` or `clickhouse` when this run belongs to an engine, `partial` for --partial, else undefined. */
export const engineFor = async (values: Values, positionals: ReadonlyArray<string>): Promise<'duckdb' | 'postgres' | 'clickhouse' | 'partial' | undefined> => {
  if (str(values, 'partial') !== undefined) return 'partial'
  const e = str(values, 'engine')
  if (e === 'in-process') return undefined
  if (e !== undefined && e !== 'auto') {
    if (e !== 'duckdb' && e !== 'postgres' && e !== 'clickhouse') throw new UsageError(`--engine: expected auto, in-process, duckdb, postgres or clickhouse, got ${JSON.stringify(e)}`)
    return e
  }
  for (const p of positionals) if (p !== '-' && (await hasParquetMagic(p))) return 'duckdb'
  return undefined
}

/**
 * `engineFor` for `touchpoint COMMAND`: a mistake in the flags (or an input that cannot be read to look for
 * Parquet) is said, prefixed with the command, and comes back as the usage exit code.
 */
export const engineOrExit = async (command: string, values: Values, positionals: ReadonlyArray<string>, io: Io): Promise<Awaited<ReturnType<typeof engineFor>> | number> => {
  try {
    return await engineFor(values, positionals)
  } catch (e) {
    say(io, `touchpoint ${command}: ${e instanceof Error ? e.message : String(e)}`)
    return EXIT_USAGE
  }
}

const timeUnitOf = (text: string | undefined): 's' | 'ms' | 'us' | 'ns' | undefined => {
  if (text === undefined) return undefined
  if (text === 's' || text === 'ms' || text === 'us' || text === 'ns') return text
  throw new UsageError(`--time-unit: expected s, ms, us or ns, got ${JSON.stringify(text)}`)
}

/**
 * The one column an engine's SQL reads for `flag`, named as the streaming reader reads a list (split on commas,
 * trimmed, empty names dropped). Several names are the streaming reader's alone (the first non-empty user, channel
 * parts joined with " / "): the SQL would look for one column named "A,B", so they are a usage error.
 */
const oneColumn = (values: Values, flag: 'user-column' | 'channel-column'): string | undefined => {
  const text = str(values, flag)
  if (text === undefined) return undefined
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '')
  if (names.length > 1) throw new UsageError(`--${flag}: several columns (${text}) are read only without --engine (by the streaming reader); the engines' SQL reads one column: give one name, or combine the columns in --query`)
  if (names.length === 0) throw new UsageError(`--${flag}: expected a column name, got ${JSON.stringify(text)}`)
  return names[0]
}

/** The models, settings and reading options of an engine run, checked; a mistake throws `UsageError`. */
export const engineOptions = (values: Values, defaultModels: ReadonlyArray<ModelName>): EngineAttributionOptions & { readonly modelsGiven: boolean } => {
  // Read by the streaming reader only: an engine would silently read the default columns and the marker instead.
  for (const flag of ['preset', 'conversion-on-value'] as const) {
    if (values[flag] !== undefined && values[flag] !== false) throw new UsageError(`--${flag} is read by the streaming reader, not by the engines' SQL: with --engine (or Parquet, or events handed to DuckDB), name the columns (--user-column, --time-column, --channel-column, --value-column, --time-unit) and the conversions (--conversion-event NAME or --conversion-column)`)
  }
  const order = integerOption('order', str(values, 'order'), 1, 4)
  const halfLifeMs = durationOption('half-life', str(values, 'half-life'))
  if (halfLifeMs !== undefined && halfLifeMs <= 0) throw new UsageError('--half-life: expected a duration > 0')
  const position = positionOption(str(values, 'position'))
  const direct = str(values, 'direct')?.split(',').map((d) => d.trim()).filter((d) => d !== '')
  const settings = makeSettings({ ...(order === undefined ? {} : { order }), ...(halfLifeMs === undefined ? {} : { halfLifeMs }), ...(position === undefined ? {} : { position }), ...(direct === undefined ? {} : { direct }) })
  if (E.isLeft(settings)) throw new UsageError(formatError(settings.left))
  const kind = str(values, 'input')
  if (kind !== undefined && kind !== 'paths' && kind !== 'events') throw new UsageError(`--input: expected paths or events, got ${JSON.stringify(kind)}`)
  const separator = str(values, 'separator') ?? '>'
  if (separator === '') throw new UsageError('--separator: expected a character, got an empty string')
  const names = str(values, 'conversion-event')?.split(',').map((n) => n.trim()).filter((n) => n !== '')
  if (names !== undefined && names.length === 0) throw new UsageError('--conversion-event: expected one or more event names')
  const given = modelsOption(str(values, 'models'))
  const lookbackMs = durationOption('lookback', str(values, 'lookback'))
  const conversionTimeColumn = str(values, 'conversion-time-column')
  const orderColumn = str(values, 'order-column')
  const timeUnit = timeUnitOf(str(values, 'time-unit'))
  return {
    models: given ?? defaultModels,
    modelsGiven: given !== undefined,
    ...settings.right,
    ...(kind === undefined ? {} : { kind }),
    separator,
    pathColumns: {
      path: str(values, 'path-column') ?? DEFAULT_PATH_COLUMNS.path,
      conversions: str(values, 'conversions-column') ?? DEFAULT_PATH_COLUMNS.conversions,
      value: str(values, 'value-column') ?? DEFAULT_PATH_COLUMNS.value,
      nulls: str(values, 'null-column') ?? DEFAULT_PATH_COLUMNS.nulls,
    },
    eventColumns: {
      user: oneColumn(values, 'user-column') ?? DEFAULT_EVENT_COLUMNS.user,
      time: str(values, 'time-column') ?? DEFAULT_EVENT_COLUMNS.time,
      channel: oneColumn(values, 'channel-column') ?? DEFAULT_EVENT_COLUMNS.channel,
      conversion: str(values, 'conversion-column') ?? DEFAULT_EVENT_COLUMNS.conversion,
      value: str(values, 'value-column') ?? DEFAULT_EVENT_COLUMNS.value,
    },
    ...(timeUnit === undefined ? {} : { timeUnit }),
    ...(names === undefined ? {} : { conversionEvents: { column: str(values, 'event-column') ?? 'event_name', names } }),
    ...(conversionTimeColumn === undefined ? {} : { conversionTimeColumn }),
    ...(orderColumn === undefined ? {} : { orderColumn }),
    ...(lookbackMs === undefined ? {} : { lookbackMs }),
  }
}

/** The library's option names as the flags that set them. */
const FLAG_OF: Readonly<Record<string, string>> = { memoryLimit: '--memory-limit', threads: '--threads', spillDirectoryParent: '--temp-directory', url: '--url' }

/** An error whose issue paths are the library's option names, with the flags that set them in their place. */
export const withFlags = (e: TouchpointError, flagOf: Readonly<Record<string, string>>): TouchpointError =>
  e._tag === 'InvalidInput' ? { ...e, issues: e.issues.map((i) => ({ ...i, path: flagOf[i.path] ?? i.path })) } : e

/** A driver; a bad flag is a usage error, an engine that does not start or answer throws its message. */
export const connect = async (engine: 'duckdb' | 'postgres' | 'clickhouse', values: Values): Promise<SqlDriver> => {
  const url = str(values, 'url')
  const opened = await open(engine, values, url)
  if (E.isRight(opened)) return opened.right
  const e = opened.left
  if (e._tag === 'InvalidInput') throw new UsageError(formatError(withFlags(e, FLAG_OF)))
  throw new EngineInputError(formatError(e))
}

const open = async (engine: 'duckdb' | 'postgres' | 'clickhouse', values: Values, url: string | undefined): Promise<E.Either<TouchpointError, SqlDriver>> => {
  if (engine === 'duckdb') {
    const { openDuckDb } = await import('../engines/duckdb')
    const threads = integerOption('threads', str(values, 'threads'), 1, 1024)
    const memoryLimit = str(values, 'memory-limit')
    const spillDirectoryParent = str(values, 'temp-directory')
    return openDuckDb({ ...(threads === undefined ? {} : { threads }), ...(memoryLimit === undefined ? {} : { memoryLimit }), ...(spillDirectoryParent === undefined ? {} : { spillDirectoryParent }) })
  }
  if (str(values, 'temp-directory') !== undefined) throw new UsageError(`--temp-directory is where DuckDB spills: it needs --engine duckdb, not ${engine}`)
  if (engine === 'postgres') {
    const { openPostgres } = await import('../engines/postgres')
    const u = url ?? process.env['TOUCHPOINT_POSTGRES_URL']
    return openPostgres(u === undefined ? {} : { url: u })
  }
  const { openClickHouse } = await import('../engines/clickhouse')
  const u = url ?? process.env['TOUCHPOINT_CLICKHOUSE_URL']
  if (u === undefined) throw new UsageError('--engine clickhouse needs --url http://user:password@host:8123/?database=name (or TOUCHPOINT_CLICKHOUSE_URL)')
  return openClickHouse({ url: u })
}

/** Where the rows are: FILEs (DuckDB), --table or --query. */
export const sourceOf = async (engine: 'duckdb' | 'postgres' | 'clickhouse', values: Values, positionals: ReadonlyArray<string>): Promise<SqlSource> => {
  const table = str(values, 'table')
  const query = str(values, 'query')
  const given = [table !== undefined, query !== undefined, positionals.length > 0].filter(Boolean).length
  if (given !== 1 || (engine !== 'duckdb' && positionals.length > 0)) throw new UsageError(engine === 'duckdb' ? 'give FILEs, --table NAME or --query SQL (one of them)' : `--engine ${engine} reads --table NAME or --query SQL (one of them), not files`)
  if (table !== undefined) return { _tag: 'table', name: table }
  if (query !== undefined) return { _tag: 'query', sql: query }
  if (positionals.includes('-')) throw new UsageError('--engine duckdb reads files, not standard input')
  const given2 = str(values, 'input-format')
  if (given2 !== undefined && given2 !== 'csv' && given2 !== 'jsonl' && given2 !== 'parquet') throw new UsageError(`--input-format: expected csv, jsonl or parquet, got ${JSON.stringify(given2)}`)
  const format = await formatOfFiles(positionals, given2 as FileFormat | undefined)
  if (E.isLeft(format)) throw new EngineInputError(formatError(format.left))
  const delimiter = str(values, 'delimiter')
  const sql = duckDbFileSource(positionals, format.right, delimiter === undefined ? {} : { delimiter })
  if (E.isLeft(sql)) throw new UsageError(formatError(sql.left).replace(/^options\.delimiter/, '--delimiter'))
  return { _tag: 'query', sql: sql.right }
}

export class EngineInputError extends Error {}

/** Output options shared with the in-process run. */
interface OutputOptions {
  readonly format: TableFormat
  readonly output: string | undefined
  readonly transitions: string | undefined
  readonly shapley: { exactLimit?: number; samples?: number; seed?: string }
}

/** Why an engine's run stops on invalid rows (the engine counts them; the reasons are those of the reader). */
export const invalidRowsRefused = (n: number): string =>
  `${n} input row${n === 1 ? ' is' : 's are'} invalid (an empty path or channel name, a missing user or time, a conversion marker that is not one, a negative amount, a conversion value on a row without a conversion).\nNothing was written. Use --on-error skip to leave them out.`

const finish = async (command: string, r: SqlAttribution, models: ReadonlyArray<ModelName>, out: OutputOptions, onError: string, io: Io): Promise<number> => {
  const missing = models.filter((m) => !r.models.includes(m))
  if (missing.length > 0) {
    say(io, `touchpoint ${command}: the result holds ${r.models.join(', ')}, not ${missing.join(', ')}: compile the query with those models`)
    return EXIT_USAGE
  }
  if (r.invalidRows > 0 && onError !== 'skip') {
    say(io, `touchpoint ${command}: ${invalidRowsRefused(r.invalidRows)}`)
    return EXIT_DATA
  }
  const result = attribute({ models, shapley: out.shapley })(r.partial)
  if (E.isLeft(result)) {
    say(io, `touchpoint ${command}: ${formatError(result.left)}\nNothing was written.`)
    return EXIT_DATA
  }
  if (out.transitions !== undefined && (out.transitions === '-' || out.output === undefined || out.output === '-')) {
    say(io, `touchpoint ${command}: --transitions FILE needs a file, and --output FILE beside it`)
    return EXIT_USAGE
  }
  const csv = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const written = await writeOutputs(command, io, [
    { path: out.output, text: formatAttribution(out.format)(result.right) },
    ...(out.transitions === undefined ? [] : [{ path: out.transitions, text: `from,to,probability\n${transitionMatrix(r.partial).map((t) => `${csv(t.from)},${csv(t.to)},${t.probability}`).join('\n')}\n` }]),
  ])
  if (written !== 0) return written
  if (r.invalidRows > 0) say(io, `touchpoint ${command}: left out ${r.invalidRows} invalid input row${r.invalidRows === 1 ? '' : 's'}`)
  return EXIT_OK
}

const outputOptionsOf = (values: Values): OutputOptions => {
  const f = str(values, 'format') ?? 'csv'
  if (f !== 'csv' && f !== 'json' && f !== 'markdown') throw new UsageError(`--format: expected csv, json or markdown, got ${JSON.stringify(f)}`)
  const exactLimit = integerOption('shapley-exact', str(values, 'shapley-exact'), 1, 20)
  const samples = integerOption('shapley-samples', str(values, 'shapley-samples'), 1, 10_000_000)
  const seed = str(values, 'seed')
  return {
    format: f,
    output: str(values, 'output'),
    transitions: str(values, 'transitions'),
    shapley: { ...(exactLimit === undefined ? {} : { exactLimit }), ...(samples === undefined ? {} : { samples }), ...(seed === undefined ? {} : { seed }) },
  }
}

/**
 * `attribute` on an engine or from a saved result. Returns the exit code.
 */
export const attributeWithEngine = async (
  command: string,
  engine: 'duckdb' | 'postgres' | 'clickhouse' | 'partial',
  values: Values,
  positionals: ReadonlyArray<string>,
  defaultModels: ReadonlyArray<ModelName>,
  io: Io,
): Promise<number> => {
  const onError = str(values, 'on-error') ?? 'fail'
  if (onError !== 'fail' && onError !== 'skip') {
    say(io, `touchpoint ${command}: --on-error: expected fail or skip, got ${JSON.stringify(onError)}`)
    return EXIT_USAGE
  }
  // An output that cannot be written is found before a long query, not after.
  const unwritable = (await checkOutput(command, str(values, 'output'), io)) ?? (await checkOutput(command, str(values, 'transitions'), io))
  if (unwritable !== undefined) return unwritable
  let driver: SqlDriver | undefined
  try {
    const out = outputOptionsOf(values)
    if (engine === 'partial') {
      if (positionals.length > 0) throw new UsageError('--partial FILE finishes a saved result: give no other input')
      const file = await readResultFile(str(values, 'partial')!)
      if (E.isLeft(file)) {
        say(io, `touchpoint ${command}: ${file.left}`)
        return EXIT_DATA
      }
      const decoded = decodeAttributionRows({ firstLine: file.right.firstLine })(file.right.rows)
      if (E.isLeft(decoded)) {
        say(io, `touchpoint ${command}: ${str(values, 'partial')}: ${formatError(decoded.left)}`)
        return EXIT_DATA
      }
      const given = modelsOption(str(values, 'models'))
      return await finish(command, decoded.right, given ?? decoded.right.models, out, onError, io)
    }
    const options = engineOptions(values, defaultModels)
    const source = await sourceOf(engine, values, positionals)
    driver = await connect(engine, values)
    const r = await attributeWithDriver(driver, source, options)
    if (E.isLeft(r)) {
      say(io, `touchpoint ${command}: ${formatError(r.left)}`)
      return EXIT_DATA
    }
    return await finish(command, r.right.result, options.models, out, onError, io)
  } catch (e) {
    if (e instanceof UsageError) {
      say(io, `touchpoint ${command}: ${e.message}`)
      return EXIT_USAGE
    }
    say(io, `touchpoint ${command}: ${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
    return EXIT_DATA
  } finally {
    await driver?.close()
  }
}
