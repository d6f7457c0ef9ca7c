/**
 * io-ts `Errors` turned into named issues a user can act on.
 *
 * io-ts's own `PathReporter` prints `Invalid value -0.2 supplied to : { ... }/weight: number`, which names the
 * codec rather than the field. Here every error becomes `{ path: 'variants[1].weight', expected, actual }`, and the
 * branches of a failed union are merged into one issue (`expected "a" or "b"`).
 *
 * @module
 */
import type * as t from 'io-ts'
import type { Issue } from './errors'

const DEFAULT_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  UnknownRecord: 'an object',
  UnknownArray: 'an array',
  Int: 'an integer',
  null: 'null',
  undefined: 'nothing',
}

/**
 * `experiments[2].weight` from an io-ts context. A union or intersection passes the same value to each member
 * under the member's index; such entries are not places in the user's data, and are recognised by carrying
 * the very value their parent carries.
 */
const pathOf = (context: t.Context): string => {
  let path = ''
  for (let i = 1; i < context.length; i++) {
    const entry = context[i]!
    const parent = context[i - 1]!
    if (entry.actual === parent.actual && entry.actual !== undefined) continue
    if (Array.isArray(parent.actual)) path += `[${entry.key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(entry.key)) path += `${path === '' ? '' : '.'}${entry.key}`
    else path += `[${JSON.stringify(entry.key)}]`
  }
  return path
}

const describe = (type: t.Decoder<unknown, unknown>, actual: unknown): string => {
  const tag = (type as { readonly _tag?: string })._tag
  if (tag === 'InterfaceType' || tag === 'StrictType' || tag === 'PartialType' || tag === 'ExactType') {
    return actual === null || typeof actual !== 'object' || Array.isArray(actual) ? 'an object' : type.name
  }
  if ((tag === 'ArrayType' || tag === 'ReadonlyArrayType') && !Array.isArray(actual)) return 'an array'
  if (tag === 'LiteralType') return JSON.stringify((type as unknown as { readonly value: unknown }).value)
  if (tag === 'KeyofType') {
    const keys = Object.keys((type as unknown as { readonly keys: object }).keys)
    return `one of ${keys.map((k) => JSON.stringify(k)).join(', ')}`
  }
  return DEFAULT_NAMES[type.name] ?? type.name
}

/**
 * Map io-ts validation errors to issues, one per failing place, union alternatives merged.
 *
 * @category errors
 * @since 0.1.0
 */
export const issuesFromErrors = (errors: t.Errors): ReadonlyArray<Issue> => {
  const byPath = new Map<string, { expected: Array<string>; actual: unknown }>()
  for (const error of errors) {
    const last = error.context[error.context.length - 1]
    if (last === undefined) continue
    const path = pathOf(error.context)
    const expected = error.message ?? describe(last.type, error.value)
    const seen = byPath.get(path)
    if (seen === undefined) byPath.set(path, { expected: [expected], actual: error.value })
    else if (!seen.expected.includes(expected)) seen.expected.push(expected)
  }
  // A union whose object branch failed deeper has both `p: a string` and `p.x: ...`; keep the deepest. The paths
  // that have a deeper one, collected once: comparing every pair took seconds for an object of 16,000 unknown keys.
  const parents = new Set<string>()
  for (const p of byPath.keys()) {
    if (p !== '') parents.add('')
    for (let i = 1; i < p.length; i++) if (p[i] === '.' || p[i] === '[') parents.add(p.slice(0, i))
  }
  const out: Array<Issue> = []
  for (const [path, { expected, actual }] of byPath) {
    if (parents.has(path) && expected.length > 0 && actual !== null && typeof actual === 'object') continue
    out.push({ path, expected: expected.join(' or '), actual })
  }
  return out
}
