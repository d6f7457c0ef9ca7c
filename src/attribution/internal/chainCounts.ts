/**
 * The accumulator's Markov chain: states (windows of `order` channels), and per state its starts and exits
 * (conversions, nulls, value), and the weighted edges between states. One of the accumulator's parts (with
 * `ruleCredits` and `setCounts`).
 *
 * @internal
 * @module
 */
import type { AttributionPartial, MarkovCounts } from '../model'
import type { JourneyTrace } from './journeyTrace'
import { pairTable } from './pairTable'

/** States below this index keep their edges in a dense table (order 1: one state per channel). */
const DENSE = 256

/** @internal */
export interface ChainCounts {
  /** A new channel (the next index), with no state yet. */
  readonly addChannel: () => void
  /** Adds a journey's path `path[0..n)` (n >= 1) with weight c + u. */
  readonly add: (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => void
  /** `add` for order 1 (a state per channel). */
  readonly addOrder1: (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => void
  /** Adds a partial's chain, its channel `j` being channel `map[j]` here; returns where its states and edges went. */
  readonly absorb: (p: AttributionPartial, map: ReadonlyArray<number>) => { readonly states: ReadonlyArray<number>; readonly edges: ReadonlyArray<number> }
  readonly snapshot: () => MarkovCounts
}

/** @internal An empty chain of `order`; `add` and `addOrder1` write the trace's states and edges. */
export const chainCounts = (order: number, trace: JourneyTrace): ChainCounts => {
  // Markov states: windows of channel indexes. Order 1 maps a channel straight to its state.
  const states: Array<Array<number>> = []
  const stateOfChannel: Array<number> = []
  const stateIndex = new Map<string, number>()
  const stateByPacked = pairTable()
  const start: Array<number> = []
  const exitConv: Array<number> = []
  const exitNull: Array<number> = []
  const exitValue: Array<number> = []
  // Scratch buffer reused across journeys.
  const pathStates: Array<number> = []

  const addChannel = (): void => {
    stateOfChannel.push(-1)
  }

  const newState = (window: Array<number>): number => {
    const s = states.length
    states.push(window)
    start.push(0)
    exitConv.push(0)
    exitNull.push(0)
    exitValue.push(0)
    return s
  }

  /** The order-1 state of a channel, created on first sight. */
  const stateOfOne = (channel: number): number => {
    let s = stateOfChannel[channel]!
    if (s < 0) {
      s = newState([channel])
      stateOfChannel[channel] = s
    }
    return s
  }

  const stateOf = (path: ArrayLike<number>, from: number, to: number): number => {
    if (to - from === 1 && order === 1) return stateOfOne(path[from]!)
    // A window of up to 4 channels below 256 packs into 32 bits; with its length beside it ([1] and [1, 0]
    // differ) it is a pair-table key, not a string built per window.
    let packed = 0
    let small = to - from <= 4
    for (let i = from; small && i < to; i++) {
      const c = path[i]!
      if (c >= 256) small = false
      else packed = (packed << 8) | c
    }
    if (small) {
      let s = stateByPacked.get(to - from, packed)
      if (s < 0) {
        s = newState(Array.prototype.slice.call(path, from, to) as Array<number>)
        stateByPacked.add(to - from, packed, s)
      }
      return s
    }
    let key = String(path[from])
    for (let i = from + 1; i < to; i++) key += `,${path[i]}`
    let s = stateIndex.get(key)
    if (s === undefined) {
      s = newState(Array.prototype.slice.call(path, from, to) as Array<number>)
      stateIndex.set(key, s)
    }
    return s
  }

  // Every edge's weight lives in `edgeWeights` at a slot, slots in first-seen order (the order the partial lists
  // edges in). Edges between the first DENSE states find their slot through a dense table, the others through a
  // pair table.
  const edgeSlot = new Int32Array(DENSE * DENSE)
  const edgeWeights: Array<number> = []
  const edgeFrom: Array<number> = []
  const edgeTo: Array<number> = []
  const sparseEdges = pairTable()
  const newEdge = (from: number, to: number, w: number): number => {
    const slot = edgeWeights.length
    edgeWeights.push(0 + w)
    edgeFrom.push(from)
    edgeTo.push(to)
    return slot
  }
  /** Adds `w` to the edge (from, to), created on first sight; returns its slot. */
  const addEdge = (from: number, to: number, w: number): number => {
    if (from < DENSE && to < DENSE) {
      const cell = from * DENSE + to
      const slot = edgeSlot[cell]!
      if (slot > 0) {
        edgeWeights[slot - 1] = edgeWeights[slot - 1]! + w
        return slot - 1
      }
      const created = newEdge(from, to, w)
      edgeSlot[cell] = created + 1
      return created
    }
    const slot = sparseEdges.get(from, to)
    if (slot >= 0) {
      edgeWeights[slot] = edgeWeights[slot]! + w
      return slot
    }
    const created = newEdge(from, to, w)
    sparseEdges.add(from, to, created)
    return created
  }

  const add = (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    const w = c + u
    let count = 0
    if (n <= order) {
      pathStates[count++] = stateOf(path, 0, n)
    } else {
      for (let i = 0; i + order <= n; i++) {
        const s = stateOf(path, i, i + order)
        // Consecutive identical states collapse (no self-loops), as ChannelAttribution does.
        if (count === 0 || pathStates[count - 1] !== s) pathStates[count++] = s
      }
    }
    const first = pathStates[0]!
    start[first] = start[first]! + w
    const edges = count > trace.edges.length ? (trace.edges = new Int32Array(Math.max(count, 2 * trace.edges.length))) : trace.edges
    for (let i = 1; i < count; i++) edges[i - 1] = addEdge(pathStates[i - 1]!, pathStates[i]!, w)
    const last = pathStates[count - 1]!
    exitConv[last] = exitConv[last]! + c
    exitNull[last] = exitNull[last]! + u
    exitValue[last] = exitValue[last]! + v
    trace.firstState = first
    trace.lastState = last
    trace.edgeCount = count - 1
  }

  const addOrder1 = (path: ArrayLike<number>, n: number, c: number, v: number, u: number) => {
    const w = c + u
    // At most n - 1 edges.
    const edges = n > trace.edges.length ? (trace.edges = new Int32Array(Math.max(n, 2 * trace.edges.length))) : trace.edges
    let count = 0
    let prev = -1
    for (let i = 0; i < n; i++) {
      const st = stateOfOne(path[i]!)
      // Consecutive identical states collapse, as in `add`.
      if (st === prev) continue
      if (prev < 0) {
        start[st] = start[st]! + w
        trace.firstState = st
      } else edges[count++] = addEdge(prev, st, w)
      prev = st
    }
    exitConv[prev] = exitConv[prev]! + c
    exitNull[prev] = exitNull[prev]! + u
    exitValue[prev] = exitValue[prev]! + v
    trace.lastState = prev
    trace.edgeCount = count
  }

  const absorb = (p: AttributionPartial, map: ReadonlyArray<number>) => {
    const stateMap = p.markov.states.map((w) => {
      const path = w.map((c) => map[c]!)
      return stateOf(path, 0, path.length)
    })
    p.markov.states.forEach((_, i) => {
      const s = stateMap[i]!
      start[s] = start[s]! + p.markov.start[i]!
      exitConv[s] = exitConv[s]! + p.markov.conversions[i]!
      exitNull[s] = exitNull[s]! + p.markov.nulls[i]!
      exitValue[s] = exitValue[s]! + p.markov.value[i]!
    })
    const edges = p.markov.edges.map(([from, to, w]) => addEdge(stateMap[from]!, stateMap[to]!, w))
    return { states: stateMap, edges }
  }

  const snapshot = (): MarkovCounts => {
    const edgeList: Array<readonly [number, number, number]> = []
    for (let k = 0; k < edgeWeights.length; k++) edgeList.push([edgeFrom[k]!, edgeTo[k]!, edgeWeights[k]!])
    return {
      order,
      states: states.map((s) => s.slice()),
      start: start.slice(),
      edges: edgeList,
      conversions: exitConv.slice(),
      nulls: exitNull.slice(),
      value: exitValue.slice(),
    }
  }

  return { addChannel, add, addOrder1, absorb, snapshot }
}
