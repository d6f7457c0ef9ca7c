/**
 * An Express server: the middleware assigns each request; routes read `decisionOf(req)` (or, behind an edge
 * that already assigned, `readAssignments` on the request headers). The config file is re-read every 5 s and
 * on SIGHUP, keeping the last good config when an edit is broken.
 * Run here: npm run build && npx tsx examples/express-server.ts   (RUN_ONCE=1 answers one request and exits)
 */
import { fileURLToPath } from 'node:url'
import express from 'express'
import { decisionOf, expressMiddleware, fileConfig, formatError } from 'touchpoint/node'

const config = fileConfig(fileURLToPath(new URL('./edge-experiments.json', import.meta.url)))
process.on('SIGHUP', () => void config.reload(undefined))

const app = express()
app.use(
  expressMiddleware({
    config,
    unit: 'deviceId',
    cookie: { secure: process.env['NODE_ENV'] === 'production' },
    report: (error, where) => console.warn(`touchpoint ${where}: ${formatError(error)}`),
    sink: (exposures) => console.log(`exposures: ${exposures.map((x) => `${x.experiment}=${x.variant}`).join(', ')}`),
  }),
)
app.get('/', (req, res) => {
  const decision = decisionOf(req)!
  res.send(`<h1>hero: ${decision.expose('hero')}</h1><p>banner: ${decision.variant('free-shipping-banner')}</p>`)
})

const server = app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', async () => {
  const { port } = server.address() as { port: number }
  console.log(`listening on http://127.0.0.1:${port}/`)
  if (process.env['RUN_ONCE'] === '1') {
    const response = await fetch(`http://127.0.0.1:${port}/`)
    console.log(response.headers.get('set-cookie'), await response.text())
    server.close()
  }
})
