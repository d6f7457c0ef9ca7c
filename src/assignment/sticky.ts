/**
 * Sticky assignment, pure: the stored map goes in and the updated map comes out; storing it is the caller's job
 * (a cookie, a KV entry, a user-profile row).
 *
 * @module
 */
import { assignExperiment, enrolled, ineligibility, unitIdOf } from './assign'
import type { Assigner, Assignment, Experiment, Unit } from './model'

/**
 * One unit's stored assignments: `"<experiment>__<bucketVersion>"` -> variant key (GrowthBook's key shape).
 *
 * @category sticky
 * @since 0.1.0
 */
export type StickyAssignments = Readonly<Record<string, string>>

/**
 * The result of a sticky assignment: the assignments and the map to store back.
 *
 * @category sticky
 * @since 0.1.0
 */
export interface StickyResult {
  readonly assignments: ReadonlyArray<Assignment>
  readonly stored: StickyAssignments
}

/**
 * The key an experiment's stored assignment lives under.
 *
 * @category sticky
 * @since 0.1.0
 */
export const stickyKey = (experiment: Pick<Experiment, 'key' | 'bucketVersion'>): string =>
  `${textOf(experiment?.key)}__${textOf(experiment?.bucketVersion)}`

/** A key part as text; what has no text of its own (an object, a symbol, from plain JavaScript) as ''. */
const textOf = (u: unknown): string => (u === null || (typeof u !== 'object' && typeof u !== 'symbol' && typeof u !== 'function') ? String(u) : '')

/**
 * Assign a unit, keeping any variant it was given before.
 *
 * Eligibility still applies first: status, targeting, holdouts and layer allocation (mutual exclusion wins over
 * stickiness). A stored variant then bypasses coverage and weights, so ramping coverage down or changing
 * weights never moves a unit that already saw a variant. A stored variant the experiment no longer has, or one
 * stored under another `bucketVersion`, is ignored and the unit is assigned afresh. Overrides win and are not
 * stored.
 *
 * @example
 * const first = pipe(assigner, assignSticky(unit, {}))
 * first.stored // => { 'checkout-button__0': 'green', … }
 * const later = pipe(rampedAssigner, assignSticky(unit, first.stored))
 * later.assignments[0] // => { _tag: 'Enrolled', variant: 'green', sticky: true, … }
 *
 * @category sticky
 * @since 0.1.0
 */
export const assignSticky =
  (unit: Unit, stored: StickyAssignments) =>
  (assigner: Assigner): StickyResult => {
    let next: Record<string, string> | undefined
    // From plain JavaScript: a store that is no object holds nothing; an assigner that is none has no experiments.
    if (stored === null || typeof stored !== 'object') stored = {}
    const assignments = (Array.isArray(assigner?.experiments) ? assigner.experiments : []).map((experiment): Assignment => {
      const unitId = unitIdOf(unit, experiment.unit)
      const key = stickyKey(experiment)
      const kept = Object.prototype.hasOwnProperty.call(stored, key) ? stored[key] : undefined
      const keptIndex = kept === undefined ? -1 : experiment.variants.indexOf(kept)
      if (unitId !== undefined && keptIndex >= 0 && !experiment.overrides.has(unitId) && ineligibility(experiment, unit, unitId, false) === undefined) {
        return enrolled(experiment, keptIndex, -1, unitId, false, true)
      }
      const fresh = assignExperiment(unit)(experiment)
      if (fresh._tag === 'Enrolled' && !fresh.override && kept !== fresh.variant) {
        next ??= { ...stored }
        next[key] = fresh.variant
      }
      return fresh
    })
    return { assignments, stored: next ?? stored }
  }
