/**
 * The OpenFeature examples, run as their header comments say: the Node service over HTTP, the browser app bundled
 * for the browser and loaded in headless Chromium (Debian's chromium package). Both import the built package
 * (skipped before `npm run build`, except under CI=true, which builds first).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { compileConfig } from '../../src/assignment/decode'

const root = resolve(__dirname, '../..')
const built = existsSync(join(root, 'dist/openfeature.js'))
const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium'

describe('OpenFeature examples', () => {
  it('examples/openfeature-browser/flags.compiled.json is what touchpoint compile makes of examples/flags.json', () => {
    const fresh = compileConfig(JSON.parse(readFileSync(join(root, 'examples/flags.json'), 'utf8')))
    expect(fresh).toEqual({ _tag: 'Right', right: JSON.parse(readFileSync(join(root, 'examples/openfeature-browser/flags.compiled.json'), 'utf8')) })
  })

  it.skipIf(!built && process.env['CI'] !== 'true')('openfeature-node.ts: flags with values, reasons, exposures and a tracked purchase', () => {
    const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['examples/openfeature-node.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, RUN_ONCE: '1', PORT: '0' } })
    const out = `${r.stdout}${r.stderr}`
    expect(r.status, out).toBe(0)
    // qa-anna is overridden into the new checkout; in DE the threshold experiment applies.
    expect(out).toMatch(/\{"checkout":true,"reason":"TARGETING_MATCH","variant":"on","color":"(grey|green)","threshold":(50|30)\}/)
    // u-42 in FR: the threshold experiment's targeting keeps them out, so the default 100.
    expect(out).toMatch(/\{"checkout":(true|false),"reason":"SPLIT","variant":"(on|off)","color":"(grey|green)","threshold":100\}/)
    expect(out).toMatch(/exposure \{"experiment":"new-checkout","variant":"on",.*"unitId":"qa-anna",.*"timestamp":"\d{4}-\d\d-\d\dT/)
    expect(out).toMatch(/event \{"unit_id":"u-42","timestamp":"[^"]+","event":"purchase","value":59.9\}/)
  })

  it.skipIf((!built || !existsSync(CHROMIUM)) && process.env['CI'] !== 'true')('openfeature-browser: the web provider in headless Chromium renders the hero flag and logs its exposure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-of-browser-'))
    try {
      const bundle = await build({
        entryPoints: [join(root, 'examples/openfeature-browser/app.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      })
      const script = bundle.outputFiles[0]!.text.replace(/<\/script/g, '<\\/script')
      const html = readFileSync(join(root, 'examples/openfeature-browser/index.html'), 'utf8').replace('<script type="module" src="./app.js"></script>', `<script type="module">${script}</script>`)
      writeFileSync(join(dir, 'index.html'), html)
      const profile = join(dir, 'profile')
      const dom = execFileSync(
        CHROMIUM,
        ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${profile}`, '--virtual-time-budget=5000', '--dump-dom', `file://${join(dir, 'index.html')}`],
        { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      expect(dom).toMatch(/<h1>Welcome!?<\/h1>/)
      expect(dom).toMatch(/data-exposures="hero=(control|big)"/)
      expect(dom).toMatch(/data-device="[0-9a-f-]{36}"/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('README', () => {
  it.skipIf(!built && process.env['CI'] !== 'true')('the five-line OpenFeature sample runs as written', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Feature flags through OpenFeature'))
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!
    // Five lines: two imports, a blank one, setting the provider, reading the flag.
    expect(code.trimEnd().split('\n')).toHaveLength(5)
    const imports = /^(?:import .*\n)+/.exec(code)![0]
    const configText = readFileSync(join(root, 'examples/flags.json'), 'utf8')
    const file = join(root, 'tests/openfeature/.readme-sample.ts')
    writeFileSync(file, `${imports}const configText = ${JSON.stringify(configText)}\n${code.slice(imports.length)}console.log(JSON.stringify({ newCheckout }))\nawait OpenFeature.close()\n`)
    try {
      const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [file], { cwd: root, encoding: 'utf8', timeout: 60_000 })
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
      expect(r.stdout).toMatch(/^\{"newCheckout":(true|false)\}$/m)
    } finally {
      rmSync(file, { force: true })
    }
  })
})
