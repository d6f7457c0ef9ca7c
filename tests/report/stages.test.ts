import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { STAGES, UNMAPPED } from '../../src/report/model'
import { DEFAULT_STAGE_KEYWORDS, decodeMediumMapping, decodeStageMapping, decodeStageMappingJson, defaultStage, mediumFor, stageOf } from '../../src/report/stages'
import { mediumOf } from '../../src/report/internal/medium'

describe('stages', () => {
  it('the issue\'s default names get the documented stages', () => {
    for (const c of ['display', 'social', 'video', 'outdoor']) expect(defaultStage(c)).toBe('awareness')
    for (const c of ['search', 'reviews', 'blog', 'comparison']) expect(defaultStage(c)).toBe('consideration')
    for (const c of ['website', 'chat', 'sales']) expect(defaultStage(c)).toBe('decision')
    expect(defaultStage('store')).toBe('purchase')
    for (const c of ['email', 'loyalty', 'support', 'surveys']) expect(defaultStage(c)).toBe('loyalty')
  })

  test.prop([fc.constantFrom(...STAGES.flatMap((s) => DEFAULT_STAGE_KEYWORDS[s].map((k) => [s, k] as const))), fc.constantFrom('', 'paid_', 'Paid ', 'x-'), fc.constantFrom('', '_paid', ' (organic)', '-2')])(
    'a keyword anywhere in a name, any case, as a word, gives its stage',
    ([stage, keyword], pre, post) => {
      const name = `${pre}${keyword}${post}`
      // The prefix words are not keywords, so the keyword decides.
      expect(defaultStage(name.toUpperCase())).toBe(stage)
    },
  )

  it('names with no keyword are unmapped; keywords must be whole words', () => {
    expect(defaultStage('partner')).toBe(UNMAPPED)
    expect(defaultStage('researchers')).toBe(UNMAPPED)
  })

  it('the mapping wins over defaults, exact name first then any case; defaults can be turned off', () => {
    const s = stageOf({ mapping: { store: 'decision', Email: 'purchase', email: 'awareness' } })
    expect(s('store')).toBe('decision')
    expect(s('email')).toBe('awareness')
    expect(s('EMAIL')).toBe('purchase')
    expect(s('video')).toBe('awareness')
    expect(stageOf({ defaults: false })('video')).toBe(UNMAPPED)
  })

  it('decoding names every bad entry', () => {
    const r = decodeStageMapping({ display: 'awareness', email: 'retention', store: 3 })
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path).sort() : []).toEqual(['email', 'store'])
    expect(E.isLeft(decodeStageMappingJson('{"a": '))).toBe(true)
    expect(E.isLeft(decodeStageMapping(['awareness']))).toBe(true)
    expect(decodeStageMappingJson('{"video": "awareness"}')).toEqual(E.right({ video: 'awareness' }))
  })

  test.prop([fc.jsonValue()])('any JSON decodes to Right or Left, never throws; Right only with stage values', (v) => {
    const r = decodeStageMapping(v)
    if (E.isRight(r)) expect(Object.values(r.right).every((s) => (STAGES as ReadonlyArray<string>).includes(s))).toBe(true)
  })

  const arbEntry = fc.oneof(
    fc.constantFrom(...STAGES),
    fc.record({ stage: fc.constantFrom(...STAGES), medium: fc.constantFrom('online' as const, 'offline' as const) }, { requiredKeys: [] }),
  )
  const arbName = fc.constantFrom('store', 'Video', 'partner', 'email_news', 'tv spot', 'x')
  test.prop([fc.dictionary(arbName, arbEntry), arbName])('entries as a stage or {stage?, medium?}: the stage mapping keeps the stages, the media override the name rule', (given, channel) => {
    const stages = decodeStageMapping(given)
    const media = decodeMediumMapping(given)
    expect(E.isRight(stages) && E.isRight(media)).toBe(true)
    if (E.isLeft(stages) || E.isLeft(media)) return
    for (const [k, v] of Object.entries(given)) {
      expect(stages.right[k]).toBe(typeof v === 'string' ? v : v.stage)
      expect(media.right[k]).toBe(typeof v === 'string' ? undefined : v.medium)
    }
    const set = media.right[channel]
    expect(mediumFor(media.right)(channel)).toBe(set ?? mediumOf(channel))
    expect(mediumFor(media.right, false)(channel)).toBe(set)
  })

  it('a wrong medium, stage or field in an object entry is told with its channel and field', () => {
    const r = decodeMediumMapping({ store: { stage: 'purchase', medium: 'in-store' }, tv: { stage: 'buying' }, web: { medum: 'online' }, ok: { medium: 'offline' } })
    expect(E.isLeft(r)).toBe(true)
    const issues = E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : []
    expect(issues.map((i) => [i.path, i.actual])).toEqual([['store.medium', 'in-store'], ['tv.stage', 'buying'], ['web.medum', 'online']])
    expect(E.isLeft(decodeStageMapping({ store: { medium: 'in-store' } }))).toBe(true)
    expect(E.isLeft(decodeStageMapping({ store: 3 }))).toBe(true)
  })

  it('from JSON text, a bad entry is told with its line and column, as a syntax error is', () => {
    const r = decodeStageMappingJson('{\n  "email": "loyalty",\n  "store": {"stage": "purchase",\n            "medium": "in-store"},\n  "tv": "buying"\n}')
    const issues = E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : []
    expect(issues.map((i) => [i.path, i.actual, i.line, i.column])).toEqual([['store.medium', 'in-store', 4, 23], ['tv', 'buying', 5, 9]])
    const syntax = decodeStageMappingJson('{\n  "email": loyalty\n}')
    expect(E.isLeft(syntax) && syntax.left._tag === 'InvalidInput' ? [syntax.left.issues[0]!.line, syntax.left.issues[0]!.column] : []).toEqual([2, 12])
  })
})
