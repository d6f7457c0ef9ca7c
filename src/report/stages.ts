/**
 * Journey stages of touchpoints: a user-supplied mapping (channel -> stage), with default rules for common
 * channel names.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import { object, oneOf, record } from '../core/codecs'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { locateIssues, parseJson } from '../core/json'
import { issuesFromErrors } from '../core/report'
import type { Stage, StageOrUnmapped } from './model'
import { mediumOf } from './internal/medium'
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

/**
 * Online or offline: how the map marks a touchpoint.
 *
 * @category stages
 * @since 0.1.0
 */
export type Medium = 'online' | 'offline'

/**
 * A medium per channel name, from the `--stages` file's object entries (`{"store": {"stage": "purchase",
 * "medium": "offline"}}`); channels not in it are marked from the words of their name.
 *
 * @category stages
 * @since 0.1.0
 */
export type MediumMapping = Readonly<Record<string, Medium>>

const StageCodec = oneOf(STAGES)
const MediumCodec = oneOf(['online', 'offline'] as const)
// An entry is a stage, or an object with a stage, a medium or both.
const EntryCodec = object('a stage or { "stage", "medium" }', {}, { stage: StageCodec, medium: MediumCodec })
type Entry = Stage | { readonly stage?: Stage; readonly medium?: Medium }
// A string is checked as a stage, anything else as the object form, so an error names the field (`store.medium`).
const EntryOrStage = new t.Type<Entry, Entry, unknown>(
  'a stage or { "stage", "medium" }',
  (u): u is Entry => StageCodec.is(u) || EntryCodec.is(u),
  (u, c) => (typeof u === 'string' ? StageCodec.validate(u, c) : EntryCodec.validate(u, c)),
  t.identity,
)
const StageMappingCodec = record(EntryOrStage)
const stageEntries = (m: Readonly<Record<string, Entry>>): StageMapping =>
  Object.fromEntries(Object.entries(m).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v.stage === undefined ? [] : [[k, v.stage]])))

/**
 * A stage mapping from parsed JSON: an object of channel name -> one of awareness, consideration, decision,
 * purchase, loyalty, or -> an object with an optional `stage` and an optional `medium` (see
 * `decodeMediumMapping`). `Left` lists every bad entry by channel.
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
      return empty.length > 0 ? E.left(invalidInput([issue('', 'non-empty channel names', '')])) : E.right(stageEntries(m))
    }),
  )

/**
 * The media a stage file sets: its entries written as objects with a `medium` (`online` or `offline`). `Left`
 * lists every bad entry by channel, as `decodeStageMapping` does (`store.medium: expected one of "online", …`).
 *
 * @example
 * decodeMediumMapping({ store: { stage: 'purchase', medium: 'offline' }, email: 'loyalty' }) // => right({ store: 'offline' })
 *
 * @category stages
 * @since 0.1.0
 */
export const decodeMediumMapping = (input: unknown): E.Either<TouchpointError, MediumMapping> =>
  pipe(
    StageMappingCodec.decode(input),
    E.mapLeft((errors) => invalidInput(issuesFromErrors(errors))),
    E.map((m) => Object.fromEntries(Object.entries(m).flatMap(([k, v]) => (typeof v === 'string' || v.medium === undefined ? [] : [[k, v.medium]])))),
  )

/**
 * The medium of a channel: the mapping first (exact name, then case-insensitive, the first key listed winning),
 * then the words of its name unless `byName` is false (undefined when they say neither).
 *
 * @example
 * mediumFor({ 'Partner X': 'offline' })('partner x') // => 'offline'
 *
 * @category stages
 * @since 0.1.0
 */
export const mediumFor = (mapping: MediumMapping | undefined, byName = true) => {
  const given: MediumMapping = isRecord(mapping) ? Object.fromEntries(Object.entries(mapping).filter(([, v]) => v === 'online' || v === 'offline')) : {}
  const lower = new Map<string, Medium>()
  for (const [k, v] of Object.entries(given)) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v)
  return (channel: string): Medium | undefined =>
    typeof channel !== 'string' ? undefined : Object.prototype.hasOwnProperty.call(given, channel) ? given[channel]! : lower.get(channel.toLowerCase()) ?? (byName ? mediumOf(channel) : undefined)
}

/**
 * A stage mapping from JSON text. Every issue names its line and column in the text, a bad entry's as a syntax
 * error's (`store.medium` at line 4, column 23).
 *
 * @category stages
 * @since 0.1.0
 */
export const decodeStageMappingJson = (text: string): E.Either<TouchpointError, StageMapping> =>
  pipe(parseJson(text), E.flatMap(decodeStageMapping), E.mapLeft(locateIssues(text)))

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
