/**
 * The surveys and experiments tables, shared by the Markdown and the HTML report so both show the same columns
 * and numbers. Cells are plain text; `text` escapes the free-text cells for the target (Markdown), while the HTML
 * table helper escapes every cell itself.
 *
 * @module
 * @internal
 */
import { isRecord } from '../../core/guards'
import type { Satisfaction } from '../actions'
import type { Report } from '../model'
import type { TouchpointExperiment } from '../touchpointExperiments'
import { percent, type Numbers } from './format'

/** @internal A table: a note above it, the header, column alignment (l/r per column) and the rows. */
export interface EvidenceTable {
  readonly note: string
  readonly head: ReadonlyArray<string>
  readonly align: string
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
}

const levelText = (level: number) => (typeof level === 'number' && Number.isFinite(level) ? `${Math.round(level * 10000) / 100}%` : '–')
const pValueText = (p: number, f: Numbers) => (typeof p === 'number' && p < 0.001 ? '< 0.001' : f.decimal(p, 3))
const signedText = (x: number, text: string) => (typeof x === 'number' && x > 0 ? `+${text}` : text)

/** @internal The report's survey scores by touchpoint name, leaving out what is no score (plain JavaScript). */
export const surveyScores = (report: Report): ReadonlyArray<readonly [string, Satisfaction]> => {
  const given: unknown = report.satisfaction
  return Object.entries(isRecord(given) ? given : {}).filter((e): e is [string, Satisfaction] => isRecord(e[1]) && (e[1]['measure'] === 'nps' || e[1]['measure'] === 'csat')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** @internal The report's experiments, leaving out what is no experiment (plain JavaScript). */
export const touchpointExperiments = (report: Report): ReadonlyArray<TouchpointExperiment> => {
  const given: unknown = report.experiments
  return (Array.isArray(given) ? given : []).filter((x): x is TouchpointExperiment => isRecord(x) && typeof x['touchpoint'] === 'string' && typeof x['name'] === 'string' && isRecord(x['holdout']) && isRecord(x['exposed']) && isRecord(x['lift']) && (x['rateChange'] === undefined || isRecord(x['rateChange'])))
}

/** @internal Survey scores per touchpoint (the JSON's `satisfaction`), by name; undefined when there are none. */
export const surveysTable = (report: Report, f: Numbers, text: (s: string) => string): EvidenceTable | undefined => {
  // From plain JavaScript a report may carry anything here: what is no score is left out, never thrown on.
  const rows = surveyScores(report)
  if (rows.length === 0) return undefined
  return {
    note: 'NPS: promoters minus detractors (×100), Wald interval; CSAT: share of satisfied responses, Wilson interval. Against the others: this touchpoint minus the other touchpoints surveyed with the same measure, pooled (CSAT in points).',
    head: ['touchpoint', 'measure', 'scale', 'score [interval]', 'responses', 'against the others', 'p'],
    align: 'lllrrrr',
    rows: rows.map(([channel, x]) => {
      const v = (n: number) => (x.measure === 'csat' ? percent(n) : f.decimal(n, 1))
      const vs = isRecord(x.versusOthers) ? x.versusOthers : undefined
      return [text(channel), x.measure.toUpperCase(), text(typeof x.scale === 'string' ? x.scale : '–'), `${v(x.score)} [${v(x.lower)}, ${v(x.upper)}]`, f.count(x.responses), vs === undefined ? '–' : signedText(vs.difference, f.decimal(x.measure === 'csat' ? 100 * vs.difference : vs.difference, 1)), vs === undefined ? '–' : pValueText(vs.pValue, f)]
    }),
  }
}

/** @internal Experiments on touchpoints (the JSON's `experiments`), in their order; undefined when there are none. */
export const experimentsTable = (report: Report, f: Numbers, text: (s: string) => string): EvidenceTable | undefined => {
  const xs = touchpointExperiments(report)
  if (xs.length === 0) return undefined
  const metric = xs.some((x) => x.metric !== undefined)
  const rate = xs.some((x) => x.rateChange !== undefined)
  const arm = (x: TouchpointExperiment, a: TouchpointExperiment['holdout']) => `${text(String(a.name))}: ${f.count(a.units)} units, ${x.kind === 'binomial' ? percent(a.mean, 2) : f.decimal(a.mean, 4)}`
  const points = (n: number) => signedText(n, f.decimal(100 * n, 2))
  const lift = (x: TouchpointExperiment, n: number) => signedText(n, x.type === 'relative' ? percent(n) : f.decimal(n, 4))
  return {
    note: `Holdout tests of touchpoints: the arm without the touchpoint (holdout) against the arm with it (exposed). Lift: ${xs.every((x) => x.type === 'relative') ? 'relative' : 'relative or absolute'}, at the analysis' interval level, with its (corrected) p-value.${rate ? ' Rate change: exposed − holdout conversion rate, in percentage points (Wald interval); the actions multiply it by the journeys reaching the touchpoint.' : ''}`,
    head: ['touchpoint', 'experiment', ...(metric ? ['metric'] : []), 'holdout', 'exposed', 'lift [interval]', 'level', 'p', ...(rate ? ['rate change, points [interval]', 'level'] : [])],
    align: 'll' + (metric ? 'l' : '') + 'llrrr' + (rate ? 'rr' : ''),
    rows: xs.map((x) => [
      text(x.touchpoint),
      text(x.name),
      ...(metric ? [typeof x.metric === 'string' ? text(x.metric) : '–'] : []),
      arm(x, x.holdout),
      arm(x, x.exposed),
      `${lift(x, x.lift.value)} [${lift(x, x.lift.lower)}, ${lift(x, x.lift.upper)}]`,
      levelText(x.level),
      pValueText(x.pValue, f),
      ...(rate ? (x.rateChange === undefined ? ['–', '–'] : [`${points(x.rateChange.value)} [${points(x.rateChange.lower)}, ${points(x.rateChange.upper)}]`, levelText(x.rateChangeLevel ?? x.level)]) : []),
    ]),
  }
}
