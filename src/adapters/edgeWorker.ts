/**
 * The lean edge worker: what every worker needs (config, assignment, the id cookie, the request passed on, errors
 * reported, options checked) and nothing else. Optional behaviour comes as feature values (./features.ts) the
 * worker imports only when it uses them, so an unused feature is not bundled: a minimal Cloudflare worker is about
 * 4.5 KB min+gzip where `cloudflareWorker`, whose options bag carries every feature, is about 6.3 KB. The request
 * path is `touchpoint`'s (same id, cookie, headers, assignments and exposures for the same request).
 *
 * @module
 */
import { assignOne } from '../assignment/assign'
import type { Assigner, Assignment, Enrolled, Experiment, Unit } from '../assignment/model'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { madeFeatures } from './internal/features'
import { fetchOrigin } from './internal/fetchOrigin'
import { problem, showError } from './internal/problems'
import { COOKIE_NAME, fieldIssues, MAX_COOKIE_AGE, type Rule } from './options'
import type { ConfigSource, ConfigState } from './webConfig'
import { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, isValidId, UNIT_HEADER, type RequestLike } from './webHeaders'
import type { Decision, Handler, StickyStore, WaitUntil } from './webModel'

/**
 * What a feature hooks into, each optional. Only features made by `exposures`, `forceParam`, `sticky`,
 * `attributes`, `identify`, `consent` and `idCookie` are accepted (by identity: a copy is refused); the last
 * feature giving a hook wins.
 *
 * @category model
 * @since 0.1.0
 */
export interface EdgeFeature<Env = unknown> {
  readonly _tag: 'EdgeFeature'
  /** Problems with the feature's own arguments; the worker refuses a feature that has any (as `'options'`). */
  readonly issues: ReadonlyArray<Issue>
  readonly identify?: (request: RequestLike, env: Env) => string | undefined
  readonly attributes?: (request: RequestLike, env: Env) => Unit
  readonly consent?: (request: RequestLike, env: Env) => boolean
  /** The id cookie's name and its `Set-Cookie` value for an id (`undefined`: never written). */
  readonly cookie?: { readonly name: string; readonly write: ((id: string) => string) | undefined }
  readonly sticky?: StickyStore
  readonly force?: (assigner: Assigner, request: RequestLike, unitId: string, unit: string) => ReadonlyMap<string, Enrolled>
  readonly exposures?: (
    assigner: Assigner,
    assignments: ReadonlyArray<Assignment>,
    force: ReadonlyMap<string, Enrolled> | undefined,
    variant: (experiment: string, fallback?: string) => string,
    report: (error: TouchpointError, where: 'sink') => void,
  ) => { readonly expose: Decision['expose']; readonly flush: Decision['flush'] }
}

/**
 * Options of `edgeWorker`: those of `touchpoint` every worker has, the rest as `features`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EdgeWorkerOptions<Env = unknown> {
  readonly config: ConfigSource<Env>
  /** Experiments assigned on each request (default: all of the config). */
  readonly experiments?: ReadonlyArray<string>
  /** The unit attribute the id fills (default `id`). */
  readonly unit?: string
  /** Hears refused options (`'options'`), config fallbacks (`'config'`) and sink failures (`'sink'`). Default `console.warn`. */
  readonly report?: (error: TouchpointError, where: 'options' | 'config' | 'sink') => void
  /** Optional behaviour: `[exposures(sink), forceParam('tp_force'), sticky(stickyCookie())]`... */
  readonly features?: ReadonlyArray<EdgeFeature<Env>>
}

const LEAN: Readonly<Record<string, Rule>> = {
  config: [(v) => typeof (v as { get?: unknown } | null)?.get === 'function', 'a config source'],
  experiments: [(v) => Array.isArray(v) && v.every((k) => typeof k === 'string'), 'an array of keys'],
  unit: [(v) => typeof v === 'string' && v !== '', 'a non-empty string'],
  report: [(v) => typeof v === 'function', 'a function'],
  features: [(v) => Array.isArray(v) && v.every((f) => madeFeatures.has(f)), 'an array of exposures(), forceParam()... features'],
}



/**
 * Check `edgeWorker` options: each field's type, unknown fields as typos, and each feature's own problems.
 *
 * @category middleware
 * @since 0.1.0
 */
export const edgeWorkerIssues = (options: unknown): ReadonlyArray<Issue> => {
  const out: Array<Issue> = []
  const o = options as Readonly<Record<string, unknown>> | null
  if (o === null || typeof o !== 'object') return [issue('', 'options (an object)', o)]
  fieldIssues(o, LEAN, '', out, 'config')
  if (!out.length) for (const f of (o['features'] as ReadonlyArray<EdgeFeature> | undefined) ?? []) out.push(...f.issues)
  return out
}

/** The id cookie with the default attributes (`serializeCookie()`'s), without the cookie option check. */
const defaultCookie: { readonly name?: string; readonly write?: (id: string) => string } = { write: (id: string) => `${COOKIE_NAME}=${id}; Path=/; Max-Age=${MAX_COOKIE_AGE}; Secure; HttpOnly; SameSite=Lax` }

const nothingToFlush = async (): Promise<void> => undefined

/**
 * A worker `{ fetch(request, env, ctx) }` (the shape Cloudflare, Bun and `deno serve` take) that assigns every
 * request, passes it on to the origin (or `handler`) with the unit id and assignments headers, and writes the id
 * cookie. Each request is decided as `touchpoint` with the same options decides it; features add the rest.
 * Refused options serve control, write no cookie and are reported once, never thrown.
 *
 * @example
 * export default edgeWorker({ config: kvBinding('CONFIG', 'experiments'), features: [exposures(log), forceParam('tp_force')] })
 *
 * @category constructors
 * @since 0.1.0
 */
export const edgeWorker = <Env = unknown>(given: EdgeWorkerOptions<Env>, handler: Handler<Env> = fetchOrigin) => {
  const issues = edgeWorkerIssues(given)
  const refusal = issues.length ? invalidInput(issues) : undefined
  const report =
    typeof (given as Partial<EdgeWorkerOptions<Env>> | null)?.report === 'function'
      ? given.report!
      : (e: TouchpointError, where: string) => console.warn(`touchpoint ${where}:`, showError(e))
  const never = Promise.resolve({ assigner: undefined, error: refusal })
  // Refused options: a source that never loads (control for everyone; the worker never reloads), no feature and
  // no cookie written.
  const options: EdgeWorkerOptions<Env> = refusal ? { config: { get: () => never } as never } : given
  const { config, unit = 'id' } = options
  const h: Omit<EdgeFeature<Env>, '_tag' | 'issues'> = Object.assign({}, ...(options.features ?? []))
  const { name = COOKIE_NAME, write: writeCookie } = h.cookie ?? (refusal ? {} : defaultCookie)
  const readCookie = cookieValue(name)
  let assigned: ReadonlyArray<Experiment> = []
  const noState: ConfigState = { assigner: undefined, error: problem('a loaded config', undefined, 'config.get') }
  // The last promise the config source answered, once it settled, and its state: a settled promise never changes,
  // so the same one again (configSource answers one per load) is decided without waiting for a microtask.
  let lastGot: unknown = noState
  // The state seen last, reported (once per load, not once per request: a bad config would otherwise log on every
  // page view); nothing before the first request.
  let lastState: ConfigState | undefined
  // Whether incoming requests have immutable headers (a Worker's do, Node's Fetch API's do not): the first write
  // throws, before any change, and from then on the headers are copied for the one request passed on.
  let immutable = false
  // Plain JavaScript may hand anything over: answer it rather than throw.
  const failed = (expected: string, actual: unknown) => (report(problem(expected, actual, 'handler'), 'options'), new Response(null, { status: 500 }))

  return {
    fetch: async (request: Request, env: Env, ctx?: Partial<WaitUntil>): Promise<Response> => {
      if (typeof handler !== 'function') return failed('a handler function', handler)
      if (!(request instanceof Request)) return new Response(null, { status: 400 })
      const got: unknown = config.get(env)
      let state = lastState!
      if (got !== lastGot) {
        const settled: unknown = await got
        state = settled !== null && typeof settled === 'object' ? (settled as ConfigState) : noState
        if (state !== lastState) {
          if (state.error) report(state.error, refusal ? 'options' : 'config')
          const loaded = state.assigner
          assigned = loaded ? (options.experiments ?? loaded.experiments.map((x) => x.key)).flatMap<Experiment>((key) => loaded.byKey.get(key) ?? []) : []
          const units = new Set(assigned.map((x) => x.unit))
          if (units.size && !units.has(unit)) report(problem(`an attribute the experiments hash (${[...units].join(', ')}), or all get control`, unit, 'unit'), 'config')
        }
        lastGot = got instanceof Promise ? got : noState
        lastState = state
      }
      const { assigner } = state
      // Those of the load this request started with, also after the sticky store answers.
      const experiments = assigned
      let id = [h.identify?.(request, env), readCookie(request.headers.get('cookie'))].find(isValidId as (id: unknown) => id is string)
      const fresh = !id // a valid id is never ''
      id ??= crypto.randomUUID()
      const attributes: Unit = { ...h.attributes?.(request, env), [unit]: id }
      const force = assigner && h.force?.(assigner, request, id, unit)
      const assignments: Array<Assignment> = []
      const variants = Object.create(null) as Record<string, string>
      const sticky = assigner && h.sticky && (await h.sticky.assign(request, attributes, id, assigner, experiments))
      if (assigner)
        for (let i = 0; i < experiments.length; i++) {
          const experiment = experiments[i]!
          const a = force?.get(experiment.key) ?? sticky?.assignments[i] ?? assignOne(attributes, experiment)
          assignments[i] = a // i runs from 0 up: the array stays packed
          if (a._tag === 'Enrolled') variants[experiment.key] = a.variant
        }
      const variant = (experiment: string, fallback = 'control') => variants[experiment] ?? fallback
      const { expose, flush } = (assigner && h.exposures?.(assigner, assignments, force, variant, report)) || { expose: variant, flush: nothingToFlush }
      const consent = h.consent?.(request, env) ?? true
      // A valid id is always a cookie value, so the writer never answers '' (touchpoint's `|| undefined`).
      const cookie = fresh && consent ? writeCookie?.(id) : undefined
      const stickyCookie = consent ? sticky?.cookie : undefined
      const decision: Decision = { unitId: id, fresh, cookie, stickyCookie, assignments, variants, error: state.error, variant, expose, flush }
      const header = encodeAssignments(variants)
      const put = (headers: Headers) => (headers.set(UNIT_HEADER, id), headers.set(ASSIGNMENTS_HEADER, header), headers)
      if (!immutable)
        try {
          put(request.headers)
        } catch {
          immutable = true
        }
      // fetch(request, init) builds the request it sends: with the default handler that is the only copy.
      const init = immutable ? { headers: put(new Headers(request.headers)) } : undefined
      let response: unknown = handler === fetchOrigin ? fetch(request, init) : handler(init ? new Request(request, init) : request, decision, env, ctx)
      // Awaited only when it is a promise: a handler that answers at once costs no microtask (as in `wrap`). Whatever
      // else has a `then` is no Response either way.
      if ((response as Partial<PromiseLike<unknown>> | null)?.then) response = await response
      if (h.exposures) {
        if (typeof ctx?.waitUntil === 'function') ctx.waitUntil(flush())
        else void flush()
      }
      if (!(response instanceof Response)) return failed('a Response', response)
      if (!cookie && stickyCookie === undefined) return response
      const add = (out: Response) => {
        if (cookie) out.headers.append('set-cookie', cookie)
        if (stickyCookie !== undefined) out.headers.append('set-cookie', stickyCookie)
        return out
      }
      // One with a body the handler built (mutable headers) takes the cookies itself; one without a body may be a
      // shared object sent to every visitor, and fetch()'s have immutable headers: a copy (the body is not read).
      if (response.body !== null && handler !== fetchOrigin)
        try {
          return add(response)
        } catch {
          // immutable
        }
      return add(new Response(response.body, response))
    },
  }
}
