/**
 * ClickHouse over its HTTP interface with Node's `http` (no client library: the interface is a POST of the query
 * text, on 18.16 as on current releases). Rows stream back as JSON lines. The user and password travel in an
 * `Authorization` header, never in the request URL, and never in a message.
 *
 * Not `fetch`: ClickHouse sends its headers when the first rows are ready, which for an aggregation over a large
 * table is when the query ends, and fetch gives up after 300 s without headers (undici's `headersTimeout`, not
 * settable through the global fetch): 1M paths on a loaded machine failed with `UND_ERR_HEADERS_TIMEOUT`. A
 * query may take as long as the server lets it; only the first request (`SELECT 1`) has a timeout.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { invalidInput, type TouchpointError } from '../core/errors'
import { fields, optionIssues } from '../stats/internal/options'
import type { SqlDriver } from './driver'
import { DriverError, engineFailure } from './internal'
import { redactUrl, scrub, secretsOf } from './url'

const BATCH = 5000

/** How long the first request may take before the server is given up (a connection to a black hole waits minutes). */
const CONNECT_TIMEOUT_MS = 10_000

/** The URL without credentials, with the user and password apart; undefined when it is no http(s) URL. */
const endpointOf = (v: unknown): { readonly endpoint: URL; readonly user: string; readonly password: string } | undefined => {
  if (typeof v !== 'string' || v.includes('\u0000')) return undefined
  try {
    const endpoint = new URL(v)
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') return undefined
    const user = decodeURIComponent(endpoint.username) || 'default'
    const password = decodeURIComponent(endpoint.password)
    endpoint.username = ''
    endpoint.password = ''
    return { endpoint, user, password }
  } catch {
    return undefined
  }
}

const OPTIONS = {
  url: fields.custom('an http:// or https:// URL: http://user:password@host:8123/?database=name', (v) => endpointOf(v) !== undefined),
  connectTimeoutMs: fields.custom('a time in milliseconds: an integer in [1, 600000]', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 600_000),
} as const

/**
 * A ClickHouse server as a driver. `url`: `http://user:password@host:8123/?database=analytics` (any other
 * parameters are passed on as settings). The server must answer within `connectTimeoutMs` (default 10 s).
 *
 * An `InvalidInput` Left names the option that is wrong (a `url` that is no http(s) URL is refused before any
 * request); an `EngineFailure` Left says why the server did not answer, never with its password.
 *
 * @example
 * const ch = process.env['TOUCHPOINT_CLICKHOUSE_URL'] === undefined ? undefined : await openClickHouse({ url: process.env['TOUCHPOINT_CLICKHOUSE_URL'] })
 * // a server that is not there: the message names it, never its password
 * await openClickHouse({ url: 'http://default:s3cret@127.0.0.1:9/' })
 * // => left({ _tag: 'EngineFailure', reason: 'ClickHouse at http://default:***@127.0.0.1:9/…' })
 *
 * @category engines
 * @since 0.2.0
 */
export const openClickHouse = async (options: { readonly url: string; readonly connectTimeoutMs?: number }): Promise<E.Either<TouchpointError, SqlDriver>> => {
  const bad = optionIssues(OPTIONS, options)
  if (bad.length === 0 && options === undefined) bad.push({ path: 'options', expected: 'options: { url }', actual: options })
  else if (bad.length === 0 && options.url === undefined) bad.push({ path: 'url', expected: OPTIONS.url.expected, actual: undefined })
  if (bad.length > 0) return E.left(invalidInput(bad))
  const { endpoint, user, password } = endpointOf(options.url)!
  const secrets = secretsOf(options.url)
  const where = `ClickHouse at ${redactUrl(options.url)}`
  const fail = (text: string) => new DriverError(scrub(`${where}: ${text}`, secrets))
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'text/plain; charset=utf-8' }
  const request = endpoint.protocol === 'https:' ? httpsRequest : httpRequest
  /** The response once its status is 200 (else its body is the message); no timeout unless one is given. */
  const post = (sql: string, timeoutMs?: number): Promise<IncomingMessage> =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const body = Buffer.from(sql, 'utf8')
      // A connection per query (agent: false): a kept-alive socket the server closed while this process was busy
      // (ClickHouse closes idle ones after 3 s) is written to before its close is seen, and the query fails (EPIPE).
      const req = request(endpoint, { method: 'POST', agent: false, headers: { ...headers, 'content-length': body.length } }, (response) => {
        if (timer !== undefined) clearTimeout(timer)
        if (response.statusCode === 200) return resolve(response)
        const chunks: Array<Buffer> = []
        response.on('data', (c: Buffer) => chunks.push(c))
        response.on('end', () => reject(fail(Buffer.concat(chunks).toString('utf8').trim() || `HTTP ${response.statusCode}`)))
        response.on('error', (e) => reject(fail(e.message)))
      })
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' })), timeoutMs)
      req.on('error', (e: Error & { code?: string }) => {
        if (timer !== undefined) clearTimeout(timer)
        reject(fail(e.code === 'TIMEOUT' ? e.message : (e.code ?? e.message)))
      })
      req.end(body)
    })
  const text = async (response: IncomingMessage): Promise<string> => {
    const chunks: Array<Buffer> = []
    for await (const c of response as AsyncIterable<Buffer>) chunks.push(c)
    return Buffer.concat(chunks).toString('utf8')
  }
  try {
    await text(await post('SELECT 1', options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS))
  } catch (e) {
    return E.left(engineFailure(e instanceof Error ? e.message : String(e)))
  }
  return E.right({
    dialect: 'clickhouse',
    describe: where,
    async *rows(sql: string) {
      const response = await post(`${sql}\nFORMAT JSONEachRow`)
      const decoder = new TextDecoder()
      let rest = ''
      let batch: Array<Record<string, unknown>> = []
      const take = (line: string) => {
        if (line.trim() === '') return
        try {
          batch.push(JSON.parse(line) as Record<string, unknown>)
        } catch {
          // A failure after the first rows arrives as the engine's message in the body.
          throw fail(line.trim())
        }
      }
      const chunks = (response as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      for (;;) {
        let next: IteratorResult<Uint8Array>
        try {
          next = await chunks.next()
        } catch (e) {
          // The connection broke mid-answer (the server stopped, a proxy cut it).
          throw fail(`the answer broke off: ${(e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e))}`)
        }
        if (next.done === true) break
        const lines = (rest + decoder.decode(next.value, { stream: true })).split('\n')
        rest = lines.pop()!
        for (const l of lines) take(l)
        if (batch.length >= BATCH) {
          yield batch
          batch = []
        }
      }
      take(rest + decoder.decode())
      if (batch.length > 0) yield batch
    },
    columns: async (sql: string) => {
      const body = JSON.parse(await text(await post(`SELECT * FROM (${sql}) LIMIT 0\nFORMAT JSONCompact`))) as { meta?: ReadonlyArray<{ name: string; type: string }> }
      return (body.meta ?? []).map((m) => ({ name: m.name, type: m.type }))
    },
    close: async () => undefined,
  })
}
