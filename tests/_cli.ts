/** Run the CLI in-process with captured streams. */
import { spawn } from 'node:child_process'
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

/** The built command (`npm test` builds first): what users run, in its own process. */
export const CLI = new URL('../dist/cli.js', import.meta.url).pathname

export interface SpawnResult extends CliResult {
  readonly signal: NodeJS.Signals | null
}

/**
 * Run the built CLI in a child process. `stdout` may be a file descriptor (e.g. one opened on /dev/full) instead
 * of a pipe; `node` adds flags for node itself (a heap limit, say).
 */
export const spawnCli = (
  argv: ReadonlyArray<string>,
  options: { readonly stdin?: string | Buffer; readonly stdout?: number; readonly node?: ReadonlyArray<string>; readonly uid?: number; readonly gid?: number; readonly cwd?: string } = {},
): Promise<SpawnResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.node ?? []), CLI, ...argv], {
      stdio: ['pipe', options.stdout ?? 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    })
    const out: Array<Buffer> = []
    const err: Array<Buffer> = []
    child.stdout?.on('data', (d: Buffer) => out.push(d))
    child.stderr!.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.stdin!.on('error', () => undefined) // the command may exit before reading all of it
    child.stdin!.end(options.stdin ?? '')
    child.on('close', (code, signal) =>
      resolve({ code: code ?? -1, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    )
  })
