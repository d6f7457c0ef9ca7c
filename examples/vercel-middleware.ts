/**
 * Next.js middleware (Vercel Edge): assigns before the page renders. The page reads its variants from the request
 * headers the middleware forwards:
 *
 *   // app/page.tsx
 *   import { headers } from 'next/headers'
 *   import { readAssignments } from 'touchpoint/edge'
 *   const variants = readAssignments(await headers())   // { hero: 'big', ... }
 *
 * On Vercel, keep the config in Edge Config (`edgeConfig(createClient(process.env.EDGE_CONFIG), 'experiments')`);
 * here it is inline. Copy this file to middleware.ts at the root of a Next.js app.
 * Run here (Vercel's edge-runtime, offline): npm run build && npx tsx examples/serve-worker.ts vercel
 */
import { inlineConfig, nextMiddleware } from 'touchpoint/edge'
// Compiled when published (`touchpoint compile examples/edge-experiments.json`), so no validator ships here.
import experiments from './edge-experiments.compiled.json'

export const middleware = nextMiddleware({
  config: inlineConfig(experiments),
  unit: 'deviceId',
  // A consent banner's cookie: until it says yes, no id cookie is written.
  consent: (request) => /(?:^|;\s*)consent=yes/.test(request.headers.get('cookie') ?? ''),
  // Your collector, e.g. fetch(process.env.COLLECTOR_URL, { method: 'POST', body: JSON.stringify(exposures) });
  // flushed with waitUntil after the response. Here only logged.
  sink: (exposures) => console.log(`exposures: ${exposures.map((x) => `${x.experiment}=${x.variant}`).join(', ')}`),
})

export const config = { matcher: ['/((?!_next/|favicon.ico).*)'] }
