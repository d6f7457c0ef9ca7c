/**
 * Deno: `Deno.serve` with the adapter. Exposures are flushed after each response.
 * Run here (the `deno` npm package, offline; the package must be built so 'touchpoint/edge' resolves):
 *   npm run build && npx deno run --allow-net=127.0.0.1 --allow-read --allow-env examples/deno.ts
 * Then: curl -i http://127.0.0.1:8000/   (Ctrl-C to stop; set PORT to change the port, RUN_ONCE=1 to answer one
 * request to itself and exit)
 */
import { denoHandler, inlineConfig } from 'touchpoint/edge'
// Compiled when published (`touchpoint compile examples/edge-experiments.json`), so no validator ships here.
import experiments from './edge-experiments.compiled.json' with { type: 'json' }

declare const Deno: {
  readonly env: { get(name: string): string | undefined }
  serve(options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void }, handler: (request: Request) => Promise<Response>): { readonly addr: { readonly port: number }; shutdown(): Promise<void> }
}

const handler = denoHandler({ config: inlineConfig(experiments), unit: 'deviceId', sink: (xs) => console.log('exposures', xs.length) }, (_, decision) =>
  Response.json({ unitId: decision.unitId, hero: decision.expose('hero'), banner: decision.variant('free-shipping-banner'), error: decision.error ?? null }),
)

const port = Number(Deno.env.get('PORT') ?? 8000)
const server = Deno.serve({ port, hostname: '127.0.0.1', onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}/`) }, handler)

if (Deno.env.get('RUN_ONCE') === '1') {
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`)
  console.log(response.headers.get('set-cookie'), await response.text())
  await server.shutdown()
}
