/**
 * The one place commands write their results: standard output or `--output FILE`, streamed with backpressure so
 * memory does not grow with the output, and every failure (missing directory, permission, full disk, closed
 * pipe) an `OutputError` naming the target instead of a lost write.
 *
 * A file is written whole or not at all: into a temporary file beside it (`.NAME.touchpoint-PID-N.tmp`), renamed
 * over the target on `commit`, removed on `abort` and on SIGINT/SIGTERM/SIGHUP (`removeTempFiles`, called by the
 * signal handlers in main.ts). The PID in the name lets the next run writing the same target remove what a
 * killed run (SIGKILL, power loss) left, once that process is gone. A target that is not a regular file (a FIFO,
 * /dev/null, /dev/stdout) is written in place: renaming over it would replace the device.
 *
 * Standard output holds back its first MiB, so a run that fails early prints nothing; beyond that it streams,
 * and a later failure says the output is incomplete.
 *
 * @module
 */
import { unlinkSync } from 'node:fs'
import { access, constants, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { EXIT_CLOSED_PIPE, EXIT_OUTPUT, say, type Io } from './io'

/** Text is handed on in pieces of about this size: one system call each. */
const PIECE = 64 * 1024
/** Standard output keeps this much before writing anything. */
const STDOUT_HOLD = 1024 * 1024

/** A write that could not be done. `partial`: some of the output already reached the target and stays there. */
export class OutputError extends Error {
  /** The target as the user named it, or "standard output". */
  readonly target: string
  readonly code: string | undefined
  readonly partial: boolean
  constructor(target: string, code: string | undefined, reason: string, partial: boolean) {
    super(`cannot write ${target}: ${reason}`)
    this.target = target
    this.code = code
    this.partial = partial
  }
  /** The reader of standard output went away (`| head -1`): not a failure worth a word. */
  get closedPipe(): boolean {
    return this.code === 'EPIPE'
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EPIPE: 'the reader closed the pipe',
  EIO: 'input/output error',
}

const errorCode = (e: unknown): string | undefined => (e as { code?: unknown } | null)?.code as string | undefined

const outputError = (target: string, e: unknown, partial: boolean): OutputError => {
  if (e instanceof OutputError) return e
  const code = errorCode(e)
  const reason = code !== undefined && REASONS[code] !== undefined ? `${code}: ${REASONS[code]}` : e instanceof Error ? e.message : String(e)
  return new OutputError(target, code, reason, partial)
}

/** Where text goes. `write` returns a promise only when the caller must wait (backpressure); await it then. */
export interface Output {
  readonly write: (text: string) => Promise<void> | undefined
  /** Everything written: flushed, and for a file, renamed over the target. */
  readonly commit: () => Promise<void>
  /** Nothing written: the temporary file removed. Never fails. */
  readonly abort: () => Promise<void>
}

/** A destination of bytes: a file handle or a stream. */
interface Target {
  readonly put: (bytes: Buffer) => Promise<void>
  readonly close: () => Promise<void>
}

const fileTarget = (handle: FileHandle): Target => ({
  put: async (bytes) => {
    for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten
  },
  close: () => handle.close(),
})

const streamTarget = (stream: Writable): Target => {
  let failed: unknown
  // Without a listener a stream error (EPIPE) is an uncaught exception with a stack trace.
  const onError = (e: unknown) => {
    failed ??= e
  }
  stream.on('error', onError)
  return {
    put: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (failed !== undefined) return reject(failed)
        stream.write(bytes, (e) => (e ? reject(e) : failed !== undefined ? reject(failed) : resolve()))
      }),
    close: async () => {
      stream.off('error', onError)
      stream.on('error', () => undefined)
      if (failed !== undefined) throw failed
    },
  }
}

/** Text gathered into pieces and handed to the target one at a time. */
const buffered = (target: Target, name: string, first: number, finish: (target: Target) => Promise<void>, cleanup: () => Promise<void>): Output => {
  let parts: Array<string> = []
  let size = 0
  let threshold = first
  let reached = false // some bytes are at the target already
  let failure: OutputError | undefined
  let pending: Promise<void> | undefined
  const flush = async (): Promise<void> => {
    if (size === 0) return
    const bytes = Buffer.from(parts.length === 1 ? parts[0]! : parts.join(''), 'utf8')
    parts = []
    size = 0
    threshold = PIECE
    try {
      await target.put(bytes)
      reached = true
    } catch (e) {
      throw (failure = outputError(name, e, reached))
    }
  }
  return {
    write: (text) => {
      if (failure !== undefined) return Promise.reject(failure)
      parts.push(text)
      size += text.length
      if (size < threshold) return undefined
      // One piece at a time, in order, even if a caller does not wait.
      pending = pending === undefined ? flush() : pending.then(flush)
      return pending
    },
    commit: async () => {
      if (failure !== undefined) throw failure
      await pending
      await flush()
      try {
        await finish(target)
      } catch (e) {
        throw (failure = outputError(name, e, reached))
      }
    },
    abort: async () => {
      parts = []
      size = 0
      await pending?.catch(() => undefined)
      await target.close().catch(() => undefined)
      await cleanup().catch(() => undefined)
    },
  }
}

// Temporary files being written, with their targets, for the signal handlers.
const live = new Map<string, string>()
let sequence = 0

/**
 * Removes every temporary file this process is writing; returns their targets. Synchronous, for signal handlers.
 *
 * @internal
 */
export const removeTempFiles = (): ReadonlyArray<string> => {
  const targets = [...live.values()]
  for (const temp of live.keys()) {
    try {
      unlinkSync(temp)
    } catch {
      // gone already
    }
  }
  live.clear()
  return targets
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errorCode(e) === 'EPERM' // alive, someone else's
  }
}

/** Temporary files for `base` in `dir` left by processes that are gone (killed before they could clean up). */
const removeStaleTemps = async (dir: string, base: string): Promise<void> => {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.touchpoint-(\\d+)-\\d+\\.tmp$`)
  let names: ReadonlyArray<string>
  try {
    names = await readdir(dir)
  } catch {
    return // unreadable: creating the temporary file will say what is wrong
  }
  for (const name of names) {
    const m = pattern.exec(name)
    if (m === null) continue
    const pid = Number(m[1])
    const temp = join(dir, name)
    if ((pid === process.pid && !live.has(temp)) || (pid !== process.pid && !isRunning(pid))) await unlink(temp).catch(() => undefined)
  }
}

/** The target behind symlinks, so a link keeps pointing where it did; the path itself when nothing is there yet. */
const resolveTarget = async (path: string): Promise<string> => {
  try {
    return await realpath(path)
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return path
    throw e
  }
}

/**
 * Open the output a command writes: standard output for `undefined` or `-`, else the file. Rejects with an
 * `OutputError` when the file cannot be created (missing directory, permission, a directory in its place).
 *
 * @internal
 */
export const openOutput = async (path: string | undefined, io: Io): Promise<Output> => {
  if (path === undefined || path === '-') return buffered(streamTarget(io.stdout), 'standard output', STDOUT_HOLD, (t) => t.close(), async () => undefined)
  try {
    const resolved = await resolveTarget(path)
    const existing = await stat(resolved).catch((e: unknown) => {
      if (errorCode(e) === 'ENOENT') return undefined
      throw e
    })
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    if (existing !== undefined && !existing.isFile()) {
      // A FIFO, a device: write into it; there is nothing to rename.
      const handle = await open(resolved, 'w')
      return buffered(fileTarget(handle), path, PIECE, (t) => t.close(), async () => undefined)
    }
    const dir = dirname(resolved)
    const base = basename(resolved)
    await removeStaleTemps(dir, base)
    const temp = join(dir, `.${base}.touchpoint-${process.pid}-${++sequence}.tmp`)
    const handle = await open(temp, 'wx', 0o666)
    live.set(temp, path)
    // A replaced file keeps its permissions.
    if (existing !== undefined) await handle.chmod(existing.mode & 0o7777).catch(() => undefined)
    return buffered(
      fileTarget(handle),
      path,
      PIECE,
      async () => {
        try {
          await handle.datasync() // the rename must not become visible before the bytes are on disk
          await handle.close()
          await rename(temp, resolved)
        } catch (e) {
          await handle.close().catch(() => undefined)
          await unlink(temp).catch(() => undefined)
          throw e
        } finally {
          live.delete(temp)
        }
      },
      async () => {
        live.delete(temp)
        await unlink(temp)
      },
    )
  } catch (e) {
    throw outputError(path, e, false)
  }
}

/**
 * Before a long read: would `--output path` fail for want of its directory (missing, not a directory, not
 * writable) or because a directory is in its place? Returns the exit code after saying so, or undefined. Writing
 * may still fail later (a full disk); this only spares the user a long read for a typo.
 *
 * @internal
 */
export const checkOutput = async (command: string, path: string | undefined, io: Io): Promise<number | undefined> => {
  if (path === undefined || path === '-') return undefined
  try {
    const resolved = await resolveTarget(path)
    if ((await stat(resolved).catch(() => undefined))?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    const dir = dirname(resolved)
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
    await access(dir, constants.W_OK)
    return undefined
  } catch (e) {
    return outputFailure(command, outputError(path, e, false), io)
  }
}

/**
 * The exit code of a failed output, after saying what failed on standard error; a closed standard output pipe
 * ends quietly (141, as a shell reports a tool stopped by SIGPIPE). Anything else than an `OutputError` is
 * rethrown.
 *
 * @internal
 */
export const outputFailure = (command: string, e: unknown, io: Io): number => {
  if (!(e instanceof OutputError)) throw e
  if (e.closedPipe && e.target === 'standard output') return EXIT_CLOSED_PIPE
  say(io, `touchpoint ${command}: ${e.message}${e.partial ? ` (the output is incomplete)` : e.target === 'standard output' ? '' : `; nothing was written to ${e.target}`}`)
  return EXIT_OUTPUT
}

/**
 * Write whole texts to their outputs, all or none: every file is written to its temporary first, then all are
 * renamed. Returns 0, or the exit code of the failure after saying it.
 *
 * @internal
 */
export const writeOutputs = async (command: string, io: Io, outputs: ReadonlyArray<{ readonly path: string | undefined; readonly text: string | Iterable<string> }>): Promise<number> => {
  const opened: Array<Output> = []
  try {
    for (const o of outputs) {
      const out = await openOutput(o.path, io)
      opened.push(out)
      for (const text of typeof o.text === 'string' ? piecesOf(o.text) : o.text) {
        const wait = out.write(text)
        if (wait !== undefined) await wait
      }
    }
    for (const out of opened) await out.commit()
    return 0
  } catch (e) {
    for (const out of opened) await out.abort()
    return outputFailure(command, e, io)
  }
}

/** `writeOutputs` of one text. */
export const writeOutput = (command: string, path: string | undefined, io: Io, text: string | Iterable<string>): Promise<number> => writeOutputs(command, io, [{ path, text }])

/** A long string in pieces, so it is encoded and written a piece at a time; never between two halves of a surrogate pair. */
function* piecesOf(text: string): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + PIECE, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    yield text.slice(i, end)
    i = end
  }
}
