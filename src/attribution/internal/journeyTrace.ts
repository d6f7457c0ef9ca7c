/**
 * What the accumulator's parts write about the journey last added, and what `absorbMapped` says about a partial it
 * took in: the shapes a layer over the one reducer (the report's bootstrap replicates) reads.
 *
 * @internal
 * @module
 */

/**
 * What `addIndexed` found about the journey it was last given, for a layer that keeps more sums over the same
 * structure (the report's bootstrap replicates) without looking anything up twice. Indexes refer to the lists of
 * the accumulator's partial: `sets`, `markov.states`, `markov.edges`.
 *
 * - `set`: the journey's channel set, or -1 when it weighs nothing (no conversions and no nulls: no set, no chain).
 * - `lastNonDirect`: the touch last non-direct credits (set whenever the journey has rule credit).
 * - `firstState`, `lastState`, `edges[0..edgeCount)`: the Markov states it starts and ends in and the edges it
 *   takes, in path order, repeats kept.
 *
 * @internal
 */
export interface JourneyTrace {
  set: number
  lastNonDirect: number
  firstState: number
  lastState: number
  edgeCount: number
  /** Grown by doubling (a path of millions of touches grew a plain array one slot at a time). */
  edges: Int32Array
}

/**
 * Where `absorbMapped` put a partial's channels, sets, states and edges (index in the partial -> index here).
 *
 * @internal
 */
export interface AbsorbMaps {
  readonly channels: ReadonlyArray<number>
  readonly sets: ReadonlyArray<number>
  readonly states: ReadonlyArray<number>
  readonly edges: ReadonlyArray<number>
}
