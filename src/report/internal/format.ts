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


/**
 * How amounts and counts read on a page: `currency` (an ISO 4217 code such as `EUR`) and `locale` (a BCP 47 tag
 * such as `de-DE`, default `en-US`) for `Intl.NumberFormat`.
 *
 * @category render
 * @since 0.1.0
 */
export interface NumberStyle {
  readonly currency?: string
  readonly locale?: string
}

/** @internal Why a currency or locale cannot format numbers (Intl throws a RangeError for them), or undefined. */
export const numberStyleProblem = (style: NumberStyle): string | undefined => {
  // The default style cannot fail: no formatter built for nothing (the first one loads ICU's number data, about
  // 50 ms of CPU on these machines, which a JSON report never needs).
  if (style.locale === undefined && style.currency === undefined) return undefined
  try {
    new Intl.NumberFormat(style.locale ?? 'en-US', style.currency === undefined ? {} : { style: 'currency', currency: style.currency })
    return undefined
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}

/** @internal Formatters for amounts (2 decimals, currency when given) and counts (grouped, whole or 1 decimal). */
export interface Numbers {
  readonly money: (x: number | null | undefined) => string
  readonly count: (x: number | null | undefined) => string
  readonly decimal: (x: number | null | undefined, digits?: number) => string
}

/** @internal A bad style from plain JavaScript falls back to en-US without currency (the CLI refuses it first). */
export const numbers = (style: unknown): Numbers => {
  const s = (style !== null && typeof style === 'object' ? style : {}) as Record<string, unknown>
  const given: NumberStyle = { ...(typeof s['currency'] === 'string' ? { currency: s['currency'] } : {}), ...(typeof s['locale'] === 'string' ? { locale: s['locale'] } : {}) }
  const ok = numberStyleProblem(given) === undefined
  const locale = ok ? (given.locale ?? 'en-US') : 'en-US'
  const currency = ok ? given.currency : undefined
  const moneyFmt = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, ...(currency === undefined ? {} : { style: 'currency', currency }) })
  const formats = new Map<number, Intl.NumberFormat>()
  const decimal = (x: number | null | undefined, digits = 2): string => {
    if (x === null || x === undefined || !Number.isFinite(x)) return '–'
    let f = formats.get(digits)
    if (f === undefined) {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
      formats.set(digits, f)
    }
    const out = f.format(x)
    return /^-0([.,]0*)?$/.test(out) ? out.slice(1) : out
  }
  return {
    money: (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : moneyFmt.format(Object.is(x, -0) ? 0 : x)),
    count: (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : decimal(x, Number.isInteger(x) ? 0 : 1)),
    decimal,
  }
}
