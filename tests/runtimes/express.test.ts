// Express 5 with expressMiddleware: the route hands the decision and the request (with the forwarded headers
// the middleware set) to the same scenario handler.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { decisionOf, expressMiddleware, toWebRequest, writeResponse } from '../../src/adapters/node'
import { appHandler, appOptions } from './_app'
import { runtimeSuite } from './_harness'

runtimeSuite('express', async () => {
  const app = express()
  app.use(expressMiddleware(appOptions<undefined>()))
  const handler = appHandler<undefined>('express')
  app.use(async (req, res) => {
    await writeResponse(res, await handler(toWebRequest(req), decisionOf(req)!, undefined, undefined))
  })
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    send: (path, headers) => fetch(base + path, { headers: { ...headers } }),
    stop: () => new Promise((done) => server.close(() => done())),
  }
})
