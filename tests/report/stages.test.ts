import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { STAGES, UNMAPPED } from '../../src/report/model'
import { DEFAULT_STAGE_KEYWORDS, decodeStageMapping, decodeStageMappingJson, defaultStage, stageOf } from '../../src/report/stages'

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
})
