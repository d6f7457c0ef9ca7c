/**
 * One entry's calls, in a worker thread so that the supervisor (surface.test.ts) can stop a call that never
 * returns. Before each call the worker writes the export's index and the call's number to shared memory; when
 * they stop changing, the supervisor terminates the worker, records a hang there, and starts a new worker
 * after it. Every call is generated from (seed, export, call number) alone, so any call can be generated again
 * to be described or replayed.
 */
import { parentPort, workerData } from 'node:worker_threads'
import fc from 'fast-check'
import { CODECS, INFINITY_ALLOWED, JSON_OUTPUT, NAN_ALLOWED, NAN_ANSWER, type FailureKind } from './catalogue'
import { makeFixtures, type FuzzFiles, type Lib } from './fixtures'
import { startFakeServers } from './logs'
import { specsFor, type Spec } from './plausible'
import { junkArgs } from './values'

export interface WorkerInput {
  readonly entry: string
  readonly moduleUrl: string
  readonly builderUrls: ReadonlyArray<string>
  readonly seed: number
  readonly calls: number
  /** Start at this export (index in the sorted list of called exports) and call. */
  readonly start: { readonly exportIndex: number; readonly call: number }
  /** Describe this call first (the one the previous worker hung or crashed on). */
  readonly describe?: { readonly exportIndex: number; readonly call: number }
  readonly progress: SharedArrayBuffer
  readonly files: FuzzFiles
  readonly asyncTimeoutMs: number
  /** Call only these exports (all when undefined). */
  readonly only: ReadonlyArray<string> | undefined
}

export interface Finding {
  readonly kind: FailureKind
  readonly export: string
  readonly call: number
  readonly where: string
  readonly detail: string
  readonly plan: string
}

/** A finding before it is kept: describing the arguments is costly, so only kept findings are described. */
type RawFinding = Omit<Finding, 'plan' | 'detail'> & { readonly detail: () => string }

export interface ExportStats {
  readonly name: string
  readonly kind: 'function' | 'codec'
  calls: number
  invocations: number
  lefts: number
  rights: number
  counts: Partial<Record<FailureKind, number>>
}

export type WorkerMessage =
  | { readonly type: 'exports'; readonly called: ReadonlyArray<{ readonly name: string; readonly kind: 'function' | 'codec' }>; readonly values: ReadonlyArray<string>; readonly specless: ReadonlyArray<string> }
  | { readonly type: 'described'; readonly plan: string }
  | { readonly type: 'stats'; readonly stats: ExportStats; readonly findings: ReadonlyArray<Finding> }
  | { readonly type: 'done'; readonly consoleCalls: number }
  | { readonly type: 'harness'; readonly error: string }

const input = workerData as WorkerInput
const post = (m: WorkerMessage) => parentPort!.postMessage(m)
const progress = new Int32Array(input.progress)

// -- the world the calls run in: quiet, offline ------------------------------------------------------------------

let consoleCalls = 0
for (const k of ['log', 'warn', 'error', 'info', 'debug'] as const) console[k] = () => void consoleCalls++

/** No network: a URL naming config.example.com answers a compiled config, anything else fails as fetch does. */
let compiledText = '{}'
globalThis.fetch = async (resource: unknown) => {
  const url = resource instanceof Request ? resource.url : String(resource)
  if (url.includes('config.example.com')) return new Response(compiledText, { status: url.endsWith('404') ? 404 : 200 })
  if (resource instanceof Request) return new Response(`origin for ${url}`)
  throw new TypeError('fetch failed')
}

let late: Array<{ readonly kind: 'reject' | 'throw'; readonly error: unknown }> = []
process.on('unhandledRejection', (error) => void late.push({ kind: 'reject', error }))
process.on('uncaughtException', (error) => void late.push({ kind: 'throw', error }))

// -- describing -------------------------------------------------------------------------------------------------

const MAX_TEXT = 600
const describe = (v: unknown): string => {
  let s: string
  try {
    s = fc.stringify(v)
  } catch {
    s = '(indescribable)'
  }
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s
}
const errorText = (e: unknown): string => {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 5).join('\n')}`
  return describe(e)
}

// -- checking results -------------------------------------------------------------------------------------------

interface Plan {
  readonly args: ReadonlyArray<unknown>
  readonly then: ReadonlyArray<ReadonlyArray<unknown>>
  readonly methods: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object'
const isPlainish = (v: object) => {
  const p = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null || Array.isArray(v)
}

/**
 * Every object, and every NaN or infinite number, reachable from the call's arguments: a plain return value that
 * hands one back is echoing the caller's input (`variantOr(NaN)` returns the caller's fallback), not computing.
 */
const reachable = (roots: ReadonlyArray<unknown>): { readonly objects: Set<object>; readonly numbers: Set<number>; readonly saysNaN: boolean } => {
  const seen = new Set<object>()
  const numbers = new Set<number>()
  let saysNaN = false
  const stack: Array<unknown> = [...roots]
  while (stack.length > 0 && seen.size < 50_000) {
    const v = stack.pop()
    if (typeof v === 'number' && !Number.isFinite(v)) numbers.add(v)
    if ((typeof v === 'string' || typeof v === 'function') && String(v).includes('NaN')) saysNaN = true
    if (!isObject(v) || seen.has(v)) continue
    seen.add(v)
    try {
      if (v instanceof Map) for (const [k, x] of v) stack.push(k, x)
      else if (v instanceof Set) for (const x of v) stack.push(x)
      else if (isPlainish(v)) for (const k of Object.keys(v)) stack.push(k, v[k])
    } catch {
      // an object with Map's or Set's prototype that is none (Object.create(Map.prototype)): nothing inside
    }
  }
  return { objects: seen, numbers, saysNaN }
}

const isIssue = (v: Record<string, unknown>) => typeof v['path'] === 'string' && typeof v['expected'] === 'string' && 'actual' in v

/** NaN and infinite numbers anywhere in a value, with their paths. */
const NO_OBJECTS: ReadonlySet<object> = new Set()

const scanNumbers = (value: unknown, inputs: ReadonlySet<object>, found: (kind: 'nan' | 'infinity', path: string, x: number) => void) => {
  const seen = new Set<object>()
  const stack: Array<readonly [unknown, string]> = [[value, '$']]
  let visited = 0
  while (stack.length > 0 && visited++ < 200_000) {
    const [v, path] = stack.pop()!
    if (typeof v === 'number') {
      if (Number.isNaN(v)) found('nan', path, v)
      else if (!Number.isFinite(v)) found('infinity', path, v)
      continue
    }
    if (!isObject(v) || seen.has(v) || inputs.has(v)) continue
    seen.add(v)
    try {
      if (v instanceof Float64Array || v instanceof Float32Array) v.forEach((x, i) => stack.push([x, `${path}[${i}]`]))
      else if (v instanceof Map) for (const [k, x] of v) stack.push([x, `${path}.get(${typeof k === 'string' ? k.slice(0, 20) : typeof k})`])
      else if (v instanceof Set) for (const x of v) stack.push([x, `${path}.has()`])
      else if (isPlainish(v)) {
        const issue = isIssue(v)
        for (const k of Object.keys(v)) if (!(issue && k === 'actual')) stack.push([v[k], Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`])
      }
    } catch {
      // an object with Map's or Set's prototype that is none: nothing inside
    }
  }
}

const FAILURES: ReadonlyArray<string> = ['InvalidInput', 'InsufficientData', 'NumericalFailure', 'EngineFailure']

/**
 * Why a Left is malformed, or unlocated, or nothing. An issue is located by its path, or by its line (a record of
 * text input). The path `''` means "the input itself" (errors.ts): it names the argument only when the function
 * that answered takes one parameter; from a function of several it names nothing.
 */
const leftProblem = (left: unknown, parameters: number): { readonly kind: 'badLeft' | 'unlocated'; readonly detail: string } | undefined => {
  if (!isObject(left) || !FAILURES.includes(left['_tag'] as string)) return { kind: 'badLeft', detail: `not a TouchpointError: ${describe(left)}` }
  if (left['_tag'] !== 'InvalidInput') return typeof left['reason'] === 'string' && left['reason'] !== '' ? undefined : { kind: 'badLeft', detail: `no reason: ${describe(left)}` }
  const issues = left['issues']
  if (!Array.isArray(issues) || issues.length === 0) return { kind: 'badLeft', detail: `no issues: ${describe(left)}` }
  for (const i of issues) {
    if (!isObject(i) || typeof i['path'] !== 'string' || typeof i['expected'] !== 'string' || i['expected'] === '') return { kind: 'badLeft', detail: `malformed issue: ${describe(i)}` }
    if (i['line'] !== undefined && !(Number.isInteger(i['line']) && (i['line'] as number) > 0)) return { kind: 'badLeft', detail: `a line that is no line number: ${describe(i)}` }
    if (i['path'] === '' && typeof i['line'] !== 'number' && parameters > 1) return { kind: 'unlocated', detail: `from a function of ${parameters} parameters: ${describe(i)}` }
  }
  return undefined
}

const isEither = (v: unknown): v is { readonly _tag: 'Left'; readonly left: unknown } | { readonly _tag: 'Right'; readonly right: unknown } =>
  isObject(v) && ((v['_tag'] === 'Left' && 'left' in v) || (v['_tag'] === 'Right' && 'right' in v))

const isThenable = (v: unknown): v is PromiseLike<unknown> => isObject(v) && typeof v['then'] === 'function'

/** An io-ts codec (what PathCodec, IndexedPathCodec and Timestamp return): its Lefts are io-ts's own errors. */
const isCodec = (v: object): boolean => ['decode', 'validate', 'encode', 'is'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function')

const TIMEOUT = Symbol('timeout')
const settle = (p: PromiseLike<unknown>): Promise<{ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } | typeof TIMEOUT> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    Promise.resolve(p).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), input.asyncTimeoutMs))),
  ]).finally(() => clearTimeout(timer))
}


const isClass = (f: unknown): f is new (...xs: ReadonlyArray<unknown>) => unknown => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f))

class Call {
  readonly findings: Array<RawFinding> = []
  /** The arguments the returned functions were called with (drawn on demand for junk plans). */
  readonly thenUsed: Array<ReadonlyArray<unknown>> = []
  invocations = 0
  lefts = 0
  rights = 0
  private readonly inputs: Set<object>
  private readonly inputNumbers: ReadonlySet<number>
  private readonly inputSaysNaN: boolean
  private readonly name: string
  private readonly index: number
  private readonly plan: Plan
  private readonly codec: boolean
  constructor(name: string, index: number, plan: Plan, codec: boolean) {
    this.name = name
    this.index = index
    this.plan = plan
    this.codec = codec
    const { objects, numbers, saysNaN } = reachable([plan.args, ...plan.then, ...plan.methods.map(([, a]) => a)])
    this.inputs = objects
    this.inputNumbers = numbers
    this.inputSaysNaN = saysNaN
  }

  find(kind: FailureKind, where: string, detail: string | (() => string)) {
    this.findings.push({ kind, export: this.name, call: this.index, where, detail: typeof detail === 'string' ? () => detail : detail })
  }

  /** Call `f` with `args`, then check what comes back. */
  async invoke(f: (...xs: ReadonlyArray<unknown>) => unknown, self: unknown, args: ReadonlyArray<unknown>, where: string, depth: number, codec = this.codec): Promise<void> {
    this.invocations++
    let result: unknown
    try {
      // A class (the OpenFeature providers) is constructed, as its callers do.
      result = isClass(f) ? Reflect.construct(f, args) : Reflect.apply(f, self, args)
    } catch (e) {
      this.find('throw', where, errorText(e))
      return
    }
    await this.check(result, where, depth, f.length, codec, args)
  }

  async check(result: unknown, where: string, depth: number, parameters: number, codec: boolean, args: ReadonlyArray<unknown>): Promise<void> {
    if (isThenable(result)) {
      const settled = await settle(result)
      if (settled === TIMEOUT) return this.find('hang', `${where} (promise)`, `not settled after ${input.asyncTimeoutMs} ms`)
      if (!settled.ok) return this.find('reject', where, errorText(settled.error))
      return this.check(settled.value, `await ${where}`, depth, parameters, codec, args)
    }
    if (isEither(result)) {
      if (result._tag === 'Left') {
        this.lefts++
        const problem = codec ? undefined : leftProblem(result.left, parameters)
        if (problem !== undefined) this.find(problem.kind, where, problem.detail)
        return
      }
      this.rights++
      // A connection handed back (openDuckDb's driver) is closed as its caller would: a native engine left open
      // when the worker is terminated aborts the whole process.
      const right = result.right
      if (isObject(right) && typeof right['close'] === 'function' && typeof right['dialect'] === 'string') await (right['close'] as () => Promise<void>)().catch(() => undefined)
      // A Right is checked whole: a decoder that lets the caller's NaN through has failed, echo or not. Except the
      // caller's own object handed back as it is (checkOptions answers the options it checked): fields it never
      // reads (config.reload) are the caller's, as in a plain return value.
      this.checkValue(result.right, where, !(isObject(result.right) && args.includes(result.right)), args)
      // An object in a Right (logReducer's reducer) has its methods called as a plain one's are.
      if (depth === 1 && isObject(right)) await this.callMethods(right, where)
      return
    }
    if (typeof result === 'function' && depth < 4) {
      // The caller's own function handed back (variantOr's fallback when not enrolled) is the caller's: calling it
      // tests the fuzzer's functions, not ours (seed 20261203 found `() => NaN` "returned" that way).
      if ([this.plan.args, ...this.thenUsed].some((given) => given.includes(result))) return
      const next = this.plan.then[depth - 1] ?? drawnThen(this.name, this.index, depth)
      this.thenUsed.push(next)
      return this.invoke(result as (...xs: ReadonlyArray<unknown>) => unknown, undefined, next, `${where}(…)`, depth + 1)
    }
    this.checkValue(result, where, false, args)
    if (depth === 1 && isObject(result)) await this.callMethods(result, where)
  }

  /** The plan's methods, in order, on what the export returned. */
  async callMethods(result: Record<string, unknown>, where: string): Promise<void> {
    for (const [method, args] of this.plan.methods) {
      const m = result[method]
      if (typeof m === 'function') await this.invoke(m as (...xs: ReadonlyArray<unknown>) => unknown, result, args, `${where}.${method}(…)`, 4, isCodec(result))
    }
  }

  checkValue(value: unknown, where: string, strict: boolean, args: ReadonlyArray<unknown>) {
    scanNumbers(value, strict ? NO_OBJECTS : this.inputs, (kind, path, x) => {
      if (kind === 'infinity' && INFINITY_ALLOWED.some((a) => a.exports.includes(this.name) && a.path.test(path) && (a.when === undefined || a.when(this.plan.args, args)))) return
      if (kind === 'nan' && NAN_ALLOWED.some((a) => a.path.test(path))) return
      if (kind === 'nan' && path === '$' && NAN_ANSWER.some((a) => a.export === this.name && a.when(this.plan.args, args))) return
      if (!strict && this.inputNumbers.has(x)) return
      this.find(kind, where, `${kind === 'nan' ? 'NaN' : 'an infinite number'} at ${path}`)
    })
    if (typeof value === 'string') {
      if (/\bNaN\b/.test(value) && !this.inputNumbers.has(Number.NaN) && !this.inputSaysNaN) this.find('nan', where, () => `"NaN" in the text: ${describe(value.slice(Math.max(0, value.indexOf('NaN') - 60), value.indexOf('NaN') + 20))}`)
      // '' is the formatters' "nothing written" (for what is not a report or an attribution): no JSON text at all.
      if (value !== '' && JSON_OUTPUT[this.name]?.(this.plan.args, args) === true) {
        try {
          JSON.parse(value)
        } catch (e) {
          this.find('badJson', where, errorText(e))
        }
      }
    }
  }
}

// -- the run ----------------------------------------------------------------------------------------------------

const CHUNK = 50

/** Junk arguments for the function a call returned at `depth`, when the plan has none: from the call alone. */
const drawnThen = (name: string, index: number, depth: number): ReadonlyArray<unknown> =>
  fc.sample(junkArgs(2), { seed: (input.seed ^ hashName(name) ^ Math.imul(index + 1, 31 + depth)) | 0, numRuns: 1 })[0]!

const hashName = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

const planArbitrary = (spec: Spec | undefined, arity: number, codec: boolean): fc.Arbitrary<Plan> => {
  // The arguments of returned functions are drawn when a call returns one (see Call.check): most calls do not.
  const junkPlan = fc.record({
    args: junkArgs(codec ? 1 : arity),
    then: fc.constant([] as ReadonlyArray<ReadonlyArray<unknown>>),
    methods: fc.constant([] as ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>),
  })
  if (spec === undefined) return junkPlan
  const methods = Object.entries(spec.methods ?? {})
  const plausiblePlan = fc.record({
    args: spec.args,
    then: spec.then === undefined ? fc.constant([]) : fc.tuple(...spec.then),
    methods: methods.length === 0 ? fc.constant([]) : fc.tuple(...methods.map(([name, a]) => a.map((xs) => [name, xs] as const))),
  })
  return fc.oneof({ weight: 3, arbitrary: plausiblePlan }, { weight: 1, arbitrary: junkPlan })
}

const main = async () => {
  const lib: Lib = {}
  for (const url of input.builderUrls) Object.assign(lib, await import(url))
  const mod = (await import(input.moduleUrl)) as Readonly<Record<string, unknown>>
  const fx = await makeFixtures(lib, input.files)
  compiledText = JSON.stringify(fx.compiled[0])
  const specs = specsFor(lib, fx, mod, await startFakeServers())

  const names = Object.keys(mod).sort()
  type Called = { readonly name: string; readonly kind: 'function' | 'codec' }
  const called = names.flatMap((name): ReadonlyArray<Called> => {
    if (input.only !== undefined && !input.only.includes(name)) return []
    const v = mod[name]
    if (CODECS.includes(name) && isObject(v) && typeof v['decode'] === 'function') return [{ name, kind: 'codec' }]
    return typeof v === 'function' ? [{ name, kind: 'function' }] : []
  })
  const values = names.filter((n) => (input.only === undefined || input.only.includes(n)) && !called.some((c) => c.name === n))
  post({ type: 'exports', called, values, specless: called.filter((c) => c.kind === 'function' && specs[c.name] === undefined).map((c) => c.name) })

  /** The calls of one export, CHUNK at a time: call `i` depends only on (seed, export name, i). */
  const chunkOf = (exportIndex: number, chunk: number): ReadonlyArray<Plan> => {
    const { name, kind } = called[exportIndex]!
    const f = mod[name]
    const arb = planArbitrary(specs[name], typeof f === 'function' ? f.length : 1, kind === 'codec')
    return fc.sample(arb, { seed: (input.seed ^ hashName(name) ^ Math.imul(chunk + 1, 0x9e3779b1)) | 0, numRuns: CHUNK })
  }
  const planOf = (exportIndex: number, call: number): Plan => chunkOf(exportIndex, Math.floor(call / CHUNK))[call % CHUNK]!

  if (input.describe !== undefined) {
    const { exportIndex, call } = input.describe
    const plan = planOf(exportIndex, call)
    // What returned functions would be called with, as Call.check draws it.
    const then = [1, 2, 3].map((depth) => plan.then[depth - 1] ?? drawnThen(called[exportIndex]!.name, call, depth))
    post({ type: 'described', plan: describe({ ...plan, then }) })
  }

  for (let e = input.start.exportIndex; e < called.length; e++) {
    const { name, kind } = called[e]!
    const target = mod[name] as ((...xs: ReadonlyArray<unknown>) => unknown) & { decode?: unknown; is?: unknown }
    const findings: Array<Finding> = []
    let plans: ReadonlyArray<Plan> = []
    for (let i = e === input.start.exportIndex ? input.start.call : 0; i < input.calls; i++) {
      if (i % CHUNK === 0 || plans.length === 0) {
        try {
          plans = chunkOf(e, Math.floor(i / CHUNK))
        } catch (err) {
          post({ type: 'harness', error: `generating calls of ${name}: ${errorText(err)}` })
          return
        }
      }
      const plan = plans[i % CHUNK]!
      Atomics.store(progress, 0, e)
      Atomics.store(progress, 1, i)
      Atomics.add(progress, 2, 1)
      const call = new Call(name, i, plan, kind === 'codec')
      if (kind === 'codec') {
        const codec = target as unknown as { decode: (u: unknown) => unknown; is: (u: unknown) => unknown }
        await call.invoke(codec.decode, codec, plan.args.slice(0, 1), `${name}.decode(…)`, 4)
        await call.invoke(codec.is, codec, plan.args.slice(0, 1), `${name}.is(…)`, 4)
      } else {
        await call.invoke(target, undefined, plan.args, `${name}(…)`, 1)
      }
      // Errors that surface after the call returned (a rejected promise nobody awaited, a throw in a timer).
      await new Promise((resolve) => setImmediate(resolve))
      for (const l of late) call.find(l.kind, `${name}: after the call returned`, errorText(l.error))
      late = []
      // Posted call by call: when a later call hangs, everything before it is already counted.
      const stats: ExportStats = { name, kind, calls: 1, invocations: call.invocations, lefts: call.lefts, rights: call.rights, counts: {} }
      const kept: Array<Finding> = []
      for (const f of call.findings) {
        stats.counts[f.kind] = (stats.counts[f.kind] ?? 0) + 1
        if (findings.filter((x) => x.kind === f.kind && x.where === f.where).length < 3) {
          const finding = { ...f, detail: f.detail(), plan: describe({ ...plan, then: call.thenUsed }) }
          findings.push(finding)
          kept.push(finding)
        }
      }
      post({ type: 'stats', stats, findings: kept })
    }
  }
  post({ type: 'done', consoleCalls })
}

main().catch((e: unknown) => post({ type: 'harness', error: errorText(e) }))
