/**
 * The screenshots in docs/: the top of three HTML reports in headless Chromium (scripts/docs/reportPages.ts), a
 * 1000 × 1500 px window drawn at 0.8 scale (800 × 1200 px), re-encoded with a 256-colour palette to stay small
 * (they ship in the package).
 *
 *   npm run docs:screenshots          # writes docs/report.png, docs/report-200k.png, docs/report-degenerate.png
 *   CHROMIUM=/path/to/chrome npm run docs:screenshots
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { openPage } from './cdp'
import { palettePng } from './png'
import { writeReportPage, type ReportPageName } from './reportPages'

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url))

/** The window and scale of every screenshot: docs/report.md describes them, tests/report/screenshots.test.ts checks. */
export const SHOT = { width: 1000, height: 1500, scale: 0.8 } as const
export const SCREENSHOTS: ReadonlyArray<readonly [ReportPageName, string]> = [
  ['examples', 'report.png'],
  ['200k', 'report-200k.png'],
  ['degenerate', 'report-degenerate.png'],
]

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-screenshots-'))
  try {
    for (const [name, file] of SCREENSHOTS) {
      const out = join(dir, `${name}.html`)
      // The report as the docs show it; a fixed bootstrap seed is the CLI's default, so the page is the same each run.
      await writeReportPage(name, dir, out)
      const page = await openPage(CHROMIUM, pathToFileURL(out).href, SHOT.width, SHOT.height)
      try {
        const png = palettePng(await page.screenshot({ scale: SHOT.scale }))
        writeFileSync(join(DOCS, file), png)
        process.stdout.write(`docs/${file}: ${png.length.toLocaleString('en-US')} B\n`)
      } finally {
        await page.close()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main()
