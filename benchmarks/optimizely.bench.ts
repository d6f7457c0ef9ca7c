/**
 * Optimizely mode against Optimizely's own code, one user id per call, in one process:
 * - the SDK's public `getVariation` on a shared client (static datafile, no events, no logger);
 * - the SDK bucketer's code path, rebuilt from its source (core/bucketer: `murmurhash.v3(bucketingId + experimentId, 1)`,
 *   scaled to 10,000, first `endOfRange` above the bucket), since the bundle does not export `bucket`;
 * - touchpoint's `assignTo` on an Assigner from the same datafile, and its bucket function alone.
 * Also Unleash's normalizedValue against touchpoint's prefixed low-byte hash.
 * Run: npx tsx benchmarks/optimizely.bench.ts
 */
import { pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import * as E from 'fp-ts/Either'
import murmurhash from 'murmurhash'
import { createInstance, createStaticProjectConfigManager, OptimizelyDecideOption } from '@optimizely/optimizely-sdk'
import { assignTo } from '../src/assignment/assign'
import { decideOptimizelyFlag, fromOptimizelyDatafile, fromOptimizelyFlags, optimizelyBucket } from '../src/assignment/compat/optimizely'
import { unleashBucket } from '../src/assignment/compat/unleash'
import { measure, type Row } from './_harness'

const require = createRequire(import.meta.url)
const { normalizedStrategyValue } = require('unleash-client/lib/strategy/util') as { normalizedStrategyValue: (id: string, groupId: string) => number }

const BATCH = 1024
const ids = Array.from({ length: BATCH }, (_, i) => (i % 8 === 0 ? `visitor-${i}-Zoë` : `${(i * 2654435761) >>> 0}-${i}-visitor`))
const units = ids.map((userId) => ({ userId }))

const EXPERIMENT_ID = '20165530144'
const trafficAllocation = [
  { entityId: '20169050123', endOfRange: 5000 },
  { entityId: '20169050124', endOfRange: 10000 },
]
const datafile = {
  version: '4', revision: '1', projectId: 'p', accountId: 'a', anonymizeIP: true, botFiltering: false,
  attributes: [], events: [], audiences: [], typedAudiences: [], groups: [], rollouts: [], featureFlags: [], integrations: [],
  experiments: [{
    id: EXPERIMENT_ID, key: 'checkout_button', status: 'Running', layerId: 'l', audienceIds: [], forcedVariations: {},
    variations: [{ id: '20169050123', key: 'control', variables: [] }, { id: '20169050124', key: 'green', variables: [] }],
    trafficAllocation,
  }],
}

// A flag: a global holdout (5%), the experiment as its experiment rule, a 50% targeted delivery and Everyone Else.
const variation = (id: string, key: string, featureEnabled: boolean) => ({ id, key, featureEnabled, variables: [] })
const rule = (id: string, key: string, variations: ReadonlyArray<ReturnType<typeof variation>>, ends: ReadonlyArray<number>) => ({
  id, key, status: 'Running', layerId: `l-${id}`, audienceIds: [], forcedVariations: {}, variations,
  trafficAllocation: variations.map((v, i) => ({ entityId: v.id, endOfRange: ends[i]! })),
})
const flagDatafile = {
  ...datafile,
  rollouts: [{ id: 'ro1', experiments: [rule('d1', 'half', [variation('dv1', 'on', true)], [5000]), rule('d2', 'everyone_else', [variation('dv2', 'off', false)], [10000])] }],
  featureFlags: [{ id: 'f1', key: 'new_checkout', rolloutId: 'ro1', experimentIds: [EXPERIMENT_ID], variables: [] }],
  holdouts: [{ ...rule('h1', 'q4_holdout', [variation('hv1', 'off_holdout', false)], [500]) }],
}
const flagsDecoded = fromOptimizelyFlags(flagDatafile)
if (E.isLeft(flagsDecoded)) throw new Error('benchmark flag datafile does not decode')
const flags = flagsDecoded.right
const flagClient = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(flagDatafile) }) })
const decideOptions = [OptimizelyDecideOption.DISABLE_DECISION_EVENT, OptimizelyDecideOption.EXCLUDE_VARIABLES]
for (let i = 0; i < BATCH; i++) {
  const sdk = flagClient.createUserContext(ids[i]!)!.decide('new_checkout', decideOptions)
  const ours = decideOptimizelyFlag('new_checkout', units[i]!)(flags)
  if (sdk.variationKey !== ours.variationKey || sdk.ruleKey !== ours.ruleKey) throw new Error(`decide disagreement on ${ids[i]}`)
}

const decoded = fromOptimizelyDatafile(datafile)
if (E.isLeft(decoded)) throw new Error('benchmark datafile does not decode')
const assigner = decoded.right
const bucket = optimizelyBucket(EXPERIMENT_ID)
const client = createInstance({ projectConfigManager: createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }) })

const sdkBucketer = (bucketingId: string): string | null => {
  const value = Math.floor((murmurhash.v3(`${bucketingId}${EXPERIMENT_ID}`, 1) / 4294967296) * 10000)
  for (const ta of trafficAllocation) if (value < ta.endOfRange) return ta.entityId
  return null
}

// The two must agree before their speed means anything.
for (let i = 0; i < BATCH; i++) {
  const a = assignTo('checkout_button', units[i]!)(assigner)
  if ((a._tag === 'Enrolled' ? a.variant : null) !== client.getVariation('checkout_button', ids[i]!)) throw new Error(`disagreement on ${ids[i]}`)
}

const unleashHash = unleashBucket('checkout', 100, 0)

export const run = async (): Promise<ReadonlyArray<Row>> => {
  const optimizely = await measure(
    'Optimizely mode: one user, one 2-variation experiment (per call)',
    [
      { name: 'touchpoint assignTo (optimizely)', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += assignTo('checkout_button', units[i]!)(assigner)._tag.length; return x } },
      { name: 'touchpoint optimizelyBucket', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += bucket(ids[i]!); return x } },
      { name: 'SDK bucketer path (murmurhash)', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += sdkBucketer(ids[i]!)?.length ?? 0; return x } },
      { name: 'SDK client.getVariation', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += client.getVariation('checkout_button', ids[i]!)?.length ?? 0; return x } },
    ],
    { batch: BATCH, baseline: 'touchpoint assignTo (optimizely)' },
  )
  const decide = await measure(
    'Optimizely flag: holdout, experiment rule, delivery rules (per call)',
    [
      { name: 'touchpoint decideOptimizelyFlag', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += decideOptimizelyFlag('new_checkout', units[i]!)(flags).variationKey?.length ?? 0; return x } },
      { name: 'SDK createUserContext + decide', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += flagClient.createUserContext(ids[i]!)!.decide('new_checkout', decideOptions).variationKey?.length ?? 0; return x } },
    ],
    { batch: BATCH, baseline: 'touchpoint decideOptimizelyFlag' },
  )
  const unleash = await measure(
    'Unleash hash: normalizedValue(id, groupId, 100) (per call)',
    [
      { name: 'touchpoint unleashBucket', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += unleashHash(ids[i]!); return x } },
      { name: 'unleash-client normalizedStrategyValue', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += normalizedStrategyValue(ids[i]!, 'checkout'); return x } },
    ],
    { batch: BATCH, baseline: 'touchpoint unleashBucket' },
  )
  return [...optimizely, ...decide, ...unleash]
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run()
  client.close()
  flagClient.close()
}
