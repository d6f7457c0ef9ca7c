/**
 * The touchpoint map of the HTML report: stages as columns (grouped before, during and after the purchase),
 * touchpoints as cards in their stage, each with reach, main role, attributed conversions with interval, cost and
 * return where known, and the actions decided for it. The picture people draw on whiteboards, with numbers.
 *
 * @module
 * @internal
 */
import type { Action } from '../actions'
import { STAGES, UNMAPPED, type Report, type Roles, type StageOrUnmapped, type Touchpoint } from '../model'
import { ACTION_HEADINGS } from './actionText'
import { esc } from './charts'
import { experimentText, satisfactionText } from './evidenceText'
import { percent, type Numbers } from './format'
import { surveyScores, touchpointExperiments } from './evidenceTables'
import { mediumOf } from './medium'
import { afterPurchaseOf, rateText } from './afterPurchaseTable'
import { STAGE_COLORS } from './palette'

/** @internal Where a stage sits against the purchase. */
export const PHASE: Readonly<Record<StageOrUnmapped, string>> = {
  awareness: 'before the purchase',
  consideration: 'before the purchase',
  decision: 'before the purchase',
  purchase: 'during the purchase',
  loyalty: 'after the purchase',
  [UNMAPPED]: 'no stage',
}

const ROLE_KEYS: ReadonlyArray<keyof Roles> = ['introducer', 'assister', 'closer', 'solo']

/** The role with the largest share of converting touches; a tie names every role in it (no order is invented). */
const mainRole = (t: Touchpoint): string => {
  const top = Math.max(...ROLE_KEYS.map((k) => t.roleShares[k]))
  if (!(top > 0)) return 'on no converting journey'
  const roles = ROLE_KEYS.filter((k) => t.roleShares[k] === top)
  return `${roles.join(' / ')} (${percent(top, 0)} of converting touches)`
}

/** After-the-purchase cards (loyalty): repeat purchases after journeys touching it, marked as observed only. */
const afterPurchaseLine = (report: Report, t: Touchpoint, f: Numbers): string => {
  if (t.stage !== 'loyalty') return ''
  const a = afterPurchaseOf(report)
  const row = a?._tag === 'Measured' ? a.touchpoints.find((r) => r.channel === t.channel) : undefined
  return row === undefined ? '' : `after a purchase: ${f.count(row.journeys)} journeys · ${rateText(row.repeatRate)} bought again (observed, not an effect)`
}

const card = (report: Report, t: Touchpoint, actions: ReadonlyArray<Action>, f: Numbers): string => {
  const c = t.credits[report.referenceModel]
  const spend = t.cost?.cost
  // From plain JavaScript the report may carry anything here: what is no score or experiment is left out.
  const s = surveyScores(report).find(([c]) => c === t.channel)?.[1]
  const x = touchpointExperiments(report).find((e) => e.touchpoint === t.channel)
  const lines: Array<string> = [
    `reach ${f.count(t.journeys)} journeys · ${percent(t.conversionRate)} convert`,
    `mostly ${mainRole(t)}`,
    c === undefined ? '' : `${f.decimal(c.conversions, 1)}${c.interval === undefined ? '' : ` [${f.decimal(c.interval.lower, 1)}–${f.decimal(c.interval.upper, 1)}]`} conversions (${report.referenceModel})`,
    spend === undefined ? '' : spend > 0 ? `cost ${f.money(spend)} · return ${f.decimal(t.cost?.returnOnSpend[report.referenceModel])}` : 'unpaid',
    s === undefined ? '' : satisfactionText(s, f),
    x === undefined ? '' : experimentText(x, f),
    afterPurchaseLine(report, t, f),
  ].filter((l) => l !== '')
  const badges = actions.map((a) => `<span class="badge" data-action="${a._tag}">${esc(ACTION_HEADINGS[a._tag])}</span>`).join('')
  const medium = t.medium === 'online' || t.medium === 'offline' ? t.medium : mediumOf(t.channel)
  return `<div class="card" data-channel="${esc(t.channel)}"${medium === undefined ? '' : ` data-medium="${medium}"`}><b>${esc(t.channel)}${medium === undefined ? '' : ` <small>${medium}</small>`}</b>${lines.map((l) => `<span>${esc(l)}</span>`).join('')}${badges === '' ? '' : `<span class="badges">${badges}</span>`}</div>`
}

/** @internal The map section: one column per stage that has touchpoints, cards by reach (then name). */
export const mapSection = (report: Report, f: Numbers): string => {
  const columns = ([...STAGES, UNMAPPED] as ReadonlyArray<StageOrUnmapped>)
    .map((stage) => [stage, report.touchpoints.filter((t) => t.stage === stage).sort((a, b) => b.journeys - a.journeys || (a.channel < b.channel ? -1 : 1))] as const)
    .filter(([, ts]) => ts.length > 0)
  if (columns.length === 0) return ''
  const actionsOf = (channel: string) => report.actions.filter((a) => a.channel === channel)
  return `<section id="map"><h2>Touchpoint map</h2><p class="note">Every touchpoint in its stage, before, during and after the purchase, marked online or offline where its name says which: journeys reached, its main role on converting journeys, the conversions ${esc(report.referenceModel)} credits to it${
    report.bootstrap.used > 1 ? ` with a ${percent(report.bootstrap.level, 0)} interval` : ''
  }, cost and return on spend where a cost is known, satisfaction where surveyed, the experiment run on it, and the actions above.</p><div class="map" style="grid-template-columns:repeat(${columns.length},minmax(0,1fr))">${columns
    .map(
      ([stage, ts]) =>
        `<div class="stage" data-stage="${esc(stage)}" style="border-top-color:${STAGE_COLORS[stage] ?? '#8d8d8d'}"><h3>${esc(stage)}<small>${esc(PHASE[stage])}</small></h3>${ts.map((t) => card(report, t, actionsOf(t.channel), f)).join('')}</div>`,
    )
    .join('')}</div></section>`
}
