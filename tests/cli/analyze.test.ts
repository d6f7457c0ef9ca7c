import { describe, expect, it, beforeAll } from 'vitest'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../_cli'

let dir = ''
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tp-analyze-'))
})

describe('touchpoint analyze', () => {
  it('reads a CSV of conversions and prints the summary line', async () => {
    const p = file('conv.csv', 'arm,units,conversions\nA,10000,1000\nB,10050,1123\n')
    const r = await cli(['analyze', p])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^B vs A: \+11\.7% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), p = 0\.0\d\d, P\(B > A\) = 99\.\d%, sample ratio OK\n$/)
  })

  it('--json gives the full analysis; JSON input on stdin with --control and --weights', async () => {
    const input = JSON.stringify({ arms: [{ name: 'B', units: 11000, conversions: 1123 }, { name: 'A', units: 10000, conversions: 1000 }] })
    const r = await cli(['analyze', '-', '--json', '--control', 'A', '--weights', '11,10'], input)
    expect(r.code).toBe(0)
    const a = JSON.parse(r.stdout)
    expect(a.comparisons[0].name).toBe('B')
    expect(a.comparisons[0].control).toBe('A')
    expect(a.sampleRatio.mismatch).toBe(false)
  })

  it('continuous metrics with CUPED columns, Markdown output, sequential interval', async () => {
    const p = file('rev.csv', 'name,units,sum,sum_squares,covariate_sum,covariate_sum_squares,covariate_product_sum\nA,1000,10000,104000,10000,104000,103000\nB,1000,10400,112200,10000,104000,107200\n')
    const r = await cli(['analyze', p, '--markdown', '--sequential'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('| Variant | Units | Mean | Lift |')
    expect(r.stdout).toContain('Always-valid CI')
    expect(r.stdout).toContain('CUPED adjusted')
  })

  it('bad data: exit 1 with file:line or the field path', async () => {
    const bad = await cli(['analyze', file('bad.csv', 'arm,units,conversions\nA,100,10\nB,100,x\n')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('bad.csv:3: conversions: expected a finite number, got "x"')
    const over = await cli(['analyze', file('over.json', JSON.stringify({ arms: [{ name: 'A', units: 10, conversions: 20 }, { name: 'B', units: 10, conversions: 1 }] }))])
    expect(over.code).toBe(1)
    expect(over.stderr).toContain('arms[0].conversions: expected at most units (10), got 20')
    const col = await cli(['analyze', file('col.csv', 'arm,visits\nA,1\n')])
    expect(col.code).toBe(1)
    expect(col.stderr).toContain('column 2 "visits"')
  })

  it('usage errors exit 2; --help exits 0; --output writes the file', async () => {
    expect((await cli(['analyze'])).code).toBe(2)
    expect((await cli(['analyze', 'x.txt'])).code).toBe(2)
    expect((await cli(['analyze', 'a.csv', '--lift', 'percent'])).code).toBe(2)
    expect((await cli(['analyze', 'a.csv', '--level', '2'])).code).toBe(2)
    expect((await cli(['analyze', '--help'])).code).toBe(0)
    const out = join(dir, 'out.txt')
    const r = await cli(['analyze', file('c2.csv', 'arm,units,conversions\nA,1000,100\nB,1000,120\n'), '-o', out])
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^B vs A: /)
  })
})
