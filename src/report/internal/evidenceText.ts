/**
 * Survey scores and experiments as short text, shared by the map's cards, the actions and the Markdown report.
 *
 * @module
 * @internal
 */
import type { Satisfaction } from '../actions'
import type { TouchpointExperiment } from '../touchpointExperiments'
import { percent, type Numbers } from './format'

const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)
const signed = (x: number, text: string) => (x > 0 ? `+${text}` : text)
/** "p < 0.001" or "p = 0.012": never "p = < 0.001" (as touchpoint/stats writes p-values). */
const pText = (p: number, f: Numbers) => (p < 0.001 ? 'p < 0.001' : `p = ${f.decimal(p, 3)}`)

/** @internal "NPS 32.0 [25.1–38.9] · 400 responses" or "CSAT 81.0% [77.2%–84.3%] · 300 responses". */
export const satisfactionText = (s: Satisfaction, f: Numbers): string => {
  const v = (x: number) => (s.measure === 'csat' ? percent(x) : f.decimal(x, 1))
  const vs = s.versusOthers
  const versus =
    typeof vs !== 'object' || vs === null || !ok(vs.difference)
      ? ''
      : `; ${signed(vs.difference, f.decimal(s.measure === 'csat' ? 100 * vs.difference : vs.difference, 1))}${s.measure === 'csat' ? ' points' : ''} against the others pooled (${pText(vs.pValue, f)})`
  return `${s.measure.toUpperCase()} ${v(s.score)} [${v(s.lower)}–${v(s.upper)}] · ${f.count(s.responses)} responses${versus}`
}

/** @internal "experiment email holdout: +11.0% [+5.1%–+16.8%] (relative lift, binomial), p < 0.001". */
export const experimentText = (x: TouchpointExperiment, f: Numbers): string => {
  const l = x.lift
  if (!(typeof l === 'object' && l !== null && ok(l.value) && ok(l.lower) && ok(l.upper))) return `experiment ${x.name}`
  const v = (n: number) => signed(n, x.type === 'relative' ? percent(n) : f.decimal(n, 4))
  return `experiment ${x.name}: ${v(l.value)} [${v(l.lower)}–${v(l.upper)}] ${x.type} lift of ${x.kind === 'binomial' ? 'conversion' : x.kind} against its holdout, ${pText(x.pValue, f)}`
}

/** @internal What both renderers say in place of credits when nothing converted (build.ts then drops Markov). */
export const NO_CONVERSIONS = 'No conversions: no model has credit to give (the Markov model, which needs one, is left out).'
