/**
 * The end-to-end demo (`npm run demo`): every job of touchpoint on the data shipped in examples/.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { assign, decodeConfig, decodeConfigJson, designedSplit, formatError, previewChange, type Assigner } from 'touchpoint/assignment'
import { attribute, attributionRows, DEFAULT_SETTINGS } from 'touchpoint/attribution'
import { attributeWithDriver, duckDbFileSource, openDuckDb } from 'touchpoint/engines'
import { analyzeStatistics, buildReports, decodeMetricsJson, formatReports, logReducer, toStatistics } from 'touchpoint/experiments'
import { readAttributionFiles } from 'touchpoint/node'
import { ACTION_KINDS, buildReport, decodeStageMappingJson, formatReportHtml, parseCosts, parseSurveys, parseTouchpointExperiments, reduceCsvText, reportSettings } from 'touchpoint/report'
import { analyze, sampleSize, summarize } from 'touchpoint/stats'

const here = (name: string) => new URL(`./${name}`, import.meta.url)
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`
const heading = (text: string) => console.log(`\n${text}\n${'─'.repeat(text.length)}`)
const table = (rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)))
  for (const r of rows) console.log(`  ${r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('   ')}`)
}
const orExit = <A>(r: E.Either<{ readonly _tag: string }, A>, what: string): A => {
  if (E.isRight(r)) return r.right
  console.error(`${what}: ${formatError(r.left as Parameters<typeof formatError>[0])}`)
  process.exit(1)
}

// ── 1. Assignment ──────────────────────────────────────────────────────────────────────────────────────────
heading('1. Deterministic assignment: examples/experiments.json')
const configText = readFileSync(here('experiments.json'), 'utf8')
const assigner: Assigner = orExit(decodeConfigJson(configText), 'examples/experiments.json')
console.log(`Decoded ${assigner.experiments.length} experiments (config ${assigner.version}); 100,000 simulated visitors:`)

const countries = ['DE', 'DE', 'AT', 'CH', 'US', 'US', 'GB', 'FR', 'NL', 'US']
const visitors = Array.from({ length: 100_000 }, (_, i) => ({
  userId: `user-${i}`,
  deviceId: `device-${(i * 7919) % 100_003}`,
  country: countries[i % countries.length]!,
  orders: i % 3,
}))
const counts = new Map<string, Map<string, number>>()
for (const v of visitors) {
  for (const a of pipe(assigner, assign(v))) {
    const key = a._tag === 'Enrolled' ? a.variant : `(not enrolled: ${a.reason})`
    const perExperiment = counts.get(a.experiment) ?? new Map<string, number>()
    perExperiment.set(key, (perExperiment.get(key) ?? 0) + 1)
    counts.set(a.experiment, perExperiment)
  }
}
for (const x of assigner.experiments) {
  const c = counts.get(x.key)!
  const split = orExit(pipe(assigner, designedSplit(x.key)), x.key)
  const enrolled = split.reduce((s, v) => s + (c.get(v.variant) ?? 0), 0)
  console.log(`\n  ${x.key}  (unit: ${x.unit}${x.layer ? `, layer: ${x.layer}` : ''}${x.coverage < 1 ? `, coverage ${pct(x.coverage, 0)}` : ''})`)
  table([
    ['outcome', 'units', 'share of enrolled', 'designed'],
    ...split.map((v) => [v.variant, String(c.get(v.variant) ?? 0), pct((c.get(v.variant) ?? 0) / enrolled), pct(v.weight)]),
    ...[...c].filter(([k]) => k.startsWith('(')).map(([k, n]) => [k, String(n), '', '']),
  ])
}

heading('What a weight change would do')
const changed = orExit(
  decodeConfig({
    ...JSON.parse(configText),
    experiments: JSON.parse(configText).experiments.map((x: { key: string }) =>
      x.key === 'checkout-button' ? { ...x, variants: [{ key: 'control', weight: 0.2 }, { key: 'green', weight: 0.8 }] } : x,
    ),
  }),
  'changed config',
)
for (const p of pipe(changed, previewChange(assigner)).filter((p) => p.changed > 0)) {
  console.log(`  ${p.experiment}: 50/50 -> 20/80 moves ${pct(p.changed, 2)} of all units to another variant (of ${pct(p.enrolledBefore)} enrolled)`)
}
console.log('  Backfill logs with the CLI: npx touchpoint assign --config examples/experiments.json examples/units.csv')

// ── 2. Statistics ──────────────────────────────────────────────────────────────────────────────────────────
heading('2. Did the green button win? examples/checkout-results.csv')
const csvArms = readFileSync(here('checkout-results.csv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [name, units, conversions] = line.split(',')
  return { name: name!, units: Number(units), conversions: Number(conversions) }
})
// The designed split comes from the assignment config: a sample ratio mismatch would mean broken bucketing or logging.
const weights = orExit(pipe(assigner, designedSplit('checkout-button')), 'checkout-button').map((v) => v.weight)
const conversion = orExit(pipe({ arms: csvArms, weights }, analyze({ sequential: true })), 'examples/checkout-results.csv')
console.log(`Conversion:   ${summarize()(conversion)}`)
const revenue = orExit(pipe(JSON.parse(readFileSync(here('revenue-results.json'), 'utf8')), analyze()), 'examples/revenue-results.json')
console.log(`Revenue/user: ${summarize()(revenue)}`)
console.log('')
console.log(summarize({ format: 'markdown' })(conversion).replace(/^/gm, '  '))
const plan = orExit(sampleSize({ metric: { type: 'proportion', baseline: 0.1 }, dailyUnits: 5000 })({ mde: 0.05, relative: true }), 'plan')
console.log(`  Planning the next test: detecting a 5% relative lift on a 10% rate (alpha 5%, power 80%) takes ${plan.unitsPerArm.toLocaleString('en')} units per arm, ${plan.days} days at 5,000 a day.`)
console.log('  From the command line: npx touchpoint analyze examples/checkout-results.csv --markdown --sequential')

// ── 3. Attribution ─────────────────────────────────────────────────────────────────────────────────────────
heading('3. Which touchpoints earn the conversions: examples/paths.csv')
const models = ['first', 'last', 'linear', 'position', 'markov', 'shapley'] as const
// Streamed from the file by the reader `touchpoint attribute` uses; the partial it gives could be merged with other shards'.
const read = orExit(await readAttributionFiles()([fileURLToPath(here('paths.csv'))]), 'examples/paths.csv')
const attribution = orExit(pipe(read.partial, attribute({ models: [...models] })), 'examples/paths.csv')
const rows = [...attributionRows(attribution)].sort((a, b) => Number(b['markov_conversions']) - Number(a['markov_conversions']))
const totalConversions = rows.reduce((s, r) => s + Number(r['last_conversions']), 0)
console.log(`${rows.length} channels, ${totalConversions} conversions. Credit per model (conversions), sorted by the Markov model:`)
table([
  ['channel', ...models, 'removal effect'],
  ...rows.map((r) => [String(r['channel']), ...models.map((m) => Number(r[`${m}_conversions`]).toFixed(1)), pct(Number(r['markov_removal_effect']))]),
])
const top = rows[0]!
const leader = (model: string) => String([...rows].sort((a, b) => Number(b[`${model}_conversions`]) - Number(a[`${model}_conversions`]))[0]!['channel'])
console.log(`  First touch crowns ${leader('first')}, last touch ${leader('last')}; the Markov chain, which sees whole journeys, ranks ${top['channel']} first: without it ${pct(Number(top['markov_removal_effect']))} of conversions disappear.`)
console.log('  From the command line: npx touchpoint attribute examples/paths.csv --models first,last,linear,position,markov,shapley --format markdown')

// ── 3b. Where the data lives ──────────────────────────────────────────────────────────────────────────────
heading('3b. The same paths as Parquet, computed by DuckDB embedded: examples/paths.parquet')
// DuckDB (the optional @duckdb/node-api) runs touchpoint's SQL over the file and returns the partial result;
// touchpoint finishes it exactly as above. The same query runs on PostgreSQL, ClickHouse and six more dialects.
const db = orExit(await openDuckDb({ memoryLimit: '256MB' }), 'DuckDB')
const parquet = fileURLToPath(here('paths.parquet'))
const engineRun = await attributeWithDriver(db, { _tag: 'query', sql: orExit(duckDbFileSource([parquet], 'parquet'), 'examples/paths.parquet') }, {
  models: [...models],
  ...DEFAULT_SETTINGS,
  separator: '>',
  pathColumns: { path: 'path', conversions: 'total_conversions', value: 'total_conversion_value', nulls: 'total_null' },
  eventColumns: { user: 'user_id', time: 'timestamp', channel: 'channel', conversion: 'conversion', value: 'conversion_value' },
})
await db.close()
if (E.isLeft(engineRun)) {
  console.error(`examples/paths.parquet: ${formatError(engineRun.left)}`)
  process.exit(1)
}
const fromDuckDb = orExit(pipe(engineRun.right.result.partial, attribute({ models: [...models] })), 'examples/paths.parquet')
const worst = Math.max(
  ...attribution.channels.flatMap((c) => {
    const other = fromDuckDb.channels.find((d) => d.channel === c.channel)!
    return models.map((m) => Math.abs(c.credits[m]!.conversions - other.credits[m]!.conversions) / Math.max(1, c.credits[m]!.conversions))
  }),
)
console.log(`DuckDB read ${engineRun.right.result.partial.totals.rows} rows of Parquet and computed the partial result in SQL (${engineRun.right.sql.split('\n').length} lines, one query).`)
console.log(`Every model's credit equals the streaming reader's on the CSV: largest relative difference ${worst.toExponential(1)}.`)
console.log('  From the command line: npx touchpoint attribute examples/paths.parquet --format markdown (DuckDB is picked for Parquet)')
console.log('  For a warehouse: npx touchpoint sql attribute --dialect bigquery --table analytics.paths > attribution.sql')

// ── 4. Touchpoint report ───────────────────────────────────────────────────────────────────────────────────
heading('4. Touchpoint report: examples/events.csv with stages.json, costs.csv, surveys.csv and a display holdout')
const stages = orExit(decodeStageMappingJson(readFileSync(here('stages.json'), 'utf8')), 'examples/stages.json')
const costs = orExit(parseCosts(readFileSync(here('costs.csv'), 'utf8')), 'examples/costs.csv')
const satisfaction = orExit(parseSurveys(readFileSync(here('surveys.csv'), 'utf8')), 'examples/surveys.csv')
const experiments = orExit(parseTouchpointExperiments(JSON.parse(readFileSync(here('touchpoint-experiments.json'), 'utf8'))), 'examples/touchpoint-experiments.json')
const report = orExit(
  pipe(
    readFileSync(here('events.csv'), 'utf8'),
    reduceCsvText(reportSettings(DEFAULT_SETTINGS, { replicates: 200 })),
    E.flatMap(buildReport({ models: ['first', 'last', 'linear', 'time_decay', 'markov'], stages, costs, satisfaction, experiments })),
  ),
  'touchpoint report',
)
const reportFile = join(tmpdir(), 'touchpoint-report.html')
writeFileSync(reportFile, formatReportHtml(report, { currency: 'EUR' }))
console.log(`  ${report.totals.channels} touchpoints, ${report.totals.journeys} journeys. What to do (each beyond noise; alphabetical, not ranked):`)
for (const kind of ACTION_KINDS) {
  const channels = report.actions.filter((a) => a._tag === kind).map((a) => a.channel)
  if (channels.length > 0) console.log(`    ${{ Scale: 'scale up', Cut: 'cut or renegotiate', Fix: 'fix the experience', Test: 'test it' }[kind].padEnd(20)}${channels.join(', ')}`)
}
console.log(`  HTML report (charts, no network) written to ${reportFile}: open it in a browser`)
console.log('  From the command line: npx touchpoint report examples/events.csv --stages examples/stages.json --costs examples/costs.csv --surveys examples/surveys.csv --experiments examples/touchpoint-experiments.json -o report.html')

// ── 5. Experiments from raw logs ───────────────────────────────────────────────────────────────────────────
heading('5. From raw logs: examples/experiment-exposures.csv, experiment-events.csv.gz, metrics.json')
const metricsFile = orExit(decodeMetricsJson(readFileSync(here('metrics.json'), 'utf8')), 'examples/metrics.json')
// These two files hold no quoted cells, so a split on commas reads them; the CLI reads any CSV or JSON lines.
const csvRecords = (text: string) => {
  const [header, ...lines] = text.trim().split('\n')
  const names = header!.split(',')
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, j) => [names[j]!, cell])))
}
const exposureLog = orExit(logReducer({ metrics: metricsFile }), 'logReducer')
for (const r of csvRecords(readFileSync(here('experiment-exposures.csv'), 'utf8'))) {
  exposureLog.push({ unit: r['unit_id']!, experiment: r['experiment']!, variant: r['variant']!, time: Date.parse(r['timestamp']!), dimension: '' })
}
const eventLog = exposureLog.done()
const valueColumns = metricsFile.valueColumns
for (const r of csvRecords(gunzipSync(readFileSync(here('experiment-events.csv.gz'))).toString('utf8'))) {
  eventLog.push({ unit: r['unit_id']!, time: Date.parse(r['timestamp']!), event: r['event']!, values: valueColumns.map((c) => (r[c] === '' || r[c] === undefined ? undefined : Number(r[c]))) })
}
const logSums = eventLog.done()
const split = designedSplit('checkout-button')(assigner)
const logStatistics = orExit(toStatistics(metricsFile, { designs: E.isLeft(split) ? {} : { 'checkout-button': split.right } })(logSums.rows), 'examples/experiment-*.csv')
const purchased = logStatistics.find((s) => s.metric === 'purchased')!
console.log(`  ${purchased.arms.map((a) => `${a.name}: ${a.units} units`).join(', ')}; ${purchased.multipleExposures} units saw both variants and are left out`)
console.log(formatReports('text')(orExit(pipe(analyzeStatistics(metricsFile)(logStatistics), E.flatMap(buildReports())), 'analyzeStatistics')).trimEnd().replace(/^/gm, '  '))
console.log('  From the command line (also --dimension country, --sequential, --markdown, --stats-only --json):')
console.log('  npx touchpoint analyze --exposures examples/experiment-exposures.csv --events examples/experiment-events.csv.gz \\')
console.log('    --metrics examples/metrics.json --config examples/experiments.json')
