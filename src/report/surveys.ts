/**
 * The survey file of the report (`--surveys`): one response a row, the touchpoint it was asked at, the score and
 * the scale, optionally the respondent and the time. Gives NPS (scale 0–10) or CSAT (scale 1–N) per touchpoint
 * with its interval, and each touchpoint against the others surveyed with the same measure (touchpoint/stats'
 * `nps` and `proportionsZTest`).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { readSideCsv } from '../attribution/read/sideCsv'
import { issue, type TouchpointError } from '../core/errors'
import { proportionsZTest } from '../stats/frequentist/proportionsZTest'
// The bare quantile (no Either): the level is checked here, so the z value is always defined.
import { normalIsf } from '../stats/internal/normal'
import { nps } from '../stats/survey/nps'
import type { Satisfaction, SurveyComparison } from './actions'
import { wilsonInterval } from './internal/wilson'

/**
 * Options of {@link parseSurveys}: the CSV delimiter (default `,`) and the interval level (default 0.95).
 *
 * @category surveys
 * @since 0.1.0
 */
export interface SurveyOptions {
  readonly delimiter?: string
  readonly level?: number
}

/** A scale: NPS on 0–10, or CSAT on 1–`top` counting ratings from `satisfiedFrom` as satisfied. */
type Scale = { readonly measure: 'nps'; readonly text: '0-10' } | { readonly measure: 'csat'; readonly text: string; readonly top: number; readonly satisfiedFrom: number }

const SCALE_EXPECTED = 'nps or 0-10 (NPS), csat or 1-N with N from 2 to 100 (CSAT, e.g. 1-5)'

const scaleOf = (text: string): Scale | undefined => {
  const s = text.trim().toLowerCase()
  if (s === 'nps' || s === '0-10') return { measure: 'nps', text: '0-10' }
  const m = s === 'csat' ? ['', '5'] : /^1-(\d{1,3})$/.exec(s)
  if (m === null) return undefined
  const top = Number(m[1])
  // Top-two-box from a 4-point scale up (4 and 5 of 1–5, csat's default); the top box alone on 2 or 3 points.
  return top >= 2 && top <= 100 ? { measure: 'csat', text: `1-${top}`, top, satisfiedFrom: top >= 4 ? top - 1 : top } : undefined
}

interface Tally {
  readonly scale: Scale
  readonly line: number
  /** NPS: promoters, passives, detractors; CSAT: satisfied, others. */
  readonly counts: Array<number>
}

const satisfactionOf = (t: Tally, level: number, z: number): Satisfaction => {
  const n = t.counts.reduce((a, b) => a + b, 0)
  if (t.scale.measure === 'csat') {
    const iv = wilsonInterval(t.counts[0]!, n, level)
    return { measure: 'csat', scale: t.scale.text, score: iv.value, lower: iv.lower, upper: iv.upper, responses: n }
  }
  const [p, , d] = t.counts as [number, number, number]
  const s = (p - d) / n
  const se = Math.sqrt(Math.max(0, p / n + d / n - s * s) / n)
  // The Wald interval of touchpoint/stats' nps, on the usual −100..100 scale.
  return { measure: 'nps', scale: t.scale.text, score: 100 * s, lower: 100 * Math.max(-1, s - z * se), upper: 100 * Math.min(1, s + z * se), responses: n }
}

const versusOthers = (mine: Tally, others: ReadonlyArray<Tally>, level: number): SurveyComparison | undefined => {
  const pooled = [0, 0, 0]
  for (const o of others) o.counts.forEach((c, i) => (pooled[i] = pooled[i]! + c))
  const n = pooled.reduce((a, b) => a + b, 0)
  if (!(n > 0)) return undefined
  if (mine.scale.measure === 'nps') {
    const r = nps({ level })({ control: { promoters: pooled[0]!, passives: pooled[1]!, detractors: pooled[2]! }, treatment: { promoters: mine.counts[0]!, passives: mine.counts[1]!, detractors: mine.counts[2]! } })
    return E.isLeft(r) ? undefined : { difference: 100 * r.right.difference, lower: 100 * r.right.interval.lower, upper: 100 * r.right.interval.upper, pValue: r.right.pValue, others: n }
  }
  const arm = (c: ReadonlyArray<number>) => ({ units: c[0]! + c[1]!, conversions: c[0]! })
  const r = proportionsZTest({ level })({ control: arm(pooled), treatment: arm(mine.counts) })
  return E.isLeft(r) ? undefined : { difference: r.right.difference, lower: r.right.interval.lower, upper: r.right.interval.upper, pValue: r.right.pValue, others: n }
}

/**
 * Satisfaction per touchpoint from survey responses (CSV text). Columns, in any order, names in any letter case:
 * `touchpoint` (or `channel`), `score`, `scale`, and optionally `respondent` and `time`; others are ignored.
 * - Scale `nps` or `0-10`: the Net Promoter Score (promoters 9–10 minus detractors 0–6, as a share of responses,
 *   ×100) with the Wald interval of touchpoint/stats' `nps`.
 * - Scale `csat` (= `1-5`) or `1-N`: the share satisfied (the top two boxes from 4 points up, the top box on 2 or 3
 *   points; 4 and 5 of 1–5 as `csat`'s default) with its Wilson interval.
 * - `versusOthers`: the touchpoint against the other touchpoints surveyed with the same measure, pooled (`nps`
 *   z-test, or `proportionsZTest` on the satisfied shares).
 *
 * `Left` lists every bad line with its number: a score that is not an integer on its scale, an unknown scale, a
 * touchpoint asked on two scales, a respondent who answered at the same touchpoint and time twice, a missing
 * field; and a header without the required columns, or with one of them twice.
 *
 * @example
 * parseSurveys('touchpoint,score,scale\nchat,9,0-10\nchat,3,0-10\nchat,10,0-10\nstore,5,1-5\nstore,2,1-5\n')
 * // => right({ chat: { measure: 'nps', scale: '0-10', score: 33.33…, lower: -73.35…, upper: 100, responses: 3 }, store: { measure: 'csat', scale: '1-5', score: 0.5, lower: 0.09453…, upper: 0.90546…, responses: 2 } })
 *
 * @category surveys
 * @since 0.1.0
 */
export const parseSurveys = (text: string, given: SurveyOptions = {}): E.Either<TouchpointError, Readonly<Record<string, Satisfaction>>> => {
  const tallies = new Map<string, Tally>()
  const answered = new Map<string, number>()
  const read = readSideCsv(
    {
      optionsExpected: 'an object such as { delimiter: ";", level: 0.95 }',
      otherOptions: (o) => {
        const lv = o['level']
        return lv !== undefined && !(typeof lv === 'number' && lv > 0 && lv < 1) ? [issue('options.level', 'a number in (0, 1)', lv)] : []
      },
      columns: (header, line, shown) => {
        const touchpoint = header.includes('touchpoint') ? header.indexOf('touchpoint') : header.indexOf('channel')
        const score = header.indexOf('score')
        const scale = header.indexOf('scale')
        if (touchpoint < 0 || score < 0 || scale < 0) {
          return E.left([{ path: 'header', expected: 'columns named "touchpoint" (or "channel"), "score" and "scale" (and optionally "respondent", "time")', actual: shown, line }])
        }
        const named = ['touchpoint', 'channel', 'score', 'scale', 'respondent', 'time'].map((c) => header.indexOf(c))
        return E.right({ columns: { touchpoint, score, scale, respondent: header.indexOf('respondent'), time: header.indexOf('time') }, named })
      },
      headerExpected: 'a header row with "touchpoint", "score" and "scale"',
      row: (fields, line, columns, issues) => {
        const touchpoint = fields[columns.touchpoint]!.trim()
        const scaleText = fields[columns.scale]!.trim()
        const scoreText = fields[columns.score]!.trim()
        const scale = scaleOf(scaleText)
        const before = issues.length
        if (touchpoint === '') issues.push({ path: 'touchpoint', expected: 'a touchpoint name', actual: '', line })
        if (scale === undefined) issues.push({ path: 'scale', expected: SCALE_EXPECTED, actual: scaleText, line })
        const score = scoreText === '' ? Number.NaN : Number(scoreText)
        const [lo, hi] = scale === undefined ? [0, 0] : scale.measure === 'nps' ? [0, 10] : [1, scale.top]
        if (scale !== undefined && !(Number.isInteger(score) && score >= lo && score <= hi)) issues.push({ path: 'score', expected: `an integer from ${lo} to ${hi} (scale ${scale.text})`, actual: scoreText, line })
        if (issues.length > before || scale === undefined) return
        const known = tallies.get(touchpoint)
        if (known !== undefined && known.scale.text !== scale.text) {
          issues.push({ path: 'scale', expected: `${known.scale.text}, the scale of ${touchpoint} on line ${known.line} (one scale per touchpoint)`, actual: scaleText, line })
          return
        }
        const respondent = columns.respondent < 0 ? '' : fields[columns.respondent]!.trim()
        if (respondent !== '') {
          const key = JSON.stringify([touchpoint, respondent, columns.time < 0 ? '' : fields[columns.time]!.trim()])
          const first = answered.get(key)
          if (first !== undefined) {
            issues.push({ path: 'respondent', expected: `one answer per respondent, touchpoint and time (line ${first} has this one)`, actual: respondent, line })
            return
          }
          answered.set(key, line)
        }
        const tally = known ?? { scale, line, counts: scale.measure === 'nps' ? [0, 0, 0] : [0, 0] }
        tallies.set(touchpoint, tally)
        const bin = scale.measure === 'nps' ? (score >= 9 ? 0 : score >= 7 ? 1 : 2) : score >= scale.satisfiedFrom ? 0 : 1
        tally.counts[bin] = tally.counts[bin]! + 1
      },
    },
    text,
    given,
  )
  if (E.isLeft(read)) return read
  // The options were checked by the reader: a level, if given, is in (0, 1).
  const lv = (given as { readonly level?: unknown }).level
  const level = typeof lv === 'number' ? lv : 0.95
  const z = normalIsf((1 - level) / 2)
  const names = [...tallies.keys()].sort()
  const out: Record<string, Satisfaction> = {}
  for (const name of names) {
    const mine = tallies.get(name)!
    const others = names.filter((o) => o !== name && tallies.get(o)!.scale.measure === mine.scale.measure).map((o) => tallies.get(o)!)
    const vs = versusOthers(mine, others, level)
    out[name] = { ...satisfactionOf(mine, level, z), ...(vs === undefined ? {} : { versusOthers: vs }) }
  }
  return E.right(out)
}
