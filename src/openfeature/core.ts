/**
 * What the server and web providers share: loading a config (JSON text, a raw or compiled config object, or a
 * decoded `Assigner`), the events they emit, the exposure hook and `track`. No OpenFeature SDK is imported at
 * run time (only its types): the SDKs are optional peer dependencies, and one entry serves both.
 *
 * @module
 */
import type { EvaluationContext, EvaluationDetails, EventContext, EventHandler, FlagValue, HookContext, Logger, ProviderEventEmitter, TrackingEventDetails } from '@openfeature/core'
import type * as E from 'fp-ts/Either'
import { decodeAnyConfig } from '../assignment/decode'
import type { Exposure } from '../assignment/exposure'
import type { Assigner, Experiment } from '../assignment/model'
import { parseJson } from '../core/json'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import type { ProviderState } from './evaluate'

/**
 * A conversion or other event recorded through `client.track(name, details)`, in the shape touchpoint's raw-log
 * analysis reads for events: `unit_id`, `timestamp` (ISO 8601 UTC), `event`, `value` (`null` without one).
 *
 * @category openfeature
 * @since 0.1.0
 */
export interface TrackedEvent {
  readonly unit_id: string
  readonly timestamp: string
  readonly event: string
  readonly value: number | null
}

/**
 * Options of `TouchpointProvider` and `TouchpointWebProvider`.
 *
 * @category openfeature
 * @since 0.1.0
 */
export interface ProviderOptions {
  /** Receives each exposure (an evaluation that enrolled the unit) through the provider's hook. */
  readonly sink?: (exposures: ReadonlyArray<Exposure>) => unknown
  /** Receives events recorded with `client.track(...)`. */
  readonly track?: (events: ReadonlyArray<TrackedEvent>) => unknown
  /** Turns a parsed config into an assigner (default `decodeAnyConfig`: raw or compiled configs). */
  readonly decode?: (input: unknown) => E.Either<TouchpointError, Assigner>
  /** The clock for timestamps (default `Date.now`). */
  readonly now?: () => number
  /** Hears sink and track failures and configs that could not be read (default: the SDK's logger). */
  readonly report?: (error: TouchpointError, where: 'config' | 'sink' | 'track') => void
}

/**
 * A config for a provider: JSON text, a config object (raw or compiled), or an `Assigner` already decoded
 * (`decodeConfig`, `fromGrowthBook`, `fromOptimizelyDatafile`, `fromUnleashFeatures`).
 *
 * @category openfeature
 * @since 0.1.0
 */
export type ProviderConfig = string | Assigner | Readonly<Record<string, unknown>>

const isAssigner = (u: unknown): u is Assigner => (u as Partial<Assigner> | null)?._tag === 'Assigner' && (u as Assigner).byKey instanceof Map

/** A config input decoded, or the reason it cannot be. @internal */
export const loadConfig = (input: unknown, decode: (input: unknown) => E.Either<TouchpointError, Assigner>): E.Either<TouchpointError, Assigner> => {
  if (isAssigner(input)) return { _tag: 'Right', right: input }
  if (typeof input === 'string') {
    const parsed = parseJson(input)
    return parsed._tag === 'Left' ? parsed : decode(parsed.right)
  }
  if (input === null || typeof input !== 'object') return { _tag: 'Left', left: invalidInput([issue('', 'a config: JSON text, a config object or an Assigner', input)]) }
  try {
    return decode(input)
  } catch (e) {
    return { _tag: 'Left', left: invalidInput([issue('', 'a config the decoder takes', e instanceof Error ? e.message : String(e))]) }
  }
}

/** What decides an experiment's answers: equal signatures, equal answers for every context. */
const signature = (x: Experiment): string =>
  JSON.stringify([x.status, x.unit, x.variants, x.values, x.weights, x.coverage, x.hashVersion, x.split.hashing.seed, x.bucketVersion, x.layer, [...x.overrides], x.targeting.map((c) => ({ ...c, values: 'values' in c ? [...c.values] : undefined })), x.gates.map((g) => [g.reason, g.attribute, g.hashing.seed])])

/** Equal signatures, or (for an experiment that has none: an Assigner built by hand in plain JavaScript) not. */
const sameSignature = (a: Experiment, b: Experiment): boolean => {
  try {
    return signature(a) === signature(b)
  } catch {
    return false
  }
}

/** The experiment keys of an assigner; in one built by hand (plain JavaScript), only its experiments' string keys. */
const keysOf = (assigner: Assigner | undefined): ReadonlyArray<string> =>
  Array.isArray(assigner?.experiments) ? assigner.experiments.flatMap((x: Partial<Experiment> | null) => (typeof x?.key === 'string' ? [x.key] : [])) : []

/** The keys of experiments added, removed or changed between two assigners. @internal */
export const changedFlags = (before: Assigner | undefined, after: Assigner): ReadonlyArray<string> => {
  const keys = new Set([...keysOf(before), ...keysOf(after)])
  return [...keys].filter((k) => {
    const a = before?.byKey.get(k)
    const b = after.byKey.get(k)
    return a === undefined || b === undefined || !sameSignature(a, b)
  })
}

type AnyEvent = Parameters<ProviderEventEmitter<never>['addHandler']>[0]

/**
 * The provider's event emitter (OpenFeature's `ProviderEventEmitter`): the SDK adds its handlers, the provider
 * emits. Handlers run in the order added; one that throws does not stop the others.
 *
 * @internal
 */
export class Emitter implements ProviderEventEmitter<AnyEvent> {
  private readonly handlers = new Map<AnyEvent, Array<EventHandler>>()
  private logger: Logger | undefined
  emit(eventType: AnyEvent, context?: EventContext): void {
    for (const handler of [...(this.handlers.get(eventType) ?? [])]) {
      try {
        const r = handler(context as never)
        if (r instanceof Promise) r.catch((e: unknown) => this.logger?.error(e))
      } catch (e) {
        this.logger?.error(e)
      }
    }
  }
  addHandler(eventType: AnyEvent, handler: EventHandler): void {
    this.handlers.set(eventType, [...(this.handlers.get(eventType) ?? []), handler])
  }
  removeHandler(eventType: AnyEvent, handler: EventHandler): void {
    this.handlers.set(eventType, (this.handlers.get(eventType) ?? []).filter((h) => h !== handler))
  }
  removeAllHandlers(eventType?: AnyEvent): void {
    if (eventType === undefined) this.handlers.clear()
    else this.handlers.delete(eventType)
  }
  getHandlers(eventType: AnyEvent): Array<EventHandler> {
    return [...(this.handlers.get(eventType) ?? [])]
  }
  setLogger(logger: Logger): this {
    this.logger = logger
    return this
  }
}

/** OpenFeature's event names (string enum values, the same in both SDKs). @internal */
export const EVENTS = { ready: 'PROVIDER_READY', error: 'PROVIDER_ERROR', changed: 'PROVIDER_CONFIGURATION_CHANGED' } as const

const iso = (ms: number) => new Date(Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : 0).toISOString()

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const num = (v: unknown): number => (typeof v === 'number' ? v : -1)

/** The exposure an evaluation's details describe (the provider put everything in `flagMetadata`). @internal */
export const exposureOf = (details: EvaluationDetails<FlagValue>, at: number): Exposure | undefined => {
  const m = details.flagMetadata
  if ((details.reason !== 'SPLIT' && details.reason !== 'TARGETING_MATCH') || typeof m?.['variant'] !== 'string') return undefined
  return {
    experiment: str(m['experiment']),
    variant: str(m['variant']),
    variantIndex: num(m['variantIndex']),
    unit: str(m['unit']),
    unitId: str(m['unitId']),
    bucket: num(m['bucket']),
    hashVersion: str(m['hashVersion']),
    override: m['override'] === true,
    sticky: m['sticky'] === true,
    ...(typeof m['layer'] === 'string' ? { layer: m['layer'] } : {}),
    bucketVersion: num(m['bucketVersion']),
    ...(typeof m['configVersion'] === 'string' ? { configVersion: m['configVersion'] } : {}),
    timestamp: iso(at),
  }
}

/**
 * The state, events, hooks and tracking both providers share.
 *
 * @internal
 */
export const providerCore = (config: ProviderConfig, options: ProviderOptions = {}) => {
  const opts: ProviderOptions = options !== null && typeof options === 'object' ? options : {}
  const decode = typeof opts.decode === 'function' ? opts.decode : decodeAnyConfig
  const now = typeof opts.now === 'function' ? opts.now : Date.now
  const events = new Emitter()
  const report = (error: TouchpointError, where: 'config' | 'sink' | 'track'): void => {
    if (typeof opts.report === 'function') opts.report(error, where)
    else console.warn(`touchpoint openfeature ${where}:`, error._tag === 'InvalidInput' ? error.issues.map((i) => `${i.path}: expected ${i.expected}`).join('; ') : error._tag)
  }
  const send = (sink: ((xs: ReadonlyArray<never>) => unknown) | undefined, items: ReadonlyArray<unknown>, where: 'sink' | 'track') => {
    if (typeof sink !== 'function') return
    // A sink that throws or rejects is reported, never thrown into the evaluation.
    Promise.resolve()
      .then(() => sink(items as ReadonlyArray<never>))
      .catch((e: unknown) => report(invalidInput([issue('', `a ${where} that takes the batch`, e instanceof Error ? e.message : String(e))]), where))
  }
  const first = loadConfig(config, decode)
  let state: ProviderState = first._tag === 'Right' ? { assigner: first.right, error: undefined } : { assigner: undefined, error: first.left }
  if (state.error !== undefined) report(state.error, 'config')

  /**
   * Replace the config. A config that cannot be read keeps the current one (and emits PROVIDER_ERROR); one that
   * changes answers emits PROVIDER_CONFIGURATION_CHANGED with the changed flag keys.
   */
  const setConfig = (input: ProviderConfig): E.Either<TouchpointError, ReadonlyArray<string>> => {
    const next = loadConfig(input, decode)
    if (next._tag === 'Left') {
      report(next.left, 'config')
      events.emit(EVENTS.error as AnyEvent, { message: 'touchpoint: the new config could not be read; the previous one stays in use' })
      return next
    }
    const flagsChanged = changedFlags(state.assigner, next.right)
    state = { assigner: next.right, error: undefined }
    if (flagsChanged.length > 0) events.emit(EVENTS.changed as AnyEvent, { flagsChanged: [...flagsChanged] })
    return { _tag: 'Right', right: flagsChanged }
  }

  const exposureHook = {
    after: (_: Readonly<HookContext<FlagValue>>, details: EvaluationDetails<FlagValue>): void => {
      const exposure = typeof opts.sink === 'function' ? exposureOf(details, now()) : undefined
      if (exposure !== undefined) send(opts.sink, [exposure], 'sink')
    },
  }

  const track = (name: string, context: EvaluationContext | undefined, details: TrackingEventDetails | undefined): void => {
    const unit = context?.targetingKey
    if (typeof opts.track !== 'function') return
    if (typeof unit !== 'string' || unit === '' || typeof name !== 'string' || name === '') {
      report(invalidInput([issue(typeof name !== 'string' || name === '' ? 'trackingEventName' : 'context.targetingKey', 'a non-empty string', typeof name !== 'string' || name === '' ? name : unit)]), 'track')
      return
    }
    const value = details?.value
    send(opts.track, [{ unit_id: unit, timestamp: iso(now()), event: name, value: typeof value === 'number' && Number.isFinite(value) ? value : null }], 'track')
  }

  return { state: () => state, setConfig, events, hooks: [exposureHook], track }
}
