// Fastify 5 with fastifyPlugin: the route hands the decision and the request (with the forwarded headers the
// plugin set) to the same scenario handler.
import Fastify from 'fastify'
import { decisionOf, fastifyPlugin, toWebRequest } from '../../src/adapters/node'
import { appHandler, appOptions } from './_app'
import { runtimeSuite } from './_harness'

runtimeSuite('fastify', async () => {
  const app = Fastify()
  await app.register(fastifyPlugin(appOptions<undefined>()))
  const handler = appHandler<undefined>('fastify')
  app.get('/*', async (request, reply) => {
    const response = await handler(toWebRequest(request.raw), decisionOf(request.raw)!, undefined, undefined)
    return reply.status(response.status).header('content-type', 'application/json').send(await response.text())
  })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    send: (path, headers) => fetch(address + path, { headers: { ...headers } }),
    stop: () => app.close(),
  }
})
