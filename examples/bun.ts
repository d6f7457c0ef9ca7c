/**
 * Bun: `Bun.serve` with the adapter, the config read from a file and re-read every 5 s (edit it while the server
 * runs; a bad edit keeps the last good config).
 * Run here (the `bun` npm package, offline): npm run build && npx bun examples/bun.ts
 * Then: curl -i http://127.0.0.1:3000/   (RUN_ONCE=1 answers one request to itself and exits)
 */
import { bunFileConfig, bunHandler } from 'touchpoint/edge'

declare const Bun: {
  readonly env: Record<string, string | undefined>
  file(path: string): { text(): Promise<string> }
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Promise<Response> }): { port: number; stop(): void }
}

// Compiled when published (`touchpoint compile examples/edge-experiments.json`): the edge loads it without a validator.
const config = bunFileConfig(Bun, new URL('./edge-experiments.compiled.json', import.meta.url).pathname, { ttlMs: 5_000 })

const server = Bun.serve({
  port: Number(Bun.env['PORT'] ?? 3000),
  hostname: '127.0.0.1',
  fetch: bunHandler({ config, unit: 'deviceId' }, (_, decision) =>
    Response.json({ unitId: decision.unitId, hero: decision.variant('hero'), error: decision.error ?? null }),
  ),
})
console.log(`listening on http://127.0.0.1:${server.port}/`)

if (Bun.env['RUN_ONCE'] === '1') {
  const response = await fetch(`http://127.0.0.1:${server.port}/`)
  console.log(response.headers.get('set-cookie'), await response.text())
  server.stop()
}
