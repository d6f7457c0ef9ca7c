/**
 * The lean edge worker against `cloudflareWorker`: for random requests and random sets of features, the worker
 * built from feature values answers exactly as the one built from the same options (forwarded headers, decision,
 * cookies, exposures sent, reports), and refuses what plain JavaScript hands it with a report, never a throw.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { cloudflareWorker } from '../../src/adapters/cloudflare'
import { edgeWorker, edgeWorkerIssues, type EdgeFeature } from '../../src/adapters/edgeWorker'
import { attributes, consent, exposures, forceParam, idCookie, identify, sticky } from '../../src/adapters/features'
import { stickyCookie } from '../../src/adapters/sticky'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, type Decision, type Options } from '../../src/adapters/web'
import type { Exposure } from '../../src/assignment/exposure'
import { inlineCompiled } from '../_compiled'

const CONFIG = {
  version: 'v1',
  experiments: [
    { key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] },
    { key: 'cta', variants: [{ key: 'control' }, { key: 'green' }, { key: 'red' }] },
    { key: 'de-only', targeting: [{ attribute: 'country', equals: 'DE' }], variants: [{ key: 'a' }, { key: 'b' }] },
    { key: 'by-user', unit: 'userId', variants: [{ key: 'x' }, { key: 'y' }] },
  ],
}

let minted = 0
beforeEach(() => {
  minted = 0
  // Both workers mint with crypto.randomUUID: the same sequence for each, so their answers can be compared.
  vi.spyOn(crypto, 'randomUUID').mockImplementation(() => `00000000-0000-4000-8000-${String(++minted).padStart(12, '0')}`)
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T12:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

interface Chosen {
  readonly sink?: 'auto' | 'manual'
  readonly force?: boolean
  readonly sticky?: boolean
  readonly attributes?: boolean
  readonly identify?: boolean
  readonly consent?: boolean
  readonly cookie?: false | { readonly name: string; readonly sameSite: 'Strict' }
  readonly experiments?: ReadonlyArray<string>
}

const arbChosen: fc.Arbitrary<Chosen> = fc.record(
  {
    sink: fc.constantFrom('auto' as const, 'manual' as const),
    force: fc.boolean(),
    sticky: fc.boolean(),
    attributes: fc.boolean(),
    identify: fc.boolean(),
    consent: fc.boolean(),
    cookie: fc.constantFrom(false as const, { name: 'uid', sameSite: 'Strict' as const }),
    experiments: fc.subarray(['hero', 'cta', 'de-only', 'by-user', 'nope']),
  },
  { requiredKeys: [] },
)

const arbRequest = fc
  .record({
    cookie: fc.constantFrom(undefined, 'tp_uid=u-7', 'uid=u-8; tp_uid=u-9', 'tp_uid=bad id', 'tp_sticky=hero.0=big', 'a=1'),
    force: fc.constantFrom('', '?tp_force=hero:big', '?tp_force=cta:red,nope:x,hero:zzz'),
    country: fc.constantFrom('DE', 'US'),
    user: fc.constantFrom('', 'user-1', 'bad id;'),
  })
  .map(({ cookie, force, country, user }) => ({ cookie, url: `https://shop.test/p${force}`, country, user }))

type Req = { readonly cookie: string | undefined; readonly url: string; readonly country: string; readonly user: string }

const country = (r: { headers: { get(n: string): string | null } }) => ({ country: r.headers.get('x-country') ?? '', userId: r.headers.get('x-user') ?? '' })
const byUser = (r: { headers: { get(n: string): string | null } }) => r.headers.get('x-user') || undefined
const consents = (r: { headers: { get(n: string): string | null } }) => r.headers.get('x-country') === 'DE'

/** The same choice as `touchpoint` options and as features. */
const forms = (c: Chosen, sink: (xs: ReadonlyArray<Exposure>) => void, report: (...a: Array<unknown>) => void) => {
  const store = c.sticky ? stickyCookie() : undefined
  const options: Options = {
    config: inlineCompiled(CONFIG),
    report,
    ...(c.experiments === undefined ? {} : { experiments: c.experiments }),
    ...(c.sink === undefined ? {} : { sink, expose: c.sink }),
    ...(c.force ? { forceParam: 'tp_force' } : {}),
    ...(store === undefined ? {} : { sticky: store }),
    ...(c.attributes ? { attributes: country } : {}),
    ...(c.identify ? { identify: byUser } : {}),
    ...(c.consent ? { consent: consents } : {}),
    ...(c.cookie === undefined ? {} : { cookie: c.cookie }),
  }
  const features: Array<EdgeFeature> = [
    ...(c.sink === undefined ? [] : [exposures(sink, { expose: c.sink })]),
    ...(c.force ? [forceParam('tp_force')] : []),
    ...(store === undefined ? [] : [sticky(store)]),
    ...(c.attributes ? [attributes(country)] : []),
    ...(c.identify ? [identify(byUser)] : []),
    ...(c.consent ? [consent(consents)] : []),
    ...(c.cookie === undefined ? [] : [idCookie(c.cookie)]),
  ]
  return { options, lean: { config: inlineCompiled(CONFIG), report, features, ...(c.experiments === undefined ? {} : { experiments: c.experiments }) } }
}

/** What one worker does with a sequence of requests: everything observable. */
const observe = async (worker: { fetch: (r: Request, env: unknown, ctx: { waitUntil(p: Promise<unknown>): void }) => Promise<Response> }, requests: ReadonlyArray<Req>, sent: Array<unknown>, seen: Array<unknown>) => {
  minted = 0
  const out: Array<unknown> = []
  for (const r of requests) {
    const waited: Array<Promise<unknown>> = []
    const headers: Record<string, string> = { 'x-country': r.country, 'x-user': r.user, [UNIT_HEADER]: 'client-copy' }
    if (r.cookie !== undefined) headers['cookie'] = r.cookie
    const response = await worker.fetch(new Request(r.url, { headers }), {}, { waitUntil: (p) => void waited.push(p) })
    await Promise.all(waited)
    out.push({ status: response.status, body: await response.text(), setCookie: response.headers.getSetCookie(), seen: seen.splice(0), sent: sent.splice(0) })
  }
  return out
}

const handler = (seen: Array<unknown>) => (request: Request, decision: Decision) => {
  seen.push({ unit: request.headers.get(UNIT_HEADER), assignments: request.headers.get(ASSIGNMENTS_HEADER), decision: { ...decision, variant: undefined, expose: undefined, flush: undefined } })
  // A manual exposure, so 'manual' sends something too.
  decision.expose('cta')
  return new Response(`${decision.variant('hero')} ${decision.variant('by-user', 'none')}`)
}

describe('edgeWorker', () => {
  test.prop([arbChosen, fc.array(arbRequest, { minLength: 1, maxLength: 4 })], { numRuns: 150 })(
    'answers random requests as cloudflareWorker does with the same options',
    async (chosen, requests) => {
      const run = async (make: (f: ReturnType<typeof forms>, h: ReturnType<typeof handler>) => Parameters<typeof observe>[0]) => {
        const sent: Array<unknown> = []
        const seen: Array<unknown> = []
        const reports: Array<unknown> = []
        const f = forms(chosen, (xs) => void sent.push(xs), (...a) => void reports.push(a))
        const out = await observe(make(f, handler(seen)), requests, sent, seen)
        return { out, reports }
      }
      const full = await run((f, h) => cloudflareWorker(f.options, h))
      const lean = await run((f, h) => edgeWorker(f.lean, h))
      expect(lean).toEqual(full)
    },
  )

  it('passes the request on to the origin with the id and assignments headers, and writes the default cookie as serializeCookie() does', async () => {
    const origin = vi.fn(async (input: Request, init?: RequestInit) => {
      const request = new Request(input, init) // as fetch() builds the request it sends
      return new Response(`${request.headers.get(UNIT_HEADER)} ${request.headers.get(ASSIGNMENTS_HEADER)}`)
    })
    vi.stubGlobal('fetch', origin)
    try {
      const lean = edgeWorker({ config: inlineCompiled(CONFIG), experiments: ['hero'], report: () => undefined })
      const full = cloudflareWorker({ config: inlineCompiled(CONFIG), experiments: ['hero'], report: () => undefined })
      minted = 0
      const a = await lean.fetch(new Request('https://shop.test/'), {}, { waitUntil: () => undefined })
      minted = 0
      const b = await full.fetch(new Request('https://shop.test/'), {}, { waitUntil: () => undefined })
      expect(a.headers.get('set-cookie')).toBe(b.headers.get('set-cookie'))
      expect(a.headers.get('set-cookie')).toMatch(/^tp_uid=00000000-0000-4000-8000-000000000001; Path=\/; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax$/)
      expect(await a.text()).toBe(await b.text())
      expect(origin).toHaveBeenCalledTimes(2)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('refuses what plain JavaScript hands it with a report, serving control without a cookie, never a throw', async () => {
    const bad: ReadonlyArray<unknown> = [
      null,
      7,
      {},
      { config: inlineCompiled(CONFIG), typo: 1 },
      { config: inlineCompiled(CONFIG), unit: '' },
      { config: inlineCompiled(CONFIG), experiments: 'hero' },
      { config: inlineCompiled(CONFIG), features: [{}] },
      // A look-alike of a real feature (a copy whose hooks plain JavaScript could have set to anything) is no feature.
      { config: inlineCompiled(CONFIG), features: [{ ...forceParam('tp_force') }] },
      { config: inlineCompiled(CONFIG), features: [{ ...attributes(() => ({})), attributes: 7 }] },
      { config: inlineCompiled(CONFIG), features: [forceParam('')] },
      { config: inlineCompiled(CONFIG), features: [exposures(7 as never)] },
      { config: inlineCompiled(CONFIG), features: [exposures(() => undefined, { expose: 'sometimes' as never })] },
      { config: inlineCompiled(CONFIG), features: [sticky({} as never)] },
      { config: inlineCompiled(CONFIG), features: [sticky(stickyCookie({ maxBytes: 1 }))] },
      { config: inlineCompiled(CONFIG), features: [idCookie({ sameSite: 'None', secure: false })] },
      { config: inlineCompiled(CONFIG), features: [idCookie(null as never)] },
      { config: inlineCompiled(CONFIG), features: [attributes(1 as never), identify('x' as never), consent(null as never)] },
    ]
    for (const given of bad) {
      const report = vi.fn()
      const options = given !== null && typeof given === 'object' ? { report, ...given } : given
      expect(edgeWorkerIssues(options).length).toBeGreaterThan(0)
      const worker = edgeWorker(options as never, (_, d) => new Response(d.variant('hero')))
      const response = await worker.fetch(new Request('https://shop.test/'), {}, { waitUntil: () => undefined })
      expect(await response.text()).toBe('control')
      expect(response.headers.get('set-cookie')).toBeNull()
      if (options === given) continue // no report callback to hear it: console.warn
      expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'options')
    }
  })

  it('answers a request that is no Request with 400, a handler that is no function or answers no Response with 500', async () => {
    const report = vi.fn()
    const worker = edgeWorker({ config: inlineCompiled(CONFIG), report })
    expect((await worker.fetch({} as never, {}, {})).status).toBe(400)
    expect((await edgeWorker({ config: inlineCompiled(CONFIG), report }, 7 as never).fetch(new Request('https://shop.test/'), {}, {})).status).toBe(500)
    expect((await edgeWorker({ config: inlineCompiled(CONFIG), report }, () => 'text' as never).fetch(new Request('https://shop.test/'), {}, {})).status).toBe(500)
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'options')
  })
})

// The lean worker's request path (issue 15, a lighter edge): what it no longer waits for or copies.
describe('edgeWorker request path', () => {
  const quiet = { report: () => undefined }
  const returning = () => new Request('https://shop.test/', { headers: { cookie: 'tp_uid=u-1' } })

  it('calls the handler before fetch returns once the config is loaded and fresh (old code awaited the config on every request)', async () => {
    let called = 0
    const worker = edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, () => (called++, new Response('ok')))
    await worker.fetch(returning(), {}) // loads the config
    await worker.fetch(returning(), {}) // is answered the settled promise the source keeps from then on
    const answer = worker.fetch(returning(), {})
    expect(called).toBe(3)
    expect((await answer).status).toBe(200)
  })

  it('answers without waiting for a microtask when the handler answers at once, and still awaits one that answers a promise or a thenable (old code awaited every answer)', async () => {
    const order: Array<string> = []
    const race = async (worker: { fetch: (r: Request, env: unknown) => Promise<Response> }) => {
      order.length = 0
      const answered = worker.fetch(returning(), {}).then((r) => order.push(`answered ${r.status}`))
      void Promise.resolve().then(() => order.push('tick'))
      await answered
      return [...order]
    }
    const now = edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, () => new Response('ok'))
    await now.fetch(returning(), {}) // loads the config
    await now.fetch(returning(), {}) // is answered the settled promise the source keeps from then on
    expect(await race(now)).toEqual(['answered 200', 'tick'])
    const later = edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, async () => new Response('ok', { status: 201 }))
    await later.fetch(returning(), {})
    expect(await race(later)).toEqual(['tick', 'answered 201'])
    const thenable = edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, () => ({ then: (done: (r: Response) => void) => done(new Response('ok', { status: 202 })) }) as never)
    expect((await thenable.fetch(returning(), {})).status).toBe(202)
  })

  it('follows a source that answers a new promise (or a state itself) each time, reporting each new state once', async () => {
    const report = vi.fn()
    let state: unknown = { assigner: undefined, error: { _tag: 'InvalidInput', issues: [] } }
    const worker = edgeWorker({ config: { get: () => (typeof state === 'string' ? state : Promise.resolve(state)), reload: () => Promise.resolve(state) } as never, report }, (_, d) => new Response(d.variant('hero', 'none')))
    expect(await (await worker.fetch(returning(), {})).text()).toBe('none')
    expect(await (await worker.fetch(returning(), {})).text()).toBe('none')
    expect(report).toHaveBeenCalledTimes(1)
    const loaded = await inlineCompiled({ experiments: [{ key: 'hero', variants: [{ key: 'big' }] }] }).get(undefined)
    state = loaded
    expect(await (await worker.fetch(returning(), {})).text()).toBe('big')
    state = 'no state' // plain JavaScript: no promise, no state
    expect(await (await worker.fetch(returning(), {})).text()).toBe('none')
    expect(report).toHaveBeenLastCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'config')
    state = loaded
    expect(await (await worker.fetch(returning(), {})).text()).toBe('big')
  })

  it("writes the headers on a request whose headers are mutable (Node's Fetch API) and passes that request on; copies immutable ones", async () => {
    const seen: Array<Request> = []
    const worker = edgeWorker({ config: inlineCompiled(CONFIG), experiments: ['hero'], ...quiet }, (request) => (seen.push(request), new Response('ok')))
    const mutable = returning()
    await worker.fetch(mutable, {})
    expect(seen[0]).toBe(mutable) // old code: a copy
    expect(mutable.headers.get(UNIT_HEADER)).toBe('u-1')
    // A Worker's incoming request: headers that refuse writes. The worker copies them for the request it passes on.
    const incoming = returning()
    const headers = new Headers(incoming.headers)
    headers.set = () => {
      throw new TypeError('immutable')
    }
    Object.defineProperty(incoming, 'headers', { value: headers })
    await worker.fetch(incoming, {})
    expect(seen[1]).not.toBe(incoming)
    expect(seen[1]!.headers.get(UNIT_HEADER)).toBe('u-1')
    expect(seen[1]!.headers.get(ASSIGNMENTS_HEADER)).toMatch(/^hero=/)
    expect(headers.get(UNIT_HEADER)).toBeNull()
  })

  it('puts the cookie on a response with a body the handler built, and never writes to one without a body (it may be shared)', async () => {
    const built = new Response('page')
    const shared = new Response(null, { status: 204 })
    const fresh = () => new Request('https://shop.test/')
    const withBody = await edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, () => built).fetch(fresh(), {})
    expect(withBody).toBe(built) // old code: a copy
    expect(withBody.headers.get('set-cookie')).toMatch(/^tp_uid=/)
    const bodiless = await edgeWorker({ config: inlineCompiled(CONFIG), ...quiet }, () => shared).fetch(fresh(), {})
    expect(bodiless).not.toBe(shared)
    expect(bodiless.headers.get('set-cookie')).toMatch(/^tp_uid=/)
    expect(shared.headers.get('set-cookie')).toBeNull()
  })
})

describe("the default handler's response", () => {
  it("is copied for the cookie without a write to it first: fetch()'s headers are immutable, and in workerd the write's throw costs about 25 µs (old code tried it)", async () => {
    let writes = 0
    const fetched = () => {
      const response = new Response('from the origin')
      // fetch()'s answer: headers that refuse writes. Counted, so a try that throws shows.
      const headers = new Headers(response.headers)
      headers.append = headers.set = () => {
        writes++
        throw new TypeError('immutable')
      }
      Object.defineProperty(response, 'headers', { value: headers })
      return response
    }
    vi.stubGlobal('fetch', vi.fn(async () => fetched()))
    try {
      for (const worker of [edgeWorker({ config: inlineCompiled(CONFIG), report: () => undefined }), cloudflareWorker({ config: inlineCompiled(CONFIG), report: () => undefined })]) {
        const response = await worker.fetch(new Request('https://shop.test/'), {}, { waitUntil: () => undefined })
        expect(response.headers.get('set-cookie')).toMatch(/^tp_uid=/)
        expect(await response.text()).toBe('from the origin')
      }
      expect(writes).toBe(0)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
