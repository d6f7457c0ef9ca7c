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
export const replicatePartial = (partial: ReportPartial): ((r: number) => AttributionPartial) => {
  // From plain JavaScript: no report partial, or no replicate r, is a partial without settings, which every reader
  // of partials refuses by name.
  const none = (): AttributionPartial => attributionAccumulator(undefined as never).snapshot()
  if (!isReportPartial(partial)) return none
  const ap = partial.attribution
  const b = partial.bootstrap
  const R = b.replicates
  const nch = ap.channels.length
  const order = keyOrder(b.touchKeys)
  // Each key's weight per touch under the positional engine (Adobe's rule, as attribution computes it).
  const ends = { first: 0, middle: 0, last: 0 }
  const position = exactRatios(ap.settings.position)
  const positionOf = b.touchKeys.map(([, n, role]) => {
    positionalWeights(position, n, ends)
    return role === FIRST ? ends.first : role === LAST ? ends.last : ends.middle
  })
  const zeros = () => new Array<number>(nch).fill(0)
  return (r) => {
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < R)) return none()
    const first = zeros()
    const last = zeros()
    const linear = zeros()
    const position = zeros()
    for (const k of order) {
      const w = b.touches[k * R + r]!
      if (w === 0) continue
      const [ch, n, role] = b.touchKeys[k]!
      if (role === FIRST) first[ch] = first[ch]! + w
      if (role === LAST || n === 1) last[ch] = last[ch]! + w
      linear[ch] = linear[ch]! + w / n
      position[ch] = position[ch]! + w * positionOf[k]!
    }
    const column = (xs: ReadonlyArray<number> | Array<number>): CreditSums => ({ conversions: xs, value: zeros() })
    const pick = (xs: ReadonlyArray<number>) => Array.from({ length: nch }, (_, ch) => xs[ch * R + r]!)
    const rules: Record<RuleModel, CreditSums> = {
      first: column(first),
      last: column(last),
      last_non_direct: column(pick(b.lastNonDirect)),
      linear: column(linear),
      position: column(position),
      time_decay: column(pick(b.timeDecay)),
    }
    const conversions = b.conversions[r]!
    const sets: Array<SetCount> = ap.sets.map((s, k) => ({ channels: s.channels, conversions: b.sets.conversions[k * R + r]!, value: 0, nulls: b.sets.nulls[k * R + r]! }))
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
