/**
 * A Node service reading flags through OpenFeature: touchpoint's server provider over a config file, exposures
 * and tracked conversions logged as JSON lines (the shapes the raw-log analysis reads).
 * Run here: npm run build && npx tsx examples/openfeature-node.ts   (RUN_ONCE=1 answers one request and exits)
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { OpenFeature } from '@openfeature/server-sdk'
import { TouchpointProvider } from 'touchpoint/openfeature'

const config = readFileSync(new URL('./flags.json', import.meta.url), 'utf8')
await OpenFeature.setProviderAndWait(
  new TouchpointProvider(config, {
    sink: (exposures) => exposures.forEach((x) => console.log(`exposure ${JSON.stringify(x)}`)),
    track: (events) => events.forEach((e) => console.log(`event ${JSON.stringify(e)}`)),
  }),
)
const flags = OpenFeature.getClient()

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const context = { targetingKey: url.searchParams.get('user') ?? 'anonymous', country: url.searchParams.get('country') ?? 'US' }
  const checkout = await flags.getBooleanDetails('new-checkout', false, context)
  const color = await flags.getStringValue('button-color', 'grey', context)
  const threshold = await flags.getNumberValue('free-shipping-threshold', 100, context)
  if (url.pathname === '/buy') flags.track('purchase', context, { value: 59.9 })
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ checkout: checkout.value, reason: checkout.reason, variant: checkout.variant ?? null, color, threshold }))
})

server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', async () => {
  const { port } = server.address() as { port: number }
  console.log(`listening on http://127.0.0.1:${port}/`)
  if (process.env['RUN_ONCE'] === '1') {
    console.log(await (await fetch(`http://127.0.0.1:${port}/?user=qa-anna&country=DE`)).text())
    console.log(await (await fetch(`http://127.0.0.1:${port}/buy?user=u-42&country=FR`)).text())
    server.close()
    await OpenFeature.close()
  }
})
