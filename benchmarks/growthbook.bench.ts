/**
 * GrowthBook mode against GrowthBook's own code (@growthbook/growthbook 1.8.0), one unit per call, in one process:
 * - the SDK's `run()` on one shared `GrowthBook` instance (attributes set per unit, no tracking callback);
 * - the SDK's multi-user `GrowthBookClient.runInlineExperiment` on one shared client;
 * - GrowthBook's bare `hash` + `chooseVariation` over precomputed `getBucketRanges` (the least of its own code a
 *   decision needs, no eligibility checks);
 * - touchpoint's `assignTo` on an Assigner from `fromGrowthBook`, and the split's bucket + variantAt alone.
 * For three experiments: hash v2 50/50, hash v2 with 3 weighted variations at 80% coverage and a filter (a
 * mutually exclusive layer), and hash v1 with a legacy namespace.
 * Run: npx tsx benchmarks/growthbook.bench.ts   (or npm run bench -- growthbook)
 */
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/Either'
import { GrowthBook, GrowthBookClient, type Experiment as GbExperiment } from '@growthbook/growthbook'
import { assignTo } from '../src/assignment/assign'
import { fromGrowthBook } from '../src/assignment/compat/growthbook'
import { measure, type Row } from './_harness'
import { chooseVariation, getBucketRanges, hash } from './growthbookUtil.mjs'

const BATCH = 1024
const ids = Array.from({ length: BATCH }, (_, i) => (i % 8 === 0 ? `visitor-${i}-Zoë-😀` : `${(i * 2654435761) >>> 0}-${i}-visitor`))
const units = ids.map((id) => ({ id }))

interface Case {
  readonly title: string
  readonly experiment: GbExperiment<string>
}

const cases: ReadonlyArray<Case> = [
  {
    title: 'hash v2, 2 variations 50/50',
    experiment: { key: 'checkout-button', variations: ['control', 'green'], weights: [0.5, 0.5], hashVersion: 2 },
  },
  {
    title: 'hash v2, 3 weighted variations, coverage 0.8, one filter',
    experiment: {
      key: 'pricing-page',
      variations: ['control', 'annual', 'monthly'],
      weights: [0.5, 0.25, 0.25],
      coverage: 0.8,
      hashVersion: 2,
      filters: [{ seed: 'layer-checkout', ranges: [[0, 0.6]], hashVersion: 2 }],
    },
  },
  {
    title: 'hash v1, 2 variations, legacy namespace',
    experiment: { key: 'old-banner', variations: ['a', 'b'], hashVersion: 1, namespace: ['promo', 0, 0.5] },
  },
]

// GrowthBook warns about repaired weights on console.error outside production; keep the bench output readable.
process.env['NODE_ENV'] = 'production'

const gb = new GrowthBook({ attributes: {} })
const client = new GrowthBookClient()

export const run = async (): Promise<ReadonlyArray<Row>> => {
  const rows: Array<Row> = []
  for (const { title, experiment } of cases) {
    const imported = fromGrowthBook([experiment])
    if (E.isLeft(imported)) throw new Error(`benchmark experiment does not import: ${JSON.stringify(imported.left)}`)
    const assigner = imported.right
    const split = assigner.experiments[0]!.split
    const key = experiment.key
    const seed = experiment.seed || key
    const version = experiment.hashVersion || 1
    const ranges = getBucketRanges(experiment.variations.length, experiment.coverage ?? 1, experiment.weights)
    // Same answers first: a benchmark of code that disagrees would mean nothing.
    for (let i = 0; i < BATCH; i++) {
      const a = assignTo(key, units[i]!)(assigner)
      const r = client.runInlineExperiment(experiment, { attributes: units[i]! })
      if ((a._tag === 'Enrolled' ? a.variantIndex : -1) !== (r.inExperiment ? r.variationId : -1)) throw new Error(`disagreement on ${ids[i]}`)
    }
    rows.push(
      ...(await measure(
        `GrowthBook mode, ${title} (per call)`,
        [
          { name: 'touchpoint assignTo', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += assignTo(key, units[i]!)(assigner)._tag.length; return x } },
          { name: 'touchpoint split only (bucket+variantAt)', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += split.variantAt(split.hashing.bucket(ids[i]!)); return x } },
          { name: 'GrowthBook hash+chooseVariation', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += chooseVariation(hash(seed, ids[i]!, version)!, ranges); return x } },
          { name: 'GrowthBookClient.runInlineExperiment', run: () => { let x = 0; for (let i = 0; i < BATCH; i++) x += client.runInlineExperiment(experiment, { attributes: units[i]! }).variationId; return x } },
          {
            name: 'GrowthBook run() (shared instance)',
            run: () => {
              let x = 0
              for (let i = 0; i < BATCH; i++) {
                // setAttributes is async only with sticky bucketing or remote evaluation; here it sets them at once.
                void gb.setAttributes(units[i]!)
                x += gb.run(experiment).variationId
              }
              return x
            },
          },
        ],
        { batch: BATCH, baseline: 'touchpoint assignTo' },
      )),
    )
  }
  return rows
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run()
  gb.destroy()
}
