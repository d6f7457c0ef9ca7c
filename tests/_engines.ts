/**
 * The engines answer Eithers (issue 10: nothing exported rejects); tests that need a driver or rows stop at the
 * first Left with its message, and tests of failures read the Left's message.
 */
import * as E from 'fp-ts/Either'
import { formatError, type TouchpointError } from '../src/core/errors'
import { allRows, type SqlDriver } from '../src/engines/driver'

/** The Right, or a throw with the Left's message (the test fails there, saying why). */
export const orThrow = <A>(e: E.Either<TouchpointError, A>): A => {
  if (E.isLeft(e)) throw new Error(formatError(e.left))
  return e.right
}

/** Every row of `sql`, or a throw with the engine's message. */
export const rowsOf = async (driver: SqlDriver, sql: string): Promise<Array<Record<string, unknown>>> => orThrow(await allRows(driver, sql))

/** The Left's message (with its tag), or 'no error'. */
export const failureText = (e: E.Either<TouchpointError, unknown>): string => (E.isLeft(e) ? `${e.left._tag}: ${formatError(e.left)}` : 'no error')

/** Run a statement on `driver` and drain its rows (CREATE, INSERT). */
export const execute = async (driver: SqlDriver, sql: string): Promise<void> => {
  for await (const _ of driver.rows(sql)) void _
}

/** A SQL literal of a test value: NULL, a number as written, text in single quotes with quotes doubled. */
export const sqlLiteral = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)
