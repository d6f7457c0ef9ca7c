/**
 * AWS Lambda@Edge (CloudFront). CloudFront events are not Fetch requests, so this module converts both ways:
 * `fromCloudFront` (event request -> `Request`) and `toCloudFront` (`Response` -> event response).
 *
 * Two ways to run: `lambdaEdge` answers at the edge from a fetch handler; or the pair `viewerRequest` (assign,
 * forward the headers to the origin) and `viewerResponse` (write the cookie), as CloudFront lets only a
 * response trigger set response headers when the origin answers.
 *
 * @module
 */
import { touchpoint, type Handler, type Options } from './web'

/**
 * CloudFront's header map: lower-case name -> list of `{ key, value }`.
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export type CloudFrontHeaders = Record<string, Array<{ key?: string; value: string }>>

/** @category lambda@edge @since 0.1.0 */
export interface CloudFrontRequest {
  readonly uri: string
  readonly querystring: string
  readonly method: string
  readonly clientIp?: string
  headers: CloudFrontHeaders
  readonly body?: { readonly data: string; readonly encoding: 'base64' | 'text' }
}

/** @category lambda@edge @since 0.1.0 */
export interface CloudFrontResponse {
  status: string
  statusDescription?: string
  headers: CloudFrontHeaders
  body?: string
  bodyEncoding?: 'text' | 'base64'
}

/**
 * A Lambda@Edge event (viewer or origin, request or response).
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export interface CloudFrontEvent {
  readonly Records: ReadonlyArray<{ readonly cf: { readonly request: CloudFrontRequest; readonly response?: CloudFrontResponse } }>
}

/** Carries a fresh id's `Set-Cookie` from the request trigger to the response trigger. */
const COOKIE_HEADER = 'x-touchpoint-set-cookie'

/**
 * A CloudFront request as a Fetch `Request` (`https://<host><uri>?<querystring>`).
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const fromCloudFront = (cf: CloudFrontRequest): Request => {
  const headers = new Headers()
  for (const [name, values] of Object.entries(cf.headers)) for (const { value } of values) headers.append(name, value)
  const url = `https://${headers.get('host') ?? 'localhost'}${cf.uri}${cf.querystring === '' ? '' : `?${cf.querystring}`}`
  const body = cf.body === undefined || cf.body.data === '' ? undefined : cf.body.encoding === 'base64' ? Uint8Array.from(atob(cf.body.data), (c) => c.charCodeAt(0)) : cf.body.data
  return new Request(url, { method: cf.method, headers, ...(body === undefined || cf.method === 'GET' || cf.method === 'HEAD' ? {} : { body }) })
}

const setHeader = (headers: CloudFrontHeaders, name: string, value: string) => {
  headers[name] = [{ key: name, value }]
}

/**
 * A Fetch `Response` as a CloudFront response (text body; every `Set-Cookie` kept).
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const toCloudFront = async (response: Response): Promise<CloudFrontResponse> => {
  const headers: CloudFrontHeaders = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') setHeader(headers, name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies.map((value) => ({ key: 'Set-Cookie', value }))
  return { status: String(response.status), statusDescription: response.statusText, headers, body: await response.text(), bodyEncoding: 'text' }
}

const requestOf = (event: CloudFrontEvent) => event.Records[0]!.cf

/**
 * A viewer-request handler that answers at the edge: the CloudFront request goes to `handler` as a `Request`
 * and its `Response` goes back to CloudFront. Exposures are flushed before returning (Lambda freezes after).
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const lambdaEdge = (options: Options<undefined>, handler: Handler<undefined>) => {
  const tp = touchpoint(options)
  return async (event: CloudFrontEvent): Promise<CloudFrontResponse> => {
    const request = fromCloudFront(requestOf(event).request)
    const decision = await tp.decide(request)
    const response = tp.finish(await handler(tp.forward(request, decision), decision, undefined, undefined), decision)
    await decision.flush()
    return toCloudFront(response)
  }
}

/**
 * A viewer-request handler that assigns and passes the request on to the origin with `x-touchpoint-unit` and
 * `x-touchpoint-assignments` (client copies replaced). Pair it with `viewerResponse` for the cookie.
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const viewerRequest = (options: Options<undefined>) => {
  const tp = touchpoint(options)
  return async (event: CloudFrontEvent): Promise<CloudFrontRequest> => {
    const cf = requestOf(event).request
    const decision = await tp.decide(fromCloudFront(cf))
    const forwarded = tp.forward(new Request('https://localhost/'), decision).headers
    forwarded.forEach((value, name) => setHeader(cf.headers, name, value))
    delete cf.headers[COOKIE_HEADER]
    if (decision.cookie !== undefined) setHeader(cf.headers, COOKIE_HEADER, decision.cookie)
    await decision.flush()
    return cf
  }
}

/**
 * A viewer-response handler that writes the cookie `viewerRequest` minted for this request.
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const viewerResponse = () => async (event: CloudFrontEvent): Promise<CloudFrontResponse> => {
  const { request, response } = requestOf(event)
  const out = response ?? { status: '200', headers: {} }
  const cookie = request.headers[COOKIE_HEADER]?.[0]?.value
  if (cookie !== undefined) (out.headers['set-cookie'] ??= []).push({ key: 'Set-Cookie', value: cookie })
  return out
}
