/**
 * Optimizely audiences: the SDK's three-valued condition trees compiled to touchpoint targeting conditions where
 * they can be expressed exactly (`translateAudiences`), else the reason they cannot.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { Condition } from '../model'
import { OPTIMIZELY_UNIT } from './optimizelyHash'

// ---------------------------------------------------------------------------------------------------------------
// Audiences: Optimizely's three-valued condition trees, compiled to touchpoint's AND-list where exact.

/** Past this magnitude the SDK treats numbers as invalid (`isSafeInteger` in utils/fns: |n| <= 2^53). */
const SAFE = 2 ** 53

type Compiled = { readonly _tag: 'never' } | { readonly _tag: 'all'; readonly conditions: ReadonlyArray<Condition> } | { readonly _tag: 'unsupported'; readonly reason: string }

const NEVER: Compiled = { _tag: 'never' }
const all = (conditions: ReadonlyArray<Condition>): Compiled => ({ _tag: 'all', conditions })
export const unsupported = (reason: string): Compiled => ({ _tag: 'unsupported', reason })

/** When a node is true (`whenTrue`) and when it is false (`whenFalse`); null (unknown) is neither. */
export interface Truth {
  readonly whenTrue: Compiled
  readonly whenFalse: Compiled
}

const NULL_LEAF: Truth = { whenTrue: NEVER, whenFalse: NEVER }

const conjunction = (parts: ReadonlyArray<Compiled>): Compiled => {
  if (parts.some((p) => p._tag === 'never')) return NEVER
  const bad = parts.find((p) => p._tag === 'unsupported')
  if (bad !== undefined) return bad
  return all(parts.flatMap((p) => (p._tag === 'all' ? p.conditions : [])))
}

/** A value set for `in` from a one-condition conjunction of equality, if it is one. */
const equalitySet = (p: Compiled): { readonly attribute: string; readonly values: ReadonlyArray<string | number | boolean> } | undefined => {
  if (p._tag !== 'all' || p.conditions.length !== 1) return undefined
  const c = p.conditions[0]!
  if (c._tag === 'equals') return { attribute: c.attribute, values: [c.value] }
  if (c._tag === 'in') return { attribute: c.attribute, values: [...c.values] }
  return undefined
}

const disjunction = (parts: ReadonlyArray<Compiled>): Compiled => {
  const live = parts.filter((p) => p._tag !== 'never')
  if (live.some((p) => p._tag === 'all' && p.conditions.length === 0)) return all([])
  const bad = live.find((p) => p._tag === 'unsupported')
  if (bad !== undefined) return bad
  if (live.length === 0) return NEVER
  if (live.length === 1) return live[0]!
  // Exact matches on one attribute, OR-ed: one `in` condition (exact is strict equality, as Set.has is here).
  const sets = live.map(equalitySet)
  const attribute = sets[0]?.attribute
  if (attribute !== undefined && sets.every((s) => s !== undefined && s.attribute === attribute)) {
    return all([{ _tag: 'in', attribute, values: new Set(sets.flatMap((s) => s!.values)) }])
  }
  return unsupported('an "or" of conditions other than exact matches on one attribute')
}

const OPERATORS = ['and', 'or', 'not']

/** `condition_tree_evaluator.evaluate`, quirks included: a list not led by a string operator drops its head. */
export const compileTree = (node: unknown, leaf: (x: unknown) => Truth): Truth => {
  if (!Array.isArray(node)) return leaf(node)
  const first: unknown = node[0]
  const implicitOr = typeof first === 'string' && !OPERATORS.includes(first)
  const rest: ReadonlyArray<unknown> = implicitOr ? node : node.slice(1)
  const op = implicitOr ? 'or' : first
  const children = rest.map((c) => compileTree(c, leaf))
  switch (op) {
    case 'and':
      return { whenTrue: conjunction(children.map((c) => c.whenTrue)), whenFalse: disjunction(children.map((c) => c.whenFalse)) }
    case 'not':
      return children.length === 0 ? NULL_LEAF : { whenTrue: children[0]!.whenFalse, whenFalse: children[0]!.whenTrue }
    default:
      return { whenTrue: disjunction(children.map((c) => c.whenTrue)), whenFalse: conjunction(children.map((c) => c.whenFalse)) }
  }
}

const MATCH_TYPES = ['exact', 'exists', 'gt', 'ge', 'lt', 'le', 'substring', 'semver_eq', 'semver_lt', 'semver_le', 'semver_gt', 'semver_ge']

const isSafeNumber = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= SAFE

/** One `custom_attribute` leaf, as `custom_attribute_condition_evaluator.evaluate` treats it. */
export const compileLeaf = (leaf: unknown): Truth => {
  if (leaf === null) return { whenTrue: unsupported('a null condition (the SDK throws on it)'), whenFalse: unsupported('a null condition') }
  if (typeof leaf !== 'object' || Array.isArray(leaf)) return NULL_LEAF
  const c = leaf as Readonly<Record<string, unknown>>
  const type = c['type']
  if (type === 'third_party_dimension') return { whenTrue: unsupported('ODP segment conditions (third_party_dimension)'), whenFalse: unsupported('ODP segment conditions') }
  if (type !== 'custom_attribute') return NULL_LEAF
  const match = c['match']
  if (match !== undefined && !MATCH_TYPES.includes(match as string)) return NULL_LEAF
  const name = c['name']
  if (typeof name !== 'string') return { whenTrue: unsupported('a condition without a string "name"'), whenFalse: unsupported('a condition without a string "name"') }
  if (name === OPTIMIZELY_UNIT) {
    const why = `a condition on an attribute named "${OPTIMIZELY_UNIT}" (touchpoint's unit holds the user id under that name)`
    return { whenTrue: unsupported(why), whenFalse: unsupported(why) }
  }
  const value = c['value']
  const no = (what: string): Truth => ({ whenTrue: unsupported(what), whenFalse: unsupported(what) })
  switch (match) {
    case undefined:
    case 'exact': {
      if (!(typeof value === 'string' || typeof value === 'boolean' || isSafeNumber(value))) return NULL_LEAF
      return {
        whenTrue: all([{ _tag: 'equals', attribute: name, value }]),
        whenFalse:
          typeof value === 'boolean'
            ? all([{ _tag: 'equals', attribute: name, value: !value }])
            : unsupported(`the negation of an exact match on "${name}" (false only for a value of the same type)`),
      }
    }
    case 'exists':
      // The SDK reads `attributes[name]` through the prototype chain: "toString" always exists there.
      if (name in Object.prototype) return no(`"exists" on "${name}", an Object.prototype property name`)
      return { whenTrue: all([{ _tag: 'notIn', attribute: name, values: new Set() }]), whenFalse: unsupported(`the negation of "exists" on "${name}"`) }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (!isSafeNumber(value)) return NULL_LEAF
      const range = (bounds: { gte?: number; gt?: number; lte?: number; lt?: number }): Compiled => all([{ _tag: 'range', attribute: name, ...bounds }])
      // Both sides hold only for numbers within ±2^53, as the SDK checks the user's value.
      if (match === 'gt') return { whenTrue: range({ gt: value, lte: SAFE }), whenFalse: range({ gte: -SAFE, lte: value }) }
      if (match === 'ge') return { whenTrue: range({ gte: value, lte: SAFE }), whenFalse: range({ gte: -SAFE, lt: value }) }
      if (match === 'lt') return { whenTrue: range({ gte: -SAFE, lt: value }), whenFalse: range({ gte: value, lte: SAFE }) }
      return { whenTrue: range({ gte: -SAFE, lte: value }), whenFalse: range({ gt: value, lte: SAFE }) }
    }
    default:
      return no(`the "${String(match)}" match type`)
  }
}

/** Condition that no unit meets: the experiment's audiences can never be true. */
const nobody: Condition = { _tag: 'in', attribute: OPTIMIZELY_UNIT, values: new Set() }

/** The SDK rejects the user id "undefined" (validateInputs); touchpoint keeps such a unit out by targeting. */
export const validUserId: Condition = { _tag: 'notIn', attribute: OPTIMIZELY_UNIT, values: new Set(['undefined']) }

/** An experiment's audiences as touchpoint conditions, or why they cannot be expressed exactly. */
export const translateAudiences = (
  audienceConditions: unknown,
  audiences: ReadonlyMap<string, Truth>,
): E.Either<string, ReadonlyArray<Condition>> => {
  const given = audienceConditions as { readonly length?: unknown } | null | undefined
  if (!given || given.length === 0) return E.right([])
  const truth = compileTree(audienceConditions, (id) =>
    typeof id === 'string' || typeof id === 'number' ? (audiences.get(String(id)) ?? NULL_LEAF) : NULL_LEAF,
  )
  const whenTrue = truth.whenTrue
  return whenTrue._tag === 'unsupported' ? E.left(whenTrue.reason) : E.right(whenTrue._tag === 'never' ? [nobody] : whenTrue.conditions)
}
