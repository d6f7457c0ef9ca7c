/**
 * Sticky assignment in the adapters (`stickyCookie`): the record survives config changes, a tampered or oversized
 * record is ignored (never thrown on, never trusted), the cookie keeps to its cap, and without a record the
 * adapter assigns exactly as plain assignment does.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { assignExperiment } from '../../src/assignment/assign'
import { decodeConfig } from '../../src/assignment/decode'
import type { Assigner, Assignment } from '../../src/assignment/model'
import { decodeStickyRecord, encodeStickyRecord } from '../../src/assignment/sticky'
import { checkOptions, touchpoint, type Decision } from '../../src/adapters/web'
import { stickyCookie, STICKY_COOKIE_NAME, type StickyCookieOptions } from '../../src/adapters/sticky'
import { expressMiddleware, viewerRequest, viewerResponse, type CloudFrontEvent } from '../../src/adapters/node'
import { arbConfigInput, arbWeights } from '../_arbitraries'
import { inlineCompiled } from '../_compiled'

type ConfigInput = { readonly experiments: ReadonlyArray<Record<string, unknown> & { key: string; variants: ReadonlyArray<{ key: string; weight: number }> }> }

const decoded = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-'
const arbValidId = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 })
const SECRET = 'a-secret-of-some-length'
/** Async properties over WebCrypto on a shared 2-core machine: more than vitest's 5 s default. */
const TIMEOUT = 60_000

const adapter = (config: unknown, sticky: StickyCookieOptions = {}) =>
  touchpoint({ config: inlineCompiled(config), unit: 'userId', sticky: stickyCookie(sticky), report: (e) => { throw new Error(JSON.stringify(e)) } })

const requestWith = (id: string, sticky?: string) =>
  new Request('https://shop.test/', { headers: { cookie: `tp_uid=${id}${sticky === undefined ? '' : `; ${sticky}`}` } })

/** `name=value` of a Set-Cookie value. */
const pairOf = (setCookie: string | undefined) => setCookie?.split(';')[0]

const plain = (assigner: Assigner, id: string): ReadonlyArray<Assignment> => assigner.experiments.map((x) => assignExperiment({ userId: id })(x))

/**
 * A config change that keeps every variant: new weights (and maybe new variants appended), variants in another
 * order, another coverage, another salt. Assignment moves units under it; sticky assignment must not.
 */
const arbChange = (config: ConfigInput) =>
  fc.tuple(...config.experiments.map((x) =>
    fc.record({
      weights: arbWeights(x.variants.length, x.variants.length + 2),
      reversed: fc.boolean(),
      coverage: fc.double({ min: 0, max: 1, noNaN: true }),
      salt: fc.string({ minLength: 1, maxLength: 8 }),
    }),
  )).map((changes) => ({
    experiments: config.experiments.map((x, i) => {
      const c = changes[i]!
      const variants = c.weights.map((weight, k) => ({ key: `v${k}`, weight }))
      return { ...x, coverage: c.coverage, salt: c.salt, variants: c.reversed ? variants.reverse() : variants }
    }),
  }))

const arbConfigAndChange = arbConfigInput.chain((config) => arbChange(config as ConfigInput).map((changed) => [config, changed] as const))

describe('stickyCookie in the adapter', () => {
  test.prop([arbConfigAndChange, fc.array(arbValidId, { minLength: 1, maxLength: 8 }), fc.boolean()], { numRuns: 60 })(
    'an enrolled unit keeps its variant under any config change that keeps the variant (signed or not)',
    async ([config, changed], ids, signed) => {
      const options = signed ? { secret: SECRET } : {}
      const before = adapter(config, options)
      const after = adapter(changed, options)
      for (const id of ids) {
        const first = await before.decide(requestWith(id))
        const later = await after.decide(requestWith(id, pairOf(first.stickyCookie)))
        first.assignments.forEach((a, i) => {
          if (a._tag !== 'Enrolled') return
          expect(later.assignments[i]).toMatchObject({ _tag: 'Enrolled', variant: a.variant, sticky: true })
        })
      }
    },
    TIMEOUT,
  )

  test.prop([arbConfigInput, arbValidId], { numRuns: 60 })('without a record it assigns exactly as plain assignment (differential)', async (config, id) => {
    const decision = await adapter(config).decide(requestWith(id))
    expect(decision.assignments).toEqual(plain(decoded(config), id))
    const enrolled = decision.assignments.filter((a) => a._tag === 'Enrolled')
    // A record is written when something was enrolled, and it reads back as those assignments.
    if (enrolled.length === 0) expect(decision.stickyCookie).toBeUndefined()
    else {
      const value = pairOf(decision.stickyCookie)!.slice(STICKY_COOKIE_NAME.length + 1)
      expect(Object.values(decodeStickyRecord(value)).sort()).toEqual(enrolled.map((a) => (a._tag === 'Enrolled' ? a.variant : '')).sort())
    }
  }, TIMEOUT)

  test.prop([arbConfigInput, arbValidId, fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '_', '.', 'v', '0', '1', 'E'), maxLength: 60 }))], { numRuns: 150 })(
    'a signed record that was tampered with is ignored: the decision is the plain one (never a throw)',
    async (config, id, tampered) => {
      const tp = adapter(config, { secret: SECRET })
      const value = tampered.replace(/[;,\s"\\]/g, '')
      // Junk, and a well-formed record naming each experiment's last variant with a signature that is not its own.
      const wellFormed = config.experiments.map((x) => `${encodeURIComponent(x.key)}__0=${x.variants.at(-1)!.key}`).join('&')
      for (const record of [value, `${wellFormed}.${value.slice(0, 22).padEnd(22, 'A')}`, wellFormed]) {
        const decision = await tp.decide(requestWith(id, `${STICKY_COOKIE_NAME}=${record}`))
        expect(decision.assignments).toEqual(plain(decoded(config), id))
      }
    },
    TIMEOUT,
  )

  test.prop([arbConfigInput, arbValidId, fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '_', 'v', '0', '1', 'x', 'y'), maxLength: 60 })], { numRuns: 150 })(
    'an unsigned record is only validated: each assignment is the plain one or a variant the record names for a current experiment',
    async (config, id, record) => {
      const decision = await adapter(config).decide(requestWith(id, `${STICKY_COOKIE_NAME}=${record}`))
      const stored = decodeStickyRecord(record)
      const assigner = decoded(config)
      plain(assigner, id).forEach((p, i) => {
        const a = decision.assignments[i]!
        if (a._tag === 'Enrolled' && a.sticky) {
          const x = assigner.experiments[i]!
          expect(stored[`${x.key}__${x.bucketVersion}`]).toBe(a.variant)
          expect(x.variants).toContain(a.variant)
        } else expect(a).toEqual(p)
      })
    },
    TIMEOUT,
  )

  it('a signed record copied to another unit id is ignored', async () => {
    const config = { experiments: [{ key: 'x', unit: 'userId', variants: [{ key: 'a' }, { key: 'b' }] }] }
    const tp = adapter(config, { secret: SECRET })
    const first = await tp.decide(requestWith('alice'))
    const value = pairOf(first.stickyCookie)!
    // A record naming the other variant, signed for alice, presented by bob.
    const a = first.assignments[0]!
    const other = a._tag === 'Enrolled' && a.variant === 'a' ? 'b' : 'a'
    const forged = pairOf((await adapter({ experiments: [{ ...config.experiments[0], variants: [{ key: other }, { key: other === 'a' ? 'b' : 'a', weight: 0 }].map((v) => ({ weight: 1, ...v })) }] }, { secret: SECRET }).decide(requestWith('alice'))).stickyCookie)!
    expect(forged).not.toBe(value)
    for (const id of ['bob', 'carol', 'dave']) {
      expect((await tp.decide(requestWith(id, forged))).assignments).toEqual(plain(decoded(config), id))
    }
    // ...while alice's own record is honoured.
    expect((await tp.decide(requestWith('alice', value))).assignments[0]).toMatchObject({ sticky: true, variant: (a as { variant: string }).variant })
  })

  test.prop([arbConfigInput, arbValidId, fc.integer({ min: 0, max: 5 })], { numRuns: 40 })('a bucketVersion bump re-randomises: the old record is ignored', async (config, id, bump) => {
    const first = await adapter(config).decide(requestWith(id))
    const bumped = { experiments: config.experiments.map((x) => ({ ...x, bucketVersion: bump + 1, salt: 'new-salt' })) }
    const later = await adapter(bumped).decide(requestWith(id, pairOf(first.stickyCookie)))
    expect(later.assignments).toEqual(plain(decoded(bumped), id))
  }, TIMEOUT)

  const arbManyExperiments = fc
    .uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 30 })
    .map((keys) => ({ experiments: keys.map((key) => ({ key, unit: 'userId', variants: [{ key: `variant ${key} one` }, { key: `variant ${key} two` }] })) }))

  test.prop([arbManyExperiments, arbValidId, fc.integer({ min: 64, max: 4096 }), fc.boolean(), fc.string({ minLength: 0, maxLength: 5000 })], { numRuns: 80 })(
    'the cookie never exceeds the cap (name=value, in bytes), and a record over the cap is not read',
    async (config, id, maxBytes, signed, junk) => {
      const options = { maxBytes, ...(signed ? { secret: SECRET } : {}) }
      const tp = adapter(config, options)
      const first = await tp.decide(requestWith(id))
      const pair = pairOf(first.stickyCookie)
      if (pair !== undefined) expect(new TextEncoder().encode(pair).length).toBeLessThanOrEqual(maxBytes)
      // An oversized record (over the cap) is ignored whatever it says, even a well-formed one naming other variants.
      const others = config.experiments.map((x) => `${encodeURIComponent(x.key)}__0=${encodeURIComponent(x.variants[1]!.key)}`).join('&')
      const oversized = `${STICKY_COOKIE_NAME}=${others}&pad__0=${encodeURIComponent(junk).padEnd(maxBytes, 'x')}`
      expect((await adapter(config, { maxBytes }).decide(requestWith(id, oversized))).assignments).toEqual(plain(decoded(config), id))
    },
    TIMEOUT,
  )

  // Keys whose text has no URI form (a lone surrogate) cannot be stored, and a record can be full: either way the
  // same record comes out of the next request, and writing it again would cost every request a Set-Cookie.
  const arbKeyText = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom('a', 'b', '\ud800', '\udbff', '\udc00', '\udfff', 'é', '😀'), minLength: 1, maxLength: 6 }),
  )
  const arbAwkwardExperiments = fc
    .uniqueArray(fc.tuple(arbKeyText, arbKeyText, arbKeyText), { minLength: 1, maxLength: 20, selector: ([key]) => key })
    .filter((xs) => xs.every(([, one, two]) => one !== two))
    .map((xs) => ({ experiments: xs.map(([key, one, two]) => ({ key, unit: 'userId', variants: [{ key: one }, { key: two }] })) }))

  test.prop([arbAwkwardExperiments, arbValidId, fc.integer({ min: 64, max: 1024 }), fc.boolean()], { numRuns: 80 })(
    'with the config unchanged, the request that brings the cookie back writes none (lone surrogates, a full record)',
    async (config, id, maxBytes, signed) => {
      const tp = adapter(config, { maxBytes, ...(signed ? { secret: SECRET } : {}) })
      const first = await tp.decide(requestWith(id))
      const again = await tp.decide(requestWith(id, pairOf(first.stickyCookie)))
      expect(again.assignments.map((a) => a._tag === 'Enrolled' && a.variant)).toEqual(first.assignments.map((a) => a._tag === 'Enrolled' && a.variant))
      expect(again.stickyCookie).toBeUndefined()
    },
    TIMEOUT,
  )

  it('writes the cookie only when the record changed, and only with consent', async () => {
    const config = { experiments: [{ key: 'x', unit: 'userId', variants: [{ key: 'a' }, { key: 'b' }] }] }
    const tp = adapter(config)
    const first = await tp.decide(requestWith('u-1'))
    expect(first.stickyCookie).toMatch(/^tp_sticky=x__0=[ab]; Path=\/; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax$/)
    expect((await tp.decide(requestWith('u-1', pairOf(first.stickyCookie)))).stickyCookie).toBeUndefined()
    const refused = touchpoint({ config: inlineCompiled(config), unit: 'userId', sticky: stickyCookie(), consent: () => false, report: () => undefined })
    expect((await refused.decide(requestWith('u-1'))).stickyCookie).toBeUndefined()
  })

  it('forced variants and overrides win and are not stored', async () => {
    const config = { experiments: [{ key: 'x', unit: 'userId', overrides: { vip: 'b' }, variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 0 }] }] }
    const tp = touchpoint({ config: inlineCompiled(config), unit: 'userId', sticky: stickyCookie(), forceParam: 'tp_force', report: () => undefined })
    const vip = await tp.decide(requestWith('vip', `${STICKY_COOKIE_NAME}=x__0=a`))
    expect(vip.assignments[0]).toMatchObject({ variant: 'b', override: true })
    const forced = await tp.decide(new Request('https://shop.test/?tp_force=x:b', { headers: { cookie: 'tp_uid=u-2' } }))
    expect(forced.assignments[0]).toMatchObject({ variant: 'b' })
    expect(pairOf(forced.stickyCookie)).toBe(`${STICKY_COOKIE_NAME}=x__0=a`) // the unit's own assignment, not the forced one
  })

  it('refuses its own bad options through the adapter: control for everyone, no cookie, reported as options', async () => {
    const refused = checkOptions({ config: inlineCompiled({ experiments: [] }), sticky: stickyCookie({ maxBytes: 10, secret: 'short', cookie: { sameSite: 'None', secure: false }, nope: 1 } as never) })
    expect(E.isLeft(refused) && refused.left._tag === 'InvalidInput' ? refused.left.issues.map((i) => i.path) : []).toEqual(['sticky.nope', 'sticky.maxBytes', 'sticky.secret', 'sticky.cookie.secure'])
    const reports: Array<string> = []
    const tp = touchpoint({ config: inlineCompiled({ experiments: [{ key: 'x', variants: [{ key: 'a' }, { key: 'b' }] }] }), sticky: stickyCookie({ maxBytes: 10 }), report: (_, where) => void reports.push(where) })
    const d = await tp.decide(requestWith('u-3'))
    expect([d.assignments, d.cookie, d.stickyCookie, reports]).toEqual([[], undefined, undefined, ['options']])
    // A secret never appears in the report.
    const secretIssue = checkOptions({ config: inlineCompiled({ experiments: [] }), sticky: stickyCookie({ secret: 'hunter2' }) })
    expect(JSON.stringify(secretIssue)).not.toContain('hunter2')
  })

  it('finish sends both cookies; the Node middleware and the Lambda@Edge pair carry the sticky one too', async () => {
    const config = { experiments: [{ key: 'x', unit: 'id', variants: [{ key: 'a' }, { key: 'b' }] }] }
    const tp = touchpoint({ config: inlineCompiled(config), sticky: stickyCookie(), report: () => undefined })
    const d: Decision = await tp.decide(new Request('https://shop.test/'))
    const response = tp.finish(new Response('ok'), d)
    expect(response.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['tp_uid', 'tp_sticky'])

    const appended: Array<[string, string]> = []
    const res = { appendHeader: (n: string, v: string) => void appended.push([n, v]), setHeader: () => undefined, once: () => undefined }
    const req = { url: '/', headers: {}, rawHeaders: [] }
    await new Promise<void>((done) => expressMiddleware({ config: inlineCompiled(config), sticky: stickyCookie(), report: () => undefined })(req as never, res as never, () => done()))
    expect(appended.map(([n, v]) => [n, v.split('=')[0]])).toEqual([['set-cookie', 'tp_uid'], ['set-cookie', 'tp_sticky']])

    const event = (): CloudFrontEvent => ({ Records: [{ cf: { request: { uri: '/', method: 'GET', querystring: '', headers: { host: [{ key: 'Host', value: 'shop.test' }] } } as never } }] })
    const e = event()
    await viewerRequest({ config: inlineCompiled(config), sticky: stickyCookie(), report: () => undefined })(e)
    const out = await viewerResponse()({ Records: [{ cf: { request: e.Records[0]!.cf.request, response: { status: '200', headers: {} } as never } }] })
    expect((out.headers['set-cookie'] ?? []).map((h) => h.value.split('=')[0])).toEqual(['tp_uid', 'tp_sticky'])
  })
})

describe('the sticky record codec (pure)', () => {
  const arbRecord = fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), { maxKeys: 12 })

  test.prop([arbRecord])('reads back what it wrote (no cap in the way), and writes only cookie octets', (record) => {
    const text = encodeStickyRecord(record, 1e9)
    expect({ ...decodeStickyRecord(text) }).toEqual(record)
    expect(text).toMatch(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/)
  })

  test.prop([arbRecord, fc.integer({ min: 0, max: 200 })])('keeps to the cap, with the pairs that fit', (record, cap) => {
    const text = encodeStickyRecord(record, cap)
    expect(text.length).toBeLessThanOrEqual(cap)
    const back = decodeStickyRecord(text)
    for (const k of Object.keys(back)) expect(back[k]).toBe(record[k])
  })

  test.prop([fc.anything(), fc.anything()])('encodes anything without a throw (a lone surrogate is left out)', (junk, cap) => {
    expect(typeof encodeStickyRecord(junk as never, cap as number)).toBe('string')
    expect(encodeStickyRecord({ 'a\ud800__0': 'x', b__0: 'y', c__0: '\udc00' }, 100)).toBe('b__0=y')
  })

  test.prop([fc.anything()])('never throws on anything, and reads no prototype', (junk) => {
    const r = decodeStickyRecord(junk as string)
    expect(Object.getPrototypeOf(r)).toBeNull()
  })

  it('a record with a broken escape, a pair without "=" or a key twice is not trusted in part', () => {
    expect({ ...decodeStickyRecord('x__0=a&y__0=%E0') }).toEqual({})
    expect({ ...decodeStickyRecord('x__0=a&y__0') }).toEqual({})
    expect({ ...decodeStickyRecord('x__0=a&x__0=b') }).toEqual({})
    expect({ ...decodeStickyRecord('__proto__=a') }).toEqual({ ['__proto__']: 'a' })
  })
})
