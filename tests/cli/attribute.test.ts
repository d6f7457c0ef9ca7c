import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { writePaths } from '../../scripts/generate-paths'
import { cli, cliBytes } from '../_cli'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-attribute-'))
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const rowsOf = (json: string) => JSON.parse(json) as Array<Record<string, number | string>>
const total = (rows: ReadonlyArray<Record<string, number | string>>, column: string) => rows.reduce((s, r) => s + (r[column] as number), 0)

describe('touchpoint attribute', () => {
  it('credits examples/paths.csv; every model but participation adds up to the conversions', async () => {
    const r = await cli(['attribute', 'examples/paths.csv', '--models', 'first,last,linear,position,participation,markov,shapley,shapley_rate', '--format', 'json'])
    expect(r.code).toBe(0)
    const rows = rowsOf(r.stdout)
    expect(rows.length).toBeGreaterThanOrEqual(10)
    const text = readFileSync('examples/paths.csv', 'utf8').trim().split('\n').slice(1)
    const conversions = text.reduce((s, l) => s + Number(l.split(',')[1]), 0)
    for (const m of ['first', 'last', 'linear', 'position', 'markov', 'shapley', 'shapley_rate']) expect(total(rows, `${m}_conversions`)).toBeCloseTo(conversions, 6)
    expect(total(rows, 'participation_conversions')).toBeGreaterThan(conversions)
    expect(Object.keys(rows[0]!)).toContain('markov_removal_effect')
  })

  it('events with a lookback window; time decay; CSV out to a file', async () => {
    const out = join(dir, 'events-out.csv')
    const r = await cli(['attribute', 'examples/events.csv', '--models', 'last,time_decay,markov', '--lookback', '30d', '--half-life', '7d', '-o', out])
    expect(r.code).toBe(0)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('channel,last_conversions,last_value,time_decay_conversions,time_decay_value,markov_conversions,markov_value,markov_removal_effect,markov_value_removal_effect')
    expect(lines.length).toBeGreaterThan(10)
  })

  it('--transitions writes the fitted Markov matrix by state name; each row sums to 1', async () => {
    const out = join(dir, 'credits.csv')
    const tm = join(dir, 'transitions.csv')
    const r = await cli(['attribute', 'examples/paths.csv', '--models', 'markov', '--order', '2', '-o', out, '--transitions', tm])
    expect(r.code).toBe(0)
    const rows = readFileSync(tm, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
    expect(rows.some(([from]) => from!.includes(' > '))).toBe(true)
    const sums = new Map<string, number>()
    for (const [from, , p] of rows) sums.set(from!, (sums.get(from!) ?? 0) + Number(p))
    for (const [, s] of sums) expect(s).toBeCloseTo(1, 9)
    expect((await cli(['attribute', 'examples/paths.csv', '--transitions', tm])).code).toBe(2)
  })

  it('a bad line stops the run with its file, line, field and value, and nothing is written', async () => {
    const p = file('bad.csv', 'path,total_conversions,total_null\na > b,1,0\nb,x,2\nc,-1,0\n')
    const out = join(dir, 'never.csv')
    const r = await cli(['attribute', p, '-o', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${p}:3: total_conversions: expected a number >= 0, got "x"`)
    expect(r.stderr).toContain('Nothing was written')
    expect(existsSync(out)).toBe(false)
  })

  it('--on-error skip goes on and reports how many lines were skipped with the first reasons', async () => {
    const p = file('skip.csv', 'path,total_conversions,total_null\na > b,1,0\nb,x,2\nc,-1,0\n a >,2,1\nb,1,1\n')
    const r = await cli(['attribute', p, '--on-error', 'skip', '--models', 'first', '--format', 'json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('skipped 3 bad lines')
    expect(r.stderr).toContain(`${p}:4: total_conversions`)
    expect(r.stderr).toContain(`${p}:5: path`)
    expect(rowsOf(r.stdout).map((x) => [x['channel'], x['first_conversions']])).toEqual([
      ['a', 1],
      ['b', 1],
    ])
  })

  // --engine auto (the default) hands such files to DuckDB (tests/cli/engines.test.ts); the streaming reader names the line.
  it('events out of time order for a user are named by line (--engine in-process)', async () => {
    const p = file('events.csv', 'user_id,timestamp,channel,conversion,conversion_value\nu,2026-01-02T00:00:00Z,a,0,\nu,2026-01-01T00:00:00Z,b,1,10\n')
    const r = await cli(['attribute', p, '--models', 'last', '--engine', 'in-process'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${p}:3: timestamp: expected a time not before this user's previous event`)
  })

  it('reads JSON lines from standard input, with the format sniffed', async () => {
    const r = await cli(['attribute', '-', '--models', 'linear', '--format', 'json'], '{"path":["a","b"],"total_conversions":2}\n{"path":"b","total_conversions":1}\n')
    expect(r.code).toBe(0)
    expect(rowsOf(r.stdout)).toEqual([
      { channel: 'a', linear_conversions: 1, linear_value: 0 },
      { channel: 'b', linear_conversions: 2, linear_value: 0 },
    ])
  })

  it('JSONL events, grouped by user, give the same credits as the CSV of the same events', async () => {
    const lines = readFileSync('examples/events.csv', 'utf8').trim().split('\n')
    const header = lines[0]!.split(',')
    const jsonl = lines
      .slice(1)
      .map((l) => {
        const cells = l.split(',')
        return JSON.stringify(Object.fromEntries(header.map((h, i) => [h, h === 'conversion' ? cells[i] === '1' : h === 'conversion_value' ? (cells[i] === '' ? null : Number(cells[i])) : cells[i]])))
      })
      .join('\n')
    const p = file('events.jsonl', `${jsonl}\n`)
    const args = ['--models', 'first,time_decay,markov', '--lookback', '14d', '--format', 'json']
    const a = await cli(['attribute', 'examples/events.csv', ...args])
    const b = await cli(['attribute', p, '--grouped', ...args])
    expect(b.code).toBe(0)
    // Grouped mode closes null journeys earlier, so channels may first appear in another order.
    const byChannel = (rows: ReturnType<typeof rowsOf>) => [...rows].sort((x, y) => String(x['channel']).localeCompare(String(y['channel'])))
    expect(byChannel(rowsOf(b.stdout))).toEqual(byChannel(rowsOf(a.stdout)))
  })

  it('usage mistakes exit 2: unknown model, time decay on paths, bad order', async () => {
    expect((await cli(['attribute', 'examples/paths.csv', '--models', 'magic'])).code).toBe(2)
    const td = await cli(['attribute', 'examples/paths.csv', '--models', 'time_decay'])
    expect(td.code).toBe(2)
    expect(td.stderr).toContain('time_decay needs timestamps')
    expect((await cli(['attribute', 'examples/paths.csv', '--order', '5'])).code).toBe(2)
    const h = await cli(['attribute', '--help'])
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('--workers N|auto')
    const w = await cli(['attribute', 'examples/paths.csv', '--workers', 'many'])
    expect(w.code).toBe(2)
    expect(w.stderr).toContain('--workers')
    expect((await cli(['attribute', 'examples/paths.csv', '--workers', 'auto', '-q'])).code).toBe(0)
  })

  it('without WebAssembly (node --jitless) the general route gives the very same output', async () => {
    const p = join(dir, 'jitless.csv')
    await writePaths(3000, 'jitless', p)
    const args = ['attribute', p, '--models', 'first,last,linear,position,markov', '--format', 'json']
    const withWasm = await cli(args)
    const jitless = spawnSync(process.execPath, ['--jitless', '--no-warnings', '--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' })
    expect(jitless.status, jitless.stderr).toBe(0)
    expect(withWasm.code).toBe(0)
    expect(jitless.stdout).toBe(withWasm.stdout)
  })

  it('--workers 2 gives the same credits as one thread, and the same line numbers for bad lines', async () => {
    const p = join(dir, 'big.csv')
    await writePaths(6000, 'cli-test', p)
    const one = await cli(['attribute', p, '--models', 'first,linear,markov,shapley', '--format', 'json'])
    const two = await cli(['attribute', p, '--models', 'first,linear,markov,shapley', '--format', 'json', '--workers', '2'])
    expect(two.code).toBe(0)
    const a = rowsOf(one.stdout)
    const b = new Map(rowsOf(two.stdout).map((r) => [r['channel'], r]))
    for (const row of a) {
      for (const [k, v] of Object.entries(row)) if (typeof v === 'number') expect(b.get(row['channel'])![k] as number).toBeCloseTo(v, 6)
    }
    const lines = readFileSync(p, 'utf8').split('\n')
    lines[5000] = 'x > y,oops,1,1'
    const bad = file('big-bad.csv', lines.join('\n'))
    const r1 = await cli(['attribute', bad])
    const r2 = await cli(['attribute', bad, '--workers', '2'])
    expect(r1.code).toBe(1)
    expect(r2.code).toBe(1)
    expect(r1.stderr).toContain(`${bad}:5001: total_conversions`)
    expect(r2.stderr).toContain(`${bad}:5001: total_conversions`)
  })

  it('reads gzip files and gzip on standard input (by their magic number, any name), even in several members', async () => {
    const text = readFileSync('examples/paths.csv')
    const lines = text.toString('utf8').split('\n')
    const plain = await cli(['attribute', 'examples/paths.csv', '--format', 'json', '-q'])
    expect(plain.code).toBe(0)
    const gz = file('paths.csv.gz', gzipSync(text))
    const noName = file('paths-export', gzipSync(text))
    // Parallel exporters concatenate gzip members; the cut falls inside a line.
    const members = file('members.csv.gz', Buffer.concat([gzipSync(lines.slice(0, 150).join('\n').slice(0, -7)), gzipSync(`${lines.slice(0, 150).join('\n').slice(-7)}\n${lines.slice(150).join('\n')}`)]))
    for (const p of [gz, noName, members]) {
      const r = await cli(['attribute', p, '--format', 'json', '-q', '--workers', '2'])
      expect({ p, code: r.code, stderr: r.stderr }).toEqual({ p, code: 0, stderr: '' })
      expect(r.stdout).toBe(plain.stdout)
    }
    const stdin = await cliBytes(['attribute', '-', '--format', 'json', '-q'], gzipSync(text))
    expect(stdin.code).toBe(0)
    expect(stdin.stdout).toBe(plain.stdout)
  })

  it('a truncated or corrupt gzip file stops with its name, and nothing is written', async () => {
    const whole = gzipSync(readFileSync('examples/paths.csv'))
    const out = join(dir, 'never-gz.csv')
    for (const [name, bytes] of [
      ['truncated.csv.gz', whole.subarray(0, Math.floor(whole.length / 2))],
      ['corrupt.csv.gz', Buffer.concat([whole.subarray(0, 40), Buffer.alloc(200, 0x55), whole.subarray(240)])],
    ] as const) {
      const p = file(name, bytes)
      const r = await cli(['attribute', p, '-o', out, '-q'])
      expect(r.code).toBe(1)
      // A bad header is found when the file is sniffed, a bad body while it is read: both name the file.
      expect(r.stderr).toMatch(new RegExp(`${p}: cannot decompress it as gzip: |cannot read ${p}: cannot decompress it as gzip: `))
      expect(existsSync(out)).toBe(false)
    }
  })

  it('--workers reads a header with quoted column names as one thread does', async () => {
    const p = join(dir, 'big.csv')
    await writePaths(6000, 'cli-test', p)
    const lines = readFileSync(p, 'utf8').split('\n')
    lines[0] = lines[0]!.split(',').map((h) => `"${h}"`).join(',')
    const quoted = file('quoted-header.csv', lines.join('\n'))
    const one = await cli(['attribute', quoted, '--models', 'first,linear', '--format', 'json', '--workers', '1'])
    const two = await cli(['attribute', quoted, '--models', 'first,linear', '--format', 'json', '--workers', '2', '--quiet'])
    expect(one.code).toBe(0)
    expect(two.stderr).toBe('')
    expect(two.code).toBe(0)
    expect(rowsOf(two.stdout).map((r) => r['channel']).sort()).toEqual(rowsOf(one.stdout).map((r) => r['channel']).sort())
  })

  it('--workers with a quoted path spanning a shard boundary reads on one thread, with the same credits', async () => {
    const p = join(dir, 'big.csv')
    await writePaths(6000, 'cli-test', p)
    const lines = readFileSync(p, 'utf8').split('\n')
    // The line holding the middle byte (where --workers 2 cuts) becomes a long quoted path whose line break lies
    // past the cut, so the second shard starts inside the quotes.
    const mid = Buffer.byteLength(lines.join('\n')) / 2
    let at = 0
    let k = 0
    while (at + Buffer.byteLength(lines[k]!) + 1 <= mid) at += Buffer.byteLength(lines[k++]!) + 1
    lines[k] = `"${Array.from({ length: 40 }, (_, i) => `ch${i % 7}`).join(' > ')} >\nemail",1,10,2`
    const multi = file('multi.csv', lines.join('\n'))
    const one = await cli(['attribute', multi, '--models', 'first,linear,markov', '--format', 'json', '--workers', '1'])
    const two = await cli(['attribute', multi, '--models', 'first,linear,markov', '--format', 'json', '--workers', '2'])
    expect(one.code).toBe(0)
    expect(rowsOf(one.stdout).some((r) => r['channel'] === 'ch6')).toBe(true)
    expect(two.stderr).toContain('quoted fields span lines; reading on one thread')
    expect(two.code).toBe(0)
    expect(two.stdout).toBe(one.stdout)
  })
})
