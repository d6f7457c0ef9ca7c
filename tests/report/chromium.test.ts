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
import { openPage } from '../../scripts/docs/cdp'
import { TEXT_CHECK } from './_pageChecks'

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

/**
 * An experiments file (`--experiments`) of six holdout tests on six touchpoints of examples/events.csv (two on
 * social media), each analysed by `touchpoint analyze --json`: arms of thousands of units (so de-DE groups digits with a
 * dot), lifts of both signs, p-values from < 0.001 to 0.8.
 */
const experimentsFile = async (dir: string): Promise<string> => {
  const tests: ReadonlyArray<readonly [string, string, number, number, number, number]> = [
    ['display', 'display holdout, Sep-Oct', 12000, 1020, 12000, 1104],
    ['social_paid', 'Ads holdout', 8400, 610, 8350, 702],
    ['social_organic', 'posts paused', 15000, 1500, 15020, 1460],
    ['video', 'video holdout', 5000, 420, 5100, 431],
    ['search_paid', 'paid search holdout', 20000, 2100, 20010, 2405],
    ['store', 'store follow-up call', 3000, 300, 2950, 251],
  ]
  const entries: Array<unknown> = []
  for (const [touchpoint, experiment, holdoutUnits, holdoutConversions, exposedUnits, exposedConversions] of tests) {
    const arms = join(dir, 'arms.csv')
    writeFileSync(arms, `arm,units,conversions\nholdout,${holdoutUnits},${holdoutConversions}\nexposed,${exposedUnits},${exposedConversions}\n`)
    const r = await cli(['analyze', arms, '--control', 'holdout', '--json'])
    expect(r.code, r.stderr).toBe(0)
    entries.push({ touchpoint, experiment, result: JSON.parse(r.stdout) as unknown })
  }
  const file = join(dir, 'experiments.json')
  writeFileSync(file, JSON.stringify(entries))
  return file
}
const EXPERIMENTS = 6

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

  it('at 1280 px: no sideways scrolling of the page, no map card or figure whose text overflows its box (with and without surveys and experiments)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-layout-'))
    const out = join(dir, 'report.html')
    const experiments = await experimentsFile(dir)
    const base = ['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '50', '--currency', 'EUR', '-o', out, '-q']
    for (const extra of [[], ['--surveys', 'examples/surveys.csv', '--experiments', experiments, '--locale', 'de-DE']]) {
      const r = await cli([...base, ...extra])
      expect(r.code, r.stderr).toBe(0)
      const dom = chromium(['--window-size=1280,2000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(out).href])
      const m = /data-layout="([^"]*)"/.exec(dom)
      expect(m, 'the inline layout check did not run').not.toBeNull()
      const layout = JSON.parse(decodeAttr(m![1]!)) as { pageWidth: number; viewport: number; clippedCards: number; scrollingTables: number }
      expect(layout.pageWidth, extra.join(' ')).toBeLessThanOrEqual(layout.viewport)
      expect(layout.clippedCards, extra.join(' ')).toBe(0)
      expect(dom).toContain('id="map"')
      // The filter fields were in place when the layout was measured.
      expect(dom).toContain('type="search"')
      if (extra.length > 0) expect(dom).toContain('id="experiments"')
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('every table header is a button (keyboard-reachable) that sorts its rows: numbers by value, text by letters, both ways', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-sort-'))
    const out = join(dir, 'report.html')
    const experiments = await experimentsFile(dir)
    // de-DE: the decimal mark is a comma and the grouping mark a dot, so reading numbers as en-US would misorder.
    for (const locale of ['en-US', 'de-DE']) {
      // With surveys and experiments, so their tables are sorted too.
      const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--surveys', 'examples/surveys.csv', '--experiments', experiments, '--bootstrap', '20', '--locale', locale, '-o', out, '-q'])
      expect(r.code, r.stderr).toBe(0)
      // Press each header of every table of 3 rows or more twice (as Enter on a focused button does: a click) and
      // record the column; a column is numeric (every cell of class num), text (none) or mixed.
      const probe = `<script>(function(){var out=[],bare=0;document.querySelectorAll('th').forEach(function(h){if(!h.querySelector('button'))bare++});document.querySelectorAll('table').forEach(function(tb,t){var heading=tb.closest('section').querySelector('h2').textContent;[].forEach.call(tb.tHead.rows[0].cells,function(h,i){var cells=[].map.call(tb.tBodies[0].rows,function(r){return r.cells[i]});if(cells.length<3)return;var num=cells.filter(function(c){return c.classList.contains('num')}).length;var col=function(){return [].map.call(tb.tBodies[0].rows,function(r){return r.cells[i].textContent})};var b=h.querySelector('button');b.click();var up=[h.getAttribute('aria-sort'),col()];b.click();out.push({table:t,heading:heading,column:i,kind:num===cells.length?'number':num===0?'text':'mixed',up:up,down:[h.getAttribute('aria-sort'),col()]})})});document.body.setAttribute('data-sorted',JSON.stringify({bare:bare,columns:out}))})();</script></body>`
      writeFileSync(out, readFileSync(out, 'utf8').replace('</body>', probe))
      const dom = chromium(['--window-size=1280,2000', '--virtual-time-budget=5000', '--dump-dom', pathToFileURL(out).href])
      const m = /data-sorted="([^"]*)"/.exec(dom)
      expect(m, 'the probe did not run').not.toBeNull()
      type Column = { table: number; heading: string; column: number; kind: 'number' | 'text' | 'mixed'; up: [string, ReadonlyArray<string>]; down: [string, ReadonlyArray<string>] }
      const sorted = JSON.parse(decodeAttr(m![1]!)) as { bare: number; columns: ReadonlyArray<Column> }
      expect(sorted.bare).toBe(0)
      expect(sorted.columns.filter((c) => c.kind === 'number').length).toBeGreaterThan(10)
      expect(sorted.columns.filter((c) => c.kind === 'text').length).toBeGreaterThan(5)
      // The surveys table (5 touchpoints surveyed) is among those sorted: its score column holds intervals.
      expect(sorted.columns.some((c) => c.heading === 'Surveys' && c.up[1].some((cell) => /\[.*, .*\]/.test(cell)) && c.up[1].length === 5)).toBe(true)
      // Every column of the experiments table: touchpoint, experiment, holdout, exposed (text); lift, level, p, rate
      // change, its level (numbers, with intervals, percentages, "< 0.001" and signs).
      const experimentColumns = sorted.columns.filter((c) => c.heading === 'Experiments')
      expect(experimentColumns.map((c) => `${c.column}:${c.kind}`)).toEqual(['0:text', '1:text', '2:text', '3:text', '4:number', '5:number', '6:number', '7:number', '8:number'])
      expect(experimentColumns.every((c) => c.up[1].length === EXPERIMENTS)).toBe(true)
      // The first number in the cell, read in the locale: en-US 1,234.5; de-DE 1.234,5.
      const value = (cell: string) => {
        const n = /-?\d[\d.,\u00a0\u202f]*/.exec(cell.replace(/\u2212/g, '-'))
        if (n === null) return -Infinity
        const [whole, frac] = locale === 'de-DE' ? n[0].split(',') : n[0].split('.')
        return Number(whole!.replace(/[^\d-]/g, '') + (frac === undefined ? '' : `.${frac.replace(/\D/g, '')}`))
      }
      // Text: by its lower case, as the page's script compares.
      const ordered = (kind: Column['kind'], cells: ReadonlyArray<string>, up: boolean): boolean =>
        cells.every((cell, i) => {
          if (i === 0) return true
          const [a, b] = kind === 'number' ? [value(cells[i - 1]!), value(cell)] : [cells[i - 1]!.toLowerCase(), cell.toLowerCase()]
          return up ? a <= b : a >= b
        })
      for (const c of sorted.columns.filter((x) => x.kind !== 'mixed')) {
        expect(c.up[0]).toBe('ascending')
        expect(c.down[0]).toBe('descending')
        expect(ordered(c.kind, c.up[1], true), `${locale} ${c.heading} column ${c.column} up: ${c.up[1].join(' | ')}`).toBe(true)
        expect(ordered(c.kind, c.down[1], false), `${locale} ${c.heading} column ${c.column} down: ${c.down[1].join(' | ')}`).toBe(true)
        expect([...c.up[1]].sort()).toEqual([...c.down[1]].sort()) // the same rows, reordered
      }
      // Not trivially sorted: most numeric columns of the experiments table differ from row to row.
      expect(experimentColumns.filter((c) => c.kind === 'number' && new Set(c.up[1]).size > 1).length).toBeGreaterThanOrEqual(3)
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('every table has a labelled filter field, used with the keyboard only: typing hides rows, sorting keeps them hidden, clearing shows all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-filter-'))
    const out = join(dir, 'report.html')
    const experiments = await experimentsFile(dir)
    const r = await cli(['report', 'examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--surveys', 'examples/surveys.csv', '--experiments', experiments, '--bootstrap', '20', '--locale', 'de-DE', '-o', out, '-q'])
    expect(r.code, r.stderr).toBe(0)
    // Without script: no field (nothing that would not work) and no hidden row.
    const html = readFileSync(out, 'utf8')
    expect(html.replace(/<script>[\s\S]*<\/script>/, '')).not.toMatch(/<input|hidden/)
    const page = await openPage(CHROMIUM, pathToFileURL(out).href, 1280, 900)
    try {
      // One field before each table, named after the table's heading (and showing "Filter rows").
      const fields = await page.evaluate<ReadonlyArray<{ label: string; text: string; before: boolean }>>(
        `[].map.call(document.querySelectorAll('table'),function(tb){var l=tb.parentNode.previousElementSibling,f=l&&l.querySelector('input[type=search]');return {label:f?f.getAttribute('aria-label'):'',text:l?l.textContent:'',before:!!f}})`,
      )
      expect(fields.length).toBeGreaterThan(8)
      for (const f of fields) {
        expect(f.before).toBe(true)
        expect(f.label).toMatch(/^Filter rows: \S/)
        expect(f.text).toBe('Filter rows')
      }
      const active = () => page.evaluate<string>(`(function(e){return e.tagName+' '+(e.getAttribute('aria-label')||e.textContent)})(document.activeElement)`)
      /** Tab (or Shift+Tab) until the focused element's name is `name`; how many presses it took. */
      const tabTo = async (name: string, key = 'Tab') => {
        for (let i = 1; i <= 400; i++) {
          await page.press(key)
          if ((await active()) === name) return i
        }
        throw new Error(`${name} not reached with ${key}: at ${await active()}`)
      }
      const rows = (heading: string) =>
        page.evaluate<ReadonlyArray<{ cells: ReadonlyArray<string>; shown: boolean }>>(
          `(function(){var s=[].filter.call(document.querySelectorAll('section'),function(x){var h=x.querySelector('h2');return h&&h.textContent===${JSON.stringify(heading)}})[0];return [].map.call(s.querySelector('tbody').rows,function(r){return {cells:[].map.call(r.cells,function(c){return c.textContent}),shown:r.getBoundingClientRect().height>0}})})()`,
        )
      const status = () => page.evaluate<string>(`document.activeElement.closest('label') ? document.activeElement.closest('label').querySelector('[role=status]').textContent : 'no field focused'`)

      await tabTo('INPUT Filter rows: Experiments')
      const all = await rows('Experiments')
      expect(all.length).toBe(EXPERIMENTS)
      expect(all.every((x) => x.shown)).toBe(true)
      // Case-insensitive, in any cell: "SOCIAL" keeps the two tests of social media.
      await page.type('SOCIAL')
      const social = await rows('Experiments')
      expect(social.filter((x) => x.shown).map((x) => x.cells[1])).toEqual(['posts paused', 'Ads holdout']) // by touchpoint, as written
      expect(social.filter((x) => x.shown).every((x) => x.cells.some((c) => c.toLowerCase().includes('social')))).toBe(true)
      expect(social.filter((x) => !x.shown).every((x) => !x.cells.some((c) => c.toLowerCase().includes('social')))).toBe(true)
      expect(await status()).toBe(`2 of ${EXPERIMENTS} rows`)
      // The next stop is the table's first header; Enter sorts by it, the space bar on "experiment" too; hidden rows stay hidden.
      expect(await tabTo('BUTTON touchpoint')).toBe(1)
      await page.press('Tab')
      expect(await active()).toBe('BUTTON experiment')
      await page.press(' ')
      const sorted = await rows('Experiments')
      expect(sorted.filter((x) => x.shown).map((x) => x.cells[1])).toEqual(['Ads holdout', 'posts paused'])
      expect(sorted.filter((x) => x.shown).length).toBe(2)
      expect(await page.evaluate<string>(`document.activeElement.parentNode.getAttribute('aria-sort')`)).toBe('ascending')
      await page.press('Enter')
      expect((await rows('Experiments')).filter((x) => x.shown).map((x) => x.cells[1])).toEqual(['posts paused', 'Ads holdout'])
      // Back to the field: Escape clears it and every row shows again.
      expect(await tabTo('INPUT Filter rows: Experiments', 'Shift+Tab')).toBe(2)
      await page.press('Escape')
      expect((await rows('Experiments')).every((x) => x.shown)).toBe(true)
      expect(await status()).toBe('')
      // Nothing matches: no row; select all and delete: every row again.
      await page.type('zzz')
      expect((await rows('Experiments')).some((x) => x.shown)).toBe(false)
      expect(await status()).toBe(`0 of ${EXPERIMENTS} rows`)
      await page.press('Control+a')
      await page.press('Backspace')
      expect((await rows('Experiments')).every((x) => x.shown)).toBe(true)
      // Case-insensitive on both sides: the query's and the cells' ("Ads holdout").
      await page.type('ADS HOLDOUT')
      expect((await rows('Experiments')).filter((x) => x.shown).map((x) => x.cells[0])).toEqual(['social_paid'])
      await page.press('Escape')
      // A number as the page writes it (de-DE: 12.000 units) finds its row; a query never spans two cells.
      await page.type('12.000 units')
      expect((await rows('Experiments')).filter((x) => x.shown).map((x) => x.cells[0])).toEqual(['display'])
      await page.press('Escape')
      await page.type('displaydisplay holdout')
      expect((await rows('Experiments')).some((x) => x.shown)).toBe(false)
      // Another table, further down (Tab moves on past this table's headers): the top converting paths.
      await page.press('Escape')
      await tabTo('INPUT Filter rows: Top converting paths')
      const paths = await rows('Paths')
      // A touchpoint on some of these paths but not all.
      const query = ['email', 'display', 'search_paid', 'direct', 'store'].find((q) => paths.some((p) => p.cells[0]!.includes(q)) && !paths.every((p) => p.cells[0]!.includes(q)))!
      expect(query).toBeDefined()
      await page.type(query)
      const shown = (await rows('Paths')).filter((x) => x.shown).map((x) => x.cells[0])
      expect(shown).toEqual(paths.filter((p) => p.cells[0]!.includes(query)).map((p) => p.cells[0]))
      expect(await status()).toBe(`${shown.length} of ${paths.length} rows`)
    } finally {
      await page.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('text contrast is at least WCAG AA (4.5:1, 3:1 for large text) and no chart text overlaps other text, with and without surveys and experiments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-contrast-'))
    const out = join(dir, 'report.html')
    const experiments = await experimentsFile(dir)
    const pages = [
      ['examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--bootstrap', '20'],
      ['examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv', '--surveys', 'examples/surveys.csv', '--experiments', experiments, '--bootstrap', '20', '--locale', 'de-DE'],
      ['examples/paths.csv', '--bootstrap', '0'],
    ]
    for (const args of pages) {
      const r = await cli(['report', ...args, '-o', out, '-q'])
      expect(r.code, r.stderr).toBe(0)
      // A viewport taller than the page, so that what lies under each chart label is found by elementsFromPoint.
      const page = await openPage(CHROMIUM, pathToFileURL(out).href, 1280, 16000)
      try {
        const found = await page.evaluate<{ checked: number; lowContrast: ReadonlyArray<unknown>; overlaps: ReadonlyArray<unknown>; height: number }>(TEXT_CHECK)
        expect(found.height, 'the page is taller than the window: raise the window').toBeLessThanOrEqual(16000)
        expect(found.checked, args.join(' ')).toBeGreaterThan(500)
        expect(found.lowContrast, args.join(' ')).toEqual([])
        expect(found.overlaps, args.join(' ')).toEqual([])
      } finally {
        await page.close()
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

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
