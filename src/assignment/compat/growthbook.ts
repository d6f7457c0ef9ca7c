/**
 * GrowthBook compatibility: import GrowthBook experiment objects (the `Experiment` that the JavaScript SDK's
 * `run()` takes) into an `Assigner` whose decisions equal `@growthbook/growthbook` 1.8.0's for every unit:
 * same variation, same units enrolled, bit for bit, including ids with non-ASCII characters, emoji and lone
 * surrogates.
 *
 * How each part of GrowthBook's `runExperiment` is expressed with touchpoint's model:
 *
 * - hash v2 (`fnv1a32(String(fnv1a32(seed + id))) % 10000`) and v1 (`fnv1a32(id + seed) % 1000`) are the split's
 *   `Hashing`, named `gb2/<seed>` and `gb1/<seed>`; the seed's FNV state is precomputed for v2.
 * - GrowthBook's float ranges (`getBucketRanges`: coverage folded in, `[start, end)`, equal weights when the
 *   weights are missing, of the wrong length or do not sum to 0.99..1.01, coverage clamped to [0, 1]; or the
 *   explicit `ranges`) are computed with GrowthBook's own float arithmetic, then turned into the exact integer
 *   bucket intervals they select (`b / size` is the very float GrowthBook compares), so `variantAt` compares
 *   integers. A bucket no range owns is -1, reported as `coverage`.
 * - `namespace` (`[id, start, end]`, hash v1 of `"__" + id`) and each of `filters` are `Gate`s with reason
 *   `layer`; filters hash their own attribute (default `id`, hash version default 2) and exclude units lacking it.
 * - GrowthBook skips a unit whose hash attribute is falsy: `0` (and `-0`) is hashed by touchpoint as `"0"`, so a
 *   targeting condition `notIn [0]` on that attribute keeps those units out, as GrowthBook does.
 * - `condition` (GrowthBook's MongoDB-like targeting) is translated to touchpoint `Condition`s where the two agree
 *   for every unit; anything else is refused with the path and the reason.
 *
 * - `force` (an integer) sends every unit the ranges enroll to that variation; present but `undefined` or out of
 *   range, it enrolls nobody, as GrowthBook's `"force" in experiment` does.
 * - An optional field present with the value `undefined` (objects built from optional properties) is read as
 *   GrowthBook reads it: as absent, except `force`; `coverage: null` is a coverage of 0, as in GrowthBook.
 * - `Enrolled.bucket` is GrowthBook's `result.bucket` (`hash()`, a float in [0, 1)).
 *
 * Fields that change who gets what and cannot be reproduced (`include`, `url`, `urlPatterns`, `parentConditions`,
 * `groups`, `fallbackAttribute`, `minBucketVersion`, `contextualBandit`) are refused, never dropped, unless falsy
 * (GrowthBook ignores them then).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { array, boolean, NonEmptyString, NonNegativeInteger, number, object, oneOf, pair, refine, string } from '../../core/codecs'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { issuesFromErrors } from '../../core/report'
import { makeAssigner } from '../decode'
import type { Assigner, Condition, Experiment, Gate, Hashing, Split, Status } from '../model'
import { importedValues } from '../values'
import { FNV_OFFSET, fnv1a16, fnv1aDecimal } from './fnv'

// ---------------------------------------------------------------------------------------------------------------
// codecs
// ---------------------------------------------------------------------------------------------------------------

/** A codec built on io-ts's `Type` alone (see core/codecs.ts: module-level io-ts combinators bloat edge bundles). */
const codec = <A>(name: string, is: (u: unknown) => u is A, validate: (u: unknown, c: t.Context) => t.Validation<A>) =>
  new t.Type<A, A, unknown>(name, is, validate, t.identity)

/**
 * An optional field: GrowthBook reads `undefined` (a field present with that value, as objects built from
 * optional properties have) and `null` as absent (`seed || key`, `filters ? ... : ...`).
 */
const orNull = <A>(base: t.Type<A, A, unknown>) => {
  const name = `${base.name} or null`
  return /* @__PURE__ */ codec<A | null | undefined>(name, (u): u is A | null | undefined => u === null || u === undefined || base.is(u), (u, c) => {
    if (u === null || u === undefined) return t.success(u)
    const r = base.validate(u, c)
    // A failure deeper inside (an array element) is more precise; one right here names both options.
    return r._tag === 'Left' && r.left.every((e) => e.context.length === c.length) ? t.failure(u, c, name) : r
  })
}

type Falsy = undefined | null | false | 0 | ''

/** `undefined`, `null`, `false`, `0`, `-0`, `NaN` or `''`: what GrowthBook's truthiness checks read as absent. */
const isFalsy = (u: unknown): u is Falsy => !u

/**
 * A field the importer refuses unless falsy (GrowthBook tests these fields for truthiness, so a falsy value
 * is as good as none): `reason` says why, in the words of the error.
 */
const refused = (reason: string) => /* @__PURE__ */ codec<Falsy>(reason, isFalsy, (u, c) => (isFalsy(u) ? t.success(u) : t.failure(u, c, reason)))

const FORCE = 'an integer variation index, or undefined (GrowthBook reports a non-integer or null force as the variation itself)'
const isForce = (u: unknown): u is number | undefined => u === undefined || Number.isInteger(u)

/** GrowthBook tests `"force" in experiment`: present, even undefined, it decides for every unit it enrolls. */
const Force = /* @__PURE__ */ codec<number | undefined>(FORCE, isForce, (u, c) => (isForce(u) ? t.success(u) : t.failure(u, c, FORCE)))

const isPlainObject = (u: unknown): u is Readonly<Record<string, unknown>> => u !== null && typeof u === 'object' && !Array.isArray(u)

const anyObject = /* @__PURE__ */ codec('an object', isPlainObject, (u, c) => (isPlainObject(u) ? t.success(u) : t.failure(u, c, 'an object')))

/**
 * `[start, end)` as GrowthBook's `VariationRange`: a pair of numbers.
 *
 * @category codecs
 * @since 0.1.0
 */
export const GrowthBookRange = /* @__PURE__ */ pair(number, number, 'a [start, end] pair of numbers')

/**
 * One of GrowthBook's `filters` (namespaces v2, mutually exclusive layers, holdouts).
 *
 * @category codecs
 * @since 0.1.0
 */
export const GrowthBookFilter = /* @__PURE__ */ object(
  'filter',
  { seed: string, ranges: /* @__PURE__ */ array(GrowthBookRange) },
  { attribute: /* @__PURE__ */ orNull(string), hashVersion: /* @__PURE__ */ orNull(number) },
)
/** @category codecs @since 0.1.0 */
export type GrowthBookFilter = t.TypeOf<typeof GrowthBookFilter>

const NAMESPACE = 'a [id, start, end] namespace (a string and two numbers)'

const isNamespace = (u: unknown): u is readonly [string, number, number] =>
  Array.isArray(u) && u.length === 3 && typeof u[0] === 'string' && typeof u[1] === 'number' && typeof u[2] === 'number'

/**
 * GrowthBook's legacy namespace: `[id, start, end]`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const GrowthBookNamespace = /* @__PURE__ */ codec<readonly [string, number, number]>(NAMESPACE, isNamespace, (u, c) =>
  isNamespace(u) ? t.success(u) : t.failure(u, c, NAMESPACE),
)

/** @category codecs @since 0.1.0 */
export const GrowthBookVariationMeta = /* @__PURE__ */ object('variation meta', {}, { key: /* @__PURE__ */ orNull(string), name: /* @__PURE__ */ orNull(string), passthrough: /* @__PURE__ */ orNull(boolean) })

const Variations = /* @__PURE__ */ refine(
  /* @__PURE__ */ codec<ReadonlyArray<unknown>>('an array', (u): u is ReadonlyArray<unknown> => Array.isArray(u), (u, c) => (Array.isArray(u) ? t.success(u) : t.failure(u, c, 'an array'))),
  (a) => a.length >= 2,
  'an array of at least 2 variations (GrowthBook enrolls nobody in an experiment with fewer)',
)

/**
 * A GrowthBook experiment, as the JavaScript SDK's `Experiment` type (1.8.0) describes it. Fields that change
 * who gets what and cannot be reproduced are refused with the reason.
 *
 * @category codecs
 * @since 0.1.0
 */
export const GrowthBookExperiment = /* @__PURE__ */ object(
  'GrowthBook experiment',
  { key: NonEmptyString, variations: Variations },
  {
    weights: /* @__PURE__ */ orNull(/* @__PURE__ */ array(number)),
    // GrowthBook: `coverage === undefined ? 1 : coverage`, so null is a coverage of 0 (null * weight).
    coverage: /* @__PURE__ */ orNull(number),
    seed: /* @__PURE__ */ orNull(string),
    hashVersion: /* @__PURE__ */ orNull(number),
    hashAttribute: /* @__PURE__ */ orNull(string),
    namespace: /* @__PURE__ */ orNull(GrowthBookNamespace),
    filters: /* @__PURE__ */ orNull(/* @__PURE__ */ array(GrowthBookFilter)),
    ranges: /* @__PURE__ */ orNull(/* @__PURE__ */ array(GrowthBookRange)),
    meta: /* @__PURE__ */ orNull(/* @__PURE__ */ array(GrowthBookVariationMeta)),
    condition: /* @__PURE__ */ orNull(anyObject),
    status: /* @__PURE__ */ orNull(/* @__PURE__ */ oneOf(['draft', 'running', 'stopped'])),
    active: /* @__PURE__ */ orNull(boolean),
    bucketVersion: /* @__PURE__ */ orNull(NonNegativeInteger),
    disableStickyBucketing: /* @__PURE__ */ orNull(boolean),
    persistQueryString: /* @__PURE__ */ orNull(boolean),
    name: /* @__PURE__ */ orNull(string),
    phase: /* @__PURE__ */ orNull(string),
    include: /* @__PURE__ */ refused('no include function (touchpoint imports data; a function cannot be reproduced)'),
    url: /* @__PURE__ */ refused('no url (URL targeting needs the page URL, which assign does not take: filter by URL before assigning)'),
    urlPatterns: /* @__PURE__ */ refused('no urlPatterns (URL targeting needs the page URL, which assign does not take: filter by URL before assigning)'),
    parentConditions: /* @__PURE__ */ refused('no parentConditions (prerequisites evaluate other GrowthBook features, which are not imported)'),
    groups: /* @__PURE__ */ refused("no groups (they are matched against the SDK context's groups, which touchpoint units do not carry)"),
    force: Force,
    fallbackAttribute: /* @__PURE__ */ refused('no fallbackAttribute (it acts only with GrowthBook sticky bucketing, which is not reproduced)'),
    minBucketVersion: /* @__PURE__ */ refused('no minBucketVersion (it acts only with GrowthBook sticky bucketing, which is not reproduced)'),
    contextualBandit: /* @__PURE__ */ refused('no contextualBandit (bandit weights are decided by GrowthBook at run time)'),
  },
)
/** @category codecs @since 0.1.0 */
export type GrowthBookExperiment = t.TypeOf<typeof GrowthBookExperiment>

const EXPERIMENTS = 'an array of GrowthBook experiments'
const experimentArray = /* @__PURE__ */ array(GrowthBookExperiment, EXPERIMENTS)

/** @category codecs @since 0.1.0 */
export const GrowthBookExperiments = /* @__PURE__ */ codec<ReadonlyArray<GrowthBookExperiment>>(EXPERIMENTS, (u): u is ReadonlyArray<GrowthBookExperiment> => experimentArray.is(u), (u, c) =>
  Array.isArray(u) ? experimentArray.validate(u, c) : t.failure(u, c, EXPERIMENTS),
)

// ---------------------------------------------------------------------------------------------------------------
// hashing and ranges
// ---------------------------------------------------------------------------------------------------------------

/** GrowthBook's hash versions, as touchpoint names them in results and exposures. */
const HASH_VERSION_NAMES = { 1: 'growthbook-v1', 2: 'growthbook-v2' } as const

type HashVersion = 1 | 2

const V1_BUCKETS = 1000
const V2_BUCKETS = 10_000

// GrowthBook's hash() divides the integer by the size: the same double, so result.bucket compares equal.
const reportedV2 = (bucket: number) => bucket / V2_BUCKETS
const reportedV1 = (bucket: number) => bucket / V1_BUCKETS

/**
 * GrowthBook's hash of `value` under `seed` as an integer bucket: v2 in [0, 9999], v1 in [0, 999]. GrowthBook's
 * `hash()` is this bucket divided by the size.
 *
 * @internal
 */
export const growthBookHashing = (version: HashVersion, seed: string): Hashing => {
  if (version === 2) {
    const state = fnv1a16(FNV_OFFSET, seed)
    return {
      seed: `gb2/${seed}`,
      size: V2_BUCKETS,
      bucket: (unitId) => fnv1aDecimal(fnv1a16(state, unitId) >>> 0) % V2_BUCKETS,
      reported: reportedV2,
    }
  }
  // v1 hashes id + seed: the constant comes last, so the id is hashed first and the seed's units after it.
  return {
    seed: `gb1/${seed}`,
    size: V1_BUCKETS,
    bucket: (unitId) => (fnv1a16(fnv1a16(FNV_OFFSET, unitId), seed) >>> 0) % V1_BUCKETS,
    reported: reportedV1,
  }
}

/** GrowthBook's `getBucketRanges` (util.ts), float for float; a null coverage multiplies as 0. @internal */
export const growthBookRanges = (
  numVariations: number,
  coverage: number | null | undefined,
  weights: ReadonlyArray<number> | undefined,
): ReadonlyArray<readonly [number, number]> => {
  let c = coverage === undefined ? 1 : coverage === null ? 0 : coverage
  if (c < 0) c = 0
  else if (c > 1) c = 1
  const equal = numVariations <= 0 ? [] : new Array<number>(numVariations).fill(1 / numVariations)
  let w = weights ?? equal
  if (w.length !== numVariations) w = equal
  const total = w.reduce((sum, x) => sum + x, 0)
  if (total < 0.99 || total > 1.01) w = equal
  let cumulative = 0
  return w.map((x) => {
    const start = cumulative
    cumulative += x
    return [start, start + c * x] as const
  })
}

/** The first bucket in [0, size] whose float `b / size` satisfies a predicate that, once true, stays true. */
const firstBucket = (size: number, predicate: (n: number) => boolean): number => {
  let lo = 0
  let hi = size
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (predicate(mid / size)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The integer buckets `[from, to)` whose float `b / size` GrowthBook's `inRange` puts in `[start, end)`.
 * Division by `size` is monotone, so `n >= start` and `!(n < end)` each switch from false to true once; a NaN
 * bound gives an empty interval, as GrowthBook's comparisons do.
 */
const bucketSpans = (size: number, ranges: ReadonlyArray<readonly [number, number]>): Int32Array => {
  const spans = new Int32Array(ranges.length * 2)
  ranges.forEach(([start, end], i) => {
    spans[2 * i] = firstBucket(size, (n) => n >= start)
    spans[2 * i + 1] = firstBucket(size, (n) => !(n < end))
  })
  return spans
}

/**
 * GrowthBook's `chooseVariation` over integer buckets; an index past the variations is not enrolled. With
 * `force` (GrowthBook's step 11, after coverage), every bucket a range owns goes to the forced index, or to
 * none when the index is not a variation's (as `force: undefined` does).
 *
 * @internal
 */
export const growthBookSplit = (
  hashing: Hashing,
  ranges: ReadonlyArray<readonly [number, number]>,
  numVariations: number,
  force?: { readonly index: number | undefined },
): Split => {
  const spans = bucketSpans(hashing.size, ranges)
  const n = ranges.length
  const forced = force === undefined ? undefined : force.index !== undefined && force.index >= 0 && force.index < numVariations ? force.index : -1
  return {
    hashing,
    variantAt: (bucket) => {
      for (let i = 0; i < n; i++) {
        if (bucket >= spans[2 * i]! && bucket < spans[2 * i + 1]!) return forced ?? (i < numVariations ? i : -1)
      }
      return -1
    },
  }
}

/** A gate admitting units whose bucket lies in any of the ranges. */
const rangeGate = (
  hashing: Hashing,
  ranges: ReadonlyArray<readonly [number, number]>,
  attribute: string | undefined,
): Gate => {
  const spans = bucketSpans(hashing.size, ranges)
  return {
    reason: 'layer',
    attribute,
    required: true,
    hashing,
    admits: (bucket) => {
      for (let i = 0; i < spans.length; i += 2) if (bucket >= spans[i]! && bucket < spans[i + 1]!) return true
      return false
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// conditions
// ---------------------------------------------------------------------------------------------------------------

type Scalar = string | number | boolean

const isScalar = (u: unknown): u is Scalar => typeof u === 'string' || typeof u === 'number' || typeof u === 'boolean'

/** The values GrowthBook's truthiness calls false and touchpoint units can hold (`-0` is 0 in a Set). */
const FALSY: ReadonlyArray<Scalar> = ['', 0, false, NaN]

const COMPARISONS = { $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' } as const

const key = (path: string, k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}${path === '' ? '' : '.'}${k}` : `${path}[${JSON.stringify(k)}]`)

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
const inheritedName = (name: string) => name in Object.prototype

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

// ---------------------------------------------------------------------------------------------------------------
// experiments
// ---------------------------------------------------------------------------------------------------------------

const hashVersionOf = (raw: number | null | undefined, fallback: HashVersion): HashVersion | undefined => {
  // GrowthBook: `hashVersion || fallback`, then anything but 1 and 2 hashes to null and skips every unit.
  const v = raw === null || raw === undefined || raw === 0 || Number.isNaN(raw) ? fallback : raw
  return v === 1 || v === 2 ? v : undefined
}

const attributeIssue = (name: string, path: string): ReadonlyArray<Issue> =>
  inheritedName(name) ? [issue(path, `an attribute name other than "${name}" (GrowthBook reads it from Object.prototype)`, name)] : []

const variantKeysOf = (x: GrowthBookExperiment): ReadonlyArray<string> =>
  x.variations.map((_, i) => {
    const k = x.meta?.[i]?.key
    return k === undefined || k === null || k === '' ? String(i) : k
  })

const experimentIssues = (x: GrowthBookExperiment, path: string): ReadonlyArray<Issue> => {
  const out: Array<Issue> = []
  if (hashVersionOf(x.hashVersion, 1) === undefined) {
    out.push(issue(`${path}.hashVersion`, '1 or 2 (GrowthBook skips every unit under another hash version)', x.hashVersion))
  }
  out.push(...attributeIssue(x.hashAttribute || 'id', `${path}.hashAttribute`))
  x.filters?.forEach((f, i) => {
    if (hashVersionOf(f.hashVersion, 2) === undefined) {
      out.push(issue(`${path}.filters[${i}].hashVersion`, '1 or 2 (GrowthBook filters out every unit under another hash version)', f.hashVersion))
    }
    out.push(...attributeIssue(f.attribute || 'id', `${path}.filters[${i}].attribute`))
  })
  if (x.meta !== undefined && x.meta !== null && x.meta.length < x.variations.length) {
    out.push(issue(`${path}.meta`, `one entry per variation (${x.variations.length}): GrowthBook fails on a variation without meta`, x.meta))
  }
  const keys = variantKeysOf(x)
  keys.forEach((k, i) => {
    const first = keys.indexOf(k)
    if (first !== i) out.push(issue(`${path}.meta[${i}].key`, `a variation key not already used by variation ${first}`, k))
  })
  if (x.condition !== undefined && x.condition !== null) {
    const translated = translateCondition(x.condition, `${path}.condition`)
    if (E.isLeft(translated)) out.push(...translated.left)
  }
  return out
}

/** The enrolled share of each variation, counted over the bucket space (what the split really does). */
const designedSplitOf = (split: Split, numVariations: number, fallback: ReadonlyArray<number>) => {
  const counts = new Array<number>(numVariations).fill(0)
  const size = split.hashing.size
  let enrolled = 0
  for (let b = 0; b < size; b++) {
    const i = split.variantAt(b)
    if (i >= 0) {
      counts[i]! += 1
      enrolled += 1
    }
  }
  return {
    coverage: enrolled / size,
    weights: enrolled === 0 ? fallback : counts.map((c) => c / enrolled),
  }
}

const hasForce = (x: GrowthBookExperiment): boolean => Object.prototype.hasOwnProperty.call(x, 'force')

// GrowthBook returns a forced variation (step 11) before it checks for a stopped experiment (step 12.5).
const statusOf = (x: GrowthBookExperiment): Status =>
  x.status === 'draft' || x.active === false ? 'draft' : x.status === 'stopped' && !hasForce(x) ? 'stopped' : 'running'

/** Units whose attribute is 0 or -0: touchpoint hashes them as "0", GrowthBook skips them as falsy. */
const notZero = (attribute: string): Condition => ({ _tag: 'notIn', attribute, values: new Set([0]) })

/** The layer an exposure names: the first filter's seed, else the namespace id GrowthBook reads. */
const layerOf = (x: GrowthBookExperiment): string | undefined =>
  x.filters !== undefined && x.filters !== null ? x.filters[0]?.seed : (x.namespace?.[0] ?? undefined)

const toExperiment = (x: GrowthBookExperiment): Experiment => {
  const unit = x.hashAttribute || 'id'
  const version = hashVersionOf(x.hashVersion, 1) ?? 1
  const numVariations = x.variations.length
  const ranges = x.ranges ?? growthBookRanges(numVariations, x.coverage, x.weights ?? undefined)
  const force = hasForce(x) ? { index: x.force } : undefined
  const hashing = growthBookHashing(version, x.seed || x.key)
  // A forced result carries no bucket in GrowthBook (getExperimentResult without one): -1, as for overrides.
  const split = growthBookSplit(force === undefined ? hashing : { ...hashing, reported: () => -1 }, ranges, numVariations, force)
  const guarded = [unit]
  const gates: Array<Gate> = []
  if (x.filters !== undefined && x.filters !== null) {
    for (const f of x.filters) {
      const attribute = f.attribute || 'id'
      if (!guarded.includes(attribute)) guarded.push(attribute)
      gates.push(rangeGate(growthBookHashing(hashVersionOf(f.hashVersion, 2) ?? 2, f.seed), f.ranges, attribute === unit ? undefined : attribute))
    }
  } else if (x.namespace !== undefined && x.namespace !== null) {
    const [id, start, end] = x.namespace
    gates.push(rangeGate(growthBookHashing(1, `__${id}`), [[start, end]], undefined))
  }
  const condition = x.condition === undefined || x.condition === null ? E.right([]) : translateCondition(x.condition, '')
  const equal = new Array<number>(numVariations).fill(1 / numVariations)
  const { coverage, weights } = designedSplitOf(split, numVariations, equal)
  const imported = importedValues(x.variations)
  return {
    key: x.key,
    status: statusOf(x),
    unit,
    variants: variantKeysOf(x),
    values: imported?.values,
    valueType: imported?.valueType,
    weights,
    coverage,
    hashVersion: HASH_VERSION_NAMES[version],
    layer: layerOf(x),
    bucketVersion: x.bucketVersion ?? 0,
    targeting: [...guarded.map(notZero), ...(E.isRight(condition) ? condition.right : [])],
    overrides: new Map(),
    gates,
    split,
  }
}

/**
 * What `fromGrowthBook` does with an experiment it cannot reproduce exactly: `fail` (the default) returns every
 * problem as a `Left`; `skip` leaves such experiments out (their keys then assign `unknown-experiment`) and
 * imports the others, each still exact.
 *
 * @category importers
 * @since 0.1.0
 */
export interface GrowthBookImportOptions {
  readonly onUnsupported?: 'fail' | 'skip'
}

/**
 * An `Assigner` from GrowthBook experiment objects (the `Experiment` of `@growthbook/growthbook`'s `run()`),
 * whose decisions equal GrowthBook's for every unit: `Enrolled` with `variantIndex` = GrowthBook's
 * `variationId` exactly when GrowthBook says `inExperiment`. Variant keys are `meta[i].key`, else `String(i)`,
 * as GrowthBook's `result.key`. `Left` lists every problem, each with its path (`[2].filters[0].hashVersion`),
 * including every field that would change who gets what and cannot be reproduced; with
 * `{ onUnsupported: 'skip' }` those experiments are left out instead (a later duplicate key too).
 *
 * **Gotchas**: the `variations` values are not carried (map the variant key back to your own values); a unit id
 * of `true` or `Infinity` is hashed by GrowthBook (as "true", "Infinity") but is no id for touchpoint; the
 * `condition` translation is exact for attributes of the type each condition compares with (docs/growthbook.md).
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as E from 'fp-ts/Either'
 * const assigner = fromGrowthBook([{ key: 'checkout-button', variations: [0, 1], weights: [0.5, 0.5],
 *   coverage: 0.8, hashVersion: 2, hashAttribute: 'userId', meta: [{ key: 'control' }, { key: 'green' }] }])
 * // => right(Assigner)
 * pipe(assigner, E.map(assignTo('checkout-button', { userId: 'u-123' })))
 * // => right({ _tag: 'Enrolled', experiment: 'checkout-button', variant: 'control', variantIndex: 0,
 * //            bucket: 0.2258, hashVersion: 'growthbook-v2', unit: 'userId', unitId: 'u-123', ... })
 * //    as new GrowthBook({ attributes: { userId: 'u-123' } }).run(experiment): variationId 0, bucket 0.2258
 * fromGrowthBook([{ key: 'x', variations: [0, 1], urlPatterns: [{ type: 'simple', include: true, pattern: '/' }] }])
 * // => left({ _tag: 'InvalidInput', issues: [{ path: '[0].urlPatterns',
 * //          expected: 'no urlPatterns (URL targeting needs the page URL, ...)', actual: [...] }] })
 *
 * @category importers
 * @since 0.1.0
 */
export const fromGrowthBook = (experiments: unknown, options: GrowthBookImportOptions = {}): E.Either<TouchpointError, Assigner> => {
  if (!Array.isArray(experiments)) return E.left(invalidInput([issue('', EXPERIMENTS, experiments)]))
  // Plain JavaScript may pass null (the default covers only undefined): named, never read through.
  if (typeof options !== 'object' || options === null || (options.onUnsupported !== undefined && options.onUnsupported !== 'fail' && options.onUnsupported !== 'skip')) {
    return E.left(invalidInput([issue('options', "{ onUnsupported?: 'fail' | 'skip' }", options)]))
  }
  const root: t.Context = [{ key: '', type: GrowthBookExperiments, actual: experiments }]
  const kept: Array<GrowthBookExperiment> = []
  const firstIndex = new Map<string, number>()
  const issues: Array<Issue> = []
  experiments.forEach((raw: unknown, i) => {
    const path = `[${i}]`
    const decoded = GrowthBookExperiment.validate(raw, t.appendContext(root, String(i), GrowthBookExperiment, raw))
    if (E.isLeft(decoded)) {
      issues.push(...issuesFromErrors(decoded.left))
      return
    }
    const x = decoded.right
    const own = [...experimentIssues(x, path)]
    // GrowthBook looks the key up with `key in forcedVariations`, a plain object: "constructor" is "forced".
    if (inheritedName(x.key)) own.push(issue(`${path}.key`, `a key other than "${x.key}" (GrowthBook finds it on Object.prototype among forced variations)`, x.key))
    const first = firstIndex.get(x.key)
    if (first !== undefined) own.push(issue(`${path}.key`, `an experiment key not already used by [${first}]`, x.key))
    else firstIndex.set(x.key, i)
    if (own.length > 0) issues.push(...own)
    else kept.push(x)
  })
  return issues.length > 0 && (options.onUnsupported ?? 'fail') === 'fail'
    ? E.left(invalidInput(issues))
    : E.right(makeAssigner(kept.map(toExperiment)))
}
