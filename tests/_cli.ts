/** Run the CLI in-process with captured streams. */
import { PassThrough, Readable } from 'node:stream'
import { run } from '../src/cli/run'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const cli = (argv: ReadonlyArray<string>, stdin = ''): Promise<CliResult> => cliBytes(argv, stdin)

/** The same, with standard input given as bytes (a gzip stream, say). */
export const cliBytes = async (argv: ReadonlyArray<string>, stdin: string | Buffer): Promise<CliResult> => {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Array<Buffer> = []
  const err: Array<Buffer> = []
  stdout.on('data', (d: Buffer) => out.push(d))
  stderr.on('data', (d: Buffer) => err.push(d))
  const code = await run(argv, { stdin: Readable.from([stdin]), stdout, stderr })
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}
