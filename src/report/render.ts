/**
 * The report as text for machines and notes: JSON (the whole `Report`), CSV (one table at a time) and Markdown.
 *
 * @module
 */
import type { ModelName } from '../attribution/model'
import { ACTION_KINDS } from './actions'
import { ACTION_HEADINGS, actionText } from './internal/actionText'
import { durationText, fixed, formatDuration, numbers, percent, type Numbers, type NumberStyle } from './internal/format'
import { isRecord } from '../core/guards'
import { isReport } from './internal/guards'
import type { Report, Touchpoint } from './model'
import { experimentsTable, surveysTable } from './internal/evidenceTables'
import { NO_CONVERSIONS } from './internal/evidenceText'
import { AFTER_PURCHASE_HEADING, afterPurchaseTable } from './internal/afterPurchaseTable'

/** 12 significant digits: drops summation noise (502.34000000000003) without losing anything a report shows. */
const tidy = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(12)) : x)

/**
 * The whole report as JSON, numbers to 12 significant digits, durations in milliseconds. JSON has no Infinity
 * or NaN: a number that is not finite is written `null` (the report builder leaves none; a caller's own value
 * might).
 *
 * **Gotchas**: the formatters write `''` for what is not a report (from plain JavaScript).
 *
 * @example
 * JSON.parse(formatReportJson(report)).touchpoints[0].channel // => 'display'
 *
 * @category render
 * @since 0.1.0
 */
export const formatReportJson = (report: Report): string =>
  !isReport(report) ? '' : `${JSON.stringify(report, (_, v: unknown) => (typeof v === 'number' ? (Number.isFinite(v) ? tidy(v) : null) : v), 2)}\n`

/**
 * The tables `formatReportCsv` writes: one row per touchpoint (wide: every statistic, every model), stage,
 * top path, transition, scored opportunity, or action (kind, touchpoint, evidence and why it is beyond noise).
 *
 * @category render
 * @since 0.1.0
 */
export type CsvTable = 'touchpoints' | 'stages' | 'paths' | 'transitions' | 'opportunities' | 'actions'

const csvCell = (v: string | number | boolean | null | undefined): string => {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(tidy(v)) : ''
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

type Cell = string | number | boolean | null | undefined

const table = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [columns.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n'

const touchpointColumns = (models: ReadonlyArray<ModelName>, withCost: boolean): ReadonlyArray<string> => [
  'channel', 'stage', 'touches', 'journeys', 'converting_journeys', 'conversion_rate',
  'introducer', 'assister', 'closer', 'solo', 'introducer_share', 'assister_share', 'closer_share', 'solo_share',
  'average_position', 'average_touches_after',
  'time_to_conversion_count', 'time_to_conversion_p10_ms', 'time_to_conversion_p25_ms', 'time_to_conversion_median_ms', 'time_to_conversion_p75_ms', 'time_to_conversion_p90_ms',
  'markov_removal_effect',
  ...models.flatMap((m) => [`${m}_conversions`, `${m}_value`, `${m}_share`, `${m}_lower`, `${m}_upper`]),
  'disagreement_lowest_model', 'disagreement_highest_model', 'disagreement_spread', 'disagreement_cv', 'disagreement_clear',
  ...(withCost ? ['cost', ...models.flatMap((m) => [`${m}_cost_per_conversion`, `${m}_return_on_spend`])] : []),
]

const touchpointRow = (t: Touchpoint, models: ReadonlyArray<ModelName>, withCost: boolean): ReadonlyArray<Cell> => [
  t.channel, t.stage, t.touches, t.journeys, t.convertingJourneys, t.conversionRate,
  t.roles.introducer, t.roles.assister, t.roles.closer, t.roles.solo,
  t.roleShares.introducer, t.roleShares.assister, t.roleShares.closer, t.roleShares.solo,
  t.averagePosition, t.averageTouchesAfter,
  t.timeToConversion?.count, t.timeToConversion?.p10, t.timeToConversion?.p25, t.timeToConversion?.median, t.timeToConversion?.p75, t.timeToConversion?.p90,
  t.markovRemovalEffect,
  ...models.flatMap((m) => {
    const c = t.credits[m]
    return [c?.conversions, c?.value, c?.share, c?.interval?.lower, c?.interval?.upper]
  }),
  t.disagreement?.lowestModel, t.disagreement?.highestModel, t.disagreement?.spread, t.disagreement?.coefficientOfVariation, t.disagreement?.clear,
  ...(withCost ? [t.cost?.cost, ...models.flatMap((m) => [t.cost?.costPerConversion[m], t.cost?.returnOnSpend[m]])] : []),
]

/**
 * One table of the report as CSV (numbers to 12 significant digits, empty cells where a value is undefined).
 *
 * @example
 * formatReportCsv('touchpoints')(report).split('\n')[0] // => 'channel,stage,touches,journeys,…'
 *
 * @category render
 * @since 0.1.0
 */
export const formatReportCsv =
  (which: CsvTable = 'touchpoints') =>
  (report: Report): string => {
    if (!isReport(report)) return ''
    switch (which) {
      case 'touchpoints': {
        const withCost = report.costs !== undefined
        return table(touchpointColumns(report.models, withCost), report.touchpoints.map((t) => touchpointRow(t, report.models, withCost)))
      }
      case 'stages':
        return table(
          ['stage', 'channels', 'touches', 'journeys', 'converting_journeys', 'conversion_rate', 'reached_or_beyond', 'converting_reached_or_beyond', 'drop_off', 'drop_off_rate', 'closes'],
          report.stages.map((s) => [s.stage, s.channels.join(' > '), s.touches, s.journeys, s.convertingJourneys, s.conversionRate, s.reachedOrBeyond, s.convertingReachedOrBeyond, s.dropOff, s.dropOffRate, s.closes]),
        )
      case 'paths':
        return table(
          ['kind', 'path', 'conversions', 'value', 'nulls', 'conversion_rate'],
          [
            ...report.paths.topConverting.map((p) => ['converting', p.path.join(' > '), p.conversions, p.value, p.nulls, p.conversionRate] as const),
            ...report.paths.topNonConverting.map((p) => ['non_converting', p.path.join(' > '), p.conversions, p.value, p.nulls, p.conversionRate] as const),
          ],
        )
      case 'transitions':
        return table(['from', 'to', 'weight', 'share'], report.paths.transitions.map((l) => [l.from, l.to, l.weight, l.share]))
      case 'opportunities':
        return table(['rank', 'channel', 'score', 'conversion_gap', 'excess_spend', 'underfunded', 'reasons'], report.opportunities.map((o, i) => [i + 1, o.channel, o.score, o.conversionGap, o.excessSpend, o.underfunded, o.reasons.join('; ')]))
      case 'actions': {
        const f = numbers({})
        return table(
          ['action', 'channel', 'reason', 'evidence', 'uncertainty'],
          report.actions.map((a) => {
            const t = actionText(a, report.bootstrap.level, f)
            return [a._tag.toLowerCase(), a.channel, a._tag === 'Fix' ? a.reason : '', t.evidence, t.uncertainty]
          }),
        )
      }
    }
  }

export { formatDuration } from './internal/format'

const md = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))

const mdTable = (header: ReadonlyArray<string>, align: string, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  [`| ${header.join(' | ')} |`, `|${align.split('').map((a) => (a === 'l' ? '---' : '--:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')

/**
 * What the Markdown shows beyond the report: `title` (default "Touchpoint report"), `currency` and `locale`.
 *
 * @category render
 * @since 0.1.0
 */
export interface MarkdownOptions extends NumberStyle {
  readonly title?: string
}

/**
 * The report as Markdown: what to do (the actions with their evidence), summary, survey scores and experiments
 * (when the report has them), credit by model with intervals, roles and times, stages and their flow, costs, paths
 * and transitions, and how the numbers were made.
 *
 * @example
 * formatReportMarkdown(report, { currency: 'EUR' }) // => '# Touchpoint report\n\n## What to do\n\n…'
 *
 * @category render
 * @since 0.1.0
 */
export const formatReportMarkdown = (report: Report, options: MarkdownOptions = {}): string => {
  if (!isReport(report)) return ''
  const o: unknown = options
  const f = numbers(o)
  const { totals, models } = report
  const out: Array<string> = []
  const n0 = f.count
  out.push(`# ${isRecord(o) && typeof o['title'] === 'string' ? md(o['title']) : 'Touchpoint report'}`, '')
  out.push('## What to do', '')
  out.push('Listed only when the evidence is beyond noise; alphabetical within an action, not ranked. Free touchpoints are judged on conversion and on the models\' agreement only.', '')
  const groups = ACTION_KINDS.map((kind) => [kind, report.actions.filter((a) => a._tag === kind)] as const).filter(([, as]) => as.length > 0)
  if (groups.length === 0) out.push('No touchpoint has evidence beyond noise for an action.', '')
  for (const [kind, as] of groups) {
    out.push(`**${ACTION_HEADINGS[kind]}**`, '')
    out.push(as.map((a) => {
      const t = actionText(a, report.bootstrap.level, f)
      return `- **${md(a.channel)}**: ${md(t.evidence)} ${md(t.uncertainty)}`
    }).join('\n'), '')
  }
  out.push('## Summary', '')
  out.push(
    `${totals.channels} touchpoints, ${n0(totals.journeys)} journeys, ${n0(totals.conversions)} conversions (${percent(totals.conversionRate)}), value ${f.money(totals.value)}` +
      (totals.cost === undefined ? '.' : `, cost ${f.money(totals.cost)}.`),
    '',
  )
  out.push(...surveysMarkdown(report, f), ...experimentsMarkdown(report, f), ...afterPurchaseMarkdown(report, f))
  const b = report.bootstrap
  const iv = b.used > 1
  out.push('## Credit by model', '')
  out.push(
    iv
      ? `Conversions credited to each touchpoint; brackets: ${percent(b.level, 0)} bootstrap interval over journeys (${b.used} replicates, seed "${md(b.seed)}"). "Clear" means the models' spread is larger than resampling noise.`
      : 'Conversions credited to each touchpoint.',
    '',
    // As the HTML page says it: without a conversion the credits are all 0, and Markov was dropped (build.ts).
    ...(report.totals.conversions > 0 ? [] : [NO_CONVERSIONS, '']),
  )
  out.push(
    mdTable(
      ['touchpoint', 'stage', ...models, 'spread', ...(iv ? ['clear'] : [])],
      'll' + models.map(() => 'r').join('') + 'r' + (iv ? 'l' : ''),
      report.touchpoints.map((t) => [
        md(t.channel),
        t.stage,
        ...models.map((m) => {
          const c = t.credits[m]!
          return c.interval === undefined ? fixed(c.conversions) : `${fixed(c.conversions)} [${fixed(c.interval.lower, 1)}, ${fixed(c.interval.upper, 1)}]`
        }),
        fixed(t.disagreement?.spread),
        ...(iv ? [t.disagreement?.clear === undefined ? '–' : t.disagreement.clear ? 'yes' : 'no'] : []),
      ]),
    ),
    '',
  )
  out.push('## Roles, reach and timing', '')
  const timed = report.touchpoints.some((t) => t.timeToConversion !== undefined)
  out.push(`Roles on converting journeys: introducer = first touch, assister = a middle touch, closer = last touch, solo = the only touch.${timed ? ' Time to conversion: median (quartiles) from a touch to the conversion.' : ''}`, '')
  out.push(
    mdTable(
      ['touchpoint', 'touches', 'journeys', 'conv. rate', 'introducer', 'assister', 'closer', 'solo', 'avg position', ...(timed ? ['time to conversion'] : []), ...(report.touchpoints.some((t) => t.markovRemovalEffect !== undefined) ? ['removal effect'] : [])],
      'lrrrrrrrr' + (timed ? 'l' : '') + (report.touchpoints.some((t) => t.markovRemovalEffect !== undefined) ? 'r' : ''),
      report.touchpoints.map((t) => [
        md(t.channel),
        n0(t.touches),
        n0(t.journeys),
        percent(t.conversionRate),
        `${n0(t.roles.introducer)} (${percent(t.roleShares.introducer, 0)})`,
        `${n0(t.roles.assister)} (${percent(t.roleShares.assister, 0)})`,
        `${n0(t.roles.closer)} (${percent(t.roleShares.closer, 0)})`,
        `${n0(t.roles.solo)} (${percent(t.roleShares.solo, 0)})`,
        fixed(t.averagePosition, 1),
        ...(timed ? [durationText(t.timeToConversion)] : []),
        ...(t.markovRemovalEffect === undefined ? [] : [fixed(t.markovRemovalEffect, 3)]),
      ]),
    ),
    '',
  )
  out.push('## Journey stages', '')
  out.push('Reached: journeys with a touch in the stage. Reached or beyond: journeys whose furthest stage is this one or later (the funnel). Drop-off: journeys whose last touch is in the stage and that did not convert.', '')
  out.push(
    mdTable(
      ['stage', 'touchpoints', 'reached', 'converting', 'reached or beyond', 'drop-off', 'drop-off rate', 'closes'],
      'llrrrrrr',
      report.stages.filter((s) => s.channels.length > 0).map((s) => [s.stage, md(s.channels.join(', ')), n0(s.journeys), n0(s.convertingJourneys), n0(s.reachedOrBeyond), n0(s.dropOff), percent(s.dropOffRate), n0(s.closes)]),
    ),
    '',
  )
  out.push('Stage flow (consecutive touches in different stages):', '')
  out.push(mdTable(['from', 'to', 'journeys', 'share of from'], 'llrr', report.stageFlow.slice().sort((x, y) => y.weight - x.weight).map((l) => [l.from, l.to, n0(l.weight), percent(l.share)])), '')
  if (report.costs !== undefined) {
    const c = report.costs
    out.push('## Cost', '')
    // Unpaid touchpoints have no cost per conversion (0.00 would read as a bargain): named once, not tabled.
    const paid = report.touchpoints.filter((t) => (t.cost?.cost ?? 0) > 0)
    const unpaid = report.touchpoints.filter((t) => !((t.cost?.cost ?? 0) > 0)).map((t) => md(t.channel))
    out.push(
      `Total cost ${f.money(c.total)}${c.periods.length > 0 ? ` (periods ${c.periods.map(md).join(', ')})` : ''}: ${f.money(c.costPerConversion)} per conversion, return on spend ${f.decimal(c.returnOnSpend)}.` +
        (unpaid.length > 0 ? ` Unpaid (no cost): ${unpaid.join(', ')}.` : '') +
        (c.unmatched.length > 0 ? ` Costs for channels not in the journeys (left out): ${c.unmatched.map(md).join(', ')}.` : ''),
      '',
    )
    out.push('Cost per attributed conversion:', '')
    out.push(
      mdTable(['touchpoint', 'cost', ...models], 'lr' + models.map(() => 'r').join(''), paid.map((t) => [md(t.channel), f.money(t.cost?.cost), ...models.map((m) => f.money(t.cost?.costPerConversion[m]))])),
      '',
    )
    out.push('Return on spend (credited value / cost):', '')
    out.push(
      mdTable(['touchpoint', 'cost', ...models], 'lr' + models.map(() => 'r').join(''), paid.map((t) => [md(t.channel), f.money(t.cost?.cost), ...models.map((m) => f.decimal(t.cost?.returnOnSpend[m]))])),
      '',
    )
  }
  out.push('## Paths', '')
  const pathTable = (rows: Report['paths']['topConverting']) =>
    mdTable(['path', 'conversions', 'non-converting', 'conv. rate'], 'lrrr', rows.map((p) => [md(p.path.join(' > ')), n0(p.conversions), n0(p.nulls), percent(p.conversionRate)]))
  out.push('Top converting paths:', '', pathTable(report.paths.topConverting), '')
  out.push('Top non-converting paths:', '', pathTable(report.paths.topNonConverting), '')
  if (!report.paths.exact) out.push(`Path counts are estimates (more distinct paths than kept): each is low by at most ${fixed(report.paths.countError, 1)}.`, '')
  out.push('Path length:', '')
  out.push(mdTable(['touches', 'converting', 'non-converting'], 'rrr', report.paths.lengths.map((l) => [String(l.length), n0(l.conversions), n0(l.nulls)])), '')
  if (report.paths.timeToConversion !== undefined) {
    const d = report.paths.timeToConversion
    out.push(`First touch to conversion (${n0(d.count)} timed conversions): p10 ${formatDuration(d.p10)}, p25 ${formatDuration(d.p25)}, median ${formatDuration(d.median)}, p75 ${formatDuration(d.p75)}, p90 ${formatDuration(d.p90)}.`, '')
  }
  out.push('### Top transitions between touchpoints', '')
  out.push(mdTable(['from', 'to', 'journeys', 'share of from'], 'llrr', report.paths.transitions.map((l) => [md(l.from), md(l.to), n0(l.weight), percent(l.share)])), '')
  out.push('## Method', '')
  out.push(
    `Credits from touchpoint's attribution models (${models.join(', ')}); actions and costs by ${report.referenceModel}. ` +
      'Intervals: bootstrap over journeys (each journey counts twice or not at all per replicate, seeded), percentile intervals; conversion rates: Wilson intervals. ' +
      'Times are read from log-spaced histograms (40 bins per decade): quantiles within ±6%.',
    '',
  )
  return out.join('\n')
}

/** Survey scores per touchpoint, the numbers of the JSON's `satisfaction`: what the cards of the page show. */
const surveysMarkdown = (report: Report, f: Numbers): ReadonlyArray<string> => {
  const t = surveysTable(report, f, md)
  return t === undefined ? [] : ['## Surveys', '', t.note, '', mdTable(t.head, t.align, t.rows), '']
}

/** After the purchase (the JSON's `afterPurchase`): the note, and the table when measured. */
const afterPurchaseMarkdown = (report: Report, f: Numbers): ReadonlyArray<string> => {
  const t = afterPurchaseTable(report, f, md)
  if (t === undefined) return []
  return [`## ${AFTER_PURCHASE_HEADING}`, '', t.note, '', ...(t.rows === undefined || t.rows.length === 0 ? [] : [mdTable(t.head, t.align, t.rows), ''])]
}

/** Experiments on touchpoints, the numbers of the JSON's `experiments`. */
const experimentsMarkdown = (report: Report, f: Numbers): ReadonlyArray<string> => {
  const t = experimentsTable(report, f, md)
  return t === undefined ? [] : ['## Experiments', '', t.note, '', mdTable(t.head, t.align, t.rows), '']
}
