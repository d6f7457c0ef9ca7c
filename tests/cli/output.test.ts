/**
 * Where outputs go wrong: a missing directory, no permission, a full disk (/dev/full), a closed pipe, a FIFO or
 * device as the target, and outputs far larger than memory. Each case runs the built command in its own process.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, createWriteStream, existsSync, lstatSync, statSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { openOutput, writeOutput } from '../../src/cli/output'
import { writeUnits } from '../../scripts/generate-units'
import { CLI, spawnCli } from '../_cli'

let dir = ''
const file = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
let units = ''
let manyChannels = ''
/** /dev/full behind a symlink: were the command to replace the link's target instead of writing to it, only the link is lost. */
let full = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-output-'))
  units = join(dir, 'units.csv')
  const out = createWriteStream(units)
  await writeUnits(out, 300_000)
  out.end()
  await once(out, 'finish')
  // 400 channels: attribute's tables run to tens of kilobytes.
  manyChannels = file('many.csv', `path,total_conversions,total_null\n${Array.from({ length: 400 }, (_, i) => `ch${i} > ch${(i * 7) % 400},${1 + (i % 5)},${i % 3}`).join('\n')}\n`)
  full = join(dir, 'full')
  symlinkSync('/dev/full', full)
})
afterAll(() => {
  chmodSync(dir, 0o755)
  rmSync(dir, { recursive: true, force: true })
})

const leftovers = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'))
/** Tests run as root, where permission bits do not apply: the command then runs as nobody. */
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}

const commands: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ['report (html)', ['report', 'examples/events.csv', '--bootstrap', '0', '-q']],
  ['report (json)', ['report', 'examples/events.csv', '--bootstrap', '0', '-q', '-f', 'json']],
  ['attribute (over 16 KB)', ['attribute', 'MANY', '-f', 'json', '-m', 'first,last,linear', '-q']],
  ['assign', ['assign', '-c', 'examples/experiments.json', 'examples/units.csv']],
  ['analyze', ['analyze', 'examples/checkout-results.csv']],
  ['compile', ['compile', 'examples/experiments.json']],
]
const args = (a: ReadonlyArray<string>) => a.map((x) => (x === 'MANY' ? manyChannels : x))

describe('a failure to write ends with an exit code and a message naming the path', () => {
  it.each(commands)('%s -o into a missing directory', async (_, argv) => {
    const target = join(dir, 'no', 'such', 'dir', 'out.txt')
    const r = await spawnCli([...args(argv), '-o', target])
    expect(r.code, r.stderr).toBe(74)
    expect(r.stderr).toContain(target)
    expect(r.stdout).toBe('')
  })

  it.each(commands)('%s -o onto a full disk (/dev/full)', async (_, argv) => {
    const r = await spawnCli([...args(argv), '-o', full])
    expect(r.code, r.stderr).toBe(74)
    expect(r.stderr).toContain(full)
    expect(r.stderr).toMatch(/ENOSPC|no space/i)
    expect(lstatSync(full).isSymbolicLink()).toBe(true)
    expect(leftovers(dir)).toEqual([])
  })

  it.each(commands)('%s with standard output on a full disk', async (_, argv) => {
    const fd = openSync('/dev/full', 'w')
    try {
      const r = await spawnCli(args(argv), { stdout: fd })
      expect(r.code, r.stderr).toBe(74)
      expect(r.stderr).toContain('standard output')
      expect(r.stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace
    } finally {
      closeSync(fd)
    }
  })

  it('-o under a regular file (ENOTDIR) and into a directory without write permission', async () => {
    const plain = file('plain.txt', 'x')
    const r1 = await spawnCli(['compile', 'examples/experiments.json', '-o', join(plain, 'out.json')])
    expect(r1.code).toBe(74)
    expect(r1.stderr).toContain(join(plain, 'out.json'))
    const locked = join(dir, 'locked')
    mkdirSync(locked)
    writeFileSync(join(locked, 'out.jsonl'), 'precious\n')
    chmodSync(locked, 0o555)
    chmodSync(dir, 0o755)
    const r2 = await spawnCli(['assign', '-c', join(process.cwd(), 'examples/experiments.json'), join(process.cwd(), 'examples/units.csv'), '-o', join(locked, 'out.jsonl')], unprivileged)
    expect(r2.code, r2.stderr).toBe(74)
    expect(r2.stderr).toContain(join(locked, 'out.jsonl'))
    expect(r2.stderr).toMatch(/EACCES|permission/i)
    expect(readFileSync(join(locked, 'out.jsonl'), 'utf8')).toBe('precious\n')
    chmodSync(locked, 0o755)
  })

  it('-o a directory: a message, not a crash', async () => {
    const r = await spawnCli(['compile', 'examples/experiments.json', '-o', dir])
    expect(r.code).toBe(74)
    expect(r.stderr).toContain(dir)
  })
})

describe('targets that are not regular files are written in place, never replaced', () => {
  it('a FIFO stays a FIFO and receives the output', async () => {
    const fifo = join(dir, 'fifo')
    const made = spawnSync('mkfifo', [fifo])
    expect(made.status).toBe(0)
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    const got: Array<Buffer> = []
    reader.stdout.on('data', (d: Buffer) => got.push(d))
    const closed = once(reader, 'close')
    const r = await spawnCli(['compile', 'examples/experiments.json', '-o', fifo])
    if (!lstatSync(fifo).isFIFO()) reader.kill() // replaced: nobody will ever open the FIFO for writing
    await closed
    expect(r.code, r.stderr).toBe(0)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(Buffer.concat(got).toString()).toContain('"format":"touchpoint-compiled/1"')
  })

  it('a symlink to a regular file: the file is replaced, the link kept', async () => {
    const real = file('real.json', 'old')
    const link = join(dir, 'link.json')
    symlinkSync(real, link)
    const r = await spawnCli(['compile', 'examples/experiments.json', '-o', link])
    expect(r.code, r.stderr).toBe(0)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(real, 'utf8')).toContain('touchpoint-compiled/1')
  })
})

describe('standard output', () => {
  it('a closed pipe ends quietly, like other Unix tools (`assign ... | head -1`)', async () => {
    const child = spawn(process.execPath, [CLI, 'assign', '-c', 'examples/experiments.json', units], { stdio: ['ignore', 'pipe', 'pipe'] })
    const err: Array<Buffer> = []
    child.stderr.on('data', (d: Buffer) => err.push(d))
    let first = ''
    for await (const chunk of child.stdout) {
      first += String(chunk)
      if (first.includes('\n')) break // leaving the loop destroys the pipe, as head does
    }
    const [code, signal] = (await once(child, 'close')) as [number | null, string | null]
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ line: 2 })
    expect(Buffer.concat(err).toString()).toBe('')
    expect(signal).toBe(null)
    expect(code).toBe(141) // 128 + SIGPIPE, as the shell reports for `seq 1e9 | head -1`
  })

  it('assign streams: 1M units (about 250 MB of output) pass through a 64 MB heap and a pipe', async () => {
    const big = join(dir, 'units-1m.csv')
    const out = createWriteStream(big)
    await writeUnits(out, 1_000_000)
    out.end()
    await once(out, 'finish')
    const child = spawn(process.execPath, ['--max-old-space-size=64', CLI, 'assign', '-c', 'examples/experiments.json', big], { stdio: ['ignore', 'pipe', 'pipe'] })
    const err: Array<Buffer> = []
    child.stderr.on('data', (d: Buffer) => err.push(d))
    let lines = 0
    let bytes = 0
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      bytes += chunk.length
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++
    }
    const [code] = (await once(child, 'close')) as [number | null]
    expect(Buffer.concat(err).toString()).toBe('')
    expect(code).toBe(0)
    expect(lines).toBe(3_000_000) // three experiments per unit
    expect(bytes).toBeGreaterThan(200 * 1024 * 1024)
    rmSync(big)
  }, 120_000)
})

describe('the output module, in process', () => {
  const pieces = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.nat({ max: 200_000 }).map((n) => '😀é'.repeat(n % 70_000))), { maxLength: 8 })

  test.prop([pieces], { numRuns: 30 })('a file gets exactly the text written, in any pieces, astral characters across piece boundaries included', async (texts) => {
    const target = join(dir, 'prop.txt')
    const out = await openOutput(target, { stdin: process.stdin, stdout: new PassThrough(), stderr: new PassThrough() })
    for (const t of texts) await out.write(t)
    await out.commit()
    expect(readFileSync(target, 'utf8')).toBe(texts.join(''))
    expect(leftovers(dir)).toEqual([])
    const whole = texts.join('')
    expect(await writeOutput('test', target, { stdin: process.stdin, stdout: new PassThrough(), stderr: new PassThrough() }, whole)).toBe(0)
    expect(readFileSync(target, 'utf8')).toBe(whole)
  })

  it('abort leaves an existing file as it was; commit keeps its permissions', async () => {
    const io = { stdin: process.stdin, stdout: new PassThrough(), stderr: new PassThrough() }
    const target = file('kept.txt', 'precious')
    chmodSync(target, 0o640)
    const failed = await openOutput(target, io)
    await failed.write('x'.repeat(3_000_000))
    expect(leftovers(dir)).toHaveLength(1)
    await failed.abort()
    expect(readFileSync(target, 'utf8')).toBe('precious')
    expect(leftovers(dir)).toEqual([])
    const ok = await openOutput(target, io)
    await ok.write('new')
    await ok.commit()
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(statSync(target).mode & 0o777).toBe(0o640)
  })

  it('standard output holds back its first MiB: a run that fails before prints nothing, one that fails after says it is incomplete', async () => {
    const got: Array<Buffer> = []
    const stdout = new PassThrough()
    stdout.on('data', (d: Buffer) => got.push(d))
    const io = { stdin: process.stdin, stdout, stderr: new PassThrough() }
    const early = await openOutput(undefined, io)
    await early.write('y'.repeat(1000 * 1000))
    await early.abort()
    expect(got).toEqual([])
    const late = await openOutput(undefined, io)
    await late.write('z'.repeat(1100 * 1000))
    expect(Buffer.concat(got).length).toBe(1100 * 1000)
    await late.abort()
  })

  it('a temporary file of a process that is gone is removed; one of a running process is kept', async () => {
    const target = join(dir, 'stale.txt')
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid! // finished: its pid is free
    const stale = file(`.stale.txt.touchpoint-${dead}-1.tmp`, 'left by a killed run')
    const running = file(`.stale.txt.touchpoint-${process.ppid}-1.tmp`, 'in progress')
    const other = file('.stale.txt.12345.tmp', 'not ours: another tool')
    const out = await openOutput(target, { stdin: process.stdin, stdout: new PassThrough(), stderr: new PassThrough() })
    await out.commit()
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(running)).toBe(true)
    expect(existsSync(other)).toBe(true)
    rmSync(running)
    rmSync(other)
  })
})
