/**
 * The SVG charts of the HTML report: credit by model, roles, the stage funnel, the journey flow, path lengths,
 * time to conversion, cost against credit. Pure string building; colours from the palette (one meaning each).
 *
 * @module
 * @internal
 */
import type { Report } from '../model'
import { fixed, formatDuration, percent, type Numbers } from './format'
import { COST_COLOR, MODEL_COLORS, OTHER_COLOR, OUTCOME_COLORS, ROLE_COLORS, STAGE_COLORS, textOn } from './palette'
import type { ChartRow } from './tail'

/** @internal */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const CONVERTING = OUTCOME_COLORS['(conversion)']!
const NOT_CONVERTING = OUTCOME_COLORS['(null)']!

const n = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0')

const svg = (id: string, title: string, width: number, height: number, body: string): string =>
  `<svg data-chart="${id}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" preserveAspectRatio="xMinYMin meet">${body}</svg>`

const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${n(x)}" y="${n(y)}"${attrs === '' ? '' : ` ${attrs}`}>${esc(s)}</text>`

const rect = (x: number, y: number, w: number, h: number, fill: string, tip?: string): string =>
  `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(w, 0))}" height="${n(Math.max(h, 0))}" fill="${fill}">${tip === undefined ? '' : `<title>${esc(tip)}</title>`}</rect>`

/** @internal */
export const legend = (items: ReadonlyArray<readonly [string, string]>, x: number, y: number, width: number): { svg: string; height: number } => {
  let cx = x
  let cy = y
  const parts: Array<string> = []
  for (const [label, color] of items) {
    const w = 18 + label.length * 7 + 14
    if (cx + w > x + width) {
      cx = x
      cy += 18
    }
    parts.push(`<rect class="key" data-key="${esc(label)}" x="${n(cx)}" y="${n(cy - 10)}" width="12" height="12" fill="${color}"/>`, text(cx + 16, cy, label, 'class="small"'))
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
/** @internal */
export const WIDTH = 960

/**
 * Room for `s` in small (11 px) chart text, a little more than it takes: digits and lower-case letters are at most
 * 0.64 em wide in the fonts the page names (DejaVu Sans, the widest of them).
 */
const smallWidth = (s: string): number => s.length * 7

/** Round ticks from 0 to `max` (a tick past `max` only by rounding error), each with its value as the axis writes it. */
const yTicks = (max: number, f: Numbers): ReadonlyArray<{ readonly v: number; readonly label: string }> => {
  const step = niceStep(max / 4)
  const ticks: Array<{ v: number; label: string }> = []
  for (let v = 0; v <= max * (1 + 1e-9); v += step) ticks.push({ v, label: f.count(step < 1 ? Math.round(v * 10) / 10 : v) })
  return ticks
}

/**
 * The left edge of a plot with a vertical axis and a rotated title at x = 14: the tick values (right-aligned 6 px
 * left of it) keep clear of the title, however many digits they have (200,000 journeys need more than 60 px).
 */
const axisLeft = (max: number, f: Numbers): number => Math.max(60, 30 + Math.max(...yTicks(max, f).map((t) => smallWidth(t.label))))

/** A vertical axis from 0 to `max` over `h` pixels above `base`: round ticks, their values, light grid lines. */
const yAxis = (max: number, base: number, h: number, x0: number, x1: number, f: Numbers): string =>
  yTicks(max, f)
    .map(({ v, label }) => {
      const y = base - (v / max) * h
      return `<line x1="${n(x0 - 4)}" x2="${n(x1)}" y1="${n(y)}" y2="${n(y)}" class="grid"/>${text(x0 - 6, y, label, 'text-anchor="end" dominant-baseline="middle" class="small axis"')}`
    })
    .join('')

/** Grouped horizontal bars: every model's credit per touchpoint, whiskers for bootstrap intervals. */
/** @internal */
export const creditChart = (report: Report, rows: ReadonlyArray<ChartRow>): string => {
  const models = report.models
  const bar = 9
  const group = models.length * bar + 12
  const lg = legend(models.map((m) => [`model ${m}`, MODEL_COLORS[m]] as const), LABEL, 14, WIDTH - LABEL)
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
      const color = MODEL_COLORS[m]
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
  for (let v = 0; v <= max * (1 + 1e-9); v += step) {
    parts.push(`<line x1="${n(x(v))}" x2="${n(x(v))}" y1="${n(top)}" y2="${n(axisY)}" class="grid"/>`, text(x(v), axisY + 14, fixed(v, step < 1 ? 1 : 0), 'text-anchor="middle" class="small"'))
  }
  return svg('credit', 'Credit by model per touchpoint', WIDTH, height, parts.join(''))
}

/** 100% stacked bars of roles on converting journeys. */
/** @internal */
export const rolesChart = (rows: ReadonlyArray<ChartRow>, f: Numbers): string => {
  const keys = ['introducer', 'assister', 'closer', 'solo'] as const
  const lg = legend(keys.map((k) => [`role ${k}`, ROLE_COLORS[k]] as const), LABEL, 14, WIDTH - LABEL)
  const top = lg.height + 6
  const rowH = 22
  const totals = rows.map((t) => `${f.count(keys.reduce((s, k) => s + t.roles[k], 0))} touches`)
  // The totals right of the bars: as wide as the widest needs ("19,644 touches" did not fit in 90 px).
  const plot = WIDTH - LABEL - Math.max(90, 16 + Math.max(0, ...totals.map(smallWidth)))
  const parts: Array<string> = [lg.svg]
  rows.forEach((t, r) => {
    const y = top + r * rowH
    parts.push(text(LABEL - 8, y + rowH / 2, t.channel, 'text-anchor="end" dominant-baseline="middle"'))
    let cx = LABEL
    for (const k of keys) {
      const w = t.roleShares[k] * plot
      if (w > 0) parts.push(rect(cx, y + 3, w, rowH - 6, ROLE_COLORS[k], `${t.channel}: ${k} ${f.count(t.roles[k])} (${percent(t.roleShares[k])})`))
      if (w > 34) parts.push(text(cx + w / 2, y + rowH / 2, percent(t.roleShares[k], 0), `text-anchor="middle" dominant-baseline="middle" class="inbar" style="fill:${textOn(ROLE_COLORS[k])}"`))
      cx += w
    }
    parts.push(text(LABEL + plot + 8, y + rowH / 2, totals[r]!, 'dominant-baseline="middle" class="small"'))
  })
  return svg('roles', 'Roles per touchpoint on converting journeys', WIDTH, top + rows.length * rowH + 8, parts.join(''))
}

/**
 * Funnel: journeys whose furthest stage is this one or later (the bar and its number mean the same), the converting
 * ones as the bar's core; stages no touchpoint maps to are left out (they would repeat the next stage's bar).
 */
/** @internal */
export const funnelChart = (report: Report, f: Numbers): string => {
  const stages = report.stages.filter((s) => s.stage !== '(unmapped)' && s.channels.length > 0)
  const rowH = 46
  const max = Math.max(1e-9, ...stages.map((s) => s.reachedOrBeyond))
  const plot = 420
  const cx = LABEL + 10 + plot / 2
  const textX = cx + plot / 2 + 16
  const parts: Array<string> = []
  stages.forEach((s, i) => {
    const y = 10 + i * rowH
    const w = (s.reachedOrBeyond / max) * plot
    const wc = (s.convertingReachedOrBeyond / max) * plot
    parts.push(text(LABEL, y + rowH / 2 - 4, s.stage, 'text-anchor="end" dominant-baseline="middle" class="strong"'))
    parts.push(rect(cx - w / 2, y, w, rowH - 10, STAGE_COLORS[s.stage] ?? '#888', `${s.stage}: ${f.count(s.reachedOrBeyond)} journeys got this far, ${f.count(s.convertingReachedOrBeyond)} converted`))
    parts.push(rect(cx - wc / 2, y + (rowH - 10) * 0.3, wc, (rowH - 10) * 0.4, '#ffffff', `${s.stage}: ${f.count(s.convertingReachedOrBeyond)} converting`))
    // Numbers beside the bars, never inside: at 200k journeys they would not fit a narrow bar.
    parts.push(
      text(textX, y + 12, `${f.count(s.reachedOrBeyond)} got this far · ${percent(s.reachedOrBeyond > 0 ? s.convertingReachedOrBeyond / s.reachedOrBeyond : 0)} converted`, 'class="small strong funnel-count"'),
      text(textX, y + 28, `${f.count(s.journeys)} touched it · drop-off ${f.count(s.dropOff)} (${percent(s.dropOffRate)})`, 'class="small muted"'),
    )
  })
  return svg('funnel', 'Stage funnel', WIDTH, 10 + stages.length * rowH + 4, parts.join(''))
}

/** Sankey of the first touches: columns are touch 1..K and the outcome. */
/** @internal */
export const flowChart = (report: Report, f: Numbers): string => {
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
  // Coloured by stage: a colour per channel would repeat past ten channels and clash with the stages'.
  const stageOf = new Map(report.touchpoints.map((t) => [t.channel, t.stage] as const))
  const colorOf = (name: string) => OUTCOME_COLORS[name] ?? STAGE_COLORS[stageOf.get(name) ?? ''] ?? OTHER_COLOR
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
    parts.push(`<path d="${d}" fill="${colorOf(l.from)}" class="link"><title>${esc(`touch ${l.s + 1} ${l.from} → ${l.toCol === K && l.to.startsWith('(') ? l.to : `touch ${l.toCol + 1} ${l.to}`}: ${f.count(l.w)} journeys`)}</title></path>`)
  }
  for (const [key, p] of pos) {
    const name = key.slice(key.indexOf('\u0000') + 1)
    parts.push(rect(p.x, p.y, nodeW, p.h, colorOf(name), `${name}: ${f.count(size.get(key) ?? 0)} journeys`))
    if (p.h >= 9) parts.push(text(p.x + nodeW + 4, p.y + p.h / 2, name, 'dominant-baseline="middle" class="small node"'))
  }
  return svg('flow', 'Journey flow along the first touches', WIDTH, height, parts.join(''))
}

/** Path length bars, converting and not. */
/** @internal */
export const lengthChart = (report: Report, f: Numbers): string => {
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
  const x0 = axisLeft(max, f)
  const barW = Math.min(36, (WIDTH - x0 - 40) / Math.max(1, rows.length) - 6)
  const parts: Array<string> = []
  const lg = legend([['converted', CONVERTING], ['did not convert', NOT_CONVERTING]], x0, 14, WIDTH - x0)
  parts.push(lg.svg)
  parts.push(yAxis(max, lg.height + 10 + h, h, x0, x0 + rows.length * (barW + 6), f))
  rows.forEach((l, i) => {
    const x = x0 + i * (barW + 6)
    const hc = (l.conversions / max) * h
    const hn = (l.nulls / max) * h
    const base = lg.height + 10 + h
    parts.push(rect(x, base - hn - hc, barW, hn, NOT_CONVERTING, `${l.length} touches: ${f.count(l.nulls)} non-converting`))
    parts.push(rect(x, base - hc, barW, hc, CONVERTING, `${l.length} touches: ${f.count(l.conversions)} converting`))
    parts.push(text(x + barW / 2, base + 14, l.length === longest && report.paths.lengths.some((k) => k.length > longest) ? `${l.length}+` : String(l.length), 'text-anchor="middle" class="small"'))
  })
  parts.push(text(14, lg.height + 10 + h / 2, 'journeys', 'class="small muted" transform="rotate(-90 14 ' + n(lg.height + 10 + h / 2) + ')" text-anchor="middle"'))
  return svg('lengths', 'Path length distribution', WIDTH, lg.height + h + 36, parts.join(''))
}

/** Time from first touch to conversion: the histogram's fine bins grouped four to a decade. */
/** @internal */
export const timeChart = (report: Report, f: Numbers): string => {
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
  const x0 = axisLeft(max, f)
  const barW = Math.min(40, (WIDTH - x0 - 40) / Math.max(1, rows.length) - 4)
  const parts: Array<string> = [yAxis(max, 10 + h, h, x0, x0 + rows.length * (barW + 4), f)]
  rows.forEach((r, i) => {
    const x = x0 + i * (barW + 4)
    const bh = (r.conversions / max) * h
    parts.push(rect(x, 10 + h - bh, barW, bh, CONVERTING, `${formatDuration(r.from)}–${formatDuration(r.to)}: ${f.count(r.conversions)} conversions`))
    if (i % 2 === 0) parts.push(text(x, 10 + h + 14, formatDuration(r.from), 'class="small"'))
  })
  parts.push(text(14, 10 + h / 2, 'conversions', `class="small muted" transform="rotate(-90 14 ${n(10 + h / 2)})" text-anchor="middle"`))
  return svg('time', 'Time from first touch to conversion', WIDTH, h + 34, parts.join(''))
}

/** Spend share against credit share of the reference model. */
/** @internal */
export const costChart = (report: Report, rows: ReadonlyArray<ChartRow>): string => {
  const credit = MODEL_COLORS[report.referenceModel]
  const total = report.costs?.total ?? 0
  const ref = report.referenceModel
  const lg = legend([['share of cost', COST_COLOR], [`model ${ref}`, credit]], LABEL, 14, WIDTH - LABEL)
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
    parts.push(rect(LABEL, y + 3, (cs / max) * plot, 9, COST_COLOR, `${t.channel}: ${percent(cs)} of cost`))
    parts.push(rect(LABEL, y + 13, (ks / max) * plot, 9, credit, `${t.channel}: ${percent(ks)} of ${ref} credit`))
    parts.push(text(LABEL + plot + 8, y + rowH / 2, `${percent(cs, 0)} / ${percent(ks, 0)}`, 'dominant-baseline="middle" class="small"'))
  })
  return svg('cost', 'Share of cost against share of credit', WIDTH, top + rows.length * rowH + 8, parts.join(''))
}

