/**
 * Every export of touchpoint/edge's adapters and of touchpoint/node, called from plain JavaScript with arbitrary
 * values (and the functions they return, handlers and middleware included): no throw, no rejection, no hang.
 * The assignment exports they re-export have their own suite (tests/assignment/total.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import * as node from '../../src/adapters/node'
import * as edge from '../../src/edge'
import * as assignment from '../../src/assignment/index'
import { inlineCompiled } from '../_compiled'
import { arbPlain, cyclic, probe } from '../_total'

const OWN_ELSEWHERE = new Set([...Object.keys(assignment), 'readAttributionFiles'])
const functionsOf = (module: Record<string, unknown>) =>
  Object.entries(module).filter((e): e is [string, (...a: Array<unknown>) => unknown] => typeof e[1] === 'function' && !OWN_ELSEWHERE.has(e[0]))

const options = { config: inlineCompiled({ experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }) }
const EXTRA = [options, new Request('https://x.test/', { headers: { cookie: 'tp_uid=u-1' } }), new Response('ok'), { Records: [{ cf: { request: { uri: '/', querystring: '', method: 'GET', headers: {} } } }] }, () => new Response('h'), 'hero', cyclic()]

beforeAll(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterAll(() => {
  vi.restoreAllMocks()
})

describe('adapters under plain JavaScript', () => {
  it('seen shapes: a handler given no Request answers 400, a refused adapter still answers', async () => {
    expect((await edge.vercelEdge(options, () => new Response('x'))(null as never)).status).toBe(400)
    expect((await edge.touchpoint(null as never).wrap(() => new Response('x'))(new Request('https://x.test/'))).status).toBe(200)
    expect(await edge.viewerRequest(options)(undefined as never)).toMatchObject({ status: '400' })
  })

  // Found by the export-surface suite (tests/package/surface.test.ts) after the totality work above.
  it('surface-suite cases: forward/finish pass what is none on, a handler answering no Response is a 500, a source answering no state loads nothing', async () => {
    const tp = edge.touchpoint(options)
    const decision = await tp.decide(new Request('https://x.test/'))
    expect(tp.forward('not a request' as never, decision)).toBe('not a request')
    expect(tp.finish(null as never, decision)).toBe(null)
    const response = new Response('ok')
    expect(tp.finish(response, undefined as never)).toBe(response)
    for (const answer of [Number.NaN, undefined, 'text']) {
      expect((await edge.bunHandler(options, () => answer as never)(new Request('https://x.test/'))).status).toBe(500)
    }
    const source = edge.configSource(() => ({ experiments: [] }), { ttlMs: [{ [Symbol.toPrimitive]: 1 }] as never })
    await expect(source.get(undefined)).resolves.toMatchObject({ assigner: undefined })
    const report = vi.fn()
    const broken = edge.touchpoint({ config: { get: async () => undefined, reload: async () => undefined } as never, report })
    const d = await broken.decide(new Request('https://x.test/'))
    expect(d.variants).toEqual({})
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'config')
  })

  it('surface-suite cases: fromCloudFront without a method, with a forbidden one or one that is no token, keeps the body only where Fetch can', async () => {
    const body = { data: 'aGVsbG8=', encoding: 'base64' as const }
    expect(edge.fromCloudFront({ uri: '/', querystring: '', method: undefined as never, headers: {}, body } as never).method).toBe('GET')
    expect(edge.fromCloudFront({ uri: '/', querystring: '', method: 'TRACE', headers: {}, body } as never).method).toBe('GET')
    expect(edge.fromCloudFront({ uri: '/', querystring: '', method: 'G\u00c9T', headers: {} } as never).method).toBe('GET')
    expect(edge.fromCloudFront({ uri: { [Symbol.toPrimitive]: 1 }, querystring: '', method: 'GET', headers: { host: [{ value: { [Symbol.toPrimitive]: 1 } }] } } as never).url).toBe('https://localhost/')
    const post = edge.fromCloudFront({ uri: '/', querystring: '', method: 'POST', headers: {}, body } as never)
    expect(await post.text()).toBe('hello')
  })

  for (const [entry, module] of [['edge', edge], ['node', node]] as const) {
    const functions = functionsOf(module as Record<string, unknown>)
    test.prop([fc.constantFrom(...functions), fc.array(arbPlain(EXTRA), { maxLength: 3 }), fc.array(arbPlain(EXTRA), { maxLength: 3 })], { numRuns: 2500 })(
      `every function touchpoint/${entry} exports, and the function it returns`,
      async ([name, f], args, more) => {
        expect(await probe(name, f, args, more)).toBeUndefined()
      },
    )
  }
})
