/**
 * Number formatting shared by the Markdown and HTML renderers.
 *
 * @module
 * @internal
 */
import type { DurationSummary } from '../model'

/**
 * A duration in milliseconds as text a person reads: `850 ms`, `42 s`, `18 min`, `5.2 h`, `3.4 d`.
 *
 * @example
 * formatDuration(3 * 86_400_000) // => '3.0 d'
 *
 * @category render
 * @since 0.1.0
 */
export const formatDuration = (ms: number): string => {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '–'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(0)} s`
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(0)} min`
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`
  return `${(ms / 86_400_000).toFixed(1)} d`
}

/** @internal A number to `digits` decimals, `–` when undefined; no `-0.00`. */
export const fixed = (x: number | null | undefined, digits = 2): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  const s = x.toFixed(digits)
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s
}

/** @internal A share as a percentage. */
export const percent = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${fixed(100 * x, digits)}%`)

/** @internal `median (p25–p75)` of a duration summary. */
export const durationText = (d: DurationSummary | undefined): string => (d === undefined ? '–' : `${formatDuration(d.median)} (${formatDuration(d.p25)}–${formatDuration(d.p75)})`)

