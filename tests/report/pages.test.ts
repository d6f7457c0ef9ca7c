/**
 * Three reports in headless Chromium at 1280 px (issue 14, item 7): the examples', 200,000 generated journeys
 * (seeded: scripts/docs/reportPages.ts) and a degenerate input (one touchpoint, no conversions). On each: every
 * chart drawn or a "no data" message in its place, no chart label cut off by its SVG or overlapping another, no
 * text hidden by overflow, no sideways scrolling, text contrast at least WCAG AA, and the tables usable from the
 * keyboard (Tab reaches a header button, Enter sorts by it).
 * Skipped with a message when /usr/bin/chromium is missing, unless CI=true (then it fails).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openPage } from '../../scripts/docs/cdp'
import { JOURNEYS_200K, writeReportPage, type ReportPageName } from '../../scripts/docs/reportPages'
import { CLIP_CHECK, TEXT_CHECK } from './_pageChecks'

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available && process.env['CI'] !== 'true') console.warn(`skipping the browser test: ${CHROMIUM} not found (apt-get install chromium)`)

interface Clip {
  readonly clipped: ReadonlyArray<unknown>
  readonly charts: ReadonlyArray<{ readonly chart: string; readonly drawn: number; readonly width: number; readonly height: number }>
  readonly empty: ReadonlyArray<{ readonly chart: string; readonly text: string; readonly shown: boolean }>
  readonly pageWidth: number
  readonly viewport: number
}

const ALL_CHARTS = ['cost', 'credit', 'flow', 'funnel', 'lengths', 'roles', 'time']

/** Per page: the charts drawn, those replaced by a "no data" message, and what the summary line says. */
const EXPECTED: Readonly<Record<ReportPageName, { readonly drawn: ReadonlyArray<string>; readonly empty: ReadonlyArray<string>; readonly wrote: RegExp }>> = {
  examples: { drawn: ALL_CHARTS, empty: [], wrote: /12 touchpoints, 305 journeys/ },
  '200k': { drawn: ALL_CHARTS, empty: [], wrote: new RegExp(`12 touchpoints, ${JOURNEYS_200K.toLocaleString('en-US')} journeys`) },
  // No costs given; nothing converted: no credit, roles or time to draw.
  degenerate: { drawn: ['flow', 'funnel', 'lengths'], empty: ['credit', 'roles', 'time'], wrote: /1 touchpoints, 2 journeys/ },
}

describe.runIf(available || process.env['CI'] === 'true')('three reports in headless Chromium at 1280 px', () => {
  for (const name of ['examples', '200k', 'degenerate'] as const) {
    it(`${name}: charts drawn (or "no data"), no clipped or overlapping text, no sideways scrolling, WCAG AA contrast, keyboard-sortable tables`, async () => {
      expect(existsSync(CHROMIUM), `${CHROMIUM} is required when CI=true`).toBe(true)
      const dir = mkdtempSync(join(tmpdir(), `touchpoint-page-${name}-`))
      const out = join(dir, 'report.html')
      try {
        const r = await writeReportPage(name, dir, out, ['--bootstrap', '20'])
        const want = EXPECTED[name]
        expect(r.stderr).toMatch(want.wrote)
        // A window taller than the page, so that elementsFromPoint finds what lies under every chart label.
        const page = await openPage(CHROMIUM, pathToFileURL(out).href, 1280, 16000)
        try {
          const clip = await page.evaluate<Clip>(CLIP_CHECK)
          expect(clip.pageWidth).toBeLessThanOrEqual(clip.viewport)
          expect(clip.clipped).toEqual([])
          expect(clip.charts.map((c) => c.chart).sort()).toEqual(want.drawn)
          for (const c of clip.charts) {
            expect(c.drawn, `${c.chart}: shapes drawn`).toBeGreaterThanOrEqual(2)
            expect(c.width, c.chart).toBeGreaterThan(600)
            expect(c.height, c.chart).toBeGreaterThan(50)
          }
          expect(clip.empty.map((e) => e.chart).sort()).toEqual(want.empty)
          for (const e of clip.empty) {
            expect(e.shown, e.chart).toBe(true)
            expect(e.text).toMatch(/^No (conversions|converting journeys): /)
          }

          const text = await page.evaluate<{ checked: number; lowContrast: ReadonlyArray<unknown>; overlaps: ReadonlyArray<unknown>; height: number }>(TEXT_CHECK)
          expect(text.height, 'the page is taller than the window: raise the window').toBeLessThanOrEqual(16000)
          expect(text.checked).toBeGreaterThan(name === 'degenerate' ? 100 : 500)
          expect(text.lowContrast).toEqual([])
          expect(text.overlaps).toEqual([])

          // The keyboard: every header is a button; Tab from a table's filter field reaches its first header, Enter sorts.
          const bare = await page.evaluate<number>(`[].filter.call(document.querySelectorAll('th'),function(h){return !h.querySelector('button')}).length`)
          expect(bare).toBe(0)
          const active = () => page.evaluate<string>(`(function(e){return e.tagName+' '+(e.getAttribute('aria-label')||e.textContent)})(document.activeElement)`)
          let reached = false
          for (let i = 0; i < 400 && !reached; i++) {
            await page.press('Tab')
            reached = (await active()) === 'INPUT Filter rows: Top non-converting paths'
          }
          expect(reached, 'Tab reaches the filter of the non-converting paths').toBe(true)
          await page.press('Tab')
          expect(await active()).toBe('BUTTON path')
          await page.press('Enter')
          expect(await page.evaluate<string>(`document.activeElement.parentNode.getAttribute('aria-sort')`)).toBe('ascending')
        } finally {
          await page.close()
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }, 120_000)
  }
})
