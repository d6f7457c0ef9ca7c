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
import { assignOne, enrolled } from '../assignment/assign'
import { DEFAULT_UNIT } from '../assignment/build'
import { toExposure, type Exposure } from '../assignment/exposure'
import type { Assigner, Assignment, Enrolled, Experiment, Unit } from '../assignment/model'
import type { Issue, TouchpointError } from '../core/errors'
import { fetchOrigin } from './internal/fetchOrigin'
import { checkOptions, COOKIE_NAME, type CookieOptions } from './options'
import { messageOf, problem, showError } from './internal/problems'
import type { ConfigSource, ConfigState } from './webConfig'
import { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, isValidId, serializeCookie, UNIT_HEADER, type RequestLike } from './webHeaders'

export { checkOptions, COOKIE_NAME, MAX_COOKIE_AGE, type CookieOptions } from './options'
export { configSource, inlineConfig, kvConfig, urlConfig, type ConfigSource, type ConfigSourceOptions, type ConfigState, type TextStore } from './webConfig'
export { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, isValidId, readAssignments, readUnitId, serializeCookie, UNIT_HEADER, type RequestLike } from './webHeaders'

/**
 * The part of a runtime's per-request context the adapter uses (Cloudflare `ctx`, Vercel and Netlify `context`).
 *
 * @category model
 * @since 0.1.0
 */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * Options of `touchpoint`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Options<Env = unknown> {
  readonly config: ConfigSource<Env>
  /** Experiments assigned on each request (default: all of the config). */
  readonly experiments?: ReadonlyArray<string>
  /** The unit attribute the id fills (default `id`, the config's default unit). */
  readonly unit?: string
  /** Targeting attributes of the request's unit (country, plan...). */
  readonly attributes?: (request: RequestLike, env: Env) => Unit
  /** Your own way to find the unit id (a signed-in user id); checked first, validated like the others. */
  readonly identify?: (request: RequestLike, env: Env) => string | undefined
  /** A request header the unit id may arrive on (an app sending its device id); off by default. */
  readonly idHeader?: string
  /** The cookie that keeps a minted id, or `false` to never write one (the browser writes `tp_uid`; still read). */
  readonly cookie?: CookieOptions | false
  /** Consent: when it answers `false` no cookie is written (the id then lives for one request). */
  readonly consent?: (request: RequestLike, env: Env) => boolean
  /** Accepted ids (default: 1 to 64 of `A-Z a-z 0-9 . _ : -`). Anything else is ignored and replaced. */
  readonly validId?: (id: string) => boolean
  /** Mints a new id (default `crypto.randomUUID()`). */
  readonly newId?: () => string
  /** Query parameter that forces variants (`?tp_force=hero:big,cta:green`); off unless named. For QA only. */
  readonly forceParam?: string
  /** Also put the assignments on the response (for caching layers that key on a response header). */
  readonly responseHeader?: boolean
  /** `auto` (default) exposes every assignment made; `manual` exposes only what `decision.expose` is called with. */
  readonly expose?: 'auto' | 'manual'
  /**
   * Receives each request's exposures in one call, after the response: within a request each experiment is sent
   * once however often it is exposed; every request that exposes it sends it again (no state is kept between
   * requests, isolates or servers). Analyses count a unit once, from its first exposure. Its failure is
   * reported, never thrown.
   */
  readonly sink?: (exposures: ReadonlyArray<Exposure>) => unknown
  /**
   * Hears, once each: options it refuses (`'options'`: the adapter then serves control and writes no cookie),
   * why a config load fell back and a config whose experiments never hash `unit` (`'config'`, once per load),
   * and sink failures (`'sink'`). Default: `console.warn`.
   */
  readonly report?: (error: TouchpointError, where: 'options' | 'config' | 'sink') => void
  /** Keeps each unit's assignments across config changes (`stickyCookie()`); off by default. */
  readonly sticky?: StickyStore
}

/**
 * Where the adapter keeps units' assignments sticky (`stickyCookie` is one). `assign` assigns `experiments` for
 * one request and answers the `Set-Cookie` value to send when the record changed.
 *
 * @category sticky
 * @since 0.1.0
 */
export interface StickyStore {
  /** Problems with the store's own options; the adapter refuses a store that has any. */
  readonly issues: ReadonlyArray<Issue>
  readonly assign: (
    request: RequestLike,
    unit: Unit,
    unitId: string,
    assigner: Assigner,
    experiments: ReadonlyArray<Experiment>,
  ) => Promise<{ readonly assignments: ReadonlyArray<Assignment>; readonly cookie: string | undefined }>
}

/**
 * What the adapter decided for one request.
 *
 * @category model
 * @since 0.1.0
 */
export interface Decision {
  /** The unit id used: from the request, or minted for it. Validated, so safe in a header. */
  readonly unitId: string
  /** `true` when the id was minted in this request. */
  readonly fresh: boolean
  /** The `Set-Cookie` value to send, if any (a fresh id, cookies on and consent given). */
  readonly cookie: string | undefined
  /** The sticky record's `Set-Cookie` value to send, if any (it changed, and consent given). */
  readonly stickyCookie: string | undefined
  readonly assignments: ReadonlyArray<Assignment>
  /** Experiment key -> variant key, for enrolled units only. */
  readonly variants: Readonly<Record<string, string>>
  /** Why the config fell back (to the last good one, or to control when there is none). */
  readonly error: TouchpointError | undefined
  /** The variant of `experiment`, or `fallback` (default `control`) when the unit is not enrolled. */
  readonly variant: (experiment: string, fallback?: string) => string
  /** Queue the exposure of `experiment` (once per request); returns its variant like `variant`. */
  readonly expose: (experiment: string, fallback?: string) => string
  /** Send the queued exposures to the sink; resolves when the sink has taken them. Never rejects. */
  readonly flush: () => Promise<void>
}

/** Variants forced by the query string, only those the config has. */
const forced = (assigner: Assigner, request: RequestLike, param: string, unitId: string, unit: string): Map<string, Enrolled> => {
  const out = new Map<string, Enrolled>()
  let value: string | null = null
  try {
    value = new URL(request.url).searchParams.get(param)
  } catch {
    // A relative or malformed URL forces nothing.
  }
  for (const pair of value?.split(',') ?? []) {
    const [key = '', variant = ''] = pair.split(':')
    const experiment = assigner.byKey.get(key)
    const variantIndex = experiment?.variants.indexOf(variant) ?? -1
    if (experiment !== undefined && variantIndex >= 0) out.set(key, enrolled(experiment, variantIndex, -1, experiment.unit === unit ? unitId : '', true, false))
  }
  return out
}

/**
 * An adapter instance: the config cache lives here, so create it once per isolate or process, at module scope
 * (it does no I/O and draws no random number until the first request).
 *
 * @category model
 * @since 0.1.0
 */
export interface Touchpoint<Env = unknown> {
  readonly options: Options<Env>
  /** Find or mint the unit id, assign, and queue exposures. Rejects only if one of your callbacks throws. */
  readonly decide: (request: RequestLike, env?: Env) => Promise<Decision>
  /**
   * The request to pass on, carrying the unit id and assignments headers (client copies replaced): the request
   * itself when its headers are mutable, otherwise a copy.
   */
  readonly forward: (request: Request, decision: Decision) => Request
  /**
   * The response with the cookies and, if `responseHeader`, the assignments header added: set on the response
   * itself when its headers are mutable, otherwise on a copy (the body is not read).
   */
  readonly finish: (response: Response, decision: Decision) => Response
  /** Middleware form: wraps a fetch handler `(request, env, ctx)`; the handler gets the forwarded request. */
  readonly wrap: (handler: Handler<Env>) => (request: Request, env?: Env, ctx?: Partial<WaitUntil>) => Promise<Response>
}

/**
 * A fetch handler behind the adapter: it gets the forwarded request and the decision.
 *
 * @category model
 * @since 0.1.0
 */
export type Handler<Env = unknown> = (
  request: Request,
  decision: Decision,
  env: Env,
  ctx: Partial<WaitUntil> | undefined,
) => Response | Promise<Response>

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
const forwardHeaders = (headers: Headers, decision: Decision): Headers => {
  headers.set(UNIT_HEADER, decision.unitId)
  headers.set(ASSIGNMENTS_HEADER, encodeAssignments(decision.variants))
  return headers
}

/** A request header, or null: also for a request without headers (plain JavaScript callers). */
const headerOf = (request: RequestLike, name: string): string | null => (request as Partial<RequestLike> | null)?.headers?.get?.(name) ?? null

/** A decision's flush when there is no sink (one function for every request). */
const nothingToFlush = async (): Promise<void> => undefined

/** An issue when experiments are assigned and none of them hashes the adapter's unit attribute. */
const unitMismatch = (experiments: ReadonlyArray<Experiment>, unit: string): TouchpointError | undefined => {
  const units = new Set(experiments.map((x) => x.unit))
  return units.size === 0 || units.has(unit)
    ? undefined
    : problem(`an attribute the experiments hash (${[...units].join(', ')}), or all get control`, unit, 'unit')
}

/**
 * The deciding half of `touchpoint`: options checked once, the config source, and `decide`, for code that only
 * assigns and passes the decision on itself (the Lambda@Edge viewer request). A worker built on it does not ship
 * `forward`, `finish` and `wrap` (about 200 B min+gzip). `report` is the options' report (or the default).
 *
 * @example
 * const { decide } = decider({ config: inlineConfig(experiments) })
 * const decision = await decide(request)
 *
 * @category constructors
 * @since 0.1.0
 */
export const decider = <Env = unknown>(given: Options<Env>) => {

  const checked = checkOptions(given)
  const report =
    typeof (given as Partial<Options<Env>> | null)?.report === 'function'
      ? given.report!
      : (e: TouchpointError, where: string) => console.warn(`touchpoint ${where}:`, showError(e))
  // Refused options: a source that never loads (control for everyone) and no cookie; none of the given
  // callbacks is called, and the error is reported once, as 'options'.
  const refusal = checked._tag === 'Left' ? checked.left : undefined
  const never = Promise.resolve({ assigner: undefined, error: refusal })
  const options: Options<Env> = refusal === undefined ? given : { config: { get: () => never, reload: () => never }, cookie: false }
  const { config, unit = DEFAULT_UNIT, cookie = {}, validId = isValidId } = options
  // With `cookie: false` the id is still read from the default cookie: someone else (the browser) writes it.
  const readCookie = cookieValue((cookie === false ? undefined : cookie.name) ?? COOKIE_NAME)
  const writeCookie = cookie === false ? undefined : serializeCookie(cookie)
  let reported: ConfigState | undefined
  // The experiments each request assigns, found once per config load rather than once per request.
  let assigned: ReadonlyArray<Experiment> = []
  const valid = (id: unknown): id is string => typeof id === 'string' && validId(id)

  // What a config source of the caller's own answers when it answers no state (plain JavaScript): nothing loaded.
  const noState: ConfigState = { assigner: undefined, error: problem('a loaded config', undefined, 'config.get') }

  const decide = async (request: RequestLike, env = undefined as Env): Promise<Decision> => {
    const got: unknown = await config.get(env)
    const state = got !== null && typeof got === 'object' ? (got as ConfigState) : noState
    // Once per load, not once per request: a bad config would otherwise log on every page view.
    if (state !== reported) {
      reported = state
      if (state.error !== undefined) report(state.error, refusal === undefined ? 'config' : 'options')
      const loaded = state.assigner
      assigned = loaded === undefined ? [] : (options.experiments ?? loaded.experiments.map((x) => x.key)).flatMap<Experiment>((key) => loaded.byKey.get(key) ?? [])
      const mismatch = unitMismatch(assigned, unit)
      if (mismatch !== undefined) report(mismatch, 'config')
    }
    const { assigner } = state
    // The time the adapter saw the request: each exposure's timestamp (read only when there is a sink to send to).
    const seenAt = options.sink === undefined ? 0 : Date.now()
    // In order, the first valid one: your own, the cookie, the id header.
    let id = [options.identify?.(request, env), readCookie(headerOf(request, 'cookie')), options.idHeader === undefined ? undefined : headerOf(request, options.idHeader)].find(valid)
    const fresh = id === undefined
    // A minted id is checked like any other: it goes into a header and a cookie.
    if (id === undefined) {
      const minted = options.newId?.()
      id = valid(minted) ? minted : crypto.randomUUID()
    }
    const attributes: Unit = { ...options.attributes?.(request, env), [unit]: id }
    const force = assigner === undefined || options.forceParam === undefined ? undefined : forced(assigner, request, options.forceParam, id, unit)
    const assignments: Array<Assignment> = []
    // No prototype: an experiment may be called `__proto__` or `toString`, and `variant('toString')` must not
    // find Object.prototype's.
    const variants = Object.create(null) as Record<string, string>
    let stickyCookie: string | undefined
    if (assigner !== undefined) {
      const sticky = options.sticky && (await options.sticky.assign(request, attributes, id, assigner, assigned))
      stickyCookie = sticky?.cookie
      for (let i = 0; i < assigned.length; i++) {
        const experiment = assigned[i]!
        const a = force?.get(experiment.key) ?? sticky?.assignments[i] ?? assignOne(attributes, experiment)
        assignments.push(a)
        if (a._tag === 'Enrolled') variants[experiment.key] = a.variant
      }
    }
    const variant = (experiment: string, fallback = 'control') => variants[experiment] ?? fallback
    // Without a sink nothing is ever queued: exposing is reading the variant and there is nothing to flush, so a
    // request makes no closures for them.
    let expose: Decision['expose'] = variant
    let flush = nothingToFlush
    const { sink } = options
    if (sink !== undefined && assigner !== undefined) {
      const queued: Array<Exposure> = []
      let sent = 0
      expose = (experiment, fallback) => {
        const a = assignments.find((x) => x.experiment === experiment)
        // Once per request and experiment; forced variants are QA traffic, never counted as exposures.
        if (a?._tag === 'Enrolled' && !force?.has(experiment) && !queued.some((x) => x.experiment === experiment)) queued.push(toExposure(assigner, seenAt)(a))
        return variant(experiment, fallback)
      }
      flush = async () => {
        const batch = queued.slice(sent)
        sent = queued.length
        if (batch.length === 0) return
        try {
          await sink(batch)
        } catch (e) {
          report(problem('a sink that takes the batch', messageOf(e)), 'sink')
        }
      }
      if (options.expose !== 'manual') for (const a of assignments) expose(a.experiment)
    }
    const consent = options.consent?.(request, env) ?? true
    return {
      unitId: id,
      fresh,
      cookie: (fresh && consent && writeCookie?.(id)) || undefined,
      stickyCookie: consent ? stickyCookie : undefined,
      assignments,
      variants,
      error: state.error,
      variant,
      expose,
      flush,
    }
  }

  return { options, decide, report }
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
  const { options, decide, report } = decider(given)
  // Whether requests seen so far had immutable headers: incoming requests in one runtime all do, or all do not.
  let immutable = false
  /** `undefined` when the request itself carries the headers now; otherwise the headers to build it with. */
  const headersFor = (request: Request, decision: Decision): Headers | undefined => {
    if (!immutable) {
      try {
        forwardHeaders(request.headers, decision) // the first write throws on immutable headers, before any change
        return undefined
      } catch {
        immutable = true
      }
    }
    return forwardHeaders(new Headers(request.headers), decision)
  }
  const forward = (request: Request, decision: Decision): Request => {
    if (!(request instanceof Request) || !isDecision(decision)) return request
    const headers = headersFor(request, decision)
    return headers === undefined ? request : new Request(request, { headers })
  }

  const finish = (response: Response, decision: Decision): Response => {
    if (!(response instanceof Response) || !isDecision(decision)) return response // plain JavaScript: as given
    const { cookie, stickyCookie } = decision
    if (cookie === undefined && stickyCookie === undefined && options.responseHeader !== true) return response
    const add = (out: Response) => {
      if (cookie !== undefined) out.headers.append('set-cookie', cookie)
      if (stickyCookie !== undefined) out.headers.append('set-cookie', stickyCookie)
      if (options.responseHeader === true) out.headers.set(ASSIGNMENTS_HEADER, encodeAssignments(decision.variants))
      return out
    }
    // A response with a body can be sent once, so one the handler built (mutable headers) takes the cookies
    // itself: no copy. One without a body may be a shared object sent to every visitor: never written to.
    if (response.body !== null) {
      try {
        return add(response) // the first write throws on immutable headers, before anything was added
      } catch {
        // Responses from fetch() have immutable headers.
      }
    }
    // Copy (the body is passed on, not read) and add.
    return add(new Response(response.body, response))
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
      const decision = await decide(request, env)
      // fetch(request, init) builds the request it sends: with the default handler that is the only copy.
      const headers = handler === fetchOrigin ? headersFor(request, decision) : undefined
      const response: unknown = await (handler === fetchOrigin ? fetch(request, headers && { headers }) : handler(forward(request, decision), decision, env as Env, ctx))
      if (options.sink !== undefined) flushLater(decision, ctx) // without a sink there is nothing to wait for
      return response instanceof Response ? finish(response, decision) : failed('a Response', response)
    },
  }
}
