/**
 * One unit assigned to a 2-variant experiment: touchpoint against GrowthBook and Optimizely's bucketing, with a
 * bare FNV-1a loop over the unit id as the floor (the least work any hash-based assignment can do).
 * Run: npm run bench -- assignment
 */
import * as E from 'fp-ts/Either'
import { GrowthBookClient } from '@growthbook/growthbook'
import murmurhash from 'murmurhash'
import { assignExperiment, assignTo, decodeConfig } from '../src/assignment/index'
import { measure, type Row } from './_harness'
import { chooseVariation, getBucketRanges, hash } from './growthbookUtil.mjs'

const BATCH = 1024
const ids = Array.from({ length: BATCH }, (_, i) => `${(i * 2654435761) >>> 0}-${i}-visitor`)
const units = ids.map((userId) => ({ userId }))

const decoded = decodeConfig({
  experiments: [{ key: 'checkout-button', unit: 'userId', variants: [{ key: 'control', weight: 0.5 }, { key: 'green', weight: 0.5 }] }],
})
if (E.isLeft(decoded)) throw new Error('benchmark config does not decode')
const assigner = decoded.right
const experiment = assigner.byKey.get('checkout-button')!

const gbExperiment = { key: 'checkout-button', variations: ['control', 'green'] as [string, string], weights: [0.5, 0.5], hashVersion: 2 }
const gbClient = new GrowthBookClient()
const ranges = getBucketRanges(2, 1, [0.5, 0.5])

// Optimizely's bucketer: murmur3(bucketingId + experimentId, seed 1) scaled to 10,000 buckets, first range whose
// endOfRange exceeds the bucket (core/bucketer in @optimizely/optimizely-sdk 6.6.1).
const trafficAllocation = [
  { entityId: 'control', endOfRange: 5000 },
  { entityId: 'green', endOfRange: 10000 },
]
const optimizelyBucket = (userId: string): string | null => {
  const v = Math.floor((murmurhash.v3(`${userId}1234567890`, 1) / 4294967296) * 10000)
  for (const ta of trafficAllocation) if (v < ta.endOfRange) return ta.entityId
  return null
}

const fnvFloor = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export const run = async (): Promise<ReadonlyArray<Row>> =>
  measure(
    'Assignment: one unit, one 2-variant experiment (per call)',
    [
      { name: 'floor: FNV-1a over the id', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x ^= fnvFloor(ids[i]!); return x } },
      { name: 'touchpoint assignExperiment', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += assignExperiment(units[i]!)(experiment)._tag.length; return x } },
      { name: 'touchpoint assignTo (by key)', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += assignTo('checkout-button', units[i]!)(assigner)._tag.length; return x } },
      { name: 'GrowthBook hash+chooseVariation', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += chooseVariation(hash('checkout-button', ids[i]!, 2)!, ranges); return x } },
      { name: 'GrowthBook client run', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += gbClient.runInlineExperiment(gbExperiment, { attributes: { id: ids[i]! } }).variationId; return x } },
      { name: 'Optimizely bucketing (murmur3)', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += optimizelyBucket(ids[i]!)?.length ?? 0; return x } },
    ],
    { batch: BATCH, baseline: 'floor: FNV-1a over the id' },
  )

if (import.meta.url === `file://${process.argv[1]}`) await run()
