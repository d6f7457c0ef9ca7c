/**
 * The reading pipeline held to the build before it (issue 11): `touchpoint attribute` on the shipped examples and on
 * seeded data prints, byte for byte, what the build of commit ccec045 printed (tests/golden/pipeline-0.1, frozen
 * from that build), except the commands the issue changes on purpose: with a short lookback, journeys whose user was
 * inactive for longer than the lookback now end as non-converting journeys (docs/attribution.md, rule 5).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeEvents, writePaths } from '../../scripts/generate-paths'
import { cli } from '../_cli'

interface Golden {
  readonly out: string
  readonly args: ReadonlyArray<string>
  readonly changed?: string
}
const dir = 'tests/golden/pipeline-0.1'
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { readonly commands: ReadonlyArray<Golden> }
const data = mkdtempSync(join(tmpdir(), 'touchpoint-golden-'))
const files = { $PATHS: join(data, 'paths-golden.csv'), $EVENTS: join(data, 'events-golden.csv') }

describe('outputs of the build before the pipeline', () => {
  beforeAll(async () => {
    await writePaths(20_000, 'golden', files.$PATHS)
    await writeEvents(60_000, 'golden', files.$EVENTS)
  }, 120_000)

  it.each(index.commands.map((c) => [c.args.join(' '), c] as const))('%s', async (_, c) => {
    const args = c.args.map((a) => files[a as keyof typeof files] ?? a)
    const r = await cli(args)
    expect(r.code, r.stderr).toBe(0)
    const old = readFileSync(join(dir, c.out), 'utf8')
    if (c.changed === undefined) expect(r.stdout).toBe(old)
    else {
      expect(r.stdout).not.toBe(old)
      expect(r.stdout).toBe(readFileSync(join(dir, c.out.replace('.out', '.new')), 'utf8'))
    }
  })
})
