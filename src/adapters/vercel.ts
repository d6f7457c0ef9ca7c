/**
 * Vercel: Edge Functions (`(request, context) => Response`) and Next.js middleware, where the page renders after
 * the middleware answers "continue" with the request headers it wants the page to see.
 *
 * @module
 */
import { configSource, touchpoint, type ConfigSource, type ConfigSourceOptions, type Handler, type Options, type WaitUntil } from './web'

/**
 * A Vercel Edge Function (or any `(request, context)` handler): assigns, calls `handler` with the forwarded
 * request, writes the cookie, flushes exposures with `context.waitUntil`.
 *
 * @example
 * export default vercelEdge({ config }, (request, decision) => new Response(`variant ${decision.variant('hero')}`))
 *
 * @category vercel
 * @since 0.1.0
 */
export const vercelEdge = <Env = undefined>(options: Options<Env>, handler: Handler<Env>) => {
  const wrapped = touchpoint(options).wrap(handler)
  return (request: Request, context?: Partial<WaitUntil>): Promise<Response> => wrapped(request, undefined, context)
}

/**
 * Next.js middleware: answers as `NextResponse.next({ request: { headers } })` does (the `x-middleware-next` and
 * `x-middleware-request-*` headers Next reads), so pages and route handlers see `x-touchpoint-unit` and
 * `x-touchpoint-assignments` (read them with `readAssignments(headers())`), and the browser gets the cookie.
 *
 * @example
 * // middleware.ts
 * export const middleware = nextMiddleware({ config: edgeConfig(client, 'experiments') })
 *
 * @category vercel
 * @since 0.1.0
 */
export const nextMiddleware = <Env = undefined>(options: Options<Env>) =>
  vercelEdge(options, (request) => {
    const headers = new Headers({ 'x-middleware-next': '1' })
    const names: Array<string> = []
    request.headers.forEach((value, name) => {
      headers.set(`x-middleware-request-${name}`, value)
      names.push(name)
    })
    headers.set('x-middleware-override-headers', names.join(','))
    return new Response(null, { headers })
  })

/**
 * The part of a Vercel Edge Config client (`createClient` from `@vercel/edge-config`) the adapter uses.
 *
 * @category vercel
 * @since 0.1.0
 */
export interface EdgeConfigClient {
  get(key: string): Promise<unknown>
}

/**
 * A config stored as a JSON value under `key` in Vercel Edge Config; read every `ttlMs` (default 60 s), decoded
 * again only when its `version` changes.
 *
 * @example
 * edgeConfig(createClient(process.env.EDGE_CONFIG), 'experiments')
 *
 * @category vercel
 * @since 0.1.0
 */
export const edgeConfig = (client: EdgeConfigClient, key: string, options?: ConfigSourceOptions): ConfigSource<unknown> =>
  configSource(() => client.get(key), options)
