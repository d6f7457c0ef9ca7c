/**
 * Starting each runtime once and talking to it, plus the scenario suite they all run. A runtime that cannot
 * start is skipped with the reason, except under CI (CI=true), where that is a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import golden from '../golden/runtime-assignments.json'

export const root = resolve(__dirname, '../..')

/** What a test sends and reads: one request in, one response out, whatever the transport. */
export interface Runtime {
  readonly send: (path: string, headers?: Record<string, string>) => Promise<Response>
  readonly stop: () => Promise<void>
}

/** Bundle an entry of tests/runtimes/entries for a runtime that loads plain JavaScript. */
export const bundle = async (entry: string, format: 'esm' | 'iife'): Promise<{ file: string; dir: string }> => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-runtime-'))
  const file = join(dir, `${entry}.js`)
  await build({
    entryPoints: [join(__dirname, 'entries', `${entry}.ts`)],
    outfile: file,
    bundle: true,
    format,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  })
  return { file, dir }
}

/** A runtime serving HTTP on 127.0.0.1 from a child process that prints `listening <port>`. */
export const spawnServer = (command: string, args: ReadonlyArray<string>, cleanup: () => void): Promise<Runtime> =>
  new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    })
    let output = ''
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`${command} did not start within 30 s: ${output}`))
    }, 30_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited (${code}) before listening: ${output}`))
    })
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\d+)/.exec(output)
      if (match === null) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.removeAllListeners('exit')
      const base = `http://127.0.0.1:${match[1]}`
      resolvePromise({
        send: (path, headers) => fetch(base + path, { headers: { host: 'shop.example.test', ...headers } }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => {
              cleanup()
              done()
            })
            child.kill()
          }),
      })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  })

/** The first path that exists, or undefined. */
export const firstExisting = (paths: ReadonlyArray<string>): string | undefined => paths.find((p) => existsSync(p))

export const removeDir = (dir: string) => () => rmSync(dir, { recursive: true, force: true })

interface Body {
  readonly runtime: string
  readonly unitId: string
  readonly fresh: boolean
  readonly variants: Record<string, string>
  readonly forwardedUnit: string | null
  readonly forwardedAssignments: Record<string, string>
}

const cookieOf = (response: Response): string | undefined => response.headers.getSetCookie().find((c) => c.startsWith('tp_uid='))

const idOf = (setCookie: string) => /^tp_uid=([^;]*)/.exec(setCookie)?.[1]

const expected = (variants: Record<string, string | null>) =>
  Object.fromEntries(Object.entries(variants).filter((e): e is [string, string] => e[1] !== null))

/**
 * The scenarios, the same in every runtime. `start` brings the runtime up once for the file.
 */
export const runtimeSuite = (name: string, start: () => Promise<Runtime>) =>
  describe(`runtime: ${name}`, () => {
    let runtime: Runtime | undefined
    let reason = ''
    beforeAll(async () => {
      try {
        runtime = await start()
      } catch (e) {
        reason = `${name} could not start: ${e instanceof Error ? e.message : String(e)}`
        if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: every runtime must run)`)
        console.warn(`SKIPPED runtime ${name}: ${reason}`)
      }
    })
    afterAll(async () => {
      await runtime?.stop()
    })

    const get = async (path: string, headers?: Record<string, string>) => {
      const response = await runtime!.send(path, headers)
      expect(response.status).toBe(200)
      return { response, body: (await response.json()) as Body }
    }

    test('a new visitor gets a cookie, the same id is assigned and forwarded, and the variant is stable', async (ctx) => {
      if (runtime === undefined) return ctx.skip(reason)
      const first = await get('/')
      const setCookie = cookieOf(first.response)
      expect(setCookie).toBeDefined()
      const id = idOf(setCookie!)!
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(first.body).toMatchObject({ runtime: name, unitId: id, fresh: true, forwardedUnit: id })
      expect(first.body.forwardedAssignments).toEqual(first.body.variants)
      expect(setCookie).toContain('Domain=example.test')
      expect(setCookie).toContain('Max-Age=3600')
      expect(setCookie).toMatch(/; Secure; HttpOnly; SameSite=Lax$/)
      const again = await get('/', { cookie: `other=1; tp_uid=${id}` })
      expect(again.body).toMatchObject({ unitId: id, fresh: false, variants: first.body.variants })
      expect(cookieOf(again.response)).toBeUndefined()
    })

    test('returning visitors keep their variants: the frozen unit id -> variant table', async (ctx) => {
      if (runtime === undefined) return ctx.skip(reason)
      const seen = await Promise.all(
        golden.table.map(async (row) => {
          const { response, body } = await get('/', { cookie: `tp_uid=${row.unitId}` })
          return { unitId: row.unitId, variants: body.variants, forwarded: body.forwardedAssignments, cookie: cookieOf(response) ?? null }
        }),
      )
      expect(seen).toEqual(golden.table.map((row) => ({ unitId: row.unitId, variants: expected(row.variants), forwarded: expected(row.variants), cookie: null })))
    })

    test('consent off: no cookie is set, the request is still assigned with one id', async (ctx) => {
      if (runtime === undefined) return ctx.skip(reason)
      const { response, body } = await get('/', { 'x-consent': 'no' })
      expect(response.headers.get('set-cookie')).toBeNull()
      expect(body.fresh).toBe(true)
      expect(body.forwardedUnit).toBe(body.unitId)
    })

    test('a bad cookie is replaced, never echoed', async (ctx) => {
      if (runtime === undefined) return ctx.skip(reason)
      for (const bad of ['x'.repeat(65), '"><script>alert(1)</script>', 'a%0d%0aSet-Cookie:%20admin=1', '']) {
        const { response, body } = await get('/', { cookie: `tp_uid=${bad}` })
        const setCookie = cookieOf(response)
        expect(setCookie).toBeDefined()
        expect(idOf(setCookie!)).toBe(body.unitId)
        expect(body.unitId).not.toBe(bad)
        expect(body.fresh).toBe(true)
        const everyHeader = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')
        if (bad !== '') expect(everyHeader).not.toContain(bad)
      }
    })

    test('the exposure sink is called once per request, each experiment once', async (ctx) => {
      if (runtime === undefined) return ctx.skip(reason)
      await get('/__sink')
      const row = golden.table.find((r) => r.variants['hero'] !== null && r.variants['checkout-button'] !== null)!
      await get('/', { cookie: `tp_uid=${row.unitId}` })
      const { body } = await get('/__sink')
      const batches = body as unknown as ReadonlyArray<ReadonlyArray<{ experiment: string; variant: string; unitId: string; configVersion: string }>>
      expect(batches).toHaveLength(1)
      expect(batches[0]!.map((x) => [x.experiment, x.variant, x.unitId, x.configVersion])).toEqual([
        ['checkout-button', row.variants['checkout-button'], row.unitId, 'runtime-golden-1'],
        ['hero', row.variants['hero'], row.unitId, 'runtime-golden-1'],
      ])
    })
  })
