import { describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { assign } from '../../src/assignment/assign'
import { decodeConfig } from '../../src/assignment/decode'
import type { Assigner } from '../../src/assignment/model'
import {
  ASSIGNMENTS_HEADER,
  UNIT_HEADER,
  configSource,
  cookieValue,
  encodeAssignments,
  inlineConfig,
  isValidId,
  readAssignments,
  readUnitId,
  serializeCookie,
  touchpoint,
  urlConfig,
  type Options,
} from '../../src/adapters/web'
import { arbConfigInput } from '../_arbitraries'
import { inlineCompiled } from '../_compiled'

const CONFIG = {
  version: 'v1',
  experiments: [
    { key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] },
    { key: 'cta', variants: [{ key: 'control' }, { key: 'green' }, { key: 'red' }] },
  ],
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-'
const arbValidId = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 })

const decoded = (input: unknown): Assigner => {
  const r = decodeConfig(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const quiet = { report: () => undefined } as const

const request = (headers: Record<string, string> = {}, url = 'https://shop.example.test/') => new Request(url, { headers })

describe('unit id', () => {
  test.prop([arbValidId])('ids of 1-64 allowed characters are valid', (id) => {
    expect(isValidId(id)).toBe(true)
  })

  test.prop([fc.string({ maxLength: 100 })])('anything else is invalid, and a valid id has no header or cookie delimiter', (s) => {
    const ok = s.length >= 1 && s.length <= 64 && [...s].every((c) => ID_CHARS.includes(c))
    expect(isValidId(s)).toBe(ok)
  })

  test.prop([arbValidId, fc.string({ unit: fc.constantFrom('a', '=', ';', ' ', 'x'), maxLength: 20 })])(
    'a serialized cookie reads back among other cookies',
    (id, noise) => {
      const cookie = serializeCookie({ name: 'tp_uid' })(id).split(';')[0]!
      expect(cookieValue('tp_uid')(`pre${noise}=1; ${cookie}; post=2`)).toBe(id)
    },
  )

  it('cookieValue: pairs split on ";", names and values trimmed, the first match wins', () => {
    expect(cookieValue('')('=x')).toBeUndefined()
    expect(cookieValue('tp_uid')('xtp_uid=1; tp_uid=2')).toBe('2')
    expect(cookieValue('tp_uid')(' tp_uid = v ;')).toBe('v')
    expect(cookieValue('tp_uid')('x=1;tp_uid=2;tp_uid=3')).toBe('2')
    expect(cookieValue('tp_uid')('tp_uid=a=b')).toBe('a=b')
    expect(cookieValue('tp_uid')('tp_uid')).toBeUndefined()
  })

  it('cookie attributes follow the options', () => {
    expect(serializeCookie({ name: 'u', domain: 'example.com', path: '/shop', maxAge: 60, secure: false, httpOnly: false, sameSite: 'Strict' })('abc')).toBe(
      'u=abc; Path=/shop; Max-Age=60; Domain=example.com; SameSite=Strict',
    )
    expect(serializeCookie()('abc')).toBe('tp_uid=abc; Path=/; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax')
  })

  test.prop([fc.string({ maxLength: 80 }).filter((s) => !s.includes(';'))])('decide never rejects, and always uses a valid id', async (cookie) => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), ...quiet })
    const d = await tp.decide(request({ cookie: `tp_uid=${cookie}` }))
    expect(isValidId(d.unitId)).toBe(true)
    expect(d.unitId === cookie.trim()).toBe(isValidId(cookie.trim()))
    expect(d.fresh).toBe(!isValidId(cookie.trim()))
  })

  it('identify is checked first, then the cookie, then the id header; each one validated', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), idHeader: 'x-device-id', identify: (r) => r.headers.get('x-user') ?? undefined, ...quiet })
    const all = { cookie: 'tp_uid=from-cookie', 'x-device-id': 'from-header' }
    expect((await tp.decide(request({ ...all, 'x-user': 'from-identify' }))).unitId).toBe('from-identify')
    expect((await tp.decide(request({ ...all, 'x-user': 'bad id' }))).unitId).toBe('from-cookie')
    expect((await tp.decide(request({ 'x-device-id': 'from-header' }))).unitId).toBe('from-header')
  })

  test.prop([fc.integer({ min: 1, max: 5 })])('a missing id is minted once and the same id is assigned, forwarded, exposed and set', async (n) => {
    const newId = vi.fn(() => `minted-${n}`)
    const batches: Array<unknown> = []
    const tp = touchpoint({ config: inlineCompiled(CONFIG), newId, sink: (xs) => void batches.push(xs), ...quiet })
    const d = await tp.decide(request())
    expect(newId).toHaveBeenCalledTimes(1)
    expect(d).toMatchObject({ unitId: `minted-${n}`, fresh: true })
    expect(d.cookie).toMatch(new RegExp(`^tp_uid=minted-${n};`))
    expect(tp.forward(request(), d).headers.get(UNIT_HEADER)).toBe(`minted-${n}`)
    await d.flush()
    expect(batches).toEqual([d.assignments.map((a) => expect.objectContaining({ experiment: a.experiment, unitId: `minted-${n}` }))])
  })

  it('consent refused or cookies off: no cookie written; an existing id is read and never re-set', async () => {
    const consent = touchpoint({ config: inlineCompiled(CONFIG), consent: () => false, ...quiet })
    expect((await consent.decide(request())).cookie).toBeUndefined()
    const off = touchpoint({ config: inlineCompiled(CONFIG), cookie: false, ...quiet })
    // `cookie: false`: the browser writes the cookie, the adapter still reads it.
    const returning = await off.decide(request({ cookie: 'tp_uid=abc' }))
    expect(returning).toMatchObject({ unitId: 'abc', fresh: false, cookie: undefined })
    expect((await off.decide(request())).cookie).toBeUndefined()
  })
})

describe('assignment', () => {
  test.prop([arbConfigInput, arbValidId])('the decision agrees with the core assign for the same unit', async (config, id) => {
    const tp = touchpoint({ config: inlineCompiled(config), unit: 'userId', ...quiet })
    const d = await tp.decide(request({ cookie: `tp_uid=${id}` }))
    const core = pipe(decoded(config), assign({ userId: id }))
    expect(d.assignments).toEqual(core)
    expect(d.variants).toEqual(Object.fromEntries(core.flatMap((a) => (a._tag === 'Enrolled' ? [[a.experiment, a.variant]] : []))))
  })

  it('experiments named like Object.prototype members are plain keys (found by the property test above)', async () => {
    const config = { experiments: ['__proto__', 'toString', 'constructor'].map((key) => ({ key, variants: [{ key: `${key}-v` }] })) }
    const d = await touchpoint({ config: inlineCompiled(config), ...quiet }).decide(request({ cookie: 'tp_uid=u-1' }))
    expect(Object.entries(d.variants)).toEqual([['__proto__', '__proto__-v'], ['toString', 'toString-v'], ['constructor', 'constructor-v']])
    expect(d.variant('__proto__')).toBe('__proto__-v')
    expect(d.variant('hasOwnProperty')).toBe('control')
    const back = readAssignments(new Headers({ 'x-touchpoint-assignments': encodeAssignments(d.variants) }))
    expect(Object.entries(back)).toEqual(Object.entries(d.variants))
    expect(readAssignments(new Headers())['valueOf']).toBeUndefined()
  })

  it('attributes reach targeting, and `experiments` limits what is assigned', async () => {
    const config = { experiments: [{ key: 'de-only', targeting: [{ attribute: 'country', equals: 'DE' }], variants: [{ key: 'a' }] }, ...CONFIG.experiments] }
    const tp = touchpoint({ config: inlineCompiled(config), experiments: ['de-only', 'nope'], attributes: (r) => ({ country: r.headers.get('x-country') }), ...quiet })
    expect((await tp.decide(request({ 'x-country': 'DE' }))).variants).toEqual({ 'de-only': 'a' })
    const fr = await tp.decide(request({ 'x-country': 'FR' }))
    expect(fr.assignments.map((a) => a._tag)).toEqual(['NotEnrolled'])
    expect(fr.variant('de-only')).toBe('control')
    expect(fr.variant('de-only', 'off')).toBe('off')
  })

  test.prop([arbValidId])('forced variants: ignored unless the parameter is named, then only known pairs, never exposed', async (id) => {
    const url = 'https://x.test/?tp_force=hero:big,cta:nope,ghost:a'
    const sink = vi.fn()
    const off = await touchpoint({ config: inlineCompiled(CONFIG), ...quiet }).decide(request({ cookie: `tp_uid=${id}` }, url))
    const normal = pipe(decoded(CONFIG), assign({ id }))
    expect(off.assignments).toEqual(normal)
    const on = await touchpoint({ config: inlineCompiled(CONFIG), forceParam: 'tp_force', sink, ...quiet }).decide(request({ cookie: `tp_uid=${id}` }, url))
    expect(on.variants['hero']).toBe('big')
    expect(on.assignments[1]).toEqual(normal[1])
    await on.flush()
    expect(sink.mock.calls.flat(2).map((x: { experiment: string }) => x.experiment)).toEqual(['cta'])
  })
})

describe('exposures', () => {
  test.prop([fc.array(fc.constantFrom('hero', 'cta', 'ghost'), { maxLength: 8 }), arbValidId])(
    'manual exposure: one sink call per request, each experiment once, in first-exposure order',
    async (calls, id) => {
      const sink = vi.fn()
      const d = await touchpoint({ config: inlineCompiled(CONFIG), expose: 'manual', sink, ...quiet }).decide(request({ cookie: `tp_uid=${id}` }))
      for (const key of calls) expect(d.expose(key)).toBe(d.variant(key))
      await d.flush()
      await d.flush()
      const expected = [...new Set(calls)].filter((k) => k in d.variants)
      expect(sink).toHaveBeenCalledTimes(expected.length === 0 ? 0 : 1)
      if (expected.length > 0) expect(sink.mock.calls[0]![0].map((x: { experiment: string }) => x.experiment)).toEqual(expected)
    },
  )

  it('a failing sink is reported, never thrown', async () => {
    const report = vi.fn()
    const d = await touchpoint({ config: inlineCompiled(CONFIG), sink: () => Promise.reject(new Error('down')), report }).decide(request())
    await expect(d.flush()).resolves.toBeUndefined()
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'sink')
  })

  it('wrap flushes through waitUntil after the handler, and the handler sees the forwarded request', async () => {
    const sink = vi.fn()
    const waited: Array<Promise<unknown>> = []
    const handler = touchpoint({ config: inlineCompiled(CONFIG), sink, ...quiet }).wrap((req, decision) =>
      new Response(`${req.headers.get(UNIT_HEADER)} ${req.headers.get(ASSIGNMENTS_HEADER)} ${decision.fresh}`),
    )
    const response = await handler(request({ cookie: 'tp_uid=u-1', [ASSIGNMENTS_HEADER]: 'hero=spoofed' }), undefined, { waitUntil: (p) => void waited.push(p) })
    const d = await touchpoint({ config: inlineCompiled(CONFIG), ...quiet }).decide(request({ cookie: 'tp_uid=u-1' }))
    expect(await response.text()).toBe(`u-1 ${encodeAssignments(d.variants)} false`)
    expect(waited).toHaveLength(1)
    await waited[0]
    expect(sink).toHaveBeenCalledTimes(1)
    expect(response.headers.get('set-cookie')).toBeNull()
  })
})

describe('responses and headers', () => {
  test.prop([fc.dictionary(fc.string({ minLength: 1 }), fc.string())])('assignments survive the header round trip', (variants) => {
    const value = encodeAssignments(variants)
    expect(() => new Headers({ [ASSIGNMENTS_HEADER]: value })).not.toThrow()
    expect(readAssignments(new Headers({ [ASSIGNMENTS_HEADER]: value }))).toEqual(variants)
  })

  it('readUnitId accepts only valid ids', () => {
    expect(readUnitId(new Headers({ [UNIT_HEADER]: 'u-1' }))).toBe('u-1')
    expect(readUnitId(new Headers({ [UNIT_HEADER]: 'u 1' }))).toBeUndefined()
    expect(readUnitId(new Headers())).toBeUndefined()
  })

  it('finish adds the cookie even to a response with immutable headers, and the assignments when asked', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), responseHeader: true, newId: () => 'n-1', ...quiet })
    const d = await tp.decide(request())
    const out = tp.finish(Response.redirect('https://x.test/next', 302), d)
    expect(out.status).toBe(302)
    expect(out.headers.get('location')).toBe('https://x.test/next')
    expect(out.headers.getSetCookie()).toEqual([d.cookie])
    expect(readAssignments(out.headers)).toEqual(d.variants)
  })

  it('finish writes into a response with a body and mutable headers (no copy), and copies one with immutable headers', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), newId: () => 'n-2', ...quiet })
    const d = await tp.decide(request())
    const own = new Response('page', { headers: { 'content-type': 'text/html' } })
    expect(tp.finish(own, d)).toBe(own)
    expect(own.headers.getSetCookie()).toEqual([d.cookie])
    // fetch() answers with immutable headers (a data: URL, no network): a copy, the body passed on unread.
    const fetched = await fetch('data:text/plain,from-origin')
    const out = tp.finish(fetched, d)
    expect(out).not.toBe(fetched)
    expect([out.headers.getSetCookie(), fetched.headers.getSetCookie(), await out.text()]).toEqual([[d.cookie], [], 'from-origin'])
  })

  it('finish never writes into a response without a body: it may be one object sent to every visitor', async () => {
    const shared = new Response(null, { status: 204 })
    for (const id of ['v-1', 'v-2']) {
      const tp = touchpoint({ config: inlineCompiled(CONFIG), newId: () => id, ...quiet })
      const out = tp.finish(shared, await tp.decide(request()))
      expect(out.headers.getSetCookie()).toEqual([expect.stringContaining(`tp_uid=${id};`)])
    }
    expect(shared.headers.getSetCookie()).toEqual([])
  })

  it('forward sets the headers on a request with mutable headers (no copy), and copies one with immutable headers', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), ...quiet })
    const mutable = request({ cookie: 'tp_uid=u-9', [UNIT_HEADER]: 'forged', [ASSIGNMENTS_HEADER]: 'hero=forged' })
    const d = await tp.decide(mutable)
    expect(tp.forward(mutable, d)).toBe(mutable)
    expect([mutable.headers.get(UNIT_HEADER), readAssignments(mutable.headers)]).toEqual(['u-9', d.variants])
    // A Worker's incoming request has immutable headers: stand in with headers whose writes throw, as workerd's do.
    const frozen = request({ cookie: 'tp_uid=u-9', [UNIT_HEADER]: 'forged' })
    const headers = frozen.headers
    const immutable = new Proxy(headers, {
      get: (h, k) => (k === 'set' || k === 'append' || k === 'delete' ? () => { throw new TypeError('immutable') } : (Reflect.get(h, k) as Function).bind?.(h) ?? Reflect.get(h, k)),
    })
    Object.defineProperty(frozen, 'headers', { value: immutable })
    const out = tp.forward(frozen, d)
    expect(out).not.toBe(frozen)
    expect([out.headers.get(UNIT_HEADER), headers.get(UNIT_HEADER), out.headers.get('cookie')]).toEqual(['u-9', 'forged', 'tp_uid=u-9'])
  })
})

describe('config', () => {
  it('JSON.parse by default; options.parse reads config text (the strict reader refuses a key given twice, with its line)', async () => {
    const { parseJson } = await import('../../src/core/json')
    const text = '{"version": "v1",\n "experiments": [],\n "experiments": [{"key": "hero", "variants": [{"key": "a"}, {"key": "b"}]}]}'
    const lax = await configSource(() => text, { decode: decodeConfig }).get(undefined)
    expect(lax.assigner?.experiments.map((x) => x.key)).toEqual(['hero'])
    const strict = await configSource(() => text, { decode: decodeConfig, parse: parseJson }).get(undefined)
    expect([strict.assigner, strict.error]).toEqual([undefined, expect.objectContaining({ issues: [expect.objectContaining({ path: 'experiments', line: 3 })] })])
  })

  it('through JSON.parse, a compiled config with a key given twice fails its checksum unless the copy kept is the one compiled', async () => {
    const { compiled } = await import('../_compiled')
    const text = JSON.stringify(compiled(CONFIG))
    const edited = await configSource(() => text.replace('"key":"cta"', '"key":"cta","key":"cta2"')).get(undefined)
    expect(edited.error).toMatchObject({ issues: [{ path: 'checksum' }] })
    // The last copy is what was compiled: what loads is exactly the compiled config.
    const harmless = await configSource(() => text.replace('"experiments":[', '"experiments":[],"experiments":[')).get(undefined)
    expect([harmless.error, harmless.assigner?.experiments.map((x) => x.key)]).toEqual([undefined, ['hero', 'cta']])
  })

  it('by default the edge takes compiled configs: a raw one falls back to control and says how to compile it', async () => {
    const report = vi.fn()
    const d = await touchpoint({ config: inlineConfig(CONFIG), report }).decide(request())
    expect(d.assignments).toEqual([])
    expect(d.error).toEqual(expect.objectContaining({ issues: [expect.objectContaining({ path: 'format', expected: expect.stringContaining('touchpoint compile CONFIG') })] }))
    const validating = await touchpoint({ config: inlineConfig(CONFIG, { decode: decodeConfig }), report }).decide(request())
    expect(validating.error).toBeUndefined()
    expect(validating.assignments.length).toBeGreaterThan(0)
  })

  it('a bad config falls back to control and reports why; the page still renders', async () => {
    const report = vi.fn()
    const options: Options = { config: inlineConfig('{"experiments": [{"key": "x"}]}', { decode: decodeConfig }), report }
    const response = await touchpoint(options).wrap((_, d) => new Response(d.variant('x')))(request())
    expect(await response.text()).toBe('control')
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'config')
    const tp = touchpoint(options)
    await tp.decide(request())
    const d = await tp.decide(request())
    expect(report).toHaveBeenCalledTimes(2) // once per instance's load, not once per request
    expect(d.error).toEqual(expect.objectContaining({ issues: [expect.objectContaining({ path: 'experiments[0].variants' })] }))
    expect(d.assignments).toEqual([])
  })

  test.prop([fc.array(fc.constantFrom('good-1', 'good-2', 'bad-json', 'bad-config', 'throws', 'missing'), { minLength: 1, maxLength: 12 })])(
    'a source keeps the last good config through any sequence of failed loads, and decodes each text once',
    async (steps) => {
      const texts: Record<string, string> = {
        'good-1': JSON.stringify({ version: 'g1', experiments: [{ key: 'a', variants: [{ key: 'x' }] }] }),
        'good-2': JSON.stringify({ version: 'g2', experiments: [{ key: 'b', variants: [{ key: 'y' }] }] }),
        'bad-json': '{ nope',
        'bad-config': '{"experiments": 1}',
      }
      let step = ''
      const decode = vi.fn(decodeConfig)
      const source = configSource(
        () => {
          if (step === 'throws') throw new Error('unreachable')
          return step === 'missing' ? null : texts[step]
        },
        { ttlMs: 0, decode },
      )
      let lastGood: string | undefined
      let decodes = 0
      let previousGood: string | undefined
      for (const s of steps) {
        step = s
        const state = await source.reload(undefined)
        const good = s === 'good-1' || s === 'good-2'
        if (good && s !== previousGood) decodes++
        if (s === 'bad-config') decodes++
        if (good) previousGood = s
        if (good) lastGood = s
        expect(state.assigner?.version).toBe(lastGood === undefined ? undefined : lastGood === 'good-1' ? 'g1' : 'g2')
        expect(state.error === undefined).toBe(good)
      }
      expect(decode).toHaveBeenCalledTimes(decodes)
    },
  )

  it('get serves the cached state within the TTL and reads again after it, one read for concurrent requests', async () => {
    vi.useFakeTimers({ now: 0 })
    try {
      const read = vi.fn(async () => JSON.stringify(CONFIG))
      const source = configSource(read, { ttlMs: 1000 })
      await Promise.all([source.get(undefined), source.get(undefined), source.get(undefined)])
      expect(read).toHaveBeenCalledTimes(1)
      vi.setSystemTime(999)
      await source.get(undefined)
      expect(read).toHaveBeenCalledTimes(1)
      vi.setSystemTime(1000)
      await source.get(undefined)
      expect(read).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('urlConfig treats a non-2xx answer as a failed load', async () => {
    const fetchMock = vi.fn(async () => new Response('gone', { status: 404 }))
    vi.stubGlobal('fetch', fetchMock)
    try {
      const state = await urlConfig('https://cdn.example.test/x.json').get(undefined)
      expect(state.assigner).toBeUndefined()
      expect(state.error).toEqual(expect.objectContaining({ issues: [expect.objectContaining({ actual: 'https://cdn.example.test/x.json answered 404' })] }))
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('the unit attribute', () => {
  const BY_USER = { experiments: [{ key: 'hero', unit: 'userId', variants: [{ key: 'control' }, { key: 'big' }] }, { key: 'cta', unit: 'deviceId', variants: [{ key: 'a' }] }] }

  it('seen: no experiment hashes the adapter unit: reported once per config load, naming the units the config hashes', async () => {
    const report = vi.fn()
    const tp = touchpoint({ config: inlineCompiled(BY_USER), report })
    for (let i = 0; i < 3; i++) await tp.decide(request())
    expect(report).toHaveBeenCalledTimes(1)
    const [error, where] = report.mock.calls[0]!
    expect(where).toBe('config')
    expect(error).toEqual({ _tag: 'InvalidInput', issues: [{ path: 'unit', expected: expect.stringMatching(/\(userId, deviceId\)/), actual: 'id' }] })
  })

  it('no report when one experiment of those assigned hashes the unit, or when the config has none', async () => {
    const report = vi.fn()
    await touchpoint({ config: inlineCompiled(BY_USER), unit: 'deviceId', report }).decide(request())
    await touchpoint({ config: inlineCompiled({ experiments: [] }), report }).decide(request())
    expect(report).not.toHaveBeenCalled()
    await touchpoint({ config: inlineCompiled(BY_USER), unit: 'deviceId', experiments: ['hero'], report }).decide(request())
    expect(report).toHaveBeenCalledTimes(1)
  })
})
