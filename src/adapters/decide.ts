/**
 * Deciding a request: options checked once, the config source followed, the unit id found or minted once, the
 * experiments assigned and exposures queued (`decider`, and the `deciding` half `touchpoint` is built on).
 *
 * @module
 */
import { assignOne } from '../assignment/assign'
import { DEFAULT_UNIT } from '../assignment/build'
import type { Assignment, Experiment, Unit } from '../assignment/model'
import type { TouchpointError } from '../core/errors'
import { forced } from './internal/forced'
import { checkOptions, COOKIE_NAME } from './options'
import { exposureQueue } from './internal/exposures'
import { problem, showError } from './internal/problems'
import type { ConfigState } from './webConfig'
import { cookieValue, encodeAssignments, encodePair, isValidId, serializeCookie, type RequestLike } from './webHeaders'
import type { Decision, Options, StickyStore } from './webModel'

/** A request header, or null: also for a request without headers (plain JavaScript callers). */
const headerOf = (request: RequestLike, name: string): string | null => (request as Partial<RequestLike> | null)?.headers?.get?.(name) ?? null

/** A decision's flush when there is no sink (one function for every request). */
const nothingToFlush = async (): Promise<void> => undefined

/** An issue when experiments are assigned and none of them hashes the adapter's unit attribute. */
const unitMismatch = (experiments: ReadonlyArray<Experiment>, unit: string): TouchpointError | undefined => {
  const units = new Set(experiments.map((x) => x.unit))
  return units.size === 0 || units.has(unit)
    ? undefined
    : problem(`an attribute the experiments hash (${[...units].join(', ')}), or all get control`, unit, 'unit')
}

/**
 * The deciding half of `touchpoint`: options checked once, the config source, and `decide`, for code that only
 * assigns and passes the decision on itself (the Lambda@Edge viewer request). A worker built on it does not ship
 * `forward`, `finish` and `wrap` (about 200 B min+gzip). `report` is the options' report (or the default).
 *
 * @example
 * const { decide } = decider({ config: inlineConfig(experiments) })
 * const decision = await decide(request)
 *
 * @category constructors
 * @since 0.1.0
 */
export const decider = <Env = unknown>(given: Options<Env>) => {
  const { options, decideNow, report } = deciding(given)
  return { options, decide: async (request: RequestLike, env?: Env): Promise<Decision> => decideNow(request, env as Env), report }
}

/**
 * `decider`'s work, with `decideNow`: the decision itself when it can be made at once (the config source answered
 * the promise it answered last time, already settled, and there is no sticky store), otherwise a promise of it.
 * `wrap` uses it so that a request with the config loaded and fresh makes no promise and waits for no microtask.
 *
 * @internal
 */
export const deciding = <Env>(given: Options<Env>) => {

  const checked = checkOptions(given)
  const report =
    typeof (given as Partial<Options<Env>> | null)?.report === 'function'
      ? given.report!
      : (e: TouchpointError, where: string) => console.warn(`touchpoint ${where}:`, showError(e))
  // Refused options: a source that never loads (control for everyone) and no cookie; none of the given
  // callbacks is called, and the error is reported once, as 'options'.
  const refusal = checked._tag === 'Left' ? checked.left : undefined
  const never = Promise.resolve({ assigner: undefined, error: refusal })
  const options: Options<Env> = refusal === undefined ? given : { config: { get: () => never, reload: () => never }, cookie: false }
  const { config, unit = DEFAULT_UNIT, cookie = {}, validId = isValidId } = options
  // With `cookie: false` the id is still read from the default cookie: someone else (the browser) writes it.
  const readCookie = cookieValue((cookie === false ? undefined : cookie.name) ?? COOKIE_NAME)
  const writeCookie = cookie === false ? undefined : serializeCookie(cookie)
  let reported: ConfigState | undefined
  // The experiments each request assigns, found once per config load rather than once per request.
  let assigned: ReadonlyArray<Experiment> = []
  // Per load as well: each assigned experiment's `key=variant` header pairs, by variant index; `undefined` when
  // the header cannot be built in assignment order (a key given twice, or an array-index key, which for-in lists
  // first), and `encodeAssignments` builds it.
  let pairs: ReadonlyArray<ReadonlyArray<string>> | undefined
  // The decision made last and its assignments header: `wrap` forwards it without encoding `variants` again.
  let lastMade: Decision | undefined
  let lastHeader = ''
  const valid = (id: unknown): id is string => typeof id === 'string' && validId(id)

  // What a config source of the caller's own answers when it answers no state (plain JavaScript): nothing loaded.
  const noState: ConfigState = { assigner: undefined, error: problem('a loaded config', undefined, 'config.get') }

  // The last promise the config source answered and its state: a promise's value never changes once settled, so
  // the same promise again (configSource answers one per loaded state) needs no await.
  let lastGot: unknown
  let lastState: ConfigState = noState
  /** The state behind what `config.get` answered; reports a new one once. */
  const observe = (got: unknown): ConfigState => {
    const state = got !== null && typeof got === 'object' ? (got as ConfigState) : noState
    // Once per load, not once per request: a bad config would otherwise log on every page view.
    if (state !== reported) {
      reported = state
      if (state.error !== undefined) report(state.error, refusal === undefined ? 'config' : 'options')
      const loaded = state.assigner
      assigned = loaded === undefined ? [] : (options.experiments ?? loaded.experiments.map((x) => x.key)).flatMap<Experiment>((key) => loaded.byKey.get(key) ?? [])
      const keys = new Set(assigned.map((x) => x.key))
      pairs = keys.size < assigned.length || [...keys].some((k) => /^\d+$/.test(k)) ? undefined : assigned.map((x) => x.variants.map((v) => encodePair(x.key, v)))
      const mismatch = unitMismatch(assigned, unit)
      if (mismatch !== undefined) report(mismatch, 'config')
    }
    return state
  }

  const decideNow = (request: RequestLike, env: Env): Decision | Promise<Decision> => {
    const got: unknown = config.get(env)
    if (got === lastGot && got !== undefined) return decideWith(lastState, request, env)
    return Promise.resolve(got).then((settled) => {
      const state = observe(settled)
      if (got instanceof Promise) (lastGot = got), (lastState = state)
      return decideWith(state, request, env)
    })
  }

  const decideWith = (state: ConfigState, request: RequestLike, env: Env): Decision | Promise<Decision> => {
    const { assigner } = state
    // In order, the first valid one: your own, the cookie, the id header (each checked once: `validId` may be slow).
    let id: string | null | undefined = options.identify?.(request, env)
    let fresh = !valid(id)
    if (fresh) fresh = !valid((id = readCookie(headerOf(request, 'cookie'))))
    if (fresh && options.idHeader !== undefined) fresh = !valid((id = headerOf(request, options.idHeader)))
    // A minted id is checked like any other: it goes into a header and a cookie.
    if (fresh) {
      const minted = options.newId?.()
      id = valid(minted) ? minted : crypto.randomUUID()
    }
    // Without an attributes callback no spread: a literal of one key is half the cost.
    const attributes: Unit = options.attributes ? { ...options.attributes(request, env), [unit]: id } : { [unit]: id }
    // Those of the load this request started with, also after the sticky store answers.
    const experiments = assigned
    const encoded = pairs
    if (assigner === undefined || !options.sticky) return made(state, request, env, id as string, fresh, attributes, experiments, encoded, undefined)
    return Promise.resolve(options.sticky.assign(request, attributes, id as string, assigner, experiments)).then((sticky) => made(state, request, env, id as string, fresh, attributes, experiments, encoded, sticky))
  }

  type Sticky = Awaited<ReturnType<StickyStore['assign']>> | undefined
  const made = (
    state: ConfigState,
    request: RequestLike,
    env: Env,
    id: string,
    fresh: boolean,
    attributes: Unit,
    experiments: ReadonlyArray<Experiment>,
    encoded: ReadonlyArray<ReadonlyArray<string>> | undefined,
    sticky: Sticky,
  ): Decision => {
    const { assigner } = state
    const force = assigner === undefined || options.forceParam === undefined ? undefined : forced(assigner, request, options.forceParam, id, unit)
    // Sized once (a growing array's first push allocates room for 17).
    const assignments: Array<Assignment> = new Array(assigner === undefined ? 0 : experiments.length)
    // No prototype: an experiment may be called `__proto__` or `toString`, and `variant('toString')` must not
    // find Object.prototype's.
    const variants = Object.create(null) as Record<string, string>
    const stickyCookie = sticky?.cookie
    let header = ''
    if (assigner !== undefined) {
      for (let i = 0; i < experiments.length; i++) {
        const experiment = experiments[i]!
        const a = force?.get(experiment.key) ?? sticky?.assignments[i] ?? assignOne(attributes, experiment)
        assignments[i] = a
        if (a._tag === 'Enrolled') {
          variants[experiment.key] = a.variant
          if (encoded !== undefined && typeof a.variant === 'string') {
            const pair = experiment.variants[a.variantIndex] === a.variant ? encoded[i]![a.variantIndex]! : encodePair(experiment.key, a.variant)
            header += (header && '&') + pair
          }
        }
      }
    }
    const variant = (experiment: string, fallback = 'control') => variants[experiment] ?? fallback
    // Without a sink nothing is ever queued: exposing is reading the variant and there is nothing to flush, so a
    // request makes no closures for them.
    const { sink } = options
    const { expose, flush } = (sink && assigner && exposureQueue(sink, assigner, assignments, force, variant, report, options.expose)) || { expose: variant, flush: nothingToFlush }
    const consent = options.consent?.(request, env) ?? true
    const decision: Decision = {
      unitId: id,
      fresh,
      cookie: (fresh && consent && writeCookie?.(id)) || undefined,
      stickyCookie: consent ? stickyCookie : undefined,
      assignments,
      variants,
      error: state.error,
      variant,
      expose,
      flush,
    }
    lastMade = encoded === undefined ? undefined : decision
    lastHeader = header
    return decision
  }

  /** `encodeAssignments(decision.variants)`, without encoding them again for the decision made last. */
  const assignmentsHeader = (decision: Decision): string => (decision === lastMade ? lastHeader : encodeAssignments(decision.variants))

  return { options, decideNow, assignmentsHeader, report }
}
