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
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { issuesFromErrors } from '../../core/report'
import { makeAssigner } from '../decode'
import type { Assigner, Condition, Experiment, Gate, Split, Status } from '../model'
import { importedValues } from '../values'
import { EXPERIMENTS, GrowthBookExperiment, GrowthBookExperiments } from './growthbookCodecs'
import { growthBookHashing, growthBookRanges, growthBookSplit, HASH_VERSION_NAMES, type HashVersion, rangeGate } from './growthbookHashing'
import { inheritedName, translateCondition } from './growthbookConditions'
export { GrowthBookExperiment, GrowthBookExperiments, GrowthBookFilter, GrowthBookNamespace, GrowthBookRange, GrowthBookVariationMeta } from './growthbookCodecs'
/** @internal */
export { growthBookHashing, growthBookRanges, growthBookSplit } from './growthbookHashing'
/** @internal */
export { translateCondition } from './growthbookConditions'

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
