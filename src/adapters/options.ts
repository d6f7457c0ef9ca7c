/**
 * The adapter's options, checked once when it is built. Cookie attributes follow RFC 6265bis and what browsers
 * enforce: a cookie they would drop (SameSite=None without Secure, a `__Host-` cookie with a Domain) or read
 * differently from what was asked (a Max-Age of 1.5 is ignored, making a session cookie) is refused here, with
 * the option's path, instead of being written as given. Written for size: this ships in every edge worker.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'

/**
 * Cookie options. `name` defaults to `tp_uid`; `maxAge` (seconds) to 400 days, the longest browsers keep;
 * `secure` and `httpOnly` to `true`; `sameSite` to `Lax`; `path` to `/`.
 *
 * **Gotchas**: the adapter refuses (see `checkOptions`) what browsers would drop or misread: `sameSite: 'None'`
 * or `partitioned: true` without `secure`; a `__Secure-` name without `secure`; a `__Host-` name with a
 * `domain`, a `path` other than `/` or without `secure`; a `maxAge` that is not a whole number of seconds in
 * [1, 34560000]; a name that is not an HTTP token; a `domain` or `path` the cookie parser would not keep.
 *
 * @category model
 * @since 0.1.0
 */
export interface CookieOptions {
  readonly name?: string
  readonly domain?: string
  readonly path?: string
  readonly maxAge?: number
  readonly secure?: boolean
  readonly httpOnly?: boolean
  readonly sameSite?: 'Strict' | 'Lax' | 'None'
  /** CHIPS: a cookie kept per top-level site (for an embedded app); needs `secure`. */
  readonly partitioned?: boolean
}

/** Default cookie name. @category constants @since 0.1.0 */
export const COOKIE_NAME = 'tp_uid'

/** 400 days, the cap RFC 6265bis sets and browsers apply. @category constants @since 0.1.0 */
export const MAX_COOKIE_AGE = 34_560_000

const TOKEN = /^[!#$%&'*+\-.^_`|~\w]{1,1024}$/
const DOMAIN = /^\.?[a-z\d-]+(\.[a-z\d-]+)*$/i
const PATH = /^\/[^\0-\x1f\x7f;]{0,1023}$/
const HOST = ': browsers drop a "__Host-" cookie otherwise'

/** @internal */
export type Rule = readonly [test: (v: unknown) => boolean, expected: string]
const isString = (v: unknown): v is string => typeof v === 'string'
const text = (pattern: RegExp, expected: string): Rule => [(v) => isString(v) && pattern.test(v), expected]
const FLAG: Rule = [(v) => typeof v === 'boolean', 'true or false']
const NAME = /* @__PURE__ */ text(TOKEN, "a token (letters, digits, !#$%&'*+-.^_`|~)")
const FUNCTION: Rule = [(v) => typeof v === 'function', 'a function']
const STRING = /* @__PURE__ */ text(/./, 'a non-empty string')

const COOKIE: Readonly<Record<string, Rule>> = {
  name: NAME,
  domain: [(v) => isString(v) && v.length < 254 && DOMAIN.test(v), 'a host name'],
  path: /* @__PURE__ */ text(PATH, 'a path: "/", no ";" or controls'),
  // A literal, not `${MAX_COOKIE_AGE}`: a template with a number keeps this table in bundles that never check cookies.
  maxAge: [(v) => Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_COOKIE_AGE, 'whole seconds, 1 to 34560000 (400 days)'],
  secure: FLAG,
  httpOnly: FLAG,
  sameSite: [(v) => v === 'Strict' || v === 'Lax' || v === 'None', 'one of "Strict", "Lax", "None"'],
  partitioned: FLAG,
}

const OPTIONS: Readonly<Record<string, Rule>> = {
  config: [(v) => typeof (v as { get?: unknown } | null)?.get === 'function', 'a config source'],
  experiments: [(v) => Array.isArray(v) && v.every(isString), 'an array of keys'],
  unit: STRING,
  forceParam: STRING,
  idHeader: NAME,
  responseHeader: FLAG,
  expose: [(v) => v === 'auto' || v === 'manual', 'one of "auto", "manual"'],
  cookie: [(v) => v === false || (v !== null && typeof v === 'object' && !Array.isArray(v)), 'an object, or false'],
  attributes: FUNCTION,
  identify: FUNCTION,
  consent: FUNCTION,
  validId: FUNCTION,
  newId: FUNCTION,
  sink: FUNCTION,
  report: FUNCTION,
  sticky: [(v) => typeof (v as { assign?: unknown } | null)?.assign === 'function', 'a sticky store (stickyCookie())'],
}

/** Every field of `o` against its rule (unknown fields are typos), with `required` fields that must be given. @internal */
export const fieldIssues = (o: Readonly<Record<string, unknown>>, rules: Readonly<Record<string, Rule>>, prefix: string, out: Array<Issue>, required?: string) => {
  for (const k of Object.keys(o)) {
    const rule = Object.prototype.hasOwnProperty.call(rules, k) ? rules[k] : undefined
    if (rule === undefined) out.push(issue(prefix + k, `no such option (known: ${Object.keys(rules).join(', ')})`, o[k]))
    else if (o[k] !== undefined && !rule[0](o[k])) out.push(issue(prefix + k, rule[1], o[k]))
  }
  if (required !== undefined && o[required] === undefined) out.push(issue(required, rules[required]![1], undefined))
}

/** The problems of cookie options (an object), appended to `out`. @internal */
export const cookieIssues = (c: Readonly<Record<string, unknown>>, out: Array<Issue>): Array<Issue> => {
  fieldIssues(c, COOKIE, 'cookie.', out)
  const name = isString(c['name']) ? c['name'].toLowerCase() : ''
  const host = name.startsWith('__host-')
  if (c['secure'] === false && (host || name.startsWith('__secure-') || c['sameSite'] === 'None' || c['partitioned'] === true)) {
    out.push(issue('cookie.secure', 'true: browsers drop a __Secure-, __Host-, SameSite=None or Partitioned cookie unless Secure', false))
  }
  if (host && c['domain'] !== undefined) out.push(issue('cookie.domain', 'none' + HOST, c['domain']))
  if (host && c['path'] !== undefined && c['path'] !== '/') out.push(issue('cookie.path', '"/"' + HOST, c['path']))
  return out
}

/**
 * Check adapter options: the cookie attributes against the rules browsers enforce (see `CookieOptions`), every
 * other option for its type and values, unknown options as typos. The adapters run this when built and, on a
 * `Left`, serve control, write no cookie and report the error once through `report(error, 'options')`; call it
 * yourself at start-up or in a test to fail early.
 *
 * @example
 * checkOptions({ config, cookie: { sameSite: 'None', secure: false } })
 * // => left({ _tag: 'InvalidInput', issues: [{ path: 'cookie.secure',
 * //          expected: 'true: browsers drop a __Secure-, __Host-, SameSite=None or Partitioned cookie unless Secure',
 * //          actual: false }] })
 *
 * @category middleware
 * @since 0.1.0
 */
export const checkOptions = <O>(options: O): E.Either<TouchpointError, O> => {
  const out: Array<Issue> = []
  const o = options as Readonly<Record<string, unknown>> | null
  if (o === null || typeof o !== 'object') out.push(issue('', 'options (an object)', o))
  else {
    fieldIssues(o, OPTIONS, '', out, 'config')
    const c = o['cookie']
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) cookieIssues(c as Readonly<Record<string, unknown>>, out)
    // A sticky store checked its own options when built (stickyCookie): its problems are the adapter's.
    const storeIssues = (o['sticky'] as { issues?: unknown } | null | undefined)?.issues
    if (Array.isArray(storeIssues)) out.push(...(storeIssues as Array<Issue>))
  }
  return out.length > 0 ? { _tag: 'Left', left: invalidInput(out) } : { _tag: 'Right', right: options }
}
