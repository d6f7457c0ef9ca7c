/**
 * @module
 */
import type { Assigner, Enrolled } from './model'

/**
 * What to log when a unit is exposed to a variant: enough to join exposures to outcomes and to audit how the
 * unit was assigned. Plain data, safe to `JSON.stringify`.
 *
 * @category exposure
 * @since 0.1.0
 */
export interface Exposure {
  readonly experiment: string
  readonly variant: string
  readonly variantIndex: number
  readonly unit: string
  readonly unitId: string
  readonly bucket: number
  readonly hashVersion: string
  readonly override: boolean
  readonly sticky: boolean
  readonly layer?: string
  readonly bucketVersion: number
  readonly configVersion?: string
  /**
   * When the unit was exposed, ISO 8601 UTC (`2026-11-23T10:15:30.123Z`): set by whoever saw the exposure (the
   * adapters, the OpenFeature providers); the pure `toExposure` adds it only when given one.
   */
  readonly timestamp?: string
}

/**
 * The exposure record of an enrolled unit. Built only when logging, so assigning allocates nothing extra.
 * `at` (milliseconds since the epoch, from the caller's clock: the core reads none) becomes `timestamp`.
 *
 * Exposure logs are analysis input as they are: `unitId` is the unit id column (`unit_id`), with `experiment`,
 * `variant` and `timestamp`.
 *
 * @example
 * pipe(assigner, assignTo('checkout-button', unit), (a) => isEnrolled(a) ? toExposure(assigner)(a) : undefined)
 * // => { experiment: 'checkout-button', variant: 'green', unit: 'userId', unitId: 'u-25165e', bucket: 7229, layer: 'checkout', … }
 *
 * @category exposure
 * @since 0.1.0
 */
export const toExposure =
  (assigner: Assigner, at?: number) =>
  (a: Enrolled): Exposure => {
    const experiment = assigner?.byKey?.get(a?.experiment)
    const layer = experiment?.layer
    if (a === null || typeof a !== 'object') a = {} as Enrolled
    return {
      experiment: a.experiment,
      variant: a.variant,
      variantIndex: a.variantIndex,
      unit: a.unit,
      unitId: a.unitId,
      bucket: a.bucket,
      hashVersion: a.hashVersion,
      override: a.override,
      sticky: a.sticky,
      ...(layer === undefined ? {} : { layer }),
      bucketVersion: experiment?.bucketVersion ?? 0,
      ...(assigner?.version === undefined ? {} : { configVersion: assigner.version }),
      ...(typeof at === 'number' && Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? { timestamp: new Date(at).toISOString() } : {}),
    }
  }
