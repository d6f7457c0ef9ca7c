/**
 * Where the embedded DuckDB spills: its own directory under the system's temporary directory, gone when the
 * engine closes and when the CLI is stopped by a signal; never DuckDB's default `.tmp` in the user's working
 * directory.
 */
import * as E from 'fp-ts/Either'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allRows } from '../../src/engines/driver'
import { openDuckDb } from '../../src/engines/duckdb'
import { makeSpillDirectory, removeSpillDirectories } from '../../src/engines/spillDirectories'
import { CLI, cli } from '../_cli'
import { orThrow } from '../_engines'

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-spill-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const spills = (d: string) => readdirSync(d).filter((f) => f.startsWith('touchpoint-duckdb-'))

describe('the DuckDB spill directory', () => {
  it('is under the temporary directory while open, used when DuckDB spills, and removed on close', async () => {
    const db = orThrow(await openDuckDb({ memoryLimit: '64MiB', threads: 1 }))
    const setting = orThrow(await allRows(db, "SELECT CAST(current_setting('temp_directory') AS VARCHAR) AS d"))
    const spill = String(setting[0]!['d'])
    expect(spill.startsWith(join(tmpdir(), 'touchpoint-duckdb-'))).toBe(true)
    expect(statSync(spill).isDirectory()).toBe(true)
    // A sort larger than the limit: DuckDB writes its spill files into our directory, not into ./.tmp.
    let files = 0
    const watch = setInterval(() => (files = Math.max(files, readdirSync(spill).length)), 5)
    const sorted = await allRows(db, 'SELECT count(*) AS n FROM (SELECT i, md5(CAST(i AS VARCHAR)) || md5(CAST(-i AS VARCHAR)) AS r FROM range(3000000) t(i) ORDER BY r OFFSET 1)')
    clearInterval(watch)
    expect(sorted).toEqual(E.right([{ n: 2999999n }]))
    expect(files).toBeGreaterThan(0)
    expect(existsSync(join(process.cwd(), '.tmp'))).toBe(false)
    await db.close()
    expect(existsSync(spill)).toBe(false)
  }, 60_000)

  it('a given tempDirectory is used as is and left in place', async () => {
    const own = join(dir, 'own')
    const db = orThrow(await openDuckDb({ tempDirectory: own }))
    const setting = orThrow(await allRows(db, "SELECT CAST(current_setting('temp_directory') AS VARCHAR) AS d"))
    expect(String(setting[0]!['d'])).toBe(own)
    await db.close()
    expect(spills(dir)).toEqual([])
  })

  it('spillDirectoryParent: the spill directory is made in it and removed on close; a parent that is none, no directory or not writable is an InvalidInput naming it', async () => {
    const parent = mkdtempSync(join(dir, 'parent-'))
    const db = orThrow(await openDuckDb({ spillDirectoryParent: parent }))
    const setting = orThrow(await allRows(db, "SELECT CAST(current_setting('temp_directory') AS VARCHAR) AS d"))
    const spill = String(setting[0]!['d'])
    expect(spill.startsWith(join(parent, 'touchpoint-duckdb-'))).toBe(true)
    expect(spills(parent)).toHaveLength(1)
    await db.close()
    expect(spills(parent)).toEqual([])
    const refused = async (options: Parameters<typeof openDuckDb>[0]) => {
      const r = await openDuckDb(options)
      if (E.isRight(r)) {
        await r.right.close()
        throw new Error('expected a Left')
      }
      return r.left
    }
    const expected = 'an existing directory this process can write to'
    expect(await refused({ spillDirectoryParent: join(dir, 'none') })).toEqual({ _tag: 'InvalidInput', issues: [{ path: 'spillDirectoryParent', expected: `${expected} (there is none)`, actual: join(dir, 'none') }] })
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    expect(await refused({ spillDirectoryParent: file })).toEqual({ _tag: 'InvalidInput', issues: [{ path: 'spillDirectoryParent', expected: `${expected} (this is not a directory)`, actual: file }] })
    // /proc is a directory nobody can make one in, root included (chmod would not stop root).
    if (existsSync('/proc/self')) expect(await refused({ spillDirectoryParent: '/proc' })).toMatchObject({ _tag: 'InvalidInput', issues: [{ path: 'spillDirectoryParent', actual: '/proc' }] })
    expect(await refused({ spillDirectoryParent: parent, tempDirectory: parent })).toMatchObject({ _tag: 'InvalidInput', issues: [{ path: 'spillDirectoryParent' }] })
    expect(await refused({ spillDirectoryParent: '' })).toMatchObject({ _tag: 'InvalidInput', issues: [{ path: 'spillDirectoryParent', expected: 'a directory (non-empty text)' }] })
    expect(spills(parent)).toEqual([])
  })

  it('the CLI: --temp-directory DIR is where DuckDB spills (a TMPDIR that cannot be written is then never tried); a DIR that is none is a usage error naming the flag; another engine refuses it', async () => {
    const parent = mkdtempSync(join(dir, 'cli-'))
    const run = (args: ReadonlyArray<string>) => cli(['attribute', 'examples/events.csv', '--engine', 'duckdb', '--models', 'first', '-q', ...args])
    const saved = process.env['TMPDIR']
    process.env['TMPDIR'] = '/proc' // os.tmpdir() reads it on each call: no spill directory can be made there
    try {
      const without = await run([])
      expect(without.code).toBe(1)
      expect(without.stderr).toContain('no spill directory under the system')
      const given = await run(['--temp-directory', parent])
      expect([given.code, given.stderr]).toEqual([0, ''])
      expect(given.stdout).toContain('channel')
    } finally {
      if (saved === undefined) delete process.env['TMPDIR']
      else process.env['TMPDIR'] = saved
    }
    expect(spills(parent)).toEqual([])
    const none = await run(['--temp-directory', join(dir, 'missing')])
    expect(none.code).toBe(2)
    expect(none.stderr).toBe(`touchpoint attribute: --temp-directory: expected an existing directory this process can write to (there is none), got ${JSON.stringify(join(dir, 'missing'))}\n`)
    const pg = await cli(['attribute', '--engine', 'postgres', '--url', 'postgres://x@127.0.0.1:1/z', '--table', 't', '--temp-directory', parent])
    expect(pg.code).toBe(2)
    expect(pg.stderr).toContain('--temp-directory is where DuckDB spills: it needs --engine duckdb, not postgres')
    const analyze = await cli(['analyze', '--exposures', 'examples/experiment-exposures.csv', '--events', 'examples/experiment-events.csv.gz', '--metrics', 'examples/metrics.json', '--config', 'examples/experiments.json', '--temp-directory', parent])
    expect([analyze.code, analyze.stderr]).toEqual([2, 'touchpoint analyze: --url, --memory-limit, --threads and --temp-directory need --engine\n'])
  }, 120_000)

  it('removeSpillDirectories removes every registered directory with what is in it', () => {
    const a = makeSpillDirectory()
    const b = makeSpillDirectory()
    writeFileSync(join(a, 'duckdb_temp_storage-0.tmp'), 'x')
    removeSpillDirectories()
    expect([existsSync(a), existsSync(b)]).toEqual([false, false])
    expect(() => removeSpillDirectories()).not.toThrow()
  })

  it('the CLI stopped by SIGTERM while DuckDB runs leaves no spill directory', async () => {
    const temp = mkdtempSync(join(dir, 'tmp-'))
    const events = join(dir, 'events.csv')
    const lines = ['user_id,timestamp,channel,conversion,conversion_value']
    for (let i = 0; i < 300_000; i++) lines.push(`u${(i * 7919) % 50_000},${1_700_000_000_000 + ((i * 104_729) % 9_000_000_000)},c${i % 13},${i % 17 === 0 ? 1 : 0},`)
    writeFileSync(events, `${lines.join('\n')}\n`)
    const child = spawn(process.execPath, [CLI, 'attribute', events, '--engine', 'duckdb', '--models', 'linear,shapley'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: temp },
    })
    const closed = once(child, 'close') as Promise<[number | null]>
    const deadline = Date.now() + 30_000
    while (spills(temp).length === 0 && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    const seen = spills(temp).length
    child.kill('SIGTERM')
    const [exit] = await closed
    expect(seen).toBe(1)
    expect(exit).toBe(143)
    expect(spills(temp)).toEqual([])
  }, 60_000)
})
