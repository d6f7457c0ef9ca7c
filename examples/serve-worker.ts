/**
 * Runs the edge examples here, offline, in the runtimes they target, and sends them a new and a returning visitor:
 *   npx tsx examples/serve-worker.ts cloudflare   examples/cloudflare-worker.ts in workerd (Miniflare), KV seeded
 *   npx tsx examples/serve-worker.ts vercel       examples/vercel-middleware.ts in Vercel's edge-runtime
 * Build first (npm run build): the examples import 'touchpoint/edge' through the package's own exports.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const which = process.argv[2]
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
// Published compiled (`touchpoint compile examples/edge-experiments.json`): the worker loads it without a validator.
const experiments = readFileSync(here('./edge-experiments.compiled.json'), 'utf8')

const bundle = async (entry: string, format: 'esm' | 'iife') => {
  const result = await build({
    entryPoints: [here(entry)],
    bundle: true,
    format,
    ...(format === 'iife' ? { globalName: 'example' } : {}),
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['import'],
    target: 'es2022',
    minify: true,
    write: false,
  })
  return result.outputFiles![0]!.text
}

const show = async (label: string, response: Response) => {
  const headers = [...response.headers].filter(([k]) => k === 'set-cookie' || k.startsWith('x-touchpoint') || k.startsWith('x-middleware-request-x-touchpoint'))
  console.log(`\n${label}: ${response.status}`)
  for (const [k, v] of headers) console.log(`  ${k}: ${v}`)
  const body = await response.text()
  if (body !== '') console.log(`  body: ${body}`)
  return /tp_uid=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
}

if (which === 'cloudflare') {
  const { Miniflare } = await import('miniflare')
  const script = await bundle('./cloudflare-worker.ts', 'esm')
  console.log(`worker bundle: ${script.length} bytes minified`)
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01', kvNamespaces: ['CONFIG'] })
  const kv = (await mf.getKVNamespace('CONFIG')) as unknown as { put(key: string, value: string): Promise<void> }
  await kv.put('experiments', experiments)
  const id = await show('new visitor', (await mf.dispatchFetch('https://shop.example.com/')) as unknown as Response)
  await show('returning visitor', (await mf.dispatchFetch('https://shop.example.com/', { headers: { cookie: `tp_uid=${id}` } })) as unknown as Response)
  await mf.dispose()
} else if (which === 'vercel') {
  const { EdgeRuntime } = await import('edge-runtime')
  const code = await bundle('./vercel-middleware.ts', 'iife')
  const runtime = new EdgeRuntime({
    initialCode: `${code}\naddEventListener('fetch', (event) => event.respondWith(example.middleware(event.request, event)))`,
  })
  const id = await show('new visitor, no consent', await runtime.dispatchFetch('https://shop.example.com/'))
  const consented = await show('new visitor, consent given', await runtime.dispatchFetch('https://shop.example.com/', { headers: { cookie: 'consent=yes' } }))
  await show('returning visitor', await runtime.dispatchFetch('https://shop.example.com/', { headers: { cookie: `consent=yes; tp_uid=${consented ?? id}` } }))
} else {
  console.error('usage: npx tsx examples/serve-worker.ts cloudflare|vercel')
  process.exit(2)
}
