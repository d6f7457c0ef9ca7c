/**
 * Chi-square tests for the statistical checks of assignment (uniform buckets, weights honoured, independent
 * hashes). jstat's chi-square CDF is accurate in the range these tests read (p around 1e-6 .. 1).
 */
import jstat from 'jstat'

const chiSquareSf = (x: number, df: number): number => 1 - (jstat as unknown as { chisquare: { cdf: (x: number, k: number) => number } }).chisquare.cdf(x, df)

/** Goodness of fit of observed counts to expected shares; returns the p-value. */
export const chiSquareGof = (observed: ReadonlyArray<number>, shares: ReadonlyArray<number>): number => {
  const total = observed.reduce((a, b) => a + b, 0)
  let x = 0
  let df = -1
  observed.forEach((o, i) => {
    const e = total * shares[i]!
    if (e > 0) {
      x += (o - e) ** 2 / e
      df++
    }
  })
  return chiSquareSf(x, Math.max(df, 1))
}

/** Pearson's independence test on a contingency table (rows x columns of counts); returns the p-value. */
export const chiSquareIndependence = (table: ReadonlyArray<ReadonlyArray<number>>): number => {
  const rows = table.map((r) => r.reduce((a, b) => a + b, 0))
  const cols = table[0]!.map((_, j) => table.reduce((s, r) => s + r[j]!, 0))
  const total = rows.reduce((a, b) => a + b, 0)
  let x = 0
  table.forEach((r, i) =>
    r.forEach((o, j) => {
      const e = (rows[i]! * cols[j]!) / total
      if (e > 0) x += (o - e) ** 2 / e
    }),
  )
  const df = (rows.filter((n) => n > 0).length - 1) * (cols.filter((n) => n > 0).length - 1)
  return chiSquareSf(x, Math.max(df, 1))
}
