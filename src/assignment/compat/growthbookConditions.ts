/**
 * GrowthBook targeting (its MongoDB-like `condition`) translated to touchpoint `Condition`s where the two agree for
 * every unit, else issues naming the path and the reason.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { issue, type Issue } from '../../core/errors'
import type { Condition } from '../model'

// ---------------------------------------------------------------------------------------------------------------
// conditions
// ---------------------------------------------------------------------------------------------------------------

type Scalar = string | number | boolean

const isScalar = (u: unknown): u is Scalar => typeof u === 'string' || typeof u === 'number' || typeof u === 'boolean'

/** The values GrowthBook's truthiness calls false and touchpoint units can hold (`-0` is 0 in a Set). */
const FALSY: ReadonlyArray<Scalar> = ['', 0, false, NaN]

const COMPARISONS = { $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' } as const

export const key = (path: string, k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}${path === '' ? '' : '.'}${k}` : `${path}[${JSON.stringify(k)}]`)

interface Translation {
  readonly conditions: Array<Condition>
  readonly issues: Array<Issue>
}

const isOperatorObject = (v: object): boolean => {
  const keys = Object.keys(v)
  return keys.length > 0 && keys.every((k) => k.startsWith('$'))
}

/** `{ attr: "v" }`: GrowthBook compares `value + ""`, so the number and boolean written `v` match too. */
const stringEquality = (attribute: string, v: string, path: string, out: Translation) => {
  if (v === 'null' || v === 'undefined') {
    out.issues.push(issue(path, `another string: GrowthBook compares \`value + ""\`, so "${v}" matches units without "${attribute}", which touchpoint conditions never match`, v))
    return
  }
  const values = new Set<Scalar>([v])
  const n = Number(v)
  if (String(n) === v) values.add(n)
  if (v === 'true') values.add(true)
  if (v === 'false') values.add(false)
  out.conditions.push(values.size === 1 ? { _tag: 'equals', attribute, value: v } : { _tag: 'in', attribute, values })
}

const operatorConditions = (attribute: string, ops: Record<string, unknown>, path: string, out: Translation) => {
  const range: { gt?: number; gte?: number; lt?: number; lte?: number } = {}
  let onlyComparisons = true
  for (const [op, expected] of Object.entries(ops)) {
    const at = key(path, op)
    if (op in COMPARISONS) {
      if (typeof expected !== 'number' || !Number.isFinite(expected)) {
        out.issues.push(issue(at, 'a finite number (comparisons of strings, such as dates or versions, are not supported)', expected))
      } else {
        range[COMPARISONS[op as keyof typeof COMPARISONS]] = expected
      }
      continue
    }
    onlyComparisons = false
    switch (op) {
      case '$eq':
        if (isScalar(expected)) out.conditions.push({ _tag: 'equals', attribute, value: expected })
        else out.issues.push(issue(at, 'a string, number or boolean (GrowthBook matches a missing attribute with null; arrays and objects never match)', expected))
        break
      case '$in':
      case '$nin': {
        if (!Array.isArray(expected)) {
          out.issues.push(issue(at, 'an array of values', expected))
          break
        }
        const bad = expected.findIndex((x) => !isScalar(x) && !(op === '$nin' && x === null))
        if (bad >= 0) {
          const why = expected[bad] === null ? 'null matches units without the attribute, which touchpoint conditions never match' : 'touchpoint units carry no arrays or objects'
          out.issues.push(issue(`${at}[${bad}]`, `a string, number or boolean (${why})`, expected[bad]))
          break
        }
        const values = new Set<Scalar>(expected.filter(isScalar))
        if (op === '$in') {
          out.conditions.push({ _tag: 'in', attribute, values })
        } else if (expected.includes(null)) {
          out.conditions.push({ _tag: 'notIn', attribute, values })
        } else {
          out.issues.push(
            issue(
              at,
              `a list that also contains null: GrowthBook's $nin admits units without "${attribute}", touchpoint's notIn does not (with null in the list both exclude them)`,
              expected,
            ),
          )
        }
        break
      }
      default:
        out.issues.push(issue(at, 'one of the operators $eq, $in, $nin, $gt, $gte, $lt, $lte (others are not supported)', expected))
    }
  }
  if (Object.keys(range).length === 0) return
  // GrowthBook compares a missing attribute as null, which `<` and `>` coerce to 0.
  const zeroPasses =
    (range.gt === undefined || 0 > range.gt) &&
    (range.gte === undefined || 0 >= range.gte) &&
    (range.lt === undefined || 0 < range.lt) &&
    (range.lte === undefined || 0 <= range.lte)
  if (onlyComparisons && zeroPasses) {
    out.issues.push(issue(path, `bounds that exclude 0: GrowthBook compares a missing "${attribute}" as 0, so this admits units without it, which touchpoint's range does not`, ops))
    return
  }
  out.conditions.push({ _tag: 'range', attribute, ...range })
}

const valueConditions = (attribute: string, v: unknown, path: string, out: Translation) => {
  if (typeof v === 'string') return stringEquality(attribute, v, path, out)
  if (typeof v === 'number') {
    if (v === 0 || !Number.isFinite(v)) {
      out.issues.push(issue(path, `a non-zero finite number: GrowthBook compares \`value * 1\`, so 0 matches units without "${attribute}" (null * 1 is 0)`, v))
      return
    }
    out.conditions.push(v === 1 ? { _tag: 'in', attribute, values: new Set<Scalar>([1, true]) } : { _tag: 'equals', attribute, value: v })
    return
  }
  if (typeof v === 'boolean') {
    // GrowthBook: value !== null && !!value === v.
    out.conditions.push({ _tag: v ? 'notIn' : 'in', attribute, values: new Set(FALSY) })
    return
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && isOperatorObject(v)) {
    return operatorConditions(attribute, v as Record<string, unknown>, path, out)
  }
  out.issues.push(
    issue(path, v === null ? 'a value other than null (null matches units without the attribute, which touchpoint conditions never match)' : 'a string, number, boolean or operator object ($eq, $in, $nin, $gt, $gte, $lt, $lte)', v),
  )
}

/** Attribute names GrowthBook would read from `Object.prototype` (its attributes are plain objects). */
export const inheritedName = (name: string) => name in Object.prototype

const conditionsOf = (condition: Readonly<Record<string, unknown>>, path: string, out: Translation) => {
  for (const [k, v] of Object.entries(condition)) {
    const at = key(path, k)
    if (k === '$and') {
      if (!Array.isArray(v)) out.issues.push(issue(at, 'an array of conditions', v))
      else
        v.forEach((c, i) => {
          if (c === null || typeof c !== 'object' || Array.isArray(c)) out.issues.push(issue(`${at}[${i}]`, 'a condition object', c))
          else conditionsOf(c as Record<string, unknown>, `${at}[${i}]`, out)
        })
    } else if (k.startsWith('$')) {
      out.issues.push(issue(at, 'an attribute name or $and (the operators $or, $nor, $not and $savedGroup are not supported)', v))
    } else if (k.includes('.')) {
      out.issues.push(issue(at, 'an attribute name without "." (GrowthBook reads it as a path into nested objects; touchpoint units are flat)', v))
    } else if (inheritedName(k)) {
      out.issues.push(issue(at, `an attribute name other than "${k}" (GrowthBook reads it from Object.prototype)`, v))
    } else {
      valueConditions(k, v, at, out)
    }
  }
}

/**
 * GrowthBook's `condition` as touchpoint conditions, exact for every unit whose attributes have the type the
 * condition compares with (see docs/growthbook.md for what GrowthBook's coercions do on other types).
 *
 * @internal
 */
export const translateCondition = (
  condition: Readonly<Record<string, unknown>>,
  path: string,
): E.Either<ReadonlyArray<Issue>, ReadonlyArray<Condition>> => {
  const out: Translation = { conditions: [], issues: [] }
  conditionsOf(condition, path, out)
  return out.issues.length > 0 ? E.left(out.issues) : E.right(out.conditions)
}
