/**
 * Per-touch weights of the rule-based models. Each returns weights >= 0 that sum to 1 over the touches of one
 * journey; a channel's credit is the sum of the weights of its touches (repeats counted touch by touch, as
 * ChannelAttribution, Adobe and MAM do).
 *
 * @module
 */
import { exactRatios } from './internal/exactRatios'
import type { PositionWeights } from './model'

/**
 * The positional engine (Adobe's "Custom" rule), which also serves U-shaped, J-shaped and inverse-J.
 * One touch gets everything; two touches get first/(first+last) and last/(first+last), the middle weight
 * ignored (linear when first + last is 0); n >= 3 touches get first/S, middle/S/(n-2) each, last/S.
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
    const exact = exactRatios(w)
    return (n: number): ReadonlyArray<number> => {
      const out = new Array<number>(n).fill(0)
      fillPositional(exact, n, out)
      return out
    }
  }

/** @internal Writes the weights of `n` touches into `out[0..n)`; the hot loop's allocation-free form. */
export const fillPositional = (w: PositionWeights, n: number, out: Array<number>): void => {
  if (n === 1) {
    out[0] = 1
    return
  }
  if (n === 2) {
    const fl = w.first + w.last
    out[0] = fl > 0 ? w.first / fl : 0.5
    out[1] = fl > 0 ? w.last / fl : 0.5
    return
  }
  const s = w.first + w.middle + w.last
  // Written in index order: a write past the end of a shorter array would leave it holey (a dictionary for a
  // path of millions of touches, where this loop took most of the read).
  out[0] = w.first / s
  const m = w.middle / (s * (n - 2)) // one division: exact inputs give the correctly rounded weight
  for (let i = 1; i < n - 1; i++) out[i] = m
  out[n - 1] = w.last / s
}

/**
 * Time-decay weights: touch i gets 2^(-(T - τ_i) / H) normalised to 1 (Adobe's and Google's continuous
 * half-life; `T` the conversion time, `H` the half-life, both in milliseconds). Only differences matter, so the
 * weights are computed relative to the latest touch and cannot all underflow to 0.
 *
 * Adobe's test vector: gaps of 0, 0, 6 and 9 days with a 7-day half-life on $50 give 16.88, 16.88, 9.32, 6.92.
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
    const out = new Array<number>(times.length).fill(0)
    fillTimeDecay(halfLifeMs, times, out)
    return out
  }

/** @internal */
export const fillTimeDecay = (halfLifeMs: number, times: ReadonlyArray<number>, out: Array<number>): void => {
  const n = times.length
  let latest = -Infinity
  for (let i = 0; i < n; i++) if (times[i]! > latest) latest = times[i]!
  let sum = 0
  for (let i = 0; i < n; i++) {
    const w = Math.pow(2, -(latest - times[i]!) / halfLifeMs)
    out[i] = w
    sum += w
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / sum
}

/**
 * The touch last non-direct credits: the last touch whose channel is not direct, or the last touch when every
 * touch is direct (Google Analytics' rule).
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
    for (let i = channels.length - 1; i >= 0; i--) if (!isDirect(channels[i]!)) return i
    return channels.length - 1
  }
