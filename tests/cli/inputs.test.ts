/**
 * What the commands read: duplicate JSON keys, byte order marks, invalid UTF-8, compiled configs, skip mode that
 * skipped everything, repeated and conflicting flags. Each case runs the built command in its own process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnCli } from '../_cli'

let dir = ''
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-inputs-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BOM = '\uFEFF'
const experiment = (key: string) => `{ "key": "${key}", "unit": "userId", "variants": [{ "key": "a" }, { "key": "b" }] }`
/** `experiments` twice: JSON.parse keeps the second and the first experiment vanishes. */
const twiceConfig = `{\n  "experiments": [${experiment('first')}],\n  "experiments": [${experiment('second')}]\n}\n`

describe('duplicate keys in JSON are an error naming the key, its path and line', () => {
  it('validate and compile', async () => {
    const config = file('twice.json', twiceConfig)
    const v = await spawnCli(['validate', config])
    expect(v.code).toBe(1)
    expect(v.stderr).toContain(`${config}:3`)
    expect(v.stderr).toContain('experiments')
    expect(v.stderr).toMatch(/twice|duplicate/)
    const c = await spawnCli(['compile', config])
    expect(c.code).toBe(1)
    expect(c.stdout).toBe('')
    expect(c.stderr).toContain(`${config}:3`)
  })

  it('nested: the path names where the second key sits', async () => {
    const config = file('nested.json', `{"experiments": [{ "key": "x", "unit": "userId", "variants": [{ "key": "a", "key": "b" }, { "key": "c" }] }]}`)
    const v = await spawnCli(['validate', config])
    expect(v.code).toBe(1)
    expect(v.stderr).toContain('experiments[0].variants[0].key')
  })

  it('report --stages', async () => {
    const stages = file('stages.json', '{\n"store": "decision",\n"store": "purchase"\n}')
    const r = await spawnCli(['report', 'examples/paths.csv', '--stages', stages, '-f', 'json', '--bootstrap', '0'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${stages}:3`)
    expect(r.stderr).toContain('store')
    expect(r.stdout).toBe('')
  })

  it('analyze JSON, from a file and from standard input', async () => {
    const text = '{"arms": [{"name": "A", "units": 1000, "conversions": 100, "units": 2000}, {"name": "B", "units": 1000, "conversions": 120}]}'
    const a = await spawnCli(['analyze', file('arms.json', text)])
    expect(a.code).toBe(1)
    expect(a.stderr).toContain('arms[0].units')
    const s = await spawnCli(['analyze', '-'], { stdin: text })
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('<stdin>:1')
    expect(s.stderr).toContain('arms[0].units')
  })

  it('assign: a JSONL unit with a key twice is a bad line', async () => {
    const config = file('config.json', `{"experiments": [${experiment('x')}]}`)
    const r = await spawnCli(['assign', '-c', config, '-f', 'jsonl'], { stdin: '{"userId": "u-1"}\n{"userId": "u-2", "userId": "u-3"}\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('<stdin>:2')
    expect(r.stderr).toContain('userId')
  })
})

describe('compiled configs are configs', () => {
  it('validate, assign and preview take the output of compile', async () => {
    const compiled = join(dir, 'compiled.json')
    expect((await spawnCli(['compile', 'examples/experiments.json', '-o', compiled])).code).toBe(0)
    const v = await spawnCli(['validate', compiled])
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain('3 experiments')
    const raw = await spawnCli(['assign', '-c', 'examples/experiments.json', 'examples/units.csv'])
    const fromCompiled = await spawnCli(['assign', '-c', compiled, 'examples/units.csv'])
    expect(fromCompiled.code, fromCompiled.stderr).toBe(0)
    expect(fromCompiled.stdout).toBe(raw.stdout)
    const p = await spawnCli(['preview', 'examples/experiments.json', compiled, '--json'])
    expect(p.code, p.stderr).toBe(0)
    expect((JSON.parse(p.stdout) as Array<{ changed: number }>).every((c) => c.changed === 0)).toBe(true)
  })

  it('a compiled config edited by hand is refused (its checksum no longer matches)', async () => {
    const compiled = JSON.parse(readFileSync('examples/edge-experiments.compiled.json', 'utf8')) as { config: { version: string } }
    compiled.config.version = 'edited'
    const v = await spawnCli(['validate', file('edited.json', JSON.stringify(compiled))])
    expect(v.code).toBe(1)
    expect(v.stderr).toContain('checksum')
  })
})

describe('a byte order mark is read the same everywhere', () => {
  it('config, compiled config, stages, analyze JSON and CSV, units JSONL and CSV', async () => {
    const config = file('bom-config.json', BOM + readFileSync('examples/experiments.json', 'utf8'))
    expect((await spawnCli(['validate', config])).code).toBe(0)
    const compiled = file('bom-compiled.json', BOM + (await spawnCli(['compile', config])).stdout)
    expect((await spawnCli(['validate', compiled])).code).toBe(0)
    expect((await spawnCli(['preview', config, compiled])).code).toBe(0)
    const stages = file('bom-stages.json', `${BOM}{"store": "decision"}`)
    expect((await spawnCli(['report', 'examples/paths.csv', '--stages', stages, '-f', 'json', '--bootstrap', '0'])).code).toBe(0)
    expect((await spawnCli(['analyze', file('bom-arms.json', `${BOM}{"arms": [{"name": "A", "units": 1000, "conversions": 100}, {"name": "B", "units": 1000, "conversions": 120}]}`)])).code).toBe(0)
    expect((await spawnCli(['analyze', file('bom-arms.csv', `${BOM}arm,units,conversions\nA,1000,100\nB,1000,120\n`)])).code).toBe(0)
    const jsonl = await spawnCli(['assign', '-c', config, file('bom-units.jsonl', `${BOM}{"userId": "u-1"}\n`)])
    expect(jsonl.code, jsonl.stderr).toBe(0)
    const csv = await spawnCli(['assign', '-c', config, file('bom-units.csv', `${BOM}userId\nu-1\n`)])
    const withoutLine = (out: string) => out.replace(/"line":\d+,/g, '')
    expect(withoutLine(csv.stdout)).toBe(withoutLine(jsonl.stdout))
    expect(jsonl.stdout).toContain('"unitId":"u-1"')
  })
})

describe('invalid UTF-8 is an error naming file and line, or replaced when asked', () => {
  const bad = Buffer.from([0x62, 0xff, 0xfe]) // "b" then two bytes no UTF-8 text holds
  const csv = Buffer.concat([Buffer.from('userId,country\nu-1,DE\nu-'), bad, Buffer.from(',DE\nu-3,AT\n')])

  it('assign: a units file, and standard input', async () => {
    const units = file('bad-utf8.csv', csv)
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', units])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${units}:3`)
    expect(r.stderr).toMatch(/UTF-8/)
    expect(r.stdout).toBe('')
    const s = await spawnCli(['assign', '-c', 'examples/experiments.json', '-f', 'csv'], { stdin: csv })
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('<stdin>:3')
  })

  it('assign --replace-invalid-utf8: U+FFFD, and a count on standard error', async () => {
    const units = file('bad-utf8-2.csv', csv)
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', units, '--replace-invalid-utf8'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('"unitId":"u-b\uFFFD\uFFFD"')
    expect(r.stderr).toContain('replaced 2 invalid UTF-8 sequences')
    expect(r.stderr).toContain(`${units}:3`)
  })

  it('a character cut by the 64 KB read boundary is not an error', async () => {
    // "€" is three bytes; put it across byte 65536.
    const head = 'userId\n'
    const pad = 'u'.repeat(65536 - head.length - 1)
    const units = file('boundary.csv', `${head}${pad}€\nu-2\n`)
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', units])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`${pad}€`)
  })

  it('validate, compile, preview (configs) and analyze (CSV and JSON)', async () => {
    const config = file('bad-utf8.json', Buffer.concat([Buffer.from('{\n  "version": "'), bad, Buffer.from('",\n  "experiments": []\n}\n')]))
    for (const argv of [['validate', config], ['compile', config], ['preview', config, config]]) {
      const r = await spawnCli(argv)
      expect(r.code, argv.join(' ')).toBe(1)
      expect(r.stderr).toContain(`${config}:2`)
      expect(r.stderr).toMatch(/UTF-8/)
    }
    const arms = file('bad-utf8-arms.csv', Buffer.concat([Buffer.from('arm,units,conversions\nA,1000,100\n'), bad, Buffer.from(',1000,120\n')]))
    const a = await spawnCli(['analyze', arms])
    expect(a.code).toBe(1)
    expect(a.stderr).toContain(`${arms}:3`)
    const armsJson = file('bad-utf8-arms.json', Buffer.concat([Buffer.from('{"arms": [{"name": "A", "units": 1000, "conversions": 100},\n{"name": "'), bad, Buffer.from('", "units": 1000, "conversions": 120}]}')]))
    const j = await spawnCli(['analyze', armsJson])
    expect(j.code).toBe(1)
    expect(j.stderr).toContain(`${armsJson}:2`)
  })

  it('report --stages and --costs', async () => {
    const stages = file('bad-utf8-stages.json', Buffer.concat([Buffer.from('{\n"store": "decision",\n"'), bad, Buffer.from('": "purchase"\n}')]))
    const s = await spawnCli(['report', 'examples/paths.csv', '--stages', stages, '-f', 'json', '--bootstrap', '0'])
    expect(s.code).toBe(1)
    expect(s.stderr).toContain(`${stages}:3: invalid UTF-8`)
    const costs = file('bad-utf8-costs.csv', Buffer.concat([Buffer.from('channel,cost\nvideo,12\n'), bad, Buffer.from(',3\n')]))
    const c = await spawnCli(['report', 'examples/paths.csv', '--costs', costs, '-f', 'json', '--bootstrap', '0'])
    expect(c.code).toBe(1)
    expect(c.stderr).toContain(`${costs}:3: invalid UTF-8`)
  })
})

describe('skip mode that skipped every line fails', () => {
  it('assign --on-error skip with no good line: exit 1, nothing written', async () => {
    const out = join(dir, 'never.jsonl')
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', '-f', 'jsonl', '--on-error', 'skip', '-o', out], { stdin: '[1]\n[2]\n{"userId": [3]}\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('skipped 3 bad lines')
    expect(r.stderr).toMatch(/every line|no good line|all 3/)
    expect(() => readFileSync(out)).toThrow()
  })

  it('an empty input is not a failure', async () => {
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', '-f', 'jsonl', '--on-error', 'skip'], { stdin: '' })
    expect(r.code, r.stderr).toBe(0)
  })
})

describe('a repeated single-value flag or conflicting flags are usage errors, in every command', () => {
  it.each([
    ['assign', ['assign', '-c', 'examples/experiments.json', '--format', 'csv', '--format', 'jsonl', 'examples/units.csv'], '--format'],
    ['assign (short and long)', ['assign', '-c', 'examples/experiments.json', '-c', 'examples/experiments.json', 'examples/units.csv'], '--config'],
    ['analyze', ['analyze', 'examples/checkout-results.csv', '--level', '0.9', '--level', '0.95'], '--level'],
    ['report', ['report', 'examples/paths.csv', '-f', 'json', '-f', 'html'], '--format'],
    ['attribute', ['attribute', 'examples/paths.csv', '--order', '1', '--order', '2'], '--order'],
    ['compile', ['compile', 'examples/experiments.json', '-o', join(tmpdir(), 'touchpoint-never-a.json'), '-o', join(tmpdir(), 'touchpoint-never-b.json')], '--output'],
  ] as const)('%s', async (_, argv, flag) => {
    const r = await spawnCli(argv)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(flag)
    expect(r.stderr).toMatch(/more than once|twice/)
    expect(r.stdout).toBe('')
  })

  it('repeatable flags stay repeatable', async () => {
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', '-e', 'checkout-button', '-e', 'express-checkout', 'examples/units.csv'])
    expect(r.code, r.stderr).toBe(0)
  })

  it('analyze --markdown --json', async () => {
    const r = await spawnCli(['analyze', 'examples/checkout-results.csv', '--markdown', '--json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--markdown')
    expect(r.stderr).toContain('--json')
    expect(r.stdout).toBe('')
  })
})
