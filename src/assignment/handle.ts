/**
 * Experiment handles: the experiment looked up once, then assigned per request with nothing allocated.
 *
 * @module
 */
import type * as O from 'fp-ts/Option'
import { assignOne, ineligibility, unitIdOf } from './assign'
import type { Assigner, Assignment, Experiment, Unit } from './model'

/**
 * One experiment of a config, ready for the hot path.
 *
 * @category assignment
 * @since 0.1.0
 */
export interface ExperimentHandle {
  readonly experiment: Experiment
  /**
   * The index of the variant the unit sees, -1 when it is not enrolled; allocates nothing (a numeric id is
   * written as a string, as `assign` reads it). A string is the id itself, with no other attribute (so it fails
   * any targeting condition).
   */
  readonly variantIndex: (unit: Unit | string) => number
  /** The full `Assignment`, equal to `assignTo(key, unit)(assigner)`; the result is the only object allocated. */
  readonly assign: (unit: Unit | string) => Assignment
}

const handleOf = (x: Experiment): ExperimentHandle => {
  const { split, overrides } = x
  const hashing = split.hashing
  const hasOverrides = overrides.size > 0
  return {
    experiment: x,
    variantIndex: (unit) => {
      const id = typeof unit === 'string' ? (unit === '' ? undefined : unit) : unitIdOf(unit, x.unit)
      if (id === undefined) return -1
      if (hasOverrides) {
        const forced = overrides.get(id)
        if (forced !== undefined) return forced
      }
      if (ineligibility(x, unit as Unit, id, true) !== undefined) return -1
      return split.variantAt(hashing.bucket(id))
    },
    assign: (unit) => assignOne(unit, x),
  }
}

/**
 * A handle on one experiment of a config, `none` for a key it does not have: resolve it once (when the config
 * loads), then call `variantIndex` or `assign` per unit.
 *
 * **When to use**: the hot path of a service assigning one experiment millions of times; `variantIndex`
 * allocates nothing at all. `assignTo` does the same lookup per call.
 *
 * @example
 * const checkout = pipe(assigner, experimentHandle('checkout-button')) // => some(…)
 * const index = O.isSome(checkout) ? checkout.value.variantIndex(unit) : -1 // => 1
 * const enrolled = O.isSome(checkout) ? checkout.value.assign('u-25165e') : undefined
 * // => { _tag: 'Enrolled', variant: 'green', variantIndex: 1, …, unitId: 'u-25165e', … }
 *
 * @category assignment
 * @since 0.1.0
 */
export const experimentHandle =
  (key: string) =>
  (assigner: Assigner): O.Option<ExperimentHandle> => {
    const x = typeof key === 'string' ? assigner?.byKey?.get(key) : undefined
    // Plain objects, not fp-ts's constructors: importing fp-ts/Option's values weighs on edge bundles.
    return x === undefined || x.split === undefined ? { _tag: 'None' } : { _tag: 'Some', value: handleOf(x) }
  }
