/**
 * Strict option checking for every function of touchpoint/stats. Options usually come from code, but also from
 * JSON, the CLI and plain JavaScript, where a string `'true'` is not `true` and `'0.95'` is not 0.95: each option
 * has one type, an option nobody defines is an error (a typo such as `correcton` would otherwise be ignored in
 * silence), and every problem is reported at once, named by its own path. `undefined` means "not given".
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'

/** @internal One option: what it must be, in words, and the test. */
export interface Field {
  readonly expected: string
  readonly test: (v: unknown) => boolean
}

const isNumber = (v: unknown): v is number => typeof v === 'number'

/** @internal Ready-made fields. */
export const fields = {
  boolean: { expected: 'true or false (a boolean, not a string)', test: (v: unknown) => typeof v === 'boolean' },
  probability: { expected: 'a number strictly between 0 and 1', test: (v: unknown) => isNumber(v) && v > 0 && v < 1 },
  finite: { expected: 'a finite number', test: (v: unknown) => isNumber(v) && Number.isFinite(v) },
  positive: { expected: 'a finite number > 0', test: (v: unknown) => isNumber(v) && Number.isFinite(v) && v > 0 },
  string: { expected: 'a string', test: (v: unknown) => typeof v === 'string' },
  oneOf: (values: ReadonlyArray<string>): Field => ({
    expected: values.length === 2 ? `"${values[0]}" or "${values[1]}"` : `one of ${values.map((v) => `"${v}"`).join(', ')}`,
    test: (v) => typeof v === 'string' && values.includes(v),
  }),
  integerIn: (lo: number, hi: number): Field => ({
    expected: `an integer in [${lo}, ${hi}]`,
    test: (v) => isNumber(v) && Number.isInteger(v) && v >= lo && v <= hi,
  }),
  numberIn: (lo: number, hi: number, expected: string): Field => ({ expected, test: (v) => isNumber(v) && v >= lo && v <= hi }),
  custom: (expected: string, test: (v: unknown) => boolean): Field => ({ expected, test }),
} as const

/** @internal Is this a plain options object (or nothing)? */
export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object' && !Array.isArray(u)

/**
 * @internal The issues of `options` against `spec`: not an object, unknown names, values of the wrong type.
 * `path` prefixes the names (for nested options such as `prior.alpha`); `what` names the object itself.
 */
export const optionIssues = (spec: Readonly<Record<string, Field>>, options: unknown, path = '', what = 'options'): Array<Issue> => {
  if (options === undefined) return []
  const at = (name: string) => (path === '' ? name : `${path}.${name}`)
  if (!isRecord(options)) return [issue(path === '' ? what : path, `an object of ${what} (${Object.keys(spec).join(', ')})`, options)]
  const out: Array<Issue> = []
  for (const name of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(spec, name)) {
      out.push(issue(at(name), `no such option (known: ${Object.keys(spec).join(', ')})`, options[name]))
      continue
    }
    const value = options[name]
    if (value !== undefined && !spec[name]!.test(value)) out.push(issue(at(name), spec[name]!.expected, value))
  }
  return out
}

/** @internal `Right(options)` when they pass `spec`, else `Left(InvalidInput)` naming every bad option. */
export const checkFields =
  (spec: Readonly<Record<string, Field>>, what = 'options') =>
  (options: unknown): E.Either<TouchpointError, Readonly<Record<string, unknown>>> => {
    const issues = optionIssues(spec, options, '', what)
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(options === undefined ? {} : (options as Readonly<Record<string, unknown>>))
  }

/** @internal The common fields of the two-arm tests. */
export const ALTERNATIVE = fields.oneOf(['two-sided', 'greater', 'less'])
/** @internal */
export const LIFT_TYPE = fields.oneOf(['relative', 'absolute'])
/** @internal */
export const TEST = fields.oneOf(['t', 'z'])
