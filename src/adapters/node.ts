/**
 * The Node entry: everything in the edge entry, plus Node servers (`node:http`, Express/Connect middleware, a
 * Fastify plugin) over the same core, configs read from files and re-read without a restart, and attribution
 * files read into a partial result (`readAttributionFiles`, the reader of `touchpoint attribute`).
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import * as E from 'fp-ts/Either'
import { decodeAnyConfig, decodeConfigJson } from '../assignment/decode'
import type { Assigner } from '../assignment/model'
import { issue, invalidInput, type TouchpointError } from '../core/errors'
import { parseJson } from '../core/json'
import { isRequestUrl } from './requestUrl'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, configSource as webConfigSource, inlineConfig as webInlineConfig, urlConfig as webUrlConfig, encodeAssignments, flushLater, touchpoint, type ConfigSource, type ConfigSourceOptions, type Decision, type Handler, type Options, type RequestLike } from './web'

export * from '../edge'
export { readAttributionFiles, type AttributionFilesOptions, type AttributionFilesRead, type SkippedLine } from '../files/attributionFiles'
export type { InputFormat, InputKind } from '../attribution/read/settings'

/**
 * Read and decode a config file. A missing or unreadable file is a `Left`, like a bad config; nothing throws.
 *
 * @example
 * const assigner = await loadConfigFile('examples/experiments.json') // => right(Assigner)  (or a Left naming the file and every problem)
 *
 * @category node
 * @since 0.1.0
 */
export const loadConfigFile = async (path: string): Promise<E.Either<TouchpointError, Assigner>> => {
  try {
    const text = await readFile(path, 'utf8')
    return E.mapLeft((e: TouchpointError) =>
      e._tag === 'InvalidInput' ? invalidInput(e.issues.map((i) => ({ ...i, file: path }))) : e,
    )(decodeConfigJson(text))
  } catch (e) {
    return E.left(invalidInput([{ ...issue('', 'a readable config file', path), file: path, actual: e instanceof Error ? e.message : String(e) }]))
  }
}

/**
 * A config file as a config source: re-read every `ttlMs` (default 5 s) and decoded again only when its text
 * changed, so an edit goes live without a restart; a bad edit or a missing file keeps the last good config and
 * is reported. `source.reload()` re-reads at once (from a SIGHUP handler, say).
 *
 * @example
 * const config = fileConfig('experiments.json')
 * process.on('SIGHUP', () => void config.reload(undefined))
 *
 * @category node
 * @since 0.1.0
 */
export const fileConfig = (path: string, options: ConfigSourceOptions = {}): ConfigSource<unknown> =>
  configSource(() => readFile(path, 'utf8'), { ttlMs: 5_000, ...options })

/**
 * `configSource` of the edge entry, accepting raw configs as well as compiled ones (`decodeAnyConfig`), and reading
 * config text with the strict JSON reader (a key given twice is an error, with its line and column): on a server
 * the validator's and the reader's size do not matter. `inlineConfig`, `urlConfig` and `fileConfig` here do the same.
 *
 * @category node
 * @since 0.1.0
 */
export const configSource = <Env = unknown>(read: (env: Env) => unknown, options: ConfigSourceOptions = {}): ConfigSource<Env> =>
  webConfigSource(read, { decode: decodeAnyConfig, parse: parseJson, ...options })

/**
 * `inlineConfig` of the edge entry, accepting raw configs as well as compiled ones.
 *
 * @category node
 * @since 0.1.0
 */
export const inlineConfig = (config: unknown, options: ConfigSourceOptions = {}): ConfigSource<unknown> =>
  webInlineConfig(config, { decode: decodeAnyConfig, parse: parseJson, ...options })

/**
 * `urlConfig` of the edge entry, accepting raw configs as well as compiled ones.
 *
 * @category node
 * @since 0.1.0
 */
export const urlConfig = (url: string, options: ConfigSourceOptions & { readonly init?: RequestInit } = {}): ConfigSource<unknown> =>
  webUrlConfig(url, { decode: decodeAnyConfig, parse: parseJson, ...options })

/** The request's absolute URL; a Host header or target that makes no URL Fetch takes (a client can send any, `a@b` too) reads as localhost. */
const urlOf = (req: IncomingMessage): string => {
  if (req === null || typeof req !== 'object') return 'http://localhost/'
  const scheme = (req.socket as { encrypted?: boolean } | null)?.encrypted === true ? 'https' : 'http'
  const path = typeof req.url === 'string' && req.url.startsWith('/') ? req.url : '/'
  const url = `${scheme}://${String(req.headers?.host ?? 'localhost')}${path}`
  return isRequestUrl(url) ? url : isRequestUrl(`${scheme}://localhost${path}`) ? `${scheme}://localhost${path}` : `${scheme}://localhost/`
}

/**
 * An `IncomingMessage` seen as the adapter reads requests (url and headers; no body, no copy).
 *
 * @category node
 * @since 0.1.0
 */
export const nodeRequest = (req: IncomingMessage): RequestLike => ({
  url: urlOf(req),
  headers: {
    get: (name) => {
      const value = req.headers[name.toLowerCase()]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    },
  },
})

/**
 * An `IncomingMessage` as a Fetch `Request`, body streamed.
 *
 * @category node
 * @since 0.1.0
 */
export const toWebRequest = (req: IncomingMessage): Request => {
  if (req === null || typeof req !== 'object') return new Request('http://localhost/') // plain JavaScript
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value !== undefined) for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v)
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? {} : { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' }
  return new Request(urlOf(req), { method, headers, ...body } as RequestInit)
}

/**
 * Write a Fetch `Response` to a `ServerResponse` (every `Set-Cookie` kept, body streamed).
 *
 * @category node
 * @since 0.1.0
 */
export const writeResponse = async (res: ServerResponse, response: Response): Promise<void> => {
  if (typeof res?.setHeader !== 'function' || !(response instanceof Response)) return // plain JavaScript: nothing to write
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (response.body === null) {
    res.end()
    return
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk)
  res.end()
}

/**
 * A `node:http` request listener over a fetch handler: `http.createServer(nodeListener(options, handler))`.
 * A handler that throws gets a 500.
 *
 * @example
 * createServer(nodeListener({ config }, (request, decision) => new Response(decision.variant('hero')))).listen(3000)
 *
 * @category node
 * @since 0.1.0
 */
export const nodeListener = <Env = undefined>(options: Options<Env>, handler: Handler<Env>) => {
  const wrapped = touchpoint(options).wrap(handler)
  return (req: IncomingMessage, res: ServerResponse): void => {
    // Inside the promise chain: nothing a request carries may throw out of a listener (that ends the process).
    Promise.resolve(req)
      .then((r) => wrapped(toWebRequest(r)))
      .then((response) => writeResponse(res, response))
      .catch(() => {
        try {
          res.statusCode = 500
          res.end()
        } catch {
          // No response to answer on (plain JavaScript callers).
        }
      })
  }
}

const decisions = new WeakMap<IncomingMessage, Decision>()

/**
 * The decision the middleware or plugin made for this request, or `undefined` before it ran.
 *
 * @example
 * app.get('/', (req, res) => res.send(`hero: ${decisionOf(req)?.variant('hero')}`))
 *
 * @category node
 * @since 0.1.0
 */
export const decisionOf = (req: IncomingMessage): Decision | undefined => decisions.get(req)

/**
 * Set request headers in `req.headers`, `req.rawHeaders` (a client's pairs removed, whatever their case, ours
 * appended) and `req.headersDistinct`, the three views Node gives an app.
 */
const replaceHeaders = (req: IncomingMessage, pairs: ReadonlyArray<readonly [string, string]>) => {
  const names = pairs.map(([n]) => n)
  // Node builds headers and headersDistinct lazily from the first rawHeaders count it saw: read both before
  // rawHeaders changes length, or a later read walks past its end.
  const headers = req.headers
  const distinct = (req as { headersDistinct?: Record<string, Array<string>> }).headersDistinct
  const raw = req.rawHeaders
  if (Array.isArray(raw)) {
    let kept = 0
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!names.includes(String(raw[i]).toLowerCase())) {
        raw[kept++] = raw[i]!
        raw[kept++] = raw[i + 1]!
      }
    }
    raw.length = kept
    for (const [n, v] of pairs) raw.push(n, v)
  }
  for (const [n, v] of pairs) headers[n] = v
  if (distinct !== undefined) for (const [n, v] of pairs) distinct[n] = [v]
}

/** Decide for a Node request: headers for the app, cookie on the response, flush once the response is done. */
const decideNode = async (tp: ReturnType<typeof touchpoint<undefined>>, req: IncomingMessage, res: ServerResponse) => {
  const decision = await tp.decide(nodeRequest(req))
  decisions.set(req, decision)
  // Replaced wherever the app can read request headers: a client's own copies must not reach it.
  replaceHeaders(req, [
    [UNIT_HEADER, decision.unitId],
    [ASSIGNMENTS_HEADER, encodeAssignments(decision.variants)],
  ])
  if (decision.cookie !== undefined) res.appendHeader('set-cookie', decision.cookie)
  if (decision.stickyCookie !== undefined) res.appendHeader('set-cookie', decision.stickyCookie)
  if (tp.options.responseHeader === true) res.setHeader(ASSIGNMENTS_HEADER, encodeAssignments(decision.variants))
  res.once('close', () => flushLater(decision))
  return decision
}

/**
 * Express/Connect middleware: `app.use(expressMiddleware(options))`. Later handlers read `decisionOf(req)` or
 * the `x-touchpoint-*` request headers; the cookie is on the response; exposures are flushed when it closes.
 *
 * @example
 * app.use(expressMiddleware({ config: fileConfig('experiments.json'), sink }))
 *
 * @category node
 * @since 0.1.0
 */
export const expressMiddleware = (options: Options<undefined>) => {
  const tp = touchpoint(options)
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const done = typeof next === 'function' ? next : () => undefined
    decideNode(tp, req, res).then(() => done(), done)
  }
}

/**
 * The part of a Fastify instance the plugin uses.
 *
 * @category node
 * @since 0.1.0
 */
export interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: { readonly raw: IncomingMessage }, reply: { readonly raw: ServerResponse }) => Promise<void>): unknown
}

/**
 * A Fastify plugin: `app.register(fastifyPlugin(options))`. It applies to the whole app (like `fastify-plugin`),
 * and handlers read `decisionOf(request.raw)` or the `x-touchpoint-*` request headers.
 *
 * @example
 * await fastify.register(fastifyPlugin({ config: fileConfig('experiments.json') }))
 *
 * @category node
 * @since 0.1.0
 */
export const fastifyPlugin = (options: Options<undefined>) => {
  const tp = touchpoint(options)
  const plugin = async (app: FastifyLike): Promise<void> => {
    if (typeof app?.addHook !== 'function') return // not a Fastify instance (plain JavaScript)
    app.addHook('onRequest', async (request, reply) => {
      await decideNode(tp, request.raw, reply.raw)
    })
  }
  // What fastify-plugin sets: do not encapsulate, so the hook runs for routes registered outside the plugin.
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true })
}
