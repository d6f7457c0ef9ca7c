/**
 * The OpenFeature server provider (`@openfeature/server-sdk`): asynchronous resolution, one evaluation context
 * per call.
 *
 * @module
 */
import type { EvaluationContext, JsonValue, Provider, ResolutionDetails, TrackingEventDetails } from '@openfeature/server-sdk'
import type * as E from 'fp-ts/Either'
import type { TouchpointError } from '../core/errors'
import { providerCore, type ProviderConfig, type ProviderOptions } from './core'
import { resolveFlag, type FlagType } from './evaluate'

/**
 * A touchpoint config as an OpenFeature server provider: each experiment is a flag, the evaluation context's
 * `targetingKey` is the unit id and its other attributes feed targeting; the value is the enrolled variant's
 * (`reason` SPLIT, or TARGETING_MATCH for an override), the default when the unit is not enrolled (DEFAULT) or
 * the experiment is a draft or stopped (DISABLED). Errors: FLAG_NOT_FOUND, TYPE_MISMATCH (the experiment's
 * values are of another type), TARGETING_KEY_MISSING, PARSE_ERROR (no config could be read). `flagMetadata`
 * names the experiment, bucket, hash version and config version. Exposures reach `options.sink` through the
 * provider's hook; `client.track(name, context, { value })` reaches `options.track`; `setConfig` swaps the
 * config and emits PROVIDER_CONFIGURATION_CHANGED.
 *
 * @example
 * import { OpenFeature } from '@openfeature/server-sdk'
 *
 * await OpenFeature.setProviderAndWait(new TouchpointProvider(flagsText, { sink: (xs) => log(xs) }))
 * const checkout = await OpenFeature.getClient().getBooleanDetails('new-checkout', false, { targetingKey: 'qa-anna' })
 * // => { flagKey: 'new-checkout', value: true, variant: 'on', reason: 'TARGETING_MATCH', … }
 *
 * @category openfeature
 * @since 0.1.0
 */
export class TouchpointProvider implements Provider {
  readonly metadata = { name: 'touchpoint' } as const
  readonly runsOn = 'server' as const
  private readonly core: ReturnType<typeof providerCore>
  readonly events: NonNullable<Provider['events']>
  readonly hooks: NonNullable<Provider['hooks']>

  constructor(config: ProviderConfig, options: ProviderOptions = {}) {
    this.core = providerCore(config, options)
    this.events = this.core.events
    this.hooks = this.core.hooks as unknown as NonNullable<Provider['hooks']>
  }

  /** Replace the config; see the class documentation. The changed flag keys, or why the config was refused. */
  setConfig(config: ProviderConfig): E.Either<TouchpointError, ReadonlyArray<string>> {
    return this.core.setConfig(config)
  }

  private resolve<T>(type: FlagType, flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(resolveFlag(this.core.state(), type, flagKey, defaultValue, context))
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve('boolean', flagKey, defaultValue, context)
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.resolve('string', flagKey, defaultValue, context)
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.resolve('number', flagKey, defaultValue, context)
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.resolve('object', flagKey, defaultValue, context)
  }

  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.core.track(trackingEventName, context, trackingEventDetails)
  }
}
