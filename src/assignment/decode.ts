/**
 * Decoding a JSON config into an `Assigner`: shape with io-ts, then the rules that span fields, then the
 * precomputation that makes `assign` cheap (seed states, integer bucket bounds, override maps).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { parseJson } from '../core/json'
import { issuesFromErrors } from '../core/report'
import { buildAssigner, DEFAULT_UNIT } from './build'
import { COMPILED_FORMAT, fromCompiledConfig, stamp, type CompiledConfig } from './compiled'
import { ConfigInput, type ConditionInput, type ExperimentInput, type LayerInput } from './codec'
import type { Assigner } from './model'
import { toBuckets } from './native'
import { hasType, sharedType } from './values'

// Kept importable from here too: they moved to build.ts, which edge bundles use without the io-ts codecs.
export { DEFAULT_UNIT, makeAssigner } from './build'

/** Weights may be off 1 by floating-point noise (three times 0.3333333333333333), not by more. */
const WEIGHT_SUM_TOLERANCE = 1e-6


const OPERATORS = ['equals', 'in', 'notIn', 'range'] as const

const conditionIssues = (c: ConditionInput, path: string): ReadonlyArray<Issue> => {
  const given = OPERATORS.filter((op) => c[op] !== undefined)
  if (given.length !== 1) return [issue(path, `exactly one of ${OPERATORS.join(', ')}`, c)]
  const range = c.range
  if (range !== undefined && Object.keys(range).length === 0) return [issue(`${path}.range`, 'at least one of gte, gt, lte, lt', range)]
  return []
}

/** Values: on every variant or on none, all of one type (the `valueType` given, else the one they share). */
const valueIssues = (x: ExperimentInput, path: string): ReadonlyArray<Issue> => {
  const given = x.variants.filter((v) => v.value !== undefined).length
  if (given === 0) {
    return x.valueType === undefined ? [] : [issue(`${path}.variants[0].value`, `a value of type ${x.valueType}, since valueType is given`, undefined)]
  }
  if (given !== x.variants.length) {
    const i = x.variants.findIndex((v) => v.value === undefined)
    return [issue(`${path}.variants[${i}].value`, 'a value, since other variants of this experiment have one (give all or none)', undefined)]
  }
  const values = x.variants.map((v) => v.value!)
  if (x.valueType !== undefined) {
    const type = x.valueType
    return x.variants.flatMap((v, i) => (hasType(v.value!, type) ? [] : [issue(`${path}.variants[${i}].value`, `a ${type} value (valueType is ${type})`, v.value)]))
  }
  return sharedType(values) === undefined
    ? [issue(`${path}.variants`, 'values of one type (all booleans, numbers, strings, or JSON objects and arrays); set "valueType": "json" to serve a mix', values)]
    : []
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
  out.push(...valueIssues(x, path))
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

/**
 * Check a config (parsed JSON) against the format and every rule across fields, keeping it as given.
 * `decodeConfig` builds an `Assigner` from the result; `compileConfig` stamps it for edge loading.
 *
 * @category decoding
 * @since 0.1.0
 */
export const validateConfig = (input: unknown): E.Either<TouchpointError, ConfigInput> => {
  // Plain branches rather than pipe/flatMap: this function ships in bundles, where every byte counts.
  const decoded = ConfigInput.decode(input)
  if (E.isLeft(decoded)) return E.left(invalidInput(issuesFromErrors(decoded.left)))
  const issues = configIssues(decoded.right)
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(decoded.right)
}

/**
 * Decode a config (parsed JSON) into an `Assigner`, or every problem found, each with its path, the value seen
 * and what was expected.
 *
 * @example
 * import * as E from 'fp-ts/Either'
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
  const valid = validateConfig(input)
  return E.isLeft(valid) ? valid : E.right(buildAssigner(valid.right))
}

/**
 * Decode a config from JSON text, read strictly: a syntax error or a key given twice (where `JSON.parse` keeps the
 * last, so a second `"experiments"` would silently drop the first) is an issue with its line and column; a
 * leading byte order mark is skipped.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeConfigJson = (text: string): E.Either<TouchpointError, Assigner> => pipe(parseJson(text), E.flatMap(decodeConfig))

/**
 * Validate a config with every rule of `decodeConfig` and stamp it for `fromCompiledConfig`, which edge
 * functions use to load it without shipping the validator.
 *
 * @example
 * pipe(compileConfig(JSON.parse(configText)), E.map((c) => JSON.stringify(c))) // => right('{"format":"touchpoint-compiled/1",...}')
 *
 * @category compiled
 * @since 0.1.0
 */
export const compileConfig = (input: unknown): E.Either<TouchpointError, CompiledConfig> => {
  const valid = validateConfig(input)
  return E.isLeft(valid) ? valid : E.right(stamp(valid.right))
}

/**
 * A compiled config through `fromCompiledConfig`, anything else through `decodeConfig`: the default of the Node
 * adapters, where the validator's size does not matter.
 *
 * @category compiled
 * @since 0.1.0
 */
export const decodeAnyConfig = (input: unknown): E.Either<TouchpointError, Assigner> =>
  input !== null && typeof input === 'object' && (input as { format?: unknown }).format === COMPILED_FORMAT
    ? fromCompiledConfig(input)
    : decodeConfig(input)
