/**
 * The contract between the SQL compiler and the engines that run its text: a driver only runs a query and
 * streams its rows back (Kysely's driver, without the query building). It knows its dialect, so the caller can
 * compile for it; it never sees settings, and it never prints a connection string.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { TouchpointError } from '../core/errors'
import type { DialectName } from '../sql/dialect'
import { DRIVER, failureOf, invalid, isDriver } from './internal'

/**
 * A connection to one engine.
 *
 * - `rows`: the rows of `sql`, in batches, as objects keyed by column name.
 * - `close`: releases the connection (idempotent).
 *
 * `rows` and `columns` reject with an `Error` whose message is the engine's own (credentials removed) when the
 * engine fails; {@link allRows} and `attributeWithDriver` turn that into an `EngineFailure` Left.
 *
 * @category engines
 * @since 0.2.0
 */
export interface SqlDriver {
  readonly dialect: DialectName
  /** What the driver is connected to, for messages: never a password. */
  readonly describe: string
  readonly rows: (sql: string) => AsyncIterable<ReadonlyArray<Record<string, unknown>>>
  /** The columns of `sql`'s result, with the engine's type names, without running it over the data. */
  readonly columns: (sql: string) => Promise<ReadonlyArray<{ readonly name: string; readonly type: string }>>
  readonly close: () => Promise<void>
}

/**
 * Every row of `sql`, collected (the attribution query's result is small: channels, sets, Markov states). A query
 * the engine refuses, or a connection lost on the way, is an `EngineFailure` Left with the engine's message;
 * anything but a driver and a text is an `InvalidInput` Left naming `driver` or `sql`.
 *
 * **Gotchas**: the driver's own methods (`rows`, `columns`) reject when the engine fails: they are the contract a
 * driver implements, for code that streams. `allRows`, `describeSource` and `attributeWithDriver` never reject.
 *
 * @example
 * const db = await openDuckDb()
 * if (E.isLeft(db)) throw new Error(formatError(db.left))
 * await allRows(db.right, 'SELECT 42 AS answer') // => right([{ answer: 42 }])
 * await allRows(db.right, 'SELECT * FROM no_such_table') // => left({ _tag: 'EngineFailure', reason: 'DuckDB: Catalog Error: Table with name no_such_table does not exist!…' })
 * await db.right.close()
 *
 * @category engines
 * @since 0.2.0
 */
export const allRows = async (driver: SqlDriver, sql: string): Promise<E.Either<TouchpointError, Array<Record<string, unknown>>>> => {
  if (!isDriver(driver)) return E.left(invalid('driver', DRIVER, driver))
  if (typeof sql !== 'string' || sql.trim() === '') return E.left(invalid('sql', 'the text of a query', sql))
  const out: Array<Record<string, unknown>> = []
  try {
    for await (const batch of driver.rows(sql)) for (const r of batch) out.push(r)
  } catch (e) {
    return E.left(failureOf(e))
  }
  return E.right(out)
}
