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
import { assignOne } from '../assignment/assign'
import { DEFAULT_UNIT } from '../assignment/build'
import type { Exposure } from '../assignment/exposure'
import type { Assigner, Assignment, Experiment, Unit } from '../assignment/model'
import type { Issue, TouchpointError } from '../core/errors'
import { fetchOrigin } from './internal/fetchOrigin'
import { forced } from './internal/forced'
import { checkOptions, COOKIE_NAME, type CookieOptions } from './options'
import { exposureQueue } from './internal/exposures'
import { problem, showError } from './internal/problems'
import type { ConfigSource, ConfigState } from './webConfig'
import { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, encodePair, isValidId, serializeCookie, UNIT_HEADER, type RequestLike } from './webHeaders'

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
const forwardHeaders = (headers: Headers, unitId: string, assignments: string): Headers => {
  headers.set(UNIT_HEADER, unitId)
  headers.set(ASSIGNMENTS_HEADER, assignments)
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
  const { options, decideNow, report } = deciding(given)
  return { options, decide: async (request: RequestLike, env?: Env): Promise<Decision> => decideNow(request, env as Env), report }
}

/**
 * `decider`'s work, with `decideNow`: the decision itself when it can be made at once (the config source answered
 * the promise it answered last time, already settled, and there is no sticky store), otherwise a promise of it.
 * `wrap` uses it so that a request with the config loaded and fresh makes no promise and waits for no microtask.
 */
const deciding = <Env>(given: Options<Env>) => {

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
  // Per load as well: each assigned experiment's `key=variant` header pairs, by variant index; `undefined` when
  // the header cannot be built in assignment order (a key given twice, or an array-index key, which for-in lists
  // first), and `encodeAssignments` builds it.
  let pairs: ReadonlyArray<ReadonlyArray<string>> | undefined
  // The decision made last and its assignments header: `wrap` forwards it without encoding `variants` again.
  let lastMade: Decision | undefined
  let lastHeader = ''
  const valid = (id: unknown): id is string => typeof id === 'string' && validId(id)

  // What a config source of the caller's own answers when it answers no state (plain JavaScript): nothing loaded.
  const noState: ConfigState = { assigner: undefined, error: problem('a loaded config', undefined, 'config.get') }

  // The last promise the config source answered and its state: a promise's value never changes once settled, so
  // the same promise again (configSource answers one per loaded state) needs no await.
  let lastGot: unknown
  let lastState: ConfigState = noState
  /** The state behind what `config.get` answered; reports a new one once. */
  const observe = (got: unknown): ConfigState => {
    const state = got !== null && typeof got === 'object' ? (got as ConfigState) : noState
    // Once per load, not once per request: a bad config would otherwise log on every page view.
    if (state !== reported) {
      reported = state
      if (state.error !== undefined) report(state.error, refusal === undefined ? 'config' : 'options')
      const loaded = state.assigner
      assigned = loaded === undefined ? [] : (options.experiments ?? loaded.experiments.map((x) => x.key)).flatMap<Experiment>((key) => loaded.byKey.get(key) ?? [])
      const keys = new Set(assigned.map((x) => x.key))
      pairs = keys.size < assigned.length || [...keys].some((k) => /^\d+$/.test(k)) ? undefined : assigned.map((x) => x.variants.map((v) => encodePair(x.key, v)))
      const mismatch = unitMismatch(assigned, unit)
      if (mismatch !== undefined) report(mismatch, 'config')
    }
    return state
  }

  const decideNow = (request: RequestLike, env: Env): Decision | Promise<Decision> => {
    const got: unknown = config.get(env)
    if (got === lastGot && got !== undefined) return decideWith(lastState, request, env)
    return Promise.resolve(got).then((settled) => {
      const state = observe(settled)
      if (got instanceof Promise) (lastGot = got), (lastState = state)
      return decideWith(state, request, env)
    })
  }

  const decideWith = (state: ConfigState, request: RequestLike, env: Env): Decision | Promise<Decision> => {
    const { assigner } = state
    // In order, the first valid one: your own, the cookie, the id header.
    let id: string | null | undefined = options.identify?.(request, env)
    if (!valid(id)) id = readCookie(headerOf(request, 'cookie'))
    if (!valid(id) && options.idHeader !== undefined) id = headerOf(request, options.idHeader)
    const fresh = !valid(id)
    // A minted id is checked like any other: it goes into a header and a cookie.
    if (fresh) {
      const minted = options.newId?.()
      id = valid(minted) ? minted : crypto.randomUUID()
    }
    // Without an attributes callback no spread: a literal of one key is half the cost.
    const attributes: Unit = options.attributes ? { ...options.attributes(request, env), [unit]: id } : { [unit]: id }
    // Those of the load this request started with, also after the sticky store answers.
    const experiments = assigned
    const encoded = pairs
    if (assigner === undefined || !options.sticky) return made(state, request, env, id as string, fresh, attributes, experiments, encoded, undefined)
    return Promise.resolve(options.sticky.assign(request, attributes, id as string, assigner, experiments)).then((sticky) => made(state, request, env, id as string, fresh, attributes, experiments, encoded, sticky))
  }

  type Sticky = Awaited<ReturnType<StickyStore['assign']>> | undefined
  const made = (
    state: ConfigState,
    request: RequestLike,
    env: Env,
    id: string,
    fresh: boolean,
    attributes: Unit,
    experiments: ReadonlyArray<Experiment>,
    encoded: ReadonlyArray<ReadonlyArray<string>> | undefined,
    sticky: Sticky,
  ): Decision => {
    const { assigner } = state
    const force = assigner === undefined || options.forceParam === undefined ? undefined : forced(assigner, request, options.forceParam, id, unit)
    const assignments: Array<Assignment> = []
    // No prototype: an experiment may be called `__proto__` or `toString`, and `variant('toString')` must not
    // find Object.prototype's.
    const variants = Object.create(null) as Record<string, string>
    const stickyCookie = sticky?.cookie
    let header = ''
    if (assigner !== undefined) {
      for (let i = 0; i < experiments.length; i++) {
        const experiment = experiments[i]!
        const a = force?.get(experiment.key) ?? sticky?.assignments[i] ?? assignOne(attributes, experiment)
        assignments.push(a)
        if (a._tag === 'Enrolled') {
          variants[experiment.key] = a.variant
          if (encoded !== undefined && typeof a.variant === 'string') {
            const pair = experiment.variants[a.variantIndex] === a.variant ? encoded[i]![a.variantIndex]! : encodePair(experiment.key, a.variant)
            header += (header && '&') + pair
          }
        }
      }
    }
    const variant = (experiment: string, fallback = 'control') => variants[experiment] ?? fallback
    // Without a sink nothing is ever queued: exposing is reading the variant and there is nothing to flush, so a
    // request makes no closures for them.
    const { sink } = options
    const { expose, flush } = (sink && assigner && exposureQueue(sink, assigner, assignments, force, variant, report, options.expose)) || { expose: variant, flush: nothingToFlush }
    const consent = options.consent?.(request, env) ?? true
    const decision: Decision = {
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
    lastMade = encoded === undefined ? undefined : decision
    lastHeader = header
    return decision
  }

  /** `encodeAssignments(decision.variants)`, without encoding them again for the decision made last. */
  const assignmentsHeader = (decision: Decision): string => (decision === lastMade ? lastHeader : encodeAssignments(decision.variants))

  return { options, decideNow, assignmentsHeader, report }
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
    if (cookie === undefined && stickyCookie === undefined && options.responseHeader !== true) return response
    const add = (out: Response) => {
      if (cookie !== undefined) out.headers.append('set-cookie', cookie)
      if (stickyCookie !== undefined) out.headers.append('set-cookie', stickyCookie)
      if (options.responseHeader === true) out.headers.set(ASSIGNMENTS_HEADER, assignments ?? encodeAssignments(decision.variants))
      return out
    }
    // A response with a body can be sent once, so one the handler built (mutable headers) takes the cookies
    // itself: no copy. One without a body may be a shared object sent to every visitor: never written to.
    if (response.body !== null && !fetched) {
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
