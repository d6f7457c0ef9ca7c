/**
 * The edge entry as a worker bundles it: esbuild, minified, tree-shaken, platform neutral, main fields
 * module,main; gzip -9 through node:zlib. Bytes are deterministic, so budgets are exact.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bundle } from '../../scripts/build/bundle'

const root = resolve(__dirname, '../..')
// 5 KB until the adapters checked their options when built and answered anything plain JavaScript hands them
// (issue 10): the option check costs about 530 B min+gzip in every worker, the guards about 450 B. Issue 15 asked
// for 4.5 KB; with the guards kept it cannot be had (see the sizes below). The sticky hook, forward/finish
// without copies and options.parse added about 235 B; the Lambda@Edge viewer request now builds on `decider`
// (no finish/wrap), 139 B lighter than before. Issue 15 (a lighter edge) added about 65 B to every worker: the
// default Cloudflare handler's single copy (fetch(request, { headers })), no waitUntil and no clock read without a
// sink. The cheaper request path (e15e: no URLSearchParams for plain keys, experiments found once per load, no
// per-request expose/flush without a sink) paid for itself with smaller code elsewhere in web.ts. Largest: Vercel
// 6137 B (7 B under), Netlify 6132, Deno 6088, Cloudflare 6077 (6085 from dist), Bun 6043, Lambda@Edge pair 6033.
// stickyCookie itself is about 1.2 KB more. What a Cloudflare worker holds (esbuild metafile, bytes of minified
// output): adapters/web 5.6 K, adapters/options 2.3 K, assignment/assign 1.8 K, build 1.5 K, hash 0.9 K,
// compiled 0.8 K, native 0.8 K, exposure 0.5 K. Taking out the option check, forced variants, the compiled stamp
// check and exposures together saves under 900 B min+gzip: 4.5 KB needed features passed as values, which the lean
// `edgeWorker` below does (e15g); the constructors above keep their options bag and this budget.
// 6.5 KB since the request path got lighter (e15h, issue 15's per-request targets): deciding without awaiting a config
// promise it saw settle, the assignments header from per-load pairs and the cookie scanner took every worker about
// 400 B over 6 KB (Cloudflare 6,081 -> 6,481, Vercel 6,144 -> 6,539) for a handler-only cost in Node, from dist, of
// 1.55-1.62x -> 1.32-1.44x a bare fetch handler for a returning visitor and 1.8-1.9x -> 1.56-1.67x for a new one
// (benchmarks/edge.bench.ts, CPU time, interleaved rounds, load 7-9 on 2 cores). The lean worker's 4.5 KB below
// does not move. e15i (ids checked once, no closure per finished response, the assignments array sized once):
// Cloudflare 6,492 -> 6,503 B from the sources, 6,502 from dist; Vercel 6,563 from dist.
const BUDGET = 6.5 * 1024
// Issue 15's 4.5 KB, for the lean worker (edgeWorker: options every worker needs, the rest as feature values it
// imports only when used): config from KV, every experiment assigned, id cookie, request passed on, errors
// reported, options checked. 4,590 B when added (esbuild metafile, minified: edgeWorker 3.1 K, assign 1.8 K, build
// 1.5 K, hash 0.9 K, compiled 0.8 K, native 0.8 K, webConfig 0.8 K, webHeaders 0.4 K, options 0.3 K); 4,604 B from
// dist with the lighter request path (e15h: no await for a settled config, headers and cookies written in place
// where they are mutable), paid for with smaller code in edgeWorker, webConfig and the cookie reader. Still 4,604 B
// (e15i) with the handler's answer awaited only when it is a promise (about 13 B), paid for with shorter code in
// edgeWorker and a shorter message for a feature that is not one.
const LEAN_BUDGET = 4.5 * 1024
const LEAN_WORKER = `export { edgeWorker, kvBinding } from './src/edge'`

/** Imports of Node built-ins left in bundled code, in any of the forms a bundler leaves them. */
const nodeImports = (code: string) => [...code.matchAll(/(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["'](node:[\w/]+|fs|path|crypto|stream|http|os|zlib|buffer|events)["']/g)].map((m) => m[1])

// What a worker in each runtime imports from 'touchpoint/edge'.
const workers: ReadonlyArray<readonly [string, string]> = [
  ['Cloudflare Workers', `export { cloudflareWorker, kvBinding } from './src/edge'`],
  ['Vercel / Next.js middleware', `export { nextMiddleware, edgeConfig } from './src/edge'`],
  ['Deno', `export { denoHandler, denoKvConfig } from './src/edge'`],
  ['Bun', `export { bunHandler, bunFileConfig } from './src/edge'`],
  ['Netlify Edge', `export { netlifyEdge, urlConfig } from './src/edge'`],
  ['Lambda@Edge', `export { viewerRequest, viewerResponse, inlineConfig } from './src/edge'`],
]

describe('edge bundle', () => {
  it('the whole edge entry has no Node built-in, no require, no jStat and nothing from src/stats', async () => {
    const b = await bundle(`export * from './src/edge'`)
    expect(nodeImports(b.code)).toEqual([])
    expect(b.code).not.toMatch(/\brequire\s*\(/)
    expect(b.code).not.toContain('jStat')
    expect(b.inputs.filter((i) => /src\/stats\/|jstat|src\/cli\//.test(i))).toEqual([])
    console.log(`edge entry, every export kept: ${b.code.length} B min, ${b.gzip} B min+gzip`)
  })

  it('the node entry is the one that carries the Node built-ins (the check above can fail)', async () => {
    const b = await bundle(`export { fileConfig, nodeListener } from './src/adapters/node'`)
    expect(nodeImports(b.code)).toEqual(expect.arrayContaining(['node:fs/promises']))
  })

  it.skipIf(!existsSync(join(root, 'dist/edge.js')) && process.env['CI'] !== 'true')('the built dist/edge.js has no Node built-in and no jStat, and a worker from it fits the budget', async () => {
    const b = await bundle(`export * from './dist/edge.js'`)
    expect(nodeImports(b.code)).toEqual([])
    expect(b.code).not.toContain('jStat')
    const worker = await bundle(`export { cloudflareWorker, kvBinding } from './dist/edge.js'`)
    expect(nodeImports(worker.code)).toEqual([])
    console.log(`Cloudflare worker from dist/edge.js: ${worker.code.length} B min, ${worker.gzip} B min+gzip`)
    // What users get from npm: the built file, tree-shaken by their bundler, within the same budget.
    expect(worker.gzip).toBeLessThanOrEqual(BUDGET)
    const lean = await bundle(`export { edgeWorker, kvBinding } from './dist/edge.js'`)
    console.log(`lean worker from dist/edge.js: ${lean.code.length} B min, ${lean.gzip} B min+gzip`)
    expect(lean.gzip).toBeLessThanOrEqual(LEAN_BUDGET)
  })

  it.each(workers)('a %s worker has no Node built-in', async (_, contents) => {
    const b = await bundle(contents)
    expect(nodeImports(b.code)).toEqual([])
    console.log(`${_}: ${b.code.length} B min, ${b.gzip} B min+gzip`)
  })

  // The default config loader takes compiled configs (validated when published), so no validator ships here.
  it.each(workers)('a %s worker fits the budget min+gzip, config loading included', async (_, contents) => {
    const b = await bundle(contents)
    expect(b.gzip).toBeLessThanOrEqual(BUDGET)
  })
})

// docs/adapters.md, "Size": every row is what this bundles (KB = 1024 bytes, one decimal). The peers resolve their
// worker/browser builds, as an edge bundler (and benchmarks/edge.bench.ts) picks them.
const peers = { conditions: ['worker', 'browser', 'import'] }
const sizeRows: ReadonlyArray<readonly [label: string, contents: string, options?: { readonly conditions: ReadonlyArray<string> }]> = [
  ['a Cloudflare worker from the built `dist/edge.js`, compiled-config loading included', `export { cloudflareWorker, kvBinding } from './dist/edge.js'`],
  ['the same from the sources', `export { cloudflareWorker, kvBinding } from './src/edge'`],
  ['the lean worker (`edgeWorker`, no features) from the built `dist/edge.js`', `export { edgeWorker, kvBinding } from './dist/edge.js'`],
  ['the lean worker with `exposures` and `forceParam`', `export { edgeWorker, kvBinding, exposures, forceParam } from './dist/edge.js'`],
  [
    'the same validating raw configs at the edge (`decode: decodeConfig`)',
    `import { cloudflareWorker, decodeConfig, kvBinding } from './src/edge'; export default cloudflareWorker({ config: kvBinding('CONFIG', 'experiments', { decode: decodeConfig }) })`,
  ],
  ['GrowthBook SDK (`GrowthBook` + `run`, what its edge workers bundle)', `import { GrowthBook } from '@growthbook/growthbook'; export const f = (a, x) => new GrowthBook({ attributes: a }).run(x)`, peers],
  ['Optimizely `universal` entry (`createInstance`)', `export { createInstance, createStaticProjectConfigManager } from '@optimizely/optimizely-sdk/universal'`, peers],
]
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

describe('lean edge worker', () => {
  it('a minimal edgeWorker (config from KV, default features) fits 4.5 KB min+gzip and has no Node built-in', async () => {
    const b = await bundle(LEAN_WORKER)
    expect(nodeImports(b.code)).toEqual([])
    console.log(`lean Cloudflare worker: ${b.code.length} B min, ${b.gzip} B min+gzip`)
    expect(b.gzip).toBeLessThanOrEqual(LEAN_BUDGET)
  })

  it('an unused feature is not bundled: the exposure queue and forced variants come only with exposures and forceParam', async () => {
    // Strings only that code has: the sink failure (exposure queue), the query lookup (forced variants), HMAC (sticky).
    const marks = (code: string) => ['a sink that takes the batch', 'searchParams', 'HMAC'].filter((m) => code.includes(m))
    expect(marks((await bundle(LEAN_WORKER)).code)).toEqual([])
    const withFeatures = await bundle(`export { edgeWorker, kvBinding, exposures, forceParam } from './src/edge'`)
    expect(marks(withFeatures.code)).toEqual(['a sink that takes the batch', 'searchParams'])
    console.log(`lean worker with exposures and forceParam: ${withFeatures.gzip} B min+gzip`)
  })
})

describe('docs/adapters.md Size table', () => {
  it.skipIf(!existsSync(join(root, 'dist/edge.js')) && process.env['CI'] !== 'true')('shows the sizes these bundles have', async () => {
    const doc = readFileSync(join(root, 'docs/adapters.md'), 'utf8').split('\n')
    const shown = (label: string) => doc.find((line) => line.startsWith(`| ${label} |`))
    for (const [label, contents, options] of sizeRows) {
      const b = await bundle(contents, options)
      expect(shown(label)).toBe(`| ${label} | ${kb(b.minified)} | ${kb(b.gzip)} |`)
    }
  })
})
