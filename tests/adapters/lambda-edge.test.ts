import { describe, expect, it, vi } from 'vitest'
import { fromCloudFront, lambdaEdge, toCloudFront, viewerRequest, viewerResponse, type CloudFrontEvent, type CloudFrontRequest, type CloudFrontResponse } from '../../src/adapters/lambda-edge'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, readAssignments } from '../../src/adapters/web'
import { inlineCompiled } from '../_compiled'

const CONFIG = { experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }

const cfRequest = (headers: Record<string, string> = {}): CloudFrontRequest => ({
  uri: '/shop',
  querystring: 'a=1',
  method: 'GET',
  clientIp: '203.0.113.1',
  headers: Object.fromEntries(Object.entries({ host: 'd111.cloudfront.net', ...headers }).map(([k, v]) => [k, [{ key: k, value: v }]])),
})

/** viewerRequest answers a response only to an event that is none; here it passes the request on. */
const asRequest = (r: CloudFrontRequest | CloudFrontResponse): CloudFrontRequest => {
  if (!('uri' in r)) throw new Error(`expected the request passed on, got ${JSON.stringify(r)}`)
  return r
}

const event = (request: CloudFrontRequest, response?: CloudFrontEvent['Records'][0]['cf']['response']): CloudFrontEvent => ({
  Records: [{ cf: { request, ...(response === undefined ? {} : { response }) } }],
})

describe('lambda@edge', () => {
  it('a CloudFront request becomes a Request and a Response becomes a CloudFront response', async () => {
    const request = fromCloudFront({ ...cfRequest({ cookie: 'a=1' }), method: 'POST', body: { data: btoa('hi'), encoding: 'base64' } })
    expect(request.url).toBe('https://d111.cloudfront.net/shop?a=1')
    expect(request.headers.get('cookie')).toBe('a=1')
    expect(await request.text()).toBe('hi')
    const response = new Response('body', { status: 201, headers: [['content-type', 'text/plain'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] })
    expect(await toCloudFront(response)).toEqual({
      status: '201',
      statusDescription: '',
      headers: { 'content-type': [{ key: 'content-type', value: 'text/plain' }], 'set-cookie': [{ key: 'Set-Cookie', value: 'a=1' }, { key: 'Set-Cookie', value: 'b=2' }] },
      body: 'body',
      bodyEncoding: 'text',
    })
  })

  it('lambdaEdge answers at the edge and flushes before returning', async () => {
    const sink = vi.fn()
    const handler = lambdaEdge({ config: inlineCompiled(CONFIG), sink, newId: () => 'n-3' }, (request, d) => new Response(`${request.headers.get(UNIT_HEADER)} ${d.variant('hero')}`))
    const out = await handler(event(cfRequest()))
    expect(out.body).toMatch(/^n-3 (control|big)$/)
    expect(out.headers['set-cookie']).toEqual([{ key: 'Set-Cookie', value: expect.stringMatching(/^tp_uid=n-3;/) }])
    expect(sink).toHaveBeenCalledTimes(1)
  })

  it('viewerRequest forwards the headers (client copies replaced) and viewerResponse writes the minted cookie', async () => {
    const forward = viewerRequest({ config: inlineCompiled(CONFIG), newId: () => 'n-4' })
    const spoofed = cfRequest({ [UNIT_HEADER]: 'spoofed', [ASSIGNMENTS_HEADER]: 'hero=evil', 'x-touchpoint-set-cookie': 'admin=1' })
    const request = asRequest(await forward(event(spoofed)))
    expect(request.headers[UNIT_HEADER]).toEqual([{ key: UNIT_HEADER, value: 'n-4' }])
    expect(['control', 'big']).toContain(readAssignments(new Headers({ [ASSIGNMENTS_HEADER]: request.headers[ASSIGNMENTS_HEADER]![0]!.value }))['hero'])
    const response = await viewerResponse()(event(request, { status: '200', headers: { 'set-cookie': [{ key: 'Set-Cookie', value: 'app=1' }] } }))
    expect(response.headers['set-cookie']!.map((h) => h.value)).toEqual(['app=1', expect.stringMatching(/^tp_uid=n-4;/)])

    const returning = asRequest(await forward(event(cfRequest({ cookie: 'tp_uid=u-9', 'x-touchpoint-set-cookie': 'admin=1' }))))
    expect(returning.headers['x-touchpoint-set-cookie']).toBeUndefined()
    const untouched = await viewerResponse()(event(returning, { status: '200', headers: {} }))
    expect(untouched.headers['set-cookie']).toBeUndefined()
  })
})
