/**
 * Assigning units: pure, total and synchronous. Every runtime gives the same answer.
 *
 * @module
 */
import type { Assigner, Assignment, Condition, Enrolled, Experiment, NotEnrolled, NotEnrolledReason, Unit } from './model'

// A unit that is no object (null from plain JavaScript) has no attributes.
const attributeOf = (unit: Unit, attribute: string) =>
  unit !== null && typeof unit === 'object' && Object.prototype.hasOwnProperty.call(unit, attribute) ? unit[attribute] : undefined

/**
 * The id a unit is hashed by: a non-empty string, or a finite number as `String(n)` writes it.
 *
 * @internal
 */
export const unitIdOf = (unit: Unit, attribute: string): string | undefined => {
  const value = attributeOf(unit, attribute)
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}


/**
 * Whether one targeting condition holds for a unit.
 *
 * @category targeting
 * @since 0.1.0
 */
export const matches =
  (unit: Unit) =>
  (condition: Condition): boolean =>
    condition !== null && typeof condition === 'object' && holds(unit, condition)

const holds = (unit: Unit, condition: Condition): boolean => {
    const value = attributeOf(unit, condition.attribute)
    switch (condition._tag) {
      case 'equals':
        return value === condition.value
      case 'in':
        return value !== null && value !== undefined && condition.values.has(value)
      case 'notIn':
        return value !== null && value !== undefined && !condition.values.has(value)
      default: // 'range'
        return (
          typeof value === 'number' &&
          Number.isFinite(value) &&
          (condition.gte === undefined || value >= condition.gte) &&
          (condition.gt === undefined || value > condition.gt) &&
          (condition.lte === undefined || value <= condition.lte) &&
          (condition.lt === undefined || value < condition.lt)
        )
    }
}

const notEnrolled = (
  experiment: string,
  reason: NotEnrolledReason,
  unit: string,
  unitId: string | undefined,
): NotEnrolled => ({ _tag: 'NotEnrolled', experiment, reason, unit, unitId })

/** @internal */
export const enrolled = (
  experiment: Experiment,
  variantIndex: number,
  bucket: number,
  unitId: string,
  override: boolean,
  sticky: boolean,
): Enrolled => ({
  _tag: 'Enrolled',
  experiment: experiment.key,
  variant: experiment.variants[variantIndex]!,
  variantIndex,
  value: experiment.values === undefined ? undefined : experiment.values[variantIndex],
  bucket: bucket < 0 || experiment.split.hashing.reported === undefined ? bucket : experiment.split.hashing.reported(bucket),
  hashVersion: experiment.hashVersion,
  unit: experiment.unit,
  unitId,
  override,
  sticky,
})

/**
 * Why a unit with this id is kept out (status, targeting, holdout, layer, coverage), or `undefined` when it is
 * admitted. Everything but the split. Sticky assignment passes `withCoverage: false`: a stored variant outlives
 * a coverage ramp-down.
 *
 * @internal
 */
export const ineligibility = (
  experiment: Experiment,
  unit: Unit,
  unitId: string,
  withCoverage: boolean,
): NotEnrolledReason | undefined => {
  if (experiment.status !== 'running') return 'inactive'
  const targeting = experiment.targeting
  for (let i = 0; i < targeting.length; i++) {
    if (!holds(unit, targeting[i]!)) return 'targeting'
  }
  const gates = experiment.gates
  for (let i = 0; i < gates.length; i++) {
    const gate = gates[i]!
    if (!withCoverage && gate.reason === 'coverage') continue
    const id = gate.attribute === undefined ? unitId : unitIdOf(unit, gate.attribute)
    if (id === undefined ? gate.required : !gate.admits(gate.hashing.bucket(id))) return gate.reason
  }
  return undefined
}

/**
 * Assign a unit to one decoded experiment. Order: unit id, override, status, targeting, gates (holdout, layer,
 * coverage), split.
 *
 * @category assignment
 * @since 0.1.0
 */
export const assignExperiment =
  (unit: Unit) =>
  (experiment: Experiment): Assignment =>
    assignOne(unit, experiment)

/**
 * `assignExperiment` uncurried: the hot path (`assignTo`, handles) calls it without building a closure. A unit
 * given as a string is the id itself (no other attributes).
 *
 * @internal
 */
export const assignOne = (unit: Unit | string, experiment: Experiment): Assignment => {
  // Not an experiment (plain JavaScript): nothing to be enrolled in.
  if (typeof experiment !== 'object' || experiment === null || experiment.split === undefined) return notEnrolled(String(experiment?.key ?? ''), 'unknown-experiment', '', undefined)
  const unitId = typeof unit === 'string' ? (unit === '' ? undefined : unit) : unitIdOf(unit, experiment.unit)
  if (unitId === undefined) return notEnrolled(experiment.key, 'missing-unit', experiment.unit, undefined)
  if (experiment.overrides.size > 0) {
    const forced = experiment.overrides.get(unitId)
    if (forced !== undefined) return enrolled(experiment, forced, -1, unitId, true, false)
  }
  const reason = ineligibility(experiment, unit as Unit, unitId, true)
  if (reason !== undefined) return notEnrolled(experiment.key, reason, experiment.unit, unitId)
  const split = experiment.split
  const bucket = split.hashing.bucket(unitId)
  const variantIndex = split.variantAt(bucket)
  return variantIndex < 0
    ? notEnrolled(experiment.key, 'coverage', experiment.unit, unitId)
    : enrolled(experiment, variantIndex, bucket, unitId, false, false)
}

/**
 * Assign a unit to one experiment of a config, by key. Total: an unknown key gives `NotEnrolled` with reason
 * `unknown-experiment`.
 *
 * @example
 * pipe(assigner, assignTo('checkout-button', { userId: 'u-123' }))
 * // => { _tag: 'Enrolled', experiment: 'checkout-button', variant: 'green', variantIndex: 1, bucket: 7876, … }
 *
 * @category assignment
 * @since 0.1.0
 */
export const assignTo =
  (experimentKey: string, unit: Unit) =>
  (assigner: Assigner): Assignment => {
    const experiment = assigner?.byKey?.get(experimentKey)
    return experiment === undefined ? notEnrolled(experimentKey, 'unknown-experiment', '', undefined) : assignOne(unit, experiment)
  }

/**
 * Assign a unit to every experiment of a config, in config order.
 *
 * @example
 * pipe(assigner, assign({ userId: 'u-123', country: 'DE' }))
 * // => [{ _tag: 'Enrolled', experiment: 'checkout-button', variant: 'green', … },
 * //     { _tag: 'NotEnrolled', experiment: 'express-checkout', reason: 'targeting', … },
 * //     { _tag: 'NotEnrolled', experiment: 'welcome-email-subject', reason: 'missing-unit', … }]
 *
 * @category assignment
 * @since 0.1.0
 */
export const assign =
  (unit: Unit) =>
  (assigner: Assigner): ReadonlyArray<Assignment> =>
    Array.isArray(assigner?.experiments) ? assigner.experiments.map(assignExperiment(unit)) : []

/**
 * Refinement for `Enrolled`.
 *
 * @category refinements
 * @since 0.1.0
 */
export const isEnrolled = (assignment: Assignment): assignment is Enrolled => assignment?._tag === 'Enrolled'

/**
 * The variant key a unit sees, or `fallback` (usually the control) when it is not enrolled.
 *
 * @example
 * pipe(assigner, assignTo('checkout-button', unit), variantOr('control')) // => 'green'
 *
 * @category destructors
 * @since 0.1.0
 */
export const variantOr =
  (fallback: string) =>
  (assignment: Assignment): string =>
    assignment?._tag === 'Enrolled' ? assignment.variant : fallback
