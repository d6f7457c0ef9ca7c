/**
 * Sharding, part of the pipeline: an uncompressed file cut into byte ranges, each read by the same pipeline into
 * its own reducer (the first on this thread, the others in worker threads), the partials merged in file order
 * and the bad lines renumbered as one read would number them. Works for any reducer a `ReducerSpec` names, so
 * `attribute` and `report` both shard. Event input is not sharded: a user's journey may cross a range boundary.
 *
 * @module
 */
import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/Either'
import type { BadLine, ReadTally } from '../attribution/read/reader'
import type { ReadSettings } from '../attribution/read/settings'
import { formatError } from '../core/errors'
import { readSources, type Source } from './read'
import { mergeOf, reducerOf, type PartialOf, type ReducerSpec } from './reducers'

/** What a shard reads and into what (plain data: it crosses into a worker thread). */
export interface ShardJob<S extends ReducerSpec = ReducerSpec> {
  readonly settings: ReadSettings
  readonly reducer: S
  readonly source: Source
}

/** What a shard gives back. */
export interface ShardResult<P> {
  readonly partial: P
  readonly tally: ReadTally
}

/** Reads one shard into a fresh reducer: what a worker thread runs, and the main thread for the first shard. */
export const readShard = async <S extends ReducerSpec>(job: ShardJob<S>): Promise<ShardResult<PartialOf<S>>> => {
  const reducer = reducerOf(job.reducer)
  const tally = await readSources(job.settings, [job.source], reducer)
  return { partial: reducer.snapshot(), tally }
}

type Starter = (job: ShardJob) => Worker

/**
 * Starts the worker of the built package: `pipeline-worker.js` beside this module's bundle (tsup puts every entry
 * in dist/). Only the ES module build knows where it is.
 */
const startBuilt: Starter = (job) => {
  const here: unknown = import.meta.url
  if (typeof here !== 'string') throw new Error('worker threads need the ES module build of touchpoint (dist/*.js)')
  return new Worker(new URL('./pipeline-worker.js', here), { workerData: job })
}

let starter: Starter = startBuilt

/**
 * Replaces how workers are started (the test harness runs the TypeScript sources, which a worker thread cannot
 * load by itself). Returns the previous starter.
 *
 * @internal
 */
export const setWorkerStarter = (start: Starter): Starter => {
  const previous = starter
  starter = start
  return previous
}

const runWorker = <S extends ReducerSpec>(job: ShardJob<S>): Promise<ShardResult<PartialOf<S>>> =>
  new Promise((resolve, reject) => {
    let worker: Worker
    try {
      worker = starter(job)
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)))
      return
    }
    worker.once('message', (m: { ok: true; result: ShardResult<PartialOf<S>> } | { ok: false; error: string }) => {
      void worker.terminate()
      if (m.ok) resolve(m.result)
      else reject(new Error(m.error))
    })
    worker.once('error', reject)
  })

/** Runs tasks with at most `limit` at a time; results in task order. */
const pool = async <A>(tasks: ReadonlyArray<() => Promise<A>>, limit: number): Promise<Array<A>> => {
  const results = new Array<A>(tasks.length)
  let next = 0
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane))
  return results
}

/** A file to cut: its path, size and what is known of it. */
export interface ShardableFile {
  readonly path: string
  readonly size: number
  readonly format?: import('../attribution/read/settings').InputFormat
  readonly header?: ReadonlyArray<string>
}

/**
 * Reads files cut into about `threads` byte ranges each. Returns undefined when some shard saw a quoted field
 * spanning lines: a shard cannot tell that it starts inside quotes, so the caller reads the files again whole.
 */
export const readSharded = async <S extends ReducerSpec>(
  settings: ReadSettings,
  spec: S,
  files: ReadonlyArray<ShardableFile>,
  threads: number,
): Promise<{ readonly partial: PartialOf<S>; readonly tally: ReadTally; readonly names: ReadonlyArray<string> } | undefined> => {
  const jobs: Array<ShardJob<S>> = []
  for (const f of files) {
    // At least 64 KiB per shard: below that, a worker costs more than it saves.
    const n = Math.max(1, Math.min(threads, Math.floor(f.size / 65536) || 1))
    for (let i = 0; i < n; i++) {
      const start = Math.floor((f.size * i) / n)
      const end = Math.floor((f.size * (i + 1)) / n)
      jobs.push({
        settings,
        reducer: spec,
        source: { path: f.path, ...(f.format === undefined ? {} : { format: f.format }), ...(f.header === undefined ? {} : { header: f.header }), range: { start, end } },
      })
    }
  }
  // The first shard is read here, the others in worker threads: one isolate fewer, and no thread idle.
  const results = await pool(
    jobs.map((job, i) => () => (i === 0 ? readShard(job) : runWorker(job))),
    threads,
  )
  if (results.some((r) => r.tally.multiLine.some((m) => m))) return undefined
  const merge = mergeOf(spec)
  let partial = results[0]!.partial
  for (let i = 1; i < results.length; i++) {
    const m = merge(partial, results[i]!.partial)
    if (E.isLeft(m)) throw new Error(formatError(m.left))
    partial = m.right
  }
  // Bad lines renumbered from each file's top, sources renumbered to files.
  const names = files.map((f) => f.path)
  const base = new Map<string, number>()
  const bad: Array<BadLine> = []
  let failed = false
  let rows = 0
  let ignored = 0
  let skipped = 0
  let replacedUtf8 = 0
  const lines = files.map(() => 0)
  for (let i = 0; i < results.length && !failed; i++) {
    const t = results[i]!.tally
    const file = jobs[i]!.source.path
    const source = names.indexOf(file)
    const offset = base.get(file) ?? 0
    base.set(file, offset + (t.lines[0] ?? 0))
    lines[source] = offset + (t.lines[0] ?? 0)
    for (const b of t.bad) if (bad.length < Math.max(settings.maxReasons, t.failed ? 1 : 0) || (t.failed && bad.length === 0)) bad.push({ ...b, source, line: offset + b.line })
    rows += t.rows
    ignored += t.ignored
    skipped += t.skipped
    replacedUtf8 += t.replacedUtf8
    failed = t.failed
  }
  const tally: ReadTally = {
    rows,
    ignored,
    skipped,
    bad,
    failed,
    lines,
    multiLine: files.map(() => false),
    replacedUtf8,
    kind: results[0]!.tally.kind,
    peakOpenUsers: 0,
    timeOrdered: true,
  }
  return { partial, tally, names }
}
