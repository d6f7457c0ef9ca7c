/**
 * Names that reach SQL as identifiers (tables, columns). A name is accepted when it cannot close its quotes:
 * no quote character of any dialect (`"`, `` ` ``), no backslash, no control character; then every dialect
 * quotes it. Table names may be dotted (`project.dataset.events`): each part is checked and quoted.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import type { Dialect } from './dialect'

// Quotes of every dialect, the backslash some of them read inside quotes, control characters and NUL.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /["`\\\u0000-\u001f\u007f]/

const EXPECTED = 'a name without quotes ("), backticks (`), backslashes or control characters'

/** The issue with one identifier part, if any. */
export const identifierIssue = (path: string, name: unknown): Issue | undefined => {
  if (typeof name !== 'string' || name === '') return issue(path, 'a non-empty name', name)
  if (name.length > 255) return issue(path, 'a name of at most 255 characters', name)
  if (FORBIDDEN.test(name)) return issue(path, EXPECTED, name)
  return undefined
}

/** The parts of a dotted table name, or the issue with it. */
export const tableParts = (path: string, name: unknown): { parts: ReadonlyArray<string> } | { issue: Issue } => {
  if (typeof name !== 'string' || name.trim() === '') return { issue: issue(path, 'a table name such as events or schema.events', name) }
  const parts = name.split('.')
  for (const p of parts) {
    const bad = identifierIssue(path, p)
    if (bad !== undefined) return { issue: { ...bad, expected: `a table name of dot-separated parts, each ${bad.expected}`, actual: name } }
  }
  return { parts }
}

/**
 * A table name quoted for `dialect` (each dotted part checked), or the issue with it.
 *
 * **Gotchas**: `Left` naming `dialect` when it is not a `Dialect` (an object whose `table` quotes the parts into
 * text), and `table` when the name is not one.
 *
 * @example
 * import { DIALECTS } from 'touchpoint/sql'
 * quoteTable(DIALECTS.bigquery)('project.dataset.events_*') // => right('`project.dataset.events_*`')
 *
 * @category sql
 * @since 0.2.0
 */
export const quoteTable =
  (dialect: Dialect) =>
  (name: string): E.Either<TouchpointError, string> => {
    const quote = dialect !== null && typeof dialect === 'object' ? (dialect as { readonly table?: unknown }).table : undefined
    if (typeof quote !== 'function') return E.left(invalidInput([issue('dialect', 'a Dialect such as DIALECTS.duckdb (with a table function)', dialect)]))
    const t = tableParts('table', name)
    if ('issue' in t) return E.left(invalidInput([t.issue]))
    // A dialect of the caller's own quotes here: what it gives must be text.
    const quoted: unknown = quote.call(dialect, t.parts)
    return typeof quoted === 'string' ? E.right(quoted) : E.left(invalidInput([issue('dialect.table', 'a function returning the quoted table name as text', quoted)]))
  }
