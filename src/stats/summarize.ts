/**
 * The analysis as a person reads it: one line per treatment, or a Markdown table.
 *
 * @module
 */
import { everyElement } from '../core/guards'
import type { Analysis, Comparison } from './analyze'
import type { SampleRatioMismatchResult } from './frequentist/sampleRatioMismatch'
import type { Interval } from './model'

const pct = (x: number, digits = 1): string => {
  const s = (x * 100).toFixed(digits)
  return `${x > 0 && Number(s) !== 0 ? '+' : x < 0 && Number(s) === 0 ? '-' : ''}${s === '-0.0' ? '0.0' : s}%`
}

const signed = (x: number): string => {
  const s = Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(3)).toString()
  return x > 0 ? `+${s}` : s
}

/**
 * A p-value as people read it: two decimals above 0.1, three above 0.001, then two significant digits in
 * scientific notation (the tails are accurate, so `3.1e-12` means it), and `< 1e-300` below that (where doubles
 * run out). Anything that is not a p-value is `n/a`.
 *
 * @example
 * [0.5, 0.0123, 3.14e-12, 0].map(formatPValue)
 * // => ['0.50', '0.012', '3.1e-12', '< 1e-300']
 *
 * @category analysis
 * @since 0.1.0
 */
export const formatPValue = (p: number): string => {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) return 'n/a'
  if (p >= 0.1) return p.toFixed(2)
  if (p >= 0.001) return p.toFixed(3)
  if (p < 1e-300) return '< 1e-300'
  return p.toExponential(1)
}

const probability = (p: number): string => {
  if (p > 0.999) return '> 99.9%'
  if (p < 0.001) return '< 0.1%'
  return `${(p * 100).toFixed(1)}%`
}

/** `= 42.0%`, but `> 99.9%` rather than `= > 99.9%` (and `p < 1e-300` rather than `p = < 1e-300`). */
const withRelation = (shown: string): string => (shown.startsWith('>') || shown.startsWith('<') ? shown : `= ${shown}`)

// An absolute difference of rates reads best in percentage points.
const points = (x: number): string => {
  const s = (x * 100).toFixed(2)
  return `${x > 0 && Number(s) !== 0 ? '+' : ''}${s === '-0.00' ? '0.00' : s} pp`
}

const effect = (a: Analysis, x: number): string => (a.type === 'relative' ? pct(x) : a.kind === 'binomial' ? points(x) : signed(x))

/** A level as a percentage without noise: 95%, 97.5%, 98.33%. */
const levelText = (level: number): string => `${Number((level * 100).toPrecision(4))}%`

const interval = (a: Analysis, i: Interval, level: number): string => {
  const end = (x: number) => (Number.isFinite(x) ? effect(a, x) : x > 0 ? '∞' : '-∞')
  return `${levelText(level)} CI ${end(i.lower)} to ${end(i.upper)}`
}

const srmText = (s: SampleRatioMismatchResult): string =>
  s.mismatch ? `SAMPLE RATIO MISMATCH (p = ${formatPValue(s.pValue)}): check assignment before trusting these numbers` : 'sample ratio OK'

/** Enough of an Analysis to render (it may come from plain JavaScript). */
const isAnalysis = (u: unknown): u is Analysis => {
  if (u === null || typeof u !== 'object') return false
  const a = u as Partial<Analysis>
  return (
    Array.isArray(a.comparisons) &&
    Array.isArray(a.arms) &&
    typeof a.level === 'number' &&
    typeof a.sampleRatio === 'object' &&
    a.sampleRatio !== null &&
    everyElement(a.comparisons, (c) => c !== null && typeof c === 'object' && typeof c.name === 'string' && typeof c.estimate === 'number' && typeof c.interval === 'object' && c.interval !== null) &&
    everyElement(a.arms, (x) => x !== null && typeof x === 'object' && typeof x.name === 'string')
  )
}

/**
 * The analysis as a person reads it at a glance, one line per treatment:
 * `B vs A: +12.3% (95% CI +4.1% to +20.9%), p = 0.003, P(B > A) = 99.6%, sample ratio OK`
 * (`text`), or a Markdown table with the same numbers (`markdown`). With several treatments the p-values shown are
 * the corrected ones and the intervals are at the corrected level (e.g. `97.5% CI` for Holm over two). CUPED-adjusted
 * analyses say so. Given something that is not an Analysis, it says that instead of throwing.
 *
 * @example
 * import { pipe } from 'fp-ts/function'
 * import * as E from 'fp-ts/Either'
 * const data = { arms: [{ name: 'A', units: 10000, conversions: 1000 }, { name: 'B', units: 10050, conversions: 1123 }], control: 'A' }
 * pipe(data, analyze(), E.map(summarize()))
 * // => right('B vs A: +11.7% (95% CI +2.7% to +20.7%), p = 0.011, P(B > A) = 99.7%, sample ratio OK')
 *
 * @category analysis
 * @since 0.1.0
 */
export const summarize =
  (options: { readonly format?: 'text' | 'markdown' } = {}) =>
  (a: Analysis): string => {
    if (!isAnalysis(a)) return 'not an analysis: summarize takes the Right of analyze()'
    const markdown = options !== null && typeof options === 'object' && options.format === 'markdown'
    const intervalLevel = typeof a.intervalLevel === 'number' ? a.intervalLevel : a.level
    const multiple = a.comparisons.length > 1 && a.correction !== 'none'
    const shownP = (c: Comparison) => formatPValue(multiple ? c.adjustedPValue : c.pValue)
    const p = (c: Comparison) => `p ${withRelation(shownP(c))}${multiple ? ` (${a.correction})` : ''}`
    const sequential = a.comparisons.some((c) => c.sequentialInterval)
    if (markdown) {
      const head = `| Variant | Units | ${a.kind === 'binomial' ? 'Rate' : 'Mean'} | Lift | ${levelText(intervalLevel)} CI | p | P(better) |${sequential ? ' Always-valid CI |' : ''}`
      const sep = `|---|---:|---:|---:|---|---:|---:|${sequential ? '---|' : ''}`
      const mean = (m: number) => (a.kind === 'binomial' ? `${(m * 100).toFixed(2)}%` : Number(m.toPrecision(4)).toString())
      const rows = a.arms.map((arm) => {
        const c = a.comparisons.find((x) => x.name === arm.name)
        if (c === undefined) return `| ${arm.name} (control) | ${arm.units} | ${mean(arm.mean)} | | | | |${sequential ? ' |' : ''}`
        const ci = interval(a, c.interval, intervalLevel).replace(/^[\d.]+% CI /, '')
        const seq = c.sequentialInterval === undefined ? '' : ` ${interval(a, c.sequentialInterval, intervalLevel).replace(/^[\d.]+% CI /, '')} |`
        return `| ${arm.name} | ${arm.units} | ${mean(arm.mean)} | ${effect(a, c.estimate)} | ${ci} | ${shownP(c)} | ${probability(c.probabilityBetter)} |${seq}`
      })
      const notes = [srmText(a.sampleRatio), ...(a.cuped ? ['CUPED adjusted (lift, intervals, p and P(better))'] : []), ...(multiple ? [`p-values ${a.correction}-corrected`] : [])]
      return [head, sep, ...rows, '', notes.join('; ')].join('\n')
    }
    return a.comparisons
      .map((c) => {
        const parts = [
          `${c.name} vs ${c.control}: ${effect(a, c.estimate)} (${interval(a, c.interval, intervalLevel)})`,
          p(c),
          `P(${c.name} > ${c.control}) ${withRelation(probability(c.probabilityBetter))}`,
          ...(c.sequentialInterval === undefined ? [] : [`always-valid ${interval(a, c.sequentialInterval, intervalLevel)}`]),
          ...(c.varianceReduction === undefined ? [] : [`CUPED -${(c.varianceReduction * 100).toFixed(0)}% variance`]),
          srmText(a.sampleRatio),
        ]
        return parts.join(', ')
      })
      .join('\n')
  }
