import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { assignTo, decodeConfig } from '../../src/assignment/index'
import { cli } from '../_cli'

let dir = ''
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
const config = {
  experiments: [
    { key: 'checkout-button', unit: 'userId', variants: [{ key: 'control' }, { key: 'green' }] },
    { key: 'pricing', unit: 'userId', targeting: [{ attribute: 'country', equals: 'DE' }], variants: [{ key: 'a' }, { key: 'b' }] },
  ],
}
let configPath = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-assign-'))
  configPath = file('config.json', JSON.stringify(config))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)

describe('touchpoint assign', () => {
  it('writes one JSON line per unit and experiment, matching the library', async () => {
    const units = file('units.csv', 'userId,country\nu-1,DE\n"u,2",US\n')
    const r = await cli(['assign', '--config', configPath, units])
    expect(r.code).toBe(0)
    const out = lines(r.stdout)
    expect(out).toHaveLength(4)
    const assigner = decodeConfig(config)
    if (E.isLeft(assigner)) throw new Error('config')
    const expected = pipe(assigner.right, assignTo('checkout-button', { userId: 'u,2' }))
    expect(out[2]).toMatchObject({ line: 3, experiment: 'checkout-button', unitId: 'u,2', enrolled: true, variant: expected._tag === 'Enrolled' ? expected.variant : '' })
    expect(out[3]).toEqual({ line: 3, experiment: 'pricing', unit: 'userId', unitId: 'u,2', enrolled: false, reason: 'targeting' })
  })

  it('reads JSONL from standard input, bare ids included, with --enrolled-only and --experiment', async () => {
    const r = await cli(['assign', '-c', configPath, '--enrolled-only', '-e', 'pricing', '--id-attribute', 'userId'], '{"userId":"u-1","country":"DE"}\n"u-2"\n')
    expect(r.code).toBe(0)
    expect(lines(r.stdout).map((l) => [l['experiment'], l['unitId']])).toEqual([['pricing', 'u-1']])
  })

  it('a bad line stops with its line number and writes nothing', async () => {
    const units = file('bad.jsonl', '{"userId":"u-1"}\n{"userId": [1]}\n{"userId":"u-3"}\n')
    const out = join(dir, 'out.jsonl')
    const r = await cli(['assign', '-c', configPath, units, '-o', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${units}:2: userId: expected a string, number, boolean or null, got [1]`)
    expect(existsSync(out)).toBe(false)
    expect(r.stdout).toBe('')
  })

  it('--on-error skip goes on and reports what it skipped', async () => {
    const units = file('skip.csv', 'userId,country\nu-1,DE\nu-2\nu-3,"D"E\nu-4,D"E\nu-5,"multi\nline"\n')
    const out = join(dir, 'skip-out.jsonl')
    const r = await cli(['assign', '-c', configPath, units, '-o', out, '--on-error', 'skip'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/skipped 3 bad lines/)
    expect(r.stderr).toContain(`${units}:3: expected 2 fields (userId, country), got 1`)
    expect(r.stderr).toContain(`${units}:4: text after the closing quote of field 2`)
    expect(r.stderr).toContain(`${units}:5: a quote inside an unquoted field (field 2)`)
    // u-1 and the two-line record of u-5, which starts on line 6: two experiments each.
    expect(lines(readFileSync(out, 'utf8')).map((l) => [l['line'], l['unitId']])).toEqual([[2, 'u-1'], [2, 'u-1'], [6, 'u-5'], [6, 'u-5']])
  })

  it('an invalid config is reported with paths, exit 1', async () => {
    const bad = file('bad-config.json', JSON.stringify({ experiments: [{ key: 'x', variants: [{ key: 'a', weight: 2 }] }] }))
    const r = await cli(['assign', '-c', bad, file('u.jsonl', '"u"\n')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('experiments[0].variants[0].weight: expected a number in [0, 1], got 2')
  })

  it('usage errors exit 2 with help; --help exits 0', async () => {
    expect((await cli(['assign'])).code).toBe(2)
    expect((await cli(['assign', '--nope'])).stderr).toMatch(/Unknown option/)
    const help = await cli(['assign', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: touchpoint assign/)
    expect((await cli(['frobnicate'])).code).toBe(2)
  })
})

describe('touchpoint validate and preview', () => {
  it('validate summarises a valid config and exits 0', async () => {
    const r = await cli(['validate', configPath])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('checkout-button [running] unit userId: control 50%, green 50%')
  })

  it('validate lists every problem of an invalid config and exits 1', async () => {
    const bad = file('invalid.json', JSON.stringify({ experiments: [{ key: 'x', variants: [{ key: 'a', weight: 0.7 }, { key: 'a', weight: 0.7 }] }] }))
    const r = await cli(['validate', bad])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('experiments[0].variants[1].key: expected a variant key not already used by experiments[0].variants[0], got "a"')
    expect(r.stderr).toContain('experiments[0].variants: expected weights that sum to 1 (these sum to 1.4), got [0.7,0.7]')
  })

  it('preview reports the share of units a weight change moves', async () => {
    const after = file('after.json', JSON.stringify({ experiments: [{ ...config.experiments[0], variants: [{ key: 'control', weight: 0.2 }, { key: 'green', weight: 0.8 }] }, config.experiments[1]] }))
    const r = await cli(['preview', configPath, after, '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as Array<{ experiment: string; switched: number; changed: number }>
    expect(rows.find((x) => x.experiment === 'checkout-button')!.switched).toBeCloseTo(0.3, 10)
    expect(rows.find((x) => x.experiment === 'pricing')!.changed).toBe(0)
    expect((await cli(['preview', configPath])).code).toBe(2)
  })
})
