/**
 * The lean edge worker: what every worker needs (config, assignment, the id cookie, the request passed on, errors
 * reported, options checked) and nothing else. Optional behaviour comes as feature values (./features.ts) the
 * worker imports only when it uses them, so an unused feature is not bundled: a minimal Cloudflare worker is about
 * 4.5 KB min+gzip where `cloudflareWorker`, whose options bag carries every feature, is about 6 KB. The request
 * path is `touchpoint`'s (same id, cookie, headers, assignments and exposures for the same request).
 *
 * @module
 */
import { assignOne } from '../assignment/assign'
import type { Assigner, Assignment, Enrolled, Experiment, Unit } from '../assignment/model'
import { invalidInput, type Issue, type TouchpointError } from '../core/errors'
import { madeFeatures } from './internal/features'
import { fetchOrigin } from './internal/fetchOrigin'
import { problem, showError } from './internal/problems'
import { COOKIE_NAME, fieldIssues, MAX_COOKIE_AGE, type Rule } from './options'
import type { ConfigSource, ConfigState } from './webConfig'
import { ASSIGNMENTS_HEADER, cookieValue, encodeAssignments, isValidId, UNIT_HEADER, type RequestLike } from './webHeaders'
import type { Decision, Handler, StickyStore, WaitUntil } from './web'

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
  features: [(v) => Array.isArray(v) && v.every((f) => madeFeatures.has(f)), 'an array of features made by exposures(), forceParam()...'],
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
  if (o === null || typeof o !== 'object') return [{ path: '', expected: 'options (an object)', actual: o }]
  fieldIssues(o, LEAN, '', out, 'config')
  if (out.length === 0) for (const f of (o['features'] as ReadonlyArray<EdgeFeature> | undefined) ?? []) out.push(...f.issues)
  return out
}

/** The id cookie with the default attributes (`serializeCookie()`'s), without the cookie option check. */
const defaultCookie = { name: COOKIE_NAME, write: (id: string) => `${COOKIE_NAME}=${id}; Path=/; Max-Age=${MAX_COOKIE_AGE}; Secure; HttpOnly; SameSite=Lax` }
/** Refused options write no cookie. */
const noCookie: EdgeFeature<any> = { _tag: 'EdgeFeature', issues: [], cookie: { name: COOKIE_NAME, write: undefined } }

const nothingToFlush = async (): Promise<void> => undefined
const headerOf = (request: RequestLike, name: string): string | null => (request as Partial<RequestLike> | null)?.headers?.get?.(name) ?? null

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
  const refusal = issues.length > 0 ? invalidInput(issues) : undefined
  const report =
    typeof (given as Partial<EdgeWorkerOptions<Env>> | null)?.report === 'function'
      ? given.report!
      : (e: TouchpointError, where: string) => console.warn(`touchpoint ${where}:`, showError(e))
  const never = Promise.resolve({ assigner: undefined, error: refusal })
  const options: EdgeWorkerOptions<Env> = refusal === undefined ? given : { config: { get: () => never, reload: () => never }, features: [noCookie] }
  const { config, unit = 'id' } = options
  const h: Omit<EdgeFeature<Env>, '_tag' | 'issues'> = Object.assign({}, ...(options.features ?? []))
  const { name, write: writeCookie } = h.cookie ?? defaultCookie
  const readCookie = cookieValue(name)
  const valid = (id: unknown): id is string => isValidId(id as string)
  let reported: ConfigState | undefined
  let assigned: ReadonlyArray<Experiment> = []
  const noState: ConfigState = { assigner: undefined, error: problem('a loaded config', undefined, 'config.get') }

  const decide = async (request: RequestLike, env: Env): Promise<Decision> => {
    const got: unknown = await config.get(env)
    const state = got !== null && typeof got === 'object' ? (got as ConfigState) : noState
    if (state !== reported) {
      reported = state
      if (state.error !== undefined) report(state.error, refusal === undefined ? 'config' : 'options')
      const loaded = state.assigner
      assigned = loaded === undefined ? [] : (options.experiments ?? loaded.experiments.map((x) => x.key)).flatMap<Experiment>((key) => loaded.byKey.get(key) ?? [])
      const units = new Set(assigned.map((x) => x.unit))
      if (units.size > 0 && !units.has(unit)) report(problem(`an attribute the experiments hash (${[...units].join(', ')}), or all get control`, unit, 'unit'), 'config')
    }
    const { assigner } = state
    let id = [h.identify?.(request, env), readCookie(headerOf(request, 'cookie'))].find(valid)
    const fresh = id === undefined
    id ??= crypto.randomUUID()
    const attributes: Unit = { ...h.attributes?.(request, env), [unit]: id }
    const force = assigner && h.force?.(assigner, request, id, unit)
    const assignments: Array<Assignment> = []
    const variants = Object.create(null) as Record<string, string>
    let stickyCookie: string | undefined
    if (assigner !== undefined) {
      const sticky = h.sticky && (await h.sticky.assign(request, attributes, id, assigner, assigned))
      stickyCookie = sticky?.cookie
      for (let i = 0; i < assigned.length; i++) {
        const experiment = assigned[i]!
        const a = force?.get(experiment.key) ?? sticky?.assignments[i] ?? assignOne(attributes, experiment)
        assignments.push(a)
        if (a._tag === 'Enrolled') variants[experiment.key] = a.variant
      }
    }
    const variant = (experiment: string, fallback = 'control') => variants[experiment] ?? fallback
    const { expose, flush } = (assigner && h.exposures?.(assigner, assignments, force, variant, report)) || { expose: variant, flush: nothingToFlush }
    const consent = h.consent?.(request, env) ?? true
    return { unitId: id, fresh, cookie: (fresh && consent && writeCookie?.(id)) || undefined, stickyCookie: consent ? stickyCookie : undefined, assignments, variants, error: state.error, variant, expose, flush }
  }

  const forwardHeaders = (headers: Headers, decision: Decision): Headers => {
    headers.set(UNIT_HEADER, decision.unitId)
    headers.set(ASSIGNMENTS_HEADER, encodeAssignments(decision.variants))
    return headers
  }

  return {
    fetch: async (request: Request, env: Env, ctx?: Partial<WaitUntil>): Promise<Response> => {
      if (typeof handler !== 'function') return (report(problem('a handler function', handler, 'handler'), 'options'), new Response(null, { status: 500 }))
      if (!(request instanceof Request)) return new Response(null, { status: 400 })
      const decision = await decide(request, env)
      const headers = forwardHeaders(new Headers(request.headers), decision)
      const response: unknown = await (handler === fetchOrigin ? fetch(request, { headers }) : handler(new Request(request, { headers }), decision, env, ctx))
      if (h.exposures !== undefined && typeof ctx?.waitUntil === 'function') ctx.waitUntil(decision.flush())
      else if (h.exposures !== undefined) void decision.flush()
      if (!(response instanceof Response)) return (report(problem('a Response', response, 'handler'), 'options'), new Response(null, { status: 500 }))
      const { cookie, stickyCookie } = decision
      if (cookie === undefined && stickyCookie === undefined) return response
      // A copy: the body is passed on, not read (responses from fetch() have immutable headers).
      const out = new Response(response.body, response)
      if (cookie !== undefined) out.headers.append('set-cookie', cookie)
      if (stickyCookie !== undefined) out.headers.append('set-cookie', stickyCookie)
      return out
    },
  }
}
