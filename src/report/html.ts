/**
 * The report as one self-contained HTML file: inline CSS, inline SVG charts, no network, no external script.
 * Charts: credit by model per touchpoint (with bootstrap intervals), roles, the stage funnel, the journey flow
 * along the first touches, path lengths, time to conversion (event input) and cost against credit; tables carry
 * the numbers.
 *
 * A few lines of inline script measure every chart once the page is laid out (the SVG bounding boxes of its
 * shapes) and write the result to `data-rendered` on `<body>`: a headless browser's DOM dump then shows whether
 * the charts were really drawn. The report reads the same without script.
 *
 * Pure string building: no DOM, no Node.
 *
 * @module
 */
import type { ModelName } from '../attribution/model'
import type { Action } from './actions'
import { ACTION_KINDS } from './actions'
import type { Report } from './model'
import { ACTION_HEADINGS, actionText } from './internal/actionText'
import { costChart, creditChart, esc, flowChart, funnelChart, legend, lengthChart, rolesChart, timeChart, WIDTH } from './internal/charts'
import { durationText, fixed, formatDuration, numbers, percent, type Numbers, type NumberStyle } from './internal/format'
import { isReport } from './internal/guards'
import { experimentsTable, surveysTable } from './internal/evidenceTables'
import { NO_CONVERSIONS } from './internal/evidenceText'
import { mapSection } from './internal/map'
import { AFTER_PURCHASE_HEADING, afterPurchaseTable } from './internal/afterPurchaseTable'
import { CHART_ROWS, chartTail } from './internal/tail'
import { OTHER_COLOR, STAGE_COLORS } from './internal/palette'
import { isRecord } from '../core/guards'

const th = (cells: ReadonlyArray<string>): string => `<tr>${cells.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`
// Numbers, amounts with a currency sign or code before or after (€1,234.00, 1.234,00 €), shares, intervals.
const NUMERIC = /^[-–+]?[^\d\s]{0,3}\s?\d[\d.,\u00a0\u202f]*(\s?[^\d\s[(]{1,3})?(%| [a-z]+)?( \(.*\)| \[.*\])?$|^–$/u
const tr = (cells: ReadonlyArray<string>): string => `<tr>${cells.map((c, i) => (i > 0 && NUMERIC.test(c) ? `<td class="num">${esc(c)}</td>` : `<td>${esc(c)}</td>`)).join('')}</tr>`
const htmlTable = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `<div class="scroll"><table><thead>${th(head)}</thead><tbody>${rows.map(tr).join('')}</tbody></table></div>`

const CSS = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;margin:0;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px 20px 60px}
h1{font-size:26px;margin:0 0 6px}h3{font-size:15px;margin:16px 0 2px}h2{font-size:19px;margin:34px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
section{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:10px 16px 14px;margin-top:18px}
section h2{border:0;margin-top:8px}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}.kpi{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:8px 14px;min-width:120px}
.kpi b{display:block;font-size:20px}.kpi span{color:#57606a;font-size:12px}
p.note{color:#57606a;font-size:13px;margin:4px 0 10px}
svg{display:block;max-width:100%;height:auto;margin:6px 0}
svg text{font-size:12px;fill:#1f2328}svg .small{font-size:11px}svg .muted{fill:#57606a}svg .strong{font-weight:600}
svg .inbar{font-size:10px}svg .funnel{font-size:13px;font-weight:600;fill:#1f2328}
svg .grid{stroke:#e5e7eb;stroke-width:1}svg .whisker{stroke:#1f2328;stroke-width:1.2}svg .link{opacity:.38}svg .link:hover{opacity:.7}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12.5px;margin:8px 0;width:100%}
.map{display:grid;gap:8px;margin-top:8px}.stage{border-top:4px solid;background:#f6f8fa;border-radius:6px;padding:4px 6px;min-width:0}
.stage h3{margin:2px 0 4px;font-size:14px}.stage h3 small{display:block;color:#57606a;font-weight:400;font-size:11px}
.card{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:5px 7px;margin:6px 0;font-size:12px;line-height:1.35;overflow-wrap:anywhere}
.card b{display:block;font-size:13px}.card b small{font-weight:400;color:#57606a;font-size:11px}.card span{display:block}.card .badge{display:inline-block;border:1px solid #57606a;border-radius:10px;padding:0 6px;margin:3px 4px 0 0;font-size:11px}
ul.actions{padding-left:20px;margin:4px 0 8px}ul.actions li{margin:6px 0}ul.actions .why{color:#57606a;font-size:12.5px}
th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.filter{display:block;margin:8px 0 0;font-size:12.5px}.filter input{font:inherit;margin:0 8px;padding:2px 6px;border:1px solid #6e7781;border-radius:4px}.filter input:focus-visible{outline:2px solid #0969da}.filter span{color:#57606a}
th button{all:inherit;cursor:pointer}th button:focus-visible{outline:2px solid #0969da}th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
ol li{margin:4px 0}
footer{color:#57606a;font-size:12px;margin-top:30px}
`

// Measures each chart's shapes after layout (<body data-rendered>) and the page's layout (<body data-layout>: page
// width against the window, boxes whose text overflows them, tables that scroll sideways), for headless checks.
const CHECK = `(function(){var out=[];var svgs=document.querySelectorAll('svg[data-chart]');for(var i=0;i<svgs.length;i++){var s=svgs[i];var shapes=s.querySelectorAll('rect,path,line,circle,polygon');var drawn=0;for(var j=0;j<shapes.length;j++){var b=shapes[j].getBBox();if(b.width>0||b.height>0)drawn++}var r=s.getBoundingClientRect();out.push({chart:s.getAttribute('data-chart'),shapes:shapes.length,drawn:drawn,width:Math.round(r.width),height:Math.round(r.height)})}document.body.setAttribute('data-rendered',JSON.stringify(out));var clip=function(sel){var n=0,els=document.querySelectorAll(sel);for(var k=0;k<els.length;k++){if(els[k].scrollWidth>els[k].clientWidth+1)n++}return n};document.body.setAttribute('data-layout',JSON.stringify({pageWidth:document.documentElement.scrollWidth,viewport:window.innerWidth,clippedCards:clip('.card,.kpi,.stage'),scrollingTables:clip('.scroll')}))})();`

// Sortable, filterable tables, made so by the script (without it every row shows, in the page's order). Each header
// becomes a button (reachable and pressed with the keyboard); a click sorts the body rows by that column, numbers
// (cells of class num: the first number in them, read with the page's decimal mark) or text, and says so with
// aria-sort. Cells with no number ("–") sort below every number. Above each table a search field, named after the
// table's heading, hides the rows none of whose cells contain the text typed (case-insensitive; a query never spans
// two cells) and says how many rows show; sorting keeps hidden rows hidden.
const tableScript = (decimalMark: string) =>
  `(function(){var D=String.fromCharCode(${decimalMark.charCodeAt(0)});function key(td){var t=td.textContent;if(!td.classList.contains('num'))return t.toLowerCase();var m=t.replace(/\\u2212/g,'-').match(/-?\\d[\\d.,\\u00a0\\u202f]*/);if(!m)return -Infinity;var p=m[0].split(D);return parseFloat(p[0].replace(/[^\\d-]/g,'')+(p.length>1?'.'+p[1].replace(/\\D/g,''):''))}function el(n,t){var e=document.createElement(n);e.textContent=t||'';return e}document.querySelectorAll('table').forEach(function(tb){var hs=tb.tHead.rows[0].cells,body=tb.tBodies[0];[].forEach.call(hs,function(h,i){var b=el('button',h.textContent);b.type='button';h.textContent='';h.appendChild(b);b.onclick=function(){var up=h.getAttribute('aria-sort')!=='ascending';[].forEach.call(hs,function(x){x.removeAttribute('aria-sort')});h.setAttribute('aria-sort',up?'ascending':'descending');var rs=[].slice.call(body.rows);rs.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]);return (a<c?-1:a>c?1:0)*(up?1:-1)});rs.forEach(function(r){body.appendChild(r)})}});var w=tb.parentNode,g=w.previousElementSibling;while(g&&!/^H[23]$/.test(g.tagName))g=g.previousElementSibling;var l=el('label','Filter rows'),f=el('input'),s=el('span');f.type='search';f.setAttribute('aria-label','Filter rows'+(g?': '+g.textContent:''));s.setAttribute('role','status');l.className='filter';l.appendChild(f);l.appendChild(s);w.parentNode.insertBefore(l,w);f.oninput=function(){var q=f.value.trim().toLowerCase(),n=0;[].forEach.call(body.rows,function(r){var m=[].map.call(r.cells,function(c){return c.textContent}).join('\\n').toLowerCase().indexOf(q)>=0;r.hidden=!m;n+=m});s.textContent=q?n+' of '+body.rows.length+' rows':''}})})();`

/** In place of a chart with nothing to draw: says why, where the chart would be (the browser test finds it by class). */
const noData = (chart: string, why: string): string => `<p class="note no-data" data-chart="${chart}">${esc(why)}</p>`
const modelsLine = (models: ReadonlyArray<ModelName>) => models.join(', ')

/**
 * What the HTML page shows beyond the report: `title` (default "Touchpoint report"), and `currency` and `locale`
 * for amounts and counts (see `NumberStyle`).
 *
 * @category render
 * @since 0.1.0
 */
export interface HtmlOptions extends NumberStyle {
  readonly title?: string
}

/** Why the list may be short: the evidence the input could not give. */
const missingEvidence = (report: Report): string => {
  const missing: Array<string> = []
  if (report.bootstrap.used <= 1) missing.push('no bootstrap intervals, so no cost action and no test (run with --bootstrap)')
  if (report.costs === undefined) missing.push('no costs, so nothing to scale up or cut (give --costs)')
  return missing.length === 0 ? '' : ` Not judged: ${missing.join('; ')}.`
}

/** The actions, grouped by kind; within a kind by name (a list, not a ranking). */
const actionsSection = (report: Report, f: Numbers): string => {
  const groups = ACTION_KINDS.map((kind) => [kind, report.actions.filter((a: Action) => a._tag === kind)] as const).filter(([, as]) => as.length > 0)
  const item = (a: Action) => {
    const t = actionText(a, report.bootstrap.level, f)
    return `<li data-action="${a._tag}"><b>${esc(a.channel)}</b>: ${esc(t.evidence)} <span class="why">${esc(t.uncertainty)}</span></li>`
  }
  return `<section id="actions"><h2>What to do</h2><p class="note">Each action is listed only when its evidence is beyond noise; touchpoints within an action are in alphabetical order, not ranked. Free touchpoints are judged on conversion and on the models' agreement only.${esc(missingEvidence(report))}</p>${
    groups.length === 0
      ? '<p>No touchpoint has evidence beyond noise for an action.</p>'
      : groups.map(([kind, as]) => `<h3>${ACTION_HEADINGS[kind]}</h3><ul class="actions">${as.map(item).join('')}</ul>`).join('')
  }</section>`
}

/**
 * The report as one self-contained HTML page (inline CSS and SVG; no network): what to do first, then the
 * evidence (credit, roles, stages, flow, cost, paths).
 *
 * @example
 * formatReportHtml(report, { currency: 'EUR' }).startsWith('<!doctype html>') // => true
 *
 * @category render
 * @since 0.1.0
 */
export const formatReportHtml = (report: Report, options: HtmlOptions = {}): string => {
  // From plain JavaScript: no page for what is not a report; a title that is no string is the default one.
  if (!isReport(report)) return ''
  const o: unknown = options
  const title = isRecord(o) && typeof o['title'] === 'string' ? o['title'] : 'Touchpoint report'
  const f = numbers(o)
  const t = report.totals
  const ref = report.referenceModel
  const rows = report.touchpoints.slice().sort((a, b) => (b.credits[ref]?.conversions ?? 0) - (a.credits[ref]?.conversions ?? 0) || (a.channel < b.channel ? -1 : 1))
  const b = report.bootstrap
  const kpi = (value: string, label: string) => `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span></div>`
  const parts: Array<string> = []
  parts.push(`<h1>${esc(title)}</h1>`)
  parts.push(actionsSection(report, f))
  parts.push(mapSection(report, f))
  parts.push(`<p class="note">Models: ${esc(modelsLine(report.models))}. Reference model for actions and costs: ${esc(ref)}.</p>`)
  parts.push(
    `<div class="kpis">${[
      kpi(String(t.channels), 'touchpoints'),
      kpi(f.count(t.journeys), 'journeys'),
      kpi(f.count(t.conversions), 'conversions'),
      kpi(percent(t.conversionRate), 'conversion rate'),
      kpi(f.money(t.value), 'conversion value'),
      ...(t.cost === undefined ? [] : [kpi(f.money(t.cost), 'cost'), kpi(f.money(report.costs?.costPerConversion), 'cost per conversion')]),
    ].join('')}</div>`,
  )
  parts.push(
    `<section><h2>Credit by model per touchpoint</h2><p class="note">Conversions each model credits to each touchpoint${
      b.used > 1 ? `; whiskers: ${percent(b.level, 0)} bootstrap interval over journeys (${b.used} replicates)` : ''
    }. Touchpoints ordered by ${esc(ref)} credit${rows.length > CHART_ROWS ? `; the charts show the first ${CHART_ROWS - 1} and add up the other ${rows.length - CHART_ROWS + 1} in one row, with no interval (the tables list every one)` : ''}.</p>${t.conversions > 0 ? creditChart(report, chartTail(rows, report.models)) : noData('credit', NO_CONVERSIONS)}${htmlTable(
      ['touchpoint', 'stage', ...report.models, 'spread', ...(b.used > 1 ? ['beyond noise'] : [])],
      rows.map((r) => [
        r.channel,
        r.stage,
        ...report.models.map((m) => {
          const c = r.credits[m]!
          return c.interval === undefined ? f.decimal(c.conversions) : `${f.decimal(c.conversions)} [${f.decimal(c.interval.lower, 1)}–${f.decimal(c.interval.upper, 1)}]`
        }),
        f.decimal(r.disagreement?.spread),
        ...(b.used > 1 ? [r.disagreement?.clear === undefined ? '–' : r.disagreement.clear ? 'yes' : 'no'] : []),
      ]),
    )}</section>`,
  )
  // Columns with nothing in them are left out (path data has no times; removal effects need Markov).
  const timed = rows.some((r) => r.timeToConversion !== undefined)
  const removal = rows.some((r) => r.markovRemovalEffect !== undefined)
  parts.push(
    `<section><h2>Roles</h2><p class="note">On converting journeys: introducer = first touch, assister = a middle touch, closer = last touch, solo = the only touch.</p>${t.conversions > 0 ? rolesChart(chartTail(rows, report.models), f) : noData('roles', 'No converting journeys: no roles to show.')}${htmlTable(
      ['touchpoint', 'touches', 'journeys', 'conv. rate', 'avg position', 'touches after', ...(timed ? ['time to conversion (median, IQR)'] : []), ...(removal ? ['removal effect'] : [])],
      rows.map((r) => [
        r.channel,
        f.count(r.touches),
        f.count(r.journeys),
        percent(r.conversionRate),
        fixed(r.averagePosition, 1),
        fixed(r.averageTouchesAfter, 1),
        ...(timed ? [durationText(r.timeToConversion)] : []),
        ...(removal ? [fixed(r.markovRemovalEffect, 3)] : []),
      ]),
    )}</section>`,
  )
  const empty = report.stages.filter((s) => s.stage !== '(unmapped)' && s.channels.length === 0).map((s) => s.stage)
  parts.push(
    `<section><h2>Journey stages</h2><p class="note">Bar and number: journeys that got this far (their furthest stage is this one or later); white core: those that converted. Touched: journeys with a touch in the stage. Drop-off: journeys whose last touch is in the stage and that did not convert.${
      empty.length > 0 ? ` No touchpoint maps to ${esc(empty.join(', '))}: left out of the funnel.` : ''
    }</p>${funnelChart(report, f)}${htmlTable(
      ['stage', 'touchpoints', 'got this far', 'touched it', 'converting', 'drop-off', 'drop-off rate', 'closes'],
      report.stages.filter((s) => s.channels.length > 0).map((s) => [s.stage, s.channels.join(', '), f.count(s.reachedOrBeyond), f.count(s.journeys), f.count(s.convertingJourneys), f.count(s.dropOff), percent(s.dropOffRate), f.count(s.closes)]),
    )}</section>`,
  )
  parts.push(
    `<section><h2>Journey flow</h2><p class="note">Journeys along their first ${report.flowSteps} touches (the ${8} busiest touchpoints per step; the rest as "other"), then their outcome, coloured by stage. Longer journeys go to their outcome from touch ${report.flowSteps}.</p>${flowChart(report, f)}${legend(
      [...new Set(report.touchpoints.map((tp) => tp.stage))].map((s) => [`stage ${s}`, STAGE_COLORS[s] ?? OTHER_COLOR] as const),
      0,
      14,
      WIDTH,
    ).svg.replace(/^/, `<svg class="legend" viewBox="0 0 ${WIDTH} 24" width="${WIDTH}" height="24">`)}</svg>${
      report.paths.transitions.length === 0
        ? ''
        : `<h3>Top transitions between touchpoints</h3>${htmlTable(['from', 'to', 'journeys', 'share of from'], report.paths.transitions.map((l) => [l.from, l.to, f.count(l.weight), percent(l.share)]))}`
    }</section>`,
  )
  if (report.costs !== undefined) {
    const c = report.costs
    // Unpaid touchpoints have no cost per conversion (0.00 would read as a bargain): named once, not tabled.
    const paid = rows.filter((r) => (r.cost?.cost ?? 0) > 0)
    const unpaid = rows.filter((r) => !((r.cost?.cost ?? 0) > 0)).map((r) => r.channel)
    parts.push(
      `<section><h2>Cost</h2><p class="note">Total ${esc(f.money(c.total))}${c.periods.length > 0 ? ` over ${esc(c.periods.join(', '))}` : ''}; ${esc(f.money(c.costPerConversion))} per conversion; return on spend ${esc(f.decimal(c.returnOnSpend))}.${
        unpaid.length > 0 ? ` Unpaid (no cost): ${esc(unpaid.join(', '))}.` : ''
      }${c.unmatched.length > 0 ? ` Costs of channels not in the journeys, left out: ${esc(c.unmatched.join(', '))}.` : ''}</p>${costChart(report, chartTail(paid, report.models))}<h3>Cost per attributed conversion</h3>${htmlTable(
        ['touchpoint', 'cost', ...report.models],
        paid.map((r) => [r.channel, f.money(r.cost?.cost), ...report.models.map((m) => f.money(r.cost?.costPerConversion[m]))]),
      )}<h3>Return on spend (credited value / cost)</h3>${htmlTable(
        ['touchpoint', 'cost', ...report.models],
        paid.map((r) => [r.channel, f.money(r.cost?.cost), ...report.models.map((m) => f.decimal(r.cost?.returnOnSpend[m]))]),
      )}</section>`,
    )
  }
  // Surveys and experiments: the tables of the Markdown report, so the numbers on the map cards can be read in full.
  for (const [id, heading, t] of [['surveys', 'Surveys', surveysTable(report, f, String)], ['experiments', 'Experiments', experimentsTable(report, f, String)]] as const) {
    if (t !== undefined) parts.push(`<section id="${id}"><h2>${heading}</h2><p class="note">${esc(t.note)}</p>${htmlTable(t.head, t.rows)}</section>`)
  }
  const after = afterPurchaseTable(report, f, String)
  if (after !== undefined) {
    parts.push(`<section id="after-purchase"><h2>${AFTER_PURCHASE_HEADING}</h2><p class="note">${esc(after.note)}</p>${after.rows === undefined || after.rows.length === 0 ? '' : htmlTable(after.head, after.rows)}</section>`)
  }
  const pathRows = (rs: Report['paths']['topConverting']) => rs.map((p) => [p.path.join(' > '), f.count(p.conversions), f.count(p.nulls), percent(p.conversionRate)])
  const ttc = report.paths.timeToConversion
  parts.push(
    `<section><h2>Paths</h2><h3>Path length</h3>${lengthChart(report, f)}${
      ttc === undefined
        ? t.conversions > 0
          ? ''
          : `<h3>Time from first touch to conversion</h3>${noData('time', 'No conversions: no time to conversion.')}`
        : `<h3>Time from first touch to conversion</h3><p class="note">${f.count(ttc.count)} timed conversions: p10 ${formatDuration(ttc.p10)}, p25 ${formatDuration(ttc.p25)}, median ${formatDuration(ttc.median)}, p75 ${formatDuration(ttc.p75)}, p90 ${formatDuration(ttc.p90)} (log scale, four bars per decade).</p>${timeChart(report, f)}`
    }<h3>Top converting paths</h3>${htmlTable(['path', 'conversions', 'non-converting', 'conv. rate'], pathRows(report.paths.topConverting))}<h3>Top non-converting paths</h3>${htmlTable(
      ['path', 'conversions', 'non-converting', 'conv. rate'],
      pathRows(report.paths.topNonConverting),
    )}${report.paths.exact ? '' : `<p class="note">Path counts are estimates: each is low by at most ${esc(fixed(report.paths.countError, 1))}.</p>`}</section>`,
  )
  parts.push(
    `<footer>Intervals: double-or-nothing bootstrap over journeys, seed "${esc(b.seed)}", ${b.used} of ${b.replicates} replicates used, percentile intervals at ${percent(b.level, 0)}; conversion rates: Wilson intervals at the same level. Times from log-spaced histograms (±6%). Made by touchpoint.</footer>`,
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${parts.join('\n')}
</main><script>${tableScript(f.decimal(1.5, 1).replace(/\d/g, '') || '.')}${CHECK}</script></body></html>
`
}
