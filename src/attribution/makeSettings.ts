/**
 * The models' settings from partial input (`makeSettings`): defaults filled in, every field checked. Split from
 * decode.ts, which re-exports it.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { settingsIssues } from './internal/guards'
import { DEFAULT_SETTINGS, type PositionWeights, type Settings } from './model'

/**
 * Settings from partial input, defaults filled in and checked: order an integer 1 to 4, position weights >= 0
 * with a positive sum, half-life > 0, direct channel names non-empty.
 *
 * @example
 * makeSettings({ order: 2 }) // => right({ order: 2, position: { first: 0.4, middle: 0.2, last: 0.4 }, ... })
 * makeSettings({ order: 5 }) // => left('order: expected an integer from 1 to 4, got 5')
 *
 * @category decode
 * @since 0.1.0
 */
export const makeSettings = (input: {
  readonly order?: number
  readonly position?: PositionWeights
  readonly halfLifeMs?: number
  readonly direct?: ReadonlyArray<string>
}): E.Either<TouchpointError, Settings> => {
  // From plain JavaScript: no input is no choice (all defaults); anything else that is no object is refused.
  if (input !== undefined && !isRecord(input)) return E.left(invalidInput([issue('', 'settings: an object such as { order: 2 }', input)]))
  const given = input ?? {}
  const s: Settings = {
    order: given.order ?? DEFAULT_SETTINGS.order,
    position: given.position ?? DEFAULT_SETTINGS.position,
    halfLifeMs: given.halfLifeMs ?? DEFAULT_SETTINGS.halfLifeMs,
    direct: given.direct ?? DEFAULT_SETTINGS.direct,
  }
  const issues = settingsIssues(s, '')
  return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(s)
}
