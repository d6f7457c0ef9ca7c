/**
 * @module
 */
import type { Assigner } from './model'

/**
 * One variant's designed share of enrolled units.
 *
 * @category split
 * @since 0.1.0
 */
export interface DesignedShare {
  readonly variant: string
  readonly weight: number
}

/**
 * The split an experiment was designed with, for a sample ratio mismatch check (`touchpoint/stats`). `undefined`
 * for an unknown key.
 *
 * @example
 * pipe(assigner, designedSplit('checkout-button'))
 * // => [{ variant: 'control', weight: 0.5 }, { variant: 'green', weight: 0.5 }]
 *
 * @category split
 * @since 0.1.0
 */
export const designedSplit =
  (experimentKey: string) =>
  (assigner: Assigner): ReadonlyArray<DesignedShare> | undefined => {
    const experiment = assigner.byKey.get(experimentKey)
    return experiment?.variants.map((variant, i) => ({ variant, weight: experiment.weights[i]! }))
  }
