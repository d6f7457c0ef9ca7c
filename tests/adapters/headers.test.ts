/**
 * No adapter throws on any header a client can send, and none lets a client's own x-touchpoint-* headers reach the
 * application. Seen: Lambda@Edge's viewerRequest threw on a value outside Latin-1 (a cookie with an emoji, a CJK
 * user-agent), which CloudFront passes as decoded text.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { cloudflareWorker } from '../../src/adapters/cloudflare'
import { bunHandler } from '../../src/adapters/bun'
import { denoHandler } from '../../src/adapters/deno'
import { fromCloudFront, lambdaEdge, viewerRequest, viewerResponse, type CloudFrontEvent, type CloudFrontHeaders, type CloudFrontRequest, type CloudFrontResponse } from '../../src/adapters/lambda-edge'
import { netlifyEdge } from '../../src/adapters/netlify'
import { nextMiddleware, vercelEdge } from '../../src/adapters/vercel'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, readAssignments, touchpoint, type Handler } from '../../src/adapters/web'
import { inlineCompiled } from '../_compiled'
import { arbHeaderName, arbHeaderText, arbReceivedHeaders } from './_headers'

const CONFIG = { experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }
const options = () => ({ config: inlineCompiled(CONFIG), idHeader: 'x-device-id', forceParam: 'tp_force', report: () => undefined })

const echo: Handler = (request, decision) =>
  Response.json({ unit: request.headers.get(UNIT_HEADER), assignments: request.headers.get(ASSIGNMENTS_HEADER), id: decision.unitId })

const fetchAdapters: ReadonlyArray<readonly [string, (request: Request) => Promise<Response>]> = [
  ['touchpoint().wrap', (r) => touchpoint(options()).wrap(echo)(r)],
  ['cloudflareWorker', (r) => cloudflareWorker(options(), echo).fetch(r, {}, { waitUntil: () => undefined })],
  ['vercelEdge', (r) => vercelEdge(options(), echo)(r, { waitUntil: () => undefined })],
  ['nextMiddleware', (r) => nextMiddleware(options())(r)],
  ['denoHandler', (r) => denoHandler(options(), echo)(r)],
  ['bunHandler', (r) => bunHandler(options(), echo)(r)],
  ['netlifyEdge', (r) => netlifyEdge(options(), (request, decision) => echo(request, decision, undefined, undefined))(r, { next: async () => new Response('site') })],
]

describe('Fetch adapters: any header a client can send', () => {
  test.prop([arbReceivedHeaders, fc.constantFrom(...fetchAdapters)], { numRuns: 300 })('answers, and the forwarded id is valid', async (headers, [, adapter]) => {
    const request = new Request('https://shop.test/p?tp_force=hero:big', { headers })
    const response = await adapter(request)
    expect(response.status).toBe(200)
  })

  test.prop([arbReceivedHeaders, fc.constantFrom(...fetchAdapters.filter(([n]) => n !== 'nextMiddleware'))])(
    "a client's own x-touchpoint-* headers never reach the handler",
    async (headers, [, adapter]) => {
      const request = new Request('https://shop.test/', { headers: [...headers, [UNIT_HEADER, 'spoofed'], [ASSIGNMENTS_HEADER, 'hero=evil']] })
      const body = (await (await adapter(request)).json()) as { unit: string; assignments: string; id: string }
      expect(body.unit).toBe(body.id)
      expect(body.assignments).not.toContain('evil')
    },
  )
})

const asRequest = (r: CloudFrontRequest | CloudFrontResponse): CloudFrontRequest => {
  if (!('uri' in r)) throw new Error(`expected the request passed on, got ${JSON.stringify(r)}`)
  return r
}

const cfHeaders = (pairs: ReadonlyArray<readonly [string, string]>): CloudFrontHeaders => {
  const out: CloudFrontHeaders = {}
  for (const [k, v] of pairs) {
    // Own properties only, as JSON-parsed events have them: a header named constructor or __proto__ (seen with
    // seed 1466108970) must not read or replace Object.prototype's.
    const name = k.toLowerCase()
    if (!Object.hasOwn(out, name)) Object.defineProperty(out, name, { value: [], enumerable: true, writable: true, configurable: true })
    out[name]!.push({ key: k, value: v })
  }
  return out
}
const cfEvent = (headers: CloudFrontHeaders, response?: CloudFrontEvent['Records'][0]['cf']['response']): CloudFrontEvent => ({
  Records: [{ cf: { request: { uri: '/shop', querystring: 'tp_force=hero:big', method: 'GET', headers }, ...(response === undefined ? {} : { response }) } }],
})

describe('Lambda@Edge: any header text CloudFront passes', () => {
  it('seen: a cookie with an emoji and a CJK user-agent (text outside Latin-1) do not throw, and the id is read', async () => {
    const headers = cfHeaders([['cookie', 'tp_uid=u-42; note=😀'], ['user-agent', 'Mozilla/5.0 (東京)'], ['host', 'd111.cloudfront.net']])
    const forwarded = asRequest(await viewerRequest(options())(cfEvent(headers)))
    expect(forwarded.headers[UNIT_HEADER]).toEqual([{ key: UNIT_HEADER, value: 'u-42' }])
    expect(forwarded.headers['user-agent']).toEqual([{ key: 'user-agent', value: 'Mozilla/5.0 (東京)' }])
    const answered = await lambdaEdge(options(), echo)(cfEvent(headers))
    expect(JSON.parse(answered.body!)).toMatchObject({ unit: 'u-42', id: 'u-42' })
  })

  it('seen (seed 1848784666): a Host that reads as credentials (` @&`) is answered as localhost', async () => {
    const headers = cfHeaders([['host', ' @&']])
    const answered = await lambdaEdge(options(), echo)(cfEvent(headers))
    expect(answered.status).toBe('200')
    expect(fromCloudFront(cfEvent(headers).Records[0]!.cf.request).url).toBe('https://localhost/shop?tp_force=hero:big')
  })

  const arbCfHeaders = fc.array(fc.tuple(fc.oneof(arbHeaderName, fc.string({ maxLength: 8 })), arbHeaderText), { maxLength: 8 }).map(cfHeaders)

  test.prop([arbCfHeaders], { numRuns: 300 })('viewerRequest, lambdaEdge and viewerResponse answer; client copies of the touchpoint headers are replaced', async (headers) => {
    const spoofed = { ...headers, [UNIT_HEADER]: [{ key: UNIT_HEADER, value: 'spoofed' }], [ASSIGNMENTS_HEADER]: [{ key: ASSIGNMENTS_HEADER, value: 'hero=evil' }] }
    const forwarded = asRequest(await viewerRequest(options())(cfEvent(spoofed)))
    const unit = forwarded.headers[UNIT_HEADER]!
    expect(unit).toHaveLength(1)
    expect(unit[0]!.value).not.toBe('spoofed')
    expect(readAssignments(new Headers({ [ASSIGNMENTS_HEADER]: forwarded.headers[ASSIGNMENTS_HEADER]![0]!.value }))['hero']).not.toBe('evil')
    const answered = await lambdaEdge(options(), echo)(cfEvent(headers))
    expect(answered.status).toBe('200')
    const written = await viewerResponse()(cfEvent(forwarded.headers, { status: '200', headers }))
    expect(written.status).toBe('200')
  })
})
