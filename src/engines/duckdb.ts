/**
 * DuckDB, embedded, through `@duckdb/node-api` (an optional peer dependency: loaded only when asked for, so a
 * plain install and the edge entry never carry its native binary). Defaults keep a laptop responsive: a memory
 * limit beyond which DuckDB spills to a temporary directory, and UTC as the session's time zone so timestamps
 * read the same everywhere.
 *
 * @module
 */
import { statSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { fields, optionIssues } from '../stats/internal/options'
import type { SqlDriver } from './driver'
import { makeSpillDirectory, removeSpillDirectory } from './spillDirectories'
import { DriverError, engineFailure, failureOf } from './internal'

/**
 * Options of the embedded engine.
 *
 * - `memoryLimit`: DuckDB's `memory_limit` (default `512MB`: with spilling, 10M unsorted events stay under 1 GB of
 *   resident memory).
 * - `threads`: worker threads (default: DuckDB's, one per core).
 * - `tempDirectory`: where DuckDB spills (default: a new directory under the system's temporary directory,
 *   removed on `close`; DuckDB's own default would be `.tmp` under the working directory). Used as given.
 * - `spillDirectoryParent`: the directory under which that new spill directory is made instead of the system's
 *   temporary directory (a larger disk); it must exist and be writable (else an `InvalidInput` Left naming it).
 *   The spill directory in it is removed on `close`, as the default one is (the CLI's `--temp-directory`).
 *
 * @category engines
 * @since 0.2.0
 */
export interface DuckDbOptions {
  readonly memoryLimit?: string
  readonly threads?: number
  readonly tempDirectory?: string
  readonly spillDirectoryParent?: string
}

/** @category engines @since 0.2.0 */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '512MB'

type DuckDbModule = typeof import('@duckdb/node-api')

const load = async (): Promise<DuckDbModule> => {
  try {
    return await import('@duckdb/node-api')
  } catch {
    throw new DriverError('the DuckDB engine needs the optional package @duckdb/node-api: npm install @duckdb/node-api')
  }
}

const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 }
/** The largest memory limit taken: 8 PiB (2^53 bytes); DuckDB refuses sizes past 2^64 bytes with "Failed to set config". */
const MAX_MEMORY_BYTES = 2 ** 53

/** The bytes a size such as '512MB' names, when it is one DuckDB can hold. */
const bytesOf = (text: string): number | undefined => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|[KMGT]i?B)\s*$/i.exec(text)
  if (m === null) return undefined
  const bytes = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!
  return Number.isFinite(bytes) && bytes <= MAX_MEMORY_BYTES ? bytes : undefined
}

const OPTIONS = {
  memoryLimit: fields.custom("a size such as '512MB' or '2GB', at most 8PiB", (v) => typeof v === 'string' && bytesOf(v) !== undefined),
  threads: fields.integerIn(1, 1024),
  tempDirectory: fields.custom('a directory (non-empty text)', (v) => typeof v === 'string' && v !== '' && !v.includes('\u0000')),
  spillDirectoryParent: fields.custom('a directory (non-empty text)', (v) => typeof v === 'string' && v !== '' && !v.includes('\u0000')),
} as const

const WRITABLE_DIRECTORY = 'an existing directory this process can write to'

/** Why `dir` cannot hold a spill directory (it does not exist, is no directory), or undefined. */
const parentIssue = (dir: string): Issue | undefined => {
  try {
    if (!statSync(dir).isDirectory()) return issue('spillDirectoryParent', `${WRITABLE_DIRECTORY} (this is not a directory)`, dir)
    return undefined
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return issue('spillDirectoryParent', `${WRITABLE_DIRECTORY} (${code === 'ENOENT' ? 'there is none' : e instanceof Error ? e.message : String(e)})`, dir)
  }
}

/**
 * An in-memory DuckDB with the given limits, as a driver; an `InvalidInput` Left naming the option that is wrong
 * (strict: `threads: '2'` is no number), an `EngineFailure` Left when DuckDB does not start (or
 * `@duckdb/node-api` is not installed). Close it when done.
 *
 * @example
 * const db = await openDuckDb({ memoryLimit: '1GB' })
 * if (E.isLeft(db)) throw new Error(formatError(db.left))
 * const rows = await allRows(db.right, "SELECT path FROM read_parquet('examples/*.parquet') LIMIT 1")
 * await db.right.close()
 * rows // => right([{ path: 'display > display > store > store > store' }])
 * await openDuckDb({ threads: 0 }) // => left({ _tag: 'InvalidInput', issues: [{ path: 'threads', expected: 'an integer in [1, 1024]', actual: 0 }] })
 *
 * @category engines
 * @since 0.2.0
 */
export const openDuckDb = async (options: DuckDbOptions = {}): Promise<E.Either<TouchpointError, SqlDriver>> => {
  const bad = optionIssues(OPTIONS, options)
  if (bad.length === 0 && options.tempDirectory !== undefined && options.spillDirectoryParent !== undefined) {
    bad.push(issue('spillDirectoryParent', 'no parent beside tempDirectory (give one of them)', options.spillDirectoryParent))
  }
  if (bad.length === 0 && options.spillDirectoryParent !== undefined) {
    const why = parentIssue(options.spillDirectoryParent)
    if (why !== undefined) bad.push(why)
  }
  if (bad.length > 0) return E.left(invalidInput(bad))
  let duckdb: DuckDbModule
  try {
    duckdb = await load()
  } catch (e) {
    return E.left(failureOf(e))
  }
  const config: Record<string, string> = { memory_limit: options.memoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT }
  if (options.threads !== undefined) config['threads'] = String(options.threads)
  let spill: string | undefined
  if (options.tempDirectory !== undefined) config['temp_directory'] = options.tempDirectory
  else {
    const parent = options.spillDirectoryParent
    try {
      spill = makeSpillDirectory(parent)
      config['temp_directory'] = spill
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e)
      // A parent the caller named that cannot be written is their input; the system's is the machine's failure.
      if (parent !== undefined) return E.left(invalidInput([issue('spillDirectoryParent', `${WRITABLE_DIRECTORY} (${why})`, parent)]))
      return E.left(engineFailure(`DuckDB did not start: no spill directory under the system's temporary directory: ${why}`))
    }
  }
  const forget = () => {
    if (spill !== undefined) removeSpillDirectory(spill)
  }
  let instance: InstanceType<DuckDbModule['DuckDBInstance']>
  let connection: Awaited<ReturnType<InstanceType<DuckDbModule['DuckDBInstance']>['connect']>>
  try {
    instance = await duckdb.DuckDBInstance.create(':memory:', config)
  } catch (e) {
    forget()
    return E.left(engineFailure(`DuckDB did not start: ${e instanceof Error ? e.message : String(e)}`))
  }
  try {
    connection = await instance.connect()
  } catch (e) {
    instance.closeSync()
    forget()
    return E.left(engineFailure(`DuckDB did not start: ${e instanceof Error ? e.message : String(e)}`))
  }
  // With ICU loaded, time zones follow the session's setting: pin it to UTC. Without ICU, DuckDB is UTC already.
  await connection.run("SET TimeZone = 'UTC'").catch(() => undefined)
  let closed = false
  return E.right({
    dialect: 'duckdb',
    describe: 'DuckDB (embedded)',
    async *rows(sql: string) {
      let result
      try {
        result = await connection.stream(sql)
      } catch (e) {
        throw new DriverError(`DuckDB: ${e instanceof Error ? e.message : String(e)}`)
      }
      for await (const batch of result.yieldRowObjectJs()) yield batch as ReadonlyArray<Record<string, unknown>>
    },
    columns: async (sql: string) => {
      try {
        const r = await connection.runAndReadAll(`DESCRIBE ${sql}`)
        return r.getRowObjectsJS().map((c) => ({ name: String(c['column_name']), type: String(c['column_type']) }))
      } catch (e) {
        throw new DriverError(`DuckDB: ${e instanceof Error ? e.message : String(e)}`)
      }
    },
    close: async () => {
      if (closed) return
      closed = true
      connection.closeSync()
      instance.closeSync()
      forget()
    },
  })
}
