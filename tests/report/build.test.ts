import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { markovRemovalEffects } from '../../src/attribution/markov'
import { DEFAULT_SETTINGS, type Journey } from '../../src/attribution/model'
import { reportSettings } from '../../src/report/accumulate'
import { replicatePartial } from '../../src/report/replicates'
import { buildReport, quantileSorted } from '../../src/report/build'
import { STAGES, type Report } from '../../src/report/model'
import { right } from '../_either'
import { expectClose } from '../_close'
import { arbJourneys, arbPath, reduceBoth, settings, sum } from './_helpers'

const golden = JSON.parse(readFileSync(new URL('./quantile.golden.json', import.meta.url), 'utf8')) as { cases: Array<{ xs: Array<number>; q: number; expected: number }> }
const MODELS = ['first', 'last', 'linear', 'position', 'markov', 'shapley'] as const
const build = (journeys: ReadonlyArray<Journey>, options: Partial<Parameters<typeof buildReport>[0]> = {}, replicates = 0): Report =>
  right(pipe(reduceBoth(journeys, settings({ replicates })), buildReport({ models: [...MODELS], ...options })))

describe('buildReport', () => {
  it('no conversion at all: Markov is left out (it needs one) and the other models credit nothing; Markov alone still refuses', () => {
    const journeys: ReadonlyArray<Journey> = [
      { channels: ['email'], conversions: 0, value: 0, nulls: 2 },
      { channels: ['email', 'email'], conversions: 0, value: 0, nulls: 1 },
    ]
    const p = reduceBoth(journeys)
    const r = right(pipe(p, buildReport({ models: ['first', 'last', 'linear', 'position', 'markov', 'shapley'] })))
    expect(r.models).toEqual(['first', 'last', 'linear', 'position', 'shapley'])
    expect(r.totals.journeys).toBe(3)
    expect(r.touchpoints.map((t) => t.channel)).toEqual(['email'])
    expect(r.touchpoints.every((t) => r.models.every((m) => t.credits[m]!.conversions === 0))).toBe(true)
    const alone = pipe(p, buildReport({ models: ['markov'] }))
    expect(E.isLeft(alone) && alone.left._tag).toBe('InsufficientData')
  })
  it('quantileSorted matches numpy.quantile (method linear)', () => {
    for (const c of golden.cases) expectClose('quantileSorted', quantileSorted(c.q)(c.xs), c.expected, { rel: 1e-12, abs: 1e-12 }, `n=${c.xs.length} q=${c.q}`)
  })

  test.prop([arbJourneys()])('credits of every model but participation add up to the conversions; shares to 1', (journeys) => {
    const r = build(journeys)
    for (const m of MODELS) {
      expect(sum(r.touchpoints.map((t) => t.credits[m]!.conversions))).toBeCloseTo(r.totals.conversions, 6)
      expect(sum(r.touchpoints.map((t) => t.credits[m]!.share))).toBeCloseTo(1, 9)
    }
  })

  test.prop([arbJourneys()])('journeys reached and converting journeys are counted journey by journey', (journeys) => {
    const r = build(journeys)
    for (const t of r.touchpoints) {
      const on = journeys.filter((j) => j.channels.includes(t.channel))
      expect(t.journeys).toBeCloseTo(sum(on.map((j) => j.conversions + j.nulls)), 9)
      expect(t.convertingJourneys).toBeCloseTo(sum(on.map((j) => j.conversions)), 9)
      expect(t.conversionRate).toBeGreaterThanOrEqual(0)
      expect(t.conversionRate).toBeLessThanOrEqual(1)
      const shares = t.roleShares
      const total = shares.introducer + shares.assister + shares.closer + shares.solo
      expect(total === 0 || Math.abs(total - 1) < 1e-9).toBe(true)
      expect(t.averagePosition === 0 || t.averagePosition >= 1).toBe(true)
    }
  })

  test.prop([arbJourneys(), fc.integer({ min: 1, max: 6 })])(
    "the report's sums equal a direct computation over the journeys, by channel name (touches, roles, positions, lengths, flow, totals)",
    (journeys, flowSteps) => {
      const r = right(pipe(reduceBoth(journeys, settings({ flowSteps })), buildReport({ models: ['first', 'last'] })))
      type Direct = { touches: number; conv: Array<number>; all: Array<number>; position: number; toEnd: number }
      const direct = new Map<string, Direct>()
      const at = (c: string): Direct => {
        let d = direct.get(c)
        if (d === undefined) direct.set(c, (d = { touches: 0, conv: [0, 0, 0, 0], all: [0, 0, 0, 0], position: 0, toEnd: 0 }))
        return d
      }
      const lengths = new Map<number, { conversions: number; nulls: number }>()
      const flow = new Map<string, number>()
      const addFlow = (k: string, w: number) => w > 0 && flow.set(k, (flow.get(k) ?? 0) + w)
      for (const j of journeys) {
        const n = j.channels.length
        const w = j.conversions + j.nulls
        j.channels.forEach((c, i) => {
          const d = at(c)
          const role = n === 1 ? 3 : i === 0 ? 0 : i === n - 1 ? 2 : 1
          d.touches += w
          d.all[role]! += w
          d.conv[role]! += j.conversions
          d.position += w * (i + 1)
          d.toEnd += w * (n - 1 - i)
        })
        const l = lengths.get(n) ?? { conversions: 0, nulls: 0 }
        lengths.set(n, { conversions: l.conversions + j.conversions, nulls: l.nulls + j.nulls })
        const followed = Math.min(n, flowSteps)
        for (let s = 0; s + 1 < followed; s++) addFlow(`${s} ${j.channels[s]} ${j.channels[s + 1]}`, w)
        addFlow(`${followed - 1} ${j.channels[followed - 1]} (conversion)`, j.conversions)
        addFlow(`${followed - 1} ${j.channels[followed - 1]} (null)`, j.nulls)
      }
      const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)))
      expect(r.touchpoints.map((t) => t.channel).sort()).toEqual([...direct.keys()].sort())
      for (const t of r.touchpoints) {
        const d = direct.get(t.channel)!
        close(t.touches, d.touches)
        ;(['introducer', 'assister', 'closer', 'solo'] as const).forEach((k, role) => {
          close(t.roles[k], d.conv[role]!)
          close(t.rolesAllJourneys[k], d.all[role]!)
        })
        close(t.averagePosition, d.touches > 0 ? d.position / d.touches : 0)
        close(t.averageTouchesAfter, d.touches > 0 ? d.toEnd / d.touches : 0)
      }
      close(r.totals.touches, sum([...direct.values()].map((d) => d.touches)))
      close(r.totals.conversions, sum(journeys.map((j) => j.conversions)))
      close(r.totals.nulls, sum(journeys.map((j) => j.nulls)))
      close(r.totals.value, sum(journeys.map((j) => j.value)))
      close(r.totals.journeys, sum(journeys.map((j) => j.conversions + j.nulls)))
      const expectedLengths = [...lengths].filter(([, l]) => l.conversions > 0 || l.nulls > 0).sort(([a], [b]) => a - b)
      expect(r.paths.lengths.map((l) => l.length)).toEqual(expectedLengths.map(([n]) => n))
      r.paths.lengths.forEach((l, k) => {
        close(l.conversions, expectedLengths[k]![1].conversions)
        close(l.nulls, expectedLengths[k]![1].nulls)
      })
      expect(r.flow.length).toBe(flow.size)
      for (const f of r.flow) close(f.weight, flow.get(`${f.step} ${f.from} ${f.to}`) ?? Number.NaN)
    },
  )

  test.prop([arbJourneys()])('the funnel narrows stage by stage; drop-offs and closes account for every journey', (journeys) => {
    const r = build(journeys)
    const funnel = STAGES.map((s) => r.stages.find((x) => x.stage === s)?.reachedOrBeyond ?? 0)
    for (let i = 1; i < funnel.length; i++) expect(funnel[i]!).toBeLessThanOrEqual(funnel[i - 1]! + 1e-9)
    expect(sum(r.stages.map((s) => s.dropOff))).toBeCloseTo(r.totals.nulls, 9)
    expect(sum(r.stages.map((s) => s.closes))).toBeCloseTo(r.totals.conversions, 9)
    expect(sum(r.stageFlow.filter((l) => l.from === '(start)').map((l) => l.weight))).toBeCloseTo(r.totals.journeys, 9)
    for (const s of r.stages) expect(s.journeys).toBeLessThanOrEqual(r.totals.journeys + 1e-9)
  })

  it('a stage mapping moves channels between stages', () => {
    const js: Array<Journey> = [{ channels: ['video', 'store'], conversions: 2, value: 20, nulls: 3 }]
    expect(build(js).touchpoints.map((t) => t.stage)).toEqual(['awareness', 'purchase'])
    expect(build(js, { stages: { store: 'decision' } }).touchpoints.map((t) => t.stage)).toEqual(['awareness', 'decision'])
    expect(build(js, { defaultStages: false }).stages.map((s) => s.stage)).toContain('(unmapped)')
  })

  test.prop([arbJourneys(), fc.dictionary(fc.constantFrom('search', 'display', 'email', 'social', 'direct', 'affiliate', 'video', 'store', 'tv'), fc.integer({ min: 0, max: 5000 }))])(
    'cost per conversion is cost / credited conversions, return on spend credited value / cost',
    (journeys, costs) => {
      const r = build(journeys, { costs: { channels: costs, periods: [] } })
      for (const t of r.touchpoints) {
        const cost = costs[t.channel]
        if (cost === undefined) {
          expect(t.cost).toBeUndefined()
          continue
        }
        for (const m of MODELS) {
          const c = t.credits[m]!
          expect(t.cost!.costPerConversion[m]).toBe(c.conversions > 0 ? cost / c.conversions : null)
          expect(t.cost!.returnOnSpend[m]).toBe(cost > 0 ? c.value / cost : null)
        }
      }
      expect(r.costs!.unmatched).toEqual(Object.keys(costs).filter((c) => !r.touchpoints.some((t) => t.channel === c)).sort())
      for (const o of r.opportunities) {
        expect(o.score).toBeGreaterThan(0)
        expect(o.score).toBeLessThanOrEqual(3 + 1e-9)
        expect(o.reasons.length).toBeGreaterThan(0)
      }
      for (let i = 1; i < r.opportunities.length; i++) expect(r.opportunities[i]!.score).toBeLessThanOrEqual(r.opportunities[i - 1]!.score)
    },
  )

  it('ranks first the touchpoint with high volume and low conversion, then the expensive one', () => {
    const js: Array<Journey> = [
      { channels: ['banner', 'search'], conversions: 2, value: 20, nulls: 400 },
      { channels: ['search'], conversions: 60, value: 600, nulls: 40 },
      { channels: ['email', 'search'], conversions: 30, value: 300, nulls: 10 },
    ]
    const r = build(js, { costs: { channels: { banner: 100, search: 100, email: 5000 }, periods: [] } })
    const names = r.opportunities.map((o) => o.channel)
    expect(names[0]).toBe('banner')
    expect(names).toContain('email')
    expect(r.opportunities.find((o) => o.channel === 'email')!.excessSpend).toBeGreaterThan(0)
    expect(r.opportunities.find((o) => o.channel === 'banner')!.conversionGap).toBeGreaterThan(0)
  })

  it('bootstrap standard error of first-touch credit is close to √count (Poisson), intervals bracket it', () => {
    const T = 1_800_000_000_000
    const channels = ['a', 'b', 'c', 'd']
    // 600 distinct converting journeys, first touch a/b/c/d in shares 40/30/20/10%, plus non-converting ones.
    const js: Array<Journey> = Array.from({ length: 900 }, (_, i) => {
      const first = i % 10 < 4 ? 'a' : i % 10 < 7 ? 'b' : i % 10 < 9 ? 'c' : 'd'
      const times = [T + i * 10_000, T + i * 10_000 + 1000]
      return i < 600
        ? { channels: [first, channels[(i * 7) % 4]!], times, conversions: 1, value: 5, nulls: 0, conversionTime: T + i * 10_000 + 2000 }
        : { channels: [first, channels[(i * 3) % 4]!], times, conversions: 0, value: 0, nulls: 1 }
    })
    const r = build(js, { models: ['first', 'last', 'markov'] }, 400)
    expect(r.bootstrap.used).toBe(400)
    for (const t of r.touchpoints) {
      const c = t.credits['first']!
      // The sample sd of 400 replicates estimates √count within about ±3.5% (1 sd); allow 15%.
      expect(c.standardError! / Math.sqrt(c.conversions)).toBeGreaterThan(0.85)
      expect(c.standardError! / Math.sqrt(c.conversions)).toBeLessThan(1.15)
      expect(c.interval!.lower).toBeLessThanOrEqual(c.conversions)
      expect(c.interval!.upper).toBeGreaterThanOrEqual(c.conversions)
    }
  })

  it('disagreement: clear when models differ beyond noise, absent spread when every model agrees', () => {
    const T = 1_800_000_000_000
    const js: Array<Journey> = Array.from({ length: 300 }, (_, i) => ({
      channels: i % 3 === 0 ? ['solo'] : ['opener', 'closer'],
      times: i % 3 === 0 ? [T + i] : [T + i, T + i + 1],
      conversions: 1,
      value: 1,
      nulls: 0,
      conversionTime: T + i + 2,
    }))
    const r = build(js, { models: ['first', 'last', 'linear'] }, 100)
    const opener = r.touchpoints.find((t) => t.channel === 'opener')!.disagreement!
    expect([opener.highestModel, opener.lowestModel]).toEqual(['first', 'last'])
    expect(opener.clear).toBe(true)
    const solo = r.touchpoints.find((t) => t.channel === 'solo')!.disagreement!
    expect(solo.spread).toBe(0)
    expect(solo.clear).toBeUndefined()
  })

  it('time to conversion comes from timed journeys; paths carry none', () => {
    const T = 1_800_000_000_000
    const day = 86_400_000
    const js: Array<Journey> = [1, 2, 3, 4, 5].map((d, i) => ({ channels: ['x', 'y'], times: [T - d * day, T - 1000 * (i + 2)], conversions: 1, value: 1, nulls: 0, conversionTime: T }))
    const r = build(js)
    const x = r.touchpoints.find((t) => t.channel === 'x')!.timeToConversion!
    expect(x.count).toBe(5)
    expect(x.median / (3 * day)).toBeGreaterThan(1 / 1.06)
    expect(x.median / (3 * day)).toBeLessThan(1.06)
    expect(r.paths.timeToConversion!.median).toBeCloseTo(x.median, 6)
    expect(build([{ channels: ['a'], conversions: 1, value: 1, nulls: 0 }]).touchpoints[0]!.timeToConversion).toBeUndefined()
  })

  it('top paths rank by conversions and by non-conversions; transitions skip repeats', () => {
    const js: Array<Journey> = [
      { channels: ['a', 'b'], conversions: 5, value: 5, nulls: 1 },
      { channels: ['b'], conversions: 9, value: 9, nulls: 0 },
      { channels: ['c', 'c', 'a'], conversions: 0, value: 0, nulls: 20 },
      { channels: ['a'], conversions: 1, value: 1, nulls: 3 },
    ]
    const r = build(js, { top: 2 })
    expect(r.paths.topConverting.map((p) => p.path.join('>'))).toEqual(['b', 'a>b'])
    expect(r.paths.topNonConverting.map((p) => p.path.join('>'))).toEqual(['c>c>a', 'a'])
    expect(r.paths.transitions.map((l) => `${l.from}>${l.to}`)).toEqual(['c>a', 'a>b'])
    expect(r.paths.transitions[0]!.share).toBeCloseTo(20 / 40, 12)
    expect(r.paths.lengths).toEqual([
      { length: 1, conversions: 10, nulls: 3 },
      { length: 2, conversions: 5, nulls: 1 },
      { length: 3, conversions: 0, nulls: 20 },
    ])
  })

  test.prop([fc.array(arbPath(['a', 'b', 'c', 'd', 'e', 'f', 'g']), { minLength: 20, maxLength: 60 }), fc.integer({ min: 3, max: 4 })], { numRuns: 15 })(
    'Markov intervals of chains solved from the point estimate equal those of exact solves per replicate (to 1e-6)',
    (paths, order) => {
      fc.pre(paths.some((p) => p.conversions > 0))
      const partial = reduceBoth(paths, reportSettings({ ...DEFAULT_SETTINGS, order }, { replicates: 40, seed: 'exact' }))
      fc.pre(partial.attribution.markov.states.length > 60)
      const r = right(buildReport({ models: ['markov'] })(partial))
      const replicate = replicatePartial(partial)
      const draws = partial.attribution.channels.map(() => [] as Array<number>)
      for (let k = 0; k < 40; k++) {
        const m = markovRemovalEffects(replicate(k))
        if (E.isRight(m)) m.right.conversions.forEach((x, i) => draws[i]!.push(x))
      }
      r.touchpoints.forEach((t, i) => {
        const xs = draws[i]!.slice().sort((a, b) => a - b)
        const iv = t.credits.markov!.interval!
        expect(Math.abs(iv.lower - quantileSorted(0.025)(xs))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(iv.lower)))
        expect(Math.abs(iv.upper - quantileSorted(0.975)(xs))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(iv.upper)))
      })
    },
  )

  it('errors: time decay on untimed paths, a bad level, no models', () => {
    const partial = reduceBoth([{ channels: ['a'], conversions: 1, value: 1, nulls: 0 }])
    expect(E.isLeft(buildReport({ models: ['time_decay'] })(partial))).toBe(true)
    expect(E.isLeft(buildReport({ models: ['first'], level: 1 })(partial))).toBe(true)
    expect(E.isLeft(buildReport({ models: [] })(partial))).toBe(true)
  })
})
