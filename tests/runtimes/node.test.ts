// Node's http server, in process, through nodeListener (the fetch handler over IncomingMessage/ServerResponse).
import type { AddressInfo } from 'node:net'
import { startNode } from './entries/node'
import { runtimeSuite } from './_harness'

runtimeSuite('node', async () => {
  const server = await startNode()
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    send: (path, headers) => fetch(base + path, { headers: { ...headers } }),
    stop: () => new Promise((done) => server.close(() => done())),
  }
})
