/**
 * What `npm publish` would upload, from `npm pack --dry-run --json` over the built package: a LICENSE matching
 * package.json's, no source maps, each declaration once, at most 1 MB packed, the docs the README links to, and
 * links that resolve from the registry page (scripts/docs/links.ts says why they are absolute).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { esmTypesOf } from '../../scripts/build/esmTypes'
import { CDN, linkTargets, packageLinks, packageName, packageVersion } from '../../scripts/docs/links'
import { ROOT } from '../../scripts/docs/snippets'

interface Packed {
  readonly size: number
  readonly unpackedSize: number
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>
}

/** 1 MB as npm prints sizes (1000-based). */
const PACKED_BUDGET = 1_000_000

let packed: Packed
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('build first: npm run build')
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  packed = (JSON.parse(out) as ReadonlyArray<Packed>)[0]!
}, 120_000)

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; bin: Record<string, string>; exports: unknown }
const paths = () => packed.files.map((f) => f.path)

describe('the published package', () => {
  it('ships an MIT LICENSE, as package.json says', () => {
    expect(pkg.license).toBe('MIT')
    expect(paths()).toContain('LICENSE')
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted, free of charge/)
  })

  it(`ships no source maps and packs to at most ${PACKED_BUDGET / 1e6} MB`, () => {
    expect(paths().filter((p) => p.endsWith('.map'))).toEqual([])
    const biggest = [...packed.files].sort((a, b) => b.size - a.size).slice(0, 5).map((f) => `${f.path} ${f.size}`)
    expect(packed.size, `packed ${packed.size} bytes (unpacked ${packed.unpackedSize}); largest: ${biggest.join(', ')}`).toBeLessThanOrEqual(PACKED_BUDGET)
  })

  it('ships every file its exports map and bin name', () => {
    const named = JSON.stringify(pkg.exports).match(/\.\/dist\/[\w.-]+/g) ?? []
    for (const p of [...named, ...Object.values(pkg.bin)]) expect(paths()).toContain(p.replace(/^\.\//, ''))
    expect(paths()).toContain('dist/pipeline-worker.js') // started by sharded reads (`attribute`/`report --workers`) beside the bundle that reads
  })

  it('ships each declaration once: every import types file re-exports its require types file (scripts/build/esmTypes.ts)', () => {
    const entries = Object.values(pkg.exports as Record<string, string | { import?: { types?: string }; require?: { types?: string } }>).flatMap((e) =>
      typeof e === 'object' && e.import?.types !== undefined && e.require?.types !== undefined ? [[e.import.types, e.require.types] as const] : [],
    )
    expect(entries.length).toBeGreaterThanOrEqual(11)
    for (const [esm, cjs] of entries) {
      const entry = /^\.\/dist\/([\w-]+)\.d\.ts$/.exec(esm)?.[1]
      expect(cjs, esm).toBe(`./dist/${entry}.d.cts`)
      expect(readFileSync(join(ROOT, esm), 'utf8'), esm).toBe(esmTypesOf(entry!))
    }
    expect(paths().filter((p) => p.endsWith('.d.ts')).sort()).toEqual(entries.map(([esm]) => esm.slice(2)).sort())
  })

  it('ships the docs, and the README links to them as they resolve from the registry page', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const links = linkTargets(readme)
    const base = `${CDN}${packageName()}@${packageVersion()}/`
    // npmjs.com leaves a relative link relative to its own page unless `repository` names a GitHub repository.
    const relative = links.filter((l) => !/^(https?:|mailto:|#)/.test(l.target))
    expect(relative.map((l) => `README.md:${l.line}: ${l.target}`), 'run npm run docs').toEqual([])
    const ours = links.filter((l) => l.target.startsWith(CDN))
    expect(ours.length).toBeGreaterThanOrEqual(8)
    for (const l of ours) {
      expect(l.target.startsWith(base), `README.md:${l.line}: ${l.target} is not this version's (npm run docs)`).toBe(true)
      expect(paths(), `README.md:${l.line}: ${l.target}`).toContain(l.target.slice(base.length))
    }
    expect(packageLinks(readme, packageVersion())).toBe(readme)
  })
})

describe('packageLinks', () => {
  it('points relative and other-version links to docs/ at this version, and nothing else', () => {
    const text = '[guide](docs/stats.md) ![chart](./docs/report.png) [old](https://cdn.jsdelivr.net/npm/touchpoint@0.0.9/docs/unleash.md) [site](https://example.com/docs/x.md) [src](src/index.ts)'
    expect(packageLinks(text, '1.2.3', 'touchpoint')).toBe(
      '[guide](https://cdn.jsdelivr.net/npm/touchpoint@1.2.3/docs/stats.md) ![chart](https://cdn.jsdelivr.net/npm/touchpoint@1.2.3/docs/report.png) [old](https://cdn.jsdelivr.net/npm/touchpoint@1.2.3/docs/unleash.md) [site](https://example.com/docs/x.md) [src](src/index.ts)',
    )
  })
})
