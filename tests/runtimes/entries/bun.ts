import { bunHandler } from '../../../src/edge'
import { appHandler, appOptions } from '../_app'

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Promise<Response> }): { port: number }
}

const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: bunHandler(appOptions<undefined>(), appHandler('bun')) })
console.log(`listening ${server.port}`)
