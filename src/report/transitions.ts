/**
 * The report's touch-level transitions between channels, read off the one reducer's Markov counts at any order
 * instead of being counted a second time.
 *
 * At order k a journey's touches p_0 … p_{n-1} become windows of k touches (the whole path when n <= k), and
 * consecutive equal windows collapse. Every touch transition p_j -> p_{j+1} is then either inside the first window
 * (weighted by that window's start count) or the step between two consecutive windows, whose last channels are
 * p_j and p_{j+1}. Only runs of one channel collapse, so every transition between different channels is counted
 * exactly once; repeats (`email > email`) are the report's own `ChannelSums.repeats`. Starts are the first
 * window's first channel, exits the last window's last channel.
 *
 * @module
 */
import { isPartial } from '../attribution/internal/guards'
import { pairTable } from '../attribution/internal/pairTable'
import type { AttributionPartial } from '../attribution/model'
import type { TransitionSums } from './model'

/**
 * Starts, exits and the transitions between different channels, per channel of `partial.channels`.
 *
 * **Gotchas**: what is not an attribution partial gives empty sums.
 *
 * @example
 * channelTransitions(partial) // a > b > b converting once: => { start: [1, 0], edges: [[0, 1, 1]], exitConversions: [0, 1], exitNulls: [0, 0] }
 *
 * @category report
 * @since 0.1.0
 */
export const channelTransitions = (partial: AttributionPartial): TransitionSums => {
  // From plain JavaScript: what is no attribution partial has no transitions.
  if (!isPartial(partial)) return { start: [], edges: [], exitConversions: [], exitNulls: [] }
  const m = partial.markov
  const n = partial.channels.length
  const start = new Array<number>(n).fill(0)
  const exitConversions = new Array<number>(n).fill(0)
  const exitNulls = new Array<number>(n).fill(0)
  const slots = pairTable()
  const edges: Array<[number, number, number]> = []
  const addEdge = (a: number, b: number, w: number) => {
    if (a === b || w === 0) return
    const slot = slots.get(a, b)
    if (slot >= 0) edges[slot]![2] += w
    else {
      slots.add(a, b, edges.length)
      edges.push([a, b, 0 + w])
    }
  }
  m.states.forEach((window, s) => {
    const w = m.start[s]!
    if (w !== 0) {
      start[window[0]!] = start[window[0]!]! + w
      for (let i = 1; i < window.length; i++) addEdge(window[i - 1]!, window[i]!, w)
    }
    const last = window[window.length - 1]!
    exitConversions[last] = exitConversions[last]! + m.conversions[s]!
    exitNulls[last] = exitNulls[last]! + m.nulls[s]!
  })
  for (const [from, to, w] of m.edges) {
    const a = m.states[from]!
    const b = m.states[to]!
    addEdge(a[a.length - 1]!, b[b.length - 1]!, w)
  }
  return { start, edges, exitConversions, exitNulls }
}
