/**
 * Attribution's exports given what a plain-JavaScript caller may pass (cases the export-surface suite found): a
 * Left naming the argument or field for the functions with an error channel, a "nothing there" answer for the
 * others, never a throw or a hang.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { accumulator, checkJourney, emptyPartial, mergePartials, reduceJourneys } from '../../src/attribution/accumulate'
import { attribute } from '../../src/attribution/attribute'
import { parseTimestamp, PathCodec, Timestamp } from '../../src/attribution/codec'
import { decodeEventFields, decodeEventJson, decodePathFields, decodePathFieldsIndexed, decodePathJson, eventLayout, makeSettings, pathLayout } from '../../src/attribution/decode'
import { journeyBuilder } from '../../src/attribution/journeys'
import { markovRemovalEffects, markovWith, transitionMatrix } from '../../src/attribution/markov'
import { DEFAULT_SETTINGS, type AttributionPartial } from '../../src/attribution/model'
import { fillPositional, fillTimeDecay, lastNonDirectIndex, positionalWeights, timeDecayWeights } from '../../src/attribution/rules'
import { shapleyRate, shapleySimplified } from '../../src/attribution/shapley'
import { attributePathsText, attributionColumns, attributionRows, formatAttribution } from '../../src/attribution/table'
import type { TouchpointError } from '../../src/core/errors'

const partial = (() => {
  const r = reduceJourneys(DEFAULT_SETTINGS)([{ channels: ['search', 'email'], conversions: 1, value: 10, nulls: 1 }])
  if (E.isLeft(r)) throw new Error('fixture')
  return r.right
})()

const paths = (e: E.Either<TouchpointError, unknown>): ReadonlyArray<string> => {
  if (E.isRight(e) || e.left._tag !== 'InvalidInput') throw new Error(`expected Left(InvalidInput), got ${JSON.stringify(e)}`)
  return e.left.issues.map((i) => i.path)
}

const junk = fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withBoxedValues: true })

describe('settings', () => {
  it.each([
    [null, ['']],
    [42, ['']],
    [{ direct: '61' }, ['direct']],
    [{ position: 5 }, ['position']],
    [{ order: 2 ** 31 }, ['order']],
  ])('makeSettings(%j) names what is wrong', (input, expected) => {
    expect(paths(makeSettings(input as never))).toEqual(expected)
  })

  it('reduceJourneys checks its settings (an order of -2^31 hung)', () => {
    expect(paths(reduceJourneys({ ...DEFAULT_SETTINGS, order: -(2 ** 31) })([{ channels: ['a', 'b'], conversions: 1, value: 0, nulls: 0 }]))).toEqual(['settings.order'])
  })

  it('an accumulator on settings that are none adds nothing, and its partial is refused where it is read', () => {
    const acc = accumulator({ order: 'x' } as never)
    acc.add({ channels: ['a'], conversions: 1, value: 1, nulls: 0 })
    const p = acc.snapshot()
    expect(p.channels).toEqual([])
    expect(paths(attribute({ models: ['first'] })(p))).toEqual(['partial.settings.order', 'partial.settings.position', 'partial.settings.halfLifeMs', 'partial.settings.direct'])
    expect(emptyPartial(null as never).channels).toEqual([])
  })
})

describe('journeys', () => {
  it('a value without conversions is refused, as the readers refuse such a row (rule credits counted it, sets and the chain did not)', () => {
    const j = { channels: ['a', 'b'], conversions: 0, value: 40, nulls: 2 }
    expect(checkJourney(j, '[3]')).toEqual([{ path: '[3].value', expected: '0 where conversions is 0 (a conversion value needs conversions)', actual: 40 }])
    expect(paths(reduceJourneys(DEFAULT_SETTINGS)([{ channels: ['a'], conversions: 1, value: 5, nulls: 0 }, j]))).toEqual(['[1].value'])
    expect(checkJourney({ ...j, value: 0 })).toEqual([])
  })

  test.prop([junk])('checkJourney and reduceJourneys answer anything with issues', (j) => {
    expect(Array.isArray(checkJourney(j as never))).toBe(true)
    const r = reduceJourneys(DEFAULT_SETTINGS)([j] as never)
    expect(E.isLeft(r) || (E.isRight(r) && r.right.totals.journeys === 1)).toBe(true)
  })

  it.each([null, 42, {}])('reduceJourneys(settings)(%j) is a Left naming the journeys', (js) => {
    expect(paths(reduceJourneys(DEFAULT_SETTINGS)(js as never))).toEqual(['journeys'])
  })

  it('a journey builder on options that are none says so at the first push', () => {
    expect(paths(journeyBuilder(null as never).push({ user: 'u', time: 1, channel: 'a', conversion: false, value: 0 }, 1))).toEqual(['options'])
    expect(paths(journeyBuilder({ timeColumn: 5, lookbackMs: -1 } as never).push({ user: 'u', time: 1, channel: 'a', conversion: false, value: 0 }, 1))).toEqual(['options.lookbackMs', 'options.timeColumn'])
    expect(paths(journeyBuilder().push(null as never, 1))).toEqual(['row'])
    expect(paths(journeyBuilder().push({ user: 7, time: Number.NaN, channel: 'a', conversion: 1, value: 0 } as never, 1))).toEqual(['row.user', 'row.time', 'row.conversion'])
  })
})

describe('partials and results that are none', () => {
  test.prop([fc.oneof(junk, fc.constant({ attribution: partial, report: {} }))])('Lefts name the partial; the others answer nothing', (x) => {
    expect(paths(attribute({ models: ['first'] })(x as never))).toEqual(['partial'])
    expect(paths(markovRemovalEffects(x as never))).toEqual(['partial'])
    expect(paths(mergePartials(x as never)(partial))).toEqual(['second'])
    expect(paths(mergePartials(partial)(x as never))).toEqual(['first'])
    expect(transitionMatrix(x as never)).toEqual([])
    expect(shapleySimplified(x as never)).toEqual({ conversions: [], value: [], sampledSets: 0 })
    expect(shapleyRate()(x as never)).toEqual({ conversions: [], value: [], sampledSets: 0 })
    expect(attributionColumns(x as never)).toEqual([])
    expect(attributionRows(x as never)).toEqual([])
    expect(formatAttribution('csv')(x as never)).toBe('')
  })

  it.each([
    [null, ['options']],
    [{ models: 'first' }, ['models']],
    [{ models: new Int32Array([1]) }, ['models']],
    [{ models: ['first', 7] }, ['models']],
    [{ models: ['shapley_rate'], shapley: { samples: -1, exactLimit: 'x' } }, ['shapley.exactLimit', 'shapley.samples']],
  ])('attribute(%j) names the option', (options, expected) => {
    expect(paths(attribute(options as never)(partial))).toEqual(expected)
  })

  it.each([null, { denseLimit: -1 }, { denseLimit: 'x' }])('markovWith(%j) names the option', (options) => {
    expect(paths(markovWith(options as never)(partial))[0]).toMatch(/^options/)
  })

  it('shapleyRate with options that are none answers nothing', () => {
    expect(shapleyRate({ samples: Number.NaN } as never)(partial)).toEqual({ conversions: [], value: [], sampledSets: 0 })
  })
})

describe('path text', () => {
  it('attributePathsText(options)(null) and (null)(text) are Lefts', () => {
    expect(paths(attributePathsText({ models: ['first'] })(null as never))).toEqual(['text'])
    expect(paths(attributePathsText(null as never)('path,total_conversions\na,1'))).toEqual(['options'])
    expect(paths(attributePathsText({ models: ['first'], separator: '', delimiter: 'ab' })('path,total_conversions\na,1'))).toEqual(['delimiter', 'separator'])
  })
})

describe('rules', () => {
  it.each([
    [{ first: 0, middle: 0, last: 0 }, 3],
    [{ first: '0.4', middle: 0.2, last: 0.4 }, 3],
    [{ first: 0.4, middle: 0.2, last: 0.4 }, -1],
    [{ first: 0.4, middle: 0.2, last: 0.4 }, '1e12'],
    [{ first: 0.4, middle: 0.2, last: 0.4 }, 1e12],
    [null, 2],
  ])('positionalWeights(%j)(%j) is [] (no NaN, no hang)', (w, n) => {
    expect(positionalWeights(w as never)(n as never)).toEqual([])
    const out = [7]
    fillPositional(w as never, n as never, out)
    expect(out).toEqual([7])
  })

  it.each([
    [0, [1, 2]],
    [1, [1, Number.NaN]],
    [1, null],
    ['x', [1]],
  ])('timeDecayWeights(%j)(%j) is []', (h, ts) => {
    expect(timeDecayWeights(h as never)(ts as never)).toEqual([])
    const out = [7]
    fillTimeDecay(h as never, ts as never, out)
    expect(out).toEqual([7])
  })

  it('lastNonDirectIndex without a predicate or without channels', () => {
    expect(lastNonDirectIndex(null as never)(['a', 'b'])).toBe(1)
    expect(lastNonDirectIndex((c: string) => c === 'direct')(new Map() as never)).toBe(-1)
  })
})

describe('codecs and decoders', () => {
  test.prop([junk])('parseTimestamp answers anything', (x) => {
    expect(parseTimestamp(x as never)).toBeUndefined()
  })

  it('PathCodec with a separator that is none, and decodePathFieldsIndexed with an intern answering junk, decode nothing', () => {
    expect(E.isLeft(PathCodec(10n as never).decode('a>b'))).toBe(true)
    expect(E.isLeft(Timestamp({ toString: 1 } as never).decode('2024-01-02'))).toBe(true)
    const layout = pathLayout()(['path', 'total_conversions'])
    if (E.isLeft(layout)) throw new Error('fixture')
    expect(paths(decodePathFieldsIndexed(layout.right, Symbol('s') as never, () => 0)(['a>b', '1'], 2))).toEqual(['separator'])
    expect(paths(decodePathFieldsIndexed(layout.right, '>', () => 'x' as never)(['a>b', '1'], 2))).toEqual(['path'])
  })

  it('layouts from columns or headers that are none are Lefts', () => {
    expect(paths(pathLayout({ path: Number.NaN } as never)(['path']))).toContain('columns.path')
    expect(paths(pathLayout()(null as never))).toEqual(['header'])
    expect(paths(eventLayout()(['user_id', 7] as never, 2))).toEqual(['header[1]'])
  })

  it('decoders built from a layout that is none, or given fields that are none, are Lefts', () => {
    const layout = pathLayout()(['path', 'total_conversions'])
    if (E.isLeft(layout)) throw new Error('fixture')
    expect(paths(decodePathFields(null as never)(['a', '1'], 1))).toEqual(['layout'])
    expect(paths(decodePathFields(layout.right)(null as never, 1))).toEqual(['fields'])
    expect(paths(decodePathFields(layout.right)(['a', '1', '2'], 'x' as never))).toEqual(['fields'])
    expect(paths(decodePathFieldsIndexed(layout.right, '>', () => 0)(['a', {} as never], 3))).toEqual(['total_conversions'])
    expect(paths(decodePathJson()(null as never, 1))).toEqual([''])
    expect(paths(decodePathJson({ path: Number.NaN } as never)('{}', 1))).toContain('columns.path')
    expect(paths(decodeEventJson(undefined, 'minutes' as never)('{}', 1))).toEqual(['timeUnit'])
    const events = eventLayout()(['user_id', 'timestamp', 'channel', 'conversion'])
    if (E.isLeft(events)) throw new Error('fixture')
    expect(paths(decodeEventFields(events.right, 'x' as never)(['u', '1', 'a', '0'], 1))).toEqual(['timeUnit'])
  })
})

// The partial used above has the shape the accumulator builds.
void (partial satisfies AttributionPartial)
