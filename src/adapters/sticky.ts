/**
 * Sticky assignment for the adapters: the unit's assignments kept in a cookie, so a weight change, a coverage
 * ramp-down or a new variant does not move a unit that already saw a variant. The pure part (record in, record and
 * assignments out) is `assignSticky` and the record codec in the core; this file does the cookie I/O, the size cap
 * and the optional signature. It ships only in workers that import `stickyCookie`.
 *
 * @module
 */
import { assignStickyExperiment, decodeStickyRecord, encodeStickyRecord, stickyKey } from '../assignment/sticky'
import type { Assigner, Assignment, Experiment } from '../assignment/model'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { cookieIssues, type CookieOptions } from './options'
import { cookieValue, serializeCookie, type StickyStore } from './web'

/**
 * Options of `stickyCookie`.
 *
 * @category sticky
 * @since 0.1.0
 */
export interface StickyCookieOptions {
  /** Cookie attributes as for the id cookie; the name defaults to `tp_sticky`. */
  readonly cookie?: CookieOptions
  /** The cap on `name=value`, in bytes (all ASCII): 64 to 4096, default 1024. A longer cookie is never written, nor read. */
  readonly maxBytes?: number
  /**
   * Signs the record with HMAC-SHA-256 (WebCrypto) over the unit id and the record: a record edited by the
   * visitor, or copied from another unit, is then ignored. At least 16 characters. Without it the record is only
   * validated (every entry must name an experiment, bucket version and variant the config has), so a visitor can
   * pick one of the existing variants by editing the cookie.
   */
  readonly secret?: string
}

/** Default name of the sticky cookie. @category constants @since 0.1.0 */
export const STICKY_COOKIE_NAME = 'tp_sticky'

/** Characters of the signature: 16 bytes of the HMAC, base64url. */
const SIGNATURE_LENGTH = 22

const stickyIssues = (o: StickyCookieOptions): Array<Issue> => {
  const out: Array<Issue> = []
  if (o === null || typeof o !== 'object') return [issue('sticky', 'options (an object)', o)]
  for (const k of Object.keys(o)) if (k !== 'cookie' && k !== 'maxBytes' && k !== 'secret') out.push(issue(`sticky.${k}`, 'no such option (known: cookie, maxBytes, secret)', (o as Record<string, unknown>)[k]))
  const { maxBytes, secret, cookie } = o
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes >= 64 && maxBytes <= 4096)) out.push(issue('sticky.maxBytes', 'a whole number of bytes, 64 to 4096', maxBytes))
  if (secret !== undefined && !(typeof secret === 'string' && secret.length >= 16)) out.push(issue('sticky.secret', 'a string of at least 16 characters', secret === undefined ? secret : '(hidden)'))
  if (cookie !== undefined) {
    if (cookie === null || typeof cookie !== 'object' || Array.isArray(cookie)) out.push(issue('sticky.cookie', 'an object', cookie))
    else for (const i of cookieIssues(cookie as Readonly<Record<string, unknown>>, [])) out.push({ ...i, path: `sticky.${i.path}` })
  }
  // The name and the signature must leave room for a record within the cap.
  const room = (Number.isInteger(maxBytes) ? (maxBytes as number) : 1024) - (typeof cookie?.name === 'string' ? cookie.name.length : STICKY_COOKIE_NAME.length) - (secret === undefined ? 0 : SIGNATURE_LENGTH + 1)
  if (out.length === 0 && room < 32) out.push(issue('sticky.maxBytes', 'room for the cookie name, the signature and a record of 32 bytes', maxBytes))
  return out
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** Equal texts, in time that depends only on the length (a signature check must not leak how much matched). */
const sameText = (a: string, b: string): boolean => {
  let d = a.length ^ b.length
  for (let i = 0; i < a.length && i < b.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return d === 0
}

/**
 * A sticky store over a cookie, for the adapters' `sticky` option. Per request it reads the record (ignored when
 * missing, longer than the cap, malformed or, with a `secret`, not signed for this unit id), assigns with
 * `assignSticky`'s rules (eligibility first; a stored variant the experiment still has, under the same
 * `bucketVersion`, is kept; overrides and forced variants win and are not stored), and writes the cookie only
 * when the record changed. The record written keeps only entries of the config's experiments at their current
 * bucket versions, fits the cap, and is signed when a secret is given. Bump an experiment's `bucketVersion` to
 * re-randomise its units.
 *
 * **Gotchas**: options it refuses (see `StickyCookieOptions`) are reported by the adapter as `'options'`, which
 * then serves control and writes no cookie, like any refused option. The cookie is written only with consent.
 *
 * @example
 * const tp = touchpoint({ config, sticky: stickyCookie({ secret: 'a secret of 16 or more characters', maxBytes: 512 }) })
 *
 * @category sticky
 * @since 0.1.0
 */
export const stickyCookie = (options: StickyCookieOptions = {}): StickyStore => {
  const issues = stickyIssues(options)
  const refused: TouchpointError | undefined = issues.length > 0 ? invalidInput(issues) : undefined
  const { cookie = {}, maxBytes = 1024, secret } = refused === undefined ? options : {}
  const name = cookie.name ?? STICKY_COOKIE_NAME
  const read = cookieValue(name)
  const write = serializeCookie({ ...cookie, name })
  // name=value within the cap; a signature takes its length and a dot.
  const budget = maxBytes - name.length - 1 - (secret === undefined ? 0 : SIGNATURE_LENGTH + 1)
  let key: Promise<CryptoKey> | undefined
  const sign = async (unitId: string, record: string): Promise<string> => {
    key ??= crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const mac = await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(`${typeof unitId === 'string' ? unitId : ''}\n${record}`))
    return base64url(new Uint8Array(mac, 0, 16))
  }

  const stored = async (raw: string | undefined, unitId: string) => {
    if (raw === undefined || name.length + 1 + raw.length > maxBytes) return decodeStickyRecord('')
    if (secret === undefined) return decodeStickyRecord(raw)
    const dot = raw.lastIndexOf('.')
    const record = raw.slice(0, Math.max(dot, 0))
    return dot >= 0 && sameText(raw.slice(dot + 1), await sign(unitId, record)) ? decodeStickyRecord(record) : decodeStickyRecord('')
  }

  return {
    issues,
    assign: async (request, unit, unitId, assigner, experiments) => {
      const raw = read(request?.headers?.get?.('cookie') ?? null) // plain JavaScript may pass a request without headers
      const before = await stored(raw, unitId)
      let changes: Record<string, string> | undefined
      const assignments = (Array.isArray(experiments) ? experiments : []).map((experiment): Assignment => {
        const [assignment, store] = assignStickyExperiment(unit, before)(experiment)
        if (store !== undefined) (changes ??= Object.create(null) as Record<string, string>)[stickyKey(experiment)] = store
        return assignment
      })
      if (changes === undefined) return { assignments, cookie: undefined }
      return { assignments, cookie: await written(assigner, before, changes, unitId, raw) }
    },
  }

  /**
   * The cookie to write: the current experiments' entries (kept ones first, then the changed ones that still fit),
   * signed; none when that is the cookie the request brought. A change that cannot be stored (a full record, a key
   * with a lone surrogate) comes back every request, and must not cost each one a Set-Cookie; kept entries first
   * make the record a fixed point (changed ones first would evict kept ones and rotate the record forever).
   */
  async function written(assigner: Assigner, before: Readonly<Record<string, string>>, changes: Readonly<Record<string, string>>, unitId: string, raw: string | undefined): Promise<string | undefined> {
    const current = new Set((Array.isArray(assigner?.experiments) ? assigner.experiments : []).map((x: Experiment) => stickyKey(x)))
    const next = Object.create(null) as Record<string, string>
    for (const k in before) if (current.has(k) && !(k in changes)) next[k] = before[k]!
    for (const k in changes) next[k] = changes[k]!
    const record = encodeStickyRecord(next, budget)
    if (record === '' && raw === undefined) return undefined
    const value = secret === undefined ? record : `${record}.${await sign(unitId, record)}`
    return value === raw ? undefined : write(value) || undefined
  }
}
