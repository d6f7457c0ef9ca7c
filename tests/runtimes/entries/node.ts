import { createServer, type Server } from 'node:http'
import { nodeListener } from '../../../src/adapters/node'
import { appHandler, appOptions } from '../_app'

export const startNode = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer(nodeListener(appOptions<undefined>(), appHandler('node')))
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
