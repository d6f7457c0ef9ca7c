/**
 * A worker thread of a sharded read (`--workers N`): reads one byte range of a file into a fresh reducer and
 * posts the partial back (plain data, structured-cloned). Built as dist/pipeline-worker.js.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { readShard, type ShardJob } from './shards'

readShard(workerData as ShardJob).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
)
