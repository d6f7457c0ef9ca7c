/**
 * The three HTML reports the browser tests check, the screenshots show and the benchmark times: the examples'
 * (events with stages and costs), 200,000 generated journeys (seeded, so every run writes the same file) and a
 * degenerate input (one touchpoint, no conversions). Each is written by the CLI in-process.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { run } from '../../src/cli/run'
import { writeEvents } from '../generate-paths'

export type ReportPageName = 'examples' | '200k' | 'degenerate'

/** Event lines for about 200,000 journeys (200,251 as the report counts them: a journey ends at a conversion). */
export const ROWS_200K = 980_000
export const JOURNEYS_200K = 200_251

/** The input files of a page, written into `dir` (the 200k file: about 1.5 s, 44 MB). */
export const reportInput = async (name: ReportPageName, dir: string): Promise<ReadonlyArray<string>> => {
  if (name === 'examples') return ['examples/events.csv', '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv']
  if (name === '200k') {
    const file = join(dir, 'events-200k.csv')
    await writeEvents(ROWS_200K, 'report-200k', file)
    return [file, '--stages', 'examples/stages.json', '--costs', 'examples/costs.csv']
  }
  // Three visits of one touchpoint by two users, none converting.
  const file = join(dir, 'degenerate.csv')
  writeFileSync(file, 'user_id,timestamp,channel,conversion,conversion_value\nu1,2026-09-01T10:00:00Z,email,0,\nu2,2026-09-02T10:00:00Z,email,0,\nu2,2026-09-03T10:00:00Z,email,0,\n')
  return [file]
}

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `touchpoint ...argv` in this process, its output captured. */
export const runCli = async (argv: ReadonlyArray<string>): Promise<CliRun> => {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Array<Buffer> = []
  const err: Array<Buffer> = []
  stdout.on('data', (d: Buffer) => out.push(d))
  stderr.on('data', (d: Buffer) => err.push(d))
  const code = await run(argv, { stdin: Readable.from(['']), stdout, stderr })
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}

/** Write the HTML report `name` to `out` (inputs in `dir`); `Error` with the CLI's message when it fails. */
export const writeReportPage = async (name: ReportPageName, dir: string, out: string, extra: ReadonlyArray<string> = []): Promise<CliRun> => {
  const input = await reportInput(name, dir)
  const r = await runCli(['report', ...input, ...extra, '-o', out])
  if (r.code !== 0) throw new Error(`touchpoint report (${name}) failed: ${r.stderr}`)
  return r
}
