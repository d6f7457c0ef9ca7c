/**
 * What a config change would do to units already assigned: per experiment, the share of units whose outcome
 * (variant, or not enrolled) changes. Computed exactly over the bucket spaces, not by sampling.
 *
 * @module
 */
import type { Assigner, Experiment, Gate, Hashing, Split } from './model'

/**
 * How one experiment's outcomes move between two configs. Shares are of units that pass targeting (targeting
 * changes are not modelled).
 *
 * @category preview
 * @since 0.1.0
 */
export interface ChangePreview {
  readonly experiment: string
  /** Share of units whose outcome differs: the sum of the three below. */
  readonly changed: number
  /** Enrolled before and after, in another variant. */
  readonly switched: number
  /** Not enrolled before, enrolled after. */
  readonly entering: number
  /** Enrolled before, not after. */
  readonly leaving: number
  /** Share enrolled before and after. */
  readonly enrolledBefore: number
  readonly enrolledAfter: number
}

const FAIL = '\u0000fail'
const PASS = '\u0000pass'

/** A hash identity: the same id, size and attribute put every unit in the same bucket. */
const identity = (hashing: Hashing, attribute: string | undefined) => `${attribute ?? ''}\u0001${hashing.seed}\u0001${hashing.size}`

interface Factor {
  readonly size: number
  readonly before: Array<(bucket: number) => string>
  readonly after: Array<(bucket: number) => string>
}

const gatePart = (gate: Gate) => (b: number) => (gate.admits(b) ? PASS : FAIL)
const splitPart = (experiment: Experiment, split: Split) => (b: number) => {
  const i = split.variantAt(b)
  return i < 0 ? FAIL : experiment.variants[i]!
}

const addParts = (factors: Map<string, Factor>, experiment: Experiment | undefined, side: 'before' | 'after') => {
  if (experiment === undefined || experiment.status !== 'running') return false
  const add = (hashing: Hashing, attribute: string | undefined, part: (b: number) => string) => {
    const id = identity(hashing, attribute)
    const factor = factors.get(id) ?? { size: hashing.size, before: [], after: [] }
    factor[side].push(part)
    factors.set(id, factor)
  }
  for (const gate of experiment.gates) add(gate.hashing, gate.attribute, gatePart(gate))
  add(experiment.split.hashing, undefined, splitPart(experiment, experiment.split))
  return true
}

const combine = (acc: string, part: string): string => (acc === FAIL || part === FAIL ? FAIL : acc === PASS ? part : acc)

const fold = (parts: ReadonlyArray<(b: number) => string>, b: number): string => {
  let acc = PASS
  for (const part of parts) acc = combine(acc, part(b))
  return acc
}

/** Joint distribution of (before, after) outcomes, exact over each hash space, independent across hashes. */
const outcomes = (before: Experiment | undefined, after: Experiment | undefined): Map<string, number> => {
  const factors = new Map<string, Factor>()
  const liveBefore = addParts(factors, before, 'before')
  const liveAfter = addParts(factors, after, 'after')
  let joint = new Map<string, number>([[`${liveBefore ? PASS : FAIL}\u0002${liveAfter ? PASS : FAIL}`, 1]])
  for (const factor of factors.values()) {
    const counts = new Map<string, number>()
    for (let b = 0; b < factor.size; b++) {
      const key = `${fold(factor.before, b)}\u0002${fold(factor.after, b)}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    // Integer counts, divided once: summing 1/size ten thousand times would drift in the last digits.
    const local = new Map([...counts].map(([key, n]) => [key, n / factor.size] as const))
    const next = new Map<string, number>()
    for (const [accKey, p] of joint) {
      const [accBefore, accAfter] = accKey.split('\u0002') as [string, string]
      for (const [partKey, q] of local) {
        const [partBefore, partAfter] = partKey.split('\u0002') as [string, string]
        const key = `${combine(accBefore, partBefore)}\u0002${combine(accAfter, partAfter)}`
        next.set(key, (next.get(key) ?? 0) + p * q)
      }
    }
    joint = next
  }
  return joint
}

/**
 * Per experiment in either config, the share of units that would see another outcome under `after` than under
 * `before`. Exact over every hash space, assuming (as the hash design ensures and the tests check) that hashes
 * with different seeds are independent. Overrides and sticky assignments are not modelled.
 *
 * @example
 * pipe(newAssigner, previewChange(oldAssigner))
 * // => [{ experiment: 'checkout-button', changed: 0.095, switched: 0.095, entering: 0, leaving: 0, enrolledBefore: 0.475, … }, …]
 * // (50/50 became 30/70: 20% of the 47.5% enrolled switch; the rest of the config is unchanged)
 *
 * @category preview
 * @since 0.1.0
 */
export const previewChange =
  (before: Assigner) =>
  (after: Assigner): ReadonlyArray<ChangePreview> => {
    // Plain JavaScript may pass anything: what is not an assigner (its experiments and their index) previews nothing.
    if (!Array.isArray(before?.experiments) || !Array.isArray(after?.experiments) || !(before.byKey instanceof Map) || !(after.byKey instanceof Map)) return []
    const keys = [...new Set([...before.experiments.map((x) => x.key), ...after.experiments.map((x) => x.key)])]
    return keys.map((key) => {
      let switched = 0
      let entering = 0
      let leaving = 0
      let enrolledBefore = 0
      let enrolledAfter = 0
      for (const [pair, p] of outcomes(before.byKey.get(key), after.byKey.get(key))) {
        const [b, a] = pair.split('\u0002') as [string, string]
        const inBefore = b !== FAIL && b !== PASS
        const inAfter = a !== FAIL && a !== PASS
        if (inBefore) enrolledBefore += p
        if (inAfter) enrolledAfter += p
        if (inBefore && inAfter && a !== b) switched += p
        else if (!inBefore && inAfter) entering += p
        else if (inBefore && !inAfter) leaving += p
      }
      return { experiment: key, changed: switched + entering + leaving, switched, entering, leaving, enrolledBefore, enrolledAfter }
    })
  }
