/**
 * PostgreSQL through `pg` (an optional peer dependency, loaded only when asked for). Rows stream through a
 * server-side cursor, so a large result never sits whole in memory. Messages never carry the password.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, type TouchpointError } from '../core/errors'
import { fields, optionIssues } from '../stats/internal/options'
import type { SqlDriver } from './driver'
import { DriverError, engineFailure, failureOf } from './internal'
import { redactUrl, scrub, secretsOf } from './url'

/** Rows fetched per round trip from the cursor. */
const BATCH = 5000

type PgModule = typeof import('pg')

/** Type names of the built-in types by OID (pg_type), the ones a source column may have. */
const PG_TYPES: Readonly<Record<number, string>> = {
  16: 'boolean', 18: 'char', 19: 'name', 20: 'bigint', 21: 'smallint', 23: 'integer', 25: 'text', 700: 'real', 701: 'double precision',
  1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1114: 'timestamp', 1184: 'timestamptz', 1700: 'numeric', 2950: 'uuid',
  1009: 'text[]', 1015: 'varchar[]',
}

const load = async (): Promise<PgModule> => {
  try {
    const m = (await import('pg')) as PgModule & { default?: PgModule }
    return m.default ?? m
  } catch {
    throw new DriverError('the PostgreSQL engine needs the optional package pg: npm install pg')
  }
}

/** How long a connection may take before it is given up (pg waits forever by default: a black-holed host would hang). */
const CONNECT_TIMEOUT_MS = 10_000

const isPostgresUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false
  try {
    const u = new URL(v)
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && !v.includes('\u0000')
  } catch {
    return false
  }
}

const OPTIONS = {
  url: fields.custom('a connection URL: postgres://user:password@host:port/database', isPostgresUrl),
  connectTimeoutMs: fields.custom('a time in milliseconds: an integer in [1, 600000]', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 600_000),
} as const

/**
 * A PostgreSQL connection as a driver. `url` is a `postgres://user:password@host:port/database` connection string;
 * without one, `pg` reads the usual `PGHOST`, `PGUSER`, `PGPASSWORD`, `PGDATABASE` variables. A connection not
 * made within `connectTimeoutMs` (default 10 s) is given up.
 *
 * An `InvalidInput` Left names the option that is wrong (a `url` that is no postgres:// URL is refused before any
 * connection is tried); an `EngineFailure` Left says why the server could not be reached, never with its password.
 *
 * @example
 * const pg = process.env['TOUCHPOINT_POSTGRES_URL'] === undefined ? undefined : await openPostgres({ url: process.env['TOUCHPOINT_POSTGRES_URL'] })
 * // a server that is not there: the message names it, never its password
 * await openPostgres({ url: 'postgres://analyst:s3cret@127.0.0.1:9/warehouse' })
 * // => left({ _tag: 'EngineFailure', reason: 'PostgreSQL at postgres://analyst:***@127.0.0.1:9/warehouse…' })
 *
 * @category engines
 * @since 0.2.0
 */
export const openPostgres = async (options: { readonly url?: string; readonly connectTimeoutMs?: number } = {}): Promise<E.Either<TouchpointError, SqlDriver>> => {
  const bad = optionIssues(OPTIONS, options)
  if (bad.length > 0) return E.left(invalidInput(bad))
  let pg: PgModule
  try {
    pg = await load()
  } catch (e) {
    return E.left(failureOf(e))
  }
  const secrets = options.url === undefined ? [process.env['PGPASSWORD'] ?? ''].filter((s) => s !== '') : secretsOf(options.url)
  const where = options.url === undefined ? 'PostgreSQL (from PG* variables)' : `PostgreSQL at ${redactUrl(options.url)}`
  const fail = (e: unknown) => new DriverError(scrub(`${where}: ${e instanceof Error ? e.message : String(e)}`, secrets))
  let client: InstanceType<PgModule['Client']>
  try {
    client = new pg.Client({ ...(options.url === undefined ? {} : { connectionString: options.url }), connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS })
    // An idle connection's errors arrive as events; without a listener they would crash the process.
    client.on('error', () => undefined)
    await client.connect()
  } catch (e) {
    return E.left(engineFailure(fail(e).message))
  }
  let closed = false
  return E.right({
    dialect: 'postgres',
    describe: where,
    async *rows(sql: string) {
      try {
        await client.query('BEGIN READ ONLY')
        await client.query(`DECLARE tp_cursor NO SCROLL CURSOR FOR ${sql}`)
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw fail(e)
      }
      try {
        for (;;) {
          const r = await client.query(`FETCH ${BATCH} FROM tp_cursor`)
          if (r.rows.length === 0) break
          yield r.rows as ReadonlyArray<Record<string, unknown>>
        }
        await client.query('COMMIT')
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw fail(e)
      } finally {
        // A consumer that stops early leaves the transaction open: end it so the connection can be reused.
        await client.query('ROLLBACK').catch(() => undefined)
      }
    },
    columns: async (sql: string) => {
      try {
        const r = await client.query(`SELECT * FROM (${sql}) AS tp_describe LIMIT 0`)
        return r.fields.map((f) => ({ name: f.name, type: PG_TYPES[f.dataTypeID] ?? `oid ${f.dataTypeID}` }))
      } catch (e) {
        throw fail(e)
      }
    },
    close: async () => {
      if (closed) return
      closed = true
      await client.end().catch(() => undefined)
    },
  })
}
