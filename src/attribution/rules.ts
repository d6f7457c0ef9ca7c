/**
 * Per-touch weights of the rule-based models. Each returns weights >= 0 that sum to 1 over the touches of one
 * journey; a channel's credit is the sum of the weights of its touches (repeats counted touch by touch, as
 * ChannelAttribution, Adobe and MAM do).
 *
 * @module
 */
import { exactRatios } from './internal/exactRatios'
import { writePositional, writeTimeDecay } from './internal/weights'
import type { PositionWeights } from './model'

/** Longer paths get no weights from the checked forms: a bound on the memory and time one call may take. */
const MAX_TOUCHES = 10_000_000

const isWeights = (w: unknown): w is PositionWeights => {
  if (w === null || typeof w !== 'object') return false
  const { first, middle, last } = w as Record<string, unknown>
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0
  return ok(first) && ok(middle) && ok(last) && (first as number) + (middle as number) + (last as number) > 0
}

const isTouches = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TOUCHES

// An index loop, not `every`: `every` skips the holes of a sparse array ([1, , 3]), which then read as undefined.
const isTimes = (times: unknown): times is ReadonlyArray<number> => {
  if (!Array.isArray(times) || times.length > MAX_TOUCHES) return false
  for (let i = 0; i < times.length; i++) {
    const t: unknown = times[i]
    if (typeof t !== 'number' || !Number.isFinite(t)) return false
  }
  return true
}

const isHalfLife = (h: unknown): h is number => typeof h === 'number' && Number.isFinite(h) && h > 0

/**
 * The positional engine (Adobe's "Custom" rule), which also serves U-shaped, J-shaped and inverse-J.
 * One touch gets everything; two touches get first/(first+last) and last/(first+last), the middle weight
 * ignored (linear when first + last is 0); n >= 3 touches get first/S, middle/S/(n-2) each, last/S.
 *
 * **Gotchas**: weights that are not three finite numbers >= 0 with a positive sum, or an `n` that is not an
 * integer from 0 to 10 million, give `[]`.
 *
 * @example
 * positionalWeights({ first: 0.4, middle: 0.2, last: 0.4 })(4) // => [0.4, 0.1, 0.1, 0.4]
 * positionalWeights({ first: 0.2, middle: 0.2, last: 0.6 })(2) // => [0.25, 0.75]
 *
 * @category rules
 * @since 0.1.0
 */
export const positionalWeights =
  (w: PositionWeights) => {
    if (!isWeights(w)) return (): ReadonlyArray<number> => []
    const exact = exactRatios(w)
    return (n: number): ReadonlyArray<number> => {
      if (!isTouches(n)) return []
      const out = new Array<number>(n).fill(0)
      writePositional(exact, n, out)
      return out
    }
  }

/** @internal Writes the weights of `n` touches into `out[0..n)`; nothing when an argument is not what it should be. */
export const fillPositional = (w: PositionWeights, n: number, out: Array<number>): void => {
  if (isWeights(w) && isTouches(n) && Array.isArray(out)) writePositional(exactRatios(w), n, out)
}

/**
 * Time-decay weights: touch i gets 2^(-(T - τ_i) / H) normalised to 1 (Adobe's and Google's continuous
 * half-life; `T` the conversion time, `H` the half-life, both in milliseconds). Only differences matter, so the
 * weights are computed relative to the latest touch and cannot all underflow to 0.
 *
 * Adobe's test vector: gaps of 0, 0, 6 and 9 days with a 7-day half-life on $50 give 16.88, 16.88, 9.32, 6.92.
 *
 * **Gotchas**: a half-life that is not a finite number > 0, or times that are not finite numbers, give `[]`.
 *
 * @example
 * const day = 86_400_000
 * timeDecayWeights(7 * day)([-9 * day, -6 * day, 0, 0]).map((w) => Math.round(w * 5000) / 100)
 * // => [6.92, 9.32, 16.88, 16.88]
 *
 * @category rules
 * @since 0.1.0
 */
export const timeDecayWeights =
  (halfLifeMs: number) =>
  (times: ReadonlyArray<number>): ReadonlyArray<number> => {
    if (!isHalfLife(halfLifeMs) || !isTimes(times)) return []
    const out = new Array<number>(times.length).fill(0)
    writeTimeDecay(halfLifeMs, times, out)
    return out
  }

/** @internal Writes the time-decay weights into `out`; nothing when an argument is not what it should be. */
export const fillTimeDecay = (halfLifeMs: number, times: ReadonlyArray<number>, out: Array<number>): void => {
  if (isHalfLife(halfLifeMs) && isTimes(times) && Array.isArray(out)) writeTimeDecay(halfLifeMs, times, out)
}

/**
 * The touch last non-direct credits: the last touch whose channel is not direct, or the last touch when every
 * touch is direct (Google Analytics' rule).
 *
 * **Gotchas**: without a predicate no channel is direct; what is not an array has no touch (-1).
 *
 * @example
 * lastNonDirectIndex((c) => c === 'direct')(['search', 'email', 'direct']) // => 1
 * lastNonDirectIndex((c) => c === 'direct')(['direct', 'direct']) // => 1
 *
 * @category rules
 * @since 0.1.0
 */
export const lastNonDirectIndex =
  <A>(isDirect: (channel: A) => boolean) =>
  (channels: ReadonlyArray<A>): number => {
    if (!Array.isArray(channels)) return -1
    if (typeof isDirect !== 'function') return channels.length - 1
    for (let i = channels.length - 1; i >= 0; i--) if (!isDirect(channels[i]!)) return i
    return channels.length - 1
  }
