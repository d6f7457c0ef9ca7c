/**
 * Numeric comparison with explicit tolerances (never `toBeCloseTo`'s decimal digits, never a tolerance passed as
 * an assertion message, the simple-statistics trap). |actual − expected| ≤ max(abs, rel · |expected|).
 * A tracker remembers the worst relative error per function, for the accuracy notes.
 */
import { afterAll, expect } from 'vitest'

export interface Tolerance {
  readonly rel?: number
  readonly abs?: number
}

/** Golden JSON writes infinities as strings. */
export const num = (v: number | string): number =>
  v === 'Infinity' ? Number.POSITIVE_INFINITY : v === '-Infinity' ? Number.NEGATIVE_INFINITY : (v as number)

export const relativeError = (actual: number, expected: number): number => {
  if (actual === expected) return 0
  if (expected === 0) return Math.abs(actual)
  return Math.abs(actual - expected) / Math.abs(expected)
}

export const isClose = (actual: number, expected: number, tol: Tolerance): boolean => {
  if (actual === expected) return true
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false
  return Math.abs(actual - expected) <= Math.max(tol.abs ?? 0, (tol.rel ?? 0) * Math.abs(expected))
}

const worst = new Map<string, { rel: number; abs: number; at: string }>()

/** Assert closeness, naming the case on failure; records the error under `fn`. */
export const expectClose = (fn: string, actual: number, expected: number | string, tol: Tolerance, label = ''): void => {
  const e = num(expected)
  const rel = relativeError(actual, e)
  const abs = actual === e ? 0 : Math.abs(actual - e)
  const seen = worst.get(fn)
  if (seen === undefined || rel > seen.rel) worst.set(fn, { rel, abs, at: label })
  if (!isClose(actual, e, tol)) {
    expect.fail(`${fn}${label === '' ? '' : ` ${label}`}: got ${actual}, expected ${e} (rel err ${rel.toExponential(2)}, tolerance ${JSON.stringify(tol)})`)
  }
}

/** The worst relative errors seen so far, one line per function (printed when TOUCHPOINT_ACCURACY is set). */
export const accuracyReport = (): string =>
  [...worst.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([fn, w]) => `${fn.padEnd(34)} worst rel ${w.rel.toExponential(2)}  abs ${w.abs.toExponential(2)}  ${w.at}`)
    .join('\n')

// Each test file has its own copy of this module: print its worst errors when asked (accuracy notes).
afterAll(() => {
  if (process.env['TOUCHPOINT_ACCURACY'] && worst.size > 0) console.log(accuracyReport())
})
