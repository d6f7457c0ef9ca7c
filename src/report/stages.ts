/**
 * Journey stages of touchpoints: a user-supplied mapping (channel -> stage), with default rules for common
 * channel names.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { oneOf, record } from '../core/codecs'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { parseJson } from '../core/json'
import { issuesFromErrors } from '../core/report'
import type { Stage, StageOrUnmapped } from './model'
import { STAGES, UNMAPPED } from './model'

/**
 * Default stage by keyword. A channel name is lower-cased and split into words at anything but letters and
 * digits (`social_paid` -> `social`, `paid`); the first word found here gives its stage.
 *
 * - awareness: display, social, video, outdoor, tv, radio, podcast, influencer, banner, programmatic, print
 * - consideration: search, sem, seo, reviews, review, blog, comparison, affiliate, referral, content, webinar
 * - decision: website, web, chat, sales, demo, trial, retargeting, direct
 * - purchase: store, checkout, shop, pos, cart
 * - loyalty: email, newsletter, loyalty, support, surveys, survey, sms, push, app, crm
 *
 * The issue's list has website, chat, sales and store as "decision/purchase": conversations and visits count
 * as decision, the places where the sale happens as purchase.
 *
 * @category stages
 * @since 0.1.0
 */
export const DEFAULT_STAGE_KEYWORDS: Readonly<Record<Stage, ReadonlyArray<string>>> = {
  awareness: ['display', 'social', 'video', 'outdoor', 'tv', 'radio', 'podcast', 'influencer', 'banner', 'programmatic', 'print'],
  consideration: ['search', 'sem', 'seo', 'reviews', 'review', 'blog', 'comparison', 'affiliate', 'referral', 'content', 'webinar'],
  decision: ['website', 'web', 'chat', 'sales', 'demo', 'trial', 'retargeting', 'direct'],
  purchase: ['store', 'checkout', 'shop', 'pos', 'cart'],
  loyalty: ['email', 'newsletter', 'loyalty', 'support', 'surveys', 'survey', 'sms', 'push', 'app', 'crm'],
}

const KEYWORD_STAGE = new Map<string, Stage>(STAGES.flatMap((s) => DEFAULT_STAGE_KEYWORDS[s].map((k) => [k, s] as const)))

/**
 * The default stage of a channel name, or `(unmapped)`.
 *
 * @example
 * defaultStage('social_paid') // => 'awareness'
 * defaultStage('Search (organic)') // => 'consideration'
 * defaultStage('partner') // => '(unmapped)'
 *
 * @category stages
 * @since 0.1.0
 */
export const defaultStage = (channel: string): StageOrUnmapped => {
  if (typeof channel !== 'string') return UNMAPPED
  for (const word of channel.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    const s = KEYWORD_STAGE.get(word)
    if (s !== undefined) return s
  }
  return UNMAPPED
}

/**
 * A stage per channel name, as the user gives it (`{"display": "awareness", "email": "loyalty"}`).
 *
 * @category stages
 * @since 0.1.0
 */
export type StageMapping = Readonly<Record<string, Stage>>

const StageCodec = oneOf(STAGES)
const StageMappingCodec = record(StageCodec)

/**
 * A stage mapping from parsed JSON: an object of channel name -> one of awareness, consideration, decision,
 * purchase, loyalty. `Left` lists every bad entry by channel.
 *
 * @example
 * decodeStageMapping({ display: 'awareness', email: 'loyalty' }) // => right({ display: 'awareness', email: 'loyalty' })
 * decodeStageMapping({ email: 'retention' }) // => left('email: expected one of "awareness", …')
 *
 * @category stages
 * @since 0.1.0
 */
export const decodeStageMapping = (input: unknown): E.Either<TouchpointError, StageMapping> =>
  pipe(
    StageMappingCodec.decode(input),
    E.mapLeft((errors) => invalidInput(issuesFromErrors(errors))),
    E.flatMap((m) => {
      const empty = Object.keys(m).filter((k) => k.trim() === '')
      return empty.length > 0 ? E.left(invalidInput([issue('', 'non-empty channel names', '')])) : E.right(m)
    }),
  )

/**
 * A stage mapping from JSON text.
 *
 * @category stages
 * @since 0.1.0
 */
export const decodeStageMappingJson = (text: string): E.Either<TouchpointError, StageMapping> => pipe(parseJson(text), E.flatMap(decodeStageMapping))

/**
 * How channels get their stage: the mapping first (exact name, then case-insensitive, the first key listed
 * winning), then the default rules
 * unless `defaults` is false.
 *
 * @example
 * stageOf({ mapping: { store: 'decision' } })('store') // => 'decision'
 * stageOf({})('email') // => 'loyalty'
 *
 * @category stages
 * @since 0.1.0
 */
export const stageOf = (given: { readonly mapping?: StageMapping; readonly defaults?: boolean }) => {
  // From plain JavaScript: options or a mapping that are none map nothing, and a mapped value that is no stage
  // does not count (decodeStageMapping checks a mapping and names what is wrong).
  const options = isRecord(given) ? given : {}
  const mapping: StageMapping = isRecord(options.mapping) ? Object.fromEntries(Object.entries(options.mapping).filter(([, v]) => (STAGES as ReadonlyArray<unknown>).includes(v))) : {}
  const lower = new Map<string, Stage>()
  // Two keys equal but for case: the first one listed answers for other spellings.
  for (const [k, v] of Object.entries(mapping)) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v)
  return (channel: string): StageOrUnmapped =>
    typeof channel !== 'string'
      ? UNMAPPED
      : Object.prototype.hasOwnProperty.call(mapping, channel)
      ? mapping[channel]!
      : lower.get(channel.toLowerCase()) ?? (options.defaults === false ? UNMAPPED : defaultStage(channel))
}
