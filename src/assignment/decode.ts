/**
 * Decoding a JSON config into an `Assigner`: shape with io-ts, then the rules that span fields, then the
 * precomputation that makes `assign` cheap (seed states, integer bucket bounds, override maps).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { issuesFromErrors } from '../core/report'
import { ConfigInput, type ConditionInput, type ExperimentInput, type HoldoutInput, type LayerInput } from './codec'
import { NATIVE_HASH_VERSION } from './hash'
import type { Assigner, Condition, Experiment, Gate } from './model'
import { coverageGate, holdoutGate, layerGate, nativeSplit, toBuckets } from './native'

/** Weights may be off 1 by floating-point noise (three times 0.3333333333333333), not by more. */
const WEIGHT_SUM_TOLERANCE = 1e-6

/** The unit attribute hashed when a config names none. */
export const DEFAULT_UNIT = 'id'

const OPERATORS = ['equals', 'in', 'notIn', 'range'] as const

const conditionIssues = (c: ConditionInput, path: string): ReadonlyArray<Issue> => {
  const given = OPERATORS.filter((op) => c[op] !== undefined)
  if (given.length !== 1) return [issue(path, `exactly one of ${OPERATORS.join(', ')}`, c)]
  const range = c.range
  if (range !== undefined && Object.keys(range).length === 0) return [issue(`${path}.range`, 'at least one of gte, gt, lte, lt', range)]
  return []
}

const experimentIssues = (
  x: ExperimentInput,
  path: string,
  layers: ReadonlyMap<string, LayerInput>,
): ReadonlyArray<Issue> => {
  const out: Array<Issue> = []
  const keys = x.variants.map((v) => v.key)
  keys.forEach((k, i) => {
    const first = keys.indexOf(k)
    if (first !== i) out.push(issue(`${path}.variants[${i}].key`, `a variant key not already used by ${path}.variants[${first}]`, k))
  })
  const weighted = x.variants.filter((v) => v.weight !== undefined).length
  if (weighted !== 0 && weighted !== x.variants.length) {
    const i = x.variants.findIndex((v) => v.weight === undefined)
    out.push(issue(`${path}.variants[${i}].weight`, 'a weight, since other variants of this experiment have one (give all or none)', undefined))
  } else if (weighted > 0) {
    const sum = x.variants.reduce((s, v) => s + (v.weight ?? 0), 0)
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      out.push(issue(`${path}.variants`, `weights that sum to 1 (these sum to ${sum})`, x.variants.map((v) => v.weight)))
    }
  }
  x.targeting?.forEach((c, i) => out.push(...conditionIssues(c, `${path}.targeting[${i}]`)))
  for (const [unitId, variant] of Object.entries(x.overrides ?? {})) {
    if (!keys.includes(variant)) {
      out.push(issue(`${path}.overrides[${JSON.stringify(unitId)}]`, `a variant key of this experiment (${keys.map((k) => JSON.stringify(k)).join(', ')})`, variant))
    }
  }
  if (x.layer !== undefined) {
    const layer = layers.get(x.layer.key)
    if (layer === undefined) {
      out.push(issue(`${path}.layer.key`, `the key of a layer in "layers" (${[...layers.keys()].map((k) => JSON.stringify(k)).join(', ') || 'none defined'})`, x.layer.key))
    } else {
      const layerUnit = layer.unit ?? DEFAULT_UNIT
      if (x.unit !== undefined && x.unit !== layerUnit) {
        out.push(issue(`${path}.unit`, `the unit of its layer "${layer.key}" ("${layerUnit}"): experiments of a layer are exclusive only over one unit`, x.unit))
      }
    }
    x.layer.ranges.forEach(([s, e], i) => {
      if (!(s < e)) out.push(issue(`${path}.layer.ranges[${i}]`, 'a [start, end] pair with start < end', [s, e]))
    })
  }
  return out
}

interface Claim {
  readonly experiment: number
  readonly range: number
  readonly start: number
  readonly end: number
}

/** Ranges of one layer claimed by its live (draft or running) experiments must not overlap. */
const overlapIssues = (experiments: ReadonlyArray<ExperimentInput>): ReadonlyArray<Issue> => {
  const byLayer = new Map<string, Array<Claim>>()
  experiments.forEach((x, experiment) => {
    if (x.layer === undefined || x.status === 'stopped') return
    const claims = byLayer.get(x.layer.key) ?? []
    x.layer.ranges.forEach(([s, e], range) => {
      // Compare in buckets: what counts is whether two experiments would share a unit.
      if (s < e) claims.push({ experiment, range, start: toBuckets(s), end: toBuckets(e) })
    })
    byLayer.set(x.layer.key, claims)
  })
  const out: Array<Issue> = []
  for (const [layer, claims] of byLayer) {
    const sorted = [...claims].sort((a, b) => a.start - b.start || a.experiment - b.experiment)
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!
      const next = sorted[i]!
      if (next.start < prev.end) {
        const [a, b] = prev.experiment < next.experiment || (prev.experiment === next.experiment && prev.range < next.range) ? [prev, next] : [next, prev]
        const other = a.experiment === b.experiment ? `range ${a.range} of the same experiment` : `experiments[${a.experiment}] ("${experiments[a.experiment]!.key}")`
        out.push(
          issue(
            `experiments[${b.experiment}].layer.ranges[${b.range}]`,
            `a range of layer "${layer}" not overlapping ${other}, which claims [${a.start / 1e4}, ${a.end / 1e4})`,
            [b.start / 1e4, b.end / 1e4],
          ),
        )
      }
    }
  }
  return out
}

const duplicateIssues = (keys: ReadonlyArray<string>, path: (i: number) => string, what: string): ReadonlyArray<Issue> =>
  keys.flatMap((k, i) => {
    const first = keys.indexOf(k)
    return first === i ? [] : [issue(path(i), `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} key not already used by ${path(first).replace(/\.key$/, '')}`, k)]
  })

/** A global holdout with no unit would hold out by `id`; if experiments hash other attributes, say so. */
const holdoutUnitIssues = (config: ConfigInput): ReadonlyArray<Issue> => {
  if (config.holdout === undefined || config.holdout.unit !== undefined) return []
  const layerUnits = new Map((config.layers ?? []).map((l) => [l.key, l.unit] as const))
  const units = new Set(config.experiments.map((x) => x.unit ?? (x.layer && layerUnits.get(x.layer.key)) ?? DEFAULT_UNIT))
  units.delete(DEFAULT_UNIT)
  return units.size === 0
    ? []
    : [issue('holdout.unit', `the unit attribute to hold out by (experiments hash ${[...units].map((u) => JSON.stringify(u)).join(', ')}; without a unit the holdout reads "${DEFAULT_UNIT}")`, undefined)]
}

const configIssues = (config: ConfigInput): ReadonlyArray<Issue> => {
  const layers = new Map((config.layers ?? []).map((l) => [l.key, l] as const))
  return [
    ...duplicateIssues(config.experiments.map((x) => x.key), (i) => `experiments[${i}].key`, 'experiment'),
    ...duplicateIssues((config.layers ?? []).map((l) => l.key), (i) => `layers[${i}].key`, 'layer'),
    ...config.experiments.flatMap((x, i) => experimentIssues(x, `experiments[${i}]`, layers)),
    ...overlapIssues(config.experiments),
    ...holdoutUnitIssues(config),
  ]
}

const toCondition = (c: ConditionInput): Condition => {
  if (c.equals !== undefined) return { _tag: 'equals', attribute: c.attribute, value: c.equals }
  if (c.in !== undefined) return { _tag: 'in', attribute: c.attribute, values: new Set(c.in) }
  if (c.notIn !== undefined) return { _tag: 'notIn', attribute: c.attribute, values: new Set(c.notIn) }
  return { _tag: 'range', attribute: c.attribute, ...c.range }
}

const holdoutOf = (
  h: HoldoutInput | undefined,
  defaultSalt: string,
  defaultUnit: string,
  experimentUnit: string,
): ReadonlyArray<Gate> => {
  if (h === undefined || h.share === 0) return []
  const unit = h.unit ?? defaultUnit
  return [holdoutGate(h.salt ?? defaultSalt, h.share, unit === experimentUnit ? undefined : unit)]
}

const toExperiment = (x: ExperimentInput, config: ConfigInput, layers: ReadonlyMap<string, LayerInput>): Experiment => {
  const layer = x.layer === undefined ? undefined : layers.get(x.layer.key)
  const unit = x.unit ?? layer?.unit ?? DEFAULT_UNIT
  const salt = x.salt ?? x.key
  const weights = x.variants.map((v) => v.weight ?? 1 / x.variants.length)
  const coverage = x.coverage ?? 1
  const variants = x.variants.map((v) => v.key)
  const gates: Array<Gate> = [...holdoutOf(config.holdout, 'global', DEFAULT_UNIT, unit)]
  if (layer !== undefined && x.layer !== undefined) {
    gates.push(...holdoutOf(layer.holdout, layer.key, layer.unit ?? DEFAULT_UNIT, unit))
    gates.push(layerGate(layer.salt ?? layer.key, x.layer.ranges))
  }
  if (coverage < 1) gates.push(coverageGate(salt, coverage))
  return {
    key: x.key,
    status: x.status ?? 'running',
    unit,
    variants,
    weights,
    coverage,
    hashVersion: NATIVE_HASH_VERSION,
    layer: layer?.key,
    bucketVersion: x.bucketVersion ?? 0,
    targeting: (x.targeting ?? []).map(toCondition),
    overrides: new Map(Object.entries(x.overrides ?? {}).map(([id, v]) => [id, variants.indexOf(v)] as const)),
    gates,
    split: nativeSplit(salt, weights),
  }
}

/**
 * An `Assigner` from experiments already built (by `decodeConfig` or an importer). Later keys never shadow
 * earlier ones: callers validate uniqueness first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeAssigner = (experiments: ReadonlyArray<Experiment>, version?: string): Assigner => ({
  _tag: 'Assigner',
  version,
  experiments,
  byKey: new Map(experiments.map((x) => [x.key, x] as const)),
})

/**
 * Decode a config (parsed JSON) into an `Assigner`, or every problem found, each with its path, the value seen
 * and what was expected.
 *
 * @example
 *  * import * as E from 'fp-ts/Either'
 * const assigner = decodeConfig({
 *   experiments: [{ key: 'checkout-button', unit: 'userId',
 *     variants: [{ key: 'control', weight: 0.5 }, { key: 'green', weight: 0.5 }] }],
 * })
 * // => right(Assigner)
 * decodeConfig({ experiments: [{ key: 'x', variants: [{ key: 'a', weight: -0.2 }] }] })
 * // => left({ _tag: 'InvalidInput', issues: [{ path: 'experiments[0].variants[0].weight',
 * //          expected: 'a number in [0, 1]', actual: -0.2 }] })
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeConfig = (input: unknown): E.Either<TouchpointError, Assigner> => {
  // Plain branches rather than pipe/flatMap: this function ships in edge bundles, where every byte counts.
  const decoded = ConfigInput.decode(input)
  if (E.isLeft(decoded)) return E.left(invalidInput(issuesFromErrors(decoded.left)))
  const config = decoded.right
  const issues = configIssues(config)
  if (issues.length > 0) return E.left(invalidInput(issues))
  const layers = new Map((config.layers ?? []).map((l) => [l.key, l] as const))
  return E.right(makeAssigner(config.experiments.map((x) => toExperiment(x, config, layers)), config.version))
}

/**
 * Decode a config from JSON text: a syntax error is reported as an issue too.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeConfigJson = (text: string): E.Either<TouchpointError, Assigner> => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    return E.left(invalidInput([issue('', 'valid JSON', `${text.slice(0, 40)}… (${e instanceof Error ? e.message : String(e)})`)]))
  }
  return decodeConfig(parsed)
}
