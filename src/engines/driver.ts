/**
 * The contract between the SQL compiler and the engines that run its text: a driver only runs a query and
 * streams its rows back (Kysely's driver, without the query building). It knows its dialect, so the caller can
 * compile for it; it never sees settings, and it never prints a connection string.
 *
 * @module
 */
import type { DialectName } from '../sql/dialect'

/**
 * A connection to one engine.
 *
 * - `rows`: the rows of `sql`, in batches, as objects keyed by column name.
 * - `close`: releases the connection (idempotent).
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
 * A failure of an engine: the query did not run. `message` is the engine's own, with any credential removed.
 *
 * @category engines
 * @since 0.2.0
 */
export class EngineError extends Error {
  override readonly name = 'EngineError'
}

/** Every row of `sql`, collected (the attribution query's result is small: channels, sets, Markov states). */
export const allRows = async (driver: SqlDriver, sql: string): Promise<Array<Record<string, unknown>>> => {
  const out: Array<Record<string, unknown>> = []
  for await (const batch of driver.rows(sql)) for (const r of batch) out.push(r)
  return out
}
