// The runnable examples, run as their header comments say (they import the built package: skipped before
// `npm run build`; CI builds first). Each answers one request to itself and prints the cookie and the page.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const built = existsSync(join(root, 'dist/edge.js')) && existsSync(join(root, 'dist/node.js'))
const bin = (name: string) => join(root, 'node_modules/.bin', name)

const run = (command: string, args: ReadonlyArray<string>) => {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, RUN_ONCE: '1', PORT: '0', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

const COOKIE = /tp_uid=[0-9a-f-]{36}; Path=\/; Max-Age=\d+;/

describe.skipIf(!built)('examples', () => {
  it('express-server.ts serves a page with the cookie and logs the exposure', () => {
    const { status, out } = run(bin('tsx'), ['examples/express-server.ts'])
    expect(status, out).toBe(0)
    expect(out).toMatch(COOKIE)
    expect(out).toMatch(/exposures: hero=(control|big|video)/)
    expect(out).toMatch(/<h1>hero: (control|big|video)<\/h1>/)
  })

  it('cloudflare-worker.ts runs in workerd with its config from KV', () => {
    const { status, out } = run(bin('tsx'), ['examples/serve-worker.ts', 'cloudflare'])
    expect(status, out).toBe(0)
    expect(out).toMatch(COOKIE)
    const assignments = [...out.matchAll(/x-touchpoint-assignments: (\S+)/g)].map((m) => m[1])
    expect(assignments).toHaveLength(2)
    expect(assignments[0]).toBe(assignments[1]) // the returning visitor keeps the variants
    expect(assignments[0]).toMatch(/^hero=(control|big|video)/)
  })

  it('vercel-middleware.ts runs in edge-runtime: no cookie without consent, stable variants with it', () => {
    const { status, out } = run(bin('tsx'), ['examples/serve-worker.ts', 'vercel'])
    expect(status, out).toBe(0)
    const sections = out.split('\n\n')
    expect(sections.find((s) => s.startsWith('new visitor, no consent'))).not.toMatch(/set-cookie/)
    expect(sections.find((s) => s.startsWith('new visitor, consent given'))).toMatch(COOKIE)
    const forwarded = [...out.matchAll(/x-middleware-request-x-touchpoint-assignments: (\S+)/g)].map((m) => m[1])
    expect(forwarded).toHaveLength(3)
    expect(forwarded[1]).toBe(forwarded[2])
  })

  it.each([
    ['deno.ts', 'deno', ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'examples/deno.ts']],
    ['bun.ts', 'bun', ['examples/bun.ts']],
  ] as const)('%s serves a JSON page with the cookie', (_, runtime, args) => {
    const { status, out } = run(bin(runtime), args)
    expect(status, out).toBe(0)
    expect(out).toMatch(COOKIE)
    expect(out).toMatch(/"hero":"(control|big|video)"/)
    // The config loaded: a fallback to control would also match the line above.
    expect(out).toMatch(/"error":null/)
  })
})
