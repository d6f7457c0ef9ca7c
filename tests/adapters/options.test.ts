/**
 * Adapter options, cookie attributes above all, checked when the adapter is built: what browsers would drop or
 * ignore (RFC 6265bis: SameSite=None without Secure, the __Secure- and __Host- prefixes, Partitioned without
 * Secure, a Max-Age that is not a positive whole number of seconds within 400 days, a name that is no token, a
 * Domain or Path the parser rejects) is refused with the option's path, never written as given.
 */
import { describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { checkOptions, type CookieOptions } from '../../src/adapters/options'
import { touchpoint } from '../../src/adapters/web'
import { inlineCompiled } from '../_compiled'

const CONFIG = { experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }
const config = inlineCompiled(CONFIG)

const pathsOf = (cookie: unknown): ReadonlyArray<string> => {
  const r = checkOptions({ config, cookie } as never)
  return E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []
}

describe('cookie options browsers would reject are refused', () => {
  it('seen: SameSite=None without Secure (browsers drop the cookie)', () => {
    expect(pathsOf({ sameSite: 'None', secure: false })).toEqual(['cookie.secure'])
    expect(pathsOf({ sameSite: 'None' })).toEqual([]) // Secure is the default
  })

  it('__Secure- needs Secure; __Host- needs Secure, Path=/ and no Domain (prefixes compared case-insensitively)', () => {
    expect(pathsOf({ name: '__Secure-id', secure: false })).toEqual(['cookie.secure'])
    expect(pathsOf({ name: '__secure-id', secure: false })).toEqual(['cookie.secure'])
    expect(pathsOf({ name: '__Host-id', domain: 'example.com' })).toEqual(['cookie.domain'])
    expect(pathsOf({ name: '__Host-id', path: '/shop' })).toEqual(['cookie.path'])
    expect(pathsOf({ name: '__HOST-id', secure: false, path: '/x', domain: 'a.b' })).toEqual(['cookie.secure', 'cookie.domain', 'cookie.path'])
    expect(pathsOf({ name: '__Host-id' })).toEqual([])
  })

  it('Partitioned (CHIPS) needs Secure', () => {
    expect(pathsOf({ partitioned: true, secure: false })).toEqual(['cookie.secure'])
    expect(pathsOf({ partitioned: true, sameSite: 'None' })).toEqual([])
  })

  it('Max-Age: a whole number of seconds in [1, 400 days]; anything else is ignored or deletes the cookie', () => {
    for (const maxAge of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 34_560_001, '3600']) expect(pathsOf({ maxAge })).toEqual(['cookie.maxAge'])
    expect(pathsOf({ maxAge: 34_560_000 })).toEqual([])
  })

  it('names are tokens; domains and paths are what the cookie parser keeps; flags are booleans; unknown fields are typos', () => {
    expect(pathsOf({ name: 'a b' })).toEqual(['cookie.name'])
    expect(pathsOf({ name: '' })).toEqual(['cookie.name'])
    expect(pathsOf({ name: 'uid;x' })).toEqual(['cookie.name'])
    expect(pathsOf({ domain: 'exa mple.com' })).toEqual(['cookie.domain'])
    expect(pathsOf({ domain: 'a..b' })).toEqual(['cookie.domain'])
    expect(pathsOf({ domain: '.example.com' })).toEqual([])
    expect(pathsOf({ path: 'shop' })).toEqual(['cookie.path'])
    expect(pathsOf({ path: '/a;b' })).toEqual(['cookie.path'])
    expect(pathsOf({ secure: 'false' })).toEqual(['cookie.secure'])
    expect(pathsOf({ sameSite: 'lax' })).toEqual(['cookie.sameSite'])
    expect(pathsOf({ maxage: 60 })).toEqual(['cookie.maxage'])
    expect(pathsOf('tp_uid')).toEqual(['cookie'])
  })

  // An independent statement of the rules, field by field, against random option objects.
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
  const oracle = (c: Record<string, unknown>): boolean => {
    const secure = c['secure'] !== false
    const name = c['name'] === undefined ? 'tp_uid' : c['name']
    if (typeof name !== 'string' || !TOKEN.test(name) || name.length > 1024) return false
    const lower = name.toLowerCase()
    if (lower.startsWith('__secure-') && !secure) return false
    if (lower.startsWith('__host-') && (!secure || c['domain'] !== undefined || (c['path'] !== undefined && c['path'] !== '/'))) return false
    if (c['sameSite'] === 'None' && !secure) return false
    if (c['partitioned'] === true && !secure) return false
    for (const flag of ['secure', 'httpOnly', 'partitioned']) if (c[flag] !== undefined && typeof c[flag] !== 'boolean') return false
    if (c['sameSite'] !== undefined && !['Strict', 'Lax', 'None'].includes(c['sameSite'] as string)) return false
    const m = c['maxAge']
    if (m !== undefined && !(Number.isInteger(m) && (m as number) >= 1 && (m as number) <= 34_560_000)) return false
    const d = c['domain']
    if (d !== undefined && !(typeof d === 'string' && d.length <= 253 && /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(d))) return false
    const p = c['path']
    if (p !== undefined && !(typeof p === 'string' && p.startsWith('/') && p.length <= 1024 && !/[\u0000-\u001f\u007f;]/.test(p))) return false
    return Object.keys(c).every((k) => ['name', 'domain', 'path', 'maxAge', 'secure', 'httpOnly', 'sameSite', 'partitioned'].includes(k))
  }

  const arbCookieOptions = fc.record(
    {
      name: fc.constantFrom('tp_uid', '__Secure-id', '__Host-id', '__host-ID', 'a b', '', 'x;y', 'é'),
      domain: fc.constantFrom('example.com', '.example.com', 'a..b', 'ex ample.com', 'localhost', '東京.jp', ''),
      path: fc.constantFrom('/', '/shop', 'shop', '/a;b', '/\u0001', ''),
      maxAge: fc.constantFrom(1, 3600, 34_560_000, 34_560_001, 0, -5, 1.5, Number.NaN, '60'),
      secure: fc.constantFrom<unknown>(true, false, 'true', 1),
      httpOnly: fc.constantFrom<unknown>(true, false, null),
      sameSite: fc.constantFrom<unknown>('Strict', 'Lax', 'None', 'lax', 'none', ''),
      partitioned: fc.constantFrom<unknown>(true, false, 'yes'),
      maxage: fc.constant(60),
    },
    { requiredKeys: [] },
  )

  test.prop([arbCookieOptions], { numRuns: 2000 })('checkOptions accepts exactly the cookies the rules allow', (cookie) => {
    expect(E.isRight(checkOptions({ config, cookie: cookie as CookieOptions }))).toBe(oracle(cookie))
  })
})

describe('an adapter built with options it refuses', () => {
  test.prop([fc.constantFrom<unknown>({ sameSite: 'None', secure: false }, { name: '__Host-x', domain: 'a.test' }, { maxAge: 1.5 }, 'yes')])(
    'builds without throwing, reports once, serves control and writes no cookie',
    async (cookie) => {
      const report = vi.fn()
      const sink = vi.fn()
      const tp = touchpoint({ config, cookie: cookie as CookieOptions, report, sink })
      for (let i = 0; i < 3; i++) {
        const d = await tp.decide(new Request('https://shop.test/'))
        expect(d).toMatchObject({ cookie: undefined, assignments: [], error: { _tag: 'InvalidInput' } })
        expect(d.variant('hero')).toBe('control')
        await d.flush()
        const response = tp.finish(new Response('page'), d)
        expect(response.headers.get('set-cookie')).toBeNull()
      }
      expect(report).toHaveBeenCalledTimes(1)
      expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'options')
      expect(sink).not.toHaveBeenCalled()
    },
  )

  it('an option named like an Object.prototype member is an unknown option (found by the property below)', () => {
    expect(pathsOf({ toString: false })).toEqual(['cookie.toString'])
    const r = checkOptions({ config, toString: false } as never)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['toString'])
  })

  test.prop([fc.anything()])('anything at all as options: touchpoint() never throws and decide never rejects', async (options) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const tp = touchpoint(options as never)
      const d = await tp.decide(new Request('https://shop.test/', { headers: { cookie: 'tp_uid=u-1' } }))
      expect(typeof d.unitId).toBe('string')
      expect(tp.finish(new Response('x'), d)).toBeInstanceOf(Response)
      expect(tp.forward(new Request('https://shop.test/'), d)).toBeInstanceOf(Request)
    } finally {
      warn.mockRestore()
    }
  })

  test.prop([
    fc.record(
      {
        experiments: fc.constantFrom<unknown>(['hero'], 'hero', [1]),
        unit: fc.constantFrom<unknown>('id', '', 5),
        idHeader: fc.constantFrom<unknown>('x-device-id', 'bad header', ''),
        forceParam: fc.constantFrom<unknown>('tp_force', '', 1),
        responseHeader: fc.constantFrom<unknown>(true, 'true'),
        expose: fc.constantFrom<unknown>('auto', 'manual', 'never'),
        identify: fc.constantFrom<unknown>(() => undefined, 'user'),
        sink: fc.constantFrom<unknown>(() => undefined, {}),
      },
      { requiredKeys: [] },
    ),
  ])('every other option is checked for its type and values, with its name as the path', (rest) => {
    const r = checkOptions({ config, ...rest } as never)
    const bad = Object.entries(rest)
      .filter(([k, v]) => {
        switch (k) {
          case 'experiments':
            return !(Array.isArray(v) && v.every((x) => typeof x === 'string'))
          case 'unit':
          case 'forceParam':
            return !(typeof v === 'string' && v !== '')
          case 'idHeader':
            return v !== 'x-device-id'
          case 'responseHeader':
            return typeof v !== 'boolean'
          case 'expose':
            return v !== 'auto' && v !== 'manual'
          default:
            return typeof v !== 'function'
        }
      })
      .map(([k]) => k)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? [...new Set(r.left.issues.map((i) => i.path.replace(/\[.*$/, '')))].sort() : []).toEqual(bad.sort())
  })

  it('a missing config source is named', () => {
    const r = checkOptions({} as never)
    expect(E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues.map((i) => i.path) : []).toEqual(['config'])
  })
})
