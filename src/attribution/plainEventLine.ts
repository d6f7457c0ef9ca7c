/**
 * The event reader's fast lane: one CSV line of an event file read in place, from its position in the chunk of
 * text that holds it. It builds only the strings an event keeps (the user id, the channel and the timestamp it
 * parses), where the general route splits the line into an array of fields and runs each through an io-ts codec.
 * It takes only plain lines (no quote, the header's width, no space around an id or a channel, a timestamp of
 * the common ISO shape or plain epoch digits, a conversion marker of 0, 1 or nothing, a plain decimal value) and
 * declines everything else, so the reader hands those lines to the decoders, which produce the very results and
 * error messages they always do. A line it accepts, the decoders would have read to the same event (a property
 * test holds the two routes equal).
 *
 * @module
 */
import type { EventColumns, EventRow, Layout } from './decode'
import { isSpace, optionalDecimal, plainDecimal, plainFields } from './internal/text'
import { isoFast } from './internal/time'

/**
 * Reads the line `text[start, end)` (no line break) into an event, or returns undefined when it is not plain.
 *
 * @category decode
 * @since 0.1.0
 */
export type PlainEventLine = (text: string, start: number, end: number) => EventRow | undefined

/** Epoch digits as the `Timestamp` codec takes them (`\d+(\.\d+)?`), exactly as `Number` reads them, else -1. */
const epochDigits = (text: string, start: number, end: number): number => {
  const first = text.charCodeAt(start)
  const last = text.charCodeAt(end - 1)
  // `5.` and `.5` are not numbers to the codec; plainDecimal would read them.
  if (!(first >= 48 && first <= 57) || !(last >= 48 && last <= 57)) return -1
  return plainDecimal(text, start, end)
}

/** A cell that is not empty and has no space at either end (the decoders trim; such cells go to them). */
const tight = (text: string, start: number, end: number): boolean => end > start && !isSpace(text.charCodeAt(start)) && !isSpace(text.charCodeAt(end - 1))

/**
 * The fast lane for an event file with `layout`, or undefined when the delimiter is not one plain character (the
 * decoders then read every line).
 *
 * @example
 * const scan = plainEventLine(eventFileLayout, ',', 'ms')!
 * scan('u1,2026-01-02T00:00:00Z,email,1,30', 0, 34) // => { user: 'u1', time: 1767312000000, channel: 'email', conversion: true, value: 30 }
 * scan('u1,"2026-01-02",email,1,30', 0, 26) // => undefined: quoted, for the decoders
 *
 * @category decode
 * @since 0.1.0
 */
export const plainEventLine = (layout: Layout<keyof EventColumns>, delimiter: string, timeUnit: 'ms' | 's' = 'ms'): PlainEventLine | undefined => {
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) return undefined
  const { user: userAt, time: timeAt, channel: channelAt, conversion: conversionAt, value: valueAt } = layout.index
  const factor = timeUnit === 's' ? 1000 : 1
  const { fieldStart, fieldEnd, find } = plainFields(layout.width, delimiter)

  return (text, start, end) => {
    if (!find(text, start, end)) return undefined

    const userStart = fieldStart[userAt]!
    const userEnd = fieldEnd[userAt]!
    if (!tight(text, userStart, userEnd)) return undefined

    // Conversion marker: 0, 1 or an empty cell; any other spelling goes to the decoders.
    const cs = fieldStart[conversionAt]!
    const ce = fieldEnd[conversionAt]!
    let conversion: boolean
    if (ce === cs) conversion = false
    else if (ce === cs + 1 && (text.charCodeAt(cs) === 48 || text.charCodeAt(cs) === 49)) conversion = text.charCodeAt(cs) === 49
    else return undefined

    // A channel may be empty only on a conversion row (the decoders report the other case).
    const chs = fieldStart[channelAt]!
    const che = fieldEnd[channelAt]!
    if (che === chs ? !conversion : !tight(text, chs, che)) return undefined

    const value = valueAt < 0 ? 0 : optionalDecimal(text, fieldStart[valueAt]!, fieldEnd[valueAt]!)
    if (value < 0) return undefined

    const ts = fieldStart[timeAt]!
    const te = fieldEnd[timeAt]!
    if (te === ts) return undefined
    let time: number
    const c0 = text.charCodeAt(ts)
    if (te - ts >= 16 && c0 >= 48 && c0 <= 57 && text.charCodeAt(ts + 4) === 45) {
      const t = isoFast(text, ts, te)
      // null: another shape; undefined: an impossible date. Either way the decoders decide.
      if (t === null || t === undefined) return undefined
      time = t
    } else {
      const digits = epochDigits(text, ts, te)
      if (digits < 0) return undefined
      time = digits * factor
    }

    return { user: text.slice(userStart, userEnd), time, channel: text.slice(chs, che), conversion, value }
  }
}
