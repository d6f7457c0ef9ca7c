/**
 * io-ts codecs for the statistics inputs, and the cross-field rules io-ts cannot express (conversions ≤ units, a
 * variance that is not negative). Every public function of `touchpoint/stats` runs its input through here, so a
 * zero, a NaN or an Infinity comes back as a `Left` naming the field, never as NaN in a result.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { FiniteNumber, object, refine } from '../core/codecs'
import { insufficientData, invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { issuesFromErrors } from '../core/report'
import type { Alternative, Arm, BinomialArm, ContinuousArm, MetricKind, RatioArm, TwoArms } from './model'
import { ALTERNATIVE, fields, optionIssues } from './internal/options'

const NonNegative = refine(t.number, (n) => Number.isFinite(n) && n >= 0, 'a finite number ≥ 0')

// Counts are exact integers in a double only up to 2^53 − 1; beyond it 2^53 + 1 units would silently be 2^53.
const NonNegativeInteger = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number ≥ 0 (at most 2^53 − 1)')

/** @category codecs @since 0.1.0 */
export const BinomialArmCodec = object('BinomialArm', { units: NonNegativeInteger, conversions: NonNegativeInteger }, {})

/** @category codecs @since 0.1.0 */
export const CovariateSumsCodec = object('CovariateSums', { sum: FiniteNumber, sumSquares: NonNegative, productSum: FiniteNumber }, {})

/** @category codecs @since 0.1.0 */
export const ContinuousArmCodec = object(
  'ContinuousArm',
  { units: NonNegativeInteger, sum: FiniteNumber, sumSquares: NonNegative },
  { covariate: CovariateSumsCodec },
)

/** @category codecs @since 0.1.0 */
export const RatioArmCodec = object(
  'RatioArm',
  {
    units: NonNegativeInteger,
    numeratorSum: FiniteNumber,
    numeratorSumSquares: NonNegative,
    denominatorSum: FiniteNumber,
    denominatorSumSquares: NonNegative,
    productSum: FiniteNumber,
  },
  {},
)

/**
 * The kind of an arm from its fields.
 *
 * @category codecs
 * @since 0.1.0
 */
export const kindOf = (u: unknown): MetricKind | undefined => {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return undefined
  const has = (k: string) => Object.prototype.hasOwnProperty.call(u, k)
  if (has('conversions')) return 'binomial'
  if (has('numeratorSum')) return 'ratio'
  if (has('sum')) return 'continuous'
  return undefined
}

const codecs = { binomial: BinomialArmCodec, continuous: ContinuousArmCodec, ratio: RatioArmCodec } as const

// Σy² − (Σy)²/n may come out slightly negative from rounding in the warehouse; beyond this it is a real error.
const VARIANCE_SLACK = 1e-9

// sum·(sum/n), not sum²/n: it overflows only when the true value does.
const sumsOfSquaresOk = (n: number, sum: number, sumSquares: number): boolean =>
  sumSquares - sum * (sum / n) >= -VARIANCE_SLACK * Math.max(sumSquares, 1)

const crossFieldIssues = (path: string, kind: MetricKind, arm: Arm): ReadonlyArray<Issue> => {
  const at = (field: string) => (path === '' ? field : `${path}.${field}`)
  const out: Array<Issue> = []
  if (kind === 'binomial') {
    const b = arm as BinomialArm
    if (b.conversions > b.units) out.push(issue(at('conversions'), `at most units (${b.units})`, b.conversions))
    return out
  }
  if (arm.units === 0) return out
  if (kind === 'continuous') {
    const c = arm as ContinuousArm
    if (!sumsOfSquaresOk(c.units, c.sum, c.sumSquares)) {
      out.push(issue(at('sumSquares'), `at least sum²/units = ${c.sum * (c.sum / c.units)} (a variance cannot be negative)`, c.sumSquares))
    }
    if (c.covariate !== undefined && !sumsOfSquaresOk(c.units, c.covariate.sum, c.covariate.sumSquares)) {
      out.push(issue(at('covariate.sumSquares'), `at least covariate.sum²/units (a variance cannot be negative)`, c.covariate.sumSquares))
    }
    return out
  }
  const r = arm as RatioArm
  if (!sumsOfSquaresOk(r.units, r.numeratorSum, r.numeratorSumSquares)) {
    out.push(issue(at('numeratorSumSquares'), 'at least numeratorSum²/units (a variance cannot be negative)', r.numeratorSumSquares))
  }
  if (!sumsOfSquaresOk(r.units, r.denominatorSum, r.denominatorSumSquares)) {
    out.push(issue(at('denominatorSumSquares'), 'at least denominatorSum²/units (a variance cannot be negative)', r.denominatorSumSquares))
  }
  return out
}

/**
 * One arm of any kind, checked: fields, then cross-field rules. `path` prefixes the issue paths.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeArm =
  (at: string, expected?: MetricKind) =>
  (u: unknown): E.Either<TouchpointError, { readonly kind: MetricKind; readonly arm: Arm }> => {
    // From plain JavaScript the path may be anything and the kind a typo: neither may throw.
    const path = typeof at === 'string' ? at : ''
    if (expected !== undefined && (typeof expected !== 'string' || !Object.prototype.hasOwnProperty.call(codecs, expected))) {
      return E.left(invalidInput([issue('expected', '"binomial", "continuous" or "ratio"', expected)]))
    }
    const kind = kindOf(u)
    if (kind === undefined || (expected !== undefined && kind !== expected)) {
      const what =
        expected === undefined
          ? 'an arm: {units, conversions}, {units, sum, sumSquares} or {units, numeratorSum, numeratorSumSquares, denominatorSum, denominatorSumSquares, productSum}'
          : `a ${expected} arm (${Object.keys(fieldsOf[expected]).join(', ')})`
      return E.left(invalidInput([issue(path, what, u)]))
    }
    const codec = codecs[kind] as t.Type<Arm, unknown, unknown>
    return pipe(
      codec.validate(u, [{ key: '', type: codec, actual: u }]),
      E.mapLeft((errors) => invalidInput(issuesFromErrors(errors).map((i) => ({ ...i, path: i.path === '' ? path : path === '' ? i.path : `${path}.${i.path}` })))),
      E.flatMap((arm) => {
        const issues = crossFieldIssues(path, kind, arm)
        return issues.length > 0 ? E.left(invalidInput(issues)) : E.right({ kind, arm })
      }),
    )
  }

const fieldsOf: Record<MetricKind, Record<string, true>> = {
  binomial: { units: true, conversions: true },
  continuous: { units: true, sum: true, sumSquares: true },
  ratio: { units: true, numeratorSum: true, numeratorSumSquares: true, denominatorSum: true, denominatorSumSquares: true, productSum: true },
}

/**
 * A control and a treatment of the same kind (optionally a required kind), each checked.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeTwoArms =
  <K extends MetricKind>(expected?: K) =>
  (u: unknown): E.Either<TouchpointError, { readonly kind: K; readonly arms: TwoArms<KindToArm[K]> }> => {
    if (u === null || typeof u !== 'object' || Array.isArray(u)) {
      return E.left(invalidInput([issue('', 'an object {control, treatment}', u)]))
    }
    const o = u as { readonly control?: unknown; readonly treatment?: unknown }
    const c = decodeArm('control', expected)(o.control)
    const tr = decodeArm('treatment', expected)(o.treatment)
    const issues = [...(E.isLeft(c) ? issuesOf(c.left) : []), ...(E.isLeft(tr) ? issuesOf(tr.left) : [])]
    const extra = Object.keys(o).filter((k) => k !== 'control' && k !== 'treatment')
    for (const k of extra) issues.push(issue(k, 'no such field (known: control, treatment)', (o as Record<string, unknown>)[k]))
    if (issues.length > 0 || E.isLeft(c) || E.isLeft(tr)) return E.left(invalidInput(issues))
    if (c.right.kind !== tr.right.kind) {
      return E.left(invalidInput([issue('treatment', `a ${c.right.kind} arm like the control`, o.treatment)]))
    }
    return E.right({ kind: c.right.kind as K, arms: { control: c.right.arm, treatment: tr.right.arm } as TwoArms<KindToArm[K]> })
  }

/** @category model @since 0.1.0 */
export interface KindToArm {
  readonly binomial: BinomialArm
  readonly continuous: ContinuousArm
  readonly ratio: RatioArm
}

const issuesOf = (e: TouchpointError): ReadonlyArray<Issue> =>
  e._tag === 'InvalidInput' ? e.issues : [issue('', e._tag, 'reason' in e ? e.reason : undefined)]

/**
 * An issue when options (from JavaScript callers) are not an object; undefined means "all defaults".
 *
 * @category codecs
 * @since 0.1.0
 */
export const optionsIssue = (o: unknown): Issue | undefined =>
  o === undefined || (o !== null && typeof o === 'object' && !Array.isArray(o)) ? undefined : issue('options', 'an object of options', o)

/**
 * `Left(InvalidInput)` when options are not an object.
 *
 * @category codecs
 * @since 0.1.0
 */
export const badOptions = (o: unknown): E.Either<TouchpointError, never> | undefined => {
  const i = optionsIssue(o)
  return i === undefined ? undefined : E.left(invalidInput([i]))
}

/**
 * `alternative` and `level` options (and `alpha`), checked strictly: any other option is an error too, unless
 * listed in `extra`.
 *
 * @category codecs
 * @since 0.1.0
 */
export const checkOptions = (
  o: { readonly alternative?: unknown; readonly level?: unknown; readonly alpha?: unknown },
  extra: Readonly<Record<string, { readonly expected: string; readonly test: (v: unknown) => boolean }>> = {},
): E.Either<TouchpointError, { readonly alternative: Alternative }> => {
  const issues = optionIssues({ alternative: ALTERNATIVE, level: fields.probability, ...extra }, o)
  if (issues.length > 0) return E.left(invalidInput(issues))
  return E.right({ alternative: ((o as { readonly alternative?: Alternative } | undefined)?.alternative ?? 'two-sided') as Alternative })
}

/**
 * `Left(InsufficientData)` unless every arm has at least `min` units.
 *
 * @category codecs
 * @since 0.1.0
 */
export const requireUnits =
  (min: number) =>
  <A extends { readonly units: number }>(arms: TwoArms<A & Arm>): E.Either<TouchpointError, TwoArms<A & Arm>> => {
    for (const side of ['control', 'treatment'] as const) {
      if (arms[side].units < min) {
        return E.left(insufficientData(`the ${side} has ${arms[side].units} unit${arms[side].units === 1 ? '' : 's'}; at least ${min} needed`))
      }
    }
    return E.right(arms)
  }

/**
 * `Left(NumericalFailure)` if any number in a result is NaN, or infinite where the answer is not (the inputs were
 * beyond what double precision can carry, e.g. a control mean of 1e-300 in a relative lift), so neither reaches a
 * user. `infiniteAt` says where an infinite value is a real answer (a one-sided interval's open end).
 *
 * @category codecs
 * @since 0.1.0
 */
export const noNaN =
  (what: string, infiniteAt: (path: string) => boolean = () => false) =>
  <A>(result: A): E.Either<TouchpointError, A> => {
    const bad = findBad(result, '', infiniteAt, 0)
    return bad === undefined
      ? E.right(result)
      : E.left({ _tag: 'NumericalFailure', reason: `${what}: ${bad.path} is ${bad.value}; the inputs are beyond the range double precision can carry` })
  }

/**
 * @internal The open ends of one-sided intervals, and the degrees of freedom of a z test (Infinity by definition):
 * the only infinite values the two-arm results may hold.
 */
export const intervalEnds = (path: string): boolean => /(^|\.)(interval|sequentialInterval)\.(lower|upper)$/.test(path) || path === 'df'

const findBad = (u: unknown, path: string, infiniteAt: (path: string) => boolean, depth: number): { readonly path: string; readonly value: string } | undefined => {
  if (typeof u === 'number') {
    if (Number.isNaN(u)) return { path: path || '(result)', value: 'not a number' }
    if (!Number.isFinite(u) && !infiniteAt(path)) return { path: path || '(result)', value: String(u) }
    return undefined
  }
  if (depth > 8) return undefined
  if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) {
      const r = findBad(u[i], `${path}[${i}]`, infiniteAt, depth + 1)
      if (r !== undefined) return r
    }
    return undefined
  }
  if (u !== null && typeof u === 'object') {
    for (const [k, v] of Object.entries(u)) {
      const r = findBad(v, path === '' ? k : `${path}.${k}`, infiniteAt, depth + 1)
      if (r !== undefined) return r
    }
  }
  return undefined
}
