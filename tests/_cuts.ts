/** Cutting a whole (text or bytes) into the pieces a stream might deliver, for chunking property tests. */

/** Bounds [from, to) of the pieces a whole of `length` falls into when cut at `cuts` (each taken modulo length + 1). */
export const pieceBounds = (length: number, cuts: ReadonlyArray<number>): Array<readonly [number, number]> => {
  const points = [...new Set(cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b)
  const bounds: Array<readonly [number, number]> = []
  let from = 0
  for (const p of points) {
    bounds.push([from, p])
    from = p
  }
  bounds.push([from, length])
  return bounds
}
