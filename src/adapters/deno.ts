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
 * decoded again only when its versionstamp changes.
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
    // The versionstamp changes on every write: parse once per write so the object identity is the cache key.
    if (entry.versionstamp !== stamp || entry.versionstamp === null) {
      stamp = entry.versionstamp
      parsed = typeof entry.value === 'string' ? JSON.parse(entry.value) : entry.value
    }
    return parsed
  }, options)
}
