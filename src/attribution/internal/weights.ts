/**
 * The rule weights for checked arguments, allocation-free: the hot loop's form. `rules.ts` exports the checked
 * forms (`fillPositional`, `fillTimeDecay`), which call these.
 *
 * @module
 */
import type { PositionWeights } from '../model'

/**
 * @internal Writes the weights of `n` touches into `out[0..n)`. Pass `exactRatios(w)` (internal/exactRatios.ts): each
 * weight is then one correctly rounded division of exact integers.
 */
export const writePositional = (w: PositionWeights, n: number, out: Array<number>): void => {
  if (n <= 0) return
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
 * @internal The weights `writePositional` writes for `n` touches as three numbers: the first touch's, every middle
 * touch's and the last touch's (for one touch, `first` is 1; for two, no middle). The same expressions, so the
 * same doubles.
 */
export const positionalWeights = (w: PositionWeights, n: number, out: { first: number; middle: number; last: number }): void => {
  if (n <= 1) {
    out.first = 1
    out.middle = 0
    out.last = 1
    return
  }
  if (n === 2) {
    const fl = w.first + w.last
    out.first = fl > 0 ? w.first / fl : 0.5
    out.middle = 0
    out.last = fl > 0 ? w.last / fl : 0.5
    return
  }
  const s = w.first + w.middle + w.last
  out.first = w.first / s
  out.middle = w.middle / (s * (n - 2))
  out.last = w.last / s
}

/** @internal Writes the time-decay weights of `times` into `out`. */
export const writeTimeDecay = (halfLifeMs: number, times: ReadonlyArray<number>, out: Array<number>): void => {
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
