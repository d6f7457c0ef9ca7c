/**
 * The report's ranked lists: its top paths (by a rank, ties broken by journeys and then by name) and links with
 * each one's share of its source's weight.
 *
 * @module
 */
import type { Link, PathCount, PathRow, ReportPartial } from './model'
import { ratio } from './summaries'

const pathKey = (p: ReadonlyArray<string>) => p.join('\u0000')

/** Below this many wanted, of at least 4 times as many candidates, `topSorted` selects rather than sorts them all. */
const SELECT_BELOW = 64

/**
 * The first `top` of `xs` sorted by `compare`, as `xs.slice().sort(compare).slice(0, top)` gives them (a stable
 * sort: ties keep their order in `xs`) when `compare` is a consistent order; for a few of many, one pass that
 * keeps the best `top` in order (a candidate not ahead of the last kept costs one comparison), not a sort of all.
 *
 * @internal
 */
export const topSorted = <T>(xs: ReadonlyArray<T>, compare: (a: T, b: T) => number, top: number): Array<T> => {
  if (!(top > 0)) return []
  if (top >= SELECT_BELOW || 4 * top >= xs.length) return xs.slice().sort(compare).slice(0, top)
  const best: Array<T> = []
  for (const x of xs) {
    let i = best.length
    if (i === top) {
      if (compare(x, best[top - 1]!) >= 0) continue
      i = top - 1
    }
    // After the kept ones it is not ahead of, so ties stay in input order.
    while (i > 0 && compare(x, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!
      i--
    }
    best[i] = x
  }
  return best
}

/** @internal */
export const pathRows = (partial: ReportPartial, rank: (p: PathCount) => number, top: number): ReadonlyArray<PathRow> => {
  const names = partial.attribution.channels
  const candidates = partial.paths.paths.filter((p) => rank(p) > 0)
  // Names and keys only for the ties that reach them (a sort of 20 000 paths compares numbers almost always).
  const keys = new Map<PathCount, string>()
  const keyOf = (p: PathCount) => {
    let k = keys.get(p)
    if (k === undefined) {
      k = pathKey(p.channels.map((c) => names[c]!))
      keys.set(p, k)
    }
    return k
  }
  // Distinct paths have distinct keys, so this is a strict order and the top rows are the full sort's.
  return topSorted(candidates, (a, b) => rank(b) - rank(a) || b.conversions + b.nulls - (a.conversions + a.nulls) || (keyOf(a) < keyOf(b) ? -1 : 1), top)
    .map((p) => ({ path: p.channels.map((c) => names[c]!), conversions: p.conversions, value: p.value, nulls: p.nulls, conversionRate: ratio(p.conversions, p.conversions + p.nulls) }))
}

/** @internal */
export const linksWithShares = (raw: ReadonlyArray<{ from: string; to: string; weight: number }>): Array<Link> => {
  const out = new Map<string, number>()
  for (const l of raw) out.set(l.from, (out.get(l.from) ?? 0) + l.weight)
  return raw.map((l) => ({ ...l, share: ratio(l.weight, out.get(l.from) ?? 0) }))
}
