/**
 * What the web adapter reads from and writes to HTTP: the unit id (cookie or forwarded header), the assignments
 * header, the cookie it sets. Pure functions over header values; ./web.ts composes them per request.
 *
 * @module
 */
import { cookieIssues, COOKIE_NAME, MAX_COOKIE_AGE, type CookieOptions } from './options'

/**
 * What the adapter reads from a request: a Fetch `Request` has it, and so does the Node adapter's view of an
 * `IncomingMessage` (no body needed).
 *
 * @category model
 * @since 0.1.0
 */
export interface RequestLike {
  readonly url: string
  readonly headers: { get(name: string): string | null }
}


/** Request header the unit id is forwarded on. @category constants @since 0.1.0 */
export const UNIT_HEADER = 'x-touchpoint-unit'
/** Request (and optional response) header the assignments travel on. @category constants @since 0.1.0 */
export const ASSIGNMENTS_HEADER = 'x-touchpoint-assignments'

const ID = /^[\w.:-]{1,64}$/

/**
 * The default id check: 1 to 64 characters among `A-Z a-z 0-9 . _ : -` (a UUID passes). Enough to keep header
 * and cookie injection out (no `;`, `,`, spaces, CR or LF) and bounded in length.
 *
 * @example
 * isValidId('3f0c1f4e-7a2b-4c9d-8e1f-0a1b2c3d4e5f') // => true
 * isValidId('x;\r\nset-cookie: admin=1') // => false
 *
 * @category unit id
 * @since 0.1.0
 */
export const isValidId = (id: string): boolean => typeof id === 'string' && ID.test(id)

/**
 * The value of cookie `name` in a `Cookie` header, or `undefined`.
 *
 * @example
 * cookieValue('tp_uid')('a=1; tp_uid=u-42') // => 'u-42'
 *
 * @category unit id
 * @since 0.1.0
 */
export const cookieValue =
  (name: string) =>
  (header: string | null): string | undefined => {
    // The pairs between semicolons, without splitting the header into an array of them (a request's cost). The
    // last pair ends at -1 >>> 0, past any header's end: slice stops at the end, and so does the loop.
    if (typeof header === 'string')
      for (let start = 0, end = 0; start <= header.length; start = end + 1) {
        end = header.indexOf(';', start) >>> 0
        const eq = header.indexOf('=', start)
        if (eq > start && eq < end && header.slice(start, eq).trim() === name) return header.slice(eq + 1, end).trim()
      }
    return undefined
  }

/**
 * A `Set-Cookie` value for a unit id, from cookie options `checkOptions` accepts; `''` (write nothing) for
 * options it refuses or an id that is no cookie value.
 *
 * @example
 * serializeCookie({ domain: 'example.com' })('u-42')
 * // => 'tp_uid=u-42; Path=/; Max-Age=34560000; Domain=example.com; Secure; HttpOnly; SameSite=Lax'
 *
 * @category unit id
 * @since 0.1.0
 */
export const serializeCookie = (options: CookieOptions = {}): ((id: string) => string) => {
  // Options browsers would drop, or an id that is no cookie value, write nothing rather than a broken header.
  if (options === null || typeof options !== 'object' || cookieIssues(options as Readonly<Record<string, unknown>>, []).length > 0) return () => ''
  const attributes =
    `; Path=${options.path ?? '/'}; Max-Age=${options.maxAge ?? MAX_COOKIE_AGE}` +
    (options.domain === undefined ? '' : `; Domain=${options.domain}`) +
    (options.secure === false ? '' : '; Secure') +
    (options.httpOnly === false ? '' : '; HttpOnly') +
    `; SameSite=${options.sameSite ?? 'Lax'}` +
    (options.partitioned === true ? '; Partitioned' : '')
  return (id) => (typeof id === 'string' && COOKIE_VALUE.test(id) ? `${options.name ?? COOKIE_NAME}=${id}${attributes}` : '')
}

/** RFC 6265 cookie-octets: no space, DQUOTE, comma, semicolon, backslash or control character. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/

/**
 * Assignments as a header value: `experiment=variant` pairs, URL-encoded, so keys with any character stay one
 * well-formed header line. `readAssignments` reads it back.
 *
 * @example
 * encodeAssignments({ hero: 'big', 'cta button': 'green' }) // => 'hero=big&cta+button=green'
 *
 * @category headers
 * @since 0.1.0
 */
export const encodeAssignments = (variants: Readonly<Record<string, string>>): string => {
  let out = ''
  for (const k in variants) {
    const v = variants[k]
    if (typeof v === 'string') out += (out && '&') + encodePair(k, v)
  }
  return out
}

/**
 * One `experiment=variant` pair of `encodeAssignments`. Keys and variants are nearly always plain words, which
 * URLSearchParams writes as they are: join them directly (a URLSearchParams per request was about 0.5 µs of the
 * adapter's cost) and encode only the other pairs.
 *
 * @internal
 */
export const encodePair = (k: string, v: string): string => (PLAIN.test(k + v) ? k + '=' + v : String(new URLSearchParams([[k, v]])))

/** What application/x-www-form-urlencoded leaves as it is. */
const PLAIN = /^[\w.*-]*$/

/**
 * The assignments forwarded by the edge (`x-touchpoint-assignments`), read on the origin.
 *
 * @example
 * readAssignments(request.headers) // => { hero: 'big', 'cta button': 'green' }
 *
 * @category headers
 * @since 0.1.0
 */
export const readAssignments = (headers: RequestLike['headers']): Readonly<Record<string, string>> =>
  // Without a prototype, as the edge's `variants`: no experiment key reads Object.prototype's members.
  Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(new URLSearchParams(headers?.get?.(ASSIGNMENTS_HEADER) ?? '')))

/**
 * The unit id forwarded by the edge (`x-touchpoint-unit`), or `undefined` when absent or not a valid id.
 *
 * @category headers
 * @since 0.1.0
 */
export const readUnitId = (headers: RequestLike['headers']): string | undefined => {
  const id = headers?.get?.(UNIT_HEADER)
  return isValidId(id as string) ? (id as string) : undefined
}

