/**
 * The HTML report in a real browser: headless Chromium (Debian's chromium package) loads the file with the
 * network shut, runs the report's inline check (SVG bounding boxes of every chart's shapes, measured after
 * layout) and dumps the DOM; the test reads the verdict from <body data-rendered>.
 * Skipped with a message when /usr/bin/chromium is missing, unless CI=true (then it fails).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cli } from '../_cli'

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available && process.env['CI'] !== 'true') console.warn(`skipping the browser test: ${CHROMIUM} not found (apt-get install chromium)`)

/** Flags for a closed network: no sandbox (containers), no GPU, no background traffic, a fresh profile. */
const chromium = (args: ReadonlyArray<string>): string => {
  const profile = mkdtempSync(join(tmpdir(), 'touchpoint-chromium-'))
  try {
    return execFileSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    )
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

interface Measured {
  readonly chart: string
  readonly shapes: number
  readonly drawn: number
  readonly width: number
  readonly height: number
}

const decodeAttr = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

describe.runIf(available || process.env['CI'] === 'true')('the HTML report in headless Chromium', () => {
  it('draws every chart (shapes with non-empty bounding boxes, charts wide and tall enough)', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required when CI=true`).toBe(true)
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-report-'))
    const out = join(dir, 'report.html')
    const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '50', '-o', out])
    expect(r.code, r.stderr).toBe(0)
    const dom = chromium(['--window-size=1200,2000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(out).href])
    const m = /data-rendered="([^"]*)"/.exec(dom)
    expect(m, 'the inline check did not run').not.toBeNull()
    const charts = JSON.parse(decodeAttr(m![1]!)) as Array<Measured>
    expect(charts.map((c) => c.chart).sort()).toEqual(['cost', 'credit', 'flow', 'funnel', 'lengths', 'roles', 'time'])
    const report = JSON.parse((await cli(['report', 'examples/events.csv', '--bootstrap', '0', '-f', 'json'])).stdout) as { touchpoints: Array<unknown>; models: Array<string>; stages: Array<unknown> }
    const min: Record<string, number> = {
      credit: report.touchpoints.length * report.models.length * 0.8, // a bar per model and touchpoint (a few may be 0)
      roles: report.touchpoints.length,
      funnel: 2 * 5,
      flow: 20,
      lengths: 4,
      cost: report.touchpoints.length,
      time: 5,
    }
    for (const c of charts) {
      expect(c.drawn, `${c.chart}: ${c.drawn} of ${c.shapes} shapes drawn`).toBeGreaterThanOrEqual(min[c.chart]!)
      expect(c.width, c.chart).toBeGreaterThan(600)
      expect(c.height, c.chart).toBeGreaterThan(100)
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('at 1280 px: no sideways scrolling of the page, no map card or figure whose text overflows its box', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-layout-'))
    const out = join(dir, 'report.html')
    const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '50', '--currency', 'EUR', '-o', out, '-q'])
    expect(r.code, r.stderr).toBe(0)
    const dom = chromium(['--window-size=1280,2000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(out).href])
    const m = /data-layout="([^"]*)"/.exec(dom)
    expect(m, 'the inline layout check did not run').not.toBeNull()
    const layout = JSON.parse(decodeAttr(m![1]!)) as { pageWidth: number; viewport: number; clippedCards: number; scrollingTables: number }
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport)
    expect(layout.clippedCards).toBe(0)
    expect(dom).toContain('id="map"')
    rmSync(dir, { recursive: true, force: true })
  })

  it('every table header is a button (keyboard-reachable) that sorts its rows: numbers by value, both ways', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-sort-'))
    const out = join(dir, 'report.html')
    // de-DE: the decimal mark is a comma and the grouping mark a dot, so reading numbers as en-US would misorder.
    for (const locale of ['en-US', 'de-DE']) {
      // With surveys and experiments, so their tables are sorted too.
      const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--surveys', 'examples/surveys.csv', '--experiments', 'examples/touchpoint-experiments.json', '--bootstrap', '20', '--locale', locale, '-o', out, '-q'])
      expect(r.code, r.stderr).toBe(0)
      // Press each numeric header of every table twice (as Enter on a focused button does: a click) and record the column.
      const probe = `<script>(function(){var out=[],bare=0;document.querySelectorAll('th').forEach(function(h){if(!h.querySelector('button'))bare++});document.querySelectorAll('table').forEach(function(tb,t){[].forEach.call(tb.tHead.rows[0].cells,function(h,i){var cells=[].map.call(tb.tBodies[0].rows,function(r){return r.cells[i]});if(cells.length<3||!cells.every(function(c){return c.classList.contains('num')}))return;var col=function(){return [].map.call(tb.tBodies[0].rows,function(r){return r.cells[i].textContent})};var b=h.querySelector('button');b.click();var up=[h.getAttribute('aria-sort'),col()];b.click();out.push({table:t,column:i,up:up,down:[h.getAttribute('aria-sort'),col()]})})});document.body.setAttribute('data-sorted',JSON.stringify({bare:bare,columns:out}))})();</script></body>`
      writeFileSync(out, readFileSync(out, 'utf8').replace('</body>', probe))
      const dom = chromium(['--window-size=1280,2000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(out).href])
      const m = /data-sorted="([^"]*)"/.exec(dom)
      expect(m, 'the probe did not run').not.toBeNull()
      const sorted = JSON.parse(decodeAttr(m![1]!)) as { bare: number; columns: ReadonlyArray<{ table: number; column: number; up: [string, ReadonlyArray<string>]; down: [string, ReadonlyArray<string>] }> }
      expect(sorted.bare).toBe(0)
      expect(sorted.columns.length).toBeGreaterThan(10)
      // The surveys table (5 touchpoints surveyed) is among those sorted: its score column holds intervals.
      expect(sorted.columns.some((c) => c.up[1].some((cell) => /\[.*, .*\]/.test(cell)) && c.up[1].length === 5)).toBe(true)
      // The first number in the cell, read in the locale: en-US 1,234.5; de-DE 1.234,5.
      const value = (cell: string) => {
        const n = /-?\d[\d.,\u00a0\u202f]*/.exec(cell.replace(/\u2212/g, '-'))
        if (n === null) return -Infinity
        const [whole, frac] = locale === 'de-DE' ? n[0].split(',') : n[0].split('.')
        return Number(whole!.replace(/[^\d-]/g, '') + (frac === undefined ? '' : `.${frac.replace(/\D/g, '')}`))
      }
      for (const c of sorted.columns) {
        expect(c.up[0]).toBe('ascending')
        expect(c.down[0]).toBe('descending')
        const up = c.up[1].map(value)
        const down = c.down[1].map(value)
        for (let i = 1; i < up.length; i++) expect(up[i]!, `${locale} table ${c.table} column ${c.column}: ${c.up[1].join(' | ')}`).toBeGreaterThanOrEqual(up[i - 1]!)
        for (let i = 1; i < down.length; i++) expect(down[i]!, `${locale} table ${c.table} column ${c.column}`).toBeLessThanOrEqual(down[i - 1]!)
        expect([...c.up[1]].sort()).toEqual([...c.down[1]].sort()) // the same rows, reordered
      }
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('takes a screenshot of the report (a PNG of the requested size)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-shot-'))
    const out = join(dir, 'report.html')
    const png = join(dir, 'report.png')
    expect((await cli(['report', 'examples/paths.csv', '--bootstrap', '0', '-o', out, '-q'])).code).toBe(0)
    chromium(['--hide-scrollbars', '--window-size=1000,800', `--screenshot=${png}`, pathToFileURL(out).href])
    const bytes = readFileSync(png)
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1000, 800])
    expect(statSync(png).size).toBeGreaterThan(20_000) // a blank page compresses to a few KB
    rmSync(dir, { recursive: true, force: true })
  })
})
