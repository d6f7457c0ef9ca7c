/**
 * A property's number of runs, times TOUCHPOINT_FC_SCALE (default 1), for soaking the properties whose rare
 * inputs a single CI seed meets only now and then (the JSON lane's byte-order-mark-only source was one):
 *
 *   TOUCHPOINT_FC_SCALE=40 npx vitest run tests/files/jsonLane.test.ts --testTimeout=900000
 *
 * runs its property 2,400 times (about 5 minutes on a loaded 2-core machine). fast-check prints a failure's seed
 * and path: keep it as a fixed-input test.
 */
export const scaledRuns = (numRuns: number): number => {
  const scale = Number(process.env['TOUCHPOINT_FC_SCALE'] ?? 1)
  return Number.isFinite(scale) && scale > 0 ? Math.max(1, Math.round(numRuns * scale)) : numRuns
}
