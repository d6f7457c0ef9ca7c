/**
 * The GrowthBook experiment codecs: what `run()` reads, with the fields touchpoint cannot reproduce refused unless
 * falsy. Split from growthbook.ts.
 *
 * @module
 */
import * as t from 'io-ts'
import { array, boolean, NonEmptyString, NonNegativeInteger, number, object, oneOf, pair, refine, string } from '../../core/codecs'

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

export const EXPERIMENTS = 'an array of GrowthBook experiments'
const experimentArray = /* @__PURE__ */ array(GrowthBookExperiment, EXPERIMENTS)

/** @category codecs @since 0.1.0 */
export const GrowthBookExperiments = /* @__PURE__ */ codec<ReadonlyArray<GrowthBookExperiment>>(EXPERIMENTS, (u): u is ReadonlyArray<GrowthBookExperiment> => experimentArray.is(u), (u, c) =>
  Array.isArray(u) ? experimentArray.validate(u, c) : t.failure(u, c, EXPERIMENTS),
)
