/**
 * Bytes allocated per call, run by tests/assignment/handle.test.ts as
 * `node --expose-gc --max-semi-space-size=128 --min-semi-space-size=128 --import tsx tests/assignment/_allocation.ts`: the young generation
 * is large enough that no collection runs during a measured loop, so the heap delta is what the loop allocated.
 */
import { decodeConfig } from '../../src/assignment/decode'
import { experimentHandle } from '../../src/assignment/handle'

const gc = (globalThis as { gc?: () => void }).gc!
const N = 200_000
const decoded = decodeConfig({ experiments: [{ key: 'hero', unit: 'userId', coverage: 0.9, variants: [{ key: 'a', weight: 0.3 }, { key: 'b', weight: 0.7 }] }] })
if (decoded._tag === 'Left') throw new Error('fixture')
const handle = experimentHandle('hero')(decoded.right)
if (handle._tag === 'None') throw new Error('fixture')
const ids = Array.from({ length: 4096 }, (_, i) => (i % 16 === 0 ? `zoë-${i}-😀` : `visitor-${i}-${(i * 2654435761) >>> 0}`))
const units = ids.map((userId) => ({ userId }))

const bytesPerCall = (run: (i: number) => number): number => {
  let sink = 0
  const measure = () => {
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < N; i++) sink = (sink + run(i & 4095)) | 0
    return (process.memoryUsage().heapUsed - before) / N
  }
  // Warm up (compiled code, inline caches and their metadata), then the least of five: a background compile
  // finishing during one loop puts its code on the heap, which is not the call's allocation.
  for (let k = 0; k < 3; k++) measure()
  const bytes = Math.min(measure(), measure(), measure(), measure(), measure())
  if (sink === 0.5) console.log(sink)
  return bytes
}

// Results are kept (as a caller keeps them), so the optimiser cannot elide the object it would allocate.
const kept: Array<unknown> = new Array(1024)

const { variantIndex, assign } = handle.value
console.log(
  JSON.stringify({
    variantIndexUnit: bytesPerCall((i) => variantIndex(units[i]!)),
    variantIndexId: bytesPerCall((i) => variantIndex(ids[i]!)),
    assign: bytesPerCall((i) => {
      const a = assign(units[i]!)
      kept[i & 1023] = a
      return a.experiment.length
    }),
  }),
)
