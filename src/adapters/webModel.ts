/**
 * The adapter's types: options, the decision, the handler and what a runtime hands over (`touchpoint` and the
 * lean `edgeWorker` share them).
 *
 * @module
 */
import type { Exposure } from '../assignment/exposure'
import type { Assigner, Assignment, Experiment, Unit } from '../assignment/model'
import type { Issue, TouchpointError } from '../core/errors'
import type { CookieOptions } from './options'
import type { ConfigSource } from './webConfig'
import type { RequestLike } from './webHeaders'

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

