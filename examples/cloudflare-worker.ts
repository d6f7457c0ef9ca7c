/**
 * A Cloudflare Worker (module syntax) in front of a site: every request gets a unit id (cookie `tp_uid`, minted
 * once), its variants travel to the origin on `x-touchpoint-unit` / `x-touchpoint-assignments`, and exposures
 * are sent after the response with `ctx.waitUntil`. The config lives in Workers KV (binding CONFIG, key
 * "experiments"); a missing or bad config leaves everyone on control and is logged.
 *
 * Deploy: `wrangler deploy examples/cloudflare-worker.ts` with `kv_namespaces = [{ binding = "CONFIG", id = "…" }]`.
 * Run here (workerd through Miniflare, KV seeded with examples/edge-experiments.compiled.json, offline):
 *   npm run build && npx tsx examples/serve-worker.ts cloudflare
 */
import { cloudflareWorker, kvBinding, type Exposure } from 'touchpoint/edge'

interface Env {
  readonly CONFIG: { get(key: string): Promise<string | null> }
  readonly EXPOSURES_URL?: string
}

const send = async (exposures: ReadonlyArray<Exposure>) => {
  // Your collector; here only logged. No secret ever goes to the client: the sink runs in the worker.
  console.log(`exposures: ${exposures.map((x) => `${x.experiment}=${x.variant}`).join(', ')}`)
}

export default cloudflareWorker<Env>(
  {
    config: kvBinding<Env>('CONFIG', 'experiments', { ttlMs: 30_000 }),
    unit: 'deviceId',
    attributes: (request) => ({ country: request.headers.get('cf-ipcountry') }),
    cookie: { name: 'tp_uid', maxAge: 60 * 60 * 24 * 365, sameSite: 'Lax' },
    responseHeader: true,
    sink: send,
  },
  // Answer at the edge for the demo; drop this handler to pass the request on to your origin (`fetch(request)`).
  (request, decision) =>
    new Response(
      `<h1>hero: ${decision.expose('hero')}</h1><p>banner: ${decision.variant('free-shipping-banner')}</p>` +
        `<p>the origin would see ${request.headers.get('x-touchpoint-assignments')}</p>`,
      { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private' } },
    ),
)
