/**
 * ClickHouse over its HTTP interface with `fetch` (no client library: the interface is a POST of the query text,
 * on 18.16 as on current releases). Rows stream back as JSON lines. The user and password travel in an
 * `Authorization` header, never in the request URL, and never in a message.
 *
 * @module
 */
import { EngineError, type SqlDriver } from './driver'
import { redactUrl, scrub, secretsOf } from './url'

const BATCH = 5000

/**
 * A ClickHouse server as a driver. `url`: `http://user:password@host:8123/?database=analytics` (any other
 * parameters are passed on as settings).
 *
 * @example
 * const ch = process.env['TOUCHPOINT_CLICKHOUSE_URL'] === undefined ? undefined : await openClickHouse({ url: process.env['TOUCHPOINT_CLICKHOUSE_URL'] })
 * // a server that is not there: the message names it, never its password
 * await openClickHouse({ url: 'http://default:s3cret@127.0.0.1:9/' }).catch((e: Error) => e.message)
 * // => 'ClickHouse at http://default:***@127.0.0.1:9/…'
 *
 * @category engines
 * @since 0.2.0
 */
export const openClickHouse = async (options: { readonly url: string }): Promise<SqlDriver> => {
  const secrets = secretsOf(options.url)
  const where = `ClickHouse at ${redactUrl(options.url)}`
  const fail = (text: string) => new EngineError(scrub(`${where}: ${text}`, secrets))
  let endpoint: URL
  try {
    endpoint = new URL(options.url)
  } catch {
    throw new EngineError('ClickHouse: the URL does not parse (expected http://user:password@host:8123/?database=name)')
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new EngineError(`ClickHouse: expected an http:// or https:// URL, got ${endpoint.protocol}`)
  const user = decodeURIComponent(endpoint.username) || 'default'
  const password = decodeURIComponent(endpoint.password)
  endpoint.username = ''
  endpoint.password = ''
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'text/plain; charset=utf-8' }
  const post = async (sql: string): Promise<Response> => {
    let response: Response
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body: sql })
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      throw fail(cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)))
    }
    if (!response.ok) throw fail((await response.text()).trim())
    return response
  }
  await (await post('SELECT 1')).text()
  return {
    dialect: 'clickhouse',
    describe: where,
    async *rows(sql: string) {
      const response = await post(`${sql}\nFORMAT JSONEachRow`)
      if (response.body === null) return
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
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n')
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
      const body = (await (await post(`SELECT * FROM (${sql}) LIMIT 0\nFORMAT JSONCompact`)).json()) as { meta?: ReadonlyArray<{ name: string; type: string }> }
      return (body.meta ?? []).map((m) => ({ name: m.name, type: m.type }))
    },
    close: async () => undefined,
  }
}
