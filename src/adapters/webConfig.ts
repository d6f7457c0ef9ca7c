/**
 * Where the edge's experiment config comes from: a source over any reader (inline, a URL, a KV store), decoded once
 * per version, keeping the last good assigner when a load fails. The web adapter (./web.ts) asks it per request.
 *
 * @module
 */
import type * as E from 'fp-ts/Either'
import { fromCompiledConfig } from '../assignment/compiled'
import type { Assigner } from '../assignment/model'
import type { TouchpointError } from '../core/errors'
import { messageOf, problem } from './internal/problems'

/**
 * The state of a config source: the assigner in use (the last good one) and, when the latest load failed, why.
 * `assigner` is `undefined` only when no load ever succeeded.
 *
 * @category config
 * @since 0.1.0
 */
export interface ConfigState {
  readonly assigner: Assigner | undefined
  readonly error: TouchpointError | undefined
}

/**
 * Where the config comes from. `get` is what every request calls: it serves the cached state and refreshes it
 * when it is older than the source's `ttlMs`; `reload` refreshes now. Neither rejects.
 *
 * @category config
 * @since 0.1.0
 */
export interface ConfigSource<Env = unknown> {
  readonly get: (env: Env) => Promise<ConfigState>
  readonly reload: (env: Env) => Promise<ConfigState>
}

/**
 * Options of `configSource`.
 *
 * @category config
 * @since 0.1.0
 */
export interface ConfigSourceOptions {
  /** How long a loaded config is served before the source is read again (default 60 s; `Infinity`: once). */
  readonly ttlMs?: number
  /**
   * Turns the parsed JSON into an assigner. Default `fromCompiledConfig`: the config was validated and stamped
   * by `touchpoint compile` (or `compileConfig`) when it was published, so the edge bundle carries no validator
   * (about 6.3 KB min+gzip instead of 10.9: docs/adapters.md, Size). Pass `decodeConfig` to validate raw configs here, or an importer such as
   * `fromGrowthBook`.
   */
  readonly decode?: (input: unknown) => E.Either<TouchpointError, Assigner>
  /**
   * Reads config text. Default `JSON.parse` (a failure is a failed load), which keeps the last of a key given
   * twice: the strict reader that refuses duplicate keys weighs about 2.3 KB min+gzip, more than a worker's whole
   * budget allows. A compiled config's checksum still catches a duplicate inside `config` (the parsed config no
   * longer matches what was compiled). The Node entry's sources use the strict reader.
   */
  readonly parse?: (text: string) => E.Either<TouchpointError, unknown>
}

/**
 * A config source over any reader of the raw config: JSON text, or JSON already parsed. Decoding happens once
 * per version: text identical to the last text, or a parsed object with the same `version` as the last one, is
 * not decoded again. A failed read or decode keeps the last good assigner and records the error.
 *
 * @example
 * const source = configSource(() => fetch('https://cdn.example.com/experiments.json').then((r) => r.text()), { ttlMs: 30_000 })
 * await source.get(undefined) // => { assigner: Assigner, error: undefined }
 *
 * @category config
 * @since 0.1.0
 */
export const configSource = <Env = unknown>(
  read: (env: Env) => unknown,
  options: ConfigSourceOptions = {},
): ConfigSource<Env> => {
  // `?? {}`: plain JavaScript may pass null.
  const { ttlMs, decode = fromCompiledConfig, parse } = options ?? {}
  const ttl = typeof ttlMs === 'number' ? ttlMs : 60_000 // plain JavaScript: what is no number is the default
  // The last good assigner and the config it came from; nothing is served before the first load.
  let assigner: Assigner | undefined
  let seen: unknown
  let loadedAt = -Infinity
  let pending: Promise<ConfigState> | undefined
  const load = async (env: Env): Promise<ConfigState> => {
    let error: TouchpointError | undefined
    try {
      const raw = await read(env)
      const text = typeof raw === 'string'
      const parsed = text && parse !== undefined ? parse(raw) : undefined
      if (parsed?._tag === 'Left') error = parsed.left
      else {
        const input = !text ? raw : parsed === undefined ? JSON.parse(raw) : parsed.right
        const key = text ? raw : (input as { version?: unknown } | null)?.version ?? input
        if (input == null) error = problem('a config', input)
        else if (assigner === undefined || key !== seen) {
          const decoded = decode(input)
          if (decoded._tag === 'Left') error = decoded.left
          else (assigner = decoded.right), (seen = key)
        }
      }
    } catch (e) {
      error = problem('a readable config (JSON)', messageOf(e))
    }
    const state = { assigner, error }
    served = Promise.resolve(state)
    loadedAt = Date.now()
    return state
  }
  // One settled promise per load, answered while it is fresh: the adapters know a promise they have seen settle and
  // then decide without waiting (no await, no microtask). Set by the first load, before anything is fresh.
  let served: Promise<ConfigState>
  return {
    get: (env) => (Date.now() - loadedAt < ttl ? served : (pending ??= load(env).finally(() => (pending = undefined)))),
    reload: load,
  }
}

/**
 * A config given inline (an object, or JSON text), decoded on first use and then kept.
 *
 * @example
 * const config = inlineConfig({ experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] })
 *
 * @category config
 * @since 0.1.0
 */
export const inlineConfig = (config: unknown, options: ConfigSourceOptions = {}): ConfigSource<unknown> =>
  configSource(() => config, { ttlMs: Infinity, ...options })

/**
 * A config fetched from a URL (text), refreshed every `ttlMs`. A non-2xx answer counts as a failed load.
 *
 * @example
 * const config = urlConfig('https://cdn.example.com/experiments.json', { ttlMs: 30_000 })
 *
 * @category config
 * @since 0.1.0
 */
export const urlConfig = (
  url: string,
  options: ConfigSourceOptions & { readonly init?: RequestInit } = {},
): ConfigSource<unknown> =>
  configSource(async () => {
    const response = await fetch(url, options.init)
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
    return response.text()
  }, options)

/**
 * The shape of a key-value store read as text: a Cloudflare KV namespace, or any object with such a `get`.
 *
 * @category config
 * @since 0.1.0
 */
export interface TextStore {
  get(key: string): Promise<string | null>
}

/**
 * A config stored as JSON text under `key` in a key-value store, refreshed every `ttlMs`. `store` is the store
 * itself or, for bindings that arrive with each request (Cloudflare's `env`), a function of the environment.
 *
 * @example
 * const config = kvConfig((env: { CONFIG: KVNamespace }) => env.CONFIG, 'experiments')
 *
 * @category config
 * @since 0.1.0
 */
export const kvConfig = <Env = unknown>(
  store: TextStore | ((env: Env) => TextStore),
  key: string,
  options: ConfigSourceOptions = {},
): ConfigSource<Env> => configSource((env: Env) => (typeof store === 'function' ? store(env) : store).get(key), options)

