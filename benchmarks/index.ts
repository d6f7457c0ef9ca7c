/**
 * Runs every benchmarks/<area>.bench.ts (or those named on the command line: `npm run bench -- assignment stats`),
 * each in its own process so one area's warm-up and garbage do not skew another's.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const wanted = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; available: ${readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).join(', ')}`)
  process.exit(2)
}
console.log(`node ${process.version}, ${new Date().toISOString()}; medians per call, ratios against each table's baseline`)
let failed = 0
for (const file of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `${dir}${file}`], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    console.error(`${file} exited with ${r.status}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
