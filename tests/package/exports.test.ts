/**
 * The public names of every entry, snapshotted (h3's test/unit/package.test.ts habit): adding or removing an
 * export shows up in review as a snapshot change. The built package must offer the same names through both
 * `import` and `require`.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const entries = {
  index: '../../src/index',
  assignment: '../../src/assignment/index',
  stats: '../../src/stats/index',
  attribution: '../../src/attribution/index',
  report: '../../src/report/index',
  experiments: '../../src/experiments/index',
  edge: '../../src/edge',
  node: '../../src/adapters/node',
  openfeature: '../../src/openfeature/index',
  sql: '../../src/sql/index',
  engines: '../../src/engines/index',
} as const

const namesOf = (module: object) => Object.keys(module).sort()

describe('package exports', () => {
  it.each(Object.entries(entries))('%s exports the snapshotted names', async (name, path) => {
    expect(namesOf(await import(/* @vite-ignore */ path))).toMatchSnapshot(name)
  })

  it.skipIf(!existsSync(`${root}dist/index.js`) && process.env['CI'] !== 'true')('dist offers the same names to import and require', async () => {
    const require = createRequire(import.meta.url)
    for (const [name, path] of Object.entries(entries)) {
      const source = namesOf(await import(/* @vite-ignore */ path))
      const esm = namesOf(await import(/* @vite-ignore */ pathToFileURL(`${root}dist/${name}.js`).href))
      const cjs = namesOf(require(`${root}dist/${name}.cjs`) as object)
      expect({ name, esm }).toEqual({ name, esm: source })
      expect({ name, cjs }).toEqual({ name, cjs: source })
    }
  })

  it.skipIf(!existsSync(`${root}dist/index.js`) && process.env['CI'] !== 'true')('nothing shipped loads a dev tool at run time (tsx, vitest, esbuild)', () => {
    const bundles = readdirSync(`${root}dist`).filter((f) => /\.(c?js)$/.test(f))
    expect(bundles).toContain('pipeline-worker.js')
    for (const f of bundles) {
      const text = readFileSync(`${root}dist/${f}`, 'utf8')
      expect(text, f).not.toMatch(/(require\(|import\(|from )\s*['"`](tsx|vitest|esbuild)\b/)
      expect(text, f).not.toMatch(/['"`]tsx\/(cjs|esm)/)
    }
  })
})
