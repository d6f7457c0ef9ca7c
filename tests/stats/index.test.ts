/**
 * Every function exported by touchpoint/stats, fed plain JavaScript at its worst (undefined, null, wrong types, NaN,
 * ±Infinity, −0, huge numbers, strings for numbers and booleans, deep and cyclic objects) as data, options and
 * parameters: never a throw, never a hang, never NaN inside a Right, an infinite number only where the answer is
 * infinite and documented, and every Left an InvalidInput naming a path, an InsufficientData or a NumericalFailure
 * with a reason. Huge counts (to 2^53 − 1) are legal input here: they must answer as fast as small ones.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as S from '../../src/stats/index'
import { arbAnything } from '../_statsArbitraries'

/** How each export is called: curried (parameters, then data), plain, or a codec. */
type Call = (a: unknown, b: unknown) => unknown
const curried = (f: unknown): Call => (a, b) => (f as (x: unknown) => (y: unknown) => unknown)(a)(b)
const calls: Record<string, Call> = {}
for (const [name, value] of Object.entries(S)) {
  if (typeof value !== 'function') continue
  if (name === 'kindOf' || name === 'formatPValue' || name === 'decodeExperimentData') calls[name] = (a) => (value as (x: unknown) => unknown)(a)
  else if (name === 'sampleRatioMismatch') calls[name] = (a, b) => (value as (w: unknown, o?: unknown) => (u: unknown) => unknown)(a, b)(b)
  else if (name === 'decodeArm') calls[name] = (a, b) => (value as (p: unknown, k?: unknown) => (u: unknown) => unknown)('arm', a)(b)
  else calls[name] = curried(value)
}

// Values that break naive code: the special numbers, numbers as strings, booleans as strings, cycles, depth.
const cyclic = (): unknown => {
  const o: Record<string, unknown> = { units: 10, conversions: 5 }
  o['self'] = o
  return o
}
const deep = (n: number): unknown => (n === 0 ? { units: 1, conversions: 0 } : { control: deep(n - 1), treatment: deep(n - 1), arms: [deep(n - 1)] })
const arbNumberish = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 2_000_000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom<unknown>(Number.NaN, Infinity, -Infinity, 0, -0, 1e308, 2 ** 53, 2 ** 53 + 2, 5e-324, 1e12, '1', '0.5', 'true', true, null, undefined),
)
const arbCount = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(1e12, 5e10, 2 ** 53 - 1))
const arbArm = fc.oneof(
  fc.tuple(arbCount, arbCount).map(([a, b]) => ({ units: Math.max(a, b), conversions: Math.min(a, b) })),
  fc.record({ units: arbNumberish, conversions: arbNumberish }),
  fc.record({ units: arbNumberish, sum: arbNumberish, sumSquares: arbNumberish }),
  fc.record({ units: arbCount, sum: fc.double({ noNaN: true }), sumSquares: fc.double({ min: 0, noNaN: true }), covariate: fc.record({ sum: arbNumberish, sumSquares: arbNumberish, productSum: arbNumberish }) }),
  fc.record({ name: fc.string(), units: arbNumberish, conversions: arbNumberish, weight: arbNumberish }),
  fc.record({ promoters: arbNumberish, passives: arbNumberish, detractors: arbNumberish }),
  fc.constantFrom<unknown>(undefined, null, 'arm', [], {}),
  fc.constant(null).map(cyclic),
  arbAnything,
)
const arbData = fc.oneof(
  arbAnything,
  arbNumberish,
  fc.record({ control: arbArm, treatment: arbArm }),
  fc.record({ control: arbArm, treatments: fc.array(arbArm, { maxLength: 3 }) }),
  fc.record({ arms: fc.array(arbArm, { maxLength: 4 }), control: fc.oneof(fc.string(), arbNumberish), weights: fc.oneof(fc.array(arbNumberish, { maxLength: 4 }), arbAnything) }, { requiredKeys: ['arms'] }),
  fc.array(arbArm, { maxLength: 4 }),
  fc.array(arbNumberish, { maxLength: 5 }),
  fc.record({ control: fc.array(arbNumberish, { maxLength: 5 }), treatment: fc.array(arbNumberish, { maxLength: 5 }) }),
  fc.constant(null).map(cyclic),
  fc.integer({ min: 0, max: 6 }).map(deep),
)
const arbOptionValue = fc.oneof(arbNumberish, fc.constantFrom<unknown>('two-sided', 'greater', 'less', 'relative', 'absolute', 't', 'z', 'holm', 'none', 'yes', 'flat', 'classic', 'cohen-h', 'decrease', 'markdown'), arbAnything)
const arbOptions = fc.oneof(
  fc.constant(undefined),
  arbAnything,
  fc.constant(null).map(cyclic),
  fc.dictionary(
    fc.constantFrom('alpha', 'level', 'tuning', 'tau', 'draws', 'alternative', 'type', 'test', 'correction', 'inverse', 'prior', 'sequential', 'cuped', 'srmThreshold', 'threshold', 'seed', 'df', 'mean', 'sd', 'shape', 'scale', 'beta', 'metric', 'ratio', 'direction', 'power', 'arms', 'format', 'satisfiedFrom', 'typo'),
    arbOptionValue,
    { maxKeys: 4 },
  ).map((o) => ('draws' in o ? o : { ...o, draws: 100 })),
  fc.record({ metric: fc.record({ type: fc.constantFrom<unknown>('proportion', 'mean', 'x'), baseline: arbNumberish, sd: arbNumberish }, { requiredKeys: ['type'] }), alpha: arbNumberish, ratio: arbNumberish, direction: arbOptionValue }, { requiredKeys: ['metric'] }),
)

/** Where an infinite value is a documented answer. */
const infiniteAllowed = (fn: string, path: string): boolean =>
  /(^|\.)(interval|sequentialInterval)\.(lower|upper)$/.test(path) ||
  path === 'df' ||
  (fn === 'fisherExact' && path === 'oddsRatio') ||
  (fn === 'sampleRatioMismatch' && path === 'chiSquare') ||
  (/(Quantile|Isf)$/.test(fn) && path === '')

const badNumbers = (fn: string, u: unknown, path: string, seen: Set<unknown>): Array<string> => {
  if (typeof u === 'number') return Number.isNaN(u) || (!Number.isFinite(u) && !infiniteAllowed(fn, path)) ? [`${path}=${u}`] : []
  if (u === null || typeof u !== 'object' || seen.has(u)) return []
  seen.add(u)
  return Object.entries(u).flatMap(([k, v]) => badNumbers(fn, v, Array.isArray(u) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`, seen))
}

const isEither = (u: unknown): u is { _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: unknown } =>
  u !== null && typeof u === 'object' && ((u as { _tag?: unknown })._tag === 'Left' || (u as { _tag?: unknown })._tag === 'Right')

const checkLeft = (left: unknown): void => {
  const e = left as { _tag: string; issues?: ReadonlyArray<{ path: unknown; expected: unknown }>; reason?: unknown }
  expect(['InvalidInput', 'InsufficientData', 'NumericalFailure']).toContain(e._tag)
  if (e._tag === 'InvalidInput') {
    expect(e.issues!.length).toBeGreaterThan(0)
    for (const i of e.issues!) {
      expect(typeof i.path).toBe('string')
      expect(typeof i.expected).toBe('string')
    }
  } else expect(typeof e.reason).toBe('string')
}

describe('touchpoint/stats never throws, never hangs, never returns NaN', () => {
  it('covers every exported function', () => {
    expect(Object.keys(calls).length).toBeGreaterThanOrEqual(45)
  })

  test.prop([fc.constantFrom(...Object.keys(calls)), arbOptions, arbData], { numRuns: 3000 })('%s', (name, options, data) => {
    const started = performance.now()
    let result: unknown
    expect(() => {
      result = calls[name]!(options, data)
    }).not.toThrow()
    // Generous for a loaded shared machine; a cost that grew with counts (1e12 units) would take minutes.
    expect(performance.now() - started).toBeLessThan(3000)
    if (isEither(result)) {
      if (result._tag === 'Left') checkLeft(result.left)
      else expect(badNumbers(name, result.right, '', new Set())).toEqual([])
    } else if (typeof result === 'number') {
      expect(Number.isNaN(result)).toBe(false)
    }
  })

  it('strings are not numbers or booleans anywhere: each such option is a Left naming it', () => {
    const arms = { control: { units: 1000, conversions: 100 }, treatment: { units: 1000, conversions: 130 } }
    const named = (r: unknown) => (isEither(r) && r._tag === 'Left' ? ((r.left as { issues?: ReadonlyArray<{ path: string }> }).issues ?? []).map((i) => i.path) : 'Right')
    expect(named(S.gaussianBayes({ inverse: 'true' } as never)(arms))).toEqual(['inverse'])
    expect(named(S.compareToControl({ correction: 'yes' } as never)({ control: arms.control, treatments: [arms.treatment] }))).toEqual(['correction'])
    expect(named(S.analyze({ srmThreshold: '0.01' } as never)({ arms: [{ name: 'A', ...arms.control }, { name: 'B', ...arms.treatment }] }))).toEqual(['srmThreshold'])
    expect(named(S.chiSquareTest({ correction: 'true' } as never)([arms.control, arms.treatment]))).toEqual(['correction'])
    expect(named(S.proportionsZTest({ level: '0.95' } as never)(arms))).toEqual(['level'])
    expect(named(S.detectableEffect({ metric: { type: 'proportion', baseline: '0.5' } } as never)(1000))).toEqual(['metric.baseline'])
    expect(named(S.betaBinomial({ draws: '1000' } as never)(arms))).toEqual(['draws'])
    expect(named(S.confidenceSequence({ tuning: '5000' } as never)(arms))).toEqual(['tuning'])
    expect(named(S.sampleRatioMismatch([1, 1], { threshold: '0.01' } as never)([10, 12]))).toEqual(['threshold'])
  })
})
