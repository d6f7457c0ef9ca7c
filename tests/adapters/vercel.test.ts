import { describe, expect, it, vi } from 'vitest'
import { edgeConfig, nextMiddleware, vercelEdge } from '../../src/adapters/vercel'
import { ASSIGNMENTS_HEADER, UNIT_HEADER } from '../../src/adapters/web'
import { inlineCompiled } from '../_compiled'

const CONFIG = { version: 'ec-1', experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }

describe('vercel', () => {
  it('next middleware continues with the request headers Next.js unpacks, and sets the cookie', async () => {
    const middleware = nextMiddleware({ config: inlineCompiled(CONFIG), newId: () => 'n-1' })
    const response = await middleware(new Request('https://shop.test/p', { headers: { accept: 'text/html', [UNIT_HEADER]: 'spoofed' } }))
    expect(response.headers.get('x-middleware-next')).toBe('1')
    const names = response.headers.get('x-middleware-override-headers')!.split(',')
    expect(names).toEqual(expect.arrayContaining(['accept', UNIT_HEADER, ASSIGNMENTS_HEADER]))
    expect(response.headers.get(`x-middleware-request-${UNIT_HEADER}`)).toBe('n-1')
    expect(response.headers.get('x-middleware-request-accept')).toBe('text/html')
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^tp_uid=n-1;/)])
  })

  it('an edge function flushes exposures through context.waitUntil', async () => {
    const sink = vi.fn()
    const waitUntil = vi.fn()
    const handler = vercelEdge({ config: inlineCompiled(CONFIG), sink }, (_, d) => new Response(d.variant('hero')))
    const response = await handler(new Request('https://shop.test/'), { waitUntil })
    expect(['control', 'big']).toContain(await response.text())
    expect(waitUntil).toHaveBeenCalledTimes(1)
    await waitUntil.mock.calls[0]![0]
    expect(sink).toHaveBeenCalledTimes(1)
  })

  it('edge config: decoded again only when the version changes', async () => {
    let current: unknown = CONFIG
    const client = { get: vi.fn(async () => structuredClone(current)) }
    const decode = vi.fn((await import('../../src/assignment/decode')).decodeConfig)
    const source = edgeConfig(client, 'experiments', { ttlMs: 0, decode })
    await source.get(undefined)
    await source.get(undefined)
    expect(decode).toHaveBeenCalledTimes(1)
    current = { ...CONFIG, version: 'ec-2' }
    expect((await source.get(undefined)).assigner?.version).toBe('ec-2')
    expect(decode).toHaveBeenCalledTimes(2)
    expect(client.get).toHaveBeenCalledWith('experiments')
  })
})
