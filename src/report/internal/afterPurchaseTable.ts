/**
 * The after-purchase table, shared by the Markdown and the HTML report (as the surveys and experiments tables are):
 * a note that says what is counted and that it is observational, then one row per post-purchase touchpoint; or,
 * when the input cannot give it, the note alone saying why.
 *
 * @module
 * @internal
 */
import { isRecord } from '../../core/guards'
import type { AfterPurchase, AfterPurchaseRow, Report } from '../model'
import { formatDuration, percent, type Numbers } from './format'

/** @internal The section's heading, on the page and in Markdown. */
export const AFTER_PURCHASE_HEADING = 'After the purchase'

/** @internal What is observed, not what causes it: said on every rendering of the section. */
export const OBSERVATIONAL_NOTE =
  'Observational: these journeys and repeat purchases were seen together, which does not show that the touchpoint caused them (customers who buy again also open more messages). Only an experiment (a holdout on the touchpoint) measures its effect.'

/** @internal The report's section when it is one (plain JavaScript may pass anything). */
export const afterPurchaseOf = (report: Report): AfterPurchase | undefined => {
  const a: unknown = report.afterPurchase
  if (!isRecord(a)) return undefined
  if (a['_tag'] === 'NotMeasured' && typeof a['reason'] === 'string') return a as AfterPurchase
  return a['_tag'] === 'Measured' && Array.isArray(a['touchpoints']) && isRecord(a['total']) && typeof a['windowMs'] === 'number' ? (a as AfterPurchase) : undefined
}

/** @internal A rate with its interval: `12.5% [4.5%–32.1%]`. */
export const rateText = (r: AfterPurchaseRow['repeatRate']): string => `${percent(r.value)} [${percent(r.lower)}–${percent(r.upper)}]`

/** @internal The table (undefined rows: not measured, the note says why); undefined when the report has no section. */
export const afterPurchaseTable = (
  report: Report,
  f: Numbers,
  text: (s: string) => string,
): { readonly note: string; readonly head: ReadonlyArray<string>; readonly align: string; readonly rows?: ReadonlyArray<ReadonlyArray<string>> } | undefined => {
  const a = afterPurchaseOf(report)
  if (a === undefined) return undefined
  const head = ['touchpoint', 'stage', 'journeys after a purchase', 'bought again in the window', 'repeat rate [interval]', 'repeat value']
  const align = 'llrrrr'
  if (a._tag === 'NotMeasured') return { note: `Repeat purchases by post-purchase touchpoint: ${a.reason}.`, head, align }
  const days = a.windowMs / 86_400_000
  const window = Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : formatDuration(a.windowMs)
  const t = a.total
  const level = report.bootstrap.level
  const note =
    t.journeys === 0
      ? `No journey began within ${window} after a purchase by the same user (${f.count(a.read)} journeys read with their users).`
      : `Journeys that began within ${window} after the same user's purchase: ${f.count(t.journeys)}, of which ${f.count(t.repeats)} converted again within ${window} of that purchase (${rateText(t.repeatRate)}, ${f.money(t.repeatValue)}). Per touchpoint: those of these journeys that touched it; rates with Wilson intervals at ${percent(level, 0)}. ${OBSERVATIONAL_NOTE}`
  return {
    note,
    head,
    align,
    rows: a.touchpoints.map((r) => [text(r.channel), r.stage, f.count(r.journeys), f.count(r.repeats), rateText(r.repeatRate), f.money(r.repeatValue)]),
  }
}
