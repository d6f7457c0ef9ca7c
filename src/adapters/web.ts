/**
 * The runtime-agnostic adapter over the Fetch API (`Request` in, `Response` out). Every edge runtime and the Node
 * adapters use it; the per-runtime files only translate their calling convention.
 *
 * One request goes through `decide` (find or mint the unit id once, assign, queue exposures), then the handler
 * (which reads the decision, or the forwarded request headers), then `finish` (cookie and headers on the
 * response) and `flush` (exposures to the sink, through `waitUntil` where the runtime has it).
 *
 * Nothing here throws at the page: a config that is missing, unreadable or invalid leaves every unit on the
 * fallback (the last good config when there was one, otherwise no experiment: control) and is reported.
 *
 * @module
 */
import { fetchOrigin } from './internal/fetchOrigin'
import { problem } from './internal/problems'
import { ASSIGNMENTS_HEADER, encodeAssignments, UNIT_HEADER, type RequestLike } from './webHeaders'
import { deciding } from './decide'
import type { Decision, Options, Touchpoint, WaitUntil } from './webModel'

export { checkOptions, COOKIE_NAME, MAX_COOKIE_AGE, type CookieOptions } from './options'
export { configSource, inlineConfig, kvConfig, urlConfig, type ConfigSource, type ConfigSourceOptions, type ConfigState, type TextStore } from './webConfig'
export { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, isValidId, readAssignments, readUnitId, serializeCookie, UNIT_HEADER, type RequestLike } from './webHeaders'
export type { Handler, Options, StickyStore, Touchpoint, WaitUntil, Decision } from './webModel'
export { decider } from './decide'

/**
 * Schedule a flush: through `waitUntil` when the runtime has it, otherwise in the background (Deno, Bun, Node
 * keep running after the response).
 *
 * @category middleware
 * @since 0.1.0
 */
export const flushLater = (decision: Decision, ctx?: Partial<WaitUntil>): void => {
  const flushing = typeof decision?.flush === 'function' ? decision.flush() : undefined
  if (flushing !== undefined && typeof ctx?.waitUntil === 'function') ctx.waitUntil(flushing)
}

/** A decision as `decide` makes it, at least as far as `forward` and `finish` read it (plain JavaScript may pass anything). */
const isDecision = (d: unknown): d is Decision => typeof (d as Partial<Decision> | null)?.unitId === 'string'

/**
 * Sets the unit id and assignments headers for the request passed on (a client's own copies replaced) on
 * `headers`: the request's own when they are mutable (a Request built by the server, Node's Fetch API), since
 * copying Headers and building a new Request was most of the adapter's cost per request; otherwise (a Worker's
 * incoming request) a copy, for the one new request (`forward`, or the default handler's
 * `fetch(request, { headers })`). After one failed write `touchpoint` goes straight to the copy (in workerd a
 * throw costs about 25 µs). In workerd a copied request clones the incoming one's `cf` properties, about 25 µs
 * (Miniflare's `cf`), so the default handler must not copy it twice.
 */
const forwardHeaders = (headers: Headers, unitId: string, assignments: string): Headers => {
  headers.set(UNIT_HEADER, unitId)
  headers.set(ASSIGNMENTS_HEADER, assignments)
  return headers
}

/** The cookies and the assignments header `finish` puts on `out` (a function of its own: no closure per request). */
const addCookies = (out: Response, cookie: string | undefined, stickyCookie: string | undefined, header: string | undefined): Response => {
  if (cookie !== undefined) out.headers.append('set-cookie', cookie)
  if (stickyCookie !== undefined) out.headers.append('set-cookie', stickyCookie)
  if (header !== undefined) out.headers.set(ASSIGNMENTS_HEADER, header)
  return out
}

/**
 * Create the adapter.
 *
 * **Gotchas**: the id is minted at most once per request and the same id is assigned, forwarded and written to
 * the cookie (GrowthBook minted it twice and the first page was bucketed on another id than the cookie's).
 * With consent refused, a visitor without a cookie gets a new id on every request.
 *
 * @example
 * const tp = touchpoint({ config: inlineConfig(experiments), sink: (xs) => log(xs) })
 * export default { fetch: tp.wrap((request, decision) => fetch(request)) } // Cloudflare module worker
 *
 * @category constructors
 * @since 0.1.0
 */
export const touchpoint = <Env = unknown>(given: Options<Env>): Touchpoint<Env> => {
  const { options, decideNow, assignmentsHeader, report } = deciding(given)
  const decide = async (request: RequestLike, env?: Env): Promise<Decision> => decideNow(request, env as Env)
  // Whether requests seen so far had immutable headers: incoming requests in one runtime all do, or all do not.
  let immutable = false
  /** `undefined` when the request itself carries the headers now; otherwise the headers to build it with. */
  const headersFor = (request: Request, decision: Decision, assignments: string): Headers | undefined => {
    if (!immutable) {
      try {
        forwardHeaders(request.headers, decision.unitId, assignments) // the first write throws on immutable headers, before any change
        return undefined
      } catch {
        immutable = true
      }
    }
    return forwardHeaders(new Headers(request.headers), decision.unitId, assignments)
  }
  /** `forward` for a Request and a decision `decide` made (`wrap` knows both). */
  const passOn = (request: Request, decision: Decision, assignments: string): Request => {
    const headers = headersFor(request, decision, assignments)
    return headers === undefined ? request : new Request(request, { headers })
  }
  const forward = (request: Request, decision: Decision): Request =>
    !(request instanceof Request) || !isDecision(decision) ? request : passOn(request, decision, encodeAssignments(decision.variants))

  const finish = (response: Response, decision: Decision): Response =>
    !(response instanceof Response) || !isDecision(decision) ? response : finishing(response, decision) // plain JavaScript: as given
  /**
   * `finish` for a Response and a decision `decide` made; `assignments` is the header when it is already built.
   * `fetched`: the response came from fetch() (the default handler), whose headers are immutable, so it is copied
   * without a write that would throw first (in workerd a throw costs about 25 µs).
   */
  const finishing = (response: Response, decision: Decision, assignments?: string, fetched?: boolean): Response => {
    const { cookie, stickyCookie } = decision
    const header = options.responseHeader === true ? (assignments ?? encodeAssignments(decision.variants)) : undefined
    if (cookie === undefined && stickyCookie === undefined && header === undefined) return response
    // A response with a body can be sent once, so one the handler built (mutable headers) takes the cookies
    // itself: no copy. One without a body may be a shared object sent to every visitor: never written to.
    if (response.body !== null && !fetched) {
      try {
        return addCookies(response, cookie, stickyCookie, header) // the first write throws on immutable headers, before anything was added
      } catch {
        // Responses from fetch() have immutable headers.
      }
    }
    // Copy (the body is passed on, not read) and add.
    return addCookies(new Response(response.body, response), cookie, stickyCookie, header)
  }

  // Plain JavaScript may hand anything over: answer it rather than throw.
  const failed = (expected: string, actual: unknown) => (report(problem(expected, actual, 'handler'), 'options'), new Response(null, { status: 500 }))

  return {
    options,
    decide,
    forward,
    finish,
    wrap: (handler) => async (request, env, ctx) => {
      if (typeof handler !== 'function') return failed('a handler function', handler)
      if (!(request instanceof Request)) return new Response(null, { status: 400 })
      // Awaited only when it is a promise: with the config loaded and fresh, and a handler that answers at once, the
      // request waits for no microtask (each await was a tenth of the adapter's cost in Node).
      const deciding = decideNow(request, env as Env)
      const decision = deciding instanceof Promise ? await deciding : deciding
      const assignments = assignmentsHeader(decision)
      // fetch(request, init) builds the request it sends: with the default handler that is the only copy.
      const headers = handler === fetchOrigin ? headersFor(request, decision, assignments) : undefined
      const answered: unknown = handler === fetchOrigin ? fetch(request, headers && { headers }) : handler(passOn(request, decision, assignments), decision, env as Env, ctx)
      const response = typeof (answered as Partial<PromiseLike<unknown>> | null)?.then === 'function' ? await answered : answered
      if (options.sink !== undefined) flushLater(decision, ctx) // without a sink there is nothing to wait for
      return response instanceof Response ? finishing(response, decision, assignments, handler === fetchOrigin) : failed('a Response', response)
    },
  }
}
