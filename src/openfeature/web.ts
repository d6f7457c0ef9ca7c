/**
 * The OpenFeature web provider (`@openfeature/web-sdk`): synchronous resolution against the one evaluation
 * context the app sets (`OpenFeature.setContext`).
 *
 * @module
 */
import type { EvaluationContext, JsonValue, Provider, ResolutionDetails, TrackingEventDetails } from '@openfeature/web-sdk'
import type * as E from 'fp-ts/Either'
import type { TouchpointError } from '../core/errors'
import { providerCore, type ProviderConfig, type ProviderOptions } from './core'
import { resolveFlag } from './evaluate'

/**
 * A touchpoint config as an OpenFeature web provider: the same flags, values, reasons, error codes, metadata,
 * exposure hook, `track` and PROVIDER_CONFIGURATION_CHANGED as `TouchpointProvider`, resolved synchronously
 * (assignment is pure and local: there is nothing to fetch when the context changes).
 *
 * @example
 * import { OpenFeature } from '@openfeature/web-sdk'
 *
 * await OpenFeature.setProviderAndWait(new TouchpointWebProvider(compiledFlags), { targetingKey: deviceId })
 * OpenFeature.getClient().getStringValue('button-color', 'grey') // => 'green'
 *
 * @category openfeature
 * @since 0.1.0
 */
export class TouchpointWebProvider implements Provider {
  readonly metadata = { name: 'touchpoint-web' } as const
  readonly runsOn = 'client' as const
  private readonly core: ReturnType<typeof providerCore>
  readonly events: NonNullable<Provider['events']>
  readonly hooks: NonNullable<Provider['hooks']>

  constructor(config: ProviderConfig, options: ProviderOptions = {}) {
    this.core = providerCore(config, options)
    this.events = this.core.events
    this.hooks = this.core.hooks as unknown as NonNullable<Provider['hooks']>
  }

  /** Replace the config: see `TouchpointProvider.setConfig`. */
  setConfig(config: ProviderConfig): E.Either<TouchpointError, ReadonlyArray<string>> {
    return this.core.setConfig(config)
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return resolveFlag(this.core.state(), 'boolean', flagKey, defaultValue, context)
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return resolveFlag(this.core.state(), 'string', flagKey, defaultValue, context)
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): ResolutionDetails<number> {
    return resolveFlag(this.core.state(), 'number', flagKey, defaultValue, context)
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    return resolveFlag(this.core.state(), 'object', flagKey, defaultValue, context)
  }

  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.core.track(trackingEventName, context, trackingEventDetails)
  }
}
