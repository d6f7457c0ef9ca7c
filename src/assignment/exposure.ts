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
}

/**
 * The exposure record of an enrolled unit. Built only when logging, so assigning allocates nothing extra.
 *
 * @example
 * pipe(assigner, assignTo('checkout-button', unit), (a) => isEnrolled(a) ? toExposure(assigner)(a) : undefined)
 * // => { experiment: 'checkout-button', variant: 'green', unit: 'userId', unitId: 'u-25165e', bucket: 7229, layer: 'checkout', … }
 *
 * @category exposure
 * @since 0.1.0
 */
export const toExposure =
  (assigner: Assigner) =>
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
    }
  }
