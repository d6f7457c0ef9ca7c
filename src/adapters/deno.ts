/**
 * Deno (`Deno.serve`, Deno Deploy): a handler for `Deno.serve`, and a config kept in Deno KV.
 *
 * @module
 */
import { configSource, touchpoint, type ConfigSource, type ConfigSourceOptions, type Handler, type Options } from './web'

/**
 * A `Deno.serve` handler. Deno has no `waitUntil`: exposures are flushed in the background after the response.
 *
 * @example
 * Deno.serve(denoHandler({ config }, (request, decision) => new Response(decision.variant('hero'))))
 *
 * @category deno
 * @since 0.1.0
 */
export const denoHandler = <Env = undefined>(options: Options<Env>, handler: Handler<Env>) => {
  const wrapped = touchpoint(options).wrap(handler)
  return (request: Request): Promise<Response> => wrapped(request)
}

/**
 * The part of a `Deno.Kv` the adapter uses.
 *
 * @category deno
 * @since 0.1.0
 */
export interface DenoKv {
  get(key: ReadonlyArray<unknown>): Promise<{ readonly value: unknown; readonly versionstamp: string | null }>
}

/**
 * A config stored in Deno KV under `key` (JSON text or an object), re-read every `ttlMs` (default 60 s) and
 * decoded again only when it changed (its text, or for an object its versionstamp). Text is read as
 * `configSource` reads it (`options.parse`, default `JSON.parse`).
 *
 * @example
 * denoKvConfig(await Deno.openKv(), ['touchpoint', 'config'])
 *
 * @category deno
 * @since 0.1.0
 */
export const denoKvConfig = (kv: DenoKv, key: ReadonlyArray<unknown>, options?: ConfigSourceOptions): ConfigSource<unknown> => {
  let stamp: string | null = null
  let parsed: unknown
  return configSource(async () => {
    const entry = await kv.get(key)
    // Text goes to configSource as it is: read with options.parse, and the text itself is the cache key.
    if (typeof entry.value === 'string') return entry.value
    // An object comes back as a new copy on every get: keep one per write, so its identity is the cache key.
    if (entry.versionstamp !== stamp || entry.versionstamp === null) {
      stamp = entry.versionstamp
      parsed = entry.value
    }
    return parsed
  }, options)
}
