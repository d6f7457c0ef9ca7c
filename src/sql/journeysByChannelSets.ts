/**
 * Channel sets as bitmasks, for the channel-set models (participation, Shapley) on event journeys kept one row per
 * touch (`journeysByTouches.ts`): a small dictionary numbers the channels (`tp_dict`: each encoded name and its
 * bit, in name order), each touch's journey gets the bitwise OR of its touches' bits (a window aggregate of fixed
 * size, which an engine sorts and spills like the other windows), the `set` section groups journeys by that
 * integer, and only the few result rows turn masks back into names. No ordered list per journey is built, so
 * DuckDB needs no passes over disjoint users (each of which read the source again).
 *
 * Limit: a mask holds 63 channels (the bits of a signed 64-bit integer below the sign). The dictionary raises
 * `TOO_MANY_CHANNELS` when the data has more; touchpoint's engines then run the list form (`withoutSetMasks`),
 * which has no limit. A query printed for the user to run (`touchpoint sql`) fails the same way, with that message.
 *
 * @module
 */
import { UNATTRIBUTED } from '../attribution/model'
import type { Dialect, SetMaskFunctions } from './dialect'
import { encodeSql, eventFields, sourceOf } from './journeys'
import type { AttributionQuery, SqlEvents } from './model'

/** Channels a mask holds: bits 0 to 62 of a signed 64-bit integer. */
export const MASK_CHANNELS = 63

/** The start of the message the dictionary raises when a mask cannot hold the channels (engines match it). */
export const TOO_MANY_CHANNELS = `touchpoint: more than ${MASK_CHANNELS} channels`

/** The way out, named in every message about masks that cannot be used (CLI flag, then the library's spelling). */
export const LISTS_WAY_OUT = "print the query again with --set-form lists (in code: compile for the dialect without its setMasks): per-journey lists, no channel limit"

const message = `${TOO_MANY_CHANNELS}: channel sets as ${MASK_CHANNELS}-bit masks cannot hold them; ${LISTS_WAY_OUT}`

/**
 * The channel dictionary as a common table expression (`tp_dict AS (...)`, materialised where the dialect says so):
 * the encoded names of the rows' channels and `(unattributed)`, each with its bit (`tp_bit`, 0-based in name
 * order), or the error `TOO_MANY_CHANNELS` past 63. It reads the source once more, the channel column only (its
 * distinct values; rows are not checked: the channel of an invalid row takes a bit it does not need, which changes no result).
 */
export const channelDictionary = (d: Dialect, m: SetMaskFunctions, q: AttributionQuery, e: SqlEvents): string => {
  // Distinct raw values first: trimming and encoding then run on a few rows, not on every row of the source.
  const raw = `tp_src.${d.ident(e.channel)}`
  const channels = `(\nSELECT ${eventFields(d, e).tp_ch} AS tp_ch FROM (SELECT DISTINCT ${raw} AS ${d.ident(e.channel)} FROM ${sourceOf(d, q)}) AS tp_src\n) AS tp_channels`
  const distinct = `(\nSELECT DISTINCT ${encodeSql(d, 'tp_ch')} AS tp_name FROM ${channels} WHERE tp_ch <> ''\nUNION\nSELECT ${encodeSql(d, d.string(UNATTRIBUTED))} AS tp_name\n) AS tp_names`
  const numbered = `(\nSELECT tp_name, ROW_NUMBER() OVER (ORDER BY tp_name) - 1 AS tp_b FROM ${distinct}\n) AS tp_numbered`
  return `tp_dict AS ${m.materialized}(\nSELECT tp_name, CASE WHEN tp_b < ${MASK_CHANNELS} THEN tp_b ELSE ${m.fail(message)} END AS tp_bit FROM ${numbered}\n)`
}

/** A touch's journey's channel set, as a window aggregate over `over` of the bits of the encoded names `x`. */
export const channelSetMask = (m: SetMaskFunctions, x: string, over: string): string =>
  `${m.bitOr(m.bit(`(SELECT tp_dict.tp_bit FROM tp_dict WHERE tp_dict.tp_name = ${x})`))} ${over}`

/** The encoded names of the mask written as text in `maskText`, in name order, joined by `>` (a `set` key). */
export const channelSetNames = (d: Dialect, m: SetMaskFunctions, maskText: string): string =>
  `(SELECT ${d.distinctSorted('tp_dict.tp_name', d.string('>'))} FROM tp_dict WHERE ${m.hasBit(m.toMask(maskText), 'tp_dict.tp_bit')})`

/** The dialect without bitmasks: channel sets from per-journey lists (no channel limit). */
export const withoutSetMasks = (d: Dialect): Dialect => {
  const { setMasks: _, ...rest } = d
  return rest
}
