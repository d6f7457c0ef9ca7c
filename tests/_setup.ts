/**
 * Test harness setup: sharded reads start their worker threads from the TypeScript sources, which a worker
 * thread cannot load by itself; the shipped package starts dist/pipeline-worker.js and knows nothing of tsx.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { setWorkerStarter } from '../src/files/shards'

const target = fileURLToPath(new URL('../src/files/shardWorker.ts', import.meta.url))
setWorkerStarter((job) => new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(target)})`, { eval: true, workerData: job }))
