/**
 * The report's ranked lists: its top paths (by a rank, ties broken by journeys and then by name) and links with
 * each one's share of its source's weight.
 *
 * @module
 */
import type { Link, PathCount, PathRow, ReportPartial } from './model'
import { ratio } from './summaries'

const pathKey = (p: ReadonlyArray<string>) => p.join('\u0000')

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
  return candidates
    .sort((a, b) => rank(b) - rank(a) || b.conversions + b.nulls - (a.conversions + a.nulls) || (keyOf(a) < keyOf(b) ? -1 : 1))
    .slice(0, top)
    .map((p) => ({ path: p.channels.map((c) => names[c]!), conversions: p.conversions, value: p.value, nulls: p.nulls, conversionRate: ratio(p.conversions, p.conversions + p.nulls) }))
}

/** @internal */
export const linksWithShares = (raw: ReadonlyArray<{ from: string; to: string; weight: number }>): Array<Link> => {
  const out = new Map<string, number>()
  for (const l of raw) out.set(l.from, (out.get(l.from) ?? 0) + l.weight)
  return raw.map((l) => ({ ...l, share: ratio(l.weight, out.get(l.from) ?? 0) }))
}
