/**
 * A replicate's attribution partial, read off a report partial's replicate sums (`replicatePartial`), and the
 * touch-key sums the replicate layer (`bootstrap.ts`) shares with it: keys in a fixed order, last-touch credit.
 *
 * @module
 */
import { accumulator as attributionAccumulator } from '../attribution/accumulate'
import type { AttributionPartial, CreditSums, RuleModel, SetCount } from '../attribution/model'
import { exactRatios } from '../attribution/internal/exactRatios'
import { positionalWeights } from '../attribution/internal/weights'
import { isReportPartial } from './internal/guards'
import type { ReportPartial, TouchRole } from './model'

const FIRST: TouchRole = 0
const LAST: TouchRole = 2

/**
 * Touch keys in a fixed order (channel, length, role), so that sums over them do not depend on arrival order.
 *
 * @internal
 */
export const keyOrder = (keys: ReadonlyArray<readonly [number, number, TouchRole]>): Array<number> =>
  keys
    .map((_, k) => k)
    .sort((x, y) => {
      const [cx, nx, rx] = keys[x]!
      const [cy, ny, ry] = keys[y]!
      return cx - cy || nx - ny || rx - ry
    })

/**
 * Last-touch credit per channel and replicate (channel-major), from the touch keys: last touches and solo ones.
 *
 * @internal
 */
export const lastTouch = (keys: ReadonlyArray<readonly [number, number, TouchRole]>, weights: ReadonlyArray<number>, R: number, channels: number): Array<number> => {
  const out = new Array<number>(channels * R).fill(0)
  for (const k of keyOrder(keys)) {
    const [ch, n, role] = keys[k]!
    if (role !== LAST && n !== 1) continue
    for (let r = 0; r < R; r++) out[ch * R + r] = out[ch * R + r]! + weights[k * R + r]!
  }
  return out
}

/**
 * Replicate r's attribution partial, read off a report partial's replicate sums: the one reducer's channels, sets,
 * states and edges (edges of weight 0 left out), with the replicate's conversions and nulls and no value. Rule
 * credits are summed in a fixed order of touch keys, so they do not depend on the order journeys came in.
 *
 * **Gotchas**: for what is no report partial, or an r that is no replicate (an integer from 0 to replicates - 1),
 * a partial without settings, which `attribute` and the other readers of partials refuse. A partial reduced with
 * `bootstrapModels` kept only those models' sums: attribute its replicates with those models (others read 0s;
 * `buildReport` checks this).
 *
 * @example
 * const replicate = replicatePartial(partials) // the report partial of examples/events.csv, 200 replicates
 * pipe(replicate(0), attribute({ models: ['first', 'markov'] })) // => right(…)  (the credits in replicate 0)
 *
 * @category bootstrap
 * @since 0.1.0
 */
export const replicatePartial = (partial: ReportPartial): ((r: number) => AttributionPartial) => replicateReader(partial, true)

/**
 * `replicatePartial`, with the partial's sets or without them (`sets: []`): `buildReport` reads Shapley's replicate
 * credits off `replicateShapley` and so needs no set objects (thousands per replicate) when no other model reads
 * them. The rule credits of every replicate are summed on the first call, replicate-minor: each channel's sum gets
 * the same additions in the same order (keys in `keyOrder`) as a replicate at a time, so the same numbers.
 *
 * @internal
 */
export const replicateReader = (partial: ReportPartial, withSets: boolean): ((r: number) => AttributionPartial) => {
  // From plain JavaScript: no report partial, or no replicate r, is a partial without settings, which every reader
  // of partials refuses by name.
  const none = (): AttributionPartial => attributionAccumulator(undefined as never).snapshot()
  if (!isReportPartial(partial)) return none
  const ap = partial.attribution
  const b = partial.bootstrap
  const R = b.replicates
  const nch = ap.channels.length
  let credits: { readonly first: Float64Array; readonly last: Float64Array; readonly linear: Float64Array; readonly position: Float64Array } | undefined
  // Every replicate's first, last, linear and position credits, channel-major (`[ch * R + r]`).
  const ruleCredits = () => {
    const order = keyOrder(b.touchKeys)
    // Each key's weight per touch under the positional engine (Adobe's rule, as attribution computes it).
    const ends = { first: 0, middle: 0, last: 0 }
    const weights = exactRatios(ap.settings.position)
    const first = new Float64Array(nch * R)
    const last = new Float64Array(nch * R)
    const linear = new Float64Array(nch * R)
    const position = new Float64Array(nch * R)
    for (const k of order) {
      const [ch, n, role] = b.touchKeys[k]!
      positionalWeights(weights, n, ends)
      const positionOf = role === FIRST ? ends.first : role === LAST ? ends.last : ends.middle
      const at = ch * R
      for (let r = 0; r < R; r++) {
        const w = b.touches[k * R + r]!
        if (w === 0) continue
        if (role === FIRST) first[at + r] = first[at + r]! + w
        if (role === LAST || n === 1) last[at + r] = last[at + r]! + w
        linear[at + r] = linear[at + r]! + w / n
        position[at + r] = position[at + r]! + w * positionOf
      }
    }
    return { first, last, linear, position }
  }
  const zeros = () => new Array<number>(nch).fill(0)
  return (r) => {
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < R)) return none()
    credits ??= ruleCredits()
    const column = (xs: ReadonlyArray<number> | Array<number>): CreditSums => ({ conversions: xs, value: zeros() })
    const pick = (xs: ArrayLike<number>) => Array.from({ length: nch }, (_, ch) => xs[ch * R + r]!)
    const rules: Record<RuleModel, CreditSums> = {
      first: column(pick(credits.first)),
      last: column(pick(credits.last)),
      last_non_direct: column(pick(b.lastNonDirect)),
      linear: column(pick(credits.linear)),
      position: column(pick(credits.position)),
      time_decay: column(pick(b.timeDecay)),
    }
    const conversions = b.conversions[r]!
    const sets: Array<SetCount> = withSets ? ap.sets.map((s, k) => ({ channels: s.channels, conversions: b.sets.conversions[k * R + r]!, value: 0, nulls: b.sets.nulls[k * R + r]! })) : []
    const ns = ap.markov.states.length
    const at = (xs: ReadonlyArray<number>) => Array.from({ length: ns }, (_, s) => xs[s * R + r]!)
    const edges: Array<readonly [number, number, number]> = []
    ap.markov.edges.forEach(([from, to], e) => {
      const w = b.markov.edges[e * R + r]!
      if (w > 0) edges.push([from, to, w])
    })
    return {
      _tag: 'AttributionPartial',
      settings: ap.settings,
      channels: ap.channels,
      totals: {
        rows: ap.totals.rows,
        journeys: ap.totals.journeys,
        conversions,
        value: 0,
        nulls: b.nulls[r]!,
        untimedConversions: ap.totals.untimedConversions > 0 ? conversions : 0,
      },
      rules,
      sets,
      markov: { order: ap.markov.order, states: ap.markov.states, start: at(b.markov.start), edges, conversions: at(b.markov.conversions), nulls: at(b.markov.nulls), value: new Array<number>(ns).fill(0) },
    }
  }
}

/**
 * Shapley's (simplified) credits per replicate, as `shapleySimplified` gives them on `replicatePartial(partial)(r)`:
 * a set's replicate conversions split evenly over its channels, sets in their order. Summed for every replicate at
 * once, a set at a time (each sum gets the same additions in the same order), not over set objects per replicate.
 *
 * @internal
 */
export const replicateShapley = (partial: ReportPartial): ((r: number) => Array<number>) => {
  const ap = partial.attribution
  const R = partial.bootstrap.replicates
  const nch = ap.channels.length
  const conversions = partial.bootstrap.sets.conversions
  const credit = new Float64Array(nch * R)
  ap.sets.forEach((s, k) => {
    const channels = s.channels
    const n = channels.length
    for (let r = 0; r < R; r++) {
      const x = conversions[k * R + r]!
      // As shapleySimplified: a set with no conversions and no value (replicates carry none) adds nothing.
      if (x === 0) continue
      const c = x / n
      for (let j = 0; j < n; j++) {
        const at = channels[j]! * R + r
        credit[at] = credit[at]! + c
      }
    }
  })
  return (r) => Array.from({ length: nch }, (_, ch) => credit[ch * R + r]!)
}
