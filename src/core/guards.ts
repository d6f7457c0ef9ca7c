/**
 * What a value is taken for when a plain-JavaScript caller passes something the types rule out: guards for the
 * boundary of exports that have no error channel (total functions over trusted values).
 *
 * @module
 */
import { issue, type Issue } from './errors'

/** @internal An object (arrays included): the least a value must be to have fields. */
export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object'

/**
 * @internal Whether `p` holds for every element of `xs`, holes included (seen as `undefined`). `[].every`,
 * `some` and `forEach` skip the holes of a sparse array, so a guard written with them passes `[1, , 3]` and the
 * code after it reads `undefined` (a sparse times array once gave NaN weights).
 */
export const everyElement = <A>(xs: ReadonlyArray<A>, p: (x: A | undefined, i: number) => boolean): boolean => {
  for (let i = 0; i < xs.length; i++) if (!p(xs[i], i)) return false
  return true
}

/** @internal Whether `p` holds for some element of `xs`, holes included (seen as `undefined`); see `everyElement`. */
export const someElement = <A>(xs: ReadonlyArray<A>, p: (x: A | undefined, i: number) => boolean): boolean => !everyElement(xs, (x, i) => !p(x, i))

/** @internal A column name: non-empty text. */
export const isColumnName = (u: unknown): u is string => typeof u === 'string' && u !== ''

/**
 * @internal The issues of a record of column names by role at `path` (`options.exposureColumns`): each required
 * role a column name, each optional one a column name or nothing. One check for every boundary that takes one.
 */
export const columnNamesIssues = (columns: unknown, path: string, required: ReadonlyArray<string>, optional: ReadonlyArray<string> = []): ReadonlyArray<Issue> => {
  if (!isRecord(columns) || Array.isArray(columns)) return [issue(path, `column names by role: { ${[...required, ...optional.map((r) => `${r}?`)].join(', ')} }`, columns)]
  return [
    ...required.flatMap((r) => (isColumnName(columns[r]) ? [] : [issue(`${path}.${r}`, 'a column name (non-empty text)', columns[r])])),
    ...optional.flatMap((r) => (columns[r] === undefined || isColumnName(columns[r]) ? [] : [issue(`${path}.${r}`, 'a column name (non-empty text) or nothing', columns[r])])),
  ]
}
