/**
 * The shipped declarations as a user's TypeScript reads them: an ES module and a CommonJS consumer of every entry,
 * module node16, strict, skipLibCheck off (so an error inside dist/*.d.cts is the user's error too). Each checks
 * that values typed through `import` and `require` are the declared ones (not `any`: the `@ts-expect-error` lines
 * must find an error).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const needsBuild = !existsSync(`${root}dist/index.d.cts`) && process.env['CI'] !== 'true'
const entries = { T: '', A: '/assignment', S: '/stats', At: '/attribution', R: '/report', X: '/experiments', E: '/edge', N: '/node', O: '/openfeature', Q: '/sql', G: '/engines' }

const body = `
const assigned = A.assign({ userId: 'u' })
const normal = S.normalCdf()(1)
// @ts-expect-error a distribution function answers an Either, not a number
export const p: number = normal
// @ts-expect-error a unit is an object
A.assign(42)
export const same: typeof T.assign = E.assign
export const all = [assigned, ${Object.keys(entries).join(', ')}]
`

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(needsBuild)('the shipped declarations', () => {
  it('type-check in an ES module and a CommonJS consumer under node16, skipLibCheck off', () => {
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(root, join(dir, 'node_modules', 'touchpoint'), 'dir')
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    const compilerOptions = { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['esm.mts', 'cjs.cts'] }))
    const imports = Object.entries(entries)
    writeFileSync(join(dir, 'esm.mts'), imports.map(([n, p]) => `import * as ${n} from 'touchpoint${p}'`).join('\n') + body)
    writeFileSync(join(dir, 'cjs.cts'), imports.map(([n, p]) => `import ${n} = require('touchpoint${p}')`).join('\n') + body)
    let out = ''
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e)
    }
    expect(out.replaceAll(root, '')).toBe('')
  }, 120_000)
})
