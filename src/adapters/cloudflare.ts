/**
 * Cloudflare Workers (module syntax): `export default cloudflareWorker(options)` and the worker assigns every
 * request, passes it on to the origin (or your handler) and writes the cookie. Exposures are flushed with
 * `ctx.waitUntil`, after the response.
 *
 * @module
 */
import { fetchOrigin } from './internal/fetchOrigin'
import { kvConfig, touchpoint, type ConfigSourceOptions, type ConfigSource, type Handler, type Options, type TextStore } from './web'

/**
 * The part of Cloudflare's `ExecutionContext` the adapter uses.
 *
 * @category cloudflare
 * @since 0.1.0
 */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * A module worker: `{ fetch(request, env, ctx) }`. The default handler fetches the forwarded request from the
 * origin (the worker on a route in front of your site).
 *
 * @example
 * export default cloudflareWorker({ config: kvBinding('CONFIG', 'experiments'), sink: (xs) => log(xs) })
 *
 * @category cloudflare
 * @since 0.1.0
 */
export const cloudflareWorker = <Env>(options: Options<Env>, handler: Handler<Env> = fetchOrigin) => {
  const wrapped = touchpoint(options).wrap(handler)
  return { fetch: (request: Request, env: Env, ctx: ExecutionContext): Promise<Response> => wrapped(request, env, ctx) }
}

/**
 * A config kept as JSON text in the Workers KV namespace bound as `binding`, under `key`; read again every
 * `ttlMs` (default 60 s) and decoded only when the text changed.
 *
 * @example
 * kvBinding('CONFIG', 'experiments') // wrangler.toml: kv_namespaces = [{ binding = "CONFIG", id = "…" }]
 *
 * @category cloudflare
 * @since 0.1.0
 */
export const kvBinding = <Env = unknown>(binding: string, key: string, options?: ConfigSourceOptions): ConfigSource<Env> =>
  // A missing binding reads as `undefined.get`: a failed load, reported, and the page falls back.
  kvConfig((env: Env) => (env as Readonly<Record<string, TextStore>>)[binding]!, key, options)
