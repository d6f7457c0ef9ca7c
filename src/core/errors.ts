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
 *
 * @category errors
 * @since 0.1.0
 */
export type TouchpointError =
  | { readonly _tag: 'InvalidInput'; readonly issues: ReadonlyArray<Issue> }
  | { readonly _tag: 'InsufficientData'; readonly reason: string }
  | { readonly _tag: 'NumericalFailure'; readonly reason: string }

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
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text
}

/**
 * One line per issue: `file:line: path: expected X, got Y`.
 *
 * @example
 * formatIssue({ path: 'experiments[2].variants[1].weight', expected: 'a number in [0, 1]', actual: -0.2 })
 * // => 'experiments[2].variants[1].weight: expected a number in [0, 1], got -0.2'
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatIssue = (i: Issue): string => {
  const where = [i.file, i.line === undefined ? undefined : `line ${i.line}${i.column === undefined ? '' : `, column ${i.column}`}`].filter((s) => s !== undefined).join(':')
  const path = i.path === '' ? '(input)' : i.path
  return `${where === '' ? '' : `${where}: `}${path}: expected ${i.expected}, got ${showValue(i.actual)}`
}

/**
 * A human-readable rendering of any `TouchpointError`, one issue per line.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatError = (e: TouchpointError): string => {
  switch (e._tag) {
    case 'InvalidInput':
      return e.issues.map(formatIssue).join('\n')
    case 'InsufficientData':
      return `insufficient data: ${e.reason}`
    case 'NumericalFailure':
      return `numerical failure: ${e.reason}`
  }
}
