/**
 * The edge: what a worker ships and what a request costs.
 *
 * Sizes: each entry is bundled as a worker would be (esbuild, minify, tree-shaking, platform neutral, main fields
 * module,main), then gzip -9 and brotli:
 * - touchpoint's whole edge entry (every export kept), a Cloudflare worker importing `cloudflareWorker` and
 *   `kvBinding` (compiled-config loading included), and the lean worker (`edgeWorker` and `kvBinding`, the one
 *   within issue 15's 4.5 KB, which also has rows of its own per request);
 * - GrowthBook: the SDK its edge workers (`@growthbook/edge-cloudflare`) are built on, `GrowthBook` + `run`;
 * - Optimizely: the `universal` entry (its edge/lite build in v6, no Node built-ins), `createInstance` +
 *   a static config manager.
 * Time: one request's decision (cookie, two experiments assigned, exposures queued) against GrowthBook's
 * edge pattern (a `GrowthBook` per request, `run` per experiment). Per request in Node's Fetch API, a floor beside
 * the wrappers: the undici work any wrapper that forwards a decision does (cookie read, two headers set; for a new
 * visitor an id minted and a Set-Cookie appended) with none of touchpoint's, so the ratio splits into undici's
 * share and ours.
 * Run: npx tsx benchmarks/edge.bench.ts
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { GrowthBook } from '@growthbook/growthbook'
import { compileConfig, inlineConfig, touchpoint } from '../src/edge'
import { bundle } from '../scripts/build/bundle'
import { consume, print, type Row } from './_harness'

const root = fileURLToPath(new URL('..', import.meta.url))

const BATCH = 256
const experiments: ReadonlyArray<{ key: string; coverage?: number; variants: ReadonlyArray<{ key: string; weight?: number }> }> = [
  { key: 'checkout-button', variants: [{ key: 'control' }, { key: 'green' }] },
  { key: 'hero', coverage: 0.8, variants: [{ key: 'control', weight: 0.2 }, { key: 'big', weight: 0.3 }, { key: 'video', weight: 0.5 }] },
]
// Published compiled, as the edge adapters expect; a config that fails to load would time an empty decision.
const compiled = compileConfig({ experiments })
if (E.isLeft(compiled)) throw new Error('benchmark config does not compile')

// Per request: the wrapper (`touchpoint(...).wrap(handler)`, `edgeWorker(...)`) against the same handler bare. A
// returning visitor brings the id cookie; a new visitor gets one minted and written.
const handler = () => new Response('ok')
const returning = Array.from({ length: BATCH }, (_, i) => new Request('https://shop.test/', { headers: { cookie: `a=1; tp_uid=visitor-${i}`, 'user-agent': 'bench' } }))
const newcomers = Array.from({ length: BATCH }, () => new Request('https://shop.test/', { headers: { 'user-agent': 'bench' } }))

// Time on CPU, not on the wall: helpers share two cores here, and a process waiting for a core would charge the
// wait to whichever case it was running. This process: process.cpuUsage (getrusage, µs, every thread: GC
// included). workerd: its threads' run time in ns from /proc/PID/task/T/schedstat, read when it sits idle after a
// dispatch (for a running thread that count only moves at scheduler ticks). Elsewhere the wall clock stands in.
const cpuNs = (pid: number): number => {
  try {
    let ns = 0
    for (const t of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0])
    return ns
  } catch {
    return performance.now() * 1e6
  }
}
const clock = existsSync('/proc/self/task') ? 'CPU time' : 'wall clock'
const ownNs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) * 1000
}
const perRequest = async (run: (r: Request) => Response | Promise<Response>, requests: ReadonlyArray<Request>): Promise<number> => {
  const t0 = ownNs()
  let n = 0
  for (const r of requests) n += (await run(r)).status
  consume(n)
  return (ownNs() - t0) / requests.length
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Per request, in ns: the bare handler's and each case's rounds, and each round's ratio of the case to the bare handler. */
interface Rounds {
  readonly bare: ReadonlyArray<number>
  readonly cases: ReadonlyArray<{ readonly ns: ReadonlyArray<number>; readonly ratio: ReadonlyArray<number> }>
}
/**
 * Interleaved rounds: each round times the bare handler and every case once, so a busy machine slows both sides of
 * each ratio alike; the order flips every round (bare first, then last), so garbage one side leaves is collected as
 * often in the other's time as in its own. `warm` warm-up rounds first, run the same way.
 */
const interleaved = async <C extends string>(time: (which: 'bare' | C) => Promise<number>, cases: ReadonlyArray<C>, ms: number, minRounds: number, warm = 4): Promise<Rounds> => {
  const bare: Array<number> = []
  const each = cases.map(() => ({ ns: [] as Array<number>, ratio: [] as Array<number> }))
  const round = async (flip: boolean) => {
    const ns = new Map<'bare' | C, number>()
    for (const which of flip ? [...cases, 'bare' as const].reverse() : ['bare' as const, ...cases]) ns.set(which, await time(which))
    return ns
  }
  for (let r = 0; r < warm; r++) await round(r % 2 === 1)
  const until = performance.now() + ms
  while (performance.now() < until || bare.length < minRounds) {
    const ns = await round(bare.length % 2 === 1)
    const b = ns.get('bare')!
    bare.push(b)
    cases.forEach((c, i) => (each[i]!.ns.push(ns.get(c)!), each[i]!.ratio.push(ns.get(c)! / b)))
  }
  return { bare, cases: each }
}

// Node's Fetch API, handler only: each case runs in a process of its own (this file again, with
// TP_BENCH_EDGE_CASE), against the bare handler in the same process. In one process shared by every case, the bare
// handler's call sites saw every wrapper (megamorphic), each case ran after the others' JIT state and garbage, and the
// ratios moved with the order of the cases (1.30-1.39 for one wrapper): here both sides of a ratio warm up and run
// alike, and nothing else runs in the process.
const CHILD = process.env['TP_BENCH_EDGE_CASE']
// The floor: what any wrapper that forwards a decision pays in undici whatever it decides, with none of
// touchpoint's code: read the cookie header, set the two forwarded headers (values as long as the wrapper's), call
// the handler; a new visitor also gets an id minted and a Set-Cookie appended to the response.
const FLOOR_ASSIGNMENTS = 'checkout-button=green&hero=video'
const floor = (request: Request): Response => {
  const cookie = request.headers.get('cookie')
  const at = cookie === null ? -1 : cookie.indexOf('tp_uid=')
  const id = at < 0 ? crypto.randomUUID() : cookie!.slice(at + 7)
  request.headers.set('x-touchpoint-unit', id)
  request.headers.set('x-touchpoint-assignments', FLOOR_ASSIGNMENTS)
  const response = handler()
  if (at < 0) response.headers.append('set-cookie', `tp_uid=${id}; Path=/; Max-Age=34560000; Secure; HttpOnly; SameSite=Lax`)
  return response
}
if (CHILD !== undefined) {
  const [from, visitor] = CHILD.split(' ') as [string, string]
  const m: typeof import('../src/edge') = from === 'src' ? await import('../src/edge') : await import(`${root}dist/edge.js`)
  const options = { config: m.inlineConfig(compiled.right), report: () => undefined }
  const lean = m.edgeWorker(options, handler)
  const run = from === 'floor' ? floor : from === 'lean' ? (r: Request) => lean.fetch(r, undefined) : m.touchpoint(options).wrap(handler)
  await run(returning[0]!) // loads the config, as the first request of an isolate does
  const rounds = await interleaved((which) => perRequest(which === 'bare' ? handler : run, which === 'bare' || visitor === 'returning' ? returning : newcomers), ['case'], 3000, 30, 20)
  console.log(JSON.stringify(rounds))
  process.exit(0)
}

// The peers' packages resolve their worker/browser builds, as an edge bundler would pick them.
const sizeOf = async (contents: string) => {
  const b = await bundle(contents, { conditions: ['worker', 'browser', 'import'] })
  return { min: b.minified, gzip: b.gzip, brotli: b.brotli }
}

const entries: ReadonlyArray<readonly [string, string]> = [
  ['touchpoint edge entry (all exports)', `export * from './src/edge'`],
  ['touchpoint Cloudflare worker', `export { cloudflareWorker, kvBinding } from './src/edge'`],
  ['touchpoint lean worker (edgeWorker)', `export { edgeWorker, kvBinding } from './src/edge'`],
  ['touchpoint assign only (no decoding)', `export { assignTo, makeAssigner } from './src/edge'`],
  // What npm users get: the built entry (npm run bench builds first).
  ...(existsSync(`${root}dist/edge.js`) ? [['touchpoint Cloudflare worker, dist', `export { cloudflareWorker, kvBinding } from './dist/edge.js'`] as const] : []),
  ['GrowthBook SDK (GrowthBook, run)', `import { GrowthBook } from '@growthbook/growthbook'; export const f = (a, x) => new GrowthBook({ attributes: a }).run(x)`],
  ['Optimizely universal (createInstance)', `export { createInstance, createStaticProjectConfigManager } from '@optimizely/optimizely-sdk/universal'`],
]

const sizes = []
for (const [name, contents] of entries) sizes.push({ name, ...(await sizeOf(contents)) })
const base = sizes[1]!.gzip
console.log('\nEdge bundle sizes (bytes; ratio = gzip / touchpoint Cloudflare worker gzip)')
console.log(`${'bundle'.padEnd(40)}${'min'.padStart(9)}${'gzip -9'.padStart(9)}${'brotli'.padStart(9)}${'ratio'.padStart(8)}`)
for (const s of sizes) {
  console.log(`${s.name.padEnd(40)}${String(s.min).padStart(9)}${String(s.gzip).padStart(9)}${String(s.brotli).padStart(9)}${(s.gzip / base).toFixed(2).padStart(8)}`)
}

const tp = touchpoint({ config: inlineConfig(compiled.right), report: () => undefined })
const requests = Array.from({ length: BATCH }, (_, i) => new Request('https://shop.test/', { headers: { cookie: `a=1; tp_uid=visitor-${i}-${(i * 2654435761) >>> 0}` } }))
const gbExperiments = experiments.map((x) => ({ key: x.key, variations: x.variants.map((v) => v.key), coverage: x.coverage ?? 1, weights: x.variants.map((v) => v.weight ?? 1 / x.variants.length) }))
const first = await tp.decide(requests[0]!) // load the config once, as the first request of an isolate does
if (first.error !== undefined || first.assignments.length !== experiments.length) throw new Error('benchmark config did not load')

const cookieId = (request: Request) => /(?:^|;\s*)tp_uid=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1]

// The harness's tinybench runner takes synchronous cases; decide is async (the config source is), so this table
// is timed by hand the same way: a batch of requests per round, the median round, per request.
const medianPerRequest = async (run: () => unknown): Promise<number> => {
  const rounds: Array<number> = []
  const until = performance.now() + 1500
  while (performance.now() < until || rounds.length < 20) {
    const t0 = performance.now()
    consume(await run())
    rounds.push((performance.now() - t0) / BATCH)
  }
  rounds.sort((a, b) => a - b)
  return rounds[Math.floor(rounds.length / 2)]! * 1e6
}

const cases: ReadonlyArray<readonly [string, () => unknown]> = [
  [
    'touchpoint decide',
    async () => {
      let n = 0
      for (const r of requests) n += (await tp.decide(r)).assignments.length
      return n
    },
  ],
  [
    'GrowthBook per request',
    () => {
      let n = 0
      for (const r of requests) {
        const gb = new GrowthBook({ attributes: { id: cookieId(r) } })
        for (const x of gbExperiments) n += gb.run(x as never).variationId
      }
      return n
    },
  ],
]
const rows: Array<Row> = []
for (const [name, run] of cases) rows.push({ name, medianNs: await medianPerRequest(run), ratio: 1 })
print(
  'One request: read the id cookie, assign two experiments (median per request)',
  rows.map((r) => ({ ...r, ratio: r.medianNs / rows[0]!.medianNs })),
  'touchpoint decide',
)

// ---------------------------------------------------------------------------------------------------------------
// Per request: the wrapper against the same handler bare, in Node's Fetch API and in workerd (see `interleaved`);
// the figure is the median over rounds of (wrapped / bare) per request.
// ---------------------------------------------------------------------------------------------------------------
const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`
const WRAPPED = [
  ['wrapped, returning visitor', 'returning'],
  ['wrapped, new visitor (mint + cookie)', 'new'],
] as const
/** Interleaved rounds of the bare handler and `cases` (named as printed), printed as a table. */
const overhead = async <C extends string>(label: string, time: (which: 'bare' | C) => Promise<number>, ms: number, minRounds: number, cases: ReadonlyArray<readonly [string, C]>) => {
  const { bare, cases: each } = await interleaved(time, cases.map((c) => c[1]), ms, minRounds)
  console.log(`\n${label}: per request, ${clock} (median of ${bare.length} interleaved rounds)`)
  console.log(`${'case'.padEnd(44)}${'median'.padStart(12)}${'x bare (median of round ratios)'.padStart(34)}`)
  console.log(`${'bare handler'.padEnd(44)}${us(median(bare)).padStart(12)}${'1.00'.padStart(34)}`)
  cases.forEach(([name], i) => console.log(`${name.padEnd(44)}${us(median(each[i]!.ns)).padStart(12)}${median(each[i]!.ratio).toFixed(2).padStart(34)}`))
}

// Node's Fetch API, handler only, a process per case (CHILD above). The `dist` rows run the built dist/edge.js (what
// npm users get; npm run build); tsx runs src through its transform (a `__name` wrapper around every function was
// about a quarter of decide's profile), so the src rows are pessimistic. The lean worker (`edgeWorker` with its
// default features, the bundle that meets issue 15's 4.5 KB) has rows of its own.
{
  const dist = existsSync(`${root}dist/edge.js`)
  const nodeCases: ReadonlyArray<readonly [string, string]> = [
    ['floor (undici work only), returning visitor', 'floor returning'],
    ['floor (undici work only), new visitor', 'floor new'],
    ['wrapped, returning visitor', 'src returning'],
    ['wrapped, new visitor (mint + cookie)', 'src new'],
    ...(dist
      ? ([
          ['wrapped (dist), returning visitor', 'dist returning'],
          ['wrapped (dist), new visitor', 'dist new'],
          ['lean worker (dist), returning visitor', 'lean returning'],
          ['lean worker (dist), new visitor', 'lean new'],
        ] as const)
      : []),
  ]
  console.log(
    `\nNode's Fetch API, handler only (undici Request/Response, mutable headers; the handler answers new Response('ok')): per request, ${clock}, each case in a process of its own against the bare handler there (medians of interleaved rounds)${dist ? '' : '; no dist/edge.js: npm run build for the dist rows'}`,
  )
  console.log(`${'case'.padEnd(44)}${'bare'.padStart(12)}${'wrapped'.padStart(12)}${'x bare (median of round ratios)'.padStart(34)}`)
  for (const [name, which] of nodeCases) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { encoding: 'utf8', env: { ...process.env, TP_BENCH_EDGE_CASE: which }, maxBuffer: 1 << 24 })
    if (child.status !== 0) {
      console.log(`${name.padEnd(44)} failed: ${child.stderr.trim().split('\n').pop()}`)
      continue
    }
    const { bare, cases } = JSON.parse(child.stdout.trim().split('\n').pop()!) as Rounds
    console.log(`${name.padEnd(44)}${us(median(bare)).padStart(12)}${us(median(cases[0]!.ns)).padStart(12)}${median(cases[0]!.ratio).toFixed(2).padStart(34)}`)
  }
}

// As served through node:http, what `nodeListener` is for: a loopback server per side, one keep-alive client in
// this process sending M requests in a row. The bare side is the same plumbing without touchpoint (toWebRequest,
// the handler, writeResponse), so the ratio is what the adapter adds to a served fetch handler. The time is this
// process's CPU time, client included (as the workerd served case counts its driver worker).
{
  const { createServer, request: httpRequest, Agent } = await import('node:http')
  const { nodeListener, toWebRequest, writeResponse } = await import('../src/adapters/node')
  const listen = (listener: Parameters<typeof createServer>[1]) =>
    new Promise<{ port: number; close: () => void }>((done) => {
      const server = createServer(listener).listen(0, '127.0.0.1', () => done({ port: (server.address() as { port: number }).port, close: () => server.close() }))
    })
  // The bare handler ignores its request, but a served fetch handler is given one: the bare side builds it too.
  const bareConverting = await listen((req, res) => void Promise.resolve(toWebRequest(req)).then(() => writeResponse(res, handler())))
  const tpServer = await listen(nodeListener({ config: inlineConfig(compiled.right), report: () => undefined }, () => handler()))
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const get = (port: number, cookie: boolean) =>
    new Promise<number>((done, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent, headers: cookie ? { cookie: 'a=1; tp_uid=visitor-1', 'user-agent': 'bench' } : { 'user-agent': 'bench' } }, (res) => {
        res.resume()
        res.on('end', () => done(res.statusCode ?? 0))
      })
      req.on('error', fail)
      req.end()
    })
  const M = 100
  try {
    await overhead('node:http, as served (nodeListener against the same toWebRequest/writeResponse plumbing bare; client in-process)', async (which) => {
      const t0 = ownNs()
      let n = 0
      for (let i = 0; i < M; i++) n += await get(which === 'bare' ? bareConverting.port : tpServer.port, which !== 'new')
      consume(n)
      return (ownNs() - t0) / M
    }, 4000, 20, WRAPPED)
  } finally {
    agent.destroy()
    bareConverting.close()
    tpServer.close()
  }
}

if (process.env['TP_BENCH_WORKERD'] !== '0') {
  const { Miniflare } = await import('miniflare')
  const config = JSON.stringify(compiled.right)
  // The workerd process Miniflare started (a child of this one): its threads' run time is what a dispatch cost.
  const workerdPid = (): number => {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const [comm = '', rest = ''] = stat.slice(stat.indexOf('(') + 1).split(') ')
        if (comm.startsWith('workerd') && Number(rest.split(' ')[1]) === process.pid) return Number(pid)
      } catch {
        // gone meanwhile
      }
    }
    return -1
  }
  // Nanoseconds of workerd's CPU time for one dispatch (wall clock where /proc is missing).
  const dispatcher = (mf: InstanceType<typeof Miniflare>) => {
    const pid = existsSync('/proc/self/task') ? workerdPid() : -1
    return async (mode: string, n: number, cookie: boolean) => {
      const t0 = pid > 0 ? cpuNs(pid) : performance.now() * 1e6
      const response = await mf.dispatchFetch(`https://shop.test/?mode=${mode}&n=${n}`, { headers: cookie ? { cookie: 'a=1; tp_uid=visitor-1' } : {} })
      await response.text()
      return (pid > 0 ? cpuNs(pid) : performance.now() * 1e6) - t0
    }
  }
  /**
   * A workerd table: the driver worker behind `mf` runs `n` requests of a mode (`bare`, `tp`, `lean`) per dispatch;
   * a dispatch that runs none is taken off, and what is left is per request.
   */
  const workerdOverhead = async (label: string, mf: InstanceType<typeof Miniflare>, n: number, ms: number, minRounds: number) => {
    const dispatch = dispatcher(mf)
    const time = async (which: string) => {
      const empty = await dispatch('bare', 0, true)
      const ns = await dispatch(which === 'bare' ? 'bare' : which.startsWith('lean') ? 'lean' : 'tp', n, !which.endsWith('new'))
      return Math.max(ns - empty, 0) / n
    }
    await overhead(label, time, ms, minRounds, [...WRAPPED, ['lean worker, returning visitor', 'lean returning'], ['lean worker, new visitor', 'lean new']])
  }

  // 1. Handler only. One worker holds both handlers and runs N requests' worth of either in a loop over the request
  // it was sent (an incoming request: immutable headers and a `cf` object, as a real worker sees them). workerd's
  // clock stands still while a worker runs, so the time is taken outside, per dispatch, minus a dispatch that runs
  // nothing. The bare handler never touches the request; the wrapper must hand its handler a request carrying the
  // headers, and a copy of an incoming request clones its `cf` properties (most of the difference).
  const worker = await bundle(
    `import { edgeWorker, inlineConfig, touchpoint } from './src/edge'
     const handler = () => new Response('ok')
     const wrapped = touchpoint({ config: inlineConfig(${config}), report: () => undefined }).wrap(handler)
     const lean = edgeWorker({ config: inlineConfig(${config}), report: () => undefined }, handler)
     export default { async fetch(request, env, ctx) {
       const url = new URL(request.url), n = Number(url.searchParams.get('n')), mode = url.searchParams.get('mode')
       let s = 0
       for (let i = 0; i < n; i++) s += (await (mode === 'bare' ? handler(request) : mode === 'lean' ? lean.fetch(request, env, ctx) : wrapped(request, env, ctx))).status
       return new Response(String(s))
     } }`,
  )
  const mf = new Miniflare({ modules: true, script: worker.code, compatibilityDate: '2026-04-01' })
  await mf.ready
  if (clock === 'CPU time' && workerdPid() < 0) console.log('(workerd process not found: wall clock)')
  try {
    // Miniflare's own dispatch of a request it was sent runs through workerd per loop iteration as the `cf` clone of
    // the copied request; the bare handler only answers, so the wrapper's copy of an incoming request is most of
    // the ratio. It says what a request copy costs in workerd, not what touchpoint adds to a served worker: that is
    // the as-served table below.
    console.log('\n(workerd handler only: the bare side is a loop that never touches the request, the wrapped one must copy an incoming')
    console.log(' request (immutable headers, Miniflare\'s `cf` clone); the ratio is that copy, not what a served worker pays. The workerd')
    console.log(' figure is the as-served table that follows.)')
    await workerdOverhead("workerd, handler only (Miniflare; the handler answers new Response('ok'))", mf, 2000, 3000, 30)
  } finally {
    await mf.dispose()
  }

  // 2. As served, in front of an origin: what `cloudflareWorker` is for. A driver worker sends each request through
  // a service binding to the worker under test, as workerd hands a worker its requests; the bare worker is
  // `{ fetch: (request) => fetch(request) }` and ours `cloudflareWorker(options)` with its default handler, both
  // passing the request to an origin worker (their outbound fetch) that answers 'ok'. Both sides do the same
  // request/response plumbing: one request in, one subrequest out, one response back.
  const tpWorker = await bundle(`import { cloudflareWorker, inlineConfig } from './src/edge'
     export default cloudflareWorker({ config: inlineConfig(${config}), report: () => undefined })`)
  const leanWorker = await bundle(`import { edgeWorker, inlineConfig } from './src/edge'
     export default edgeWorker({ config: inlineConfig(${config}), report: () => undefined })`)
  const common = { modules: true, compatibilityDate: '2026-04-01' }
  const served = new Miniflare({
    workers: [
      {
        ...common,
        name: 'driver',
        serviceBindings: { BARE: 'bare', TP: 'tp', LEAN: 'lean' },
        script: `export default { async fetch(request, env) {
          const url = new URL(request.url), n = Number(url.searchParams.get('n')), mode = url.searchParams.get('mode'), target = mode === 'bare' ? env.BARE : mode === 'lean' ? env.LEAN : env.TP
          let s = 0
          for (let i = 0; i < n; i++) { const r = await target.fetch(request); s += r.status; await r.arrayBuffer() }
          return new Response(String(s))
        } }`,
      },
      { ...common, name: 'bare', outboundService: 'origin', script: `export default { fetch: (request) => fetch(request) }` },
      { ...common, name: 'tp', outboundService: 'origin', script: tpWorker.code },
      { ...common, name: 'lean', outboundService: 'origin', script: leanWorker.code },
      { ...common, name: 'origin', script: `export default { fetch: (request) => new Response('ok') }` },
    ],
  })
  await served.ready
  try {
    await workerdOverhead('workerd, as served in front of an origin (Miniflare; service binding in, fetch to an origin worker out)', served, 200, 6000, 20)
  } finally {
    await served.dispose()
  }
}
