/**
 * The report's exports given what a plain-JavaScript caller may pass (cases the export-surface suite found): a
 * Left naming the argument or field where there is an error channel, a documented "nothing there" elsewhere,
 * never a throw or a hang.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { DEFAULT_SETTINGS } from '../../src/attribution/model'
import type { TouchpointError } from '../../src/core/errors'
import { checkReportSettings, mergeReportPartials, reduceTouchpoints, reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import { buildReport, quantileSorted } from '../../src/report/build'
import { parseCosts } from '../../src/report/costs'
import { addToCounts, binEdges, binOf, durationSummary, histogramQuantile, histogramTotal, mergeHistograms } from '../../src/report/histogram'
import { formatReportHtml } from '../../src/report/html'
import { logGamma } from '../../src/report/gamma'
import { formatDuration, formatReportCsv, formatReportJson, formatReportMarkdown } from '../../src/report/render'
import { decodeStageMappingJson, defaultStage, stageOf } from '../../src/report/stages'
import { reduceCsvText } from '../../src/report/text'

const junk = fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withBoxedValues: true })

const paths = (e: E.Either<TouchpointError, unknown>): ReadonlyArray<string> => {
  if (E.isRight(e) || e.left._tag !== 'InvalidInput') throw new Error(`expected Left(InvalidInput), got ${JSON.stringify(e)}`)
  return e.left.issues.map((i) => i.path)
}

const settings = reportSettings(DEFAULT_SETTINGS, { replicates: 0 })
const both = (() => {
  const r = reduceTouchpoints(settings)([{ channels: ['search', 'store'], conversions: 1, value: 5, nulls: 1 }])
  if (E.isLeft(r)) throw new Error('fixture')
  return r.right
})()
const report = (() => {
  const r = buildReport({ models: ['first', 'linear'] })(both)
  if (E.isLeft(r)) throw new Error('fixture')
  return r.right
})()

describe('histograms', () => {
  test.prop([junk, junk])('answer anything: bin 0, [0, 0], empty', (a, b) => {
    expect(typeof binOf(a as never)).toBe('number')
    expect(binEdges(a as never).every(Number.isFinite)).toBe(true)
    addToCounts(a as never, 5000, b as never)
    expect(histogramTotal(a as never)).toBe(typeof a === 'object' && a !== null && Array.isArray((a as { counts?: unknown }).counts) ? histogramTotal(a as never) : 0)
    expect(mergeHistograms(a as never)(b as never).counts.every(Number.isFinite)).toBe(true)
    expect(histogramQuantile(b as never)({ counts: [1, 2] }) ?? 0).not.toBeNaN()
    expect(durationSummary(a as never) === undefined || typeof durationSummary(a as never) === 'object').toBe(true)
  })

  it('binEdges of no bin is [0, 0] (a bin of 1e12 had an infinite edge)', () => {
    expect(binEdges(1e12)).toEqual([0, 0])
    expect(binOf({ toString: 'x', valueOf: 'y' } as never)).toBe(0)
  })
})

describe('logGamma', () => {
  it('logGamma is finite where ln Γ is (1e-323 gave Infinity), infinite at the poles', () => {
    expect(logGamma(1e-323)).toBeCloseTo(-Math.log(1e-323), 6)
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY)
    expect(logGamma(-2)).toBe(Number.POSITIVE_INFINITY)
    expect(logGamma({ valueOf: 'y' } as never)).toBeNaN()
  })
})

describe('settings and partials', () => {
  it.each([
    [null, ['settings']],
    [{ ...settings, seed: Number.NaN }, ['seed']],
    [{ ...settings, attribution: { ...DEFAULT_SETTINGS, order: Number.POSITIVE_INFINITY } }, ['attribution.order']],
  ])('checkReportSettings(%j) names the field', (s, expected) => {
    expect(paths(checkReportSettings(s as never))).toEqual(expected)
  })

  it('reduceTouchpoints names its settings and journeys', () => {
    expect(paths(reduceTouchpoints(settings)(null as never))).toEqual(['journeys'])
    expect(paths(reduceTouchpoints(undefined as never)([]))).toEqual(['settings'])
  })

  it('an accumulator on 3e12 replicates returns at once (it hung) and its partial is refused where it is read', () => {
    const acc = touchpointAccumulator({ ...settings, replicates: 3e12 })
    acc.add({ channels: ['a'], conversions: 1, value: 1, nulls: 0 })
    acc.accumulator.add({ channels: ['a'], conversions: 1, value: 1, nulls: 0 })
    expect(paths(buildReport({ models: ['first'] })(acc.snapshot()))).toEqual(['partial.settings.replicates'])
    expect(touchpointAccumulator(null as never).snapshot().attribution.channels).toEqual([])
    expect(paths(buildReport({ models: ['first'] })(touchpointAccumulator(null as never).snapshot()))).toContain('partial.settings')
  })

  it('mergeReportPartials and buildReport name what is no partial', () => {
    expect(paths(mergeReportPartials(null as never)(both))).toEqual(['second'])
    expect(paths(mergeReportPartials(both)({ ...both, attribution: null } as never))).toEqual(['first.attribution'])
    expect(paths(buildReport({ models: ['first'] })(null as never))).toEqual(['partial'])
    expect(paths(buildReport(null as never)(both))).toEqual(['options'])
  })

  it('buildReport checks its stages and costs (a stage NaN reached the stage flow)', () => {
    expect(paths(buildReport({ models: ['first'], stages: { store: Number.NaN } as never })(both))).toEqual(['stages.store'])
    expect(paths(buildReport({ models: ['first'], costs: { channels: { a: -1 }, periods: [] } })(both))).toEqual(['costs.channels["a"]'])
  })
})

describe('stages, costs, text', () => {
  it('stages of what is no channel, with options or a mapping that are none', () => {
    expect(defaultStage(Number.NaN as never)).toBe('(unmapped)')
    expect(stageOf(undefined as never)('email')).toBe('loyalty')
    expect(stageOf({ mapping: { store: Number.NaN } as never })('store')).toBe('purchase')
    expect(stageOf({})(new Map() as never)).toBe('(unmapped)')
    expect(paths(decodeStageMappingJson(5 as never))).toEqual([''])
  })

  it('parseCosts(null) is a Left (it threw), and so is a delimiter that is none', () => {
    expect(paths(parseCosts(null as never))).toEqual(['text'])
    expect(paths(parseCosts('channel,cost', { delimiter: 'ab' }))).toEqual(['options.delimiter'])
    expect(paths(parseCosts('channel,cost', null as never))).toEqual(['options'])
  })

  it('reduceCsvText checks its options once and its text', () => {
    expect(paths(reduceCsvText(settings, { lookbackMs: -1 })('user_id,timestamp,channel,conversion\nu,1,a,0\nu,2,a,1'))).toEqual(['options.lookbackMs'])
    expect(paths(reduceCsvText(settings)(null as never))).toEqual([''])
  })
})

describe('formatters', () => {
  test.prop([junk])('write nothing for what is not a report', (x) => {
    expect(formatReportJson(x as never)).toBe('')
    expect(formatReportCsv()(x as never)).toBe('')
    expect(formatReportMarkdown(x as never)).toBe('')
    expect(formatReportHtml(x as never)).toBe('')
    expect(typeof formatDuration(x as never)).toBe('string')
    expect(quantileSorted(0.5)(x as never)).toBeTypeOf('number')
  })

  it('a title that is no string is the default one', () => {
    expect(formatReportHtml(report, { title: 5 } as never)).toContain('<title>Touchpoint report</title>')
  })
})
