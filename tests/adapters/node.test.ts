import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { test } from '@fast-check/vitest'
import { arbReceivedHeaders } from './_headers'
import { ASSIGNMENTS_HEADER, UNIT_HEADER, configSource, decisionOf, expressMiddleware, fastifyPlugin, fileConfig, inlineConfig, loadConfigFile, nodeListener, readAssignments } from '../../src/adapters/node'

const CONFIG = { version: 'n1', experiments: [{ key: 'hero', variants: [{ key: 'control' }, { key: 'big' }] }] }
const dir = mkdtempSync(join(tmpdir(), 'tp-node-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const listen = async (server: ReturnType<typeof createServer>) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) }
}

describe('node config files', () => {
  it('config text is read strictly: a key given twice is a failed load naming it, its line and column', async () => {
    const text = '{\n  "experiments": [],\n  "experiments": [{ "key": "hero", "variants": [{ "key": "a" }, { "key": "b" }] }]\n}'
    for (const source of [inlineConfig(text), configSource(() => text)]) {
      const state = await source.get(undefined)
      expect(state.assigner).toBeUndefined()
      expect(state.error).toMatchObject({ issues: [{ path: 'experiments', expected: expect.stringContaining('each key once'), line: 3, column: 3 }] })
    }
  })

  it('fileConfig picks up edits without a restart and keeps the last good config through a bad edit or a missing file', async () => {
    const path = join(dir, 'experiments.json')
    writeFileSync(path, JSON.stringify(CONFIG))
    const source = fileConfig(path)
    expect((await source.get(undefined)).assigner?.version).toBe('n1')
    writeFileSync(path, JSON.stringify({ ...CONFIG, version: 'n2' }))
    expect((await source.get(undefined)).assigner?.version).toBe('n1') // within the TTL
    expect((await source.reload(undefined)).assigner?.version).toBe('n2')
    writeFileSync(path, '{"experiments": [{"key": "x", "variants": []}]}')
    const bad = await source.reload(undefined)
    expect(bad.assigner?.version).toBe('n2')
    expect(bad.error).toEqual(expect.objectContaining({ _tag: 'InvalidInput' }))
    rmSync(path)
    const missing = await source.reload(undefined)
    expect(missing.assigner?.version).toBe('n2')
    expect(missing.error).toEqual(expect.objectContaining({ issues: [expect.objectContaining({ actual: expect.stringContaining('ENOENT') })] }))
  })

  it('loadConfigFile: a missing file is a Left naming the file', async () => {
    const r = await loadConfigFile(join(dir, 'nope.json'))
    expect(r).toEqual({ _tag: 'Left', left: expect.objectContaining({ issues: [expect.objectContaining({ file: join(dir, 'nope.json') })] }) })
  })
})

describe('node:http', () => {
  it('nodeListener passes bodies and every Set-Cookie through, and answers 500 when the handler throws', async () => {
    const server = createServer(
      nodeListener({ config: inlineConfig(CONFIG), newId: () => 'n-5' }, async (request, decision) => {
        if (request.method === 'DELETE') throw new Error('boom')
        const headers = new Headers({ 'x-body': await request.text(), 'x-unit': decision.unitId })
        headers.append('set-cookie', 'app=1')
        return new Response('ok', { status: 201, headers })
      }),
    )
    const { base, close } = await listen(server)
    try {
      const response = await fetch(`${base}/x`, { method: 'POST', body: 'payload' })
      expect(response.status).toBe(201)
      expect(response.headers.get('x-body')).toBe('payload')
      expect(response.headers.get('x-unit')).toBe('n-5')
      expect(response.headers.getSetCookie()).toEqual(['app=1', expect.stringMatching(/^tp_uid=n-5;/)])
      expect((await fetch(`${base}/x`, { method: 'DELETE' })).status).toBe(500)
    } finally {
      await close()
    }
  })
})

describe('express and fastify', () => {
  it('express middleware: decision and forwarded headers for the route (client copies replaced), cookie on the response, flush on close', async () => {
    const sink = vi.fn()
    const app = express()
    app.use(expressMiddleware({ config: inlineConfig(CONFIG), sink, newId: () => 'n-6' }))
    app.get('/', (req, res) => {
      res.json({ unit: req.headers[UNIT_HEADER], assignments: readAssignments({ get: (n) => String(req.headers[n]) }), variant: decisionOf(req)?.variant('hero') })
    })
    const { base, close } = await listen(createServer(app))
    try {
      const response = await fetch(base, { headers: { [UNIT_HEADER]: 'spoofed', [ASSIGNMENTS_HEADER]: 'hero=evil' } })
      const body = (await response.json()) as { unit: string; assignments: Record<string, string>; variant: string }
      expect(body.unit).toBe('n-6')
      expect(body.assignments).toEqual({ hero: body.variant })
      expect(['control', 'big']).toContain(body.variant)
      expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^tp_uid=n-6;/)])
      await vi.waitFor(() => expect(sink).toHaveBeenCalledTimes(1))
    } finally {
      await close()
    }
  })

  it('fastify plugin: applies to routes registered outside it, sets the cookie and the request headers', async () => {
    const app = Fastify()
    await app.register(fastifyPlugin({ config: inlineConfig(CONFIG), responseHeader: true }))
    app.get('/', async (request) => ({ unit: request.headers[UNIT_HEADER], variant: decisionOf(request.raw)?.variant('hero') }))
    try {
      const response = await app.inject({ method: 'GET', url: '/', headers: { cookie: 'tp_uid=u-11' } })
      const body = response.json() as { unit: string; variant: string }
      expect(body.unit).toBe('u-11')
      expect(response.headers['set-cookie']).toBeUndefined()
      expect(readAssignments({ get: (n) => String(response.headers[n]) })).toEqual({ hero: body.variant })
    } finally {
      await app.close()
    }
  })
})

describe('client-sent touchpoint headers and any header bytes', () => {
  const rawGet = (base: string, head: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(base)
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(Buffer.from(`GET / HTTP/1.1\r\n${head}Connection: close\r\n\r\n`, 'latin1')))
      let out = ''
      socket.on('data', (b) => (out += b.toString('latin1')))
      socket.on('end', () => resolve(out))
      socket.on('error', reject)
      socket.setTimeout(5000, () => {
        socket.destroy()
        resolve(`no answer within 5 s (got ${JSON.stringify(out)})`)
      })
    })

  it('seen: express sees no client copy in req.headers, req.rawHeaders or req.headersDistinct', async () => {
    const app = express()
    app.use(expressMiddleware({ config: inlineConfig(CONFIG), newId: () => 'n-7' }))
    app.get('/', (req, res) => {
      const raw = req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())
      res.json({
        raw: req.rawHeaders.filter((_, i) => i % 2 === 1),
        rawUnitCount: raw.filter((n) => n === UNIT_HEADER).length,
        distinct: req.headersDistinct[UNIT_HEADER],
        header: req.headers[UNIT_HEADER],
      })
    })
    const { base, close } = await listen(createServer(app))
    try {
      const body = (await (await fetch(base, { headers: [[UNIT_HEADER, 'spoofed'], ['X-Touchpoint-Assignments', 'hero=evil']] })).json()) as {
        raw: string[]
        rawUnitCount: number
        distinct: string[]
        header: string
      }
      expect(body.raw).not.toContain('spoofed')
      expect(body.raw.join(' ')).not.toContain('evil')
      expect(body.rawUnitCount).toBe(1)
      expect(body.distinct).toEqual(['n-7'])
      expect(body.header).toBe('n-7')
    } finally {
      await close()
    }
  })

  it('seen: three client copies, two replaced: express reads headersDistinct after rawHeaders shrank (seed 2065965583)', async () => {
    // Node builds headersDistinct lazily from the header count it first saw; rawHeaders shrinking by one pair made
    // that read walk past its end and answer 500.
    const app = express()
    app.use(expressMiddleware({ config: inlineConfig(CONFIG), newId: () => 'n-8' }))
    app.get('/', (req, res) => res.json({ distinct: req.headersDistinct[UNIT_HEADER], header: req.headers[UNIT_HEADER] }))
    const { base, close } = await listen(createServer(app))
    try {
      const head = `${ASSIGNMENTS_HEADER}: \r\n${UNIT_HEADER}: tp_uid=u-1\r\nHost: \r\n${UNIT_HEADER}: \r\n`
      const answer = await rawGet(base, head)
      expect(answer).toMatch(/^HTTP\/1\.1 200/)
      expect(answer).toContain('{"distinct":["n-8"],"header":"n-8"}')
    } finally {
      await close()
    }
  })

  it('fastify: request.headers and request.raw.rawHeaders carry the adapter values only', async () => {
    const app = Fastify()
    await app.register(fastifyPlugin({ config: inlineConfig(CONFIG) }))
    app.get('/', async (request) => ({ header: request.headers[UNIT_HEADER], raw: request.raw.rawHeaders }))
    try {
      const response = await app.inject({ method: 'GET', url: '/', headers: { cookie: 'tp_uid=u-12', [UNIT_HEADER]: 'spoofed', [ASSIGNMENTS_HEADER]: 'hero=evil' } })
      const body = response.json() as { header: string; raw: string[] }
      expect(body.header).toBe('u-12')
      expect(body.raw).not.toContain('spoofed')
      expect(body.raw.join(' ')).not.toContain('evil')
    } finally {
      await app.close()
    }
  })

  it('node:http: a Host header that makes no URL is answered, not an uncaught exception', async () => {
    const server = createServer(nodeListener({ config: inlineConfig(CONFIG) }, (request) => new Response(new URL(request.url).pathname)))
    const { base, close } = await listen(server)
    try {
      expect(await rawGet(base, 'Host: a b\r\n')).toMatch(/^HTTP\/1\.1 200/)
      expect(await rawGet(base, 'Host: [::1\r\n')).toMatch(/^HTTP\/1\.1 200/)
      // A host with credentials parses as a URL, but Fetch refuses to build a Request from it.
      expect(await rawGet(base, 'Host: a@b\r\n')).toMatch(/^HTTP\/1\.1 200/)
    } finally {
      await close()
    }
  })

  describe('any header bytes', () => {
    // The three servers are built once: building Express, Fastify and three listeners per run took most of the
    // property's time (over 10 s for 40 runs at load 20); the property is about the bytes, not the set-up.
    const bases: Array<string> = []
    const closers: Array<() => Promise<unknown>> = []
    beforeAll(async () => {
      const listener = nodeListener({ config: inlineConfig(CONFIG), idHeader: 'x-device-id' }, (_, d) => new Response(d.unitId))
      const app = express()
      app.use(expressMiddleware({ config: inlineConfig(CONFIG), idHeader: 'x-device-id' }))
      app.get('/', (_, res) => res.send('ok'))
      const fastify = Fastify()
      await fastify.register(fastifyPlugin({ config: inlineConfig(CONFIG), idHeader: 'x-device-id' }))
      fastify.get('/', async () => 'ok')
      await fastify.listen({ port: 0, host: '127.0.0.1' })
      closers.push(() => fastify.close())
      for (const server of [createServer(listener), createServer(app)]) {
        const { base, close } = await listen(server)
        bases.push(base)
        closers.push(close)
      }
      bases.push(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`)
    })
    afterAll(() => Promise.all(closers.map((close) => close())))

    test.prop([arbReceivedHeaders], { numRuns: 40 })('node:http, express and fastify answer any header bytes a client sends', async (headers) => {
      const head = headers.filter(([n]) => n.toLowerCase() !== 'connection' && n.toLowerCase() !== 'content-length' && n.toLowerCase() !== 'transfer-encoding').map(([n, v]) => `${n}: ${v}\r\n`).join('')
      for (const base of bases) {
        // The server may refuse a header (400, 431) as Node's parser does; it must answer either way.
        expect({ base, answer: await rawGet(base, head) }).toEqual({ base, answer: expect.stringMatching(/^HTTP\/1\.1 (200|400|431)/) })
      }
    })
  })
})
