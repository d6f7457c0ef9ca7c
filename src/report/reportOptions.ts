/**
 * What a report shows (`ReportOptions`), and why a plain-JavaScript caller's options are not that.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName } from '../attribution/model'
import type { ShapleyRateOptions } from '../attribution/shapley'
import { issue, type Issue } from '../core/errors'
import { isRecord } from '../core/guards'
import type { Satisfaction } from './actions'
import type { DecisionOptions } from './decide'
import { costsIssues } from './internal/guards'
import type { Costs } from './model'
import { decodeStageMapping, type MediumMapping, type StageMapping } from './stages'
import type { TouchpointExperiment } from './touchpointExperiments'

/**
 * What a report shows.
 *
 * - `models`: attribution models, side by side (see attribution's `ModelName`).
 * - `stages`, `defaultStages`: the stage mapping, and whether default rules fill the gaps (default true).
 * - `media`: online or offline per channel (`decodeMediumMapping`), over the words of the name on the map.
 * - `costs`: cost per channel (`parseCosts`), for cost per conversion, return on spend and the ranking.
 * - `level`: bootstrap interval level (default 0.95).
 * - `top`: paths and transitions listed (default 10).
 * - `satisfaction`: survey scores by touchpoint (`parseSurveys`), for the actions and the map's cards.
 * - `experiments`: experiments on touchpoints (`parseTouchpointExperiments`), for the actions and the cards.
 * - `tests`: significance level and power of the tests the actions suggest (default 0.05 and 0.8).
 *
 * @category report
 * @since 0.1.0
 */
export interface ReportOptions {
  readonly models: ReadonlyArray<ModelName>
  readonly stages?: StageMapping
  readonly media?: MediumMapping
  readonly defaultStages?: boolean
  readonly costs?: Costs
  readonly level?: number
  readonly top?: number
  readonly shapley?: ShapleyRateOptions
  readonly satisfaction?: Readonly<Record<string, Satisfaction>>
  readonly experiments?: ReadonlyArray<TouchpointExperiment>
  readonly tests?: DecisionOptions
}

/** @internal From plain JavaScript: why `o` is not `ReportOptions` (models and Shapley options are checked by `attribute`). */
export const optionIssues = (o: unknown): ReadonlyArray<Issue> => {
  if (!isRecord(o)) return [issue('options', "an object such as { models: ['linear', 'markov'] }", o)]
  const { models, stages, media, defaultStages, costs, top } = o as Record<string, unknown>
  const mapping = stages === undefined ? undefined : decodeStageMapping(stages)
  return [
    ...(Array.isArray(models) ? [] : [issue('models', 'a list of model names', models)]),
    ...(mapping === undefined || E.isRight(mapping) ? [] : mapping.left._tag === 'InvalidInput' ? mapping.left.issues.map((i) => ({ ...i, path: i.path === '' ? 'stages' : i.path.startsWith('[') ? `stages${i.path}` : `stages.${i.path}` })) : []),
    ...(media === undefined || (isRecord(media) && Object.values(media).every((v) => v === 'online' || v === 'offline')) ? [] : [issue('media', 'an object of channel -> "online" or "offline"', media)]),
    ...(defaultStages === undefined || typeof defaultStages === 'boolean' ? [] : [issue('defaultStages', 'true or false', defaultStages)]),
    ...(costs === undefined ? [] : costsIssues(costs, 'costs')),
    ...(top === undefined || (typeof top === 'number' && Number.isInteger(top) && top >= 0) ? [] : [issue('top', 'an integer >= 0', top)]),
  ]
}
