/**
 * Sparse arrays from plain JavaScript (`[1, , 3]`): `[].every`, `some` and `forEach` skip holes, so a guard
 * written with them passed a hole and the code after it read `undefined` (decodeConfig gave an Assigner with an
 * undefined variant, PathCodec threw, attributionRows threw). Each export whose guard was an `every` or `some` over
 * a caller's array, given arrays made by fc.sparseArray: a Left naming the array (or the function's answer for
 * "not this"), and with no hole the answer for the same array written densely; never a throw or NaN.
 * The export-surface fuzz (tests/package/surface) breaks valid values with holes too (its `hole` corruption).
 */
import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { decodeConfig } from '../../src/assignment/decode'
import { PathCodec } from '../../src/attribution/codec'
import { decodePathFields, pathLayout } from '../../src/attribution/decode'
import { readSettings } from '../../src/attribution/read/settings'
import { attributePathsText, attributionRows } from '../../src/attribution/table'
import { planInput } from '../../src/engines/plan'
import { decodeMetrics } from '../../src/experiments/metrics'
import { readAttributionFiles } from '../../src/files/attributionFiles'
import { decodeExperimentSums } from '../../src/sql/experimentsDecode'
import { checkExperimentQuery } from '../../src/sql/experimentsModel'
import { analyze } from '../../src/stats/analyze'
import { summarize } from '../../src/stats/summarize'
import { adjustPValues } from '../../src/stats/frequentist/adjustPValues'
import { sampleRatioMismatch } from '../../src/stats/frequentist/sampleRatioMismatch'
import { csat } from '../../src/stats/survey/csat'
import { compileConfig } from '../../src/assignment/decode'
import { quantileSorted } from '../../src/report/build'
import { DEFAULT_EVENT_COLUMNS, DEFAULT_PATH_COLUMNS } from '../../src/attribution/decode'
import { containsNaN } from '../_total'
import { DEFAULT_SETTINGS } from '../../src/attribution/model'
import { reduceJourneys } from '../../src/attribution/accumulate'
import { reduceTouchpoints, reportSettings } from '../../src/report/accumulate'

/** The index of the first hole of `xs`, or -1. */
const firstHole = (xs: ReadonlyArray<unknown>): number => {
  for (let i = 0; i < xs.length; i++) if (!(i in xs)) return i
  return -1
}
const dense = <A>(xs: ReadonlyArray<A>): Array<A> => xs.map((x) => x)
const paths = (r: E.Either<unknown, unknown>): ReadonlyArray<string> =>
  E.isLeft(r) && (r.left as { _tag?: string })._tag === 'InvalidInput' ? (r.left as { issues: ReadonlyArray<{ path: string }> }).issues.map((i) => i.path) : []
const sparse = <A>(item: fc.Arbitrary<A>, maxLength = 5) => fc.sparseArray(item, { maxLength, minNumElements: 1 }).filter((xs) => xs.length > 0)

const ARMS = [{ name: 'A', units: 1000, conversions: 100 }, { name: 'B', units: 1000, conversions: 120 }]
const analysis = pipe(analyze()(ARMS.length > 0 ? { arms: ARMS } : { arms: [] }), E.getOrElseW(() => undefined))!
const attribution = pipe('path,total_conversions\nsearch > email,2\ndisplay,1\n', attributePathsText({ models: ['first', 'linear'] }), E.getOrElseW(() => undefined))!
const METRICS = pipe(decodeMetrics({ metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' }] }), E.getOrElseW(() => undefined))!

describe('sparse arrays from plain JavaScript: a Left naming the array, never a throw, NaN or a Right over undefined', () => {
  test.prop([sparse(fc.constantFrom('a', 'b', 'c', 'd', 'e'))])('decodeConfig: experiments[0].variants with holes', (keys) => {
    const variants = keys.map((key, i) => ({ key: `${key}${i}` }))
    const r = decodeConfig({ experiments: [{ key: 'x', variants }] })
    const hole = firstHole(variants)
    if (hole >= 0) expect(paths(r)).toContain(`experiments[0].variants[${hole}]`)
    else expect(E.isRight(r)).toBe(true)
    expect(E.isRight(r) && r.right.experiments[0]!.variants.some((v) => v === undefined)).toBe(false)
  })

  test.prop([sparse(fc.integer())])('decodeConfig: a variant value that is an array with holes', (value) => {
    const r = decodeConfig({ experiments: [{ key: 'x', variants: [{ key: 'a', value }, { key: 'b', value: [1] }] }] })
    if (firstHole(value) >= 0) expect(paths(r)).toEqual(['experiments[0].variants[0].value'])
    else expect(E.isRight(r)).toBe(true)
  })

  test.prop([sparse(fc.constantFrom('search', 'email', 'display'))])('PathCodec: a path given as an array with holes', (parts) => {
    const codec = PathCodec('>')
    const hole = firstHole(parts) >= 0
    expect(codec.is(parts)).toBe(!hole)
    expect(E.isLeft(codec.decode(parts))).toBe(hole)
    if (!hole) expect(codec.decode(parts)).toEqual(E.right(dense(parts)))
  })

  test.prop([fc.sparseArray(fc.constantFrom(...ARMS), { maxLength: 4 }), fc.sparseArray(fc.double({ min: 0.1, max: 3, noNaN: true }), { maxLength: 4 })])(
    'analyze: arms and weights with holes',
    (arms, weights) => {
      const named = arms.map((a, i) => ({ ...a, name: `${a.name}${i}` }))
      const withWeights = weights.length === named.length
      const r = analyze()({ arms: named, ...(withWeights ? { weights } : {}) })
      const hole = firstHole(named)
      if (named.length >= 2 && hole >= 0) expect(paths(r)).toContain(`arms[${hole}]`)
      else if (named.length >= 2 && withWeights && firstHole(weights) >= 0) expect(paths(r)).toEqual(['weights'])
      else if (named.length >= 2) expect(r).toEqual(analyze()({ arms: dense(named), ...(withWeights ? { weights: dense(weights) } : {}) }))
      expect(E.isRight(r) && containsNaN(r.right)).toBe(false)
    },
  )

  test.prop([fc.sparseArray(fc.constantFrom(...analysis.comparisons), { maxLength: 3 }), fc.sparseArray(fc.constantFrom(...analysis.arms), { maxLength: 3 })])(
    'summarize: comparisons and arms with holes are no analysis',
    (comparisons, arms) => {
      const text = summarize()({ ...analysis, comparisons, arms })
      expect(text.startsWith('not an analysis')).toBe(firstHole(comparisons) >= 0 || firstHole(arms) >= 0)
    },
  )

  test.prop([fc.sparseArray(fc.constantFrom(...attribution.channels), { maxLength: 3 }), sparse(fc.constantFrom(...attribution.models), 2)])(
    'attributionRows: channels and models with holes are no attribution',
    (channels, models) => {
      const rows = attributionRows({ ...attribution, channels, models })
      if (firstHole(channels) >= 0 || firstHole(models) >= 0) expect(rows).toEqual([])
      else expect(rows).toHaveLength(channels.length)
    },
  )

  test.prop([sparse(fc.constantFrom('path', 'total_conversions', 'total_conversion_value', 'total_null'), 4)])('decodePathFields: a layout whose header has holes', (header) => {
    const layout = { ...pathLayout(DEFAULT_PATH_COLUMNS)(['path', 'total_conversions']), header }
    const r = decodePathFields(layout as never)(['search > email', '2'], 2)
    if (firstHole(header) >= 0) expect(paths(r)).toEqual(['layout'])
  })

  test.prop([sparse(fc.constantFrom('user_id', 'anonymous_id'))])('readSettings: eventColumns.user with holes', (user) => {
    const r = readSettings({ eventColumns: { user } })
    if (firstHole(user) >= 0) expect(paths(r)).toEqual(['eventColumns.user'])
    else expect(E.isRight(r)).toBe(true)
  })

  test.prop([sparse(fc.constantFrom('value', 'amount'), 3)])('decodeExperimentSums: metrics whose event metrics have holes', (valueColumns) => {
    const eventMetrics = valueColumns.map(() => METRICS.eventMetrics[0]!)
    const r = decodeExperimentSums({ ...METRICS, eventMetrics } as never)([])
    if (firstHole(eventMetrics) >= 0) expect(paths(r)).toEqual(['metrics'])
    else expect(paths(r)).not.toContain('metrics')
  })

  test.prop([sparse(fc.constantFrom('purchase', 'signup'))])('planInput: conversionEvents.names with holes', (names) => {
    const columns = ['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value', 'event'].map((name) => ({ name, type: name === 'timestamp' ? ('number' as const) : ('text' as const) }))
    const r = planInput(columns, { pathColumns: DEFAULT_PATH_COLUMNS, eventColumns: DEFAULT_EVENT_COLUMNS, separator: '>', conversionEvents: { column: 'event', names } })
    if (firstHole(names) >= 0) expect(paths(r)).toEqual(['options.conversionEvents.names'])
    else expect(E.isRight(r)).toBe(true)
  })

  test.prop([fc.sparseArray(fc.constantFrom('a.csv', 'b.csv'), { maxLength: 3, minNumElements: 0 }).filter((xs) => firstHole(xs) >= 0)])(
    'readAttributionFiles: files with holes',
    async (files) => {
      expect(paths(await readAttributionFiles()(files))).toEqual(['files'])
    },
  )

  test.prop([fc.constantFrom('none', 'bonferroni', 'holm', 'benjamini-hochberg' as const), sparse(fc.double({ min: 0, max: 1, noNaN: true }))])('adjustPValues: p-values with holes', (method, ps) => {
    const r = adjustPValues(method)(ps)
    const hole = firstHole(ps)
    if (hole >= 0) expect(paths(r)).toContain(`[${hole}]`)
    else expect(r).toEqual(adjustPValues(method)(dense(ps)))
    expect(E.isRight(r) && containsNaN(r.right)).toBe(false)
  })

  test.prop([sparse(fc.constant({ key: 'l', salt: 's' }), 2)])('compileConfig: layers with holes', (layers) => {
    const r = compileConfig({ holdout: { share: 0.05, salt: 'global' }, layers, experiments: [{ key: 'a', variants: [{ key: 'x' }, { key: 'y' }] }] } as never)
    const hole = firstHole(layers)
    if (hole >= 0) expect(paths(r)).toContain(`layers[${hole}]`)
  })

  test.prop([fc.constantFrom(0, 0.5, 1), sparse(fc.integer({ min: -100, max: 100 }))])('quantileSorted: a list with holes is no list of numbers (NaN, as documented)', (q, xs) => {
    const sorted = xs.slice().sort((a, b) => a - b)
    const hole = firstHole(sorted) >= 0
    expect(Number.isNaN(quantileSorted(q)(sorted))).toBe(hole)
  })

  test.prop([sparse(fc.constantFrom('purchase', 'signup'), 3)])('checkExperimentQuery: a metric\'s events with holes', (events) => {
    const metrics = { ...METRICS, eventMetrics: [{ ...METRICS.eventMetrics[0]!, events }] }
    const query = {
      exposures: { source: { _tag: 'table', name: 'exposures' }, unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp', timeType: { _tag: 'timestamp' } },
      events: { source: { _tag: 'table', name: 'events' }, unit: 'unit_id', time: 'timestamp', event: 'event', timeType: { _tag: 'timestamp' } },
      metrics,
    }
    const r = checkExperimentQuery(query)
    const hole = firstHole(events)
    if (hole >= 0) expect(paths(r)).toContain(`metrics.eventMetrics[0].events[${hole}]`)
    else expect(E.isRight(r)).toBe(true)
  })

  test.prop([fc.sparseArray(fc.integer({ min: 1, max: 5 }), { maxLength: 4 }), fc.sparseArray(fc.integer({ min: 0, max: 500 }), { maxLength: 4 })])(
    'sampleRatioMismatch: weights and unit counts with holes',
    (weights, units) => {
      const r = sampleRatioMismatch(weights)(units)
      if (weights.length >= 2 && units.length === weights.length) {
        const holes = [...weights.keys()].filter((i) => !(i in weights)).map((i) => `weights[${i}]`).concat([...units.keys()].filter((i) => !(i in units)).map((i) => `units[${i}]`))
        if (holes.length > 0) expect(paths(r)).toEqual(holes)
        else expect(r).toEqual(sampleRatioMismatch(dense(weights))(dense(units)))
      }
      expect(E.isRight(r) && containsNaN(r.right)).toBe(false)
    },
  )

  test.prop([fc.sparseArray(fc.integer({ min: 0, max: 50 }), { maxLength: 5 }), fc.sparseArray(fc.integer({ min: 0, max: 50 }), { maxLength: 5 })])(
    'csat: rating counts with holes',
    (control, treatment) => {
      const r = csat()({ control, treatment })
      const holes = [...control.keys()].filter((i) => !(i in control)).map((i) => `control[${i}]`).concat([...treatment.keys()].filter((i) => !(i in treatment)).map((i) => `treatment[${i}]`))
      if (control.length >= 2 && treatment.length >= 2) expect(holes.length > 0 ? paths(r) : r).toEqual(holes.length > 0 ? holes : csat()({ control: dense(control), treatment: dense(treatment) }))
      expect(E.isRight(r) && containsNaN(r.right)).toBe(false)
    },
  )
  // A journey's channels and times checked with forEach/some passed [, 'a'] and [, 5]: the reducers threw
  // (channel name undefined) or gave NaN time-decay weights.
  test.prop([sparse(fc.constantFrom('search', 'email', 'display')), fc.boolean(), fc.boolean()])(
    'reduceJourneys and reduceTouchpoints: channels and times with holes',
    (channels, withTimes, holeInTimes) => {
      const times = Array.from({ length: channels.length }, (_, i) => 1000 * i)
      if (holeInTimes && times.length > 0) delete times[times.length - 1]
      const journey = { channels, conversions: 1, value: 2, nulls: 0, ...(withTimes ? { times } : {}) }
      const expected = [...channels.keys()].filter((i) => !(i in channels)).map((i) => `[0].channels[${i}]`)
      if (withTimes && holeInTimes) expected.push('[0].times')
      for (const r of [reduceJourneys(DEFAULT_SETTINGS)([journey]), reduceTouchpoints(reportSettings(DEFAULT_SETTINGS))([journey])] as ReadonlyArray<E.Either<unknown, unknown>>) {
        if (expected.length > 0) expect(paths(r)).toEqual(expected)
        else expect(E.isRight(r)).toBe(true)
        expect(E.isRight(r) && containsNaN(r.right)).toBe(false)
      }
      const denseJourney = { ...journey, channels: dense(channels) }
      if (expected.length === 0) expect(reduceJourneys(DEFAULT_SETTINGS)([journey])).toEqual(reduceJourneys(DEFAULT_SETTINGS)([denseJourney]))
    },
  )
  test.prop([sparse(fc.constantFrom('direct', 'organic', '(none)'))])('reduceJourneys: settings.direct with holes', (direct) => {
    const r = reduceJourneys({ ...DEFAULT_SETTINGS, direct })([{ channels: ['a'], conversions: 1, value: 0, nulls: 0 }])
    const holes = [...direct.keys()].filter((i) => !(i in direct)).map((i) => `settings.direct[${i}]`)
    if (holes.length > 0) expect(paths(r)).toEqual(holes)
    else expect(E.isRight(r)).toBe(true)
  })
})
