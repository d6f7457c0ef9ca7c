/**
 * A run stopped by a signal while writing `-o FILE`: the temporary file goes, the target keeps what it had, and
 * the exit code says which signal (128 + n). A run killed outright (SIGKILL) cannot clean up: the next run that
 * writes the same target removes what it left.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeUnits } from '../../scripts/generate-units'
import { CLI, spawnCli } from '../_cli'

let dir = ''
let units = ''
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'touchpoint-signals-'))
  units = join(dir, 'units.csv')
  const out = createWriteStream(units)
  await writeUnits(out, 2_000_000) // about 500 MB of output: seconds of writing, time enough to interrupt it
  out.end()
  await once(out, 'finish')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const temps = (d: string, target: string) => readdirSync(d).filter((f) => f.startsWith(`.${target}.`) && f.endsWith('.tmp'))

/** Start `assign -o target` and resolve once its temporary file holds some output. */
const startWriting = async (target: string): Promise<ChildProcess> => {
  const child = spawn(process.execPath, [CLI, 'assign', '-c', 'examples/experiments.json', units, '-o', join(dir, target)], { stdio: ['ignore', 'ignore', 'pipe'] })
  const deadline = Date.now() + 30_000
  for (;;) {
    const t = temps(dir, target)[0]
    if (t !== undefined && statSync(join(dir, t), { throwIfNoEntry: false })?.size! > 1_000_000) return child
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`assign never started writing (exit ${child.exitCode})`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('signals during `assign -o FILE`', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: exit %i, no temporary file left, the existing target untouched', async (signal, code) => {
    const target = `out-${signal}.jsonl`
    writeFileSync(join(dir, target), 'precious\n')
    const child = await startWriting(target)
    const err: Array<Buffer> = []
    child.stderr!.on('data', (d: Buffer) => err.push(d))
    child.kill(signal)
    const [exit, bySignal] = (await once(child, 'close')) as [number | null, string | null]
    expect(bySignal).toBe(null)
    expect(exit).toBe(code)
    expect(temps(dir, target)).toEqual([])
    expect(readFileSync(join(dir, target), 'utf8')).toBe('precious\n')
    expect(Buffer.concat(err).toString()).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('SIGKILL leaves a temporary file; the next run writing the same target removes it', async () => {
    const target = 'out-kill.jsonl'
    writeFileSync(join(dir, target), 'precious\n')
    const child = await startWriting(target)
    child.kill('SIGKILL')
    await once(child, 'close')
    expect(temps(dir, target)).toHaveLength(1) // nothing can run on SIGKILL
    expect(readFileSync(join(dir, target), 'utf8')).toBe('precious\n')
    // A temporary file of a live process is not touched.
    const live = `.${target}.touchpoint-${process.pid}-1.tmp`
    writeFileSync(join(dir, live), 'in progress')
    const r = await spawnCli(['assign', '-c', 'examples/experiments.json', 'examples/units.csv', '-o', join(dir, target)])
    expect(r.code, r.stderr).toBe(0)
    expect(temps(dir, target)).toEqual([live])
    expect(readFileSync(join(dir, target), 'utf8')).toContain('"experiment":"checkout-button"')
  }, 60_000)
})
