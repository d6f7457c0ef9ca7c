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
import { CONVERSION_STATE, NULL_STATE, type ModelName } from '../attribution/model'
import type { Report, Touchpoint } from './model'
import { durationText, fixed, formatDuration, percent } from './internal/format'
import { isReport } from './internal/guards'
import { isRecord } from '../core/guards'

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']
const ROLE_COLORS = { introducer: '#4e79a7', assister: '#a0cbe8', closer: '#f28e2b', solo: '#bab0ac' } as const
const STAGE_COLORS: Readonly<Record<string, string>> = {
  awareness: '#4e79a7',
  consideration: '#76b7b2',
  decision: '#f28e2b',
  purchase: '#e15759',
  loyalty: '#59a14f',
  '(unmapped)': '#bab0ac',
  [CONVERSION_STATE]: '#2ca02c',
  [NULL_STATE]: '#9e9e9e',
}

const n = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0')
const int = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : fixed(x, 1))

const svg = (id: string, title: string, width: number, height: number, body: string): string =>
  `<svg data-chart="${id}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" preserveAspectRatio="xMinYMin meet">${body}</svg>`

const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${n(x)}" y="${n(y)}"${attrs === '' ? '' : ` ${attrs}`}>${esc(s)}</text>`

const rect = (x: number, y: number, w: number, h: number, fill: string, tip?: string): string =>
  `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(w, 0))}" height="${n(Math.max(h, 0))}" fill="${fill}">${tip === undefined ? '' : `<title>${esc(tip)}</title>`}</rect>`

const legend = (items: ReadonlyArray<readonly [string, string]>, x: number, y: number, width: number): { svg: string; height: number } => {
  let cx = x
  let cy = y
  const parts: Array<string> = []
  for (const [label, color] of items) {
    const w = 18 + label.length * 7 + 14
    if (cx + w > x + width) {
      cx = x
      cy += 18
    }
    parts.push(rect(cx, cy - 10, 12, 12, color), text(cx + 16, cy, label, 'class="small"'))
    cx += w
  }
  return { svg: parts.join(''), height: cy - y + 18 }
}

const LABEL = 150

/** A round tick step (1, 2 or 5 times a power of ten) near `raw`. */
const niceStep = (raw: number): number => {
  if (!(raw > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p
}
const WIDTH = 960

/** Grouped horizontal bars: every model's credit per touchpoint, whiskers for bootstrap intervals. */
const creditChart = (report: Report, rows: ReadonlyArray<Touchpoint>): string => {
  const models = report.models
  const bar = 9
  const group = models.length * bar + 12
  const lg = legend(models.map((m, i) => [m, PALETTE[i % PALETTE.length]!] as const), LABEL, 14, WIDTH - LABEL)
  const top = lg.height + 8
  const height = top + rows.length * group + 28
  const max = Math.max(1e-9, ...rows.flatMap((t) => models.map((m) => Math.max(t.credits[m]?.conversions ?? 0, t.credits[m]?.interval?.upper ?? 0))))
  const plot = WIDTH - LABEL - 60
  const x = (v: number) => LABEL + (v / max) * plot
  const parts: Array<string> = [lg.svg]
  rows.forEach((t, r) => {
    const y0 = top + r * group
    parts.push(text(LABEL - 8, y0 + group / 2, t.channel, 'text-anchor="end" dominant-baseline="middle"'))
    models.forEach((m, k) => {
      const c = t.credits[m]
      if (c === undefined) return
      const y = y0 + 6 + k * bar
      const color = PALETTE[k % PALETTE.length]!
      const tip = `${t.channel}, ${m}: ${fixed(c.conversions)} conversions${c.interval === undefined ? '' : ` [${fixed(c.interval.lower)}, ${fixed(c.interval.upper)}]`}`
      parts.push(rect(LABEL, y, x(c.conversions) - LABEL, bar - 2, color, tip))
      if (c.interval !== undefined) {
        const ym = y + (bar - 2) / 2
        parts.push(`<line x1="${n(x(c.interval.lower))}" x2="${n(x(c.interval.upper))}" y1="${n(ym)}" y2="${n(ym)}" class="whisker"/>`)
      }
    })
    if (r > 0) parts.push(`<line x1="${LABEL}" x2="${WIDTH - 20}" y1="${n(y0)}" y2="${n(y0)}" class="grid"/>`)
  })
  const axisY = top + rows.length * group + 4
  const step = niceStep(max / 5)
  for (let v = 0; v <= max + 1e-9; v += step) {
    parts.push(`<line x1="${n(x(v))}" x2="${n(x(v))}" y1="${n(top)}" y2="${n(axisY)}" class="grid"/>`, text(x(v), axisY + 14, fixed(v, step < 1 ? 1 : 0), 'text-anchor="middle" class="small"'))
  }
  return svg('credit', 'Credit by model per touchpoint', WIDTH, height, parts.join(''))
}

/** 100% stacked bars of roles on converting journeys. */
const rolesChart = (rows: ReadonlyArray<Touchpoint>): string => {
  const keys = ['introducer', 'assister', 'closer', 'solo'] as const
  const lg = legend(keys.map((k) => [k, ROLE_COLORS[k]] as const), LABEL, 14, WIDTH - LABEL)
  const top = lg.height + 6
  const rowH = 22
  const plot = WIDTH - LABEL - 90
  const parts: Array<string> = [lg.svg]
  rows.forEach((t, r) => {
    const y = top + r * rowH
    parts.push(text(LABEL - 8, y + rowH / 2, t.channel, 'text-anchor="end" dominant-baseline="middle"'))
    let cx = LABEL
    for (const k of keys) {
      const w = t.roleShares[k] * plot
      if (w > 0) parts.push(rect(cx, y + 3, w, rowH - 6, ROLE_COLORS[k], `${t.channel}: ${k} ${int(t.roles[k])} (${percent(t.roleShares[k])})`))
      if (w > 34) parts.push(text(cx + w / 2, y + rowH / 2, percent(t.roleShares[k], 0), 'text-anchor="middle" dominant-baseline="middle" class="inbar"'))
      cx += w
    }
    const total = keys.reduce((s, k) => s + t.roles[k], 0)
    parts.push(text(LABEL + plot + 8, y + rowH / 2, `${int(total)} touches`, 'dominant-baseline="middle" class="small"'))
  })
  return svg('roles', 'Roles per touchpoint on converting journeys', WIDTH, top + rows.length * rowH + 8, parts.join(''))
}

/** Funnel: journeys whose furthest stage is this one or later, converting ones inside, drop-off beside. */
const funnelChart = (report: Report): string => {
  const stages = report.stages.filter((s) => s.stage !== '(unmapped)')
  const rowH = 46
  const max = Math.max(1e-9, ...stages.map((s) => s.reachedOrBeyond))
  const plot = 520
  const cx = LABEL + 20 + plot / 2
  const parts: Array<string> = []
  stages.forEach((s, i) => {
    const y = 10 + i * rowH
    const w = (s.reachedOrBeyond / max) * plot
    const wc = (s.convertingReachedOrBeyond / max) * plot
    parts.push(text(LABEL, y + rowH / 2 - 4, s.stage, 'text-anchor="end" dominant-baseline="middle" class="strong"'))
    parts.push(rect(cx - w / 2, y, w, rowH - 10, STAGE_COLORS[s.stage] ?? '#888', `${s.stage}: ${int(s.reachedOrBeyond)} journeys reached it or a later stage, ${int(s.convertingReachedOrBeyond)} converted`))
    parts.push(rect(cx - wc / 2, y + (rowH - 10) * 0.3, wc, (rowH - 10) * 0.4, '#ffffff', `${s.stage}: ${int(s.convertingReachedOrBeyond)} converting`))
    parts.push(text(cx, y + rowH / 2 - 4, `${int(s.reachedOrBeyond)}`, 'text-anchor="middle" dominant-baseline="middle" class="funnel"'))
    parts.push(
      text(cx + plot / 2 + 16, y + 12, `${int(s.journeys)} reached · ${percent(s.conversionRate)} convert`, 'class="small"'),
      text(cx + plot / 2 + 16, y + 28, `drop-off ${int(s.dropOff)} (${percent(s.dropOffRate)}) · closes ${int(s.closes)}`, 'class="small muted"'),
    )
  })
  return svg('funnel', 'Stage funnel', WIDTH, 10 + stages.length * rowH + 4, parts.join(''))
}

/** Sankey of the first touches: columns are touch 1..K and the outcome. */
const flowChart = (report: Report): string => {
  const K = report.flowSteps
  const perColumn = 8
  // Node weights per step; keep the heaviest channels, merge the rest into "other".
  const outOf = new Map<string, number>()
  for (const l of report.flow) outOf.set(`${l.step}\u0000${l.from}`, (outOf.get(`${l.step}\u0000${l.from}`) ?? 0) + l.weight)
  const keep = new Map<number, Set<string>>()
  for (let s = 0; s < K; s++) {
    const names = [...outOf.entries()].filter(([k]) => k.startsWith(`${s}\u0000`)).map(([k, w]) => [k.slice(k.indexOf('\u0000') + 1), w] as const)
    names.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    keep.set(s, new Set(names.slice(0, perColumn).map(([name]) => name)))
  }
  const nodeName = (step: number, name: string) => (name.startsWith('(') || keep.get(step)!.has(name) ? name : 'other')
  const links = new Map<string, { s: number; from: string; toCol: number; to: string; w: number }>()
  for (const l of report.flow) {
    const from = nodeName(l.step, l.from)
    const outcome = l.to.startsWith('(')
    const toCol = outcome ? K : l.step + 1
    const to = outcome ? l.to : nodeName(l.step + 1, l.to)
    const key = `${l.step}\u0000${from}\u0000${toCol}\u0000${to}`
    const e = links.get(key)
    if (e === undefined) links.set(key, { s: l.step, from, toCol, to, w: l.weight })
    else e.w += l.weight
  }
  // Node sizes: max of in and out per column.
  const size = new Map<string, number>()
  const addSize = (col: number, name: string, w: number) => size.set(`${col}\u0000${name}`, (size.get(`${col}\u0000${name}`) ?? 0) + w)
  const outSize = new Map<string, number>()
  const inSize = new Map<string, number>()
  for (const l of links.values()) {
    outSize.set(`${l.s}\u0000${l.from}`, (outSize.get(`${l.s}\u0000${l.from}`) ?? 0) + l.w)
    inSize.set(`${l.toCol}\u0000${l.to}`, (inSize.get(`${l.toCol}\u0000${l.to}`) ?? 0) + l.w)
  }
  for (const [k, w] of outSize) addSize(Number(k.split('\u0000')[0]), k.slice(k.indexOf('\u0000') + 1), w)
  for (const [k, w] of inSize) if (!outSize.has(k)) addSize(Number(k.split('\u0000')[0]), k.slice(k.indexOf('\u0000') + 1), w)
  const columns: Array<Array<[string, number]>> = []
  for (let c = 0; c <= K; c++) {
    const nodes = [...size.entries()].filter(([k]) => k.startsWith(`${c}\u0000`)).map(([k, w]) => [k.slice(k.indexOf('\u0000') + 1), w] as [string, number])
    nodes.sort((a, b) => (a[0] === 'other' ? 1 : 0) - (b[0] === 'other' ? 1 : 0) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    columns.push(nodes)
  }
  const height = 460
  const pad = 6
  const nodeW = 12
  const left = 20
  const colW = (WIDTH - left - 150) / K
  const total = Math.max(1e-9, ...columns.map((col) => col.reduce((s, [, w]) => s + w, 0)))
  const maxNodes = Math.max(1, ...columns.map((c) => c.length))
  const scale = (height - 40 - pad * maxNodes) / total
  const pos = new Map<string, { x: number; y: number; h: number; outY: number; inY: number }>()
  columns.forEach((col, c) => {
    let y = 30
    for (const [name, w] of col) {
      const h = Math.max(1, w * scale)
      pos.set(`${c}\u0000${name}`, { x: left + c * colW, y, h, outY: y, inY: y })
      y += h + pad
    }
  })
  const colorOf = (name: string) => STAGE_COLORS[name] ?? PALETTE[[...new Set(report.touchpoints.map((t) => t.channel))].indexOf(name) % PALETTE.length] ?? '#999'
  const parts: Array<string> = []
  for (let c = 0; c <= K; c++) parts.push(text(left + c * colW, 16, c === K ? 'outcome' : `touch ${c + 1}`, 'class="small strong"'))
  const sorted = [...links.values()].sort((a, b) => a.s - b.s || b.w - a.w)
  for (const l of sorted) {
    const a = pos.get(`${l.s}\u0000${l.from}`)
    const b = pos.get(`${l.toCol}\u0000${l.to}`)
    if (a === undefined || b === undefined) continue
    const h = l.w * scale
    const x0 = a.x + nodeW
    const x1 = b.x
    const y0 = a.outY
    const y1 = b.inY
    a.outY += h
    b.inY += h
    const mx = (x0 + x1) / 2
    const d = `M${n(x0)},${n(y0)} C${n(mx)},${n(y0)} ${n(mx)},${n(y1)} ${n(x1)},${n(y1)} L${n(x1)},${n(y1 + h)} C${n(mx)},${n(y1 + h)} ${n(mx)},${n(y0 + h)} ${n(x0)},${n(y0 + h)} Z`
    parts.push(`<path d="${d}" fill="${colorOf(l.from)}" class="link"><title>${esc(`touch ${l.s + 1} ${l.from} → ${l.toCol === K && l.to.startsWith('(') ? l.to : `touch ${l.toCol + 1} ${l.to}`}: ${int(l.w)} journeys`)}</title></path>`)
  }
  for (const [key, p] of pos) {
    const name = key.slice(key.indexOf('\u0000') + 1)
    parts.push(rect(p.x, p.y, nodeW, p.h, colorOf(name), `${name}: ${int(size.get(key) ?? 0)} journeys`))
    if (p.h >= 9) parts.push(text(p.x + nodeW + 4, p.y + p.h / 2, name, 'dominant-baseline="middle" class="small node"'))
  }
  return svg('flow', 'Journey flow along the first touches', WIDTH, height, parts.join(''))
}

/** Path length bars, converting and not. */
const lengthChart = (report: Report): string => {
  // Every length from 1 on, zeros included, so the bars read as a distribution (up to 30; longer ones go in the last).
  const longest = Math.min(30, Math.max(1, ...report.paths.lengths.map((l) => l.length)))
  const rows = Array.from({ length: longest }, (_, i) => ({ length: i + 1, conversions: 0, nulls: 0 }))
  for (const l of report.paths.lengths) {
    const r = rows[Math.min(l.length, longest) - 1]!
    r.conversions += l.conversions
    r.nulls += l.nulls
  }
  const max = Math.max(1e-9, ...rows.map((l) => l.conversions + l.nulls))
  const h = 160
  const barW = Math.min(36, (WIDTH - 100) / Math.max(1, rows.length) - 6)
  const parts: Array<string> = []
  const lg = legend([['converting', '#59a14f'], ['non-converting', '#bab0ac']], 60, 14, WIDTH - 60)
  parts.push(lg.svg)
  rows.forEach((l, i) => {
    const x = 60 + i * (barW + 6)
    const hc = (l.conversions / max) * h
    const hn = (l.nulls / max) * h
    const base = lg.height + 10 + h
    parts.push(rect(x, base - hn - hc, barW, hn, '#bab0ac', `${l.length} touches: ${int(l.nulls)} non-converting`))
    parts.push(rect(x, base - hc, barW, hc, '#59a14f', `${l.length} touches: ${int(l.conversions)} converting`))
    parts.push(text(x + barW / 2, base + 14, l.length === longest && report.paths.lengths.some((k) => k.length > longest) ? `${l.length}+` : String(l.length), 'text-anchor="middle" class="small"'))
  })
  parts.push(text(20, lg.height + 10 + h / 2, 'journeys', 'class="small muted" transform="rotate(-90 20 ' + n(lg.height + 10 + h / 2) + ')" text-anchor="middle"'))
  return svg('lengths', 'Path length distribution', WIDTH, lg.height + h + 36, parts.join(''))
}

/** Time from first touch to conversion: the histogram's fine bins grouped four to a decade. */
const timeChart = (report: Report): string => {
  const groups = new Map<number, { from: number; to: number; conversions: number }>()
  for (const b of report.paths.timeToConversionBins) {
    const g = b.from < 1000 ? -1 : Math.floor(Math.log10(b.from / 1000) * 4 + 1e-9)
    const e = groups.get(g)
    if (e === undefined) groups.set(g, { from: g < 0 ? 0 : 1000 * 10 ** (g / 4), to: g < 0 ? 1000 : 1000 * 10 ** ((g + 1) / 4), conversions: b.conversions })
    else e.conversions += b.conversions
  }
  const keys = [...groups.keys()].sort((a, b) => a - b)
  const rows: Array<{ from: number; to: number; conversions: number }> = []
  if (keys.length > 0) for (let g = keys[0]!; g <= keys[keys.length - 1]!; g++) rows.push(groups.get(g) ?? { from: 1000 * 10 ** (g / 4), to: 1000 * 10 ** ((g + 1) / 4), conversions: 0 })
  const max = Math.max(1e-9, ...rows.map((r) => r.conversions))
  const h = 150
  const barW = Math.min(40, (WIDTH - 100) / Math.max(1, rows.length) - 4)
  const parts: Array<string> = []
  rows.forEach((r, i) => {
    const x = 60 + i * (barW + 4)
    const bh = (r.conversions / max) * h
    parts.push(rect(x, 10 + h - bh, barW, bh, '#76b7b2', `${formatDuration(r.from)}–${formatDuration(r.to)}: ${int(r.conversions)} conversions`))
    if (i % 2 === 0) parts.push(text(x, 10 + h + 14, formatDuration(r.from), 'class="small"'))
  })
  parts.push(text(20, 10 + h / 2, 'conversions', `class="small muted" transform="rotate(-90 20 ${n(10 + h / 2)})" text-anchor="middle"`))
  return svg('time', 'Time from first touch to conversion', WIDTH, h + 34, parts.join(''))
}

/** Spend share against credit share of the reference model. */
const costChart = (report: Report, rows: ReadonlyArray<Touchpoint>): string => {
  const total = report.costs?.total ?? 0
  const ref = report.referenceModel
  const lg = legend([['share of cost', '#e15759'], [`share of ${ref} credit`, '#4e79a7']], LABEL, 14, WIDTH - LABEL)
  const top = lg.height + 6
  const rowH = 26
  const max = Math.max(1e-9, ...rows.map((t) => Math.max(total > 0 ? (t.cost?.cost ?? 0) / total : 0, t.credits[ref]?.share ?? 0)))
  const plot = WIDTH - LABEL - 120
  const parts: Array<string> = [lg.svg]
  rows.forEach((t, r) => {
    const y = top + r * rowH
    const cs = total > 0 ? (t.cost?.cost ?? 0) / total : 0
    const ks = t.credits[ref]?.share ?? 0
    parts.push(text(LABEL - 8, y + rowH / 2, t.channel, 'text-anchor="end" dominant-baseline="middle"'))
    parts.push(rect(LABEL, y + 3, (cs / max) * plot, 9, '#e15759', `${t.channel}: ${percent(cs)} of cost`))
    parts.push(rect(LABEL, y + 13, (ks / max) * plot, 9, '#4e79a7', `${t.channel}: ${percent(ks)} of ${ref} credit`))
    parts.push(text(LABEL + plot + 8, y + rowH / 2, `${percent(cs, 0)} / ${percent(ks, 0)}`, 'dominant-baseline="middle" class="small"'))
  })
  return svg('cost', 'Share of cost against share of credit', WIDTH, top + rows.length * rowH + 8, parts.join(''))
}

const th = (cells: ReadonlyArray<string>): string => `<tr>${cells.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`
const NUMERIC = /^[-–+]?[\d.,]+(%| [a-z]+)?( \(.*\)| \[.*\])?$|^–$/
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
svg .inbar{font-size:10px;fill:#fff}svg .funnel{font-size:13px;font-weight:600;fill:#1f2328}
svg .grid{stroke:#e5e7eb;stroke-width:1}svg .whisker{stroke:#1f2328;stroke-width:1.2}svg .link{opacity:.38}svg .link:hover{opacity:.7}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12.5px;margin:8px 0;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ol li{margin:4px 0}
footer{color:#57606a;font-size:12px;margin-top:30px}
`

// Measures each chart's shapes after layout; the result is on <body data-rendered>, for headless checks.
const CHECK = `(function(){var out=[];var svgs=document.querySelectorAll('svg[data-chart]');for(var i=0;i<svgs.length;i++){var s=svgs[i];var shapes=s.querySelectorAll('rect,path,line,circle,polygon');var drawn=0;for(var j=0;j<shapes.length;j++){var b=shapes[j].getBBox();if(b.width>0||b.height>0)drawn++}var r=s.getBoundingClientRect();out.push({chart:s.getAttribute('data-chart'),shapes:shapes.length,drawn:drawn,width:Math.round(r.width),height:Math.round(r.height)})}document.body.setAttribute('data-rendered',JSON.stringify(out))})();`

const modelsLine = (models: ReadonlyArray<ModelName>) => models.join(', ')

/**
 * The report as one self-contained HTML page (inline CSS and SVG; no network). `title` defaults to
 * "Touchpoint report".
 *
 * @example
 * formatReportHtml(report).startsWith('<!doctype html>') // => true
 *
 * @category render
 * @since 0.1.0
 */
export const formatReportHtml = (report: Report, options: { readonly title?: string } = {}): string => {
  // From plain JavaScript: no page for what is not a report; a title that is no string is the default one.
  if (!isReport(report)) return ''
  const title = isRecord(options) && typeof options.title === 'string' ? options.title : 'Touchpoint report'
  const t = report.totals
  const ref = report.referenceModel
  const rows = report.touchpoints.slice().sort((a, b) => (b.credits[ref]?.conversions ?? 0) - (a.credits[ref]?.conversions ?? 0) || (a.channel < b.channel ? -1 : 1))
  const b = report.bootstrap
  const kpi = (value: string, label: string) => `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span></div>`
  const parts: Array<string> = []
  parts.push(`<h1>${esc(title)}</h1>`)
  parts.push(`<p class="note">Models: ${esc(modelsLine(report.models))}. Reference model for ranking and costs: ${esc(ref)}.</p>`)
  parts.push(
    `<div class="kpis">${[
      kpi(String(t.channels), 'touchpoints'),
      kpi(int(t.journeys), 'journeys'),
      kpi(int(t.conversions), 'conversions'),
      kpi(percent(t.conversionRate), 'conversion rate'),
      kpi(fixed(t.value), 'conversion value'),
      ...(t.cost === undefined ? [] : [kpi(fixed(t.cost), 'cost'), kpi(fixed(report.costs?.costPerConversion), 'cost per conversion')]),
    ].join('')}</div>`,
  )
  parts.push(
    `<section><h2>Credit by model per touchpoint</h2><p class="note">Conversions each model credits to each touchpoint${
      b.used > 1 ? `; whiskers: ${percent(b.level, 0)} bootstrap interval over journeys (${b.used} replicates)` : ''
    }. Touchpoints ordered by ${esc(ref)} credit.</p>${creditChart(report, rows)}${htmlTable(
      ['touchpoint', 'stage', ...report.models, 'spread', ...(b.used > 1 ? ['beyond noise'] : [])],
      rows.map((r) => [
        r.channel,
        r.stage,
        ...report.models.map((m) => {
          const c = r.credits[m]!
          return c.interval === undefined ? fixed(c.conversions) : `${fixed(c.conversions)} [${fixed(c.interval.lower, 1)}–${fixed(c.interval.upper, 1)}]`
        }),
        fixed(r.disagreement?.spread),
        ...(b.used > 1 ? [r.disagreement?.clear === undefined ? '–' : r.disagreement.clear ? 'yes' : 'no'] : []),
      ]),
    )}</section>`,
  )
  parts.push(
    `<section><h2>Roles</h2><p class="note">On converting journeys: introducer = first touch, assister = a middle touch, closer = last touch, solo = the only touch.</p>${rolesChart(rows)}${htmlTable(
      ['touchpoint', 'touches', 'journeys', 'conv. rate', 'avg position', 'touches after', 'time to conversion (median, IQR)', ...(rows.some((r) => r.markovRemovalEffect !== undefined) ? ['removal effect'] : [])],
      rows.map((r) => [
        r.channel,
        int(r.touches),
        int(r.journeys),
        percent(r.conversionRate),
        fixed(r.averagePosition, 1),
        fixed(r.averageTouchesAfter, 1),
        durationText(r.timeToConversion),
        ...(r.markovRemovalEffect === undefined ? [] : [fixed(r.markovRemovalEffect, 3)]),
      ]),
    )}</section>`,
  )
  parts.push(
    `<section><h2>Journey stages</h2><p class="note">Bar: journeys whose furthest stage is this one or later; white core: those that converted. Drop-off: journeys whose last touch is in the stage and that did not convert.</p>${funnelChart(report)}${htmlTable(
      ['stage', 'touchpoints', 'reached', 'converting', 'drop-off', 'drop-off rate', 'closes'],
      report.stages.map((s) => [s.stage, s.channels.join(', '), int(s.journeys), int(s.convertingJourneys), int(s.dropOff), percent(s.dropOffRate), int(s.closes)]),
    )}</section>`,
  )
  parts.push(
    `<section><h2>Journey flow</h2><p class="note">Journeys along their first ${report.flowSteps} touches (the ${8} busiest touchpoints per step; the rest as "other"), then their outcome. Longer journeys go to their outcome from touch ${report.flowSteps}.</p>${flowChart(report)}${htmlTable(
      ['from', 'to', 'journeys', 'share of from'],
      report.paths.transitions.map((l) => [l.from, l.to, int(l.weight), percent(l.share)]),
    )}</section>`,
  )
  if (report.costs !== undefined) {
    const c = report.costs
    parts.push(
      `<section><h2>Cost</h2><p class="note">Total ${esc(fixed(c.total))}${c.periods.length > 0 ? ` over ${esc(c.periods.join(', '))}` : ''}; ${esc(fixed(c.costPerConversion))} per conversion; return on spend ${esc(fixed(c.returnOnSpend))}.${
        c.unmatched.length > 0 ? ` Costs of channels not in the journeys, left out: ${esc(c.unmatched.join(', '))}.` : ''
      }</p>${costChart(report, rows)}<h3>Cost per attributed conversion</h3>${htmlTable(
        ['touchpoint', 'cost', ...report.models],
        rows.map((r) => [r.channel, fixed(r.cost?.cost), ...report.models.map((m) => fixed(r.cost?.costPerConversion[m]))]),
      )}<h3>Return on spend (credited value / cost)</h3>${htmlTable(
        ['touchpoint', 'cost', ...report.models],
        rows.map((r) => [r.channel, fixed(r.cost?.cost), ...report.models.map((m) => fixed(r.cost?.returnOnSpend[m]))]),
      )}</section>`,
    )
  }
  parts.push(
    `<section><h2>What to improve first</h2>${
      report.opportunities.length === 0
        ? '<p>No touchpoint stands out.</p>'
        : `<ol>${report.opportunities.map((o) => `<li><b>${esc(o.channel)}</b> <span class="note">(score ${esc(fixed(o.score))})</span>: ${esc(o.reasons.join('; '))}</li>`).join('')}</ol>`
    }<p class="note">Signals: conversions short of the average touchpoint's conversion rate over the journeys reached (when the shortfall is beyond binomial noise, z > 1.96); spend above the average cost per conversion; share of removal effect (or credit) above share of spend. Each signal is scaled to its largest value, then summed.</p></section>`,
  )
  const pathRows = (rs: Report['paths']['topConverting']) => rs.map((p) => [p.path.join(' > '), int(p.conversions), int(p.nulls), percent(p.conversionRate)])
  const ttc = report.paths.timeToConversion
  parts.push(
    `<section><h2>Paths</h2><h3>Path length</h3>${lengthChart(report)}${
      ttc === undefined
        ? ''
        : `<h3>Time from first touch to conversion</h3><p class="note">${int(ttc.count)} timed conversions: p10 ${formatDuration(ttc.p10)}, p25 ${formatDuration(ttc.p25)}, median ${formatDuration(ttc.median)}, p75 ${formatDuration(ttc.p75)}, p90 ${formatDuration(ttc.p90)} (log scale, four bars per decade).</p>${timeChart(report)}`
    }<h3>Top converting paths</h3>${htmlTable(['path', 'conversions', 'non-converting', 'conv. rate'], pathRows(report.paths.topConverting))}<h3>Top non-converting paths</h3>${htmlTable(
      ['path', 'conversions', 'non-converting', 'conv. rate'],
      pathRows(report.paths.topNonConverting),
    )}${report.paths.exact ? '' : `<p class="note">Path counts are estimates: each is low by at most ${esc(fixed(report.paths.countError, 1))}.</p>`}</section>`,
  )
  parts.push(
    `<footer>Intervals: double-or-nothing bootstrap over journeys, seed "${esc(b.seed)}", ${b.used} of ${b.replicates} replicates used, percentile intervals at ${percent(b.level, 0)}. Times from log-spaced histograms (±6%). Made by touchpoint.</footer>`,
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${parts.join('\n')}
</main><script>${CHECK}</script></body></html>
`
}
