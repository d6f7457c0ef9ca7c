/**
 * The one error type every fallible function in touchpoint returns on its `Left` side.
 *
 * @module
 */

/**
 * One problem with one value: where it is, what was expected, what was seen.
 *
 * @category errors
 * @since 0.1.0
 */
export interface Issue {
  /** Where the value sits, e.g. `experiments[2].variants[1].weight`; `''` for the input itself. */
  readonly path: string
  /** What would have been accepted, in words: `a number in [0, 1]`. */
  readonly expected: string
  /** The value seen (`undefined` when the field is missing). */
  readonly actual: unknown
  /** 1-based line number, set by line readers (CSV, JSONL) so one bad line in a large file is findable. */
  readonly line?: number
  /** 1-based column on that line, set where a reader knows it (the JSON parser). */
  readonly column?: number
  /** The file the line came from, when there is one. */
  readonly file?: string
}

/**
 * Why an operation could not produce a result.
 *
 * - `InvalidInput`: the input does not have the required shape or breaks a rule; `issues` lists every problem found.
 * - `InsufficientData`: the input is well formed but cannot support the computation (zero units, no conversions).
 * - `NumericalFailure`: a computation failed to converge or left the range where it is accurate.
 * - `EngineFailure`: a database engine (DuckDB, PostgreSQL, ClickHouse) could not be reached or did not run the
 *   query; `reason` is the engine's own message, with any credential removed.
 *
 * @category errors
 * @since 0.1.0
 */
export type TouchpointError =
  | { readonly _tag: 'InvalidInput'; readonly issues: ReadonlyArray<Issue> }
  | { readonly _tag: 'InsufficientData'; readonly reason: string }
  | { readonly _tag: 'NumericalFailure'; readonly reason: string }
  | { readonly _tag: 'EngineFailure'; readonly reason: string }

/**
 * @category constructors
 * @since 0.1.0
 */
export const invalidInput = (issues: ReadonlyArray<Issue>): TouchpointError => ({ _tag: 'InvalidInput', issues })

/**
 * @category constructors
 * @since 0.1.0
 */
export const insufficientData = (reason: string): TouchpointError => ({ _tag: 'InsufficientData', reason })

/**
 * @category constructors
 * @since 0.1.0
 */
export const numericalFailure = (reason: string): TouchpointError => ({ _tag: 'NumericalFailure', reason })

/**
 * An issue at `path`, for cross-field rules io-ts cannot express.
 *
 * @category constructors
 * @since 0.1.0
 */
export const issue = (path: string, expected: string, actual: unknown): Issue => ({ path, expected, actual })

const MAX_SHOWN = 80

/**
 * A value as a user would write it in the input: JSON where possible, cut to a readable length.
 *
 * @category formatting
 * @since 0.1.0
 */
export const showValue = (value: unknown): string => {
  if (value === undefined) return 'nothing (the field is missing)'
  if (typeof value === 'number') return Number.isNaN(value) || !Number.isFinite(value) ? String(value) : JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  const text = jsonOrString(value)
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text
}

/** JSON, else `String`, else the value's kind: an object without a usable `toString` has no text of its own. */
const jsonOrString = (value: unknown): string => {
  try {
    const json = JSON.stringify(value)
    if (json !== undefined) return json
  } catch {
    // a BigInt or a cycle inside: fall through
  }
  try {
    return String(value)
  } catch {
    return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`
  }
}

const isIssue = (i: unknown): i is Issue =>
  i !== null && typeof i === 'object' && typeof (i as Issue).path === 'string' && typeof (i as Issue).expected === 'string'

/**
 * One line per issue: `file:line: path: expected X, got Y`. Given anything else, a line saying what it got.
 *
 * @example
 * formatIssue({ path: 'experiments[2].variants[1].weight', expected: 'a number in [0, 1]', actual: -0.2 })
 * // => 'experiments[2].variants[1].weight: expected a number in [0, 1], got -0.2'
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatIssue = (i: Issue): string => {
  if (!isIssue(i)) return `expected an issue ({ path, expected, actual }), got ${showValue(i)}`
  const where = [typeof i.file === 'string' ? i.file : undefined, typeof i.line === 'number' ? `line ${i.line}${typeof i.column === 'number' ? `, column ${i.column}` : ''}` : undefined].filter((s) => s !== undefined).join(':')
  const path = i.path === '' ? '(input)' : i.path
  return `${where === '' ? '' : `${where}: `}${path}: expected ${i.expected}, got ${showValue(i.actual)}`
}

const reasonOf = (e: object): string => {
  const reason = (e as { readonly reason?: unknown }).reason
  return typeof reason === 'string' ? reason : showValue(reason)
}

/**
 * A human-readable rendering of any `TouchpointError`, one issue per line. Given anything else (from plain
 * JavaScript), a line saying what it got.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatError = (e: TouchpointError): string => {
  switch (e !== null && typeof e === 'object' ? e._tag : undefined) {
    case 'InvalidInput': {
      const issues = (e as { readonly issues?: unknown }).issues
      if (Array.isArray(issues)) return issues.map(formatIssue).join('\n')
      break
    }
    case 'InsufficientData':
      return `insufficient data: ${reasonOf(e)}`
    case 'NumericalFailure':
      return `numerical failure: ${reasonOf(e)}`
    case 'EngineFailure':
      return reasonOf(e)
  }
  return `expected a TouchpointError (InvalidInput, InsufficientData, NumericalFailure or EngineFailure), got ${showValue(e)}`
}
