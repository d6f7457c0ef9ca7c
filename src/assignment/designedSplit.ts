/**
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import type { Assigner, Experiment } from './model'

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

const MAX_KEYS_NAMED = 10

/**
 * The split an experiment was designed with, for a sample ratio mismatch check (`touchpoint/stats`). `Left` for
 * a key the config does not have, naming the keys it has.
 *
 * @example
 * pipe(assigner, designedSplit('checkout-button'))
 * // => right([{ variant: 'control', weight: 0.5 }, { variant: 'green', weight: 0.5 }])
 * pipe(assigner, designedSplit('chekout-button'))
 * // => left({ _tag: 'InvalidInput', issues: [{ path: 'experimentKey',
 * //          expected: 'the key of an experiment of the config ("checkout-button", "express-checkout", "welcome-email-subject")',
 * //          actual: 'chekout-button' }] })
 *
 * @category split
 * @since 0.1.0
 */
export const designedSplit =
  (experimentKey: string) =>
  (assigner: Assigner): E.Either<TouchpointError, ReadonlyArray<DesignedShare>> => {
    const byKey = (assigner as Partial<Assigner> | null | undefined)?.byKey
    const experiment: Experiment | undefined = byKey instanceof Map && typeof experimentKey === 'string' ? byKey.get(experimentKey) : undefined
    if (experiment === undefined) {
      const keys = byKey instanceof Map ? [...byKey.keys()] : []
      const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => JSON.stringify(k)).join(', ') + (keys.length > MAX_KEYS_NAMED ? `, … ${keys.length - MAX_KEYS_NAMED} more` : '')
      return E.left(invalidInput([issue('experimentKey', byKey instanceof Map ? `the key of an experiment of the config (${named || 'it has none'})` : 'an Assigner (from decodeConfig or an importer) holding that experiment', experimentKey)]))
    }
    return E.right(experiment.variants.map((variant, i) => ({ variant, weight: experiment.weights[i]! })))
  }
