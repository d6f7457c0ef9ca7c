/**
 * Features of `edgeWorker`, as values: each is bundled only by a worker that imports it. Each behaves as the
 * `touchpoint` option of the same name.
 *
 * @module
 */
import type { Exposure } from '../assignment/exposure'
import type { Unit } from '../assignment/model'
import { issue, type Issue } from '../core/errors'
import { cookieIssues, COOKIE_NAME, type CookieOptions } from './options'
import type { EdgeFeature } from './edgeWorker'
import { exposureQueue } from './internal/exposures'
import { madeFeatures } from './internal/features'
import { forced } from './internal/forced'
import type { StickyStore } from './web'
import { serializeCookie, type RequestLike } from './webHeaders'

const feature = <Env>(issues: ReadonlyArray<Issue>, hooks: Omit<EdgeFeature<Env>, '_tag' | 'issues'>): EdgeFeature<Env> => {
  // A refused feature hooks nothing: the worker refuses it anyway, and calls none of its arguments.
  const made = Object.freeze({ _tag: 'EdgeFeature' as const, issues: Object.freeze(issues), ...(issues.length > 0 ? {} : hooks) })
  madeFeatures.add(made)
  return made
}

const isFunction = (name: string, f: unknown): ReadonlyArray<Issue> => (typeof f === 'function' ? [] : [issue(name, 'a function', f)])

/**
 * Send each request's exposures to `sink` after the response (`touchpoint`'s `sink` and `expose` options).
 * `expose: 'manual'` sends only what `decision.expose` is called with.
 *
 * @example
 * edgeWorker({ config, features: [exposures((xs) => fetch(COLLECTOR, { method: 'POST', body: JSON.stringify(xs) }))] })
 *
 * @category features
 * @since 0.1.0
 */
export const exposures = <Env = unknown>(sink: (exposures: ReadonlyArray<Exposure>) => unknown, options?: { readonly expose?: 'auto' | 'manual' }): EdgeFeature<Env> => {
  const expose = (options as { expose?: unknown } | null | undefined)?.expose
  const issues = [...isFunction('exposures.sink', sink), ...(expose === undefined || expose === 'auto' || expose === 'manual' ? [] : [issue('exposures.expose', 'one of "auto", "manual"', expose)])]
  return feature(issues, { exposures: (assigner, assignments, force, variant, report) => exposureQueue(sink, assigner, assignments, force, variant, report, expose) })
}

/**
 * Variants forced by a query parameter (`?tp_force=hero:big,cta:green`), for QA; never counted as exposures.
 *
 * @example
 * forceParam('tp_force')
 *
 * @category features
 * @since 0.1.0
 */
export const forceParam = <Env = unknown>(name: string): EdgeFeature<Env> =>
  feature(typeof name === 'string' && name !== '' ? [] : [issue('forceParam', 'a non-empty string', name)], { force: (assigner, request, unitId, unit) => forced(assigner, request, name, unitId, unit) })

/**
 * Keep each unit's assignments across config changes, in `store` (`stickyCookie()`).
 *
 * @example
 * sticky(stickyCookie({ secret: 'a secret of 16 or more characters' }))
 *
 * @category features
 * @since 0.1.0
 */
export const sticky = <Env = unknown>(store: StickyStore): EdgeFeature<Env> =>
  typeof (store as Partial<StickyStore> | null)?.assign === 'function'
    ? feature(Array.isArray(store.issues) ? store.issues : [], { sticky: store })
    : feature([issue('sticky', 'a sticky store (stickyCookie())', store)], {})

/**
 * Targeting attributes of the request's unit (country, plan...).
 *
 * @example
 * attributes((request) => ({ country: request.headers.get('cf-ipcountry') ?? '' }))
 *
 * @category features
 * @since 0.1.0
 */
export const attributes = <Env = unknown>(f: (request: RequestLike, env: Env) => Unit): EdgeFeature<Env> => feature(isFunction('attributes', f), { attributes: f })

/**
 * Your own way to find the unit id (a signed-in user id), checked before the cookie and validated like it.
 *
 * @category features
 * @since 0.1.0
 */
export const identify = <Env = unknown>(f: (request: RequestLike, env: Env) => string | undefined): EdgeFeature<Env> => feature(isFunction('identify', f), { identify: f })

/**
 * Consent: when it answers `false` no cookie is written (the id then lives for one request).
 *
 * @category features
 * @since 0.1.0
 */
export const consent = <Env = unknown>(f: (request: RequestLike, env: Env) => boolean): EdgeFeature<Env> => feature(isFunction('consent', f), { consent: f })

/**
 * The id cookie's attributes (`touchpoint`'s `cookie` option, checked as `checkOptions` checks it), or `false` to
 * never write one (the id is still read from `tp_uid`: someone else, the browser, writes it). Without this
 * feature the worker writes `tp_uid` with the defaults of `CookieOptions`.
 *
 * @example
 * idCookie({ domain: 'example.com', sameSite: 'Strict' })
 *
 * @category features
 * @since 0.1.0
 */
export const idCookie = <Env = unknown>(options: CookieOptions | false): EdgeFeature<Env> => {
  if (options === false) return feature([], { cookie: { name: COOKIE_NAME, write: undefined } })
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return feature([issue('cookie', 'an object, or false', options)], {})
  return feature(cookieIssues(options as Readonly<Record<string, unknown>>, []), { cookie: { name: options.name ?? COOKIE_NAME, write: serializeCookie(options) } })
}
