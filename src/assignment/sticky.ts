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
      const [assignment, store] = assignStickyExperiment(unit, stored)(experiment)
      if (store !== undefined) {
        next ??= { ...stored }
        next[stickyKey(experiment)] = store
      }
      return assignment
    })
    return { assignments, stored: next ?? stored }
  }

/**
 * `assignSticky` for one experiment: the assignment and, when the record must change, the variant to store
 * under `stickyKey(experiment)` (`undefined`: leave the record as it is). What the adapters call per request.
 *
 * @internal
 */
export const assignStickyExperiment =
  (unit: Unit, stored: StickyAssignments) =>
  (experiment: Experiment): readonly [Assignment, string | undefined] => {
    // What is no built experiment (plain JavaScript): assignExperiment's answer for it, and nothing stored.
    if (typeof experiment !== 'object' || experiment === null || experiment.split === undefined) return [assignExperiment(unit)(experiment), undefined]
    const unitId = unitIdOf(unit, experiment.unit)
    const key = stickyKey(experiment)
    const kept = Object.prototype.hasOwnProperty.call(stored, key) ? stored[key] : undefined
    const keptIndex = kept === undefined ? -1 : experiment.variants.indexOf(kept)
    if (unitId !== undefined && keptIndex >= 0 && !experiment.overrides.has(unitId) && ineligibility(experiment, unit, unitId, false) === undefined) {
      return [enrolled(experiment, keptIndex, -1, unitId, false, true), undefined]
    }
    const fresh = assignExperiment(unit)(experiment)
    return [fresh, fresh._tag === 'Enrolled' && !fresh.override && kept !== fresh.variant ? fresh.variant : undefined]
  }

/**
 * A sticky record as compact text for a cookie or a KV value: `key=variant` pairs, URI-encoded, joined by `&`
 * (every character is a cookie octet). Pairs go in the record's order while the text stays within `maxLength`
 * characters; a pair that would pass it, or whose text has a lone surrogate (no URI form), is left out (that
 * unit is assigned afresh for it, which gives the same variant while the config is unchanged). Never throws. `decodeStickyRecord` reads it back.
 *
 * @example
 * encodeStickyRecord({ 'checkout-button__0': 'green', 'hero__2': 'big' }, 1024) // => 'checkout-button__0=green&hero__2=big'
 *
 * @category sticky
 * @since 0.1.0
 */
export const encodeStickyRecord = (stored: StickyAssignments, maxLength: number): string => {
  let out = ''
  const cap = typeof maxLength === 'number' ? maxLength : 0 // plain JavaScript: what is no number leaves no room
  for (const key in stored) {
    try {
      const variant = stored[key]
      const pair = `${encodeURIComponent(key)}=${encodeURIComponent(variant as string)}`
      const next = out === '' ? pair : `${out}&${pair}`
      if (typeof variant === 'string' && next.length <= cap) out = next
    } catch {
      // Text with a lone surrogate has no URI form (a getter may throw, from plain JavaScript): left out.
    }
  }
  return out
}

/**
 * The record `encodeStickyRecord` wrote, or an empty record when the text is none, malformed or tampered with
 * in a way that breaks its form (a pair without `=`, a key given twice, a broken `%` escape): a record that
 * cannot be read whole is not trusted in part. Never throws. What it names is still checked against the config
 * by `assignSticky` (an experiment or variant that does not exist, or another bucket version, is ignored).
 *
 * @example
 * decodeStickyRecord('checkout-button__0=green&hero__2=big') // => { 'checkout-button__0': 'green', hero__2: 'big' }
 * decodeStickyRecord('checkout-button__0=%E0') // => {}
 *
 * @category sticky
 * @since 0.1.0
 */
export const decodeStickyRecord = (text: string): StickyAssignments => {
  // No prototype: a key such as `__proto__` or `constructor` is data here, never Object.prototype's.
  const out = Object.create(null) as Record<string, string>
  if (typeof text !== 'string' || text === '') return out
  try {
    for (const pair of text.split('&')) {
      const eq = pair.indexOf('=')
      const key = decodeURIComponent(pair.slice(0, eq))
      if (eq < 1 || key in out) return Object.create(null) as Record<string, string>
      out[key] = decodeURIComponent(pair.slice(eq + 1))
    }
  } catch {
    return Object.create(null) as Record<string, string>
  }
  return out
}
