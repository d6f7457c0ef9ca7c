// Cloudflare's workerd, through Miniflare: cloudflareWorker with its default handler, in front of an origin (an
// outbound worker). An incoming request has immutable headers there, so the adapter hands fetch the headers to
// build the one request it sends; the origin must see the adapter's unit id and assignments, never a client's.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compiled } from '../_compiled'
import { root } from './_harness'

const CONFIG = compiled({ experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] })

// The lean edgeWorker (no features) too: the same default handler, in front of the same origin.
const workers = [
  ['cloudflareWorker', `import { cloudflareWorker, inlineConfig } from './src/edge'
    export default cloudflareWorker({ config: inlineConfig(${JSON.stringify(CONFIG)}), report: () => undefined })`],
  ['edgeWorker', `import { edgeWorker, inlineConfig } from './src/edge'
    export default edgeWorker({ config: inlineConfig(${JSON.stringify(CONFIG)}), report: () => undefined })`],
] as const

describe.each(workers)('workerd: %s in front of an origin', (_, contents) => {
  let mf: Miniflare | undefined
  beforeAll(async () => {
    const worker = await build({
      stdin: {
        contents,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
    })
    const common = { modules: true, compatibilityDate: '2026-04-01' }
    mf = new Miniflare({
      workers: [
        { ...common, name: 'edge', outboundService: 'origin', script: worker.outputFiles[0]!.text },
        {
          ...common,
          name: 'origin',
          script: `export default { fetch: async (request) => Response.json({
            unit: request.headers.get('x-touchpoint-unit'), assignments: request.headers.get('x-touchpoint-assignments'),
            method: request.method, url: request.url, other: request.headers.get('x-other'), body: await request.text() }) }`,
        },
      ],
    })
    await mf.ready
  }, 60_000)
  afterAll(async () => {
    await mf?.dispose()
  })

  it('the origin sees the adapter headers (client copies replaced) and the request otherwise as sent', async () => {
    const response = await mf!.dispatchFetch('https://shop.example.test/cart?x=1', {
      method: 'POST',
      body: 'payload',
      headers: { cookie: 'tp_uid=u-17', 'x-touchpoint-unit': 'forged', 'x-touchpoint-assignments': 'hero=forged', 'x-other': 'kept' },
    })
    const seen = (await response.json()) as Record<string, string>
    expect(seen['unit']).toBe('u-17')
    expect(seen['assignments']).toMatch(/^hero=(control|big)$/)
    expect(seen).toMatchObject({ method: 'POST', url: 'https://shop.example.test/cart?x=1', other: 'kept', body: 'payload' })
    expect(response.headers.get('set-cookie')).toBeNull() // a returning visitor: no cookie written
  })

  it('a new visitor: the minted id reaches the origin and the cookie', async () => {
    const response = await mf!.dispatchFetch('https://shop.example.test/', { headers: { 'x-touchpoint-unit': 'forged' } })
    const seen = (await response.json()) as Record<string, string>
    expect(seen['unit']).not.toBe('forged')
    expect(response.headers.get('set-cookie')).toContain(`tp_uid=${seen['unit']};`)
  })
})
