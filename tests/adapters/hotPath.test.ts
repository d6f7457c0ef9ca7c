/**
 * The per-request path of the Fetch adapter (issue 15, a lighter edge): what it no longer builds per request must
 * not change what it answers.
 */
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, touchpoint, type ConfigState, type ConfigSource } from '../../src/adapters/web'
import { decodeConfig } from '../../src/assignment/decode'
import type { Assigner } from '../../src/assignment/model'
import { inlineCompiled } from '../_compiled'

const CONFIG = { experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }
const quiet = { report: () => undefined } as const
const returning = () => new Request('https://shop.test/', { headers: { cookie: 'tp_uid=u-1' } })

const assigner = (config: unknown): Assigner => {
  const r = decodeConfig(config)
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  return r.right
}

// Keys and variants mixing the characters written as they are with ones that need encoding.
const arbKey = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '.', '-', '*', ' ', '&', '=', '+', '%', 'é', '😀', '~'), maxLength: 8 })

describe('encodeAssignments', () => {
  test.prop([fc.dictionary(arbKey, arbKey)])('writes exactly what URLSearchParams writes', (variants) => {
    const expected = new URLSearchParams()
    for (const k in variants) expected.append(k, variants[k]!)
    expect(encodeAssignments(variants)).toBe(expected.toString())
  })

  it('skips what is no string and keeps the order of the keys', () => {
    expect(encodeAssignments({ b: 'x', a: 1 as unknown as string, c: 'y z' })).toBe('b=x&c=y+z')
  })
})

describe('a decision without a sink', () => {
  it('makes no exposure or flush closures of its own: expose is variant, flush is shared (old code built both per request)', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), ...quiet })
    const [a, b] = [await tp.decide(returning()), await tp.decide(returning())]
    expect(a.expose).toBe(a.variant)
    expect(a.flush).toBe(b.flush)
    expect(a.expose('hero')).toBe(a.variants['hero'])
    expect(a.expose('nope')).toBe('control')
    expect(a.expose('nope', 'x')).toBe('x')
    await expect(a.flush()).resolves.toBeUndefined()
  })

  it('with a sink still queues each exposure once per request', async () => {
    const batches: Array<ReadonlyArray<{ experiment: string }>> = []
    const tp = touchpoint({ config: inlineCompiled(CONFIG), sink: (xs) => void batches.push(xs), expose: 'manual', ...quiet })
    const d = await tp.decide(returning())
    expect(d.expose).not.toBe(d.variant)
    d.expose('hero'), d.expose('hero')
    await d.flush()
    await d.flush()
    expect(batches.map((b) => b.map((x) => x.experiment))).toEqual([['hero']])
  })
})

describe('the experiments assigned', () => {
  it('follow every config load (they are found once per load, not per request)', async () => {
    let state: ConfigState = { assigner: assigner(CONFIG), error: undefined }
    const config: ConfigSource = { get: async () => state, reload: async () => state }
    const tp = touchpoint({ config, ...quiet })
    expect((await tp.decide(returning())).assignments.map((a) => a.experiment)).toEqual(['hero'])
    state = { assigner: assigner({ experiments: [...CONFIG.experiments, { key: 'cta', variants: [{ key: 'control' }, { key: 'red' }] }] }), error: undefined }
    expect((await tp.decide(returning())).assignments.map((a) => a.experiment)).toEqual(['hero', 'cta'])
    state = { assigner: undefined, error: undefined }
    expect((await tp.decide(returning())).assignments).toEqual([])
  })
})

/** `cookieValue` as it was, splitting the header: the scanner must answer what it answered. */
const splitCookieValue = (name: string) => (header: string | null): string | undefined => {
  for (const part of (typeof header === 'string' ? header : '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

describe('cookieValue', () => {
  const piece = fc.constantFrom('tp_uid', 'tp', 'uid', 'a', '=', ';', ' ', '\t', '\u00a0', '\ufeff', 'x-1', '')
  test.prop([fc.constantFrom('tp_uid', 'a', 'tp'), fc.array(piece, { maxLength: 14 }).map((xs) => xs.join(''))], { numRuns: 2000 })(
    'answers what splitting the header on semicolons answered',
    (name, header) => {
      expect(cookieValue(name)(header)).toBe(splitCookieValue(name)(header))
    },
  )
})

describe('the assignments header wrap forwards', () => {
  // Keys in any order, given twice, array indices (which for-in lists first), and ones that need encoding.
  const arbKeys = fc.array(fc.constantFrom('hero', 'cta', '0', '12', '01', 'a b', 'é', '__proto__', 'toString'), { minLength: 1, maxLength: 5 })
  test.prop([arbKeys, fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 })], { numRuns: 150 })(
    'is encodeAssignments(decision.variants), however the keys are spelled or listed',
    async (keys, ids) => {
      const unique = [...new Set(keys)]
      const config = { experiments: unique.map((key) => ({ key, variants: [{ key: 'control' }, { key: `${key} v&` }, { key: 'big' }] })) }
      const seen: Array<readonly [string | null, string]> = []
      const tp = touchpoint({ config: inlineCompiled(config), experiments: keys, ...quiet })
      const wrapped = tp.wrap((request, decision) => (seen.push([request.headers.get(ASSIGNMENTS_HEADER), encodeAssignments(decision.variants)]), new Response('ok')))
      for (const id of ids) await wrapped(new Request('https://shop.test/', { headers: { cookie: `tp_uid=u${encodeURIComponent(id)}` } }))
      for (const [forwarded, expected] of seen) expect(forwarded).toBe(expected)
    },
  )
})

describe('the unit id', () => {
  it('is checked once per candidate: validId may be costly (old code checked the cookie\'s id twice)', async () => {
    const checked: Array<string> = []
    const validId = (id: string) => (checked.push(id), /^u-\d+$/.test(id))
    const tp = touchpoint({ config: inlineCompiled(CONFIG), validId, idHeader: 'x-device', ...quiet })
    await tp.decide(returning()) // loads the config
    checked.length = 0
    expect((await tp.decide(returning())).unitId).toBe('u-1')
    expect(checked).toEqual(['u-1'])
    checked.length = 0
    const d = await tp.decide(new Request('https://shop.test/', { headers: { cookie: 'tp_uid=bad', 'x-device': 'u-2' } }))
    expect([d.unitId, d.fresh]).toEqual(['u-2', false])
    expect(checked).toEqual(['bad', 'u-2'])
  })
})

describe('a decision\'s variants', () => {
  it('have no prototype (an experiment may be called toString) and list every enrolled experiment', async () => {
    const tp = touchpoint({ config: inlineCompiled({ experiments: [{ key: 'toString', variants: [{ key: 'big' }] }, ...CONFIG.experiments] }), ...quiet })
    const d = await tp.decide(returning())
    expect(Object.getPrototypeOf(d.variants)).toBeNull()
    expect(Object.keys(d.variants)).toEqual(['toString', 'hero'])
    expect(d.variant('toString')).toBe('big')
  })
})

describe('a loaded, fresh config', () => {
  it('is answered as one settled promise, again and again (old code made a promise per request)', async () => {
    const source = inlineCompiled(CONFIG)
    const first = await source.get(undefined)
    expect(source.get(undefined)).toBe(source.get(undefined))
    await expect(source.get(undefined)).resolves.toBe(first)
  })

  it('lets wrap call the handler before it returns, without waiting for a microtask (old code awaited the config)', async () => {
    const tp = touchpoint({ config: inlineCompiled(CONFIG), ...quiet })
    let called = 0
    const wrapped = tp.wrap(() => (called++, new Response('ok')))
    await wrapped(returning()) // loads the config
    await wrapped(returning()) // is answered the settled promise it keeps from then on
    const answer = wrapped(returning())
    expect(called).toBe(3)
    expect((await answer).status).toBe(200)
  })

  it('still follows a source that answers a new promise each time, and a reload', async () => {
    let state: ConfigState = { assigner: assigner(CONFIG), error: undefined }
    const tp = touchpoint({ config: { get: () => Promise.resolve(state), reload: () => Promise.resolve(state) }, ...quiet })
    expect((await tp.decide(returning())).variants).toEqual({ hero: expect.any(String) })
    state = { assigner: assigner({ experiments: [{ key: 'cta', variants: [{ key: 'red' }] }] }), error: undefined }
    expect({ ...(await tp.decide(returning())).variants }).toEqual({ cta: 'red' })
  })
})
