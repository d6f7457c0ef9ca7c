/** Shared generators and helpers for the report tests. */
import { fc } from '@fast-check/vitest'
import { CHANNELS, arbPath, arbTimedPath } from '../attribution/_helpers'
import { tracedAccumulator } from '../../src/attribution/accumulate'
import { DEFAULT_SETTINGS, type Journey, type ModelName, type Settings } from '../../src/attribution/model'
import { reportSettings, touchpointAccumulator } from '../../src/report/accumulate'
import { replicateLayer } from '../../src/report/bootstrap'
import type { BootstrapSums, ReportPartial, ReportSettings } from '../../src/report/model'

export { CHANNELS, arbPath, arbTimedPath }

/** A mix of aggregated rows and timed event journeys (one conversion or one null each). */
export const arbJourney: fc.Arbitrary<Journey> = fc.oneof(
  arbPath(),
  arbTimedPath,
  arbTimedPath.map((j) => ({ channels: j.channels, times: j.times!, conversions: 0, value: 0, nulls: 1 })),
)

export const arbJourneys = (maxLength = 30): fc.Arbitrary<ReadonlyArray<Journey>> =>
  fc.array(arbJourney, { minLength: 1, maxLength }).filter((js) => js.some((j) => j.conversions > 0))

export const settings = (over: Partial<Omit<ReportSettings, 'attribution'>> = {}): ReportSettings => reportSettings(DEFAULT_SETTINGS, { replicates: 0, ...over })

export const reduceBoth = (journeys: ReadonlyArray<Journey>, s: ReportSettings = settings()): ReportPartial => {
  const both = touchpointAccumulator(s)
  for (const j of journeys) {
    both.accumulator.add(j)
    both.accumulator.countRows(1)
  }
  return both.snapshot()
}

export const sum = (xs: ReadonlyArray<number>): number => xs.reduce((s, x) => s + x, 0)

/** Deep comparison of JSON-like values with a relative tolerance on numbers; returns the first difference. */
export const diff = (a: unknown, b: unknown, tol = 1e-9, path = ''): string | undefined => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b))) return undefined
    return `${path}: ${a} != ${b}`
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} != ${b.length}`
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], tol, `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} != ${kb.join()}`
    for (const k of ka) {
      const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${path}.${k}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`
}

/**
 * The replicate layer's sums over journeys fed through attribution's accumulator (the traces), as the report's
 * reducer feeds it; `options` go to `replicateLayer` (WebAssembly or not, the dense touch-key table's size).
 */
export const layerSums = (
  js: ReadonlyArray<Journey>,
  attribution: Settings,
  R: number,
  seed: string,
  models: ReadonlyArray<ModelName> | undefined,
  options: Parameters<typeof replicateLayer>[4] = {},
): BootstrapSums => {
  const base = tracedAccumulator(attribution)
  const layer = replicateLayer(attribution, R, seed, models, options)
  let known = 0
  const path: Array<number> = []
  for (const j of js) {
    j.channels.forEach((name, i) => {
      path[i] = base.accumulator.channelIndex(name)
      if (path[i] === known) layer.channel(known++, name)
    })
    base.accumulator.addIndexed(path, j.channels.length, j.conversions, j.value, j.nulls, j.times, j.conversionTime)
    layer.add(path, j.channels.length, j.conversions, j.value, j.nulls, j.times, j.conversionTime, base.trace)
  }
  return layer.snapshot(base.accumulator.snapshot())
}
