/**
 * The HTML report on 200,000 journeys (issue 14's "render time"): the same seeded events the browser test loads
 * (scripts/docs/reportPages.ts, 980,000 lines, 200,251 journeys; stages and costs of the examples), timed three ways.
 *
 *   npx tsx benchmarks/reportRender.bench.ts             # 3 rounds
 *   RUNS=5 BOOTSTRAP=0,200 npx tsx benchmarks/reportRender.bench.ts
 *
 * 1. `touchpoint report FILE -o report.html` as users run it: the CLI bundled by esbuild, its own process under
 *    /usr/bin/time (wall, CPU = user + sys, peak RSS), `--bootstrap 0` and `200` alternating round by round.
 * 2. The report functions in this process, on the file's text: reduceCsvText, buildReport, formatReportHtml
 *    (CPU time of each, process.cpuUsage).
 * 3. Headless Chromium (/usr/bin/chromium over CDP) loading the written page at 1280 × 900: navigation timing
 *    (DOMContentLoaded, load) and Chromium's counters (Performance.getMetrics: style, layout, script, all tasks).
 * Medians; on a shared machine CPU times are the steadier figures. Prints the HTML's size.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import { DEFAULT_SETTINGS } from '../src/attribution/model'
import { reportSettings } from '../src/report/accumulate'
import { buildReport } from '../src/report/build'
import { parseCosts } from '../src/report/costs'
import { formatReportHtml } from '../src/report/html'
import { decodeStageMappingJson } from '../src/report/stages'
import { reduceCsvText } from '../src/report/text'
import { openPage } from '../scripts/docs/cdp'
import { JOURNEYS_200K, reportInput } from '../scripts/docs/reportPages'

const here = fileURLToPath(import.meta.url)
const workDir = process.env['BENCH_DIR'] ?? join(tmpdir(), 'touchpoint-report-render-bench')
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'
const MODELS = ['first', 'last', 'linear', 'time_decay', 'position', 'markov', 'shapley'] as const

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`

const bundleCli = (): string => {
  const cli = join(workDir, 'cli.mjs')
  const b = spawnSync('npx', ['esbuild', join(here, '../../src/cli/main.ts'), '--bundle', '--platform=node', '--format=esm', '--main-fields=module,main', `--outfile=${cli}`, '--log-level=error', '--external:@duckdb/*', '--external:pg', '--external:@openfeature/*'], { stdio: 'inherit' })
  if (b.status !== 0) throw new Error('esbuild failed')
  return cli
}

const cpuOf = <A>(f: () => A): [A, number] => {
  const start = process.cpuUsage()
  const a = f()
  const d = process.cpuUsage(start)
  return [a, (d.user + d.system) / 1000]
}

const main = async () => {
  const runs = Number(process.env['RUNS'] ?? 3)
  const bootstraps = (process.env['BOOTSTRAP'] ?? '0,200').split(',').map(Number)
  mkdirSync(workDir, { recursive: true })
  const input = await reportInput('200k', workDir)
  const file = input[0]!
  process.stdout.write(`\n## HTML report of ${JOURNEYS_200K.toLocaleString('en-US')} journeys (${(statSync(file).size / 1e6).toFixed(0)} MB of events), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, median of ${runs}\n\n`)

  // 1. The CLI, a process per run.
  const cli = bundleCli()
  const html = (b: number) => join(workDir, `report-${b}.html`)
  const cliRuns = bootstraps.map(() => [] as Array<{ wall: number; cpu: number; rss: number }>)
  for (let i = 0; i < runs; i++) {
    bootstraps.forEach((b, k) => {
      const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, 'report', ...input, '--bootstrap', String(b), '-q', '-o', html(b)], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`)
      const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number]
      cliRuns[k]!.push({ wall: wall * 1000, cpu: (user + sys) * 1000, rss: rss / 1024 })
    })
  }
  process.stdout.write('| touchpoint report -o report.html | wall | CPU (user + sys) | peak RSS | HTML |\n|---|--:|--:|--:|--:|\n')
  bootstraps.forEach((b, k) => {
    const rs = cliRuns[k]!
    process.stdout.write(`| --bootstrap ${b} | ${ms(median(rs.map((r) => r.wall)))} | ${ms(median(rs.map((r) => r.cpu)))} | ${median(rs.map((r) => r.rss)).toFixed(0)} MB | ${statSync(html(b)).size.toLocaleString('en-US')} B |\n`)
  })

  // 2. In process.
  const text = readFileSync(file, 'utf8')
  const stages = decodeStageMappingJson(readFileSync('examples/stages.json', 'utf8'))
  const costs = parseCosts(readFileSync('examples/costs.csv', 'utf8'))
  if (E.isLeft(stages) || E.isLeft(costs)) throw new Error('examples/stages.json or costs.csv do not parse')
  process.stdout.write('\n| in process (CPU) | reduceCsvText | buildReport | formatReportHtml |\n|---|--:|--:|--:|\n')
  for (const b of bootstraps) {
    const times: Array<[number, number, number]> = []
    for (let i = 0; i < runs; i++) {
      const [partial, reduce] = cpuOf(() => reduceCsvText(reportSettings(DEFAULT_SETTINGS, { replicates: b }))(text))
      if (E.isLeft(partial)) throw new Error('reduceCsvText failed')
      const [report, build] = cpuOf(() => buildReport({ models: [...MODELS], stages: stages.right, costs: costs.right })(partial.right))
      if (E.isLeft(report)) throw new Error('buildReport failed')
      const [, format] = cpuOf(() => formatReportHtml(report.right))
      times.push([reduce, build, format])
    }
    process.stdout.write(`| --bootstrap ${b} | ${ms(median(times.map((t) => t[0])))} | ${ms(median(times.map((t) => t[1])))} | ${ms(median(times.map((t) => t[2])))} |\n`)
  }

  // 3. The browser.
  process.stdout.write('\n| Chromium, 1280 × 900 | DOMContentLoaded | load | style | layout | script | all tasks |\n|---|--:|--:|--:|--:|--:|--:|\n')
  for (const b of bootstraps) {
    const rows: Array<ReadonlyArray<number>> = []
    for (let i = 0; i < runs; i++) {
      const page = await openPage(CHROMIUM, pathToFileURL(html(b)).href, 1280, 900)
      try {
        const nav = await page.evaluate<{ dcl: number; load: number }>(`(function(){var n=performance.getEntriesByType('navigation')[0];return {dcl:n.domContentLoadedEventEnd,load:n.loadEventEnd}})()`)
        const m = await page.metrics()
        rows.push([nav.dcl, nav.load, (m['RecalcStyleDuration'] ?? 0) * 1000, (m['LayoutDuration'] ?? 0) * 1000, (m['ScriptDuration'] ?? 0) * 1000, (m['TaskDuration'] ?? 0) * 1000])
      } finally {
        await page.close()
      }
    }
    process.stdout.write(`| --bootstrap ${b} | ${rows[0]!.map((_, j) => ms(median(rows.map((r) => r[j]!)))).join(' | ')} |\n`)
  }
}

void main()
