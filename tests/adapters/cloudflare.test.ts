import { describe, expect, it, vi } from 'vitest'
import { cloudflareWorker, kvBinding } from '../../src/adapters/cloudflare'
import { UNIT_HEADER, readAssignments } from '../../src/adapters/web'
import { compiled } from '../_compiled'

const CONFIG = JSON.stringify(compiled({ version: 'kv-1', experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }))

describe('cloudflare', () => {
  it('reads the config from the KV binding in env, once per version, and proxies to the origin by default', async () => {
    const get = vi.fn(async () => CONFIG)
    const origin = vi.fn(async (request: Request) => new Response(`origin saw ${request.headers.get(UNIT_HEADER)} ${JSON.stringify(readAssignments(request.headers))}`))
    vi.stubGlobal('fetch', origin)
    try {
      const worker = cloudflareWorker({ config: kvBinding('CONFIG', 'experiments', { ttlMs: 0 }), report: () => undefined })
      const waited: Array<Promise<unknown>> = []
      const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p) }
      const response = await worker.fetch(new Request('https://shop.test/', { headers: { cookie: 'tp_uid=u-7' } }), { CONFIG: { get } }, ctx)
      expect(await response.text()).toMatch(/^origin saw u-7 \{"hero":"(control|big)"\}$/)
      await worker.fetch(new Request('https://shop.test/'), { CONFIG: { get } }, ctx)
      expect(get).toHaveBeenCalledWith('experiments')
      expect(get).toHaveBeenCalledTimes(2)
      // No sink: nothing to flush, so nothing is handed to waitUntil (in workerd each call costs the request).
      expect(waited).toHaveLength(0)
      const sink = vi.fn()
      const withSink = cloudflareWorker({ config: kvBinding('CONFIG', 'experiments'), report: () => undefined, sink })
      await withSink.fetch(new Request('https://shop.test/'), { CONFIG: { get } }, ctx)
      expect(waited).toHaveLength(1)
      await Promise.all(waited)
      expect(sink).toHaveBeenCalledTimes(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('a missing binding is a reported fallback, not an exception', async () => {
    const report = vi.fn()
    const worker = cloudflareWorker({ config: kvBinding('MISSING', 'experiments'), report }, (_, d) => new Response(d.variant('hero')))
    const response = await worker.fetch(new Request('https://shop.test/'), {}, { waitUntil: () => undefined })
    expect(await response.text()).toBe('control')
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ _tag: 'InvalidInput' }), 'config')
  })
})
