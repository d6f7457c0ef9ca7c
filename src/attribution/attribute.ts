/**
 * From a partial result to credits per channel and model.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { insufficientData, invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { partialIssues, shapleyOptionIssues } from './internal/guards'
import { markovRemovalEffects, type MarkovResult } from './markov'
import type { Attribution, AttributionPartial, ChannelResult, Credit, ModelName, RuleModel } from './model'
import { MODEL_NAMES, RULE_MODELS } from './model'
import { shapleyRate, shapleySimplified, type ShapleyRateOptions } from './shapley'

/**
 * What to compute: the models (in output order) and the options of sampled Shapley.
 *
 * @category attribute
 * @since 0.1.0
 */
export interface AttributeOptions {
  readonly models: ReadonlyArray<ModelName>
  readonly shapley?: ShapleyRateOptions
}

/** From plain JavaScript: why `o` is not `AttributeOptions`. */
const optionIssues = (o: unknown): ReadonlyArray<Issue> =>
  isRecord(o)
    ? [
        ...(Array.isArray(o['models']) ? [] : [issue('models', `a list of model names (${MODEL_NAMES.join(', ')})`, o['models'])]),
        ...(o['shapley'] === undefined ? [] : shapleyOptionIssues(o['shapley'], 'shapley')),
      ]
    : [issue('options', "an object such as { models: ['first', 'markov'] }", o)]

const isRule = (m: ModelName): m is RuleModel => (RULE_MODELS as ReadonlyArray<string>).includes(m)

/**
 * Credits per channel for each requested model. Every model except participation hands out exactly the total
 * conversions and value; channels seen only on non-converting paths are listed with 0.
 *
 * **Gotchas**: `Left(InsufficientData)` for `time_decay` when some converting journey has no timestamps
 * (aggregated paths), and for `markov` when nothing converts.
 *
 * @example
 * pipe(partial, attribute({ models: ['first', 'linear', 'markov'] }))
 * // => right({ models: ['first', 'linear', 'markov'], channels: [{ channel: 'search', credits: { first: { conversions: 3, value: 140 }, … }, … }, …], … })
 *
 * @category attribute
 * @since 0.1.0
 */
export const attribute =
  (options: AttributeOptions) =>
  (partial: AttributionPartial): E.Either<TouchpointError, Attribution> => {
    const bad = [...optionIssues(options), ...partialIssues(partial, 'partial')]
    if (bad.length > 0) return E.left(invalidInput(bad))
    const unknown = options.models.filter((m) => !MODEL_NAMES.includes(m))
    if (unknown.length > 0) return E.left(invalidInput(unknown.map((m) => issue('models', `one of ${MODEL_NAMES.join(', ')}`, m))))
    const models = [...new Set(options.models)]
    if (models.includes('time_decay') && partial.totals.untimedConversions > 0) {
      return E.left(insufficientData(`time_decay needs a timestamp on every touch (event-level input); ${partial.totals.untimedConversions} conversions come from paths without times`))
    }
    const n = partial.channels.length
    const columns = new Map<ModelName, { readonly conversions: ReadonlyArray<number>; readonly value: ReadonlyArray<number> }>()
    let markov: MarkovResult | undefined
    let sampledSets: number | undefined
    for (const m of models) {
      if (isRule(m)) columns.set(m, partial.rules[m])
      else if (m === 'participation') {
        const conversions = new Array<number>(n).fill(0)
        const value = new Array<number>(n).fill(0)
        for (const s of partial.sets) {
          for (const c of s.channels) {
            conversions[c] = conversions[c]! + s.conversions
            value[c] = value[c]! + s.value
          }
        }
        columns.set(m, { conversions, value })
      } else if (m === 'shapley') columns.set(m, shapleySimplified(partial))
      else if (m === 'shapley_rate') {
        const r = shapleyRate(options.shapley)(partial)
        sampledSets = r.sampledSets
        columns.set(m, r)
      } else {
        const r = markovRemovalEffects(partial)
        if (E.isLeft(r)) return r
        markov = r.right
        columns.set(m, r.right)
      }
    }
    const channels: Array<ChannelResult> = partial.channels.map((channel, i) => {
      const credits: Partial<Record<ModelName, Credit>> = {}
      for (const [m, col] of columns) credits[m] = { conversions: col.conversions[i]!, value: col.value[i]! }
      return markov === undefined
        ? { channel, credits }
        : { channel, credits, markovRemovalEffect: markov.removalEffects[i]!, markovValueRemovalEffect: markov.valueRemovalEffects[i]! }
    })
    return E.right({
      models,
      channels,
      totals: partial.totals,
      ...(markov === undefined ? {} : { markovConversionProbability: markov.conversionProbability }),
      ...(sampledSets === undefined ? {} : { sampledSets }),
    })
  }
