// GrowthBook's own hash and bucketing helpers: not in its package's exports map, so re-exported here by path.
export { hash, chooseVariation, getBucketRanges, inNamespace } from '../node_modules/@growthbook/growthbook/dist/esm/util.mjs'
