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
import { isRequestUrl } from './requestUrl'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, decider, encodeAssignments, touchpoint, type Handler, type Options, type RequestLike } from './web'

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

/** Carries the `Set-Cookie` values (a fresh id's, the sticky record's) from the request trigger to the response trigger. */
const COOKIE_HEADER = 'x-touchpoint-set-cookie'

const TOKEN = /^[!#$%&'*+\-.^_`|~\w]+$/
const LATIN1 = /^[^\0\n\r\u0100-\uffff]*$/

/**
 * A header text as a Fetch `Headers` value: CloudFront passes decoded text (an emoji in a cookie, a CJK
 * user-agent), while `Headers` holds bytes, one character each. Text outside Latin-1 goes in as its UTF-8 bytes,
 * which is what a Fetch runtime receiving it over HTTP would hold; CR, LF and NUL, which no header line can
 * carry, are dropped.
 */
const asByteString = (text: string): string =>
  LATIN1.test(text) ? text : Array.from(new TextEncoder().encode(text), (b) => (b === 0 || b === 10 || b === 13 ? '' : String.fromCharCode(b))).join('')

/** Text as given; anything else (plain JavaScript) as none. */
const textOf = (u: unknown): string => (typeof u === 'string' ? u : '')

const hostOf = (cf: CloudFrontRequest): string => textOf(cf.headers?.['host']?.[0]?.value) || 'localhost'

const urlOf = (cf: CloudFrontRequest, host: string) => `https://${host}${textOf(cf.uri)}${cf.querystring ? `?${textOf(cf.querystring)}` : ''}`

/**
 * A CloudFront request as a Fetch `Request` (`https://<host><uri>?<querystring>`). Total: a header name that is
 * no HTTP token is left out, header text outside Latin-1 becomes its UTF-8 bytes, a host that makes no URL is
 * read as `localhost`, a method that is no token (or one Fetch forbids) as GET without a body.
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const fromCloudFront = (cf: CloudFrontRequest): Request => {
  if (cf === null || typeof cf !== 'object') return new Request('https://localhost/') // plain JavaScript
  const headers = new Headers()
  for (const [name, values] of Object.entries(cf.headers ?? {})) {
    if (TOKEN.test(name) && Array.isArray(values)) for (const v of values) if (typeof v?.value === 'string') headers.append(name, asByteString(v.value))
  }
  let url = urlOf(cf, hostOf(cf))
  if (!isRequestUrl(url)) url = urlOf(cf, 'localhost')
  let body: BodyInit | undefined
  try {
    body = !cf.body?.data ? undefined : cf.body.encoding === 'base64' ? Uint8Array.from(atob(cf.body.data), (c) => c.charCodeAt(0)) : cf.body.data
  } catch {
    body = cf.body?.data // not base64 after all: the text as given
  }
  const method = typeof cf.method === 'string' && TOKEN.test(cf.method) ? cf.method : 'GET'
  const at = isRequestUrl(url) ? url : 'https://localhost/'
  try {
    return new Request(at, { method, headers, ...(body === undefined || /^(GET|HEAD)$/i.test(method) ? {} : { body }) })
  } catch {
    // A method Fetch forbids (CONNECT, TRACE) or a body it cannot take, from plain JavaScript: the request without them.
    return new Request(at, { headers })
  }
}

/** A CloudFront request as the adapter reads it, over its header map as it is (no copy, no conversion). */
const cloudFrontRequestLike = (cf: CloudFrontRequest): RequestLike => ({
  url: urlOf(cf, hostOf(cf)),
  headers: {
    get: (name) => {
      const values = cf.headers?.[name.toLowerCase()]
      return Array.isArray(values) && values.length > 0 ? values.map((v) => v?.value).join(', ') : null
    },
  },
})

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
  if (!(response instanceof Response)) return { status: '502', statusDescription: 'Bad Gateway', headers: {} } // a handler that gave no Response
  const headers: CloudFrontHeaders = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') setHeader(headers, name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies.map((value) => ({ key: 'Set-Cookie', value }))
  return { status: String(response.status), statusDescription: response.statusText, headers, body: response.bodyUsed ? '' : await response.text().catch(() => ''), bodyEncoding: 'text' }
}

const requestOf = (event: CloudFrontEvent) => event.Records[0]!.cf

/** What a trigger answers to an event that is none (plain JavaScript callers): CloudFront's 400. */
const badEvent = (): CloudFrontResponse => ({ status: '400', statusDescription: 'Bad Request', headers: {} })

const isEvent = (event: CloudFrontEvent): boolean => typeof event?.Records?.[0]?.cf?.request?.headers === 'object'

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
    if (!isEvent(event) || typeof handler !== 'function') return badEvent()
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
  const tp = decider(options)
  return async (event: CloudFrontEvent): Promise<CloudFrontRequest | CloudFrontResponse> => {
    if (!isEvent(event)) return badEvent()
    const cf = requestOf(event).request
    const decision = await tp.decide(cloudFrontRequestLike(cf))
    // A client's copies go whatever the case of their key; ours replace them.
    for (const name of Object.keys(cf.headers)) {
      const lower = name.toLowerCase()
      if (lower === UNIT_HEADER || lower === ASSIGNMENTS_HEADER || lower === COOKIE_HEADER) delete cf.headers[name]
    }
    setHeader(cf.headers, UNIT_HEADER, decision.unitId)
    setHeader(cf.headers, ASSIGNMENTS_HEADER, encodeAssignments(decision.variants))
    const cookies = [decision.cookie, decision.stickyCookie].flatMap((value) => (value === undefined ? [] : [{ key: COOKIE_HEADER, value }]))
    if (cookies.length > 0) cf.headers[COOKIE_HEADER] = cookies
    await decision.flush()
    return cf
  }
}

/**
 * A viewer-response handler that writes the cookies `viewerRequest` set for this request (a fresh id's, the
 * sticky record's).
 *
 * @category lambda@edge
 * @since 0.1.0
 */
export const viewerResponse = () => async (event: CloudFrontEvent): Promise<CloudFrontResponse> => {
  if (!isEvent(event)) return badEvent()
  const { request, response } = requestOf(event)
  const out = response ?? { status: '200', headers: {} }
  const carried: unknown = request.headers[COOKIE_HEADER]
  for (const h of Array.isArray(carried) ? (carried as CloudFrontHeaders[string]) : []) {
    if (typeof h?.value === 'string') (out.headers['set-cookie'] ??= []).push({ key: 'Set-Cookie', value: h.value })
  }
  return out
}
