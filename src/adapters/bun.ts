/**
 * Bun (`Bun.serve`): a fetch handler, and a config file re-read without a restart.
 *
 * @module
 */
import { configSource, touchpoint, type ConfigSource, type ConfigSourceOptions, type Handler, type Options } from './web'

/**
 * A `Bun.serve({ fetch })` handler. Exposures are flushed in the background after the response.
 *
 * @example
 * Bun.serve({ port: 3000, fetch: bunHandler({ config }, (request, decision) => new Response(decision.variant('hero'))) })
 *
 * @category bun
 * @since 0.1.0
 */
export const bunHandler = <Env = undefined>(options: Options<Env>, handler: Handler<Env>) => {
  const wrapped = touchpoint(options).wrap(handler)
  return (request: Request): Promise<Response> => wrapped(request)
}

/**
 * The part of Bun's global the adapter uses (passed in, so this module also loads where `Bun` is absent).
 *
 * @category bun
 * @since 0.1.0
 */
export interface BunFiles {
  file(path: string): { text(): Promise<string> }
}

/**
 * A config file read with `Bun.file`, re-read every `ttlMs` (default 60 s) and decoded again only when its
 * text changed; a failed read or a bad edit keeps the last good config.
 *
 * @example
 * bunFileConfig(Bun, './experiments.json', { ttlMs: 5_000 })
 *
 * @category bun
 * @since 0.1.0
 */
export const bunFileConfig = (bun: BunFiles, path: string, options?: ConfigSourceOptions): ConfigSource<unknown> =>
  configSource(() => bun.file(path).text(), options)
