/**
 * The CommonJS build (dist/*.cjs) against the ES module build (dist/*.js): its entries share chunks as the ES
 * modules do, so a value reached through two entries is one value (one copy of the code shipped, and a codec or
 * class from `touchpoint` is the one from `touchpoint/stats`), and what it computes is what the ES modules compute.
 * tsup.config.ts says why the CommonJS build is split.
 */
import { fc, test } from '@fast-check/vitest'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const entries = ['index', 'assignment', 'stats', 'attribution', 'report', 'experiments', 'edge', 'node', 'openfeature', 'sql', 'engines'] as const
type Module = Readonly<Record<string, unknown>>

const built = existsSync(`${root}dist/index.cjs`)
const needsBuild = !built && process.env['CI'] !== 'true'

let cjs: Readonly<Record<string, Module>>
let esm: Readonly<Record<string, Module>>
beforeAll(async () => {
  if (needsBuild) return
  const require = createRequire(import.meta.url)
  cjs = Object.fromEntries(entries.map((e) => [e, require(`${root}dist/${e}.cjs`) as Module]))
  esm = Object.fromEntries(await Promise.all(entries.map(async (e) => [e, (await import(/* @vite-ignore */ pathToFileURL(`${root}dist/${e}.js`).href)) as Module] as const)))
})

/** Every pair of entries that export the same name, with whether the two values are one object. */
const sharing = (build: Readonly<Record<string, Module>>) => {
  const pairs: Array<string> = []
  for (const [i, a] of entries.entries())
    for (const b of entries.slice(i + 1))
      for (const name of Object.keys(build[a]!))
        if (name in build[b]! && typeof build[a]![name] === 'function') pairs.push(`${a}.${name} ${build[a]![name] === build[b]![name] ? '===' : '!=='} ${b}.${name}`)
  return pairs.sort()
}

describe.skipIf(needsBuild)('the CommonJS build', () => {
  it('shares what the ES module build shares: a function exported by two entries is one function', () => {
    const shared = sharing(esm)
    expect(shared.filter((p) => p.includes(' === ')).length).toBeGreaterThan(100) // index re-exports most entries
    expect(sharing(cjs)).toEqual(shared)
  })

  it('exports functions of the same arity and the same constants as the ES module build', () => {
    for (const e of entries)
      for (const [name, value] of Object.entries(esm[e]!)) {
        const other = cjs[e]![name]
        expect(typeof other, `${e}.${name}`).toBe(typeof value)
        if (typeof value === 'function') expect((other as (...a: ReadonlyArray<unknown>) => unknown).length, `${e}.${name}`).toBe(value.length)
        else expect(JSON.stringify(other), `${e}.${name}`).toBe(JSON.stringify(value))
      }
  })

  type Config = { experiments: ReadonlyArray<{ key: string; unit: string; variants: ReadonlyArray<{ key: string; weight: number }> }> }
  const assignWith = (m: Module, config: Config, userId: string) => {
    const assigner = (m['decodeConfig'] as (c: unknown) => { _tag: string; right?: unknown })(config)
    return assigner._tag === 'Right' ? (m['assign'] as (u: object) => (a: unknown) => unknown)({ userId })(assigner.right) : assigner
  }

  test.prop([
    fc.string(),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom(...(['index', 'assignment', 'edge', 'node'] as const)),
  ])('assigns every unit to the variant the ES module build assigns it to', (userId, weights, entry) => {
    const total = weights.reduce((a, b) => a + b, 0)
    const config: Config = { experiments: [{ key: 'e', unit: 'userId', variants: weights.map((w, i) => ({ key: `v${i}`, weight: total > 0 ? w / total : 1 / weights.length })) }] }
    expect(assignWith(cjs[entry]!, config, userId)).toEqual(assignWith(esm[entry]!, config, userId))
  })

  test.prop([fc.double(), fc.constantFrom(...(['index', 'stats'] as const))])('computes the normal distribution the ES module build computes', (x, entry) => {
    const cdf = (m: Module) => (m['normalCdf'] as () => (x: number) => unknown)()(x)
    expect(cdf(cjs[entry]!)).toEqual(cdf(esm[entry]!))
  })
})
