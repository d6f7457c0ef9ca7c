import { fc, test } from '@fast-check/vitest'
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Issue } from '../../src/core/errors'
import { proportionsZTest } from '../../src/stats/frequentist/proportionsZTest'
import { nps } from '../../src/stats/survey/nps'
import { parseSurveys } from '../../src/report/surveys'
import { right } from '../_either'

const issues = (text: string): ReadonlyArray<Issue> => {
  const r = parseSurveys(text)
  if (E.isRight(r) || r.left._tag !== 'InvalidInput') throw new Error(`expected InvalidInput, got ${JSON.stringify(r)}`)
  return r.left.issues
}

/** Rows `touchpoint,score,scale` for counts per score. */
const rows = (touchpoint: string, scale: string, counts: Readonly<Record<number, number>>): Array<string> =>
  Object.entries(counts).flatMap(([score, n]) => Array.from({ length: n }, () => `${touchpoint},${score},${scale}`))

describe('parseSurveys', () => {
  it('NPS per touchpoint is touchpoint/stats nps (score and Wald interval), and against the others pooled', () => {
    // chat: promoters 9-10 = 30, passives 7-8 = 25, detractors 0-6 = 45; store: 60 / 30 / 10; email: 20 / 20 / 20.
    const text = ['touchpoint,score,scale', ...rows('chat', '0-10', { 10: 10, 9: 20, 8: 5, 7: 20, 6: 15, 0: 30 }), ...rows('store', 'nps', { 9: 60, 8: 30, 5: 10 }), ...rows('email', '0-10', { 10: 20, 7: 20, 3: 20 })].join('\n')
    const s = right(parseSurveys(text, { level: 0.9 }))
    const stats = right(nps({ level: 0.9 })({ control: { promoters: 80, passives: 50, detractors: 30 }, treatment: { promoters: 30, passives: 25, detractors: 45 } }))
    expect(s['chat']).toMatchObject({ measure: 'nps', scale: '0-10', responses: 100 })
    expect(s['chat']!.score).toBeCloseTo(100 * stats.treatment.score, 12)
    expect(s['chat']!.lower).toBeCloseTo(100 * stats.treatment.interval.lower, 10)
    expect(s['chat']!.upper).toBeCloseTo(100 * stats.treatment.interval.upper, 10)
    expect(s['chat']!.versusOthers!.difference).toBeCloseTo(100 * stats.difference, 10)
    expect(s['chat']!.versusOthers!.pValue).toBeCloseTo(stats.pValue, 12)
    expect(s['chat']!.versusOthers!.others).toBe(160)
    expect(s['store']!.score).toBeCloseTo(50, 12)
  })

  it('CSAT: the top two boxes of 1-5 (csat default), the top box of 1-3, Wilson interval, proportionsZTest against the others', () => {
    const text = ['touchpoint,score,scale', ...rows('desk', '1-5', { 5: 30, 4: 40, 3: 20, 1: 10 }), ...rows('app', 'csat', { 5: 10, 4: 20, 2: 70 }), ...rows('kiosk', '1-3', { 3: 5, 2: 15 })].join('\n')
    const s = right(parseSurveys(text))
    expect(s['desk']).toMatchObject({ measure: 'csat', scale: '1-5', score: 0.7, responses: 100 })
    expect(s['app']).toMatchObject({ scale: '1-5', score: 0.3 })
    expect(s['kiosk']).toMatchObject({ scale: '1-3', score: 0.25 })
    // statsmodels proportion_confint(70, 100, method='wilson') = (0.6041, 0.7810)
    expect(s['desk']!.lower).toBeCloseTo(0.60413, 4)
    expect(s['desk']!.upper).toBeCloseTo(0.78102, 4)
    const z = right(proportionsZTest()({ control: { units: 120, conversions: 35 }, treatment: { units: 100, conversions: 70 } }))
    expect(s['desk']!.versusOthers!.difference).toBeCloseTo(z.difference, 12)
    expect(s['desk']!.versusOthers!.pValue).toBeCloseTo(z.pValue, 12)
  })

  it('every bad line is named with its line number, field, value and what was expected', () => {
    const text = 'touchpoint,score,scale,respondent,time\nchat,11,0-10,a,d1\nchat,9,0-10,c,d1\nchat,8,nps,c,d1\nchat,8,nps,c,d2\nchat,3,1-5,f,d1\n,3,0-10,e,d1\nstore,x,1-5,,\nstore,4,1-7000,,\nstore,4\n'
    expect(issues(text)).toEqual([
      { path: 'score', expected: 'an integer from 0 to 10 (scale 0-10)', actual: '11', line: 2 },
      { path: 'respondent', expected: 'one answer per respondent, touchpoint and time (line 3 has this one)', actual: 'c', line: 4 },
      { path: 'scale', expected: '0-10, the scale of chat on line 3 (one scale per touchpoint)', actual: '1-5', line: 6 },
      { path: 'touchpoint', expected: 'a touchpoint name', actual: '', line: 7 },
      { path: 'score', expected: 'an integer from 1 to 5 (scale 1-5)', actual: 'x', line: 8 },
      { path: 'scale', expected: 'nps or 0-10 (NPS), csat or 1-N with N from 2 to 100 (CSAT, e.g. 1-5)', actual: '1-7000', line: 9 },
      { path: '', expected: '5 fields', actual: 'store,4', line: 10 },
    ])
    expect(issues('channel,score\nchat,3\n')[0]).toMatchObject({ path: 'header', line: 1 })
    expect(issues('touchpoint,score,scale,score\nchat,3,1-5,4\n')[0]).toMatchObject({ path: 'header', expected: 'the column "score" once (it is read; rename or drop the other copy)' })
    expect(issues('')[0]).toMatchObject({ path: 'header' })
  })

  it('from plain JavaScript: a Left naming what is wrong, never a throw', () => {
    expect(E.isLeft(parseSurveys(42 as unknown as string))).toBe(true)
    expect(E.isLeft(parseSurveys('touchpoint,score,scale\n', null as unknown as {}))).toBe(true)
    expect(E.isLeft(parseSurveys('touchpoint,score,scale\n', { level: 1 }))).toBe(true)
    expect(E.isLeft(parseSurveys('touchpoint,score,scale\n', { delimiter: '"' }))).toBe(true)
  })

  it('examples/surveys.csv: NPS at email, referral and store, CSAT at direct and retargeting', () => {
    const s = right(parseSurveys(readFileSync('examples/surveys.csv', 'utf8')))
    expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [v.measure, v.responses]]))).toEqual({ direct: ['csat', 150], email: ['nps', 160], referral: ['nps', 120], retargeting: ['csat', 110], store: ['nps', 200] })
  })

  const arbResponses = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 10 })), { minLength: 1, maxLength: 120 })
  const scaleOf = (t: string) => (t === 'a' || t === 'b' ? '0-10' : '1-5')
  const csv = (rs: ReadonlyArray<readonly [string, number]>) => ['touchpoint,score,scale', ...rs.map(([t, s]) => `${t},${scaleOf(t) === '1-5' ? 1 + (s % 5) : s},${scaleOf(t)}`)].join('\n')

  test.prop([arbResponses, fc.integer()])('the order of the responses changes nothing; every score lies in its interval, on its scale', (rs, seed) => {
    const s = right(parseSurveys(csv(rs)))
    const shuffled = fc.sample(fc.shuffledSubarray(rs, { minLength: rs.length }), { numRuns: 1, seed })[0]!
    expect(right(parseSurveys(csv(shuffled)))).toEqual(s)
    expect(Object.values(s).reduce((n, v) => n + v.responses, 0)).toBe(rs.length)
    for (const v of Object.values(s)) {
      const [lo, hi] = v.measure === 'nps' ? [-100, 100] : [0, 1]
      expect(v.lower).toBeGreaterThanOrEqual(lo - 1e-9)
      expect(v.upper).toBeLessThanOrEqual(hi + 1e-9)
      expect(v.lower).toBeLessThanOrEqual(v.score + 1e-9)
      expect(v.score).toBeLessThanOrEqual(v.upper + 1e-9)
    }
  })
})
