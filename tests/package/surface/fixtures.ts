/**
 * Valid values of every kind the exports take, built with the library itself (the build under test): raw inputs
 * as generators (configs, units, journeys, arms, CSV text), trusted values as a few ready-made instances
 * (assigners, partials, attributions, reports, analyses). `plausible.ts` breaks them one field at a time.
 */
import fc from 'fast-check'

/** The library as plain JavaScript sees it: untyped. */
export type Lib = any

/** Files the node entry reads, written by the supervisor before the workers start. */
export interface FuzzFiles {
  readonly dir: string
  readonly config: string
  readonly compiledConfig: string
  readonly badConfig: string
  readonly paths: string
  readonly events: string
  readonly pathsJsonl: string
  readonly empty: string
  readonly missing: string
}

const right = <A>(e: { readonly _tag: string; readonly right?: A; readonly left?: unknown }, what: string): A => {
  if (e._tag !== 'Right') throw new Error(`fixture ${what} did not decode: ${JSON.stringify(e.left)}`)
  return e.right as A
}

// ---------------------------------------------------------------------------------------------------------------
// Assignment

export const arbUnitId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('u-1', 'u-42', 'alice', '3f0c1f4e-7a2b-4c9d-8e1f-0a1b2c3d4e5f', 'Zoë', '東京', '😀', '__proto__', 'toString'),
  fc.string({ minLength: 1, maxLength: 20 }),
)

const arbWeights = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }).map((raw) => {
    const total = raw.reduce((s, x) => s + x, 0)
    const ws = raw.map((x) => Math.floor((x * 1000) / total) / 1000)
    ws[ws.length - 1] = Math.round((1 - ws.slice(0, -1).reduce((s, x) => s + x, 0)) * 1000) / 1000
    return ws
  }),
)

const arbCondition = fc.oneof(
  fc.record({ attribute: fc.constant('country'), in: fc.subarray(['DE', 'FR', 'US', 'JP'], { minLength: 1 }) }),
  fc.record({ attribute: fc.constant('country'), notIn: fc.subarray(['DE', 'FR'], { minLength: 1 }) }),
  fc.record({ attribute: fc.constant('plan'), equals: fc.constantFrom('pro', 'free', true, 3) }),
  fc.record({ attribute: fc.constant('age'), range: fc.record({ gte: fc.integer({ min: 0, max: 50 }), lt: fc.integer({ min: 51, max: 120 }) }, { requiredKeys: [] }).filter((r) => Object.keys(r).length > 0) }),
)

export const arbExperimentInput = (key: string) =>
  fc
    .record(
      {
        weights: fc.option(arbWeights, { nil: undefined }),
        variants: fc.integer({ min: 1, max: 4 }),
        status: fc.constantFrom('draft', 'running', 'stopped'),
        unit: fc.constantFrom('id', 'userId'),
        salt: fc.string({ minLength: 1, maxLength: 8 }),
        coverage: fc.constantFrom(0, 0.25, 0.5, 1),
        targeting: fc.array(arbCondition, { maxLength: 2 }),
        overrides: fc.constantFrom({}, { 'u-1': 'v0' }),
        bucketVersion: fc.integer({ min: 0, max: 3 }),
        description: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: ['variants'] },
    )
    .map(({ weights, variants, ...rest }) => {
      const n = weights?.length ?? variants
      return {
        key,
        variants: Array.from({ length: n }, (_, i) => ({ key: `v${i}`, ...(weights === undefined ? {} : { weight: weights[i] }) })),
        ...rest,
      }
    })

export const arbConfig = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbExperimentInput(`exp-${i}`))))
  .chain((experiments) => fc.record({ experiments: fc.constant(experiments), version: fc.string({ maxLength: 6 }) }, { requiredKeys: ['experiments'] }))

/** A config with layers and holdouts: the cross-field rules. */
export const LAYERED_CONFIG = {
  version: '7',
  holdout: { share: 0.05, salt: 'global' },
  layers: [{ key: 'checkout', holdout: { share: 0.1 } }],
  experiments: [
    { key: 'button', layer: { key: 'checkout', ranges: [[0, 0.5]] }, variants: [{ key: 'control', weight: 0.5 }, { key: 'green', weight: 0.5 }] },
    { key: 'copy', layer: { key: 'checkout', ranges: [[0.5, 1]] }, variants: [{ key: 'control' }, { key: 'short' }], overrides: { 'u-1': 'short' } },
    { key: 'hero', unit: 'id', targeting: [{ attribute: 'country', in: ['DE', 'FR'] }], coverage: 0.5, variants: [{ key: 'control' }, { key: 'big' }] },
  ],
}

export const arbUnit: fc.Arbitrary<unknown> = fc.record(
  {
    id: arbUnitId,
    userId: arbUnitId,
    country: fc.constantFrom('DE', 'FR', 'US', ''),
    age: fc.integer({ min: 0, max: 120 }),
    plan: fc.constantFrom('pro', 'free'),
    accountId: fc.integer({ min: 0, max: 99 }),
  },
  { requiredKeys: [] },
)

export const GROWTHBOOK_EXPERIMENTS = [
  { key: 'gb-button', variations: [0, 1], weights: [0.5, 0.5], coverage: 1, hashAttribute: 'id', hashVersion: 2, seed: 'gb-button' },
  { key: 'gb-copy', variations: ['a', 'b', 'c'], hashVersion: 1, namespace: ['ns', 0, 0.5], condition: { country: { $in: ['DE', 'FR'] } } },
  { key: 'gb-filtered', variations: [false, true], filters: [{ seed: 'f', ranges: [[0, 0.5]], attribute: 'id' }], meta: [{ key: 'off' }, { key: 'on' }] },
]

export const OPTIMIZELY_DATAFILE = {
  version: '4',
  revision: '12',
  experiments: [
    {
      id: '1',
      key: 'opt-exp',
      status: 'Running',
      layerId: 'l1',
      audienceIds: [],
      forcedVariations: {},
      variations: [
        { id: '10', key: 'a', featureEnabled: true },
        { id: '11', key: 'b', featureEnabled: true },
      ],
      trafficAllocation: [
        { entityId: '10', endOfRange: 5000 },
        { entityId: '11', endOfRange: 10000 },
      ],
    },
  ],
  rollouts: [],
  featureFlags: [{ id: 'f1', key: 'flag', experimentIds: ['1'], rolloutId: '', variables: [] }],
  attributes: [],
  events: [],
  audiences: [],
  groups: [],
}

export const UNLEASH_FEATURES = {
  version: 1,
  features: [
    { name: 'toggle-a', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default', groupId: 'toggle-a' } }], variants: [{ name: 'red', weight: 500 }, { name: 'blue', weight: 500 }] },
    { name: 'toggle-b', enabled: false, strategies: [{ name: 'default' }] },
  ],
}

// ---------------------------------------------------------------------------------------------------------------
// Attribution and report

export const CHANNELS = ['search', 'display', 'email', 'social', 'direct', 'affiliate', 'video', 'store'] as const

export const arbPathJourney = fc
  .record({
    channels: fc.array(fc.constantFrom(...CHANNELS), { minLength: 1, maxLength: 6 }),
    conversions: fc.integer({ min: 0, max: 4 }),
    nulls: fc.integer({ min: 0, max: 5 }),
    unitValue: fc.integer({ min: 0, max: 200 }),
  })
  .map(({ channels, conversions, nulls, unitValue }) => ({ channels, conversions, nulls, value: conversions * unitValue }))

export const arbTimedJourney = fc
  .record({
    touches: fc.array(fc.record({ channel: fc.constantFrom(...CHANNELS), gap: fc.integer({ min: 0, max: 30 * 86_400_000 }) }), { minLength: 1, maxLength: 6 }),
    conversions: fc.integer({ min: 0, max: 2 }),
    value: fc.integer({ min: 0, max: 500 }),
  })
  .map(({ touches, conversions, value }) => {
    const T = 1_800_000_000_000
    const sorted = [...touches].sort((a, b) => b.gap - a.gap)
    return { channels: sorted.map((t) => t.channel), times: sorted.map((t) => T - t.gap), conversionTime: T, conversions, value: conversions > 0 ? value : 0, nulls: conversions > 0 ? 0 : 1 }
  })

export const arbJourney = fc.oneof(arbPathJourney, arbTimedJourney)
export const arbJourneys = fc.array(arbJourney, { minLength: 1, maxLength: 8 })

export const arbSettingsInput = fc.record(
  {
    order: fc.integer({ min: 1, max: 4 }),
    position: fc.constantFrom({ first: 0.4, middle: 0.2, last: 0.4 }, { first: 1, middle: 0, last: 0 }, { first: 0.2, middle: 0.2, last: 0.6 }),
    halfLifeMs: fc.constantFrom(86_400_000, 7 * 86_400_000, 1),
    direct: fc.subarray(['direct', 'Direct', 'none']),
  },
  { requiredKeys: [] },
)

export const arbPathsCsv = fc
  .array(arbPathJourney, { minLength: 0, maxLength: 6 })
  .map((js) => ['path,total_conversions,total_conversion_value,total_null', ...js.map((j) => `${j.channels.join(' > ')},${j.conversions},${j.value},${j.nulls}`)].join('\n'))

export const arbEventsCsv = fc
  .array(fc.record({ user: fc.constantFrom('u1', 'u2', 'u3'), channel: fc.constantFrom(...CHANNELS, ''), conversion: fc.boolean(), value: fc.integer({ min: 0, max: 90 }) }), { maxLength: 10 })
  .map((rows) => {
    const lines = rows
      .map((r, i) => ({ ...r, channel: r.channel === '' && !r.conversion ? 'email' : r.channel, time: 1_700_000_000_000 + i * 3_600_000 }))
      .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.time - b.time))
      .map((r) => `${r.user},${new Date(r.time).toISOString()},${r.channel},${r.conversion ? 1 : 0},${r.conversion ? r.value : ''}`)
    return ['user_id,timestamp,channel,conversion,conversion_value', ...lines].join('\n')
  })

export const arbCostsCsv = fc
  .array(fc.record({ channel: fc.constantFrom(...CHANNELS), cost: fc.integer({ min: 0, max: 10_000 }), period: fc.constantFrom('2024-01', '2024-02') }), { maxLength: 6 })
  .map((rows) => ['channel,cost,period', ...rows.map((r) => `${r.channel},${r.cost},${r.period}`)].join('\n'))

export const arbModels = fc.subarray(['first', 'last', 'last_non_direct', 'linear', 'position', 'time_decay', 'participation', 'markov', 'shapley', 'shapley_rate'], { minLength: 1 })
export const arbUntimedModels = fc.subarray(['first', 'last', 'last_non_direct', 'linear', 'position', 'participation', 'markov', 'shapley', 'shapley_rate'], { minLength: 1 })

// ---------------------------------------------------------------------------------------------------------------
// Statistics

export const arbBinomialArm = fc.integer({ min: 1, max: 2_000_000 }).chain((units) => fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 0, max: units }) }))

export const arbContinuousArm = fc
  .record({ units: fc.integer({ min: 2, max: 1_000_000 }), mean: fc.double({ min: -1000, max: 1000, noNaN: true }), sd: fc.double({ min: 0.01, max: 500, noNaN: true }) })
  .map(({ units, mean, sd }) => ({ units, sum: units * mean, sumSquares: (units - 1) * sd * sd + units * mean * mean }))

export const arbCupedArm = arbContinuousArm.map((a) => ({ ...a, covariate: { sum: a.sum * 0.9, sumSquares: a.sumSquares * 0.8, productSum: a.sumSquares * 0.85 } }))

export const arbRatioArm = fc
  .record({ units: fc.integer({ min: 2, max: 100_000 }), n: fc.double({ min: 0.1, max: 100, noNaN: true }), d: fc.double({ min: 1, max: 10, noNaN: true }) })
  .map(({ units, n, d }) => ({
    units,
    numeratorSum: units * n,
    numeratorSumSquares: units * n * n * 1.5,
    denominatorSum: units * d,
    denominatorSumSquares: units * d * d * 1.2,
    productSum: units * n * d * 1.1,
  }))

export const arbArm = fc.oneof(arbBinomialArm, arbContinuousArm, arbRatioArm)
export const arbTwoBinomial = fc.record({ control: arbBinomialArm, treatment: arbBinomialArm })
export const arbTwoContinuous = fc.record({ control: arbContinuousArm, treatment: arbContinuousArm })
export const arbTwoArms = fc.oneof(arbTwoBinomial, arbTwoContinuous, fc.record({ control: arbRatioArm, treatment: arbRatioArm }))

/** Counts where work proportional to counts would hang. */
export const arbHugeBinomial = fc
  .record({ units: fc.constantFrom(1e9, 1e12, 2 ** 52), rate: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ units, rate }) => ({ units, conversions: Math.floor(units * rate) }))

export const arbExperimentData = fc
  .array(fc.oneof(arbBinomialArm, arbHugeBinomial), { minLength: 2, maxLength: 4 })
  .map((arms) => ({ arms: arms.map((a, i) => ({ name: i === 0 ? 'control' : `t${i}`, ...a })) }))

export const arbPowerDesign = fc.record(
  {
    metric: fc.oneof(fc.record({ type: fc.constant('proportion'), baseline: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }), fc.record({ type: fc.constant('mean'), mean: fc.double({ min: 1, max: 100, noNaN: true }), sd: fc.double({ min: 0.1, max: 50, noNaN: true }) })),
    alpha: fc.constantFrom(0.05, 0.01),
    power: fc.constantFrom(0.8, 0.9),
    alternative: fc.constantFrom('two-sided', 'one-sided'),
    arms: fc.integer({ min: 2, max: 5 }),
    correction: fc.constantFrom('none', 'bonferroni'),
    dailyUnits: fc.integer({ min: 1, max: 100_000 }),
  },
  { requiredKeys: ['metric'] },
)

// ---------------------------------------------------------------------------------------------------------------

/** Trusted values, made once per worker by the library under test. */
export interface Fixtures {
  readonly assigners: ReadonlyArray<unknown>
  readonly compiled: ReadonlyArray<unknown>
  readonly optimizelyFlags: ReadonlyArray<unknown>
  readonly assignments: ReadonlyArray<unknown>
  readonly enrolled: ReadonlyArray<unknown>
  readonly settings: ReadonlyArray<unknown>
  readonly partials: ReadonlyArray<unknown>
  readonly attributions: ReadonlyArray<unknown>
  readonly reportSettings: ReadonlyArray<unknown>
  readonly reportPartials: ReadonlyArray<unknown>
  readonly bothPartials: ReadonlyArray<unknown>
  readonly reports: ReadonlyArray<unknown>
  readonly histograms: ReadonlyArray<unknown>
  readonly analyses: ReadonlyArray<unknown>
  readonly layouts: { readonly paths: unknown; readonly events: unknown }
  readonly costs: unknown
  readonly stages: unknown
  readonly decisions: ReadonlyArray<unknown>
  readonly files: FuzzFiles
}

/** `lib` is the union of the root, report and node entries of the build under test. */
export const makeFixtures = async (lib: Lib, files: FuzzFiles): Promise<Fixtures> => {
  const configs = [LAYERED_CONFIG, ...fc.sample(arbConfig, { seed: 7, numRuns: 4 })]
  const assigners = [
    ...configs.map((c, i) => right<unknown>(lib.decodeConfig(c), `config ${i}`)),
    right<unknown>(lib.fromGrowthBook(GROWTHBOOK_EXPERIMENTS), 'GrowthBook'),
    right<unknown>(lib.fromOptimizelyDatafile(OPTIMIZELY_DATAFILE), 'Optimizely'),
    right<unknown>(lib.fromUnleashFeatures(UNLEASH_FEATURES), 'Unleash'),
  ]
  const compiled = configs.map((c, i) => right<unknown>(lib.compileConfig(c), `compiled ${i}`))
  const units = fc.sample(arbUnit, { seed: 8, numRuns: 20 })
  const assignments = assigners.flatMap((a) => units.flatMap((u) => lib.assign(u)(a) as ReadonlyArray<unknown>))
  const enrolled = assignments.filter((a) => lib.isEnrolled(a))
  const settings = fc.sample(arbSettingsInput, { seed: 9, numRuns: 4 }).map((s, i) => right<unknown>(lib.makeSettings(s), `settings ${i}`))
  const journeySets = [...fc.sample(fc.array(arbTimedJourney, { minLength: 1, maxLength: 8 }), { seed: 13, numRuns: 2 }), ...fc.sample(arbJourneys, { seed: 10, numRuns: 2 })]
  const untimed = fc.sample(fc.array(arbPathJourney, { minLength: 1, maxLength: 8 }), { seed: 11, numRuns: 2 })
  const partials = [...journeySets, ...untimed].map((js, i) => right<unknown>(lib.reduceJourneys(settings[i % settings.length])(js), `partial ${i}`))
  const attributions = partials.map((p, i) => right<unknown>(lib.attribute({ models: i < 2 ? ['first', 'linear', 'time_decay', 'markov', 'shapley'] : ['last', 'position', 'participation', 'markov', 'shapley_rate'] })(p), `attribution ${i}`))
  const reportSettings = settings.map((s, i) => lib.reportSettings(s, { replicates: i % 2 === 0 ? 0 : 5, pathCapacity: 16 }))
  const bothPartials = journeySets.map((js, i) => right<unknown>(lib.reduceTouchpoints(reportSettings[i])(js), `touchpoints ${i}`))
  // reduceTouchpoints answers one ReportPartial (it carries the attribution partial since the one reducer).
  const reportPartials = bothPartials
  const costs = right<unknown>(lib.parseCosts('channel,cost\nsearch,1000\nemail,50\ndisplay,0'), 'costs')
  const stages = right<unknown>(lib.decodeStageMapping({ search: 'consideration', store: 'purchase' }), 'stages')
  const reports = bothPartials.map((p, i) => right<unknown>(lib.buildReport({ models: ['first', 'linear', 'markov'], ...(i % 2 === 0 ? { costs, stages } : {}) })(p), `report ${i}`))
  const histograms = [{ counts: [] }, { counts: [0, 3, 0, 2] }, { counts: Array.from({ length: 362 }, (_, i) => i % 7) }]
  const data = fc.sample(arbExperimentData.filter((d) => d.arms.every((a) => a.units < 1e9)), { seed: 12, numRuns: 3 })
  const analyses = data.flatMap((d) => {
    const r = lib.analyze()(d) as { readonly _tag: string; readonly right?: unknown }
    return r._tag === 'Right' ? [r.right] : []
  })
  const layouts = {
    paths: right<unknown>(lib.pathLayout()(['path', 'total_conversions', 'total_conversion_value', 'total_null']), 'path layout'),
    events: right<unknown>(lib.eventLayout()(['user_id', 'timestamp', 'channel', 'conversion', 'conversion_value']), 'event layout'),
  }
  const decisions: Array<unknown> = []
  for (const [i, c] of compiled.entries()) {
    const tp = lib.touchpoint({ config: lib.inlineConfig(c), sink: () => undefined, report: () => undefined, responseHeader: i % 2 === 0 })
    decisions.push(await tp.decide(new Request('https://example.com/', { headers: i % 2 === 0 ? { cookie: 'tp_uid=u-42' } : {} })))
  }
  return {
    assigners,
    compiled,
    optimizelyFlags: [right<unknown>(lib.fromOptimizelyFlags(OPTIMIZELY_DATAFILE), 'Optimizely flags')],
    assignments,
    enrolled,
    settings,
    partials,
    attributions,
    reportSettings,
    reportPartials,
    bothPartials,
    reports,
    histograms,
    analyses,
    layouts,
    costs,
    stages,
    decisions,
    files,
  }
}
