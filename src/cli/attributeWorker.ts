/**
 * A worker thread of `touchpoint attribute --workers N`: reduces one byte range of a path file to a partial
 * result and posts it back (plain data, structured-cloned).
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openRange, readInput, type ReadSpec } from '../files/attributionInput'

const spec = workerData as ReadSpec
readInput(spec, () => openRange(spec.file, spec.start)).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
)
