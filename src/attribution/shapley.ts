/**
 * Shapley-value attribution over channel sets (Zhao, Mahboobi and Bagheri 2018, arXiv:1804.05327).
 *
 * - Simplified (set) form: with R(S) the conversions of journeys whose distinct channel set is exactly S and
 *   v(S) = Σ_{T ⊆ S} R(T), the Harsanyi dividends are R(S), so φ_j = Σ_{S ∋ j} R(S)/|S|: each converting journey
 *   splits its credit equally among its distinct channels. No 2^N anywhere.
 * - Conversion-rate form: for each converting set S*, the classic Shapley value over the subsets of S* with
 *   v(T) = conversion rate of journeys whose channel set is exactly T (conversions / (conversions + nulls);
 *   0 when no journey has exactly T, and v(∅) = 0), normalised within S* and multiplied by S*'s conversions and
 *   value (MAM's `shapley` without its 4-channel truncation). Exact while |S*| <= `exactLimit` (2^|S*| subsets),
 *   seeded permutation sampling beyond.
 *
 * @module
 */
import alea from 'seedrandom/lib/alea.js'
import { isPartial, shapleyOptionIssues } from './internal/guards'
import type { AttributionPartial, SetCount } from './model'

const NOTHING: ShapleyResult = { conversions: [], value: [], sampledSets: 0 }

/**
 * Credits per channel, aligned with `AttributionPartial.channels`.
 *
 * @category shapley
 * @since 0.1.0
 */
export interface ShapleyResult {
  readonly conversions: ReadonlyArray<number>
  readonly value: ReadonlyArray<number>
  /** Converting sets whose values were sampled rather than computed exactly. */
  readonly sampledSets: number
}

/**
 * Simplified Shapley: each converting journey's conversions and value split equally over its distinct channels.
 *
 * @example
 * shapleySimplified(partial) // a > b > a converting once: => { conversions: [0.5, 0.5], ... }
 *
 * @category shapley
 * @since 0.1.0
 */
export const shapleySimplified = (partial: AttributionPartial): ShapleyResult => {
  if (!isPartial(partial)) return NOTHING
  const n = partial.channels.length
  // The report calls this once per bootstrap replicate over every set: typed sums, each set's shares divided once
  // (the same quotients, added in the same order as a per-channel division: bit-identical credits), and sets that
  // carry nothing skipped (x + 0 is x for the non-negative sums here).
  const conversions = new Float64Array(n)
  const value = new Float64Array(n)
  const sets = partial.sets
  for (let i = 0; i < sets.length; i++) {
    const s = sets[i]!
    if (s.conversions === 0 && s.value === 0) continue
    const channels = s.channels
    const k = channels.length
    const c = s.conversions / k
    const v = s.value / k
    for (let j = 0; j < k; j++) {
      const at = channels[j]!
      conversions[at] = conversions[at]! + c
      value[at] = value[at]! + v
    }
  }
  return { conversions: Array.from(conversions), value: Array.from(value), sampledSets: 0 }
}

/**
 * Options of the conversion-rate Shapley model: sets with more than `exactLimit` channels (default 15) are
 * sampled with `samples` permutations (default 2000) from an alea stream seeded by `seed` (default `touchpoint`).
 *
 * @category shapley
 * @since 0.1.0
 */
export interface ShapleyRateOptions {
  readonly exactLimit?: number
  readonly samples?: number
  readonly seed?: string
}

const keyOf = (channels: ReadonlyArray<number>): string => channels.join(',')

/** Shapley weights |T|!(n-|T|-1)!/n! by |T|. */
const shapleyWeights = (n: number): Float64Array => {
  const w = new Float64Array(n)
  // w[t] = 1 / (n * C(n-1, t))
  let binom = 1
  for (let t = 0; t < n; t++) {
    w[t] = 1 / (n * binom)
    binom = (binom * (n - 1 - t)) / (t + 1)
  }
  return w
}

const exactShapley = (set: ReadonlyArray<number>, rate: ReadonlyMap<string, number>): Float64Array => {
  const n = set.length
  const size = 1 << n
  const v = new Float64Array(size)
  const members: Array<number> = []
  for (let mask = 1; mask < size; mask++) {
    members.length = 0
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(set[i]!)
    members.sort((a, b) => a - b) // rate keys list channel indexes in ascending order
    v[mask] = rate.get(keyOf(members)) ?? 0
  }
  const weights = shapleyWeights(n)
  const phi = new Float64Array(n)
  for (let mask = 0; mask < size; mask++) {
    let bits = 0
    for (let m = mask; m !== 0; m &= m - 1) bits++
    const w = weights[bits]
    if (w === undefined) continue // the full set: no j outside it
    for (let j = 0; j < n; j++) {
      const bit = 1 << j
      if (mask & bit) continue
      phi[j] = phi[j]! + w * (v[mask | bit]! - v[mask]!)
    }
  }
  return phi
}

const sampledShapley = (set: ReadonlyArray<number>, rate: ReadonlyMap<string, number>, samples: number, random: () => number): Float64Array => {
  const n = set.length
  const phi = new Float64Array(n)
  const order = Array.from({ length: n }, (_, i) => i)
  const members: Array<number> = []
  for (let s = 0; s < samples; s++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const t = order[i]!
      order[i] = order[j]!
      order[j] = t
    }
    members.length = 0
    let prev = 0
    for (const i of order) {
      members.push(set[i]!)
      const sorted = members.slice().sort((a, b) => a - b)
      const next = rate.get(keyOf(sorted)) ?? 0
      phi[i] = phi[i]! + (next - prev)
      prev = next
    }
  }
  for (let i = 0; i < n; i++) phi[i] = phi[i]! / samples
  return phi
}

/**
 * Conversion-rate Shapley. Within each converting set, negative Shapley values (a channel whose presence
 * lowers the observed rate) are set to 0 before normalising, so credits stay >= 0 and still sum to the set's
 * conversions; a set whose values are all <= 0 splits equally. This is the one place the result departs from
 * a plain MAM-style computation, and it only does so where MAM would hand out negative credit.
 *
 * @example
 * pipe(partial, shapleyRate({ exactLimit: 15 })) // => { conversions: [...], value: [...], sampledSets: 0 }
 *
 * @category shapley
 * @since 0.1.0
 */
export const shapleyRate =
  (options: ShapleyRateOptions = {}) =>
  (partial: AttributionPartial): ShapleyResult => {
    // From plain JavaScript: options or a partial that are none give no credit (attribute names the problem).
    if (shapleyOptionIssues(options, '').length > 0 || !isPartial(partial)) return NOTHING
    const exactLimit = Math.min(options.exactLimit ?? 15, 24)
    const samples = options.samples ?? 2000
    const random = alea(options.seed ?? 'touchpoint')
    const n = partial.channels.length
    const conversions = new Array<number>(n).fill(0)
    const value = new Array<number>(n).fill(0)
    const rate = new Map<string, number>()
    for (const s of partial.sets) {
      const trials = s.conversions + s.nulls
      if (trials > 0) rate.set(keyOf(s.channels), s.conversions / trials)
    }
    // Sets in a canonical order so that sampling draws the same stream whatever the row order was.
    const converting: Array<SetCount> = partial.sets.filter((s) => s.conversions > 0 || s.value > 0)
    const named = converting.map((s) => ({ s, key: s.channels.map((c) => partial.channels[c]!).sort().join('\u0000') }))
    named.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    let sampledSets = 0
    for (const { s } of named) {
      const k = s.channels.length
      // Name order, so that sampling does not depend on channel numbering (first appearance in the input).
      const members = s.channels.slice().sort((a, b) => (partial.channels[a]! < partial.channels[b]! ? -1 : 1))
      let phi: Float64Array
      if (k === 1) phi = Float64Array.of(1)
      else if (k <= exactLimit) phi = exactShapley(members, rate)
      else {
        phi = sampledShapley(members, rate, samples, random)
        sampledSets++
      }
      let total = 0
      for (let i = 0; i < k; i++) {
        if (!(phi[i]! > 0)) phi[i] = 0
        total += phi[i]!
      }
      for (let i = 0; i < k; i++) {
        const share = total > 0 ? phi[i]! / total : 1 / k
        const c = members[i]!
        conversions[c] = conversions[c]! + share * s.conversions
        value[c] = value[c]! + share * s.value
      }
    }
    return { conversions, value, sampledSets }
  }
