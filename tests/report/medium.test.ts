import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { mediumOf, OFFLINE_WORDS, ONLINE_WORDS } from '../../src/report/internal/medium'

const neither = fc.stringMatching(/^[a-z0-9]{1,8}$/).filter((w) => !OFFLINE_WORDS.includes(w) && !ONLINE_WORDS.includes(w))
const sep = fc.constantFrom('_', ' ', '-', ' (', ') ', '/')
const nameOf = (words: ReadonlyArray<string>, seps: ReadonlyArray<string>) => words.map((w, i) => (i === 0 ? w : `${seps[i % seps.length]}${w}`)).join('')

describe('mediumOf', () => {
  it('marks the example channels: store offline, the rest online; unknown names get no mark', () => {
    const examples = ['display', 'video', 'social_organic', 'social_paid', 'affiliate', 'search_paid', 'search_organic', 'referral', 'direct', 'retargeting', 'email']
    for (const c of examples) expect(mediumOf(c), c).toBe('online')
    expect(mediumOf('store')).toBe('offline')
    expect(mediumOf('TV (spot)')).toBe('offline')
    for (const c of ['sales', 'support', 'checkout', 'partner', '', 'e-mail']) expect(mediumOf(c), c).toBeUndefined()
    expect(mediumOf(3 as never)).toBeUndefined()
  })

  it('no word is both online and offline', () => {
    expect(OFFLINE_WORDS.filter((w) => ONLINE_WORDS.includes(w))).toEqual([])
  })

  test.prop([fc.array(neither, { maxLength: 4 }), fc.constantFrom(...OFFLINE_WORDS), fc.constantFrom(...ONLINE_WORDS), fc.array(sep, { minLength: 1, maxLength: 3 }), fc.nat(), fc.boolean(), fc.boolean()])(
    'an offline word anywhere makes it offline, else an online word online, else nothing; letter case plays no part',
    (others, off, on, seps, at, withOffline, upper) => {
      const words = [...others]
      words.splice(at % (words.length + 1), 0, ...(withOffline ? [on, off] : [on]))
      const name = nameOf(words, seps)
      expect(mediumOf(upper ? name.toUpperCase() : name)).toBe(withOffline ? 'offline' : 'online')
      expect(mediumOf(nameOf(others.length > 0 ? others : ['zzz'], seps))).toBeUndefined()
    },
  )
})
